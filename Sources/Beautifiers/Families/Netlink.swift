import CgtraceABI
#if canImport(Glibc)
import Glibc
#endif

/// Netlink messages in the data of sendto/recvfrom/sendmsg/recvmsg on AF_NETLINK sockets, as
/// strace 6.1 prints them: an array of `[{nlmsghdr}, payload]`, the payload decoded per protocol
/// (NetlinkRoute, NetlinkSockDiag) as `{family struct}, [attributes]`, the rest as hex bytes.
///
/// Facts from strace 6.1's behaviour: messages and attributes are walked by their length fields
/// (aligned to 4); without -v at most -s of each array print, then `...`; a payload a decoder does
/// not know prints as `"\x.."` bytes cut at -s; NLMSG_DONE's payload is an int.
public enum Netlink {
    /// socket(AF_NETLINK, …, protocol) values with decoders here (linux/netlink.h).
    static let NETLINK_ROUTE = 0, NETLINK_SOCK_DIAG = 4, NETLINK_XFRM = 6, NETLINK_SELINUX = 7
    static let NETLINK_AUDIT = 9, NETLINK_NETFILTER = 12, NETLINK_KOBJECT_UEVENT = 15, NETLINK_GENERIC = 16, NETLINK_CRYPTO = 21
    static let NLMSG_ERROR: UInt16 = 2, NLMSG_DONE: UInt16 = 3, NLMSG_MIN_TYPE: UInt16 = 16
    static let NLM_F_REQUEST: UInt16 = 0x1, NLM_F_CAPPED: UInt16 = 0x100
    static let headerSize = 16

    /// What a decoder needs besides the bytes.
    struct Context {
        /// The socket's protocol; nil when the kernel did not say (strace: its lookup failed).
        var proto: Int?
        /// -s: bytes of a hex dump, and (without -v) elements of an array.
        var limit: Int
        /// Without -v: arrays stop after `limit` elements.
        var abbreviated: Bool
        /// The address family of the message being decoded (its family struct's first byte):
        /// how addresses in its attributes print.
        var family: UInt8 = 0
        /// The bytes end where the kernel's copy ended, inside the message: what is whole
        /// prints, then `...`.
        var cut = false
    }

    /// `captured`: the bytes the kernel copied; `length`: how many the call really carried
    /// (more than were copied ends the array in `...`).
    public static func printMessages(_ captured: ArraySlice<UInt8>, length: Int, proto: Int?, limit: Int,
                                     abbreviated: Bool, _ out: ArgumentSink) {
        let ctx = Context(proto: proto, limit: limit, abbreviated: abbreviated)
        let data = captured.prefix(max(0, length))
        if proto == NETLINK_KOBJECT_UEVENT { return printUevent(data, length: length, ctx, out) }
        var offset = 0
        var remaining = max(0, length)
        var isArray = false
        var element = 0
        while true {
            if remaining < headerSize {
                printHex(data.dropFirst(offset).prefix(remaining), length: remaining, ctx, out)
                break
            }
            // strace reads what it decodes from the tracee; a message the kernel did not copy in
            // full is where this copy ends.
            guard data.count - offset >= headerSize else {
                if isArray { out.ellipsis() } else { out.raw("...") }
                break
            }
            if ctx.abbreviated && element == ctx.limit { out.ellipsis(); break }
            let h = Header(data.dropFirst(offset))
            let aligned = (Int(h.length) + 3) & ~3
            var next = false
            if Int(h.length) >= headerSize {
                let nextLength = remaining >= aligned ? remaining - aligned : 0
                next = nextLength > 0
            }
            if !isArray && next { out.beginArray(); isArray = true }
            if isArray { out.element() }
            printWithPayload(h, data.dropFirst(offset), length: remaining, ctx, out)
            guard next else { break }
            offset += aligned
            remaining -= aligned
            element += 1
        }
        if isArray { out.endArray() }
    }

