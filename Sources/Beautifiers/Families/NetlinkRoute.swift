/// NETLINK_ROUTE (rtnetlink) payloads: links (ifinfomsg), addresses (ifaddrmsg), routes
/// (rtmsg), neighbours (ndmsg) and rules (fib_rule_hdr), each `{struct}, [attributes]`, as
/// strace 6.1 prints them. Other message types print `{family=AF_…, data="\x…"}`.
enum NetlinkRoute {
    static func print(_ h: Netlink.Header, _ payload: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        switch h.type {
        case 16...19: link(payload, ctx, out)                      // RTM_{NEW,DEL,GET,SET}LINK
        case 20...22, 58, 62: address(payload, ctx, out)          // RTM_*ADDR, GETMULTICAST, GETANYCAST
        case 24...26: route(payload, ctx, out)                     // RTM_*ROUTE
        case 28, 29: neighbour(payload, ctx, out)                  // RTM_NEWNEIGH, RTM_DELNEIGH
        case 30 where ctx.family == 7: link(payload, ctx, out)     // RTM_GETNEIGH, AF_BRIDGE: an ifinfomsg
        case 30: neighbour(payload, ctx, out)
        case 32...34: rule(payload, ctx, out)                      // RTM_*RULE
        case 36...38, 40...42, 44...46, 100...102:                 // qdiscs, classes, filters, chains
            trafficControl(payload, ctx, out)
        case 80...82: familyOnly("ncm_family", payload, netconfAttributes, ctx, out)    // RTM_*NETCONF
        case 88...90: familyOnly("rtgen_family", payload, nsidAttributes, ctx, out)     // RTM_*NSID
        default:
            Netlink.printFamilyAndData(payload, ctx, out)
        }
    }

    /// `{prefix_family=AF_INET, field=…, …}` when the payload holds the whole struct (`size`
    /// bytes), `{prefix_family=AF_INET, ...}` when it does not; then the attributes after it.
    static func familyStruct(_ payload: ArraySlice<UInt8>, size: Int, familyField: String, _ ctx: Netlink.Context,
                             _ out: ArgumentSink, attributes: AttributeTable, fields: (FieldReader) -> Void) {
        out.beginStruct()
        out.field(familyField); out.enumeration(UInt64(ctx.family), Tables.addressFamilies)
        let whole = payload.count >= size
        if whole { fields(FieldReader(payload)) } else { out.ellipsis() }
        out.endStruct()
        let aligned = (size + 3) & ~3
        if whole && payload.count > aligned {
            out.element()
            Netlink.printAttributes(payload.dropFirst(aligned), attributes, ctx, out)
        } else if whole && ctx.cut {
            out.ellipsis()  // the kernel's copy ended before the attributes
        }
    }

    // MARK: links

    static func link(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        familyStruct(p, size: 16, familyField: "ifi_family", ctx, out, attributes: linkAttributes) { r in
            out.field("ifi_type"); out.enumeration(UInt64(r.u16(2)), Tables.arpHardwareTypes)
            out.field("ifi_index"); Netlink.printInterfaceIndex(r.u32(4), out)
            out.field("ifi_flags"); out.flags(UInt64(r.u32(8)), Tables.interfaceFlags)
            out.field("ifi_change"); out.hex(UInt64(r.u32(12)))
        }
    }

    /// struct rtnl_link_stats64 (u64s) and rtnl_link_stats (u32s) share their field names.
    static let linkStatsFields = [
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
        "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors",
        "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
        "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed", "rx_nohandler",
        "rx_otherhost_dropped",
    ]

    /// The fields a stats struct of `length` bytes has, as strace sizes it: the whole struct it
    /// knows, or exactly one of the older sizes (else nil: hex).
    static func printStats(_ b: ArraySlice<UInt8>, width: Int, counts: [Int], _ out: ArgumentSink) -> Bool {
        let known = counts.max()!
        let count = b.count >= known * width ? known : counts.first { $0 * width == b.count }
        guard let count else { return false }
        let r = FieldReader(b)
        out.beginStruct()
        for k in 0..<count {
            out.field(linkStatsFields[k])
            out.unsigned(width == 8 ? r.u64(8 * k) : UInt64(r.u32(4 * k)))
        }
        out.endStruct()
        return true
    }

