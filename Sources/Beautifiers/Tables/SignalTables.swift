// Signal-related enumerations and flags.
// Values are the x86_64 Linux UAPI values; names and print order follow strace 6.1.

extension Tables {
    /// rt_sigprocmask how.
    public static let sigprocmaskHow = EnumTable([
        Named(0, "SIG_BLOCK"),
        Named(1, "SIG_UNBLOCK"),
        Named(2, "SIG_SETMASK"),
    ], unknown: "SIG_???")

    /// sigaction sa_flags, in strace's order: `SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_INTERRUPT|SA_NODEFER|
    /// SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT` (the common case is `SA_RESTORER|SA_RESTART`).
    /// `SA_INTERRUPT` (0x20000000) is the historical no-op bit glibc still defines.
    /// `SA_NOMASK`/`SA_ONESHOT` are the same bits as `SA_NODEFER`/`SA_RESETHAND` and are not printed.
    /// 0 prints `0`.
    public static let sigactionFlags = FlagTable(
        [
            Named(0x4000000, "SA_RESTORER"),
            Named(0x8000000, "SA_ONSTACK"),
            Named(0x10000000, "SA_RESTART"),
            Named(0x20000000, "SA_INTERRUPT"),
            Named(0x40000000, "SA_NODEFER"),
            Named(0x80000000, "SA_RESETHAND"),
            Named(0x4, "SA_SIGINFO"),
            Named(0x1, "SA_NOCLDSTOP"),
            Named(0x2, "SA_NOCLDWAIT"),
        ],
        unknown: "SA_???")

    /// stack_t ss_flags; 0 prints `0`.
    public static let sigaltstackFlags = FlagTable(
        [
            Named(0x1, "SS_ONSTACK"),
            Named(0x2, "SS_DISABLE"),
            Named(0x80000000, "SS_AUTODISARM"),
        ],
        unknown: "SS_???")

    /// si_code values common to all signals (`SI_USER`, `SI_KERNEL`, and the negative
    /// user-sent codes), keyed by the code as a 32-bit unsigned value (`SI_QUEUE` is 0xffffffff).
    /// strace looks a code up here first, then in the table of its signal: use `siCodeName`.
    public static let siginfoCodes = EnumTable([
        Named(0x0, "SI_USER"),
        Named(0x80, "SI_KERNEL"),
        Named(0xffffffff, "SI_QUEUE"),
        Named(0xfffffffe, "SI_TIMER"),
        Named(0xfffffffd, "SI_MESGQ"),
        Named(0xfffffffc, "SI_ASYNCIO"),
        Named(0xfffffffb, "SI_SIGIO"),
        Named(0xfffffffa, "SI_TKILL"),
        Named(0xfffffff9, "SI_DETHREAD"),
        Named(0xffffffc4, "SI_ASYNCNL"),
    ], unknown: "")

    /// SIGILL si_code values.
    public static let sigillCodes = EnumTable([
        Named(1, "ILL_ILLOPC"),
        Named(2, "ILL_ILLOPN"),
        Named(3, "ILL_ILLADR"),
        Named(4, "ILL_ILLTRP"),
        Named(5, "ILL_PRVOPC"),
        Named(6, "ILL_PRVREG"),
        Named(7, "ILL_COPROC"),
        Named(8, "ILL_BADSTK"),
        Named(9, "ILL_BADIADDR"),
    ], unknown: "")

    /// SIGFPE si_code values.
    public static let sigfpeCodes = EnumTable([
        Named(1, "FPE_INTDIV"),
        Named(2, "FPE_INTOVF"),
        Named(3, "FPE_FLTDIV"),
        Named(4, "FPE_FLTOVF"),
        Named(5, "FPE_FLTUND"),
        Named(6, "FPE_FLTRES"),
        Named(7, "FPE_FLTINV"),
        Named(8, "FPE_FLTSUB"),
        Named(14, "FPE_FLTUNK"),
        Named(15, "FPE_CONDTRAP"),
    ], unknown: "")

    /// SIGSEGV si_code values.
    public static let sigsegvCodes = EnumTable([
        Named(1, "SEGV_MAPERR"),
        Named(2, "SEGV_ACCERR"),
        Named(3, "SEGV_BNDERR"),
        Named(4, "SEGV_PKUERR"),
        Named(5, "SEGV_ACCADI"),
        Named(6, "SEGV_ADIDERR"),
        Named(7, "SEGV_ADIPERR"),
        Named(8, "SEGV_MTEAERR"),
        Named(9, "SEGV_MTESERR"),
    ], unknown: "")

    /// SIGBUS si_code values.
    public static let sigbusCodes = EnumTable([
        Named(1, "BUS_ADRALN"),
        Named(2, "BUS_ADRERR"),
        Named(3, "BUS_OBJERR"),
        Named(4, "BUS_MCEERR_AR"),
        Named(5, "BUS_MCEERR_AO"),
    ], unknown: "")

    /// SIGTRAP si_code values.
    public static let sigtrapCodes = EnumTable([
        Named(1, "TRAP_BRKPT"),
        Named(2, "TRAP_TRACE"),
        Named(3, "TRAP_BRANCH"),
        Named(4, "TRAP_HWBKPT"),
        Named(5, "TRAP_UNK"),
        Named(6, "TRAP_PERF"),
    ], unknown: "")