    /// struct nlmsghdr.
    struct Header {
        var length: UInt32, type: UInt16, flags: UInt16, seq: UInt32, pid: Int32
        init(_ b: ArraySlice<UInt8>) {
            let r = FieldReader(b)
            length = r.u32(0); type = r.u16(4); flags = r.u16(6); seq = r.u32(8); pid = r.i32(12)
        }
    }

    /// `{nlmsg_len=…}` alone, or `[{nlmsg_len=…}, payload]` when there is a payload.
    static func printWithPayload(_ h: Header, _ message: ArraySlice<UInt8>, length: Int, _ ctx: Context, _ out: ArgumentSink) {
        let used = min(Int(h.length), length)
        if used > headerSize { out.beginArray(); out.element() }
        printHeader(h, ctx, out)
        if used > headerSize {
            out.element()
            let payload = message.dropFirst(headerSize).prefix(used - headerSize)
            var c = ctx
            c.cut = payload.count < used - headerSize  // the copy ended inside this message
            printPayload(h, payload, c, out)
            out.endArray()
        }
    }

    static func printHeader(_ h: Header, _ ctx: Context, _ out: ArgumentSink) {
        out.beginStruct()
        out.field("nlmsg_len"); out.unsigned(UInt64(h.length))
        out.field("nlmsg_type"); printType(h.type, ctx, out)
        out.field("nlmsg_flags"); out.flags(UInt64(h.flags), flagTable(type: h.type, ctx))
        out.field("nlmsg_seq"); out.unsigned(UInt64(h.seq))
        out.field("nlmsg_pid"); out.pid(Int64(h.pid))
        out.endStruct()
    }

    /// Control messages (below NLMSG_MIN_TYPE) by their own names; the others per protocol.
    static func printType(_ type: UInt16, _ ctx: Context, _ out: ArgumentSink) {
        var table = Tables.netlinkMessageTypes
        if type >= NLMSG_MIN_TYPE && ctx.proto == NETLINK_NETFILTER { return NetlinkNetfilter.printType(type, out) }
        if type >= NLMSG_MIN_TYPE, let proto = ctx.proto {
            switch proto {
            case NETLINK_ROUTE: table = Tables.rtnetlinkMessageTypes
            case NETLINK_SOCK_DIAG: table = Tables.sockDiagMessageTypes
            case NETLINK_AUDIT: table = Tables.auditMessageTypes
            case NETLINK_SELINUX: table = Tables.selinuxMessageTypes
            case NETLINK_XFRM: table = Tables.xfrmMessageTypes
            case NETLINK_CRYPTO: table = Tables.cryptoMessageTypes
            case NETLINK_GENERIC: table = GenericNetlinkFamilies.table
            default: break
            }
        }
        out.enumeration(UInt64(type), table)
    }

    static let plainFlags = FlagTable(Tables.netlinkFlagNames, unknown: "NLM_F_???")
    static let getFlags = FlagTable(Tables.netlinkFlagNames + Tables.netlinkGetFlagNames, unknown: "NLM_F_???")
    static let newFlags = FlagTable(Tables.netlinkFlagNames + Tables.netlinkNewFlagNames, unknown: "NLM_F_???")
    static let deleteFlags = FlagTable(Tables.netlinkFlagNames + Tables.netlinkDeleteFlagNames, unknown: "NLM_F_???")
    static let ackFlags = FlagTable(Tables.netlinkFlagNames + Tables.netlinkAckFlagNames, unknown: "NLM_F_???")

