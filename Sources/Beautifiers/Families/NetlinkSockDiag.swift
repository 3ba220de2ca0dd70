/// NETLINK_SOCK_DIAG payloads (what `ss` sends and receives): inet_diag requests and replies
/// for AF_INET/AF_INET6, unix_diag for AF_UNIX, netlink_diag and packet_diag (`ss -a`), as
/// strace 6.1 prints them. A request is a message with NLM_F_REQUEST. Other families (smc,
/// vsock, xdp) print `{family=AF_…, data="\x…"}`.
enum NetlinkSockDiag {
    static let TCPDIAG_GETSOCK: UInt16 = 18, DCCPDIAG_GETSOCK: UInt16 = 19

    static func print(_ h: Netlink.Header, _ payload: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        let request = h.flags & Netlink.NLM_F_REQUEST != 0
        if payload.count > 1 {
            switch ctx.family {
            case 1: return request ? unixRequest(payload, ctx, out) : unixMessage(payload, ctx, out)
            case 2, 10:
                if !request { return inetMessage(payload, ctx, out) }
                if h.type == TCPDIAG_GETSOCK || h.type == DCCPDIAG_GETSOCK { return inetRequestCompat(payload, ctx, out) }
                return inetRequest(payload, ctx, out)
            case 16: return request ? netlinkRequest(payload, ctx, out) : netlinkMessage(payload, ctx, out)
            case 17: return request ? packetRequest(payload, ctx, out) : packetMessage(payload, ctx, out)
            default: break
            }
        }
        Netlink.printFamilyAndData(payload, ctx, out)
    }

    /// `idiag_cookie=[1, 0]`: two u32s.
    static func cookie(_ name: String, _ r: FieldReader, _ offset: Int, _ out: ArgumentSink) {
        out.field(name)
        out.beginArray()
        out.element(); out.unsigned(UInt64(r.u32(offset)))
        out.element(); out.unsigned(UInt64(r.u32(offset + 4)))
        out.endArray()
    }

    /// struct inet_diag_sockid (48 bytes at `offset`): ports in network order, addresses of the
    /// message's family (16 bytes each), the interface, the cookie.
    static func socketID(_ p: ArraySlice<UInt8>, _ offset: Int, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        let b = p.dropFirst(offset)
        let r = FieldReader(b)
        out.field("id")
        out.beginStruct()
        NetworkCalls.networkField("idiag_sport", b, 0, 2, "htons(\(r.u16(0).byteSwapped))", out)
        NetworkCalls.networkField("idiag_dport", b, 2, 2, "htons(\(r.u16(2).byteSwapped))", out)
        Netlink.printAddress(b.dropFirst(4).prefix(16), family: ctx.family, field: "idiag_src", out)
        Netlink.printAddress(b.dropFirst(20).prefix(16), family: ctx.family, field: "idiag_dst", out)
        out.field("idiag_if"); Netlink.printInterfaceIndex(r.u32(36), out)
        cookie("idiag_cookie", r, 40, out)
        out.endStruct()
    }

    static func inetRequest(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        NetlinkRoute.familyStruct(p, size: 56, familyField: "sdiag_family", ctx, out, attributes: requestAttributes) { r in
            out.field("sdiag_protocol"); out.enumeration(UInt64(p[p.startIndex + 1]), Tables.ipProtocols)
            out.field("idiag_ext"); out.flags(UInt64(p[p.startIndex + 2]), Tables.inetDiagExtensions)
            out.field("idiag_states"); out.flags(UInt64(r.u32(4)), Tables.tcpStateBits)
            socketID(p, 8, ctx, out)
        }
    }

    /// TCPDIAG_GETSOCK/DCCPDIAG_GETSOCK's older struct inet_diag_req.
    static func inetRequestCompat(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        NetlinkRoute.familyStruct(p, size: 60, familyField: "idiag_family", ctx, out, attributes: requestAttributes) { r in
            out.field("idiag_src_len"); out.unsigned(UInt64(p[p.startIndex + 1]))
            out.field("idiag_dst_len"); out.unsigned(UInt64(p[p.startIndex + 2]))
            out.field("idiag_ext"); out.flags(UInt64(p[p.startIndex + 3]), Tables.inetDiagExtensions)
            socketID(p, 4, ctx, out)
            out.field("idiag_states"); out.flags(UInt64(r.u32(52)), Tables.tcpStateBits)
            out.field("idiag_dbs"); out.unsigned(UInt64(r.u32(56)))
        }
    }

    static let ipProtocol = AttributeValue.custom { b, _, out in
        guard b.count <= 8 else { return false }
        out.enumeration(Netlink.littleEndian(b), Tables.ipProtocols)
        return true
    }

