import CgtraceABI

/// Sockets: creation, addresses, send/receive, options.
enum NetworkCalls {
    static let sockaddrMax = 128  // sizeof(struct sockaddr_storage)

    /// A socket address as strace prints it, per family.
    static func printSockaddr(_ b: ArraySlice<UInt8>, _ out: ArgumentSink) {
        let r = FieldReader(b)
        let family = UInt64(r.u16(0))
        out.beginStruct()
        out.field("sa_family")
        out.enumeration(family, Tables.addressFamilies)
        switch family {
        case 1:  // AF_UNIX
            if b.count > 2 {
                let path = b.dropFirst(2)
                out.field("sun_path")
                if path.first == 0 {  // abstract socket: @name
                    out.raw("@")
                    out.string(path.dropFirst().prefix(while: { $0 != 0 }), truncated: false, hexOnly: false)
                } else {
                    out.string(path.prefix(while: { $0 != 0 }), truncated: false, hexOnly: false)
                }
            }
        case 2:  // AF_INET
            let a = b.dropFirst(4).prefix(4).map(String.init)
            networkField("sin_port", b, 2, 2, "htons(\(UInt16(r.u16(2)).byteSwapped))", out)
            networkField("sin_addr", b, 4, 4, "inet_addr(\"\(a.joined(separator: "."))\")", out)
        case 10:  // AF_INET6
            let address = ipv6Text(Array(b.dropFirst(8).prefix(16)))
            networkField("sin6_port", b, 2, 2, "htons(\(UInt16(r.u16(2)).byteSwapped))", out)
            networkField("sin6_flowinfo", b, 4, 4, "htonl(\(r.u32(4).byteSwapped))", out)
            if out.constantStyle == .abbrev {
                out.element()
                out.raw("inet_pton(AF_INET6, \"\(address)\", &sin6_addr)")
            } else {
                networkField("sin6_addr", b, 8, 16, "inet_pton(AF_INET6, \"\(address)\")", out)
            }
            out.field("sin6_scope_id"); out.unsigned(UInt64(r.u32(24)))
        case 16 where b.count >= 12:  // AF_NETLINK: {nl_pid=0, nl_groups=00000000}, nl_pad only if set
            if r.u16(2) != 0 { out.field("nl_pad"); out.hex(UInt64(r.u16(2))) }
            out.field("nl_pid"); out.signed(Int64(r.i32(4)))
            out.field("nl_groups"); out.raw(Structs.hexPadded(UInt64(r.u32(8)), width: 8))
        default:
            if b.count > 2 {
                out.field("sa_data")
                out.string(b.dropFirst(2), truncated: false, hexOnly: false)
            }
        }
        out.endStruct()
    }

    /// A port or address in network byte order: `htons(80)`; under -X raw its bytes
    /// (`"\x00\x50"`), under verbose both (`"\x00\x50" /* htons(80) */`), as strace 6.1 prints them.
    static func networkField(_ name: String, _ b: ArraySlice<UInt8>, _ offset: Int, _ size: Int, _ text: String,
                             _ out: ArgumentSink) {
        out.field(name)
        if out.constantStyle == .abbrev { return out.raw(text) }
        out.string(b.dropFirst(offset).prefix(size), truncated: false, hexOnly: true)
        if out.constantStyle == .verbose { out.comment(text) }
    }

