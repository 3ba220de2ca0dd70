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
            out.field("sin_port"); out.raw("htons(\(UInt16(r.u16(2)).byteSwapped))")
            let a = b.dropFirst(4).prefix(4).map(String.init)
            out.field("sin_addr"); out.raw("inet_addr(\"\(a.joined(separator: "."))\")")
        case 10:  // AF_INET6
            out.field("sin6_port"); out.raw("htons(\(UInt16(r.u16(2)).byteSwapped))")
            out.field("sin6_flowinfo"); out.raw("htonl(\(r.u32(4).byteSwapped))")
            out.element()
            out.raw("inet_pton(AF_INET6, \"\(ipv6Text(Array(b.dropFirst(8).prefix(16))))\", &sin6_addr)")
            out.field("sin6_scope_id"); out.unsigned(UInt64(r.u32(24)))
        default:
            if b.count > 2 {
                out.field("sa_data")
                out.string(b.dropFirst(2), truncated: false, hexOnly: false)
            }
        }
        out.endStruct()
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
        .custom(CustomArg(capture: cgt_arg_spec(capture: UInt8(CGT_ARG_STRUCT_IN_LEN.rawValue), len_arg: UInt8(lengthArg),
                                                size: UInt16(sockaddrMax))) { call, i, out in
            guard call.arg(i) != 0 else { return out.pointer(0) }
            guard let c = call.capture(i), !c.faulted, c.bytes.count >= 2 else { return out.pointer(call.arg(i)) }
            printSockaddr(c.bytes, out)
        })
    }

    /// An output address with its length behind pointer argument `lengthArg`.
    static func sockaddrOut(lengthArg: Int) -> ArgFormat {
        .custom(CustomArg(capture: cgt_arg_spec(capture: UInt8(CGT_ARG_STRUCT_OUT_LENPTR.rawValue), len_arg: UInt8(lengthArg),
                                                size: UInt16(sockaddrMax)), atExit: true) { call, i, out in
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
        } else {
            out.signed(Int64(call.int32(i)))
        }
    }

    // MARK: Socket options

    /// The largest option value kept (struct linger, timevals, TCP_CONGESTION names, ints).
    static let optionValueMax = 64

    /// The option-name table of a level strace names options for (set and get differ at
    /// SOL_SOCKET 26 and for netfilter's SOL_IP options).
    static func optionNames(level: Int32, get: Bool) -> EnumTable? {
        switch level {
        case 1: return get ? Tables.getsockoptSocketOptions : Tables.setsockoptSocketOptions
        case 0: return get ? Tables.getsockoptIpOptions : Tables.setsockoptIpOptions
        case 6: return Tables.tcpOptions
        case 41: return Tables.ipv6Options
        default: return nil
        }
    }

    /// The option name, from the table of the level in argument 1; a number otherwise.
    static func socketOptionName(get: Bool) -> CustomArg {
        CustomArg { call, i, out in
            let name = call.int32(i)
            if let table = optionNames(level: call.int32(1), get: get) {
                out.enumeration(UInt64(UInt32(bitPattern: name)), table)
            } else {
                out.signed(Int64(name))
            }
        }
    }

    /// An option value of `length` bytes, as strace prints it: struct linger as a struct, an
    /// int as `[N]`, anything else as a string of its bytes.
    static func printOptionValue(_ call: CallView, _ i: Int, length: Int, _ out: ArgumentSink) {
        guard let c = call.capture(i), !c.faulted, length >= 0 else { return out.pointer(call.arg(i)) }
        let bytes = c.bytes.prefix(length)
        let r = FieldReader(bytes)
        if call.int32(1) == 1 && call.int32(2) == 13 && bytes.count == 8 {  // SOL_SOCKET, SO_LINGER
            out.beginStruct()
            out.field("l_onoff"); out.signed(Int64(r.i32(0)))
            out.field("l_linger"); out.signed(Int64(r.i32(4)))
            out.endStruct()
        } else if length == 4 && bytes.count == 4 {
            out.beginArray(); out.element(); out.signed(Int64(r.i32(0))); out.endArray()
        } else {
            let shown = min(length, call.stringLimit, bytes.count)
            out.string(bytes.prefix(shown), truncated: length > shown, hexOnly: false)
        }
    }

    /// setsockopt's value: read at entry, `optlen` (argument 4) bytes.
    static let setOptionValue = CustomArg(capture: cgt_arg_spec(capture: UInt8(CGT_ARG_STRUCT_IN_LEN.rawValue), len_arg: 4,
                                                                size: UInt16(optionValueMax))) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        printOptionValue(call, i, length: Int(call.int32(4)), out)
    }

    /// getsockopt's value: at exit, as many bytes as the kernel wrote back into *optlen.
    static let getOptionValue = CustomArg(capture: cgt_arg_spec(capture: UInt8(CGT_ARG_STRUCT_OUT_LENPTR.rawValue), len_arg: 4,
                                                                size: UInt16(optionValueMax)), atExit: true) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard call.succeeded, let c = call.capture(i) else { return out.pointer(call.arg(i)) }
        printOptionValue(call, i, length: c.bytes.count, out)
    }

    static let formats: [String: CallFormat] = [
        "setsockopt": CallFormat([.fd, .intEnum(Tables.socketLevels), .custom(socketOptionName(get: false)), .custom(setOptionValue), .int]),
        "getsockopt": CallFormat([.fd, .intEnum(Tables.socketLevels), .custom(socketOptionName(get: true)), .custom(getOptionValue),
                                  .custom(Structs.intInOut)]),
        "socket": CallFormat([.intEnum(Tables.addressFamilies), .intFlags(Tables.socketTypes), .custom(socketProtocol)], ret: .fd),
        "socketpair": CallFormat([.intEnum(Tables.addressFamilies), .intFlags(Tables.socketTypes), .custom(socketProtocol),
                                  .structOut(Structs.fdPair)]),
        "connect": CallFormat([.fd, sockaddrIn(lengthArg: 2), .uint]),
        "bind": CallFormat([.fd, sockaddrIn(lengthArg: 2), .uint]),
        "listen": CallFormat([.fd, .int]),
        "accept": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut)], ret: .fd),
        "accept4": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut), .intFlags(Tables.socketTypes)], ret: .fd),
        "getsockname": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut)]),
        "getpeername": CallFormat([.fd, sockaddrOut(lengthArg: 2), .custom(Structs.intInOut)]),
        "sendto": CallFormat([.fd, .inBuffer(length: 2), .unsigned, .intFlags(Tables.msgFlags), sockaddrIn(lengthArg: 5), .uint]),
        "recvfrom": CallFormat([.fd, .outBuffer, .unsigned, .intFlags(Tables.msgFlags), sockaddrOut(lengthArg: 5),
                                .custom(Structs.intInOut)]),
        "shutdown": CallFormat([.fd, .intEnum(Tables.shutdownHow)]),
    ]
}