    /// The high flag bits mean different things in GET, NEW and DEL requests and in acks.
    static func flagTable(type: UInt16, _ ctx: Context) -> FlagTable {
        if type < NLMSG_MIN_TYPE { return type == NLMSG_ERROR ? ackFlags : plainFlags }
        switch ctx.proto {
        case NETLINK_ROUTE?:
            if type == 49 { return getFlags }  // RTM_DELACTION takes NLM_F_ROOT
            switch type & 3 {
            case 0: return newFlags
            case 1: return deleteFlags
            case 2: return getFlags
            default: return plainFlags
            }
        case NETLINK_SOCK_DIAG?: return getFlags
        case NETLINK_NETFILTER?: return NetlinkNetfilter.flagTable(type: type)
        case NETLINK_XFRM?:
            switch type {
            case 0x10, 0x13, 0x1e, 0x22, 0x24: return newFlags  // NEWSA NEWPOLICY NEWAE NEWSADINFO NEWSPDINFO
            case 0x11, 0x14: return deleteFlags
            case 0x12, 0x15, 0x1f, 0x23, 0x25: return getFlags
            default: return plainFlags
            }
        case NETLINK_CRYPTO?:
            switch type {
            case 0x10: return newFlags
            case 0x11, 0x14: return deleteFlags
            case 0x13: return getFlags
            default: return plainFlags
            }
        default: return plainFlags
        }
    }

    static func printPayload(_ h: Header, _ payload: ArraySlice<UInt8>, _ ctx: Context, _ out: ArgumentSink) {
        if h.type == NLMSG_ERROR { return printError(payload, capped: h.flags & NLM_F_CAPPED != 0, ctx, out) }
        if h.type >= NLMSG_MIN_TYPE || h.type == NLMSG_DONE {
            var c = ctx
            switch ctx.proto {
            case NETLINK_ROUTE? where h.type != NLMSG_DONE && !payload.isEmpty:
                c.family = payload[payload.startIndex]
                return NetlinkRoute.print(h, payload, c, out)
            case NETLINK_SOCK_DIAG? where h.type != NLMSG_DONE && !payload.isEmpty:
                c.family = payload[payload.startIndex]
                return NetlinkSockDiag.print(h, payload, c, out)
            case NETLINK_NETFILTER? where h.type != NLMSG_DONE:
                return NetlinkNetfilter.print(h, payload, c, out)
            default: break
            }
        }
        if h.type == NLMSG_DONE && payload.count == 4 { return out.signed(Int64(FieldReader(payload).i32(0))) }
        printHex(payload, length: payload.count, ctx, out)
    }

    /// NLMSG_ERROR: `{error=-EPERM, msg={…the request…}}`, the request's header only when the
    /// kernel capped it (NLM_F_CAPPED), then extended-ack attributes if any.
    static func printError(_ payload: ArraySlice<UInt8>, capped: Bool, _ ctx: Context, _ out: ArgumentSink) {
        guard payload.count >= 4 + headerSize else { return printHex(payload, length: payload.count, ctx, out) }
        let error = FieldReader(payload).i32(0)
        let message = payload.dropFirst(4)
        let h = Header(message)
        let messageLength = max(headerSize, Int(h.length))
        let shown = min(message.count, capped ? headerSize : messageLength)
        let extra = message.count > shown
        if extra { out.beginArray(); out.element() }
        out.beginStruct()
        out.field("error")
        if error < 0, let name = Tables.errnoNames.name(for: UInt64(-Int64(error))) {
            switch out.constantStyle {
            case .abbrev: out.raw("-" + name)
            case .raw: out.signed(Int64(error))
            case .verbose: out.signed(Int64(error)); out.comment("-" + name)
            }
        } else {
            out.signed(Int64(error))
        }
        out.field("msg")
        printWithPayload(h, message, length: shown, ctx, out)
        out.endStruct()
        if extra {
            out.element()
            printAttributes(message.dropFirst(shown), errorAttributes, ctx, out)
            out.endArray()
        }
    }

    static let errorAttributes = AttributeTable(Tables.nlmsgerrAttributes, [
        1: .string,  // NLMSGERR_ATTR_MSG
        2: .u32,     // NLMSGERR_ATTR_OFFS
        3: .custom { b, ctx, out in  // NLMSGERR_ATTR_COOKIE: its bytes as numbers
            printArray(count: b.count, ctx, out) { k in out.unsigned(UInt64(b[b.startIndex + k])) }
            return true
        },
    ])

