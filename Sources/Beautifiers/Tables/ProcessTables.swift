// Processes, namespaces, limits, futexes, clocks and capabilities.
// Values are the x86_64 Linux UAPI values; names and print order follow strace 6.1.

extension Tables {
    /// Entries shared by the tables that follow.
    private static let cloneFlagNames: [Named] = [
        Named(0x100, "CLONE_VM"),
        Named(0x200, "CLONE_FS"),
        Named(0x400, "CLONE_FILES"),
        Named(0x800, "CLONE_SIGHAND"),
        Named(0x1000, "CLONE_PIDFD"),
        Named(0x2000, "CLONE_PTRACE"),
        Named(0x4000, "CLONE_VFORK"),
        Named(0x8000, "CLONE_PARENT"),
        Named(0x10000, "CLONE_THREAD"),
        Named(0x20000, "CLONE_NEWNS"),
        Named(0x40000, "CLONE_SYSVSEM"),
        Named(0x80000, "CLONE_SETTLS"),
        Named(0x100000, "CLONE_PARENT_SETTID"),
        Named(0x200000, "CLONE_CHILD_CLEARTID"),
        Named(0x800000, "CLONE_UNTRACED"),
        Named(0x1000000, "CLONE_CHILD_SETTID"),
        Named(0x2000000, "CLONE_NEWCGROUP"),
        Named(0x4000000, "CLONE_NEWUTS"),
        Named(0x8000000, "CLONE_NEWIPC"),
        Named(0x10000000, "CLONE_NEWUSER"),
        Named(0x20000000, "CLONE_NEWPID"),
        Named(0x40000000, "CLONE_NEWNET"),
        Named(0x80000000, "CLONE_IO"),
    ]

    /// clone flags, without the exit signal. The low byte (`cloneExitSignalMask`, CSIGNAL) is the
    /// exit signal: strace prints the flags of `value & ~0xff`, then, if the signal is non-zero,
    /// `|` and its name (`signalName`, so `|SIGCHLD`, `|SIGRT_8`, or decimal `|127` if unnamed).
    /// When no flag bit is set it prints the signal alone (`flags=SIGCHLD`, or `flags=0`).
    public static let cloneFlags = FlagTable(
        cloneFlagNames,
        unknown: "CLONE_???")

    /// clone3 `flags` (64-bit, no exit-signal byte): the clone flags followed by the clone3-only ones.
    public static let clone3Flags = FlagTable(
        cloneFlagNames + [
            Named(0x80, "CLONE_NEWTIME"),
            Named(0x100000000, "CLONE_CLEAR_SIGHAND"),
            Named(0x200000000, "CLONE_INTO_CGROUP"),
        ],
        unknown: "CLONE_???")

    /// unshare flags (`CLONE_NEWTIME` first); 0 prints `0`.
    public static let unshareFlags = FlagTable(
        [
            Named(0x80, "CLONE_NEWTIME"),
            Named(0x100, "CLONE_VM"),
            Named(0x200, "CLONE_FS"),
            Named(0x400, "CLONE_FILES"),
            Named(0x800, "CLONE_SIGHAND"),
            Named(0x10000, "CLONE_THREAD"),
            Named(0x20000, "CLONE_NEWNS"),
            Named(0x40000, "CLONE_SYSVSEM"),
            Named(0x2000000, "CLONE_NEWCGROUP"),
            Named(0x4000000, "CLONE_NEWUTS"),
            Named(0x8000000, "CLONE_NEWIPC"),
            Named(0x10000000, "CLONE_NEWUSER"),
            Named(0x20000000, "CLONE_NEWPID"),
            Named(0x40000000, "CLONE_NEWNET"),
        ],
        unknown: "CLONE_???")

