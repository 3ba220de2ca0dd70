import CgtraceABI

/// Processes and threads: exec, exit, clone, wait, limits, identity.
enum ProcessCalls {
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

    /// A signal number argument: `SIGTERM`, `SIGRT_1`, or the number.
    static let signal = CustomArg { call, i, out in
        out.signal(Int64(call.int32(i)))
    }

    /// getrandom's bytes print in hex (they are random, not text).
    static let randomBytes = CustomArg(capture: ArgFormat.outBuffer.capture, atExit: true) { call, i, out in
        guard call.succeeded, let ret = call.ret, let c = call.capture(i), !c.faulted else { return out.pointer(call.arg(i)) }
        let length = Int(clamping: max(ret, 0))
        let shown = min(length, call.stringLimit, c.bytes.count)
        out.string(c.bytes.prefix(shown), truncated: length > shown, hexOnly: true)
    }

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

    // MARK: futex — which arguments mean something depends on the operation.

    enum FutexCommand: Int32 {
        case wait = 0, wake, fd, requeue, cmpRequeue, wakeOp, lockPI, unlockPI, trylockPI
        case waitBitset, wakeBitset, waitRequeuePI, cmpRequeuePI, lockPI2
    }
    static func futexCommand(_ c: CallView) -> FutexCommand? { FutexCommand(rawValue: c.int32(1) & 0x7f) }
    static func futexShows(_ commands: Set<FutexCommand>) -> @Sendable (CallView) -> Bool {
        { c in futexCommand(c).map(commands.contains) ?? true }
    }
    static let futexTimeout = ArgFormat.optional(.structIn(Structs.timespec),
                                                 when: futexShows([.wait, .waitBitset, .lockPI, .lockPI2, .waitRequeuePI]))
    static let futexVal2 = ArgFormat.optional(.uint, when: futexShows([.requeue, .cmpRequeue, .wakeOp, .cmpRequeuePI]))
    /// Argument 5: a bitset for the *_BITSET operations, a comparison value for the requeues.
    static let futexVal3 = CustomArg { c, _, out in
        let v = UInt32(truncatingIfNeeded: c.arg(5))
        switch futexCommand(c) {
        case .waitBitset, .wakeBitset:
            if v == UInt32.max { out.constant("FUTEX_BITSET_MATCH_ANY", hex: UInt64(v)) } else { out.hex(UInt64(v)) }
        case .wakeOp: out.hex(UInt64(v))
        default: out.signed(Int64(Int32(bitPattern: v)))
        }
    }
    static let futex: [ArgFormat] = [
        .pointer,
        .intEnum(Tables.futexOps),
        .optional(.int, when: { futexCommand($0).map { ![.unlockPI, .trylockPI, .lockPI, .lockPI2].contains($0) } ?? true }),
        // Argument 3 is a timeout for the waits and a count (val2) for the requeues.
        .optional(.custom(CustomArg(capture: ArgFormat.structIn(Structs.timespec).capture) { c, i, out in
            let f = futexTimeout.shownIn(c) ? futexTimeout : futexVal2
            ArgumentPrinter.printValue(f, index: i, c, out)
        }), when: { futexTimeout.shownIn($0) || futexVal2.shownIn($0) }),
        .optional(.pointer, when: futexShows([.requeue, .cmpRequeue, .wakeOp, .waitRequeuePI, .cmpRequeuePI])),
        .optional(.custom(futexVal3), when: futexShows([.waitBitset, .wakeBitset, .cmpRequeue, .wakeOp, .cmpRequeuePI])),
    ]

