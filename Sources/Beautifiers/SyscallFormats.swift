import Syscalls

/// A per-syscall override: how its arguments print when the C declaration is not enough.
/// Families (Families/*.swift) each contribute a table of these, keyed by syscall name.
public struct CallFormat: Sendable {
    public let args: [ArgFormat]
    public let ret: ReturnFormat
    public init(_ args: [ArgFormat], ret: ReturnFormat = .signed) {
        self.args = args
        self.ret = ret
    }
}

/// Every syscall's format for one architecture: the family overrides where they exist, and a
/// format derived from the kernel's declaration (names and C types) everywhere else.
public struct SyscallFormats: Sendable {
    public let table: SyscallTable
    private let formats: [SyscallFormat?]

    /// All families' overrides. To find how a syscall is decoded, look here for its family.
    public static let overrides: [String: CallFormat] = {
        var all: [String: CallFormat] = [:]
        for family in [FileCalls.formats, MemoryCalls.formats, ProcessCalls.formats,
                       SignalCalls.formats, NetworkCalls.formats, PollCalls.formats, MessageCalls.formats,
                       IpcCalls.formats] {
            all.merge(family) { first, _ in first }
        }
        return all
    }()

    public init(table: SyscallTable) {
        self.table = table
        var formats = [SyscallFormat?](repeating: nil, count: table.count)
        for info in table.all {
            formats[info.number] = Self.format(for: info)
        }
        self.formats = formats
    }

    public static let x86_64 = SyscallFormats(table: .x86_64)

    /// The format for a syscall number; unknown numbers print as strace does, `syscall_0x1c3(…)`.
    public subscript(number: Int) -> SyscallFormat {
        if number >= 0, number < formats.count, let f = formats[number] { return f }
        let name = number >= 0 ? "syscall_0x\(String(number, radix: 16))" : "syscall_\(number)"
        return SyscallFormat(name: name, argNames: (0..<6).map { "arg\($0)" },
                             args: Array(repeating: .hex, count: 6))
    }

    /// Calls that create a task (which then returns from them without having entered them).
    public func isForkLike(_ number: Int) -> Bool {
        guard let name = table[number]?.name else { return false }
        return name == "clone" || name == "clone3" || name == "fork" || name == "vfork"
    }

    static func format(for info: SyscallInfo) -> SyscallFormat {
        let names = info.args.map(\.name)
        var args: [ArgFormat], ret: ReturnFormat
        if let o = overrides[info.name] {
            // An override that leaves the result plain still prints a descriptor as one.
            (args, ret) = (o.args, o.ret)
            if case .signed = ret, info.returnsDescriptor { ret = .fd }
        } else {
            args = info.args.enumerated().map { i, a in defaultFormat(a, index: i, all: info.args) }
            ret = defaultReturn(info)
        }
        // Process ids print as such (-Y adds their command names), wherever the format came from.
        for i in pidArguments[info.name] ?? [] where i < args.count {
            switch args[i] {
            case .int, .signed, .unsigned, .uint: args[i] = .custom(pidArgument)
            default: break
            }
        }
        if case .signed = ret, pidReturning.contains(info.name) { ret = pidResult }
        return SyscallFormat(name: info.name, argNames: names, args: args, ret: ret,
                             returnsDescriptor: info.returnsDescriptor)
    }

    /// Arguments that are process or thread ids, by position.
    static let pidArguments: [String: [Int]] = [
        "kill": [0], "tkill": [0], "tgkill": [0, 1], "wait4": [0], "getpgid": [0], "setpgid": [0, 1],
        "getsid": [0], "prlimit64": [0], "sched_setaffinity": [0], "sched_getaffinity": [0],
        "sched_getparam": [0], "sched_setparam": [0], "sched_setscheduler": [0], "sched_getscheduler": [0],
        "sched_setattr": [0], "sched_getattr": [0], "pidfd_open": [0], "process_vm_readv": [0],
        "process_vm_writev": [0], "rt_sigqueueinfo": [0], "rt_tgsigqueueinfo": [0, 1], "get_robust_list": [0],
        "kcmp": [0, 1], "migrate_pages": [0], "move_pages": [0],
    ]
    /// Calls whose result is a process or thread id.
    static let pidReturning: Set<String> = [
        "getpid", "gettid", "getppid", "getpgrp", "getpgid", "getsid", "setsid", "fork", "vfork", "clone",
        "clone3", "wait4",
    ]
    static let pidArgument = CustomArg { call, i, out in out.pid(Int64(call.int32(i))) }
    static let pidResult = ReturnFormat.custom { _, value, out in out.pid(value) }

    static let lengthNames: Set<String> = ["count", "len", "size", "nbytes", "bufsiz", "buflen", "length", "n", "cnt"]
    static let int32Types: Set<String> = ["int", "pid_t", "key_t", "clockid_t", "mqd_t", "timer_t", "key_serial_t", "rwf_t"]
    static let uint32Types: Set<String> = ["unsigned int", "u32", "uid_t", "gid_t", "old_uid_t", "old_gid_t", "qid_t", "__u32", "unsigned"]

    /// The format the C declaration implies.
    static func defaultFormat(_ a: SyscallArg, index: Int, all: [SyscallArg]) -> ArgFormat {
        let next = index + 1 < all.count ? all[index + 1] : nil
        let nextIsLength = next.map { lengthNames.contains($0.name) } ?? false
        switch a.kind {
        case .signed: return int32Types.contains(a.type) ? .int : .signed
        case .unsigned:
            if a.type == "umode_t" || a.name == "mode" { return .octal }
            return uint32Types.contains(a.type) ? .uint : .unsigned
        case .hex: return .hex
        case .octal: return .octal
        case .fd: return .fd
        case .dirfd: return .dirfd
        case .path: return .path
        case .string: return .string
        case .stringArray: return a.name.contains("env") ? .envp : .argv
        case .inBuffer: return nextIsLength ? .inBuffer(length: index + 1) : .pointer
        case .outBuffer: return nextIsLength ? .outBuffer : .pointer
        case .inStruct(let name):
            if let s = Structs.byName[name] { return .structIn(s) }
            return .pointer
        case .outStruct(let name):
            if let s = Structs.byName[name] { return .structOut(s) }
            return .pointer
        case .pointer: return .pointer
        }
    }

    static let hexReturning: Set<String> = ["mmap", "brk", "mremap", "shmat"]

    static func defaultReturn(_ info: SyscallInfo) -> ReturnFormat {
        if info.returnsDescriptor { return .fd }
        if hexReturning.contains(info.name) { return .hex }
        if info.name == "exit" || info.name == "exit_group" { return .none }
        return .signed
    }
}
