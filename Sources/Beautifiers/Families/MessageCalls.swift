import CgtraceABI
import Decoder

/// Vectored and message I/O: readv/writev (and the p- and 2 variants), sendmsg/recvmsg. The
/// kernel copies each iovec element (CaptureKind.iovec: iov_base, iov_len, then the first -s
/// bytes of data), the msghdr itself (.messageHeader), its name and its ancillary data.
enum MessageCalls {
    struct Element {
        var base: UInt64
        var length: UInt64
        var data: ArraySlice<UInt8>
        var faulted: Bool
    }

    /// The iovec elements captured for argument `arg`, in order.
    static func elements(_ captures: [Capture]?, arg: Int) -> [Element] {
        guard let captures else { return [] }
        return captures.filter { $0.arg == arg && $0.kind == .iovec && $0.bytes.count >= 16 }
            .sorted { $0.index < $1.index }
            .map { c in
                let r = FieldReader(c.bytes)
                return Element(base: r.u64(0), length: r.u64(8), data: c.bytes.dropFirst(16), faulted: c.faulted)
            }
    }

    /// `[{iov_base="hello", iov_len=5}, …]`. With `moved` (bytes the call transferred; nil:
    /// each element's full length, as for writev) the data shown is what the call moved, element
    /// by element; without data (a failed call) the bases print as addresses. `count` is how many
    /// elements the array has: more than were captured ends in `...`.
    static func printIovecs(_ elements: [Element], count: Int, moved: Int64?, withData: Bool, limit: Int,
                            netlink: NetlinkData? = nil, _ out: ArgumentSink) {
        var remaining = moved ?? Int64.max
        out.beginArray()
        for e in elements {
            out.element()
            out.beginStruct()
            out.field("iov_base")
            let length = Int64(clamping: e.length)
            let transferred = max(0, min(length, remaining))
            remaining -= transferred
            if withData && !e.faulted && e.base != 0, let netlink {
                netlink.print(e.data, length: Int(clamping: transferred), out)
            } else if withData && !e.faulted && e.base != 0 {  // a NULL base is NULL, whatever its length
                let shown = min(Int(clamping: transferred), limit, e.data.count)
                out.string(e.data.prefix(shown), truncated: transferred > Int64(shown), hexOnly: false)
            } else {
                out.pointer(e.base)
            }
            out.field("iov_len")
            out.unsigned(e.length)
            out.endStruct()
        }
        if count > elements.count { out.ellipsis() }
        out.endArray()
    }

    /// writev's array: every element's data, at entry.
    static func iovIn(countArg: Int) -> CustomArg {
        CustomArg(capture: ArgSpec(.iovecIn, lengthArg: countArg)) { call, i, out in
            guard call.arg(i) != 0 else { return out.pointer(0) }
            let elements = Self.elements(call.enter?.captures, arg: i)
            let count = Int(call.int32(countArg))
            guard !elements.isEmpty || count <= 0 else { return out.pointer(call.arg(i)) }
            printIovecs(elements, count: count, moved: nil, withData: true, limit: call.stringLimit, out)
        }
    }

    /// readv's array: the data read, spread over the elements; addresses if the call failed.
    static func iovOut(countArg: Int) -> CustomArg {
        CustomArg(capture: ArgSpec(.iovecOutReturned, lengthArg: countArg),
                  atExit: true) { call, i, out in
            guard call.arg(i) != 0 else { return out.pointer(0) }
            let count = Int(call.int32(countArg))
            if call.succeeded, let ret = call.ret {
                let elements = Self.elements(call.exit?.captures, arg: i)
                guard !elements.isEmpty || count <= 0 else { return out.pointer(call.arg(i)) }
                printIovecs(elements, count: count, moved: ret, withData: true, limit: call.stringLimit, out)
            } else {
                let elements = Self.elements(call.enter?.captures, arg: i)
                guard !elements.isEmpty || count <= 0 else { return out.pointer(call.arg(i)) }
                printIovecs(elements, count: count, moved: 0, withData: false, limit: call.stringLimit, out)
            }
        }
    }