    /// A payload whose family struct has no decoder: `{family=AF_…, data="\x…"}`, as strace prints it.
    static func printFamilyAndData(_ payload: ArraySlice<UInt8>, _ ctx: Context, _ out: ArgumentSink) {
        out.beginStruct()
        out.field("family"); out.enumeration(UInt64(ctx.family), Tables.addressFamilies)
        if payload.count > 1 {
            out.field("data")
            printHex(payload.dropFirst(), length: payload.count - 1, ctx, out)
        }
        out.endStruct()
    }

    /// Bytes as strace's QUOTE_FORCE_HEX string: `"\x01\x02"`, cut at -s (or where the copy ended).
    static func printHex(_ bytes: ArraySlice<UInt8>, length: Int, _ ctx: Context, _ out: ArgumentSink) {
        let shown = min(length, ctx.limit, bytes.count)
        out.string(bytes.prefix(shown), truncated: length > shown || ctx.cut, hexOnly: true)
    }

    /// `[e0, e1, …]`, at most -s elements without -v.
    static func printArray(count: Int, _ ctx: Context, _ out: ArgumentSink, _ element: (Int) -> Void) {
        out.beginArray()
        for k in 0..<count {
            if ctx.abbreviated && k == ctx.limit { out.ellipsis(); break }
            out.element()
            element(k)
        }
        out.endArray()
    }

    // MARK: NETLINK_KOBJECT_UEVENT

    /// udev's messages start with a header (`libudev\0`, a magic, offsets, filter hashes); the
    /// kernel's own are plain text. Both print as strace prints them.
    static func printUevent(_ data: ArraySlice<UInt8>, length: Int, _ ctx: Context, _ out: ArgumentSink) {
        let headerLength = 40
        let prefix = Array("libudev".utf8) + [0]
        guard length >= headerLength, data.count >= headerLength, Array(data.prefix(8)) == prefix else {
            let shown = min(length, ctx.limit, data.count)
            return out.string(data.prefix(shown), truncated: length > shown, hexOnly: false)
        }
        let r = FieldReader(data)
        if length > headerLength { out.beginArray(); out.element() }
        out.beginStruct()
        out.field("prefix"); out.string(data.prefix(7), truncated: false, hexOnly: false)
        func network(_ name: String, _ offset: Int) {
            out.field(name); out.raw("htonl(0x" + String(r.u32(offset).byteSwapped, radix: 16) + ")")
        }
        network("magic", 8)
        out.field("header_size"); out.unsigned(UInt64(r.u32(12)))
        out.field("properties_off"); out.unsigned(UInt64(r.u32(16)))
        out.field("properties_len"); out.unsigned(UInt64(r.u32(20)))
        network("filter_subsystem_hash", 24)
        network("filter_devtype_hash", 28)
        network("filter_tag_bloom_hi", 32)
        network("filter_tag_bloom_lo", 36)
        out.endStruct()
        if length > headerLength {
            out.element()
            let rest = data.dropFirst(headerLength)
            let shown = min(length - headerLength, ctx.limit, rest.count)
            out.string(rest.prefix(shown), truncated: length - headerLength > shown, hexOnly: false)
            out.endArray()
        }
    }
}

// MARK: Attributes

/// How one attribute's payload prints; `custom` returns false to fall back to hex bytes, as
/// strace's decoders do when the payload is too short.
indirect enum AttributeValue: Sendable {
    case u8, u16, u32, u64, s32, x32
    /// A uid or gid (32 bits), as strace prints one: (uid_t)-1 as `-1`.
    case id
    /// `htons(N)`: a 16-bit number in network order.
    case be16
    /// Text, its terminating NUL not shown (`"lo"`); without one, `"…"...`.
    case string
    /// A value of `size` bytes (at most 8) named from a table.
    case enumeration(EnumTable, size: Int)
    case flags(FlagTable, size: Int)
    /// An interface index: `if_nametoindex("eth0")` when this machine knows it.
    case ifindex
    /// An address in the message's family: `inet_addr("…")`, `inet_pton(AF_INET6, "…")`.
    case address
    case in6Address
    /// A link-layer address `02:fc:00:00:00:01`; `familySized`: its length capped as strace
    /// caps it by the message's family read as an ARPHRD_ type.
    case hardwareAddress(familySized: Bool)
    case nested(AttributeTable)
    case custom(@Sendable (ArraySlice<UInt8>, Netlink.Context, ArgumentSink) -> Bool)
}