    static let stats32 = AttributeValue.custom { b, _, out in printStats(b, width: 4, counts: [23, 24], out) }
    static let stats64 = AttributeValue.custom { b, _, out in printStats(b, width: 8, counts: [23, 24, 25], out) }

    static func uintStruct(_ names: [String], width: Int = 4, hexFields: Set<String> = []) -> AttributeValue {
        .custom { b, _, out in
            guard b.count >= names.count * width else { return false }
            let r = FieldReader(b)
            out.beginStruct()
            for (k, name) in names.enumerated() {
                out.field(name)
                let v = width == 8 ? r.u64(8 * k) : UInt64(r.u32(4 * k))
                if hexFields.contains(name) { out.hex(v) } else { out.unsigned(v) }
            }
            out.endStruct()
            return true
        }
    }

    /// struct rtnl_link_ifmap: three u64 addresses, an irq u16, dma and port u8.
    static let linkMap = AttributeValue.custom { b, _, out in
        guard b.count >= 28 else { return false }
        let r = FieldReader(b)
        out.beginStruct()
        out.field("mem_start"); out.hex(r.u64(0))
        out.field("mem_end"); out.hex(r.u64(8))
        out.field("base_addr"); out.hex(r.u64(16))
        out.field("irq"); out.unsigned(UInt64(r.u16(24)))
        out.field("dma"); out.unsigned(UInt64(b[b.startIndex + 26]))
        out.field("port"); out.unsigned(UInt64(b[b.startIndex + 27]))
        out.endStruct()
        return true
    }

    /// IFLA_LINKINFO: IFLA_INFO_DATA is decoded by the link's kind (IFLA_INFO_KIND, which the
    /// kernel sends first) and IFLA_INFO_SLAVE_DATA by its master's (IFLA_INFO_SLAVE_KIND), for
    /// the kinds strace 6.1 decodes: "bridge" and "tun" links, ports of a "bridge".
    static let linkInfo = AttributeValue.custom { b, ctx, out in
        var values: [UInt16: AttributeValue] = [1: .string, 4: .string]  // the kinds
        if let data = linkData[linkKind(b, type: 1)] { values[2] = .nested(data) }
        if linkKind(b, type: 4) == "bridge" { values[5] = .nested(bridgePortData) }
        Netlink.printAttributes(b, AttributeTable(Tables.linkInfoAttributes, values), ctx, out)
        return true
    }

    static let linkData: [String: AttributeTable] = ["bridge": bridgeData, "tun": tunData]

    /// The text of the attribute of `type` (IFLA_INFO_KIND or IFLA_INFO_SLAVE_KIND), up to a
    /// NUL if it has one (iproute2's requests send none), as strace reads it: "" when it is 16
    /// bytes or longer.
    static func linkKind(_ b: ArraySlice<UInt8>, type: UInt16) -> String {
        var offset = 0
        while offset + 4 <= b.count {
            let r = FieldReader(b.dropFirst(offset))
            let length = Int(r.u16(0))
            guard length >= 4 else { break }
            if r.u16(2) & 0x3fff == type {
                let payload = b.dropFirst(offset + 4).prefix(length - 4)
                guard payload.count < 16 else { return "" }
                return String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
            }
            offset += (length + 3) & ~3
        }
        return ""
    }

    /// A bridge port's attributes (IFLA_BRPORT_*), with strace 6.1's decoder for each.
    static let bridgePortData: AttributeTable = {
        var v: [UInt16: AttributeValue] = [
            2: .u16, 3: .u32, 13: bridgeID, 14: bridgeID, 15: .u16, 16: .u16, 17: .u16, 18: .u16,
            21: clockTicks, 22: clockTicks, 23: clockTicks, 31: hex16, 34: .ifindex, 37: .u32, 38: .u32,
        ]
        for type: UInt16 in [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 19, 20, 25, 27, 28, 29, 30, 32, 33, 35, 36, 39] { v[type] = .u8 }
        return AttributeTable(Tables.bridgePortAttributes, v)
    }()