    static let requestAttributes = AttributeTable(Tables.inetDiagRequestAttributes, [3: ipProtocol])

    static func inetMessage(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        NetlinkRoute.familyStruct(p, size: 72, familyField: "idiag_family", ctx, out, attributes: messageAttributes) { r in
            out.field("idiag_state"); out.enumeration(UInt64(p[p.startIndex + 1]), Tables.tcpStates)
            out.field("idiag_timer"); out.unsigned(UInt64(p[p.startIndex + 2]))
            out.field("idiag_retrans"); out.unsigned(UInt64(p[p.startIndex + 3]))
            socketID(p, 4, ctx, out)
            out.field("idiag_expires"); out.unsigned(UInt64(r.u32(52)))
            out.field("idiag_rqueue"); out.unsigned(UInt64(r.u32(56)))
            out.field("idiag_wqueue"); out.unsigned(UInt64(r.u32(60)))
            out.field("idiag_uid"); out.unsigned(UInt64(r.u32(64)))
            out.field("idiag_inode"); out.unsigned(UInt64(r.u32(68)))
        }
    }

    /// SK_MEMINFO arrays: `[[SK_MEMINFO_RMEM_ALLOC]=0, [SK_MEMINFO_RCVBUF]=131072, …]`.
    static let meminfo = Netlink.indexedArray(Tables.socketMeminfoIndices, width: 4, signed: false)

    /// INET_DIAG_SHUTDOWN: the kernel's RCV_SHUTDOWN/SEND_SHUTDOWN are not UAPI, so strace
    /// always shows the number with the names as a comment (`0x3 /* RCV_SHUTDOWN|SEND_SHUTDOWN */`).
    static let shutdown = AttributeValue.custom { b, _, out in
        guard b.count >= 1, b.count <= 8 else { return false }
        let v = UInt64(b[b.startIndex])
        if out.constantStyle == .raw || v == 0 { out.hex(v); return true }
        out.raw(Tables.shutdownFlags.describe(v, style: .verbose))
        return true
    }

    /// INET_DIAG_SOCKOPT: bit fields, the set ones only (all under -v).
    static let socketOptions = AttributeValue.custom { b, ctx, out in
        guard b.count >= 2 else { return false }
        let bits = UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8
        let names = ["recverr", "is_icsk", "freebind", "hdrincl", "mc_loop", "transparent", "mc_all", "nodefrag",
                     "bind_address_no_port", "recverr_rfc4884", "defer_connect"]
        out.beginStruct()
        for (k, name) in names.enumerated() where !ctx.abbreviated || bits & (1 << k) != 0 {
            out.field(name); out.unsigned(UInt64(bits >> k & 1))
        }
        let unused = bits >> 11
        if !ctx.abbreviated || unused != 0 {
            out.field("unused"); out.hex(UInt64(unused)); out.comment("bits 3..8")
        }
        out.endStruct()
        return true
    }

    /// INET_DIAG_LOCALS/PEERS: sockaddr_storage (128 bytes) each.
    static let socketAddresses = AttributeValue.custom { b, ctx, out in
        let count = b.count / 128
        guard count > 0 else { return false }
        Netlink.printArray(count: count, ctx, out) { k in
            NetworkCalls.printSockaddr(b.dropFirst(128 * k).prefix(128), out)
        }
        return true
    }

    static let messageAttributes = AttributeTable(Tables.inetDiagAttributes, [
        1: NetlinkRoute.uintStruct(["idiag_rmem", "idiag_wmem", "idiag_fmem", "idiag_tmem"]),
        3: NetlinkRoute.uintStruct(["tcpv_enabled", "tcpv_rttcnt", "tcpv_rtt", "tcpv_minrtt"]),
        4: .string, 5: .u8, 6: .u8, 7: meminfo, 8: shutdown,
        9: .custom { b, _, out in  // struct tcp_dctcp_info
            guard b.count >= 16 else { return false }
            let r = FieldReader(b)
            out.beginStruct()
            out.field("dctcp_enabled"); out.unsigned(UInt64(r.u16(0)))
            out.field("dctcp_ce_state"); out.unsigned(UInt64(r.u16(2)))
            out.field("dctcp_alpha"); out.unsigned(UInt64(r.u32(4)))
            out.field("dctcp_ab_ecn"); out.unsigned(UInt64(r.u32(8)))
            out.field("dctcp_ab_tot"); out.unsigned(UInt64(r.u32(12)))
            out.endStruct()
            return true
        },
        10: ipProtocol, 11: .u8, 12: socketAddresses, 13: socketAddresses, 15: .u32, 17: .u32, 21: .u64,
        22: socketOptions,
    ])