/// One attribute namespace: names for the types, and how the payloads print.
struct AttributeTable: Sendable {
    let names: EnumTable
    let values: [UInt16: AttributeValue]
    init(_ names: EnumTable, _ values: [UInt16: AttributeValue]) {
        self.names = names
        self.values = values
    }
}

extension Netlink {
    static let NLA_F_NESTED: UInt16 = 0x8000, NLA_F_NET_BYTEORDER: UInt16 = 0x4000

    /// `[[{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr("127.0.0.1")], …]`; a single attribute
    /// prints without the outer brackets.
    static func printAttributes(_ bytes: ArraySlice<UInt8>, _ table: AttributeTable, _ ctx: Context, _ out: ArgumentSink) {
        var offset = 0
        var isArray = false
        var element = 0
        let length = bytes.count
        while true {
            let remaining = length - offset
            if ctx.cut && (remaining < 4 || Int(FieldReader(bytes.dropFirst(offset)).u16(0)) > remaining) {
                // the kernel's copy ends inside this attribute
                if isArray { out.ellipsis() } else { out.raw("...") }
                break
            }
            if remaining < 4 {
                printHex(bytes.dropFirst(offset), length: remaining, ctx, out)
                break
            }
            if ctx.abbreviated && element == ctx.limit { out.ellipsis(); break }
            let r = FieldReader(bytes.dropFirst(offset))
            let nlaLength = Int(r.u16(0)), type = r.u16(2)
            let aligned = (nlaLength + 3) & ~3
            // a copy that ended right after this attribute still has more to mark (`...`)
            let next = nlaLength >= 4 && (remaining > aligned || ctx.cut)
            if !isArray && next { out.beginArray(); isArray = true }
            if isArray { out.element() }
            let used = min(nlaLength, remaining)
            if used > 4 { out.beginArray(); out.element() }
            out.beginStruct()
            out.field("nla_len"); out.unsigned(UInt64(nlaLength))
            out.field("nla_type")
            if type & NLA_F_NESTED != 0 { out.constant("NLA_F_NESTED", hex: UInt64(NLA_F_NESTED)); out.raw("|") }
            if type & NLA_F_NET_BYTEORDER != 0 { out.constant("NLA_F_NET_BYTEORDER", hex: UInt64(NLA_F_NET_BYTEORDER)); out.raw("|") }
            let bare = type & 0x3fff
            out.enumeration(UInt64(bare), table.names)
            out.endStruct()
            if used > 4 {
                out.element()
                let payload = bytes.dropFirst(offset + 4).prefix(used - 4)
                var whole = ctx
                whole.cut = false  // copied whole: only a later attribute can be cut
                if let format = table.values[bare], printValue(format, payload, whole, out) {
                } else {
                    printHex(payload, length: payload.count, whole, out)
                }
                out.endArray()
            }
            guard next else { break }
            offset += aligned
            element += 1
        }
        if isArray { out.endArray() }
    }

