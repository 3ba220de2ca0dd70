import CgtraceABI

/// Making tasks and namespaces: clone, clone3, unshare, setns.
enum CloneCalls {
    static let CLONE_SETTLS: UInt64 = 0x80000
    static let CLONE_PARENT_SETTID: UInt64 = 0x100000
    static let CLONE_CHILD_CLEARTID: UInt64 = 0x200000
    static let CLONE_CHILD_SETTID: UInt64 = 0x1000000

    /// `flags=CLONE_…|SIGCHLD`: the low byte is the exit signal.
    static func printCloneFlags(_ value: UInt64, _ out: ArgumentSink) {
        // -X raw/verbose: the flags and the exit signal as two values, `0x1200000 /* … */|17 /* SIGCHLD */`.
        if out.constantStyle != .abbrev && value & ~0xff != 0 {
            out.flags(value & ~0xff, Tables.cloneFlags)
            guard value & 0xff != 0 else { return }
            out.raw("|")
            return out.signal(Int64(value & 0xff))
        }
        if out.constantStyle != .abbrev { return out.signal(Int64(value & 0xff)) }
        var names: [String] = []
        let (_, rest) = Tables.cloneFlags.decompose(value & ~0xff) { names.append($0) }
        if value & 0xff != 0 { names.append(Tables.signalName(Int(value & 0xff))) }
        out.flags(names, rest: rest, zero: "0")
    }

    /// clone(2) on x86_64 is (flags, stack, parent_tid, child_tid, tls); strace prints named
    /// fields, showing the tid/tls pointers only when a flag makes them meaningful.
    static func named(_ name: String, _ print: @escaping @Sendable (CallView, ArgumentSink) -> Void) -> ArgFormat {
        .custom(CustomArg { call, _, out in
            out.raw(name + "=")
            print(call, out)
        })
    }
    static func when(_ flag: UInt64, _ f: ArgFormat) -> ArgFormat {
        .optional(f, when: { $0.arg(0) & flag != 0 })
    }
    static let clone: [ArgFormat] = [
        named("child_stack") { c, out in out.pointer(c.arg(1)) },
        named("flags") { c, out in printCloneFlags(c.arg(0), out) },
        when(CLONE_PARENT_SETTID, named("parent_tid") { c, out in out.pointer(c.arg(2)) }),
        .optional(named("child_tidptr") { c, out in out.pointer(c.arg(3)) },
                  when: { $0.arg(0) & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 }),
        when(CLONE_SETTLS, named("tls") { c, out in out.pointer(c.arg(4)) }),
    ]

    // MARK: clone3

    static let CLONE_PIDFD: UInt64 = 0x1000
    static let CLONE_INTO_CGROUP: UInt64 = 0x2_0000_0000

    /// struct clone_args, as strace prints it: the fields the flags make meaningful, then at exit
    /// ` => {parent_tid=[N]}` — the kernel writes the child's tid there, which is the result.
    static let cloneArgs = CustomArg(capture: ArgSpec(.structInLength, lengthArg: 1, size: 88)) { call, i, out in
        guard call.arg(i) != 0, let c = call.capture(i), !c.faulted, c.bytes.count >= 64 else { return out.pointer(call.arg(i)) }
        let r = FieldReader(c.bytes)
        let flags = r.u64(0)
        out.beginStruct()
        out.field("flags"); out.flags(flags, Tables.clone3Flags)
        if flags & CLONE_PIDFD != 0 { out.field("pidfd"); out.pointer(r.u64(8)) }
        if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 { out.field("child_tid"); out.pointer(r.u64(16)) }
        if flags & CLONE_PARENT_SETTID != 0 { out.field("parent_tid"); out.pointer(r.u64(24)) }
        out.field("exit_signal")
        let signal = r.u64(32)
        if signal > 0 && signal <= 64 { out.signal(Int64(signal)) } else { out.unsigned(signal) }
        out.field("stack"); out.pointer(r.u64(40))
        out.field("stack_size"); out.hex(r.u64(48))
        if flags & CLONE_SETTLS != 0 { out.field("tls"); out.pointer(r.u64(56)) }
        if c.bytes.count >= 80, r.u64(72) != 0 {
            out.field("set_tid"); out.pointer(r.u64(64))
            out.field("set_tid_size"); out.unsigned(r.u64(72))
        }
        if c.bytes.count >= 88, flags & CLONE_INTO_CGROUP != 0 { out.field("cgroup"); out.unsigned(r.u64(80)) }
        out.endStruct()
        if flags & CLONE_PARENT_SETTID != 0, call.succeeded, let child = call.ret, child > 0 {
            out.raw(" => {parent_tid=[\(child)]}")
        }
    }

    /// unshare's flags, in strace's order.
    static let unshareFlags = FlagTable([
        Named(0x80, "CLONE_NEWTIME"), Named(0x100, "CLONE_VM"), Named(0x200, "CLONE_FS"), Named(0x400, "CLONE_FILES"),
        Named(0x800, "CLONE_SIGHAND"), Named(0x10000, "CLONE_THREAD"), Named(0x20000, "CLONE_NEWNS"),
        Named(0x40000, "CLONE_SYSVSEM"), Named(0x200_0000, "CLONE_NEWCGROUP"), Named(0x400_0000, "CLONE_NEWUTS"),
        Named(0x800_0000, "CLONE_NEWIPC"), Named(0x1000_0000, "CLONE_NEWUSER"), Named(0x2000_0000, "CLONE_NEWPID"),
        Named(0x4000_0000, "CLONE_NEWNET"),
    ], unknown: "CLONE_???")

    static let setnsTypes = FlagTable([
        Named(0x80, "CLONE_NEWTIME"), Named(0x20000, "CLONE_NEWNS"), Named(0x200_0000, "CLONE_NEWCGROUP"),
        Named(0x400_0000, "CLONE_NEWUTS"), Named(0x800_0000, "CLONE_NEWIPC"), Named(0x1000_0000, "CLONE_NEWUSER"),
        Named(0x2000_0000, "CLONE_NEWPID"), Named(0x4000_0000, "CLONE_NEWNET"),
    ], unknown: "CLONE_NEW???")

    static let formats: [String: CallFormat] = [
        "setns": CallFormat([.fd, .intFlags(setnsTypes)]),
        "clone": CallFormat(clone),
        "clone3": CallFormat([.custom(cloneArgs), .unsigned]),
        "unshare": CallFormat([.flags(unshareFlags)]),
    ]
}