    /// setns nstype; 0 prints `0`.
    public static let setnsTypes = FlagTable(
        [
            Named(0x80, "CLONE_NEWTIME"),
            Named(0x20000, "CLONE_NEWNS"),
            Named(0x2000000, "CLONE_NEWCGROUP"),
            Named(0x4000000, "CLONE_NEWUTS"),
            Named(0x8000000, "CLONE_NEWIPC"),
            Named(0x10000000, "CLONE_NEWUSER"),
            Named(0x20000000, "CLONE_NEWPID"),
            Named(0x40000000, "CLONE_NEWNET"),
        ],
        unknown: "CLONE_NEW???")

    /// wait4/waitid options. `WUNTRACED` and `WSTOPPED` are both 2; strace prints `WSTOPPED`.
    /// Print order is the list order (`WNOHANG|WEXITED|WSTOPPED|WNOWAIT`), not bit order. 0 prints `0`.
    public static let waitOptions = FlagTable(
        [
            Named(0x1, "WNOHANG"),
            Named(0x4, "WEXITED"),
            Named(0x2, "WSTOPPED"),
            Named(0x8, "WCONTINUED"),
            Named(0x1000000, "WNOWAIT"),
            Named(0x80000000, "__WCLONE"),
            Named(0x40000000, "__WALL"),
            Named(0x20000000, "__WNOTHREAD"),
        ],
        unknown: "W???")

    /// waitid idtype.
    public static let waitidTypes = EnumTable([
        Named(0, "P_ALL"),
        Named(1, "P_PID"),
        Named(2, "P_PGID"),
        Named(3, "P_PIDFD"),
    ], unknown: "P_???")

    /// getrlimit/setrlimit/prlimit64 resource.
    public static let rlimitResources = EnumTable([
        Named(0, "RLIMIT_CPU"),
        Named(1, "RLIMIT_FSIZE"),
        Named(2, "RLIMIT_DATA"),
        Named(3, "RLIMIT_STACK"),
        Named(4, "RLIMIT_CORE"),
        Named(5, "RLIMIT_RSS"),
        Named(6, "RLIMIT_NPROC"),
        Named(7, "RLIMIT_NOFILE"),
        Named(8, "RLIMIT_MEMLOCK"),
        Named(9, "RLIMIT_AS"),
        Named(10, "RLIMIT_LOCKS"),
        Named(11, "RLIMIT_SIGPENDING"),
        Named(12, "RLIMIT_MSGQUEUE"),
        Named(13, "RLIMIT_NICE"),
        Named(14, "RLIMIT_RTPRIO"),
        Named(15, "RLIMIT_RTTIME"),
    ], unknown: "RLIMIT_???")

