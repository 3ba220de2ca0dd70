/// One system call as the kernel declares it: number, name and its arguments' C declarations.
///
/// The table is data generated from the kernel (see `scripts/gen-syscall-table.py`); how an
/// argument is captured and printed is derived from its C type and name (`ArgKind`), with the
/// exceptions that need per-syscall knowledge living in the Beautifiers module.
public struct SyscallInfo: Sendable {
    public let number: Int
    public let name: String
    public let args: [SyscallArg]

    public init(number: Int, name: String, args: [SyscallArg]) {
        self.number = number
        self.name = name
        self.args = args
    }

    /// The call's result is a new file descriptor (for fcntl: with F_DUPFD and F_DUPFD_CLOEXEC).
    /// The one list: -y resolves these results in the kernel, the text shows `= 3</path>`, and
    /// `%desc` counts them.
    public var returnsDescriptor: Bool { Self.descriptorReturning.contains(name) }

    static let descriptorReturning: Set<String> = [
        "open", "openat", "openat2", "creat", "dup", "dup2", "dup3", "fcntl", "socket", "accept", "accept4",
        "epoll_create", "epoll_create1", "eventfd", "eventfd2", "signalfd", "signalfd4", "timerfd_create",
        "inotify_init", "inotify_init1", "memfd_create", "pidfd_open", "pidfd_getfd", "open_by_handle_at",
        "fanotify_init", "perf_event_open", "userfaultfd", "io_uring_setup", "memfd_secret", "open_tree",
        "open_tree_attr", "fsopen", "fsmount", "fspick", "landlock_create_ruleset", "bpf", "mq_open",
    ]
}

public struct SyscallArg: Sendable {
    /// The argument's name in the kernel's SYSCALL_DEFINE (e.g. `filename`).
    public let name: String
    /// The argument's C type as the kernel declares it (e.g. `const char *`).
    public let type: String
    public let kind: ArgKind

    public init(name: String, type: String) {
        self.name = name
        self.type = type
        self.kind = ArgKind(cType: type, name: name)
    }
}

/// Architectures whose syscall tables we carry. The tracer asks for the running one.
public enum Arch: String, Sendable, CaseIterable {
    case x86_64
    /// The generic syscall numbering (asm-generic/unistd.h), as arm64 configures it.
    case arm64

    public static var current: Arch {
        #if arch(x86_64)
        return .x86_64
        #elseif arch(arm64)
        return .arm64
        #else
        #error("cgtrace has no syscall table for this architecture yet")
        #endif
    }
}

/// A syscall table for one architecture, indexed by number and by name.
public struct SyscallTable: Sendable {
    public let arch: Arch
    private let byNumber: [SyscallInfo?]
    private let byName: [String: Int]
    /// Tracepoint names that differ from the syscall's (`stat` is traced as `newstat`).
    let eventNames: [String: String]

    public init(arch: Arch, syscalls: [SyscallInfo], eventNames: [String: String] = [:]) {
        self.arch = arch
        self.eventNames = eventNames
        let top = (syscalls.map(\.number).max() ?? -1) + 1
        var slots = [SyscallInfo?](repeating: nil, count: top)
        var names: [String: Int] = [:]
        for s in syscalls {
            slots[s.number] = s
            names[s.name] = s.number
        }
        byNumber = slots
        byName = names
    }

    public static func forArch(_ arch: Arch) -> SyscallTable {
        switch arch {
        case .x86_64: return x86_64
        case .arm64: return arm64
        }
    }

    public static let x86_64 = SyscallTable(arch: .x86_64, syscalls: SyscallTable.x86_64Syscalls,
                                            eventNames: SyscallTable.x86_64EventNames)
    public static let arm64 = SyscallTable(arch: .arm64, syscalls: SyscallTable.arm64Syscalls,
                                           eventNames: SyscallTable.arm64EventNames)

    /// The name of the syscall's entry tracepoint without `sys_enter_` (its SYSCALL_DEFINE name).
    public func eventName(of name: String) -> String { eventNames[name] ?? name }

    /// The declarations in `kernelArguments` (keyed by event name) that differ from this table's,
    /// and those of syscalls this table does not have (they need a number from the kernel).
    public func differing(_ kernelArguments: [String: [ArgDeclaration]]) -> [String: [ArgDeclaration]] {
        var out = kernelArguments
        for info in all {
            let event = eventName(of: info.name)
            guard let args = out[event] else { continue }
            let same = args.count == info.args.count
                && zip(args, info.args).allSatisfy { $0.name == $1.name && $0.type == $1.type }
            if same { out[event] = nil }
        }
        return out
    }

    /// Event names in `kernelArguments` that no syscall of this table is traced as.
    public func unknownEvents(_ kernelArguments: [String: [ArgDeclaration]]) -> [String] {
        let known = Set(all.map { eventName(of: $0.name) })
        return kernelArguments.keys.filter { !known.contains($0) }.sorted()
    }

    /// This table with the argument names and C types the running kernel declares (from its
    /// tracepoint formats, keyed by `eventName`): the kernel's word wins over the build's, and a
    /// syscall the build knew only by number and name gets typed arguments. A syscall the build
    /// does not know at all joins under its event name when `numbers` (the kernel's own
    /// numbering) gives it a number this table leaves free; names and numbers the build has stay.
    public func merging(kernelArguments: [String: [ArgDeclaration]], numbers: [String: Int] = [:])
        -> (table: SyscallTable, changed: [String]) {
        var changed: [String] = []
        var merged = all.map { info -> SyscallInfo in
            guard let args = kernelArguments[eventName(of: info.name)] else { return info }
            let same = args.count == info.args.count
                && zip(args, info.args).allSatisfy { $0.name == $1.name && $0.type == $1.type }
            if same { return info }
            changed.append(info.name)
            return SyscallInfo(number: info.number, name: info.name, args: args.map { SyscallArg(name: $0.name, type: $0.type) })
        }
        for event in unknownEvents(kernelArguments) {
            guard let number = numbers[event], number >= 0, number < 1 << 16, self[number] == nil,
                  byName[event] == nil, let args = kernelArguments[event] else { continue }
            merged.append(SyscallInfo(number: number, name: event, args: args.map { SyscallArg(name: $0.name, type: $0.type) }))
            changed.append(event)
        }
        return (SyscallTable(arch: arch, syscalls: merged, eventNames: eventNames), changed)
    }

    /// This table without the named syscalls (tests: a syscall the build never heard of).
    public func removing(_ names: Set<String>) -> SyscallTable {
        SyscallTable(arch: arch, syscalls: all.filter { !names.contains($0.name) }, eventNames: eventNames)
    }

    /// Highest syscall number + 1.
    public var count: Int { byNumber.count }

    public subscript(number: Int) -> SyscallInfo? {
        number >= 0 && number < byNumber.count ? byNumber[number] : nil
    }

    public func number(named name: String) -> Int? { byName[name] }

    public var all: [SyscallInfo] { byNumber.compactMap { $0 } }
}