    // MARK: unix_diag

    static func unixRequest(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        out.beginStruct()
        out.field("sdiag_family"); out.enumeration(UInt64(ctx.family), Tables.addressFamilies)
        if p.count >= 24 {
            let r = FieldReader(p)
            out.field("sdiag_protocol"); out.unsigned(UInt64(p[p.startIndex + 1]))
            out.field("udiag_states"); out.flags(UInt64(r.u32(4)), Tables.tcpStateBits)
            out.field("udiag_ino"); out.unsigned(UInt64(r.u32(8)))
            out.field("udiag_show"); out.flags(UInt64(r.u32(12)), Tables.unixDiagShow)
            cookie("udiag_cookie", r, 16, out)
        } else {
            out.ellipsis()
        }
        out.endStruct()
    }

    static func unixMessage(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        NetlinkRoute.familyStruct(p, size: 16, familyField: "udiag_family", ctx, out, attributes: unixAttributes) { r in
            out.field("udiag_type"); out.enumeration(UInt64(p[p.startIndex + 1]), Tables.socketTypeValues)
            out.field("udiag_state"); out.enumeration(UInt64(p[p.startIndex + 2]), Tables.tcpStates)
            out.field("udiag_ino"); out.unsigned(UInt64(r.u32(4)))
            cookie("udiag_cookie", r, 8, out)
        }
    }