    // MARK: msghdr

    /// struct msghdr (x86_64).
    struct Header {
        var name: UInt64, nameLength: UInt32, iov: UInt64, iovLength: UInt64
        var control: UInt64, controlLength: UInt64, flags: UInt32

        init?(_ c: Capture?) {
            guard let c, !c.faulted, c.bytes.count >= 56 else { return nil }
            let r = FieldReader(c.bytes)
            name = r.u64(0); nameLength = r.u32(8); iov = r.u64(16); iovLength = r.u64(24)
            control = r.u64(32); controlLength = r.u64(40); flags = r.u32(48)
        }
    }

    static func capture(_ captures: [Capture]?, arg: Int, kind: CaptureKind) -> Capture? {
        captures?.first { $0.arg == arg && $0.kind == kind }
    }

    /// `{msg_name=…, msg_namelen=16, msg_iov=[…], msg_iovlen=1, msg_controllen=0, msg_flags=0}`,
    /// from the captures of one side of the call (`before`: recvmsg's header as passed in).
    /// `socket`: what the kernel said about the call's socket, if netlink; the data is decoded as
    /// netlink messages when msg_name is an AF_NETLINK address (strace's rule).
    /// `descriptors`: -y's text of the k-th fd its SCM_RIGHTS messages carry.
    static func printHeader(_ captures: [Capture]?, arg: Int, before: Header?, moved: Int64?, limit: Int,
                            socket: NetlinkData? = nil, descriptors: ((Int) -> String?)? = nil,
                            _ out: ArgumentSink) -> Bool {
        guard let m = Header(capture(captures, arg: arg, kind: .messageHeader)) else { return false }
        var netlink: NetlinkData?
        out.beginStruct()
        out.field("msg_name")
        if m.name == 0 {
            out.pointer(0)
        } else if m.nameLength > 0, let name = capture(captures, arg: arg, kind: .messageName), !name.faulted,
                  name.bytes.count >= 2 {
            NetworkCalls.printSockaddr(name.bytes, out)
            if FieldReader(name.bytes).u16(0) == 16 {  // AF_NETLINK
                netlink = socket ?? NetlinkData(proto: nil, limit: limit, abbreviated: true)
            }
        } else {
            out.pointer(m.name)
        }
        out.field("msg_namelen")
        if let before, before.nameLength != m.nameLength {
            out.raw("\(before.nameLength) => \(m.nameLength)")
        } else {
            out.unsigned(UInt64(m.nameLength))
        }
        out.field("msg_iov")
        let elements = Self.elements(captures, arg: arg)
        if m.iov == 0 {
            out.pointer(0)
        } else if elements.isEmpty && m.iovLength > 0 {
            out.pointer(m.iov)
        } else {
            printIovecs(elements, count: Int(clamping: m.iovLength), moved: moved, withData: true, limit: limit,
                        netlink: netlink, out)
        }
        out.field("msg_iovlen")
        out.unsigned(m.iovLength)
        if m.controlLength > 0 {
            out.field("msg_control")
            if let control = capture(captures, arg: arg, kind: .messageControl), !control.faulted {
                printControl(control.bytes, length: Int(clamping: m.controlLength), descriptors: descriptors, out)
            } else {
                out.pointer(m.control)
            }
        }
        out.field("msg_controllen")
        out.unsigned(m.controlLength)
        out.field("msg_flags")
        out.flags(UInt64(m.flags), Tables.msgFlags)
        out.endStruct()
        return true
    }

