import CgtraceABI

/// Waiting for descriptors: poll, ppoll, epoll.
enum PollCalls {
    static func spec(_ kind: cgt_arg_capture, len: Int = 0, size: Int) -> cgt_arg_spec {
        cgt_arg_spec(capture: UInt8(kind.rawValue), len_arg: UInt8(len), size: UInt16(size))
    }

    /// The pollfd array as passed: `[{fd=3, events=POLLIN}, …]` (8 bytes each: fd, events, revents).
    static let pollfds = CustomArg(capture: spec(CGT_ARG_ARRAY_INOUT, len: 1, size: 8)) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i }), !c.faulted else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(c.bytes)
        out.beginArray()
        for k in 0..<(c.bytes.count / 8) {
            out.element()
            out.beginStruct()
            out.field("fd"); out.signed(Int64(r.i32(8 * k)))
            out.field("events"); out.flags(UInt64(r.u16(8 * k + 4)), Tables.pollEvents)
            out.endStruct()
        }
        out.endArray()
    }

    /// poll's result: `2 ([{fd=3, revents=POLLIN}, …])`, `0 (Timeout)`; ppoll adds what is left
    /// of its timeout.
    static func pollResult(leftArg: Int?) -> ReturnFormat {
        .custom { call, value, out in
            out.signed(value)
            if value == 0 { return out.raw(" (Timeout)") }
            guard let c = call.exit?.captures.first(where: { $0.arg == 0 }), !c.faulted else { return }
            let r = FieldReader(c.bytes)
            var parts: [String] = []
            for k in 0..<(c.bytes.count / 8) where r.u16(8 * k + 6) != 0 {
                let revents = Tables.pollEvents.describe(UInt64(r.u16(8 * k + 6)))
                parts.append("{fd=\(r.i32(8 * k)), revents=\(revents)}")
            }
            var text = " ([" + parts.joined(separator: ", ") + "]"
            if let leftArg, call.arg(leftArg) != 0,
               let t = call.exit?.captures.first(where: { $0.arg == leftArg }), t.bytes.count >= 16 {
                let tr = FieldReader(t.bytes)
                text += ", left {tv_sec=\(tr.i64(0)), tv_nsec=\(tr.i64(8))}"
            }
            out.raw(text + ")")
        }
    }

    /// struct epoll_event, packed on x86_64: u32 events, u64 data (12 bytes).
    static func printEpollEvent(_ r: FieldReader, at off: Int, _ out: ArgumentSink) {
        out.beginStruct()
        out.field("events"); out.flags(UInt64(r.u32(off)), Tables.epollEvents)
        let data = r.u64(off + 4)
        out.field("data"); out.raw("{u32=\(UInt32(truncatingIfNeeded: data)), u64=\(data)}")
        out.endStruct()
    }

    static let epollEvent = StructFormat("epoll_event", size: 12) { b, out, _ in
        printEpollEvent(FieldReader(b), at: 0, out)
    }

    /// The events epoll_wait returned: `[{events=EPOLLIN, data={u32=3, u64=3}}]`.
    static let readyEvents = CustomArg(capture: spec(CGT_ARG_ARRAY_OUT_RET, size: 12), atExit: true) { call, i, out in
        guard call.succeeded, let c = call.exit?.captures.first(where: { $0.arg == i }), !c.faulted else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(c.bytes)
        out.beginArray()
        for k in 0..<(c.bytes.count / 12) {
            out.element()
            printEpollEvent(r, at: 12 * k, out)
        }
        out.endArray()
    }

    static let timeoutInOut = CustomArg(capture: spec(CGT_ARG_STRUCT_INOUT, size: 16)) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i }), !c.faulted, c.bytes.count >= 16 else {
            return out.pointer(call.arg(i))
        }
        Structs.timespec.print(c.bytes, out, call)
    }

    static let formats: [String: CallFormat] = [
        "poll": CallFormat([.custom(pollfds), .uint, .int], ret: pollResult(leftArg: nil)),
        "ppoll": CallFormat([.custom(pollfds), .uint, .custom(timeoutInOut), .structIn(SignalCalls.sigset), .unsigned],
                            ret: pollResult(leftArg: 2)),
        "epoll_ctl": CallFormat([.fd, .intEnum(Tables.epollCtlOps), .fd, .structIn(epollEvent)]),
        "epoll_wait": CallFormat([.fd, .custom(readyEvents), .int, .int]),
        "epoll_pwait": CallFormat([.fd, .custom(readyEvents), .int, .int, .structIn(SignalCalls.sigset), .unsigned]),
    ]
}
