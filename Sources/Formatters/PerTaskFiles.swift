import Decoder
import Glibc

/// `-ff -o PREFIX`: each thread's trace in a file of its own, `PREFIX.TID`, as strace writes them
/// (strace names the files by the id of the task it traces, which for a thread is its tid).
/// Each file gets its own formatter, so no line is ever split by another task's activity.
///
/// A file that cannot be created is reported once (its task's lines are counted as not written)
/// and tracing goes on.
public final class PerTaskFiles: CallOutput {
    public typealias Factory = (OutputFile) -> CallOutput

    private let prefix: String
    private let make: Factory
    private var outputs: [UInt32: CallOutput] = [:]
    private var order: [UInt32] = []
    private var failed: [UInt32: String] = [:]
    private let errors: OutputFile
    /// A damaged saved trace's holes so far. A thread may have lost records in those that came
    /// while it was alive: its file gets their marks, those after its fork (all, if its fork
    /// was not seen) when the file is first opened, and those before its end.
    private var damages: [DamagedPart] = []
    /// Threads forked since the trace began: how many holes came before their fork.
    private var forkedAfter: [UInt32: Int] = [:]
    /// Threads whose end has been seen: how many holes came before it. (A record of such a tid
    /// later is a new task that used the tid again.)
    private var exitedAfter: [UInt32: Int] = [:]

    public init(prefix: String, errors: OutputFile, make: @escaping Factory) {
        self.prefix = prefix
        self.errors = errors
        self.make = make
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {
        output(for: header.tid)?.callEntered(header, calls: calls)
    }

    public func callEnded(_ call: consuming CompletedCall) {
        output(for: call.tid)?.callEnded(call)
    }

    public func other(_ record: consuming Record) {
        let tid = record.header.tid
        switch record {
        case .exec(let x) where x.oldTid != tid:
            // A thread that execs becomes the leader: its file stays the one it started in. The
            // leader's end, reported before, is no longer that tid's.
            if let o = outputs.removeValue(forKey: x.oldTid) {
                outputs[tid] = o
                order.append(tid)
            }
            exitedAfter[tid] = nil
        case .lost(let l):
            // A ring hole shows in the file of each thread that lost records in it.
            let owners = l.moreThreads ? Array(outputs.keys) : l.tids.filter { outputs[$0] != nil }
            if eachFile(of: owners.sorted(), { $0.other(.lost(l)) }) { return }
        case .damaged(let d):
            // Any live thread may have lost records in a saved trace's hole: each file says so.
            eachFile(of: outputs.keys.filter { exitedAfter[$0] == nil }.sorted()) { $0.other(.damaged(d)) }
            damages.append(d)
            return
        case .fork(let f):
            forkedAfter[f.childTid] = damages.count
            exitedAfter[f.childTid] = nil  // (a tid used again: its old file goes on)
        default:
            break
        }
        let ends: Bool = if case .taskExit = record { true } else { false }
        guard let out = output(for: tid) else { return }
        out.other(record)
        if ends { exitedAfter[tid] = damages.count }
    }

    public func finish(losses: TraceLosses) {
        eachFile(of: order) { $0.finish(losses: losses) }
        outputs.removeAll()
    }

    /// `body` once for each file of these threads, in their order (threads of one file share
    /// it). false: none has one.
    @discardableResult
    private func eachFile(of tids: [UInt32], _ body: (CallOutput) -> Void) -> Bool {
        var seen = Set<ObjectIdentifier>()
        for t in tids {
            if let o = outputs[t], seen.insert(ObjectIdentifier(o)).inserted { body(o) }
        }
        return !seen.isEmpty
    }

    private func output(for tid: UInt32) -> CallOutput? {
        if let o = outputs[tid] {
            // A tid used again by a task whose fork is not seen (it may have been in a hole
            // since the old task's end): its lines go on in the old file, after those holes' marks.
            if let ended = exitedAfter.removeValue(forKey: tid) {
                for d in damages[ended...] { o.other(.damaged(d)) }
            }
            return o
        }
        if failed[tid] != nil { return nil }
        let path = "\(prefix).\(tid)"
        do {
            let file = try OutputFile.create(path: path)
            let o = make(file)
            outputs[tid] = o
            order.append(tid)
            for d in damages[min(forkedAfter[tid] ?? 0, damages.count)...] { o.other(.damaged(d)) }
            return o
        } catch {
            failed[tid] = path
            errors.write("cgtrace: can't open '\(path)': \(String(cString: strerror(error.errno))); task \(tid) is not written\n")
            return nil
        }
    }
}