    /// A CPU mask written by the kernel (the result is its size in bytes): `[0 1]`.
    static let cpuSet = CustomArg(capture: ArgFormat.outBuffer.capture, atExit: true) { call, i, out in
        guard call.succeeded, let c = call.capture(i), !c.faulted else { return out.pointer(call.arg(i)) }
        var cpus: [String] = []
        for (byteIndex, byte) in c.bytes.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 { cpus.append(String(byteIndex * 8 + bit)) }
        }
        out.raw("[" + cpus.joined(separator: " ") + "]")
    }

    // MARK: Supplementary groups, wait4, getrusage

    /// getgroups' list: as many gids as the call returned, which strace shows even when the size
    /// was 0 and the kernel wrote nothing (whatever the buffer held).
    static let groupsOut = CustomArg(capture: ArgSpec(.arrayOutReturned, size: 4),
                                     atExit: true) { call, i, out in
        guard let ret = call.ret, call.succeeded else { return out.pointer(call.arg(i)) }
        Structs.printGroups(call, i, count: ret, out)
    }

    /// setgroups' list: argument 0 gids (an unsigned count to strace: -1 is too many), read at entry.
    static let groupsIn = CustomArg(capture: ArgSpec(.arrayInOut, size: 4)) { call, i, out in
        Structs.printGroups(call, i, count: Int64(UInt32(truncatingIfNeeded: call.arg(0))), out)
    }

    /// wait4's status: the address when no child was reaped (0 with WNOHANG) or on error.
    static let waitStatus = CustomArg(capture: ArgFormat.structOut(Structs.waitStatus).capture, atExit: true) { call, i, out in
        if call.ret == 0 { return out.pointer(call.arg(i)) }
        ArgumentPrinter.printValue(.structOut(Structs.waitStatus), index: i, call, out)
    }

    /// wait4's resource usage: only when a child was reaped (strace shows the address for a
    /// WNOHANG 0 even though the kernel cleared the struct).
    static let waitRusage = CustomArg(capture: ArgFormat.structOut(Structs.rusage).capture, atExit: true) { call, i, out in
        guard let r = call.ret, r > 0 else { return out.pointer(call.arg(i)) }
        ArgumentPrinter.printValue(.structOut(Structs.rusage), index: i, call, out)
    }

    static let waitidTypes = EnumTable([Named(0, "P_ALL"), Named(1, "P_PID"), Named(2, "P_PGID"), Named(3, "P_PIDFD")],
                                       unknown: "P_???")
    static let waitidType = CustomArg { call, i, out in
        out.enumeration(UInt64(UInt32(truncatingIfNeeded: call.arg(i))), waitidTypes)
    }
    /// waitid's siginfo, written by the kernel: the child's state, `{}` when none was waited for.
    static let waitidInfo = StructFormat("siginfo", size: Int(CGT_SIGINFO_SIZE)) { b, out, _ in
        SignalInfoPrinter.printInfo(b, errno: FieldReader(b).i32(4), to: out)
    }

    /// getrusage's who, an int named from its 32 bits (glibc leaves RUSAGE_CHILDREN's upper
    /// half clear, syscall(2) sign-extends it: strace names both); unknown ones in hex.
    static let rusageWhoNames = EnumTable([
        Named(0, "RUSAGE_SELF"), Named(0xffff_ffff, "RUSAGE_CHILDREN"),
        Named(0xffff_fffe, "RUSAGE_BOTH"), Named(1, "RUSAGE_THREAD"),
    ], unknown: "RUSAGE_???")
    static let rusageWho = CustomArg { call, i, out in
        out.enumeration(UInt64(UInt32(truncatingIfNeeded: call.arg(i))), rusageWhoNames)
    }

    /// The sleeps' remaining time: an out-parameter, so a call interrupted or still sleeping
    /// when its line is cut (`<unfinished ...>`) shows nothing of it yet, as strace does.
    static let remaining = CustomArg(atExit: true) { call, i, out in out.pointer(call.arg(i)) }

    // MARK: user and group ids

    /// A uid/gid as strace prints it: unsigned, but (uid_t)-1 ("leave unchanged") as -1.
    static func printID(_ v: UInt32, _ out: ArgumentSink) {
        if v == UInt32.max { out.signed(-1) } else { out.unsigned(UInt64(v)) }
    }
    static let id = CustomArg { call, i, out in printID(UInt32(truncatingIfNeeded: call.arg(i)), out) }
    /// getresuid/getresgid's out-parameters: `[0]`.
    static let idOut = StructFormat("uid_t", size: 4) { b, out, _ in
        out.beginArray(); out.element(); printID(FieldReader(b).u32(0), out); out.endArray()
    }

    // MARK: capabilities

    static let capVersions = EnumTable([
        Named(0x1998_0330, "_LINUX_CAPABILITY_VERSION_1"), Named(0x2007_1026, "_LINUX_CAPABILITY_VERSION_2"),
        Named(0x2008_0522, "_LINUX_CAPABILITY_VERSION_3"),
    ], unknown: "_LINUX_CAPABILITY_VERSION_???")
    /// A capability word as flags, `1<<CAP_CHOWN|1<<CAP_KILL`: bits 0–31 and, in the second word, 32 and up.
    static let capMasks: [FlagTable] = [0, 32].map { base in
        FlagTable((0..<32).compactMap { bit in
            Tables.capabilities.name(for: UInt64(base + bit)).map { Named(1 << UInt64(bit), "1<<" + $0) }
        }, unknown: "CAP_???")
    }

    /// `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`, from the copy made at entry.
    static let capHeader = CustomArg(capture: ArgSpec(.structInOut, size: 8)) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i && !$0.faulted && $0.bytes.count >= 8 }) else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(c.bytes)
        out.beginStruct()
        out.field("version"); out.enumeration(UInt64(r.u32(0)), capVersions)
        out.field("pid"); out.signed(Int64(r.i32(4)))
        out.endStruct()
    }

    /// The three sets, each from one word (version 1) or two; strace reads the header's version
    /// again at exit for capget (a failed call shows the address).
    static func printCapData(_ call: CallView, _ i: Int, atExit: Bool, _ out: ArgumentSink) {
        let headerCaptures = atExit ? call.exit?.captures : call.enter?.captures
        let dataCaptures = atExit ? call.exit?.captures : call.enter?.captures
        guard call.arg(i) != 0, call.arg(0) != 0, !atExit || call.succeeded,
              let header = headerCaptures?.first(where: { $0.arg == 0 && !$0.faulted && $0.bytes.count >= 8 }) else {
            return out.pointer(call.arg(i))
        }
        let version = FieldReader(header.bytes).u32(0)
        let words = version == 0x2007_1026 || version == 0x2008_0522 ? 2 : 1
        guard let data = dataCaptures?.first(where: { $0.arg == i && !$0.faulted && $0.bytes.count >= 12 * words }) else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(data.bytes)
        out.beginStruct()
        for (k, name) in ["effective", "permitted", "inheritable"].enumerated() {
            out.field(name)
            let lo = UInt64(r.u32(4 * k)), hi = words > 1 ? UInt64(r.u32(12 + 4 * k)) : 0
            // Each 32-bit word its own value: under -X verbose `0xffffffff /* 1<<CAP_CHOWN|… */|0x1ff /* … */`.
            if lo != 0 || hi == 0 { out.flags(lo, capMasks[0]) }
            if lo != 0 && hi != 0 { out.raw("|") }
            if hi != 0 { out.flags(hi, capMasks[1]) }
        }
        out.endStruct()
    }
    static let capgetData = CustomArg(capture: ArgSpec(.structOut, size: 24),
                                      atExit: true) { call, i, out in printCapData(call, i, atExit: true, out) }
    static let capsetData = CustomArg(capture: ArgSpec(.structIn, size: 24)) { call, i, out in
        printCapData(call, i, atExit: false, out)
    }

    // MARK: I/O priorities, scheduling, namespaces

    static let ioprioWho = EnumTable([
        Named(1, "IOPRIO_WHO_PROCESS"), Named(2, "IOPRIO_WHO_PGRP"), Named(3, "IOPRIO_WHO_USER"),
    ], unknown: "IOPRIO_WHO_???")
    static let ioprioClasses = EnumTable([
        Named(0, "IOPRIO_CLASS_NONE"), Named(1, "IOPRIO_CLASS_RT"), Named(2, "IOPRIO_CLASS_BE"), Named(3, "IOPRIO_CLASS_IDLE"),
    ], unknown: "IOPRIO_CLASS_???")

    /// `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 7)`: the class is the bits above 13, the data below.
    static func ioprioText(_ value: UInt32, style: ConstantStyle = .abbrev) -> String {
        let cls = UInt64(value >> 13), data = Int32(bitPattern: value & 0x1fff)
        // -X verbose (strace 6.1): the class as `0x3 /* IOPRIO_CLASS_IDLE */` inside the remark too.
        let clsText = style == .verbose
            ? "\(cls == 0 ? "0" : "0x" + String(cls, radix: 16)) /* \(ioprioClasses.describe(cls)) */"
            : ioprioClasses.describe(cls)
        return "IOPRIO_PRIO_VALUE(\(clsText), \(data))"
    }

    static let ioprioValue = CustomArg { call, i, out in
        let v = UInt32(truncatingIfNeeded: call.arg(i))
        switch out.constantStyle {
        case .abbrev: out.raw(ioprioText(v))
        case .raw: out.signed(Int64(Int32(bitPattern: v)))
        case .verbose: out.signed(Int64(Int32(bitPattern: v))); out.comment(ioprioText(v, style: .verbose))
        }
    }

    /// ioprio_get's result: `0 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0))`.
    static let ioprioResult = ReturnFormat.custom { _, value, out in
        out.signed(value)
        if out.constantStyle != .raw { out.raw(" (\(ioprioText(UInt32(truncatingIfNeeded: value), style: out.constantStyle)))") }
    }

    /// unshare's flags, in strace's order.
    static let unshareFlags = FlagTable([
        Named(0x80, "CLONE_NEWTIME"), Named(0x100, "CLONE_VM"), Named(0x200, "CLONE_FS"), Named(0x400, "CLONE_FILES"),
        Named(0x800, "CLONE_SIGHAND"), Named(0x10000, "CLONE_THREAD"), Named(0x20000, "CLONE_NEWNS"),
        Named(0x40000, "CLONE_SYSVSEM"), Named(0x200_0000, "CLONE_NEWCGROUP"), Named(0x400_0000, "CLONE_NEWUTS"),
        Named(0x800_0000, "CLONE_NEWIPC"), Named(0x1000_0000, "CLONE_NEWUSER"), Named(0x2000_0000, "CLONE_NEWPID"),
        Named(0x4000_0000, "CLONE_NEWNET"),
    ], unknown: "CLONE_???")

    /// strace's CPU mask size: it probes the kernel from 128 bytes up, and 128 is enough here.
    static let cpusetSize = 128

    /// sched_setaffinity's mask, read at entry: the CPUs set in the first min(size, 128) bytes,
    /// then `...` when the caller's mask is longer than that (rounded to longs).
    static let cpuSetIn = CustomArg(capture: ArgSpec(.structInLength, lengthArg: 1, size: cpusetSize)) { call, i, out in
        let length = UInt64(UInt32(truncatingIfNeeded: call.arg(1)))
        guard call.arg(i) != 0 else { return out.pointer(0) }
        if length == 0 { return out.raw("[]") }
        let kept = min(length, UInt64(cpusetSize))
        guard let c = call.capture(i), !c.faulted, UInt64(c.bytes.count) >= kept else { return out.pointer(call.arg(i)) }
        var cpus: [String] = []
        for (byteIndex, byte) in c.bytes.prefix(Int(kept)).enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 { cpus.append(String(byteIndex * 8 + bit)) }
        }
        if (kept + 7) / 8 * 8 < length { cpus.append("...") }
        out.raw("[" + cpus.joined(separator: " ") + "]")
    }

    // MARK: personality, getcpu, setns, pidfd signals, sched_attr

    /// The personality's low byte names the type (only these fit in it); the bits above are flags.
    static let personalityTypes = EnumTable([
        Named(0, "PER_LINUX"), Named(6, "PER_BSD"), Named(8, "PER_LINUX32"), Named(0xc, "PER_RISCOS"), Named(0xf, "PER_OSF4"),
        Named(0x10, "PER_HPUX"), Named(0xff, "PER_MASK"),
    ], unknown: "PER_???")
    static let personalityFlags = FlagTable([
        Named(0x20000, "UNAME26"), Named(0x40000, "ADDR_NO_RANDOMIZE"), Named(0x80000, "FDPIC_FUNCPTRS"),
        Named(0x100000, "MMAP_PAGE_ZERO"), Named(0x200000, "ADDR_COMPAT_LAYOUT"), Named(0x400000, "READ_IMPLIES_EXEC"),
        Named(0x800000, "ADDR_LIMIT_32BIT"), Named(0x1000000, "SHORT_INODE"), Named(0x2000000, "WHOLE_SECONDS"),
        Named(0x4000000, "STICKY_TIMEOUTS"), Named(0x8000000, "ADDR_LIMIT_3GB"),
    ])
    /// The type and flags (`PER_LINUX|READ_IMPLIES_EXEC`); -X raw: the two parts in hex.
    static func personalityText(_ v: UInt32, style: ConstantStyle = .abbrev) -> String {
        func hex(_ v: UInt32) -> String { v == 0 ? "0" : "0x" + String(v, radix: 16) }
        // -X verbose: each part its number and name, `0 /* PER_LINUX */|0x40000 /* ADDR_NO_RANDOMIZE */`.
        func part(_ v: UInt32, _ name: String) -> String {
            switch style {
            case .abbrev: return name
            case .raw: return hex(v)
            case .verbose: return "\(hex(v)) /* \(name) */"
            }
        }
        var text = part(v & 0xff, personalityTypes.describe(UInt64(v & 0xff)))
        let flags = v & ~0xff
        if flags != 0 { text += "|" + part(flags, personalityFlags.describe(UInt64(flags))) }
        return text
    }
    /// `personality(0xffffffff)` only queries; anything else is the type and flags.
    static let personality = CustomArg { call, i, out in
        let v = UInt32(truncatingIfNeeded: call.arg(i))
        if v == 0xffff_ffff { return out.hex(UInt64(v)) }
        out.raw(personalityText(v, style: out.constantStyle))
    }
    /// The previous personality, in hex with its names: `0 (PER_LINUX)`.
    static let personalityResult = ReturnFormat.custom { _, value, out in
        out.hex(UInt64(UInt32(truncatingIfNeeded: value)))
        out.raw(" (\(personalityText(UInt32(truncatingIfNeeded: value), style: out.constantStyle)))")
    }

    /// An unsigned int the kernel wrote: `[1]`.
    static let uintOut = StructFormat("unsigned int", size: 4) { b, out, _ in
        out.beginArray(); out.element(); out.unsigned(UInt64(FieldReader(b).u32(0))); out.endArray()
    }

    static let setnsTypes = FlagTable([
        Named(0x80, "CLONE_NEWTIME"), Named(0x20000, "CLONE_NEWNS"), Named(0x200_0000, "CLONE_NEWCGROUP"),
        Named(0x400_0000, "CLONE_NEWUTS"), Named(0x800_0000, "CLONE_NEWIPC"), Named(0x1000_0000, "CLONE_NEWUSER"),
        Named(0x2000_0000, "CLONE_NEWPID"), Named(0x4000_0000, "CLONE_NEWNET"),
    ], unknown: "CLONE_NEW???")

    static let schedAttrFlags = FlagTable([
        Named(0x1, "SCHED_FLAG_RESET_ON_FORK"), Named(0x2, "SCHED_FLAG_RECLAIM"), Named(0x4, "SCHED_FLAG_DL_OVERRUN"),
        Named(0x8, "SCHED_FLAG_KEEP_POLICY"), Named(0x10, "SCHED_FLAG_KEEP_PARAMS"), Named(0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
        Named(0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
    ], unknown: "SCHED_FLAG_???")

    /// struct sched_attr (48 bytes, 56 with the utilization clamps): the fields its size covers;
    /// for sched_setattr the policy and parameters only when the flags do not say to keep them.
    static func printSchedAttr(_ b: ArraySlice<UInt8>, size: Int, declared: Int, isSet: Bool, _ out: ArgumentSink) {
        let r = FieldReader(b)
        out.beginStruct()
        out.field("size"); out.unsigned(UInt64(r.u32(0)))
        if size >= 48 {
            let policy = r.u32(4), flags = r.u64(8)
            if !isSet || Int32(bitPattern: policy) < 0 || flags & 0x18 == 0 {
                out.field("sched_policy"); out.enumeration(UInt64(policy), Tables.schedPolicies)
            }
            out.field("sched_flags"); out.flags(flags, schedAttrFlags)
            if !isSet || flags & 0x10 == 0 {
                out.field("sched_nice"); out.signed(Int64(r.i32(16)))
                out.field("sched_priority"); out.unsigned(UInt64(r.u32(20)))
                out.field("sched_runtime"); out.unsigned(r.u64(24))
                out.field("sched_deadline"); out.unsigned(r.u64(32))
                out.field("sched_period"); out.unsigned(r.u64(40))
            }
            if size >= 56 {
                out.field("sched_util_min"); out.unsigned(UInt64(r.u32(48)))
                out.field("sched_util_max"); out.unsigned(UInt64(r.u32(52)))
            }
        }
        if declared > size { out.ellipsis() }
        out.endStruct()
    }
    static let schedAttrOut = CustomArg(capture: ArgSpec(.structOut, size: 56),
                                        atExit: true) { call, i, out in
        let usize = Int(UInt32(truncatingIfNeeded: call.arg(2)))
        guard usize != 0, call.succeeded, let c = call.exit?.captures.first(where: { $0.arg == i && !$0.faulted }), c.bytes.count >= 4 else {
            return out.pointer(call.arg(i))
        }
        let read = min(usize, 56, c.bytes.count)
        let written = Int(FieldReader(c.bytes).u32(0))
        printSchedAttr(c.bytes, size: min(written, read), declared: written, isSet: false, out)
    }
    static let schedAttrIn = CustomArg(capture: ArgSpec(.structIn, size: 56)) { call, i, out in
        guard call.arg(i) != 0, let c = call.capture(i), !c.faulted, c.bytes.count >= 4 else { return out.pointer(call.arg(i)) }
        var usize = Int(FieldReader(c.bytes).u32(0))
        if usize == 0 { usize = 48 }
        let size = min(usize, 56, c.bytes.count)
        printSchedAttr(c.bytes, size: size, declared: usize, isSet: true, out)
    }

    // MARK: POSIX timers and interval timers

    static let sigevNotify = EnumTable([
        Named(0, "SIGEV_SIGNAL"), Named(1, "SIGEV_NONE"), Named(2, "SIGEV_THREAD"), Named(4, "SIGEV_THREAD_ID"),
    ], unknown: "SIGEV_???")

    /// struct sigevent (64 bytes): the value only when its pointer is set, the signal named when
    /// the notification is a signal, the thread id or function for the modes that have one.
    static let sigevent = StructFormat("sigevent", size: 64) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        if r.u64(0) != 0 {
            out.field("sigev_value")
            out.beginStruct()
            out.field("sival_int"); out.signed(Int64(r.i32(0)))
            out.field("sival_ptr"); out.pointer(r.u64(0))
            out.endStruct()
        }
        let signo = r.i32(8), notify = r.i32(12)
        out.field("sigev_signo")
        switch notify {
        case 0, 2, 4:  // SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID
            out.signal(Int64(signo))
        default:
            out.unsigned(UInt64(UInt32(bitPattern: signo)))
        }
        out.field("sigev_notify"); out.enumeration(UInt64(UInt32(bitPattern: notify)), sigevNotify)
        if notify == 4 {
            out.field("sigev_notify_thread_id"); out.signed(Int64(r.i32(16)))
        } else if notify == 2 {
            out.field("sigev_notify_function"); out.pointer(r.u64(16))
            out.field("sigev_notify_attributes"); out.pointer(r.u64(24))
        }
        out.endStruct()
    }

    // MARK: descriptors made for events, and small process queries

    /// struct tms: clock ticks (100 a second here), each with its seconds in a comment.
    static let tms = StructFormat("tms", size: 32) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        for (k, name) in ["tms_utime", "tms_stime", "tms_cutime", "tms_cstime"].enumerated() {
            let ticks = r.i64(8 * k)
            out.field(name); out.signed(ticks)
            if ticks != 0 {
                let hundredths = ticks % 100
                out.comment("\(ticks / 100).\(hundredths < 10 ? "0" : "")\(hundredths) s")
            }
        }
        out.endStruct()
    }

    /// sched_getscheduler's result names the policy: `0 (SCHED_OTHER)`.
    static let schedulerResult = ReturnFormat.custom { _, value, out in
        out.signed(value)
        if let name = Tables.schedPolicies.name(for: UInt64(bitPattern: value)) { out.raw(" (\(name))") }
    }

    // MARK: prctl — what follows the option depends on it, as strace prints each

    enum PrctlShape { case none, one, four }

    /// How many arguments strace shows after the option: none (PR_GET_DUMPABLE), one (the
    /// options with a single meaningful argument), or all four (the rest).
    static func prctlShape(_ option: Int32) -> PrctlShape {
        switch option {
        case 3, 7, 13, 21, 27, 30: return .none               // GET_DUMPABLE, KEEPCAPS, TIMING, SECCOMP, SECUREBITS, TIMERSLACK
        case 1, 2, 4, 15, 16, 23, 24, 36, 37: return .one     // PDEATHSIG, DUMPABLE, NAME, CAPBSET_*, CHILD_SUBREAPER
        case 8, 10, 12, 14, 20: return .one                   // SET_KEEPCAPS, FPEMU, FPEXC, TIMING, ENDIAN: a number
        default: return .four
        }
    }

    static let suidDumpModes = EnumTable([Named(0, "SUID_DUMP_DISABLE"), Named(1, "SUID_DUMP_USER"), Named(2, "SUID_DUMP_ROOT")])

    /// prctl's second argument: a name, a signal, a capability, a value, or what the kernel
    /// wrote back (the name for PR_GET_NAME, `[SIGKILL]` for PR_GET_PDEATHSIG). The kernel
    /// copies 16 bytes (TASK_COMM_LEN) at entry and exit; for a plain number the copy fails and
    /// nothing is printed from it.
    static let prctlArgument = CustomArg(capture: ArgSpec(.structInOut, size: 16)) { call, i, out in
        let raw = call.arg(i)
        let before = call.enter?.captures.first { $0.arg == i && !$0.faulted }
        let after = call.exit?.captures.first { $0.arg == i && !$0.faulted }
        switch call.int32(0) {
        case 1: signal.print(call, i, out)                                    // PR_SET_PDEATHSIG
        case 2, 37:                                                           // PR_GET_PDEATHSIG, PR_GET_CHILD_SUBREAPER
            guard call.succeeded, let after, after.bytes.count >= 4 else { return out.pointer(raw) }
            let v = FieldReader(after.bytes).i32(0)
            out.beginArray(); out.element()
            if call.int32(0) == 2 { out.signal(Int64(v)) } else { out.signed(Int64(v)) }
            out.endArray()
        case 4: out.enumeration(raw, suidDumpModes)                           // PR_SET_DUMPABLE
        case 15:                                                              // PR_SET_NAME
            guard let before else { return out.pointer(raw) }
            out.string(before.bytes.prefix { $0 != 0 }, truncated: false, hexOnly: false)
        case 16:                                                              // PR_GET_NAME
            guard call.succeeded, let after else { return out.pointer(raw) }
            out.string(after.bytes.prefix { $0 != 0 }, truncated: false, hexOnly: false)
        case 23, 24: out.enumeration(raw, Tables.capabilities)                // PR_CAPBSET_READ/DROP
        case 36, 38, 8, 10, 12, 14, 20: out.unsigned(raw)                     // CHILD_SUBREAPER, NO_NEW_PRIVS, KEEPCAPS…
        case 47: out.enumeration(raw, capAmbientOps)                          // PR_CAP_AMBIENT
        default: out.hex(raw)
        }
    }

    static let capAmbientOps = EnumTable([
        Named(1, "PR_CAP_AMBIENT_IS_SET"), Named(2, "PR_CAP_AMBIENT_RAISE"), Named(3, "PR_CAP_AMBIENT_LOWER"),
        Named(4, "PR_CAP_AMBIENT_CLEAR_ALL"),
    ], unknown: "PR_CAP_AMBIENT_???")

    /// prctl's third argument: PR_CAP_AMBIENT's capability (for IS_SET/RAISE/LOWER), else hex.
    static let prctlThird = CustomArg { call, i, out in
        if call.int32(0) == 47 && (1...3).contains(call.arg(1)) { return out.enumeration(call.arg(i), Tables.capabilities) }
        out.hex(call.arg(i))
    }

    static let securebits = FlagTable([
        Named(0x1, "SECBIT_NOROOT"), Named(0x2, "SECBIT_NOROOT_LOCKED"), Named(0x4, "SECBIT_NO_SETUID_FIXUP"),
        Named(0x8, "SECBIT_NO_SETUID_FIXUP_LOCKED"), Named(0x10, "SECBIT_KEEP_CAPS"), Named(0x20, "SECBIT_KEEP_CAPS_LOCKED"),
        Named(0x40, "SECBIT_NO_CAP_AMBIENT_RAISE"), Named(0x80, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"),
    ])

    /// PR_GET_DUMPABLE's result names the mode: `1 (SUID_DUMP_USER)`; PR_GET_SECUREBITS's is hex
    /// with the bits named, `0x10 (SECBIT_KEEP_CAPS)`, or plain 0.
    static let prctlResult = ReturnFormat.custom { call, value, out in
        if call.int32(0) == 27 && value != 0 {
            out.hex(UInt64(bitPattern: value))
            if out.constantStyle == .raw { return }
            return out.raw(" (\(securebits.describe(UInt64(bitPattern: value))))")
        }
        out.signed(value)
        if call.int32(0) == 3, let name = suidDumpModes.name(for: UInt64(bitPattern: value)) { out.raw(" (\(name))") }
    }

    static let formats: [String: CallFormat] = [
        "timer_create": CallFormat([.intEnum(Tables.clockIds), .structIn(sigevent), .structOut(Structs.intOut)]),
        "timer_settime": CallFormat([.int, .intFlags(Tables.timerFlags), .structIn(Structs.itimerspec), .structOut(Structs.itimerspec)]),
        "timer_gettime": CallFormat([.int, .structOut(Structs.itimerspec)]),
        "timer_getoverrun": CallFormat([.int]),
        "timer_delete": CallFormat([.int]),
        "timerfd_settime": CallFormat([.fd, .intFlags(Tables.timerfdFlags), .structIn(Structs.itimerspec), .structOut(Structs.itimerspec)]),
        "timerfd_gettime": CallFormat([.fd, .structOut(Structs.itimerspec)]),
        "setitimer": CallFormat([.intEnum(Tables.itimerWhich), .structIn(Structs.itimerval), .structOut(Structs.itimerval)]),
        "getitimer": CallFormat([.intEnum(Tables.itimerWhich), .structOut(Structs.itimerval)]),
        "prctl": CallFormat([.intEnum(Tables.prctlOptions),
                             .optional(.custom(prctlArgument), when: { prctlShape($0.int32(0)) != .none }),
                             .optional(.custom(prctlThird), when: { prctlShape($0.int32(0)) == .four }),
                             .optional(.hex, when: { prctlShape($0.int32(0)) == .four }),
                             .optional(.hex, when: { prctlShape($0.int32(0)) == .four })], ret: prctlResult),
        "getgroups": CallFormat([.int, .custom(groupsOut)]),
        "setgroups": CallFormat([.int, .custom(groupsIn)]),
        "futex": CallFormat(futex),
        "execve": CallFormat([.path, .argv, .envp]),
        "execveat": CallFormat([.dirfd, .path, .argv, .envp, .intFlags(Tables.atFlags)]),
        "exit": CallFormat([.int], ret: .none),
        "exit_group": CallFormat([.int], ret: .none),
        "wait4": CallFormat([.int, .custom(waitStatus), .intFlags(Tables.waitOptions), .custom(waitRusage)]),
        "eventfd2": CallFormat([.uint, .intFlags(Tables.eventfdFlags)]),
        "inotify_init1": CallFormat([.intFlags(Tables.inotifyInitFlags)]),
        "timerfd_create": CallFormat([.intEnum(Tables.clockIds), .intFlags(Tables.timerfdFlags)]),
        "getpriority": CallFormat([.intEnum(Tables.priorityWhich), .int]),
        "setpriority": CallFormat([.intEnum(Tables.priorityWhich), .int, .int]),
        "sched_getscheduler": CallFormat([.int], ret: schedulerResult),
        "times": CallFormat([.structOut(tms)]),
        "personality": CallFormat([.custom(personality)], ret: personalityResult),
        "getcpu": CallFormat([.structOut(uintOut), .structOut(uintOut), .pointer]),
        "setns": CallFormat([.fd, .intFlags(setnsTypes)]),
        "pidfd_send_signal": CallFormat([.fd, .custom(signal), .pointer, .uint]),
        "sched_getattr": CallFormat([.int, .custom(schedAttrOut), .uint, .uint]),
        "sched_setattr": CallFormat([.int, .custom(schedAttrIn), .uint]),
        "capget": CallFormat([.custom(capHeader), .custom(capgetData)]),
        "capset": CallFormat([.custom(capHeader), .custom(capsetData)]),
        "waitid": CallFormat([.custom(waitidType), .int, .structOut(waitidInfo), .intFlags(Tables.waitOptions),
                              .structOut(Structs.rusage)]),
        "getrusage": CallFormat([.custom(rusageWho), .structOut(Structs.rusage)]),
        "clone": CallFormat(clone),
        "clone3": CallFormat([.custom(cloneArgs), .unsigned]),
        "set_tid_address": CallFormat([.pointer]),
        "set_robust_list": CallFormat([.pointer, .unsigned]),
        "rseq": CallFormat([.pointer, .hex, .int, .hex]),
        "arch_prctl": CallFormat([.intEnum(Tables.archPrctlCodes), .pointer]),
        "prlimit64": CallFormat([.int, .intEnum(Tables.rlimitResources), .structIn(Structs.rlimit), .structOut(Structs.rlimit)]),
        "getrlimit": CallFormat([.intEnum(Tables.rlimitResources), .structOut(Structs.rlimit)]),
        "setrlimit": CallFormat([.intEnum(Tables.rlimitResources), .structIn(Structs.rlimit)]),
        "uname": CallFormat([.structOut(Structs.utsname)]),
        "getrandom": CallFormat([.custom(randomBytes), .unsigned, .intFlags(Tables.getrandomFlags)]),
        "kill": CallFormat([.int, .custom(signal)]),
        "tkill": CallFormat([.int, .custom(signal)]),
        "tgkill": CallFormat([.int, .int, .custom(signal)]),
        "clock_gettime": CallFormat([.intEnum(Tables.clockIds), .structOut(Structs.timespec)]),
        "clock_getres": CallFormat([.intEnum(Tables.clockIds), .structOut(Structs.timespec)]),
        "clock_nanosleep": CallFormat([.intEnum(Tables.clockIds), .intFlags(Tables.timerFlags), .structIn(Structs.timespec), .custom(remaining)]),
        "nanosleep": CallFormat([.structIn(Structs.timespec), .custom(remaining)]),
        "gettimeofday": CallFormat([.structOut(Structs.timeval), .structOut(Structs.timezone)]),
        "setpgid": CallFormat([.int, .int]),
        "getpgid": CallFormat([.int]),
        "getsid": CallFormat([.int]),
        "setuid": CallFormat([.custom(id)]),
        "setgid": CallFormat([.custom(id)]),
        "setfsuid": CallFormat([.custom(id)]),
        "setfsgid": CallFormat([.custom(id)]),
        "setreuid": CallFormat([.custom(id), .custom(id)]),
        "setregid": CallFormat([.custom(id), .custom(id)]),
        "setresuid": CallFormat([.custom(id), .custom(id), .custom(id)]),
        "setresgid": CallFormat([.custom(id), .custom(id), .custom(id)]),
        "getresuid": CallFormat([.structOut(idOut), .structOut(idOut), .structOut(idOut)]),
        "getresgid": CallFormat([.structOut(idOut), .structOut(idOut), .structOut(idOut)]),
        "sched_getaffinity": CallFormat([.int, .unsigned, .custom(cpuSet)]),
        "sched_yield": CallFormat([]),
        "sched_setaffinity": CallFormat([.int, .uint, .custom(cpuSetIn)]),
        "sched_get_priority_max": CallFormat([.enumeration(Tables.schedPolicies)]),
        "sched_get_priority_min": CallFormat([.enumeration(Tables.schedPolicies)]),
        "sched_setscheduler": CallFormat([.int, .enumeration(Tables.schedPolicies), .structIn(Structs.intOut)]),
        "sched_setparam": CallFormat([.int, .structIn(Structs.intOut)]),
        "sched_getparam": CallFormat([.int, .structOut(Structs.intOut)]),
        "sched_rr_get_interval": CallFormat([.int, .structOut(Structs.timespec)]),
        "ioprio_set": CallFormat([.enumeration(ioprioWho), .int, .custom(ioprioValue)]),
        "ioprio_get": CallFormat([.enumeration(ioprioWho), .int], ret: ioprioResult),
        "unshare": CallFormat([.flags(unshareFlags)]),
    ]
}
