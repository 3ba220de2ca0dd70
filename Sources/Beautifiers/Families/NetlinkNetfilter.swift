/// NETLINK_NETFILTER (nftables, conntrack, ipset…: what iptables-nft, nft and container
/// runtimes' firewall setup send): message types as `NFNL_SUBSYS_NFTABLES<<8|NFT_MSG_GETTABLE`,
/// flags by request kind, the nfgenmsg header and the attributes with their bare numbers, as
/// strace 6.1 prints them (it decodes no subsystem's attributes).
enum NetlinkNetfilter {
    static let NFNL_SUBSYS_CTNETLINK = 1, NFNL_SUBSYS_CTNETLINK_EXP = 2, NFNL_SUBSYS_ACCT = 7
    static let NFNL_SUBSYS_CTNETLINK_TIMEOUT = 8, NFNL_SUBSYS_CTHELPER = 9, NFNL_SUBSYS_NFTABLES = 10
    static let NFNL_SUBSYS_NFT_COMPAT = 11, NFNL_SUBSYS_HOOK = 12

    /// The message types of each subsystem, by its id.
    static let subsystemTypes: [Int: EnumTable] = [
        1: Tables.ctnetlinkMessageTypes, 2: Tables.ctnetlinkExpectMessageTypes, 3: Tables.nfqueueMessageTypes,
        4: Tables.nflogMessageTypes, 5: Tables.osfMessageTypes, 6: Tables.ipsetMessageTypes,
        7: Tables.nfacctMessageTypes, 8: Tables.cttimeoutMessageTypes, 9: Tables.cthelperMessageTypes,
        10: Tables.nftablesMessageTypes, 11: Tables.nftCompatMessageTypes, 12: Tables.nfHookMessageTypes,
    ]

    /// `NFNL_MSG_BATCH_BEGIN`, or the subsystem and its message: `NFNL_SUBSYS_NFTABLES<<8|NFT_MSG_GETGEN`
    /// (-X raw `0xa<<8|0x1`, verbose with each name as a comment). One value in every format.
    static func printType(_ type: UInt16, _ out: ArgumentSink) {
        if let name = Tables.netfilterControlTypes.name(for: UInt64(type)) {
            return out.constant(name, hex: UInt64(type))
        }
        let subsystem = UInt64(type >> 8), message = UInt64(type & 0xff)
        func part(_ value: UInt64, _ table: EnumTable?) -> String {
            let hex = value == 0 ? "0" : "0x" + String(value, radix: 16)
            guard let table else { return hex }
            switch (out.constantStyle, table.name(for: value)) {
            case (.abbrev, let name?): return name
            case (.abbrev, nil): return table.unknown.isEmpty ? hex : "\(hex) /* \(table.unknown) */"
            case (.raw, _): return hex
            case (.verbose, let name): return "\(hex) /* \(name ?? table.unknown) */"
            }
        }
        out.symbol(part(subsystem, Tables.netfilterSubsystems) + "<<8|" + part(message, subsystemTypes[Int(subsystem)]))
    }

    /// NEW/GET/DEL requests of the subsystems strace knows carry NLM_F_ flags of their kind.
    static func flagTable(type: UInt16) -> FlagTable {
        let subsystem = Int(type >> 8), message = Int(type & 0xff)
        let kinds: [Int: (new: Set<Int>, get: Set<Int>, delete: Set<Int>)] = [
            NFNL_SUBSYS_CTNETLINK: ([0], [1, 3, 4, 5, 6, 7], [2]),
            NFNL_SUBSYS_CTNETLINK_EXP: ([0], [1, 3], [2]),
            NFNL_SUBSYS_ACCT: ([0], [1, 2], [3]),
            NFNL_SUBSYS_CTNETLINK_TIMEOUT: ([0], [1], [2]),
            NFNL_SUBSYS_CTHELPER: ([0], [1], [2]),
            NFNL_SUBSYS_NFTABLES: ([0, 3, 6, 9, 12, 15, 18, 22], [1, 4, 7, 10, 13, 16, 19, 21, 23], [2, 5, 8, 11, 14, 20, 24]),
            NFNL_SUBSYS_NFT_COMPAT: ([], [0], []),
            NFNL_SUBSYS_HOOK: ([], [0], []),
        ]
        guard let k = kinds[subsystem] else { return Netlink.plainFlags }
        if k.new.contains(message) { return Netlink.newFlags }
        if k.get.contains(message) { return Netlink.getFlags }
        if k.delete.contains(message) { return Netlink.deleteFlags }
        return Netlink.plainFlags
    }

    /// Attributes without names: strace prints their types as numbers and payloads as bytes.
    static let anonymousAttributes = AttributeTable(EnumTable([]), [:])

    /// `{nfgen_family=AF_INET, version=NFNETLINK_V0, res_id=htons(0)}`, then the attributes
    /// (a batch's payload as bytes).
    static func print(_ h: Netlink.Header, _ payload: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        guard payload.count >= 4 else { return Netlink.printHex(payload, length: payload.count, ctx, out) }
        let r = FieldReader(payload)
        let subsystem = Int(h.type >> 8)
        let resID = r.u16(2)
        out.beginStruct()
        out.field("nfgen_family"); out.enumeration(UInt64(payload[payload.startIndex]), Tables.addressFamilies)
        out.field("version"); out.enumeration(UInt64(payload[payload.startIndex + 1]), Tables.netfilterVersions)
        out.field("res_id")
        // nftables once sent its subsystem id here in host order (linux v4.3): named either way.
        if subsystem == NFNL_SUBSYS_NFTABLES && Int(resID.byteSwapped) == NFNL_SUBSYS_NFTABLES {
            out.constant("htons(NFNL_SUBSYS_NFTABLES)", hex: UInt64(resID))
        } else if subsystem == NFNL_SUBSYS_NFTABLES && Int(resID) == NFNL_SUBSYS_NFTABLES {
            out.constant("NFNL_SUBSYS_NFTABLES", hex: UInt64(resID))
        } else {
            out.raw("htons(\(resID.byteSwapped))")
        }
        out.endStruct()
        guard payload.count > 4 else { return }
        out.element()
        let rest = payload.dropFirst(4)
        if (16...17).contains(h.type) || h.type < Netlink.NLMSG_MIN_TYPE {
            Netlink.printHex(rest, length: rest.count, ctx, out)
        } else {
            Netlink.printAttributes(rest, anonymousAttributes, ctx, out)
        }
    }
}
