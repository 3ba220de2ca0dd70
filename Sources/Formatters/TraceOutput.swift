import Beautifiers
import Decoder
import Glibc

/// Something that turns the decoded record stream into output: strace text, JSON lines, a
/// Perfetto timeline, a summary table. The session hands every record to each output in arrival
/// order, then calls `finish` once with what the kernel could not deliver.
public protocol TraceOutput: AnyObject {
    /// Taken, not borrowed: the text formatter keeps a call's entry until its exit comes, and
    /// moving the record in saves a copy of its arrays per record.
    func handle(_ record: consuming Record)
    func finish(losses: TraceLosses)
}

/// What tracing could not show, counted where it happened (reported, never dropped silently).
public struct TraceLosses: Sendable, Equatable {
    /// Records the kernel dropped because the ring buffer was full.
    public var lostRecords: UInt64 = 0
    /// Records that arrived but did not decode.
    public var malformedRecords: UInt64 = 0
    /// Captures cut at the record size limit.
    public var truncatedCaptures: UInt64 = 0

    public init(lostRecords: UInt64 = 0, malformedRecords: UInt64 = 0, truncatedCaptures: UInt64 = 0) {
        self.lostRecords = lostRecords
        self.malformedRecords = malformedRecords
        self.truncatedCaptures = truncatedCaptures
    }

    /// Under a summary table (-c, --thread-summary): the calls in lost records are not in it.
    public var summaryFootnote: String {
        "!!! lost \(lostRecords) events (ring buffer full): the calls in them are not counted above\n"
    }
}

extension StraceFormatter: TraceOutput {
    public func finish(losses: TraceLosses) { finish() }
}

/// Several outputs fed from one stream (e.g. strace text plus a Perfetto file).
public final class FanOut: TraceOutput {
    public let outputs: [TraceOutput]
    public init(_ outputs: [TraceOutput]) { self.outputs = outputs }
    public func handle(_ record: consuming Record) { for o in outputs { o.handle(copy record) } }
    public func finish(losses: TraceLosses) { for o in outputs { o.finish(losses: losses) } }
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
        case .exec(let x):
            lastName = nil
            names[x.header.tid] = x.comm
            if x.oldTid != x.header.tid { names[x.oldTid] = nil }
            namespacePids.observe(x)
        case .pidNamespace(let n): namespacePids.observe(n)
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

/// One syscall as the structured outputs see it: whatever is known of its entry and exit.
public struct CompletedCall {
    public enum Ending: String, Sendable {
        /// Entry and exit both seen (or only the exit, if the entry record was lost).
        case returned
        /// The task died before the call returned to it (exit_group, a fatal signal).
        case killed
        /// Still in progress when tracing stopped.
        case unfinished
        /// Its exit record was lost (ring buffer full): the thread's next record came instead.
        case exitLost = "exit_lost"
    }

    public var pid: UInt32
    public var tid: UInt32
    public var cpu: UInt16
    public var number: Int
    public var enter: SyscallEnter?
    public var exit: SyscallExit?
    public var ending: Ending
    /// Monotonic ns when the call started (0 if unknown) and when it ended or was abandoned.
    public var startNs: UInt64
    public var endNs: UInt64
    /// The entry record was lost: only the exit (and its out-parameters) is known. (Stored:
    /// testing `enter == nil` copied the entry, arrays and all, for every JSON event.)
    public let enterLost: Bool
    /// -k: the entry's stack has frames.
    public let hasStack: Bool

    public init(pid: UInt32, tid: UInt32, cpu: UInt16, number: Int, enter: SyscallEnter?, exit: SyscallExit?,
                ending: Ending, startNs: UInt64, endNs: UInt64) {
        self.pid = pid
        self.tid = tid
        self.cpu = cpu
        self.number = number
        enterLost = enter == nil
        hasStack = !(enter?.stack.isEmpty ?? true)
        self.enter = enter
        self.exit = exit
        self.ending = ending
        self.startNs = startNs
        self.endNs = endNs
    }

    /// Time the traced cgroup spent frozen during the call (lossless mode): not the call's.
    public var frozenNs: UInt64 = 0

