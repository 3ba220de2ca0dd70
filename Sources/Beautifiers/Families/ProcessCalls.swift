import CgtraceABI

/// Processes and threads: exec, exit, wait, limits, identity.
enum ProcessCalls {
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

    // MARK: personality, getcpu

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
        func hex(_ v: UInt32) -> String { Structs.hexText(UInt64(v)) }
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

    // MARK: small process queries

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

    static let formats: [String: CallFormat] = [
        "getgroups": CallFormat([.int, .custom(groupsOut)]),
        "setgroups": CallFormat([.int, .custom(groupsIn)]),
        "execve": CallFormat([.path, .argv, .envp]),
        "execveat": CallFormat([.dirfd, .path, .argv, .envp, .intFlags(Tables.atFlags)]),
        "exit": CallFormat([.int], ret: .none),
        "exit_group": CallFormat([.int], ret: .none),
        "wait4": CallFormat([.int, .custom(waitStatus), .intFlags(Tables.waitOptions), .custom(waitRusage)]),
        "eventfd2": CallFormat([.uint, .intFlags(Tables.eventfdFlags)]),
        "inotify_init1": CallFormat([.intFlags(Tables.inotifyInitFlags)]),
        "times": CallFormat([.structOut(tms)]),
        "personality": CallFormat([.custom(personality)], ret: personalityResult),
        "getcpu": CallFormat([.structOut(uintOut), .structOut(uintOut), .pointer]),
        "pidfd_send_signal": CallFormat([.fd, .custom(signal), .pointer, .uint]),
        "waitid": CallFormat([.custom(waitidType), .int, .structOut(waitidInfo), .intFlags(Tables.waitOptions),
                              .structOut(Structs.rusage)]),
        "getrusage": CallFormat([.custom(rusageWho), .structOut(Structs.rusage)]),
        "set_tid_address": CallFormat([.pointer]),
        "set_robust_list": CallFormat([.pointer, .unsigned]),
        "rseq": CallFormat([.pointer, .hex, .int, .hex]),
        "prlimit64": CallFormat([.int, .intEnum(Tables.rlimitResources), .structIn(Structs.rlimit), .structOut(Structs.rlimit)]),
        "getrlimit": CallFormat([.intEnum(Tables.rlimitResources), .structOut(Structs.rlimit)]),
        "setrlimit": CallFormat([.intEnum(Tables.rlimitResources), .structIn(Structs.rlimit)]),
        "uname": CallFormat([.structOut(Structs.utsname)]),
        "getrandom": CallFormat([.custom(randomBytes), .unsigned, .intFlags(Tables.getrandomFlags)]),
        "kill": CallFormat([.int, .custom(signal)]),
        "tkill": CallFormat([.int, .custom(signal)]),
        "tgkill": CallFormat([.int, .int, .custom(signal)]),
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
    ]
}
