import CgtraceABI

/// Signals: handlers, masks, delivery.
enum SignalCalls {
    /// A kernel sigset_t (8 bytes on x86_64).
    static let sigset = StructFormat("sigset", size: 8) { b, out, _ in SignalSets.printSet(b, out) }

    /// The kernel's struct sigaction on x86_64: handler, flags, restorer, mask.
    static let sigaction = StructFormat("sigaction", size: 32) { b, out, _ in
        let r = FieldReader(b)
        let handler = r.u64(0)
        let flags = r.u64(8)
        out.beginStruct()
        out.field("sa_handler")
        if let name = Tables.sigHandlerValues.name(for: handler) { out.constant(name, hex: handler) } else { out.pointer(handler) }
        out.field("sa_mask")
        SignalSets.printSet(b.dropFirst(24).prefix(8), out)
        out.field("sa_flags")
        out.flags(flags, Tables.sigactionFlags)
        if flags & 0x0400_0000 != 0 {  // SA_RESTORER
            out.field("sa_restorer")
            out.pointer(r.u64(16))
        }
        out.endStruct()
    }

    /// rt_sigreturn has no argument; strace shows the mask it restores, read from the signal
    /// frame on the stack: `rt_sigreturn({mask=[]})`.
    static let restoredMask = CustomArg(capture: ArgSpec(.signalFrameMask, size: 8)) { call, _, out in
        guard let c = call.enter?.captures.first(where: { $0.arg == 0 }), !c.faulted, c.bytes.count == 8 else {
            return out.raw("{mask=?}")
        }
        out.beginStruct()
        out.field("mask")
        SignalSets.printSet(c.bytes, out)
        out.endStruct()
    }

    /// stack_t: `{ss_sp=0x…, ss_flags=0, ss_size=65536}`.
    static let stack = StructFormat("stack_t", size: 24) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("ss_sp"); out.pointer(r.u64(0))
        out.field("ss_flags"); out.flags(UInt64(r.u32(8)), Tables.sigaltstackFlags)
        out.field("ss_size"); out.unsigned(r.u64(16))
        out.endStruct()
    }

    /// signalfd's mask: a sigset of `sizemask` bytes (argument 2), which strace reads only when
    /// that is 8 (no less than a word, no more than the kernel's sigset); the address otherwise.
    static let signalfdMask = sigsetOfLength(argument: 2)

    /// A sigset whose size is argument `lengthArg`, which must be 8 for strace to read it.
    static func sigsetOfLength(argument lengthArg: Int) -> CustomArg {
        CustomArg(capture: ArgSpec(.structInLength, lengthArg: lengthArg, size: 8)) { call, i, out in
            printSigset(call, i, length: call.arg(lengthArg), out)
        }
    }

    static func printSigset(_ call: CallView, _ i: Int, length: UInt64, _ out: ArgumentSink) {
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard length == 8, let c = call.capture(i), !c.faulted, UInt64(c.bytes.count) >= length else {
            return out.pointer(call.arg(i))
        }
        SignalSets.printSet(c.bytes.prefix(Int(length)), out)
    }

    /// A siginfo: rt_sigtimedwait's, written when a signal was taken (printed at exit), or the one
    /// rt_sigqueueinfo sends (read at entry).
    static let waitedInfo = StructFormat("siginfo", size: Int(CGT_SIGINFO_SIZE)) { b, out, _ in
        SignalInfoPrinter.printInfo(b, errno: FieldReader(b).i32(4), to: out)
    }

    /// rt_sigtimedwait's result names the signal taken: `12 (SIGUSR2)`.
    static let waitedSignal = ReturnFormat.custom { _, value, out in
        out.signed(value)
        if value > 0 && value <= 64 { out.raw(" (\(Tables.signalName(Int(value))))") }
    }

    static let formats: [String: CallFormat] = [
        "rt_sigqueueinfo": CallFormat([.int, .custom(ProcessCalls.signal), .structIn(waitedInfo)]),
        "rt_tgsigqueueinfo": CallFormat([.int, .int, .custom(ProcessCalls.signal), .structIn(waitedInfo)]),
        "rt_sigtimedwait": CallFormat([.custom(sigsetOfLength(argument: 3)), .structOut(waitedInfo), .structIn(Structs.timespec),
                                       .unsigned], ret: waitedSignal),
        "signalfd": CallFormat([.fd, .custom(signalfdMask), .unsigned]),
        "signalfd4": CallFormat([.fd, .custom(signalfdMask), .unsigned, .intFlags(Tables.signalfdFlags)]),
        "sigaltstack": CallFormat([.structIn(stack), .structOut(stack)]),
        "rt_sigaction": CallFormat([.custom(ProcessCalls.signal), .structIn(sigaction), .structOut(sigaction), .unsigned]),
        "rt_sigprocmask": CallFormat([.intEnum(Tables.sigprocmaskHow), .structIn(sigset), .structOut(sigset), .unsigned]),
        "rt_sigpending": CallFormat([.structOut(sigset), .unsigned]),
        "rt_sigsuspend": CallFormat([.structIn(sigset), .unsigned]),
        "rt_sigreturn": CallFormat([.custom(restoredMask)]),
        "pause": CallFormat([]),
        "alarm": CallFormat([.uint]),
    ]
}