    /// A clock_t of any width up to 8 bytes: ticks, with seconds in a comment (strace's
    /// print_clock_t, at 100 ticks a second).
    static let clockTicks = AttributeValue.custom { b, _, out in
        guard b.count <= 8 else { return false }
        SignalInfoPrinter.printTicks(Int64(bitPattern: Netlink.littleEndian(b)), out)
        return true
    }

    /// An ethernet protocol in network order: `htons(ETH_P_8021Q)`.
    static let etherProtocol = AttributeValue.custom { b, _, out in
        guard b.count >= 2, b.count <= 8 else { return false }
        out.raw("htons(")
        out.enumeration(UInt64(FieldReader(b).u16(0).byteSwapped), etherProtocols)
        out.raw(")")
        return true
    }

    static let etherProtocols = Tables.ethernetProtocols.withUnknown("ETHER_P_???")

    static let hex16 = AttributeValue.custom { b, _, out in
        guard b.count >= 2 else { return false }
        out.hex(UInt64(FieldReader(b).u16(0)))
        return true
    }

    /// struct ifla_bridge_id: `{prio=[128, 0], addr=00:00:00:00:00:00}`.
    static let bridgeID = AttributeValue.custom { b, _, out in
        guard b.count >= 8 else { return false }
        out.beginStruct()
        out.field("prio")
        out.beginArray()
        for k in 0..<2 { out.element(); out.unsigned(UInt64(b[b.startIndex + k])) }
        out.endArray()
        out.field("addr"); Netlink.printHardwareAddress(b.dropFirst(2).prefix(6), out)
        out.endStruct()
        return true
    }

    /// struct br_boolopt_multi: `{optval=…, optmask=1<<BR_BOOLOPT_NO_LL_LEARN|…}`.
    static let bridgeBoolOptions = AttributeValue.custom { b, _, out in
        guard b.count >= 8 else { return false }
        let r = FieldReader(b)
        out.beginStruct()
        out.field("optval"); out.flags(UInt64(r.u32(0)), Tables.bridgeBoolOptions)
        out.field("optmask"); out.flags(UInt64(r.u32(4)), Tables.bridgeBoolOptions)
        out.endStruct()
        return true
    }

    static let inet4Address = AttributeValue.custom { b, _, out in
        guard b.count >= 4 else { return false }
        Netlink.printAddress(b, family: 2, field: nil, out)
        return true
    }

    /// IFLA_INFO_DATA of a bridge (IFLA_BR_*), with strace 6.1's decoder for each.
    static let bridgeData: AttributeTable = {
        var v: [UInt16: AttributeValue] = [
            5: .u32, 6: .u16, 7: .u8, 8: etherProtocol, 9: hex16, 10: bridgeID, 11: bridgeID, 12: .u16, 13: .u32, 14: .u8, 15: .u8,
            20: .hardwareAddress(familySized: false), 22: .u8, 23: .u8, 24: .u8, 25: .u8,
            26: .u32, 27: .u32, 28: .u32, 29: .u32, 36: .u8, 37: .u8, 38: .u8, 39: .u16,
            41: .u8, 42: .u8, 43: .u8, 44: .u8, 45: .u8, 46: bridgeBoolOptions,
            47: .nested(AttributeTable(Tables.bridgeQuerierAttributes, [
                1: inet4Address, 2: .ifindex, 3: clockTicks, 5: .in6Address, 6: .ifindex, 7: clockTicks,
            ])),
        ]
        // FORWARD_DELAY … AGEING_TIME, the four timers, and the multicast intervals: clock_t
        for type: UInt16 in [1, 2, 3, 4, 16, 17, 18, 19, 30, 31, 32, 33, 34, 35] { v[type] = clockTicks }
        return AttributeTable(Tables.bridgeInfoAttributes, v)
    }()

    /// IFLA_INFO_DATA of a tun/tap device (IFLA_TUN_*).
    static let tunData = AttributeTable(Tables.tunInfoAttributes, [
        1: .id, 2: .id, 3: .enumeration(Tables.tunDeviceTypes, size: 1),
        4: .u8, 5: .u8, 6: .u8, 7: .u8, 8: .u32, 9: .u32,
    ])