    public var durationNs: UInt64? {
        startNs == 0 || endNs < startNs ? nil : endNs - startNs - min(frozenNs, endNs - startNs)
    }
}

/// Pairs entry and exit records per thread, as the structured outputs need whole calls.
/// Pairing is by the per-thread call counter (as the text formatter pairs), so a lost record
/// shows as a call with one side missing, never as two calls glued together.
public final class CallAssembler {
    private var pending: [UInt32: SyscallEnter] = [:]
    private let isForkLike: (Int) -> Bool

    public init(isForkLike: @escaping (Int) -> Bool) { self.isForkLike = isForkLike }

    /// An assembler that knows a table's fork-like calls (whose bare returns start new tasks).
    public convenience init(formats: SyscallFormats) {
        self.init(isForkLike: { formats.isForkLike($0) })
    }

    /// Feed a record; returns the calls it completes (0, 1 or 2 when an orphaned entry is flushed).
    public func handle(_ record: Record) -> [CompletedCall] {
        var out: [CompletedCall] = []
        handle(copy record) { out.append(copy $0) }
        return out
    }

    /// Feed a record; `completed` sees the calls it completes, in order (an orphaned entry
    /// first). No array per record, and the record's parts are moved, not copied (copies of
    /// the entries' arrays were ~5 % of a JSON dd storm): the JSON outputs call this for every record.
    public func handle(_ record: consuming Record, _ completed: (borrowing CompletedCall) -> Void) {
        switch consume record {
        case .enter(let e):
            let tid = e.header.tid
            if let old = pending.removeValue(forKey: tid) { completed(abandoned(old, at: e.header.timestamp, .exitLost)) }
            pending[tid] = e
        case .exit(let x):
            let tid = x.header.tid
            // A new thread's first record is the return of the clone that made it; the call is
            // the parent's (as the strace text shows it), so it is not a call of its own.
            if x.call == 0 && pending[tid] == nil && isForkLike(x.number) { return }
            var enter: SyscallEnter?
            if let p = pending.removeValue(forKey: tid) {
                if p.call == x.call && p.number == x.number { enter = p } else {
                    completed(abandoned(p, at: x.header.timestamp, .exitLost))
                }
            }
            let start = enter?.header.timestamp ?? x.enterTimestamp
            let end = x.header.timestamp
            let (pid, cpu, number, killed) = (x.header.pid, x.header.cpu, x.number, x.killed)
            // Lossless mode moves the exit's enter stamp past the time its cgroup was frozen.
            let frozen = x.enterTimestamp > start ? x.enterTimestamp - start : 0
            var call = CompletedCall(pid: pid, tid: tid, cpu: cpu, number: number, enter: enter, exit: x,
                                     ending: killed ? .killed : .returned, startNs: start, endNs: end)
            call.frozenNs = frozen
            completed(call)
        case .taskExit(let t):
            if let p = pending.removeValue(forKey: t.header.tid) { completed(abandoned(p, at: t.header.timestamp, .killed)) }
        case .exec(let x):
            // A non-leader thread's execve completes as the leader (the kernel changes its tid).
            if x.oldTid != x.header.tid, let p = pending.removeValue(forKey: x.oldTid) { pending[x.header.tid] = p }
        case .signal, .fork, .lost, .pidNamespace:
            break
        }
    }

    /// Calls still open when tracing stopped, ended at `now`.
    public func drain(at now: UInt64) -> [CompletedCall] {
        let open = pending.values.sorted { $0.header.timestamp < $1.header.timestamp }
        pending.removeAll()
        return open.map { abandoned($0, at: max(now, $0.header.timestamp), .unfinished) }
    }

    private func abandoned(_ e: SyscallEnter, at end: UInt64, _ ending: CompletedCall.Ending) -> CompletedCall {
        CompletedCall(pid: e.header.pid, tid: e.header.tid, cpu: e.header.cpu, number: e.number, enter: e,
                      exit: nil, ending: ending, startNs: e.header.timestamp, endNs: max(end, e.header.timestamp))
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