    /// Ancillary data: `[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]`;
    /// with -y `cmsg_data=[5</dev/null>]`, the k-th fd of all the SCM_RIGHTS messages decorated by
    /// `descriptors(k)` (the kernel resolves them in the same order).
    static func printControl(_ bytes: ArraySlice<UInt8>, length: Int, descriptors: ((Int) -> String?)? = nil,
                             _ out: ArgumentSink) {
        let r = FieldReader(bytes)
        var offset = 0, passed = 0
        out.beginArray()
        while offset + 16 <= bytes.count {
            // (any value a process wrote: only up to what was copied is used as a length)
            let rawLength = r.u64(offset)
            let cmsgLength = Int(min(rawLength, UInt64(bytes.count - offset)))
            let level = r.i32(offset + 8), type = r.i32(offset + 12)
            out.element()
            out.beginStruct()
            out.field("cmsg_len"); out.unsigned(rawLength)
            out.field("cmsg_level"); out.enumeration(UInt64(UInt32(bitPattern: level)), Tables.socketLevels)
            out.field("cmsg_type")
            let data = bytes.dropFirst(offset + 16).prefix(max(0, cmsgLength - 16))
            if level == 1 && type == 1 {  // SCM_RIGHTS
                out.constant("SCM_RIGHTS", hex: 1)
                out.field("cmsg_data")
                let d = FieldReader(data)
                out.beginArray()
                for k in 0..<(data.count / 4) {
                    out.element()
                    let target = passed < CaptureSlot.resolvedMessageFDs ? descriptors?(passed) : nil
                    out.descriptor(Int64(d.i32(4 * k)), target: target)
                    passed += 1
                }
                out.endArray()
            } else if level == 1 && type == 2 && data.count >= 12 {  // SCM_CREDENTIALS
                out.constant("SCM_CREDENTIALS", hex: 2)
                out.field("cmsg_data")
                let d = FieldReader(data)
                out.beginStruct()
                out.field("pid"); out.signed(Int64(d.i32(0)))
                out.field("uid"); out.unsigned(UInt64(d.u32(4)))
                out.field("gid"); out.unsigned(UInt64(d.u32(8)))
                out.endStruct()
            } else {
                out.signed(Int64(type))
            }
            out.endStruct()
            // the next header: none past the copy, nor after a length below a header's
            guard cmsgLength >= 16, rawLength <= UInt64(bytes.count - offset) else { break }
            offset += (cmsgLength + 7) & ~7
        }
        if length > bytes.count { out.ellipsis() }
        out.endArray()
    }

    /// -y: the text of the k-th fd that the SCM_RIGHTS messages in `captures` (one side of the
    /// call: sendmsg's entry, recvmsg's exit) carry.
    static func passedFDs(_ call: CallView, _ captures: [Capture]?) -> (Int) -> String? {
        { CallView.fdTarget(CaptureSlot.messageFD($0), captures: captures, shown: call.fdDetails, sockets: call.sockets) }
    }

