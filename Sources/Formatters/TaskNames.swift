import Beautifiers
import Decoder
import Glibc

extension CallPairing {
    /// A pairing stage that knows a table's fork-like calls (whose bare returns start new tasks).
    public convenience init(formats: SyscallFormats, next: CallOutput) {
        self.init(isForkLike: { formats.isForkLike($0) }, next: next)
    }
}

/// Which command each thread is running (the kernel's 16-byte `comm`), kept from the fork and
/// exec records. A thread seen before any of those (the first task, or one that was running when
/// tracing began) is looked up in /proc once.
///
/// Also each task's pids in its own pid namespace, from the kernel's pidns records (made only
/// for tasks outside the initial namespace: containers).
public final class TaskNames {
    private var names: [UInt32: String] = [:]
    private var namespacePids: NamespacePids
    private let procRoot: String
    /// The last answer of `name(pid:tid:)` (nil when a record may have changed it).
    private var lastTid: UInt32 = 0
    private var lastName: String?
    /// Counts the records (and `forget`s) that may have changed an answer: while it stays the
    /// same, `name` and `namespaceIDs` give a tid the answers they gave it before (a lookup in
    /// /proc is made once per tid), so callers may keep those.
    public private(set) var changes: UInt64 = 0

    /// `namespacesFromProc`: look tasks the kernel did not report up in /proc (live tracing).
    public init(procRoot: String = "/proc", namespacesFromProc: Bool = false) {
        self.procRoot = procRoot
        namespacePids = NamespacePids(procRoot: namespacesFromProc ? procRoot : nil)
    }

    /// Update from a record; call for every record before asking `name(pid:tid:)`.
    public func observe(_ record: Record) {
        switch record {
        case .fork(let f):
            names[f.childTid] = f.comm
            lastName = nil
            changes &+= 1
        case .exec(let x):
            lastName = nil
            changes &+= 1
            names[x.header.tid] = x.comm
            if x.oldTid != x.header.tid { names[x.oldTid] = nil }
            namespacePids.observe(x)
        case .pidNamespace(let n):
            namespacePids.observe(n)
            changes &+= 1
        default: break
        }
    }

    /// The task's (pid, tid) in its own pid namespace, when that is not the initial one.
    public func namespaceIDs(tid: UInt32) -> (pid: UInt32, tid: UInt32)? { namespacePids.lookup(tid: tid) }

    public func name(pid: UInt32, tid: UInt32) -> String {
        // Most records are the same task's as the last: no hashing then.
        if tid == lastTid, let lastName { return lastName }
        let n: String
        if let known = names[tid] { n = known } else {
            n = Self.read(path: "\(procRoot)/\(pid)/task/\(tid)/comm") ?? "?"
            names[tid] = n
        }
        lastTid = tid
        lastName = n
        return n
    }

    public func forget(tid: UInt32) {
        names[tid] = nil
        namespacePids.forget(tid: tid)
        lastName = nil
        changes &+= 1
    }

    /// The start of a small file (procfs hands a status file over in one read).
    static func read(path: String, limit: Int = 64) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: limit)
        let n = Glibc.read(fd, &buf, buf.count)
        guard n > 0 else { return nil }
        var bytes = buf.prefix(n)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Host tid → the task's (pid, tid) in its own pid namespace, kept from pidns records. A task
/// keeps its namespace for life; a thread that execs takes its leader's numbers with its tid.
///
/// The kernel reports a task at its fork or its first traced call; one that ran before tracing
/// began and shows up otherwise (its exit, a signal) can be looked up in /proc once, when
/// `procRoot` is set (live tracing of what runs already; never for a dump, where the pid may
/// name another process by now).
public struct NamespacePids: Sendable {
    private var ids: [UInt32: (pid: UInt32, tid: UInt32)] = [:]
    /// Tids looked up in /proc already (found or not).
    private var looked: Set<UInt32> = []
    public var procRoot: String?

    public init(procRoot: String? = nil) { self.procRoot = procRoot }

    public subscript(tid: UInt32) -> (pid: UInt32, tid: UInt32)? { ids[tid] }

    /// The task's numbers, from a record or (live) from /proc/TID/status's NStgid/NSpid.
    public mutating func lookup(tid: UInt32) -> (pid: UInt32, tid: UInt32)? {
        if let known = ids[tid] { return known }
        guard let procRoot, looked.insert(tid).inserted,
              let text = TaskNames.read(path: "\(procRoot)/\(tid)/status", limit: 4096),
              let found = Self.parseStatus(text) else { return nil }
        ids[tid] = found
        return found
    }

    /// The innermost numbers of /proc/PID/status's `NStgid:` and `NSpid:` lines, when the task
    /// is in a namespace below the reader's (the lines list more than one number).
    public static func parseStatus(_ text: String) -> (pid: UInt32, tid: UInt32)? {
        var tgid: [Substring] = []
        var pid: [Substring] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("NStgid:") { tgid = line.dropFirst(7).split(whereSeparator: { $0 == "\t" || $0 == " " }) }
            if line.hasPrefix("NSpid:") { pid = line.dropFirst(6).split(whereSeparator: { $0 == "\t" || $0 == " " }) }
        }
        guard tgid.count > 1, pid.count > 1, let p = tgid.last.flatMap({ UInt32($0) }), let t = pid.last.flatMap({ UInt32($0) }) else {
            return nil
        }
        return (p, t)
    }

    public mutating func observe(_ n: TaskPidNamespace) {
        ids[n.tid] = (n.nsPid, n.nsTid)
    }

    public mutating func observe(_ x: TaskExec) {
        guard x.oldTid != x.header.tid, let old = ids.removeValue(forKey: x.oldTid) else { return }
        ids[x.header.tid] = (old.pid, old.pid)
    }

    public mutating func forget(tid: UInt32) {
        ids[tid] = nil
        looked.remove(tid)
    }
}
