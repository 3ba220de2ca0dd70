import CgtraceABI
import Syscalls

/// A per-syscall override: how its arguments print when the C declaration is not enough.
/// Families (Families/*.swift) each contribute a table of these, keyed by syscall name.
/// A result that is a new descriptor is not declared here: `SyscallInfo.returnsDescriptor` (the
/// one list, which %desc reads too) makes it print as one and has -y resolve it in the kernel.
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

    /// Each family's overrides, with the family's name. A syscall is decoded by one family: a
    /// name in two would be decoded by whichever comes first here, so DecoderRegistryTests
    /// fails on it (and on a name that is in no syscall table).
    static let families: [(name: String, formats: [String: CallFormat])] = [
        ("FileCalls", FileCalls.formats), ("IoctlCalls", IoctlCalls.formats), ("MemoryCalls", MemoryCalls.formats),
        ("ProcessCalls", ProcessCalls.formats), ("CloneCalls", CloneCalls.formats), ("FutexCalls", FutexCalls.formats),
        ("PrctlCalls", PrctlCalls.formats), ("CapabilityCalls", CapabilityCalls.formats), ("SchedCalls", SchedCalls.formats),
        ("TimerCalls", TimerCalls.formats), ("SignalCalls", SignalCalls.formats), ("NetworkCalls", NetworkCalls.formats),
        ("PollCalls", PollCalls.formats), ("MessageCalls", MessageCalls.formats), ("IpcCalls", IpcCalls.formats),
    ]

    /// All families' overrides. To find how a syscall is decoded, look here for its family.
    public static let overrides: [String: CallFormat] = {
        var all: [String: CallFormat] = [:]
        for family in families {
            all.merge(family.formats) { first, _ in first }
        }
        return all
    }()

    /// `types`: struct and enum layouts from the kernel's BTF, for arguments no hand decoder
    /// covers (without them such arguments print as addresses).
    public init(table: SyscallTable, types: KernelTypes = KernelTypes()) {
        self.table = table
        var formats = [SyscallFormat?](repeating: nil, count: table.count)
        for info in table.all {
            formats[info.number] = Self.format(for: info, types: types)
        }
        self.formats = formats
    }

    public static let x86_64 = SyscallFormats(table: .x86_64)

    /// The format this table keeps for a syscall number (nil for an unknown one, whose
    /// format the subscript makes each time).
    public func kept(_ number: Int) -> SyscallFormat? {
        number >= 0 && number < formats.count ? formats[number] : nil
    }

    /// The format for a syscall number; unknown numbers print as strace does, `syscall_0x1c3(…)`.
    public subscript(number: Int) -> SyscallFormat {
        if number >= 0, number < formats.count, let f = formats[number] { return f }
        let name = number >= 0 ? "syscall_0x\(String(number, radix: 16))" : "syscall_\(number)"
        return SyscallFormat(name: name, argNames: (0..<6).map { "arg\($0)" },
                             args: Array(repeating: .hex, count: 6))
    }

    /// The argument registers a held entry keeps for this syscall (the kernel's copy spec,
    /// CGT_SC_NARGS_SHIFT): as many as the kernel's declaration or the format names, whichever
    /// is more; all of them for a syscall the table does not know.
    public func keptArguments(_ number: Int) -> Int {
        guard let info = table[number] else { return Int(CGT_MAX_ARGS) }
        return min(max(info.args.count, self[number].args.count), Int(CGT_MAX_ARGS))
    }

    /// Every syscall number's copy spec for the kernel (`syscall_specs`): what it copies at entry
    /// and exit, derived from its format; calls not in `traced` (nil: all) send nothing.
    /// `verbose` (-v): the environment is copied as argv is.
    public func kernelSpecs(traced: Set<Int>?, verbose: Bool) -> [cgt_syscall_spec] {
        (0..<Int(CGT_MAX_SYSCALLS)).map { nr in
            self[nr].kernelSpec(traced: traced?.contains(nr) ?? true, verbose: verbose, keptArguments: keptArguments(nr))
        }
    }

    /// Calls that create a task (which then returns from them without having entered them).
    public func isForkLike(_ number: Int) -> Bool {
        guard let name = table[number]?.name else { return false }
        return name == "clone" || name == "clone3" || name == "fork" || name == "vfork"
    }

    static func format(for info: SyscallInfo, types: KernelTypes = KernelTypes()) -> SyscallFormat {
        let names = info.args.map(\.name)
        var args: [ArgFormat], ret: ReturnFormat
        if let o = overrides[info.name] {
            // A descriptor result prints as one whatever the override (fcntl's custom result
            // prints F_DUPFD's as one itself).
            (args, ret) = (o.args, o.ret)
            if case .signed = ret, info.returnsDescriptor { ret = .fd }
        } else {
            args = info.args.enumerated().map { i, a in
                kernelTypeFormat(a, index: i, all: info.args, types: types, syscall: info.name)
                    ?? defaultFormat(a, index: i, all: info.args)
            }
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

    /// The format BTF gives an argument whose struct no hand decoder prints, or whose type is a
    /// kernel enum: nil when BTF does not describe it.
    static func kernelTypeFormat(_ a: SyscallArg, index: Int, all: [SyscallArg], types: KernelTypes,
                                 syscall: String = "") -> ArgFormat? {
        var kind = a.kind
        if case .outStruct(let tag) = kind, structSetters.contains(syscall) { kind = .inStruct(tag) }
        switch kind {
        case .inStruct(let tag), .outStruct(let tag):
            guard Structs.byName[tag] == nil, !variableRecords.contains(tag), let record = types.records[tag],
                  record.size > 0 else { return nil }
            // `struct futex_waitv *waiters, unsigned int nr_futexes`: an array of that many, read
            // at entry. An array the kernel fills (io_getevents' events, `nr` of them at most)
            // would need the return value's count: left as an address.
            let neighbours = [index + 1, index - 1].filter { $0 >= 0 && $0 < all.count && $0 < Int(CGT_MAX_ARGS) }
            if let count = neighbours.first(where: { isCountName(all[$0].name) }) {
                guard case .inStruct = kind else { return nil }
                return BTFStructs.arrayArg(record, countArg: count)
            }
            if case .inStruct = kind {
                // `struct mount_attr *uattr, size_t usize`: the caller says how much it passes.
                if index + 1 < all.count, index + 1 < Int(CGT_MAX_ARGS), sizeNames.contains(all[index + 1].name) {
                    return BTFStructs.sizedInArg(record, lengthArg: index + 1)
                }
                return .structIn(BTFStructs.format(record))
            }
            return .structOut(BTFStructs.format(record))
        default:
            guard let tag = KernelTypes.enumTag(a.type), let e = types.enums[tag] else { return nil }
            return BTFStructs.enumArg(e)
        }
    }

    /// Syscalls that only read the struct they are given though the kernel declares it without
    /// `const` and names it like its getter's out-parameter (`file_getattr`/`file_setattr`'s
    /// `ufattr`).
    static let structSetters: Set<String> = ["file_setattr", "lsm_set_self_attr"]

    /// Element counts beside an array argument: `nr_futexes`, `vlen`, `liovcnt`, `maxevents`.
    static func isCountName(_ name: String) -> Bool {
        name.hasPrefix("nr_") || name == "nr" || name == "vlen" || name == "maxevents"
            || name.hasSuffix("cnt") || name.hasSuffix("_count")
    }

    /// Structs that head variable-length records (a name, a message body follows): their BTF
    /// layout says nothing about the data after them.
    static let variableRecords: Set<String> = ["linux_dirent", "linux_dirent64", "msgbuf"]

    /// Arguments that give the size of the struct before them (extensible structs).
    static let sizeNames: Set<String> = ["usize", "size"]

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