    /// prctl option.
    public static let prctlOptions = EnumTable([
        Named(0x1, "PR_SET_PDEATHSIG"),
        Named(0x2, "PR_GET_PDEATHSIG"),
        Named(0x3, "PR_GET_DUMPABLE"),
        Named(0x4, "PR_SET_DUMPABLE"),
        Named(0x5, "PR_GET_UNALIGN"),
        Named(0x6, "PR_SET_UNALIGN"),
        Named(0x7, "PR_GET_KEEPCAPS"),
        Named(0x8, "PR_SET_KEEPCAPS"),
        Named(0x9, "PR_GET_FPEMU"),
        Named(0xa, "PR_SET_FPEMU"),
        Named(0xb, "PR_GET_FPEXC"),
        Named(0xc, "PR_SET_FPEXC"),
        Named(0xd, "PR_GET_TIMING"),
        Named(0xe, "PR_SET_TIMING"),
        Named(0xf, "PR_SET_NAME"),
        Named(0x10, "PR_GET_NAME"),
        Named(0x13, "PR_GET_ENDIAN"),
        Named(0x14, "PR_SET_ENDIAN"),
        Named(0x15, "PR_GET_SECCOMP"),
        Named(0x16, "PR_SET_SECCOMP"),
        Named(0x17, "PR_CAPBSET_READ"),
        Named(0x18, "PR_CAPBSET_DROP"),
        Named(0x19, "PR_GET_TSC"),
        Named(0x1a, "PR_SET_TSC"),
        Named(0x1b, "PR_GET_SECUREBITS"),
        Named(0x1c, "PR_SET_SECUREBITS"),
        Named(0x1d, "PR_SET_TIMERSLACK"),
        Named(0x1e, "PR_GET_TIMERSLACK"),
        Named(0x1f, "PR_TASK_PERF_EVENTS_DISABLE"),
        Named(0x20, "PR_TASK_PERF_EVENTS_ENABLE"),
        Named(0x21, "PR_MCE_KILL"),
        Named(0x22, "PR_MCE_KILL_GET"),
        Named(0x23, "PR_SET_MM"),
        Named(0x24, "PR_SET_CHILD_SUBREAPER"),
        Named(0x25, "PR_GET_CHILD_SUBREAPER"),
        Named(0x26, "PR_SET_NO_NEW_PRIVS"),
        Named(0x27, "PR_GET_NO_NEW_PRIVS"),
        Named(0x28, "PR_GET_TID_ADDRESS"),
        Named(0x29, "PR_SET_THP_DISABLE"),
        Named(0x2a, "PR_GET_THP_DISABLE"),
        Named(0x2b, "PR_MPX_ENABLE_MANAGEMENT"),
        Named(0x2c, "PR_MPX_DISABLE_MANAGEMENT"),
        Named(0x2d, "PR_SET_FP_MODE"),
        Named(0x2e, "PR_GET_FP_MODE"),
        Named(0x2f, "PR_CAP_AMBIENT"),
        Named(0x32, "PR_SVE_SET_VL"),
        Named(0x33, "PR_SVE_GET_VL"),
        Named(0x34, "PR_GET_SPECULATION_CTRL"),
        Named(0x35, "PR_SET_SPECULATION_CTRL"),
        Named(0x36, "PR_PAC_RESET_KEYS"),
        Named(0x37, "PR_SET_TAGGED_ADDR_CTRL"),
        Named(0x38, "PR_GET_TAGGED_ADDR_CTRL"),
        Named(0x39, "PR_SET_IO_FLUSHER"),
        Named(0x3a, "PR_GET_IO_FLUSHER"),
        Named(0x3b, "PR_SET_SYSCALL_USER_DISPATCH"),
        Named(0x3c, "PR_PAC_SET_ENABLED_KEYS"),
        Named(0x3d, "PR_PAC_GET_ENABLED_KEYS"),
        Named(0x3e, "PR_SCHED_CORE"),
        Named(0x3f, "PR_SME_SET_VL"),
        Named(0x40, "PR_SME_GET_VL"),
        Named(0x53564d41, "PR_SET_VMA"),
        Named(0x59616d61, "PR_SET_PTRACER"),
    ], unknown: "PR_???")

