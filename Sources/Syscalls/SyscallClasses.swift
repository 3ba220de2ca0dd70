/// strace's syscall classes for `-e trace=%class`, as data. Two are defined by what the
/// arguments are (and derived from the table's argument kinds); the rest are lists.
public enum SyscallClass: String, CaseIterable, Sendable {
    case file, desc, network, process, memory, signal, ipc, creds, clock
    case stat, lstat, fstat, anyStat = "%stat", statfs, fstatfs, anyStatfs = "%statfs", pure

    /// Names as written after `%` (`%%stat` is written `%%stat`, hence the raw values).
    public static func named(_ name: String) -> SyscallClass? {
        SyscallClass(rawValue: name)
    }

    static let lists: [SyscallClass: [String]] = [
        .network: ["socket", "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
                   "getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
                   "shutdown", "setsockopt", "getsockopt"],
        .process: ["clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4",
                   "waitid", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
                   "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "unshare", "setns"],
        .memory: ["mmap", "munmap", "mprotect", "pkey_mprotect", "brk", "mremap", "madvise", "process_madvise",
                  "msync", "mlock", "mlock2", "munlock", "mlockall", "munlockall", "mincore", "remap_file_pages",
                  "mbind", "set_mempolicy", "get_mempolicy", "migrate_pages", "move_pages", "mseal",
                  "map_shadow_stack", "set_mempolicy_home_node"],
        .signal: ["rt_sigaction", "rt_sigprocmask", "rt_sigpending", "rt_sigsuspend", "rt_sigtimedwait",
                  "rt_sigqueueinfo", "rt_tgsigqueueinfo", "rt_sigreturn", "kill", "tkill", "tgkill",
                  "sigaltstack", "signalfd", "signalfd4", "pause", "pidfd_send_signal"],
        .ipc: ["msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semctl", "semtimedop",
               "shmget", "shmat", "shmdt", "shmctl"],
        .creds: ["getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "setreuid", "setregid",
                 "setresuid", "setresgid", "getresuid", "getresgid", "setfsuid", "setfsgid", "getgroups",
                 "setgroups", "capget", "capset"],
        .clock: ["adjtimex", "clock_adjtime", "clock_getres", "clock_gettime", "clock_settime",
                 "gettimeofday", "settimeofday", "time"],
        .stat: ["stat"],
        .lstat: ["lstat"],
        .fstat: ["fstat", "newfstatat"],
        .anyStat: ["stat", "lstat", "fstat", "newfstatat", "statx"],
        .statfs: ["statfs"],
        .fstatfs: ["fstatfs"],
        .anyStatfs: ["statfs", "fstatfs", "ustat"],
        .pure: ["getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid", "getpgrp"],
    ]

    /// Syscall numbers in this class for a table.
    public func members(in table: SyscallTable) -> Set<Int> {
        switch self {
        case .file:
            // Calls that take a file name.
            return Set(table.all.filter { $0.args.contains { $0.kind == .path } }.map(\.number))
        case .desc:
            // Calls that take or make a file descriptor.
            let making: Set<String> = ["pipe", "pipe2", "socketpair", "eventfd", "eventfd2", "epoll_create",
                                       "epoll_create1", "inotify_init", "inotify_init1", "memfd_create",
                                       "timerfd_create", "signalfd", "signalfd4", "perf_event_open", "userfaultfd"]
            return Set(table.all.filter { info in
                making.contains(info.name) || info.args.contains { $0.kind == .fd || $0.kind == .dirfd }
            }.map(\.number))
        default:
            return Set((Self.lists[self] ?? []).compactMap { table.number(named: $0) })
        }
    }
}

/// `-e trace=EXPR`, strace's syntax: a comma-separated list of names, `%class`es, `/regex`es
/// (matched against names), `?name` (ignored if unknown), `all` or `none`; a leading `!` negates
/// the whole list.
public enum TraceExpression {
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The syscall numbers to trace, or nil for all.
    public static func parse(_ expression: String, table: SyscallTable) throws(Error) -> Set<Int>? {
        var body = Substring(expression)
        let negated = body.hasPrefix("!")
        if negated { body = body.dropFirst() }
        var chosen = Set<Int>()
        var all = false
        for rawItem in body.split(separator: ",", omittingEmptySubsequences: false) {
            var item = rawItem
            let optional = item.hasPrefix("?")
            if optional { item = item.dropFirst() }
            if item == "all" {
                all = true
            } else if item == "none" {
                continue
            } else if item.hasPrefix("%") {
                guard let cls = SyscallClass.named(String(item.dropFirst())) else {
                    if optional { continue }
                    throw Error(description: "invalid system call class '\(item)'")
                }
                chosen.formUnion(cls.members(in: table))
            } else if item.hasPrefix("/") {
                let pattern = String(item.dropFirst())
                guard let regex = try? Regex(pattern) else {
                    throw Error(description: "invalid regular expression '\(pattern)'")
                }
                let matches = table.all.filter { $0.name.contains(regex) }.map(\.number)
                if matches.isEmpty && !optional {
                    throw Error(description: "no system call matches '/\(pattern)'")
                }
                chosen.formUnion(matches)
            } else {
                guard !item.isEmpty, let n = table.number(named: String(item)) else {
                    if optional { continue }
                    throw Error(description: "invalid system call '\(item)'")
                }
                chosen.insert(n)
            }
        }
        if all { return negated ? [] : nil }
        if negated { return Set(table.all.map(\.number)).subtracting(chosen) }
        return chosen
    }
}