    /// false: the payload does not fit the format (too short or long); the caller prints hex.
    static func printValue(_ format: AttributeValue, _ b: ArraySlice<UInt8>, _ ctx: Context, _ out: ArgumentSink) -> Bool {
        let r = FieldReader(b)
        switch format {
        case .u8: guard b.count >= 1 else { return false }; out.unsigned(UInt64(b[b.startIndex]))
        case .u16: guard b.count >= 2 else { return false }; out.unsigned(UInt64(r.u16(0)))
        case .u32: guard b.count >= 4 else { return false }; out.unsigned(UInt64(r.u32(0)))
        case .u64: guard b.count >= 8 else { return false }; out.unsigned(r.u64(0))
        case .s32: guard b.count >= 4 else { return false }; out.signed(Int64(r.i32(0)))
        case .x32: guard b.count >= 4 else { return false }; out.hex(UInt64(r.u32(0)))
        case .id: guard b.count >= 4 else { return false }; ProcessCalls.printID(r.u32(0), out)
        case .be16:
            guard b.count >= 2 else { return false }
            out.raw("htons(\(r.u16(0).byteSwapped))")
        case .string:
            // strace omits the terminating NUL; without one (or cut at -s) it adds `...`
            let window = b.prefix(ctx.limit)
            if window.last == 0 {
                out.string(window.dropLast(), truncated: false, hexOnly: false)
            } else {
                out.string(window, truncated: !b.isEmpty, hexOnly: false)
            }
        case .enumeration(let table, let size):
            guard b.count <= 8, b.count >= size else { return false }
            out.enumeration(littleEndian(b.prefix(size == 0 ? b.count : size)), table)
        case .flags(let table, let size):
            guard b.count <= 8, b.count >= size else { return false }
            out.flags(littleEndian(b.prefix(size == 0 ? b.count : size)), table)
        case .ifindex:
            guard b.count >= 4 else { return false }
            printInterfaceIndex(r.u32(0), out)
        case .address:
            printAddress(b, family: ctx.family, field: nil, out)
        case .in6Address:
            guard b.count >= 16 else { return false }
            printAddress(b, family: 10, field: nil, out)
        case .hardwareAddress(let familySized):
            guard b.count <= 32 else { return false }
            var size = b.count
            if familySized { size = min(size, Self.hardwareAddressSizes[Int(ctx.family)] ?? 255) }
            printHardwareAddress(b.prefix(size), out)
        case .nested(let table):
            printAttributes(b, table, ctx, out)
        case .custom(let print):
            return print(b, ctx, out)
        }
        return true
    }

    /// An array of numbers whose slots have names: `[[SK_MEMINFO_RMEM_ALLOC]=0, [58 /* X_??? */]=1]`
    /// (strace's print_array_ex with indices).
    static func indexedArray(_ indices: EnumTable, width: Int, signed: Bool) -> AttributeValue {
        .custom { b, ctx, out in
            let count = b.count / width
            guard count > 0 else { return false }
            let r = FieldReader(b)
            printArray(count: count, ctx, out) { k in
                let name = indices.name(for: UInt64(k))
                switch (out.constantStyle, name) {
                case (.abbrev, let name?): out.raw("[\(name)]=")
                case (.raw, _): out.raw("[\(k)]=")
                case (_, let name?): out.raw("[\(k) /* \(name) */]=")
                case (_, nil): out.raw("[\(k) /* \(indices.unknown) */]=")
                }
                if width == 8 {
                    out.unsigned(r.u64(8 * k))
                } else if signed {
                    out.signed(Int64(r.i32(4 * k)))
                } else {
                    out.unsigned(UInt64(r.u32(4 * k)))
                }
            }
            return true
        }
    }

    static func littleEndian(_ b: ArraySlice<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for (k, byte) in b.enumerated() where k < 8 { v |= UInt64(byte) << (8 * UInt64(k)) }
        return v
    }

    /// strace sizes a link-layer address by an ARPHRD_ type; given a message's address family
    /// instead (its IFLA_ADDRESS decoder does), these are the ones under 46 with a size of their
    /// own (the others show every byte).
    static let hardwareAddressSizes: [Int: Int] = [0: 7, 1: 6, 3: 7, 6: 6, 7: 1, 15: 2, 24: 16, 27: 8, 32: 20]

