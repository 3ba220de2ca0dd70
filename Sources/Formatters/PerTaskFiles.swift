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
    /// Tasks whose end has been seen: a later hole in a saved trace took none of their records.
    private var exited: Set<UInt32> = []
    /// The last hole of a damaged saved trace, and the tasks forked since (their fork record is
    /// intact): a task first seen after the hole otherwise may have lost records in it, and its
    /// file starts with the hole's marker.
    private var lastDamage: DamagedPart?
    private var forkedSinceDamage: Set<UInt32> = []

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
        if case .exec(let x) = record, x.oldTid != tid, let o = outputs.removeValue(forKey: x.oldTid) {
            // A thread that execs becomes the leader: its file stays the one it started in.
            outputs[tid] = o
            order.append(tid)
        }
        if case .lost(let l) = record {
            // A hole shows in the file of each thread that lost records in it.
            let owners = l.moreThreads ? Array(outputs.keys) : l.tids.filter { outputs[$0] != nil }
            var seen = Set<ObjectIdentifier>()
            for t in owners.sorted() {
                if let o = outputs[t], seen.insert(ObjectIdentifier(o)).inserted { o.other(copy record) }
            }
            if !seen.isEmpty { return }
        }
        switch record {
        case .damaged(let d):
            // Any live thread may have lost records in it: each of their files says so.
            var seen = Set<ObjectIdentifier>()
            for t in outputs.keys.sorted() where !exited.contains(t) {
                if let o = outputs[t], seen.insert(ObjectIdentifier(o)).inserted { o.other(.damaged(d)) }
            }
            lastDamage = d
            forkedSinceDamage = []
            return
        case .fork(let f):
            exited.remove(f.childTid)  // (a tid used again)
            if lastDamage != nil { forkedSinceDamage.insert(f.childTid) }
        case .taskExit:
            exited.insert(tid)
        default:
            break
        }
        guard let out = output(for: tid) else { return }
        out.other(record)
    }

    public func finish(losses: TraceLosses) {
        var seen = Set<ObjectIdentifier>()
        for tid in order {
            guard let o = outputs[tid], seen.insert(ObjectIdentifier(o)).inserted else { continue }
            o.finish(losses: losses)
        }
        outputs.removeAll()
    }

    private func output(for tid: UInt32) -> CallOutput? {
        if let o = outputs[tid] { return o }
        if failed[tid] != nil { return nil }
        let path = "\(prefix).\(tid)"
        do {
            let file = try OutputFile.create(path: path)
            let o = make(file)
            outputs[tid] = o
            order.append(tid)
            if let d = lastDamage, !forkedSinceDamage.contains(tid) { o.other(.damaged(d)) }
            return o
        } catch {
            failed[tid] = path
            errors.write("cgtrace: can't open '\(path)': \(String(cString: strerror(error.errno))); task \(tid) is not written\n")
            return nil
        }
    }
}