    /// IFLA_AF_SPEC: attributes whose types are address families, each holding that family's.
    static let linkAddressFamilies = AttributeTable(Tables.addressFamilies, [
        2: .nested(AttributeTable(Tables.linkInetAttributes, [  // IFLA_INET_CONF
            1: Netlink.indexedArray(Tables.inetDevconfIndices, width: 4, signed: true),
        ])),
        10: .nested(linkInet6),
    ])

    /// IFLA_INET6_*: an interface's IPv6 state (in IFLA_AF_SPEC, and in IFLA_PROTINFO of an
    /// AF_INET6 message).
    static let linkInet6 = AttributeTable(Tables.linkInet6Attributes, [
        1: .flags(Tables.inet6InterfaceFlags, size: 4),
        2: Netlink.indexedArray(Tables.inet6DevconfIndices, width: 4, signed: true),
        3: Netlink.indexedArray(Tables.ipStatsIndices, width: 8, signed: false),
        5: uintStruct(["max_reasm_len", "tstamp", "reachable_time", "retrans_time"]),
        6: Netlink.indexedArray(Tables.icmp6StatsIndices, width: 8, signed: false),
        7: .in6Address,
        8: .enumeration(Tables.in6AddressGenerationModes, size: 1),
        9: .u32,
    ])

    /// IFLA_PROTINFO: by the message's family, a bridge port's attributes (AF_BRIDGE: `bridge
    /// link`) or IPv6's (AF_INET6), as strace 6.1 decodes it; other families print raw.
    static let protocolInfo = AttributeValue.custom { b, ctx, out in
        switch ctx.family {
        case 7: Netlink.printAttributes(b, bridgePortData, ctx, out)
        case 10: Netlink.printAttributes(b, linkInet6, ctx, out)
        default: return false
        }
        return true
    }

    static let xdp = AttributeTable(Tables.linkXdpAttributes, [
        1: .s32, 2: .enumeration(Tables.xdpAttachedModes, size: 1), 3: .flags(Tables.xdpFlags, size: 4),
        4: .u32, 5: .u32, 6: .u32, 7: .u32, 8: .s32,
    ])

    static let linkAttributes: AttributeTable = {
        var v: [UInt16: AttributeValue] = [
            1: .hardwareAddress(familySized: true), 2: .hardwareAddress(familySized: true),
            3: .string, 4: .u32, 5: .u32, 6: .string, 7: stats32, 10: .u32, 12: protocolInfo, 13: .u32, 14: linkMap,
            15: .u32,
            16: .u8, 17: .u8, 18: linkInfo, 19: .u32, 20: .string, 21: .u32, 23: stats64,
            26: .nested(linkAddressFamilies), 27: .u32, 28: .s32,
            29: .flags(Tables.linkExtMaskFlags, size: 4),
            30: .u32, 31: .u32, 32: .u32, 33: .u8, 35: .u32, 37: .s32, 38: .string, 39: .u8, 40: .u32, 41: .u32,
            43: .nested(xdp),
            44: .enumeration(Tables.linkEvents, size: 4),
            45: .s32, 46: .s32, 47: .u32, 48: .u32, 49: .ifindex, 50: .u32, 51: .u32,
            53: .string, 54: .hardwareAddress(familySized: true), 56: .string, 57: .string,
            58: .u32, 59: .u32, 60: .u32, 61: .u32,
        ]
        // IFLA_PROP_LIST: nested link attributes (alternative names)
        v[52] = .nested(AttributeTable(Tables.linkAttributes, v))
        return AttributeTable(Tables.linkAttributes, v)
    }()

    // MARK: addresses

    static func address(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        familyStruct(p, size: 8, familyField: "ifa_family", ctx, out, attributes: addressAttributes) { r in
            out.field("ifa_prefixlen"); out.unsigned(UInt64(p[p.startIndex + 1]))
            out.field("ifa_flags"); out.flags(UInt64(p[p.startIndex + 2]), Tables.interfaceAddressFlags)
            out.field("ifa_scope"); out.enumeration(UInt64(p[p.startIndex + 3]), Tables.routingScopes)
            out.field("ifa_index"); Netlink.printInterfaceIndex(r.u32(4), out)
        }
    }

