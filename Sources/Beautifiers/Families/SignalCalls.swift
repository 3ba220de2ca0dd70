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

    static let formats: [String: CallFormat] = [
        "rt_sigaction": CallFormat([.custom(ProcessCalls.signal), .structIn(sigaction), .structOut(sigaction), .unsigned]),
        "rt_sigprocmask": CallFormat([.intEnum(Tables.sigprocmaskHow), .structIn(sigset), .structOut(sigset), .unsigned]),
        "rt_sigpending": CallFormat([.structOut(sigset), .unsigned]),
        "rt_sigsuspend": CallFormat([.structIn(sigset), .unsigned]),
        "rt_sigreturn": CallFormat([]),
        "pause": CallFormat([]),
        "alarm": CallFormat([.uint]),
    ]
}