    static let unixAttributes = AttributeTable(Tables.unixDiagAttributes, [
        0: .string,  // UNIX_DIAG_NAME
        1: .custom { b, _, out in  // struct unix_diag_vfs: the device, the inode
            guard b.count >= 8 else { return false }
            let r = FieldReader(b)
            // The kernel's s_dev, which strace splits with glibc's major()/minor() as if it were
            // a user-space dev_t.
            let dev = UInt64(r.u32(0))
            let major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & ~0xff)
            out.beginStruct()
            out.field("udiag_vfs_dev")
            out.raw("makedev(0x\(String(major, radix: 16)), 0x\(String(minor, radix: 16)))")
            out.field("udiag_vfs_ino"); out.unsigned(UInt64(r.u32(4)))
            out.endStruct()
            return true
        },
        2: .u32,  // UNIX_DIAG_PEER
        3: .custom { b, ctx, out in  // UNIX_DIAG_ICONS: inodes of pending connections
            let count = b.count / 4
            guard count > 0 else { return false }
            let r = FieldReader(b)
            Netlink.printArray(count: count, ctx, out) { k in out.unsigned(UInt64(r.u32(4 * k))) }
            return true
        },
        4: NetlinkRoute.uintStruct(["udiag_rqueue", "udiag_wqueue"]),
        5: meminfo, 6: .u8, 7: .u32,
    ])

    // MARK: netlink_diag and packet_diag

    /// A request's header: family, protocol, inode, what to show, cookie (20 bytes, both kinds).
    static func diagRequest(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink, prefix: String,
                            show: FlagTable, proto: (UInt8) -> Void) {
        out.beginStruct()
        out.field("sdiag_family"); out.enumeration(UInt64(ctx.family), Tables.addressFamilies)
        if p.count >= 20 {
            let r = FieldReader(p)
            out.field("sdiag_protocol"); proto(p[p.startIndex + 1])
            out.field(prefix + "_ino"); out.unsigned(UInt64(r.u32(4)))
            out.field(prefix + "_show"); out.flags(UInt64(r.u32(8)), show)
            cookie(prefix + "_cookie", r, 12, out)
        } else {
            out.ellipsis()
        }
        out.endStruct()
    }

    static func netlinkRequest(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        diagRequest(p, ctx, out, prefix: "ndiag", show: Tables.netlinkDiagShow) { proto in
            if proto == 255 { return out.constant("NDIAG_PROTO_ALL", hex: 255) }
            out.enumeration(UInt64(proto), Tables.netlinkProtocols)
        }
    }

    static func packetRequest(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        diagRequest(p, ctx, out, prefix: "pdiag", show: Tables.packetDiagShow) { out.hex(UInt64($0)) }
    }

    static func netlinkMessage(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        NetlinkRoute.familyStruct(p, size: 28, familyField: "ndiag_family", ctx, out, attributes: netlinkAttributes) { r in
            out.field("ndiag_type"); out.enumeration(UInt64(p[p.startIndex + 1]), Tables.socketTypeValues)
            out.field("ndiag_protocol"); out.enumeration(UInt64(p[p.startIndex + 2]), Tables.netlinkProtocols)
            out.field("ndiag_state"); out.enumeration(UInt64(p[p.startIndex + 3]), Tables.netlinkStates)
            out.field("ndiag_portid"); out.unsigned(UInt64(r.u32(4)))
            out.field("ndiag_dst_portid"); out.unsigned(UInt64(r.u32(8)))
            out.field("ndiag_dst_group"); out.unsigned(UInt64(r.u32(12)))
            out.field("ndiag_ino"); out.unsigned(UInt64(r.u32(16)))
            cookie("ndiag_cookie", r, 20, out)
        }
    }

    /// `%#0*llx` of a word: `0x0000000000000001`, and zero as `0000000000000000`, as strace prints
    /// NETLINK_DIAG_GROUPS' bitmaps.
    static func paddedHex(_ v: UInt64) -> String {
        if v == 0 { return String(repeating: "0", count: 16) }
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 14 - digits.count)) + digits
    }

    static let netlinkAttributes = AttributeTable(Tables.netlinkDiagAttributes, [
        0: meminfo,
        1: .custom { b, ctx, out in  // NETLINK_DIAG_GROUPS: a bitmap of unsigned longs
            let count = b.count / 8
            guard count > 0 else { return false }
            let r = FieldReader(b)
            Netlink.printArray(count: count, ctx, out) { k in out.raw(paddedHex(r.u64(8 * k))) }
            return true
        },
        2: NetlinkRoute.uintStruct(["ndr_block_size", "ndr_block_nr", "ndr_frame_size", "ndr_frame_nr"]),
        3: NetlinkRoute.uintStruct(["ndr_block_size", "ndr_block_nr", "ndr_frame_size", "ndr_frame_nr"]),
        4: .flags(Tables.netlinkSocketFlags, size: 4),
    ])

    static func packetMessage(_ p: ArraySlice<UInt8>, _ ctx: Netlink.Context, _ out: ArgumentSink) {
        NetlinkRoute.familyStruct(p, size: 16, familyField: "pdiag_family", ctx, out, attributes: packetAttributes) { r in
            out.field("pdiag_type"); out.enumeration(UInt64(p[p.startIndex + 1]), Tables.socketTypeValues)
            out.field("pdiag_num"); out.enumeration(UInt64(r.u16(2)), Tables.ethernetProtocols)
            out.field("pdiag_ino"); out.unsigned(UInt64(r.u32(4)))
            cookie("pdiag_cookie", r, 8, out)
        }
    }

    static let packetRing = NetlinkRoute.uintStruct(["pdr_block_size", "pdr_block_nr", "pdr_frame_size", "pdr_frame_nr",
                                                     "pdr_retire_tmo", "pdr_sizeof_priv", "pdr_features"])

    static let packetAttributes = AttributeTable(Tables.packetDiagAttributes, [
        0: .custom { b, _, out in  // struct packet_diag_info
            guard b.count >= 24 else { return false }
            let r = FieldReader(b)
            out.beginStruct()
            out.field("pdi_index"); Netlink.printInterfaceIndex(r.u32(0), out)
            out.field("pdi_version"); out.enumeration(UInt64(r.u32(4)), Tables.packetVersions)
            out.field("pdi_reserve"); out.unsigned(UInt64(r.u32(8)))
            out.field("pdi_copy_thresh"); out.unsigned(UInt64(r.u32(12)))
            out.field("pdi_tstamp"); out.unsigned(UInt64(r.u32(16)))
            out.field("pdi_flags"); out.flags(UInt64(r.u32(20)), Tables.packetDiagInfoFlags)
            out.endStruct()
            return true
        },
        1: .custom { b, ctx, out in  // struct packet_diag_mclist (44 bytes each)
            let count = b.count / 44
            guard count > 0 else { return false }
            Netlink.printArray(count: count, ctx, out) { k in
                let e = b.dropFirst(44 * k).prefix(44)
                let r = FieldReader(e)
                let alen = min(Int(r.u16(10)), 32)
                out.beginStruct()
                out.field("pdmc_index"); Netlink.printInterfaceIndex(r.u32(0), out)
                out.field("pdmc_count"); out.unsigned(UInt64(r.u32(4)))
                out.field("pdmc_type"); out.unsigned(UInt64(r.u16(8)))
                out.field("pdmc_alen"); out.unsigned(UInt64(r.u16(10)))
                out.field("pdmc_addr"); out.string(e.dropFirst(12).prefix(alen), truncated: false, hexOnly: true)
                out.endStruct()
            }
            return true
        },
        2: packetRing, 3: packetRing, 4: .u32,
        5: .id,  // PACKET_DIAG_UID
        6: meminfo,
    ])
}