    static let addressAttributes = AttributeTable(Tables.addressAttributes, [
        1: .address, 2: .address, 3: .string, 4: .address, 5: .address,
        6: uintStruct(["ifa_prefered", "ifa_valid", "cstamp", "tstamp"]),
        7: .address, 8: .flags(Tables.interfaceAddressFlags, size: 4), 9: .u32, 10: .s32,
    ])

    // MARK: routes

    static func route(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        familyStruct(p, size: 12, familyField: "rtm_family", ctx, out, attributes: routeAttributes) { r in
            let byte = { (k: Int) in UInt64(p[p.startIndex + k]) }
            out.field("rtm_dst_len"); out.unsigned(byte(1))
            out.field("rtm_src_len"); out.unsigned(byte(2))
            out.field("rtm_tos"); out.flags(byte(3), Tables.ipTypeOfService)
            out.field("rtm_table"); out.enumeration(byte(4), Tables.routingTables)
            out.field("rtm_protocol"); out.enumeration(byte(5), Tables.routingProtocols)
            out.field("rtm_scope"); out.enumeration(byte(6), Tables.routingScopes)
            out.field("rtm_type"); out.enumeration(byte(7), Tables.routingTypes)
            out.field("rtm_flags"); out.flags(UInt64(r.u32(8)), Tables.routingFlags)
        }
    }

    /// RTA_MULTIPATH: `[[{rtnh_len=…, rtnh_flags=…, rtnh_hops=…, rtnh_ifindex=…}, [RTA_* attributes]], …]`.
    static let multipath = AttributeValue.custom { b, ctx, out in
        guard b.count >= 8 else { return false }
        var offset = 0, isArray = false
        while b.count - offset >= 8 {
            let r = FieldReader(b.dropFirst(offset))
            let declared = Int(r.u16(0))
            let length = min(b.count - offset, declared)
            if offset == 0 && declared < b.count { out.beginArray(); isArray = true }
            if isArray { out.element() }
            if length > 8 { out.beginArray(); out.element() }
            out.beginStruct()
            out.field("rtnh_len"); out.unsigned(UInt64(declared))
            out.field("rtnh_flags"); out.flags(UInt64(b[b.startIndex + offset + 2]), Tables.nexthopFlags)
            out.field("rtnh_hops"); out.unsigned(UInt64(b[b.startIndex + offset + 3]))
            out.field("rtnh_ifindex"); Netlink.printInterfaceIndex(r.u32(4), out)
            out.endStruct()
            if length > 8 {
                out.element()
                Netlink.printAttributes(b.dropFirst(offset + 8).prefix(length - 8), routeAttributes, ctx, out)
                out.endArray()
            }
            let step = (length + 3) & ~3
            if step >= b.count - offset || step == 0 { break }
            offset += step
        }
        if isArray { out.endArray() }
        return true
    }

    /// RTA_VIA: `{rtvia_family=AF_INET, rtvia_addr=inet_addr("…")}`.
    static let via = AttributeValue.custom { b, ctx, out in
        guard b.count >= 2 else { return false }
        let family = FieldReader(b).u16(0)
        out.beginStruct()
        out.field("rtvia_family"); out.enumeration(UInt64(family), Tables.addressFamilies)
        if b.count > 2 { Netlink.printAddress(b.dropFirst(2), family: UInt8(truncatingIfNeeded: family), field: "rtvia_addr", out) }
        out.endStruct()
        return true
    }

    static let routeMetrics: AttributeTable = {
        var v: [UInt16: AttributeValue] = [:]
        for k in UInt16(1)...15 { v[k] = .u32 }
        v[16] = .string  // RTAX_CC_ALGO
        return AttributeTable(Tables.routeMetricAttributes, v)
    }()

