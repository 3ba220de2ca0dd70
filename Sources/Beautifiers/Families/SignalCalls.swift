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
        if let name = Tables.sigHandlerValues.name(for: handler) { out.symbol(name) } else { out.pointer(handler) }
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
    static let restoredMask = CustomArg(capture: cgt_arg_spec(capture: UInt8(CGT_ARG_SIGFRAME_MASK.rawValue), len_arg: 0, size: 8)) { call, _, out in
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

    static let formats: [String: CallFormat] = [
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