    /// RFC 5952 text of an IPv6 address (`::1`, `fe80::1`, `::ffff:127.0.0.1`).
    static func ipv6Text(_ a: [UInt8]) -> String {
        guard a.count == 16 else { return "" }
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xff && a[11] == 0xff {
            return "::ffff:" + a[12..<16].map(String.init).joined(separator: ".")
        }
        let words = (0..<8).map { UInt16(a[2 * $0]) << 8 | UInt16(a[2 * $0 + 1]) }
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if words[i] == 0 {
                var j = i
                while j < 8 && words[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(words[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
    }

    /// An input address whose length is argument `lengthArg`.
    static func sockaddrIn(lengthArg: Int) -> ArgFormat {
        .custom(CustomArg(capture: ArgSpec(.structInLength, lengthArg: lengthArg, size: sockaddrMax)) { call, i, out in
            guard call.arg(i) != 0 else { return out.pointer(0) }
            guard let c = call.capture(i), !c.faulted, c.bytes.count >= 2 else { return out.pointer(call.arg(i)) }
            printSockaddr(c.bytes, out)
        })
    }

    /// An output address with its length behind pointer argument `lengthArg`.
    static func sockaddrOut(lengthArg: Int) -> ArgFormat {
        .custom(CustomArg(capture: ArgSpec(.structOutLengthPointer, lengthArg: lengthArg, size: sockaddrMax), atExit: true) { call, i, out in
            guard call.arg(i) != 0 else { return out.pointer(0) }
            guard call.succeeded, let c = call.capture(i), !c.faulted, c.bytes.count >= 2 else { return out.pointer(call.arg(i)) }
            printSockaddr(c.bytes, out)
        })
    }

    /// socket(2)'s protocol: named for IP families, a number otherwise.
    static let socketProtocol = CustomArg { call, i, out in
        let family = call.int32(0)
        if family == 2 || family == 10 {
            out.enumeration(UInt64(UInt32(bitPattern: call.int32(i))), Tables.ipProtocols)
        } else if family == 16 {  // AF_NETLINK
            out.enumeration(UInt64(UInt32(bitPattern: call.int32(i))), Tables.netlinkProtocols)
        } else {
            out.signed(Int64(call.int32(i)))
        }
    }

    // MARK: Socket options

    static let SOL_IP: Int32 = 0, SOL_SOCKET: Int32 = 1, SOL_TCP: Int32 = 6, SOL_UDP: Int32 = 17
    static let SOL_IPV6: Int32 = 41, SOL_RAW: Int32 = 255, SOL_PACKET: Int32 = 263, SOL_NETLINK: Int32 = 270
    static let SO_ERROR: UInt32 = 4, SO_LINGER: UInt32 = 13, SO_PEERCRED: UInt32 = 17, SO_TXREHASH: UInt32 = 74
    static let NETLINK_LIST_MEMBERSHIPS: UInt32 = 9

    /// SOL_SOCKET options whose value is an int (SO_DEBUG … SO_RCVMARK, the ones strace lists).
    static let intSocketOptions: Set<UInt32> = [
        1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35, 36, 37, 40, 41, 42, 43,
        44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75,
    ]
    /// The largest option value copied (TCP_INFO is 232 bytes; -s beyond this shows less).
    static let optionValueMax = 1024

    /// The option name, named per level (`SOL_SOCKET` → `SO_*`, `SOL_TCP` → `TCP_*`…), unknown ones
    /// as `0x270f /* SO_??? */`; at levels without a table, the number.
    static func optionName(get: Bool) -> CustomArg {
        CustomArg { call, i, out in
            let name = UInt64(UInt32(truncatingIfNeeded: call.arg(i)))
            let table: EnumTable
            switch call.int32(1) {
            case SOL_SOCKET: table = get ? Tables.getsockoptSocketOptions : Tables.setsockoptSocketOptions
            case SOL_IP: table = get ? Tables.getsockoptIpOptions : Tables.setsockoptIpOptions
            case SOL_IPV6: table = get ? Tables.getsockoptIpv6Options : Tables.setsockoptIpv6Options
            case SOL_TCP: table = Tables.tcpOptions
            case SOL_UDP: table = Tables.udpOptions
            case SOL_RAW: table = Tables.rawOptions
            case SOL_PACKET: table = Tables.packetOptions
            case SOL_NETLINK: table = Tables.netlinkOptions
            default: return out.unsigned(name)
            }
            out.enumeration(name, table)
        }
    }

    /// The level: `SOL_SOCKET`, or `0x3e7 /* SOL_?? */` (strace prints it as an unsigned int).
    static let optionLevel = CustomArg { call, i, out in
        out.enumeration(UInt64(UInt32(truncatingIfNeeded: call.arg(i))), Tables.socketLevels)
    }

    /// `[1]`: an int behind a pointer.
    static func printIntArray(_ b: ArraySlice<UInt8>, _ out: ArgumentSink) {
        out.beginArray(); out.element(); out.signed(Int64(FieldReader(b).i32(0))); out.endArray()
    }

    /// `length` bytes as a string, cut at -s; `hex`: every byte escaped.
    static func printBytes(_ b: ArraySlice<UInt8>, length: Int, hex: Bool, _ call: CallView, _ out: ArgumentSink) {
        let shown = min(length, call.stringLimit, b.count)
        out.string(b.prefix(shown), truncated: length > shown, hexOnly: hex)
    }

    /// Fields of a struct of ints of which only `length` bytes are valid: a field cut short
    /// prints its bytes in hex, those past the end not at all.
    static func printIntFields(_ b: ArraySlice<UInt8>, length: Int, _ fields: [(String, (Int32) -> String)],
                               _ out: ArgumentSink) {
        let r = FieldReader(b)
        out.beginStruct()
        for (k, (name, text)) in fields.enumerated() where length > 4 * k {
            out.field(name)
            if length >= 4 * k + 4 {
                out.raw(text(r.i32(4 * k)))
            } else {
                out.string(b.dropFirst(4 * k).prefix(length - 4 * k), truncated: false, hexOnly: true)
            }
        }
        out.endStruct()
    }

    static func idText(_ v: Int32) -> String { v == -1 ? "-1" : String(UInt32(bitPattern: v)) }

    /// setsockopt's value, read at entry: `length` is the optlen argument.
    static func printSetOption(_ call: CallView, _ b: ArraySlice<UInt8>, length: Int, _ out: ArgumentSink) {
        let level = call.int32(1), name = UInt32(truncatingIfNeeded: call.arg(2))
        let addr = call.arg(3)
        switch level {
        case SOL_SOCKET where name == SO_LINGER:
            guard length >= 8, b.count >= 8 else { return out.pointer(addr) }
            return printIntFields(b, length: 8, [("l_onoff", { String($0) }), ("l_linger", { String($0) })], out)
        case SOL_SOCKET where name == SO_TXREHASH:
            guard length >= 4, b.count >= 4 else { return out.pointer(addr) }
            out.beginArray(); out.element()
            out.enumeration(UInt64(FieldReader(b).u32(0)), Tables.txrehashValues, unknownAsHex: false)
            return out.endArray()
        case SOL_SOCKET where intSocketOptions.contains(name), SOL_NETLINK:
            guard length >= 4, b.count >= 4 else { return out.pointer(addr) }
            return printIntArray(b, out)
        default:
            if length == 4 {
                guard b.count >= 4 else { return out.pointer(addr) }
                return printIntArray(b, out)
            }
            // A negative length is a huge one to strace: -s bytes and `...`.
            if length == 0 { return out.string([], truncated: false, hexOnly: false) }
            let wanted = length < 0 ? Int.max : length
            guard b.count >= min(wanted, call.stringLimit) else { return out.pointer(addr) }
            printBytes(b, length: wanted, hex: false, call, out)
        }
    }

    /// getsockopt's value, read at exit: `ulen` is what the caller offered, `rlen` what the kernel wrote.
    static func printGetOption(_ call: CallView, _ b: ArraySlice<UInt8>, ulen: Int, rlen: Int, _ out: ArgumentSink) {
        let level = call.int32(1), name = UInt32(truncatingIfNeeded: call.arg(2))
        let addr = call.arg(3)
        switch level {
        case SOL_SOCKET where name == SO_LINGER:
            return printIntFields(b, length: min(rlen, 8), [("l_onoff", { String($0) }), ("l_linger", { String($0) })], out)
        case SOL_SOCKET where name == SO_PEERCRED:
            return printIntFields(b, length: min(rlen, 12), [("pid", { String($0) }), ("uid", idText), ("gid", idText)], out)
        case SOL_SOCKET where name == SO_ERROR:
            if rlen < 4 { return printBytes(b, length: rlen, hex: true, call, out) }
            guard b.count >= 4 else { return out.pointer(addr) }
            let err = FieldReader(b).u32(0)
            out.beginArray(); out.element()
            out.errno(Int64(err))
            return out.endArray()
        case SOL_SOCKET where name == SO_TXREHASH:
            if rlen < 4 { return printBytes(b, length: rlen, hex: true, call, out) }
            guard b.count >= 4 else { return out.pointer(addr) }
            out.beginArray(); out.element()
            out.enumeration(UInt64(FieldReader(b).u32(0)), Tables.txrehashValues, unknownAsHex: false)
            return out.endArray()
        case SOL_SOCKET where intSocketOptions.contains(name):
            if rlen < 4 { return printBytes(b, length: rlen, hex: true, call, out) }
            guard b.count >= 4 else { return out.pointer(addr) }
            return printIntArray(b, out)
        case SOL_NETLINK where name == NETLINK_LIST_MEMBERSHIPS:
            let count = min(ulen, rlen) / 4
            out.beginArray()
            let r = FieldReader(b)
            for k in 0..<min(count, b.count / 4) {
                if k == call.stringLimit { out.ellipsis(); break }
                out.element(); out.unsigned(UInt64(r.u32(4 * k)))
            }
            return out.endArray()
        case SOL_NETLINK:
            guard b.count >= 4 else { return out.pointer(addr) }
            return printIntArray(b, out)
        default:
            if rlen == 4 {
                guard b.count >= 4 else { return out.pointer(addr) }
                return printIntArray(b, out)
            }
            printBytes(b, length: rlen, hex: false, call, out)
        }
    }

    static let setsockoptValue = CustomArg(
        capture: ArgSpec(.structInLength, lengthArg: 4, size: optionValueMax)
    ) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard let c = call.capture(i), !c.faulted else { return out.pointer(call.arg(i)) }
        printSetOption(call, c.bytes, length: Int(call.int32(4)), out)
    }

    /// getsockopt's value: printed at exit, with as many bytes as the kernel says it wrote
    /// (the int behind argument 4, which the kernel side reads back to size the copy).
    static let getsockoptValue = CustomArg(
        capture: ArgSpec(.structOutLengthPointer, lengthArg: 4, size: optionValueMax),
        atExit: true
    ) { call, i, out in
        let addr = call.arg(i)
        // The lengths: offered (read at entry) and written (read at exit), as Structs.intInOut captures them.
        guard let before = call.enter?.captures.first(where: { $0.arg == 4 && !$0.faulted && $0.bytes.count >= 4 }),
              call.succeeded,
              let after = call.exit?.captures.first(where: { $0.arg == 4 && !$0.faulted && $0.bytes.count >= 4 })
        else { return out.pointer(addr) }
        let ulen = Int(FieldReader(before.bytes).i32(0)), rlen = Int(FieldReader(after.bytes).i32(0))
        guard ulen > 0, rlen > 0, addr != 0 else { return out.pointer(addr) }
        guard let c = call.exit?.captures.first(where: { $0.arg == i }), !c.faulted else { return out.pointer(addr) }
        printGetOption(call, c.bytes, ulen: ulen, rlen: rlen, out)
    }

    static let formats: [String: CallFormat] = [
        "setsockopt": CallFormat([.fd, .custom(optionLevel), .custom(optionName(get: false)), .custom(setsockoptValue), .int]),
        "getsockopt": CallFormat([.fd, .custom(optionLevel), .custom(optionName(get: true)), .custom(getsockoptValue),
                                  .custom(Structs.intInOut)]),
        "socket": CallFormat([.intEnum(Tables.addressFamilies), .intFlags(Tables.socketTypes), .custom(socketProtocol)]),
        "socketpair": CallFormat([.intEnum(Tables.addressFamilies), .intFlags(Tables.socketTypes), .custom(socketProtocol),
                                  .structOut(Structs.fdPair)]),
        "connect": CallFormat([.fd, sockaddrIn(lengthArg: 2), .uint]),
        "bind": CallFormat([.fd, sockaddrIn(lengthArg: 2), .uint]),
        "listen": CallFormat([.fd, .int]),
        "accept": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut)]),
        "accept4": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut), .intFlags(Tables.socketTypes)]),
        "getsockname": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut)]),
        "getpeername": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut)]),
        "sendto": CallFormat([.fd, .custom(NetlinkData.sendBuffer), .unsigned, .intFlags(Tables.msgFlags), sockaddrIn(lengthArg: 5), .uint]),
        "recvfrom": CallFormat([.fd, .custom(NetlinkData.receiveBuffer), .unsigned, .intFlags(Tables.msgFlags), sockaddrOut(lengthArg: 5),
                                .custom(Structs.intInOut)]),
        "shutdown": CallFormat([.fd, .intEnum(Tables.shutdownHow)]),
    ]
}