    static let routeAttributes: AttributeTable = AttributeTable(Tables.routeAttributes, [
        1: .address, 2: .address, 3: .ifindex, 4: .ifindex, 5: .address, 6: .u32, 7: .address,
        8: .nested(routeMetrics), 9: multipath, 10: .u32, 11: .u32,
        12: uintStruct(["rta_clntref", "rta_lastuse", "rta_expires", "rta_error", "rta_used", "rta_id", "rta_ts", "rta_tsage"],
                       hexFields: ["rta_id"]),
        14: .u32, 15: .enumeration(Tables.routingTables, size: 4), 16: .u32,
        17: uintStruct(["mfcs_packets", "mfcs_bytes", "mfcs_wrong_if"], width: 8),
        18: via, 19: .address, 20: .u8, 21: .enumeration(Tables.lwtunnelEncapTypes, size: 2), 23: .u64,
        25: .u32, 26: .u8, 27: .u8, 28: .u16, 29: .u16,
    ])

    // MARK: neighbours

    static func neighbour(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        familyStruct(p, size: 12, familyField: "ndm_family", ctx, out, attributes: neighbourAttributes) { r in
            out.field("ndm_ifindex"); Netlink.printInterfaceIndex(r.u32(4), out)
            out.field("ndm_state"); out.flags(UInt64(r.u16(8)), Tables.neighbourStates)
            out.field("ndm_flags"); out.flags(UInt64(p[p.startIndex + 10]), Tables.neighbourFlags)
            out.field("ndm_type"); out.enumeration(UInt64(p[p.startIndex + 11]), Tables.routingTypes)
        }
    }

    static let neighbourAttributes = AttributeTable(Tables.neighbourAttributes, [
        1: .address, 2: .hardwareAddress(familySized: false),
        3: uintStruct(["ndm_confirmed", "ndm_used", "ndm_updated", "ndm_refcnt"]),
        4: .u32, 5: .u16, 6: .be16, 7: .u32, 8: .ifindex, 9: .ifindex, 10: .u32, 11: .u32,
        12: .custom { b, _, out in
            guard b.count <= 8 else { return false }
            out.enumeration(Netlink.littleEndian(b), Tables.ipProtocols)
            return true
        },
        13: .u32, 16: .flags(Tables.neighbourStates, size: 2), 17: .flags(Tables.neighbourFlags, size: 1),
    ])

    // MARK: rules

    static let ruleTables = EnumTable([
        Named(0, "RT_TABLE_UNSPEC"), Named(0xfc, "RT_TABLE_COMPAT"), Named(0xfd, "RT_TABLE_DEFAULT"),
        Named(0xfe, "RT_TABLE_MAIN"), Named(0xff, "RT_TABLE_LOCAL"),
    ], unknown: "RT_TABLE_???")

    static func rule(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        familyStruct(p, size: 12, familyField: "family", ctx, out, attributes: ruleAttributes) { r in
            let byte = { (k: Int) in UInt64(p[p.startIndex + k]) }
            out.field("dst_len"); out.unsigned(byte(1))
            out.field("src_len"); out.unsigned(byte(2))
            out.field("tos"); out.flags(byte(3), Tables.ipTypeOfService)
            out.field("table"); out.enumeration(byte(4), ruleTables)
            out.field("action"); out.enumeration(byte(7), Tables.ruleActions)
            out.field("flags"); out.flags(UInt64(r.u32(8)), Tables.ruleFlags)
        }
    }

    static let ruleAttributes = AttributeTable(Tables.ruleAttributes, [
        1: .address, 2: .address, 3: .string, 4: .u32, 6: .u32, 10: .u32, 11: .u32,
        13: .u32, 14: .u32, 15: .enumeration(Tables.routingTables, size: 4), 16: .u32, 17: .string, 19: .u8,
        21: .enumeration(Tables.routingProtocols, size: 1),
        22: .custom { b, _, out in
            guard b.count <= 8 else { return false }
            out.enumeration(Netlink.littleEndian(b), Tables.ipProtocols)
            return true
        },
    ])

    // MARK: traffic control

    /// struct tcmsg: family, ifindex, handle, parent, info.
    static func trafficControl(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        familyStruct(p, size: 20, familyField: "tcm_family", ctx, out, attributes: trafficControlAttributes) { r in
            out.field("tcm_ifindex"); Netlink.printInterfaceIndex(r.u32(4), out)
            out.field("tcm_handle"); out.unsigned(UInt64(r.u32(8)))
            out.field("tcm_parent"); out.unsigned(UInt64(r.u32(12)))
            out.field("tcm_info"); out.unsigned(UInt64(r.u32(16)))
        }
    }