    /// `02:fc:00:00:00:01`; -X raw its bytes, verbose both.
    static func printHardwareAddress(_ b: ArraySlice<UInt8>, _ out: ArgumentSink) {
        let text = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
        switch out.constantStyle {
        case .abbrev: out.raw(text)
        case .raw: out.string(b, truncated: false, hexOnly: true)
        case .verbose: out.string(b, truncated: false, hexOnly: true); out.comment(text)
        }
    }

    /// strace's print_ifindex: `if_nametoindex("lo")` for an interface this machine has, else
    /// the number (both under -X verbose, the number under raw).
    static func printInterfaceIndex(_ index: UInt32, _ out: ArgumentSink) {
        var name: String?
        if index != 0 {
            var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
            if if_indextoname(index, &buffer) != nil {
                let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
                var quoted: [UInt8] = []
                Quoting.appendQuoted(ArraySlice(bytes), to: &quoted)
                name = "if_nametoindex(" + String(decoding: quoted, as: UTF8.self) + ")"
            }
        }
        guard let name else { return out.unsigned(UInt64(index)) }
        switch out.constantStyle {
        case .abbrev: out.raw(name)
        case .raw: out.unsigned(UInt64(index))
        case .verbose: out.unsigned(UInt64(index)); out.comment(name)
        }
    }

    /// An address of `family` as strace's print_inet_addr shows it: `inet_addr("127.0.0.1")`,
    /// `inet_pton(AF_INET6, "::1")` (inside a struct: `field=inet_addr(…)` and
    /// `inet_pton(AF_INET6, "::", &field)`); other families, or too few bytes, as hex.
    static func printAddress(_ b: ArraySlice<UInt8>, family: UInt8, field: String?, _ out: ArgumentSink) {
        let size = family == 2 ? 4 : family == 10 ? 16 : 0
        guard size > 0, b.count >= size else {
            if let field { out.field(field) }
            return out.string(b, truncated: false, hexOnly: true)
        }
        if family == 2 {
            if let field { out.field(field) }
            let text = "inet_addr(\"" + b.prefix(4).map(String.init).joined(separator: ".") + "\")"
            switch out.constantStyle {
            case .abbrev: out.raw(text)
            case .raw: out.string(b, truncated: false, hexOnly: true)
            case .verbose: out.string(b, truncated: false, hexOnly: true); out.comment(text)
            }
            return
        }
        let address = NetworkCalls.ipv6Text(Array(b.prefix(16)))
        switch out.constantStyle {
        case .abbrev:
            if field != nil { out.element() }
            out.raw("inet_pton(AF_INET6, \"\(address)\"" + (field.map { ", &" + $0 } ?? "") + ")")
        case .raw:
            if let field { out.field(field) }
            out.string(b, truncated: false, hexOnly: true)
        case .verbose:
            if let field { out.field(field) }
            out.string(b, truncated: false, hexOnly: true)
            out.comment("inet_pton(AF_INET6, \"\(address)\")")
        }
    }
}

// MARK: NETLINK_GENERIC

/// Generic netlink families get their message type numbers when they register; strace asks the
/// kernel's controller for the list (once) and names types by family (`nlctrl`, `ethtool`). So
/// does this, on the machine that decodes the trace.
enum GenericNetlinkFamilies {
    static let table: EnumTable = EnumTable(query().map { Named(UInt64($0.id), $0.name) }, unknown: "GENERIC_FAMILY_???")