    /// sendmsg's header, at entry.
    static let msghdrIn = CustomArg(capture: ArgSpec(.messageIn)) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        let captures = call.enter?.captures
        if !printHeader(captures, arg: i, before: nil, moved: nil, limit: call.stringLimit, socket: NetlinkData(call),
                        descriptors: passedFDs(call, captures), out) {
            out.pointer(call.arg(i))
        }
    }

    /// recvmsg's header, at exit: what was received, `msg_namelen=IN => OUT` when it changed.
    static let msghdrOut = CustomArg(capture: ArgSpec(.messageOutReturned),
                                     atExit: true) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard call.succeeded, let ret = call.ret else { return out.pointer(call.arg(i)) }
        let before = Header(capture(call.enter?.captures, arg: i, kind: .messageHeader))
        let captures = call.exit?.captures
        if !printHeader(captures, arg: i, before: before, moved: ret, limit: call.stringLimit, socket: NetlinkData(call),
                        descriptors: passedFDs(call, captures), out) {
            out.pointer(call.arg(i))
        }
    }

    // MARK: sendmmsg/recvmmsg — arrays of {msg_hdr, msg_len}

    /// `[{msg_hdr={…}, msg_len=33}, …]`: the messages the call handled (its result), each from
    /// the captures of arg CGT_ARG_ELEMENT0 + k; `...` when more were handled than copied.
    static func printMessages(_ call: CallView, count: Int, headers: [Capture]?, before: [Capture]?, received: Bool,
                              _ out: ArgumentSink) {
        let lengths = call.exit?.captures.filter { $0.kind == .messageLength } ?? []
        out.beginArray()
        for k in 0..<min(count, Int(CGT_MMSG_MAX)) {
            let arg = CaptureSlot.element(k)
            let length = lengths.first { $0.arg == arg }?.u32
            out.element()
            out.beginStruct()
            out.field("msg_hdr")
            let previous = Header(capture(before, arg: arg, kind: .messageHeader))
            let moved = received ? length.map { Int64($0) } : nil
            if !printHeader(headers, arg: arg, before: previous, moved: moved, limit: call.stringLimit,
                            socket: NetlinkData(call), out) {
                out.ellipsis()
            }
            if let length { out.field("msg_len"); out.unsigned(UInt64(length)) }
            out.endStruct()
        }
        if count > Int(CGT_MMSG_MAX) { out.ellipsis() }
        out.endArray()
    }

    /// sendmmsg's messages: their headers and data from entry, msg_len from exit.
    static let mmsgIn = CustomArg(capture: ArgSpec(.messagesIn, lengthArg: 2),
                                  atExit: true) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard call.succeeded, let ret = call.ret else { return out.pointer(call.arg(i)) }
        printMessages(call, count: Int(ret), headers: call.enter?.captures, before: nil, received: false, out)
    }

    /// recvmmsg's messages: what arrived, from exit.
    static let mmsgOut = CustomArg(capture: ArgSpec(.messagesOutReturned, lengthArg: 2),
                                   atExit: true) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard call.succeeded, let ret = call.ret else { return out.pointer(call.arg(i)) }
        printMessages(call, count: Int(ret), headers: call.exit?.captures, before: call.enter?.captures, received: true, out)
    }

    /// preadv2/pwritev2's flags, the sixth register (after the two halves of the offset).
    static let rwfFlags = CustomArg { call, _, out in
        out.flags(UInt64(UInt32(truncatingIfNeeded: call.arg(5))), Tables.rwfFlags)
    }

    static let formats: [String: CallFormat] = [
        "writev": CallFormat([.fd, .custom(iovIn(countArg: 2)), .int]),
        "readv": CallFormat([.fd, .custom(iovOut(countArg: 2)), .int]),
        "pwritev": CallFormat([.fd, .custom(iovIn(countArg: 2)), .int, .signed]),
        "preadv": CallFormat([.fd, .custom(iovOut(countArg: 2)), .int, .signed]),
        "pwritev2": CallFormat([.fd, .custom(iovIn(countArg: 2)), .int, .signed, .custom(rwfFlags)]),
        "preadv2": CallFormat([.fd, .custom(iovOut(countArg: 2)), .int, .signed, .custom(rwfFlags)]),
        "sendmsg": CallFormat([.fd, .custom(msghdrIn), .intFlags(Tables.msgFlags)]),
        "recvmsg": CallFormat([.fd, .custom(msghdrOut), .intFlags(Tables.msgFlags)]),
        "sendmmsg": CallFormat([.fd, .custom(mmsgIn), .uint, .intFlags(Tables.msgFlags)]),
        "recvmmsg": CallFormat([.fd, .custom(mmsgOut), .uint, .intFlags(Tables.msgFlags), .structIn(Structs.timespec)]),
    ]
}

extension Tables {
    /// preadv2/pwritev2 flags (linux/fs.h).
    public static let rwfFlags = FlagTable([
        Named(0x1, "RWF_HIPRI"), Named(0x2, "RWF_DSYNC"), Named(0x4, "RWF_SYNC"), Named(0x8, "RWF_NOWAIT"),
        Named(0x10, "RWF_APPEND"), Named(0x20, "RWF_NOAPPEND"),
    ])
}
