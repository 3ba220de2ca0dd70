import CgtraceABI
import Decoder

/// Waiting for descriptors: poll, ppoll, epoll.
enum PollCalls {
    /// The pollfd array as passed: `[{fd=3, events=POLLIN}, …]` (8 bytes each: fd, events,
    /// revents); with -y each fd as `3</path>` (its fdRole has the kernel resolve them).
    static let pollfds = CustomArg(capture: ArgSpec(.arrayInOut, lengthArg: 1, size: 8), fdRole: .pollfds) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i }), !c.faulted else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(c.bytes)
        out.beginArray()
        for k in 0..<(c.bytes.count / 8) {
            out.element()
            out.beginStruct()
            out.field("fd")
            let target = k < CaptureSlot.resolvedElements ? call.fdTarget(CaptureSlot.element(k)) : nil
            out.descriptor(Int64(r.i32(8 * k)), target: target)
            if r.i32(8 * k) >= 0 {  // a negative fd is ignored by the kernel, and its events by strace
                out.field("events"); out.flags(UInt64(r.u16(8 * k + 4)), Tables.pollEvents)
            }
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
                let revents = Tables.pollEvents.describe(UInt64(r.u16(8 * k + 6)), style: out.constantStyle)
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
    static let readyEvents = CustomArg(capture: ArgSpec(.arrayOutReturned, size: 12), atExit: true) { call, i, out in
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

    static let timeoutInOut = CustomArg(capture: ArgSpec(.structInOut, size: 16)) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i }), !c.faulted, c.bytes.count >= 16 else {
            return out.pointer(call.arg(i))
        }
        Structs.timespec.print(c.bytes, out, call)
    }

    // MARK: select — fd sets in and out

    /// An fd_set: `[3 4]`, the descriptors below nfds (argument 0) that are set.
    static func fdSetText(_ bytes: ArraySlice<UInt8>, nfds: Int) -> String {
        var fds: [String] = []
        for fd in 0..<max(0, min(nfds, bytes.count * 8)) where bytes[bytes.startIndex + fd / 8] & (1 << (fd % 8)) != 0 {
            fds.append(String(fd))
        }
        return "[" + fds.joined(separator: " ") + "]"
    }

    /// The set as passed. The kernel copies nfds bytes (eight times what nfds bits need: a cheap
    /// bound that stays within any fd_set for nfds ≤ FD_SETSIZE/8).
    static let fdSet = CustomArg(capture: ArgSpec(.arrayInOut, size: 1)) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i }), !c.faulted else {
            return out.pointer(call.arg(i))
        }
        out.raw(fdSetText(c.bytes, nfds: Int(call.int32(0))))
    }

    /// `2 (in [3], out [4], left {tv_sec=0, tv_nsec=…})` or `0 (Timeout)`.
    static func selectResult(timeval: Bool) -> ReturnFormat {
        .custom { call, value, out in
            out.signed(value)
            if value == 0 { return out.raw(" (Timeout)") }
            var parts: [String] = []
            for (arg, label) in [(1, "in"), (2, "out"), (3, "except")] where call.arg(arg) != 0 {
                guard let c = call.exit?.captures.first(where: { $0.arg == arg }), !c.faulted else { continue }
                let set = fdSetText(c.bytes, nfds: Int(call.int32(0)))
                if set != "[]" { parts.append("\(label) \(set)") }
            }
            if call.arg(4) != 0, let t = call.exit?.captures.first(where: { $0.arg == 4 }), t.bytes.count >= 16 {
                let r = FieldReader(t.bytes)
                parts.append("left {tv_sec=\(r.i64(0)), \(timeval ? "tv_usec" : "tv_nsec")=\(r.i64(8))}")
            }
            if !parts.isEmpty { out.raw(" (" + parts.joined(separator: ", ") + ")") }
        }
    }

    static let timevalInOut = CustomArg(capture: ArgSpec(.structInOut, size: 16)) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i }), !c.faulted, c.bytes.count >= 16 else {
            return out.pointer(call.arg(i))
        }
        Structs.timeval.print(c.bytes, out, call)
    }

    static let formats: [String: CallFormat] = [
        "select": CallFormat([.int, .custom(fdSet), .custom(fdSet), .custom(fdSet), .custom(timevalInOut)],
                             ret: selectResult(timeval: true)),
        "pselect6": CallFormat([.int, .custom(fdSet), .custom(fdSet), .custom(fdSet), .custom(timeoutInOut), .pointer],
                               ret: selectResult(timeval: false)),
        "poll": CallFormat([.custom(pollfds), .uint, .int], ret: pollResult(leftArg: nil)),
        "ppoll": CallFormat([.custom(pollfds), .uint, .custom(timeoutInOut), .structIn(SignalCalls.sigset), .unsigned],
                            ret: pollResult(leftArg: 2)),
        // EPOLL_CTL_DEL ignores the event: strace shows its address.
        "epoll_ctl": CallFormat([.fd, .intEnum(Tables.epollCtlOps), .fd,
                                 .custom(CustomArg(capture: ArgFormat.structIn(epollEvent).capture) { call, i, out in
                                     if call.int32(1) == 2 { return out.pointer(call.arg(i)) }
                                     ArgumentPrinter.printValue(.structIn(epollEvent), index: i, call, out)
                                 })]),
        "epoll_wait": CallFormat([.fd, .custom(readyEvents), .int, .int]),
        "epoll_pwait": CallFormat([.fd, .custom(readyEvents), .int, .int, .structIn(SignalCalls.sigset), .unsigned]),
    ]
}
