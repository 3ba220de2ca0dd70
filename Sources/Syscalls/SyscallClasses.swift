/// strace's syscall classes for `-e trace=%class`, as data. Two are defined by what the
/// arguments are (and derived from the table's argument kinds); the rest are lists.
public enum SyscallClass: String, CaseIterable, Sendable {
    case file, desc, network, process, memory, signal, ipc, creds, clock
    case stat, lstat, fstat, anyStat = "%stat", statfs, fstatfs, anyStatfs = "%statfs", pure

    /// Names as written after `%` (`%%stat` is written `%%stat`, hence the raw values); `%net`
    /// is strace's short name for `%network`.
    public static func named(_ name: String) -> SyscallClass? {
        name == "net" ? .network : SyscallClass(rawValue: name)
    }

    static let lists: [SyscallClass: [String]] = [
        .network: ["socket", "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
                   "getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
                   "shutdown", "setsockopt", "getsockopt", "sendfile"],
        .process: ["clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4",
                   "waitid", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
                   "pidfd_send_signal"],
        .memory: ["mmap", "munmap", "mprotect", "pkey_mprotect", "brk", "mremap", "madvise",
                  "msync", "mlock", "mlock2", "munlock", "mlockall", "munlockall", "mincore", "remap_file_pages",
                  "mbind", "set_mempolicy", "get_mempolicy", "migrate_pages", "move_pages", "mseal",
                  "io_setup", "io_destroy", "io_uring_register", "shmat", "shmdt",
                  "map_shadow_stack", "set_mempolicy_home_node"],
        .signal: ["rt_sigaction", "rt_sigprocmask", "rt_sigpending", "rt_sigsuspend", "rt_sigtimedwait",
                  "rt_sigqueueinfo", "rt_tgsigqueueinfo", "rt_sigreturn", "kill", "tkill", "tgkill",
                  "sigaltstack", "signalfd", "signalfd4", "pause", "pidfd_send_signal", "io_uring_enter"],
        .ipc: ["msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semctl", "semtimedop",
               "shmget", "shmat", "shmdt", "shmctl"],
        .creds: ["getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "setreuid", "setregid",
                 "setresuid", "setresgid", "getresuid", "getresgid", "setfsuid", "setfsgid", "getgroups",
                 "setgroups", "capget", "capset", "prctl"],
        .clock: ["adjtimex", "clock_adjtime", "clock_getres", "clock_gettime", "clock_settime",
                 "gettimeofday", "settimeofday", "time"],
        .stat: ["stat"],
        .lstat: ["lstat"],
        .fstat: ["fstat", "newfstatat", "statx"],
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
            // Calls that take a file name, and those whose name argument is not declared as a
            // path (acct's, umount2's, name_to_handle_at's `name`) or that return one (getcwd).
            return Set(table.all.filter { info in
                Self.fileByName.contains(info.name) || info.args.contains { $0.kind == .path }
            }.map(\.number))
        case .desc:
            // Calls that take or make a file descriptor, and poll's and select's fd sets; socket
            // calls are %network's, not %desc's, as in strace (sendfile is both).
            let network = Set(Self.lists[.network] ?? []).subtracting(["sendfile"])
            return Set(table.all.filter { info in
                guard !network.contains(info.name), !Self.notDesc.contains(info.name) else { return false }
                return Self.descByName.contains(info.name) || info.returnsDescriptor
                    || info.args.contains { $0.kind == .fd || $0.kind == .dirfd }
            }.map(\.number))
        default:
            return Set((Self.lists[self] ?? []).compactMap { table.number(named: $0) })
        }
    }

    /// %file members the argument kinds do not show.
    static let fileByName: Set<String> = ["getcwd", "acct", "umount2", "uselib", "name_to_handle_at", "fsconfig"]
    /// %desc members the argument kinds do not show: fd pairs written to memory, fd sets.
    static let descByName: Set<String> = ["pipe", "pipe2", "poll", "ppoll", "select", "pselect6"]
    /// Takes descriptors as a range of numbers, which strace does not count as %desc.
    static let notDesc: Set<String> = ["close_range"]
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