    /// CTRL_CMD_GETFAMILY as a dump; each CTRL_CMD_NEWFAMILY reply carries CTRL_ATTR_FAMILY_ID
    /// (1, a u16) and CTRL_ATTR_FAMILY_NAME (2). Measured: ~0.2 ms, once per process.
    static func query() -> [(id: UInt16, name: String)] {
        #if canImport(Glibc)
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 16)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // nlmsghdr{len 20, type GENL_ID_CTRL 0x10, flags REQUEST|DUMP} + genlmsghdr{cmd 3, version 1}
        var request: [UInt8] = [20, 0, 0, 0, 0x10, 0, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0]
        guard send(fd, &request, request.count, 0) == request.count else { return [] }
        var families: [(UInt16, String)] = []
        var buffer = [UInt8](repeating: 0, count: 32768)
        receiving: while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            var offset = 0
            while offset + 16 <= n {
                let r = FieldReader(buffer[0..<n])
                let length = Int(r.u32(offset)), type = r.u16(offset + 4)
                guard length >= 16, offset + length <= n else { break receiving }
                if type == 3 || type == 2 { break receiving }  // NLMSG_DONE, NLMSG_ERROR
                var id: UInt16?, name: String?
                var a = offset + 20  // past the genlmsghdr
                while a + 4 <= offset + length {
                    let alen = Int(r.u16(a)), atype = r.u16(a + 2) & 0x3fff
                    guard alen >= 4, a + alen <= offset + length else { break }
                    if atype == 1, alen >= 6 { id = r.u16(a + 4) }
                    if atype == 2 { name = String(decoding: buffer[(a + 4)..<(a + alen)].prefix { $0 != 0 }, as: UTF8.self) }
                    a += (alen + 3) & ~3
                }
                if let id, let name { families.append((id, name)) }
                offset += (length + 3) & ~3
            }
        }
        return families
        #else
        return []
        #endif
    }
}

// MARK: which calls carry netlink data

/// A call's data to be decoded as netlink messages, and what is known of its socket.
struct NetlinkData {
    /// The socket's protocol, as strace would know it: only once the socket is bound (strace
    /// looks it up by its port id); nil before, and then only control messages are named.
    var proto: Int?
    var limit: Int
    var abbreviated: Bool

    /// The calls whose socket the kernel checks for AF_NETLINK (CGT_SC_NETLINK): strace decodes
    /// the data of these, and only these, as netlink messages.
    static let socketCalls: Set<String> = ["sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg"]

    init(proto: Int?, limit: Int, abbreviated: Bool) {
        self.proto = proto
        self.limit = limit
        self.abbreviated = abbreviated
    }

    /// From the kernel's CGT_CAP_NETLINK capture of argument 0; nil when the socket is not
    /// netlink (or the trace was recorded without it).
    init?(_ call: CallView) {
        guard let c = call.enter?.captures.first(where: { $0.arg == 0 && $0.kind == .netlink }),
              !c.faulted, c.bytes.count >= 8 else { return nil }
        let r = FieldReader(c.bytes)
        proto = r.u32(4) != 0 ? Int(r.u32(0)) : nil
        limit = call.stringLimit
        abbreviated = !call.verbose
    }

    func print(_ data: ArraySlice<UInt8>, length: Int, _ out: ArgumentSink) {
        Netlink.printMessages(data, length: length, proto: proto, limit: limit, abbreviated: abbreviated, out)
    }

    /// sendto's buffer: netlink messages on a netlink socket, else bytes as a string.
    static let sendBuffer = CustomArg(capture: ArgSpec(.bufferIn, lengthArg: 2)) { call, i, out in
        let length = Int(clamping: call.arg(2))
        if let netlink = NetlinkData(call), call.arg(i) != 0, let c = call.capture(i), !c.faulted {
            return netlink.print(c.bytes, length: length, out)
        }
        ArgumentPrinter.printBuffer(call, i, length: length, out)
    }

    /// recvfrom's buffer, at exit: what arrived (the result, at most the buffer's size).
    static let receiveBuffer = CustomArg(capture: ArgSpec(.bufferOutReturned),
                                         atExit: true) { call, i, out in
        guard call.succeeded, let ret = call.ret else { return out.pointer(call.arg(i)) }
        let length = Int(clamping: min(UInt64(max(ret, 0)), call.arg(2)))
        if let netlink = NetlinkData(call), call.arg(i) != 0, let c = call.capture(i), !c.faulted {
            return netlink.print(c.bytes, length: length, out)
        }
        ArgumentPrinter.printBuffer(call, i, length: Int(ret), out)
    }
}