    /// SIGCHLD si_code values.
    public static let sigchldCodes = EnumTable([
        Named(1, "CLD_EXITED"),
        Named(2, "CLD_KILLED"),
        Named(3, "CLD_DUMPED"),
        Named(4, "CLD_TRAPPED"),
        Named(5, "CLD_STOPPED"),
        Named(6, "CLD_CONTINUED"),
    ], unknown: "")

    /// SIGIO/SIGPOLL si_code values.
    public static let sigpollCodes = EnumTable([
        Named(1, "POLL_IN"),
        Named(2, "POLL_OUT"),
        Named(3, "POLL_MSG"),
        Named(4, "POLL_ERR"),
        Named(5, "POLL_PRI"),
        Named(6, "POLL_HUP"),
    ], unknown: "")

    /// SIGSYS si_code values.
    public static let sigsysCodes = EnumTable([
        Named(1, "SYS_SECCOMP"),
        Named(2, "SYS_USER_DISPATCH"),
    ], unknown: "")

    /// Signal numbers 1–32 as strace names them (`SIGABRT` not `SIGIOT`, `SIGIO` not `SIGPOLL`,
    /// 32 is `SIGRTMIN`). Use `signalName` for the full rule, including real-time signals.
    public static let signals = EnumTable([
        Named(1, "SIGHUP"),
        Named(2, "SIGINT"),
        Named(3, "SIGQUIT"),
        Named(4, "SIGILL"),
        Named(5, "SIGTRAP"),
        Named(6, "SIGABRT"),
        Named(7, "SIGBUS"),
        Named(8, "SIGFPE"),
        Named(9, "SIGKILL"),
        Named(10, "SIGUSR1"),
        Named(11, "SIGSEGV"),
        Named(12, "SIGUSR2"),
        Named(13, "SIGPIPE"),
        Named(14, "SIGALRM"),
        Named(15, "SIGTERM"),
        Named(16, "SIGSTKFLT"),
        Named(17, "SIGCHLD"),
        Named(18, "SIGCONT"),
        Named(19, "SIGSTOP"),
        Named(20, "SIGTSTP"),
        Named(21, "SIGTTIN"),
        Named(22, "SIGTTOU"),
        Named(23, "SIGURG"),
        Named(24, "SIGXCPU"),
        Named(25, "SIGXFSZ"),
        Named(26, "SIGVTALRM"),
        Named(27, "SIGPROF"),
        Named(28, "SIGWINCH"),
        Named(29, "SIGIO"),
        Named(30, "SIGPWR"),
        Named(31, "SIGSYS"),
        Named(32, "SIGRTMIN"),
    ], unknown: "")
}

extension Tables {
    /// The kernel's first real-time signal. (glibc's `SIGRTMIN` is 34 because it keeps 32 and 33 for
    /// itself, but strace names kernel numbers: 32 is `SIGRTMIN`, 34 is `SIGRT_2`.)
    public static let realtimeSignalMin = 32
    /// The last signal on x86_64.
    public static let realtimeSignalMax = 64

    /// A signal number as strace prints it: `SIGHUP`…`SIGSYS` for 1–31, `SIGRTMIN` for 32,
    /// `SIGRT_<n>` for 32+n up to 64 (`SIGRT_2` is 34, `SIGRT_32` is 64), and the decimal number
    /// for anything else (`0`, `-3`, `65`). Used for kill/tgkill signals, the clone exit signal
    /// (`CLONE_THREAD|SIGUSR1`), `--- SIGCHLD {…} ---` lines and si_signo.
    public static func signalName(_ sig: Int) -> String {
        if sig > 0, sig <= realtimeSignalMin, let name = signals.name(for: UInt64(sig)) { return name }
        if sig > realtimeSignalMin, sig <= realtimeSignalMax { return "SIGRT_\(sig - realtimeSignalMin)" }
        return String(sig)
    }

    /// A signal's name inside a signal set, where strace drops the `SIG` prefix: `[HUP USR1 RTMIN RT_2]`.
    /// Nil for numbers beyond 64. (strace prints a set with two thirds or more of its bits set as
    /// `~[…]` listing the signals not in it; an empty set is `[]`.)
    public static func signalSetName(_ sig: Int) -> String? {
        guard sig > 0, sig <= realtimeSignalMax else { return nil }
        return String(signalName(sig).dropFirst(3))
    }

    /// The special sa_handler values (`SIG_ERR` is -1 as an unsigned long).
    public static let sigHandlerValues = EnumTable([
        Named(0, "SIG_DFL"),
        Named(1, "SIG_IGN"),
        Named(UInt64.max, "SIG_ERR"),
    ])

    /// The name strace gives an si_code: the codes common to all signals first (`SI_USER`,
    /// `SI_KERNEL`, `SI_QUEUE`, `SI_TKILL`, …), then those of the signal's own family (`CLD_EXITED`
    /// for SIGCHLD, `SEGV_MAPERR` for SIGSEGV, …). Nil when neither knows it; strace then prints the
    /// code in hex as a 32-bit unsigned value (`si_code=0xa`, `si_code=0xfffffff6` for -10).
    public static func siCodeName(signal: Int, code: Int32) -> String? {
        let key = UInt64(UInt32(bitPattern: code))
        if let name = siginfoCodes.name(for: key) { return name }
        let family: EnumTable?
        switch signal {
        case 4: family = sigillCodes
        case 5: family = sigtrapCodes
        case 7: family = sigbusCodes
        case 8: family = sigfpeCodes
        case 11: family = sigsegvCodes
        case 17: family = sigchldCodes
        case 29: family = sigpollCodes
        case 31: family = sigsysCodes
        default: family = nil
        }
        return family?.name(for: key)
    }
}