    /// arch_prctl code (x86_64).
    public static let archPrctlCodes = EnumTable([
        Named(0x1001, "ARCH_SET_GS"),
        Named(0x1002, "ARCH_SET_FS"),
        Named(0x1003, "ARCH_GET_FS"),
        Named(0x1004, "ARCH_GET_GS"),
        Named(0x1011, "ARCH_GET_CPUID"),
        Named(0x1012, "ARCH_SET_CPUID"),
        Named(0x1021, "ARCH_GET_XCOMP_SUPP"),
        Named(0x1022, "ARCH_GET_XCOMP_PERM"),
        Named(0x1023, "ARCH_REQ_XCOMP_PERM"),
        Named(0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
        Named(0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
        Named(0x2001, "ARCH_MAP_VDSO_X32"),
        Named(0x2002, "ARCH_MAP_VDSO_32"),
        Named(0x2003, "ARCH_MAP_VDSO_64"),
    ], unknown: "ARCH_???")

    /// futex op, looked up whole (command | `FUTEX_PRIVATE_FLAG` | `FUTEX_CLOCK_REALTIME`), because
    /// strace names the whole value: `FUTEX_WAIT_PRIVATE`, `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`.
    /// Other combinations are unknown (`0xe3 /* FUTEX_??? */`).
    public static let futexOps = EnumTable([
        Named(0, "FUTEX_WAIT"),
        Named(1, "FUTEX_WAKE"),
        Named(2, "FUTEX_FD"),
        Named(3, "FUTEX_REQUEUE"),
        Named(4, "FUTEX_CMP_REQUEUE"),
        Named(5, "FUTEX_WAKE_OP"),
        Named(6, "FUTEX_LOCK_PI"),
        Named(7, "FUTEX_UNLOCK_PI"),
        Named(8, "FUTEX_TRYLOCK_PI"),
        Named(9, "FUTEX_WAIT_BITSET"),
        Named(10, "FUTEX_WAKE_BITSET"),
        Named(11, "FUTEX_WAIT_REQUEUE_PI"),
        Named(12, "FUTEX_CMP_REQUEUE_PI"),
        Named(13, "FUTEX_LOCK_PI2"),
        Named(128, "FUTEX_WAIT_PRIVATE"),
        Named(129, "FUTEX_WAKE_PRIVATE"),
        Named(130, "FUTEX_FD|FUTEX_PRIVATE_FLAG"),
        Named(131, "FUTEX_REQUEUE_PRIVATE"),
        Named(132, "FUTEX_CMP_REQUEUE_PRIVATE"),
        Named(133, "FUTEX_WAKE_OP_PRIVATE"),
        Named(134, "FUTEX_LOCK_PI_PRIVATE"),
        Named(135, "FUTEX_UNLOCK_PI_PRIVATE"),
        Named(136, "FUTEX_TRYLOCK_PI_PRIVATE"),
        Named(137, "FUTEX_WAIT_BITSET_PRIVATE"),
        Named(138, "FUTEX_WAKE_BITSET_PRIVATE"),
        Named(139, "FUTEX_WAIT_REQUEUE_PI_PRIVATE"),
        Named(140, "FUTEX_CMP_REQUEUE_PI_PRIVATE"),
        Named(141, "FUTEX_LOCK_PI2_PRIVATE"),
        Named(256, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"),
        Named(384, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"),
        Named(265, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"),
        Named(393, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"),
        Named(267, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"),
        Named(395, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"),
    ], unknown: "FUTEX_???")

    /// clock ids. strace 6.1 prints negative (CPU-clock) ids as unknown, e.g.
    /// `0xfffffffe /* CLOCK_??? */` (the id as a 32-bit unsigned value).
    public static let clockIds = EnumTable([
        Named(0, "CLOCK_REALTIME"),
        Named(1, "CLOCK_MONOTONIC"),
        Named(2, "CLOCK_PROCESS_CPUTIME_ID"),
        Named(3, "CLOCK_THREAD_CPUTIME_ID"),
        Named(4, "CLOCK_MONOTONIC_RAW"),
        Named(5, "CLOCK_REALTIME_COARSE"),
        Named(6, "CLOCK_MONOTONIC_COARSE"),
        Named(7, "CLOCK_BOOTTIME"),
        Named(8, "CLOCK_REALTIME_ALARM"),
        Named(9, "CLOCK_BOOTTIME_ALARM"),
        Named(10, "CLOCK_SGI_CYCLE"),
        Named(11, "CLOCK_TAI"),
    ], unknown: "CLOCK_???")

    /// clock_nanosleep / timer_settime flags; 0 prints `0`.
    public static let timerFlags = FlagTable(
        [
            Named(0x1, "TIMER_ABSTIME"),
        ],
        unknown: "TIMER_???")

    /// getrandom flags; 0 prints `0`.
    public static let getrandomFlags = FlagTable(
        [
            Named(0x1, "GRND_NONBLOCK"),
            Named(0x2, "GRND_RANDOM"),
            Named(0x4, "GRND_INSECURE"),
        ],
        unknown: "GRND_???")

    /// Capabilities by bit number (`CAP_SYS_ADMIN` is 21). capget/capset sets are 64-bit masks (two
    /// 32-bit words); strace prints each set bit n as `1<<` and its name, joined by `|`
    /// (`effective=1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE`), and an empty set as `0`.
    public static let capabilities = EnumTable([
        Named(0, "CAP_CHOWN"),
        Named(1, "CAP_DAC_OVERRIDE"),
        Named(2, "CAP_DAC_READ_SEARCH"),
        Named(3, "CAP_FOWNER"),
        Named(4, "CAP_FSETID"),
        Named(5, "CAP_KILL"),
        Named(6, "CAP_SETGID"),
        Named(7, "CAP_SETUID"),
        Named(8, "CAP_SETPCAP"),
        Named(9, "CAP_LINUX_IMMUTABLE"),
        Named(10, "CAP_NET_BIND_SERVICE"),
        Named(11, "CAP_NET_BROADCAST"),
        Named(12, "CAP_NET_ADMIN"),
        Named(13, "CAP_NET_RAW"),
        Named(14, "CAP_IPC_LOCK"),
        Named(15, "CAP_IPC_OWNER"),
        Named(16, "CAP_SYS_MODULE"),
        Named(17, "CAP_SYS_RAWIO"),
        Named(18, "CAP_SYS_CHROOT"),
        Named(19, "CAP_SYS_PTRACE"),
        Named(20, "CAP_SYS_PACCT"),
        Named(21, "CAP_SYS_ADMIN"),
        Named(22, "CAP_SYS_BOOT"),
        Named(23, "CAP_SYS_NICE"),
        Named(24, "CAP_SYS_RESOURCE"),
        Named(25, "CAP_SYS_TIME"),
        Named(26, "CAP_SYS_TTY_CONFIG"),
        Named(27, "CAP_MKNOD"),
        Named(28, "CAP_LEASE"),
        Named(29, "CAP_AUDIT_WRITE"),
        Named(30, "CAP_AUDIT_CONTROL"),
        Named(31, "CAP_SETFCAP"),
        Named(32, "CAP_MAC_OVERRIDE"),
        Named(33, "CAP_MAC_ADMIN"),
        Named(34, "CAP_SYSLOG"),
        Named(35, "CAP_WAKE_ALARM"),
        Named(36, "CAP_BLOCK_SUSPEND"),
        Named(37, "CAP_AUDIT_READ"),
        Named(38, "CAP_PERFMON"),
        Named(39, "CAP_BPF"),
        Named(40, "CAP_CHECKPOINT_RESTORE"),
    ], unknown: "CAP_???")

    /// sched_setscheduler policy / sched_getscheduler result. strace 6.1 looks the whole value up,
    /// so `SCHED_FIFO|SCHED_RESET_ON_FORK` prints `0x40000001 /* SCHED_??? */`. (4 is reserved: unnamed.)
    public static let schedPolicies = EnumTable([
        Named(0, "SCHED_OTHER"),
        Named(1, "SCHED_FIFO"),
        Named(2, "SCHED_RR"),
        Named(3, "SCHED_BATCH"),
        Named(5, "SCHED_IDLE"),
        Named(6, "SCHED_DEADLINE"),
    ], unknown: "SCHED_???")

    /// getpriority/setpriority which.
    public static let priorityWhich = EnumTable([
        Named(0, "PRIO_PROCESS"),
        Named(1, "PRIO_PGRP"),
        Named(2, "PRIO_USER"),
    ], unknown: "PRIO_???")

    /// getitimer/setitimer which.
    public static let itimerWhich = EnumTable([
        Named(0, "ITIMER_REAL"),
        Named(1, "ITIMER_VIRTUAL"),
        Named(2, "ITIMER_PROF"),
    ], unknown: "ITIMER_???")

    /// rseq flags (strace 6.1 has no rseq decoder and prints the raw number; provided for completeness).
    public static let rseqFlags = FlagTable(
        [
            Named(0x1, "RSEQ_FLAG_UNREGISTER"),
        ],
        unknown: "RSEQ_FLAG_???")
}

extension Tables {
    /// The exit-signal byte of clone's flags (CSIGNAL). See `cloneFlags` for how strace prints it.
    public static let cloneExitSignalMask: UInt64 = 0xff
}
