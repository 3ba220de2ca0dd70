import Decoder
import Syscalls

/// Where a started command's trace begins. Between clone and execve the child runs cgtrace's own
/// code (restoring its signal mask) inside the traced cgroup; strace shows a command from its
/// execve on, and so does cgtrace: live, when a saved run is replayed, and in a recording's dump.
public struct CommandStart {
    /// The command's pid (its first task's tid).
    public let pid: UInt32
    /// From the syscall table: a table without them (no such architecture today) starts at the
    /// exec record alone.
    private let execve: Int?
    private let execveat: Int?
    /// The start was seen (or there is none to wait for): every record passes.
    public private(set) var started: Bool

    /// `started`: true when there is no command to wait for (an attached trace).
    public init(pid: UInt32, table: SyscallTable, started: Bool = false) {
        self.pid = pid
        self.execve = table.number(named: "execve")
        self.execveat = table.number(named: "execveat")
        self.started = started
    }

    /// The command's own execve or execveat entry, or its exec itself (when -e trace= leaves
    /// execve out).
    public func isStart(_ record: Record) -> Bool {
        guard record.header.tid == pid else { return false }
        switch record {
        case .enter(let e): return e.number == execve || e.number == execveat
        case .exec: return true
        default: return false
        }
    }

    /// Whether `record` is shown: nothing before the start, everything from it on.
    public mutating func admits(_ record: Record) -> Bool {
        if started { return true }
        if isStart(record) { started = true }
        return started
    }
}