    /// A struct of one u64 then u32s (`bytes`, then the counters), `size` bytes at least.
    static func countersStruct(_ names: [String], size: Int) -> AttributeValue {
        .custom { b, _, out in
            guard b.count >= size else { return false }
            let r = FieldReader(b)
            out.beginStruct()
            out.field(names[0]); out.unsigned(r.u64(0))
            for (k, name) in names.dropFirst().enumerated() { out.field(name); out.unsigned(UInt64(r.u32(8 + 4 * k))) }
            out.endStruct()
            return true
        }
    }

    static let trafficControlStats = AttributeTable(Tables.trafficControlStatsAttributes, [
        1: countersStruct(["bytes", "packets"], size: 12),
        2: uintStruct(["bps", "pps"]),
        3: uintStruct(["qlen", "backlog", "drops", "requeues", "overlimits"]),
        5: uintStruct(["bps", "pps"], width: 8),
        7: countersStruct(["bytes", "packets"], size: 12),
        8: .u64,
    ])

    static let trafficControlAttributes = AttributeTable(Tables.trafficControlAttributes, [
        1: .string,
        3: countersStruct(["bytes", "packets", "drops", "overlimits", "bps", "pps", "qlen", "backlog"], size: 36),
        5: .custom { b, _, out in  // struct tc_estimator: a signed interval, ewma_log
            guard b.count >= 2 else { return false }
            out.beginStruct()
            out.field("interval"); out.signed(Int64(Int8(bitPattern: b[b.startIndex])))
            out.field("ewma_log"); out.unsigned(UInt64(b[b.startIndex + 1]))
            out.endStruct()
            return true
        },
        6: .u32,
        7: .nested(trafficControlStats),
        8: .nested(AttributeTable(Tables.trafficControlStabAttributes, [
            1: .custom { b, _, out in  // struct tc_sizespec
                guard b.count >= 24 else { return false }
                let r = FieldReader(b)
                out.beginStruct()
                out.field("cell_log"); out.unsigned(UInt64(b[b.startIndex]))
                out.field("size_log"); out.unsigned(UInt64(b[b.startIndex + 1]))
                out.field("cell_align"); out.signed(Int64(Int16(bitPattern: r.u16(2))))
                out.field("overhead"); out.signed(Int64(r.i32(4)))
                out.field("linklayer"); out.unsigned(UInt64(r.u32(8)))
                out.field("mpu"); out.unsigned(UInt64(r.u32(12)))
                out.field("mtu"); out.unsigned(UInt64(r.u32(16)))
                out.field("tsize"); out.unsigned(UInt64(r.u32(20)))
                out.endStruct()
                return true
            },
            2: .custom { b, ctx, out in
                let count = b.count / 2
                guard count > 0 else { return false }
                let r = FieldReader(b)
                Netlink.printArray(count: count, ctx, out) { k in out.unsigned(UInt64(r.u16(2 * k))) }
                return true
            },
        ])),
        0xb: .u32, 0xc: .u8, 0xd: .u32, 0xe: .u32, 0xf: .u32,
    ])

    // MARK: one-byte headers

    /// `{ncm_family=AF_INET}` (netconfmsg, rtgenmsg), then the attributes after its 4 aligned bytes.
    static func familyOnly(_ field: String, _ p: ArraySlice<UInt8>, _ table: AttributeTable, _ ctx: Netlink.Context,
                           _ out: ArgumentSink) {
        out.beginStruct()
        out.field(field); out.enumeration(UInt64(ctx.family), Tables.addressFamilies)
        out.endStruct()
        if p.count > 4 {
            out.element()
            Netlink.printAttributes(p.dropFirst(4), table, ctx, out)
        } else if ctx.cut {
            out.ellipsis()
        }
    }

    static let netconfAttributes = AttributeTable(Tables.netconfAttributes, [
        1: .ifindex, 2: .s32, 3: .s32, 4: .s32, 5: .s32, 6: .s32, 7: .s32, 8: .s32,
    ])

    static let nsidAttributes = AttributeTable(Tables.nsidAttributes, [1: .s32, 2: .u32, 3: .s32, 4: .s32, 5: .s32])
}
