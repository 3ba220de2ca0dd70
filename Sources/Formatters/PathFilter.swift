import Beautifiers
import Decoder

/// `-P PATH`: only the calls that touch PATH — by a path argument, or through a file
/// descriptor opened from it. Sits between the pairing stage and the outputs.
///
/// File descriptors are followed from the trace itself: a successful open of PATH makes its
/// result a descriptor of PATH, dup/dup2/dup3/fcntl(F_DUPFD*) copy it, close ends it, a new
/// process inherits its parent's. Descriptors a process had before it was traced (-p) are not
/// known; the kernel-side fd → path resolution of -y would cover them.
public final class PathFilter: CallOutput {
    private let next: CallOutput
    private let paths: Set<[UInt8]>
    private let formats: SyscallFormats
    /// Per process: descriptors that refer to one of the paths.
    private var descriptors: [UInt32: Set<Int32>] = [:]
    /// Per thread: whether the call in progress touches PATH (decided when it starts; a call
    /// whose start a filter before this one held back is decided when it ends).
    private var passing: [UInt32: Bool] = [:]

    public init(paths: [String], formats: SyscallFormats, next: CallOutput) {
        self.paths = Set(paths.map { Array($0.utf8) })
        self.formats = formats
        self.next = next
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {
        guard let e = calls.entry(of: header.tid) else { return }
        let touching = touches(e)
        passing[header.tid] = touching
        if touching { next.callEntered(header, calls: calls) }
    }

    public func callEnded(_ call: consuming CompletedCall) {
        let decided = passing.removeValue(forKey: call.tid)
        // Only calls whose entry is known can be judged by their arguments.
        guard let e = call.enter, decided ?? touches(e) else { return }
        if call.ending == .returned, let x = call.exit { follow(e, x) }
        next.callEnded(call)
    }

    public func other(_ record: consuming Record) {
        switch record {
        case .fork(let f):
            if f.childPid != f.header.pid, let inherited = descriptors[f.header.pid] {
                descriptors[f.childPid] = inherited
            }
        case .taskExit(let t):
            if t.groupDead { descriptors[t.header.pid] = nil }
        case .exec(let x) where x.oldTid != x.header.tid:
            // The pairing stage moved the thread's call to the leader's tid: so does the decision.
            if let d = passing.removeValue(forKey: x.oldTid) { passing[x.header.tid] = d }
        default:
            break
        }
        next.other(record)
    }

    public func finish(losses: TraceLosses) { next.finish(losses: losses) }

    /// A path argument names PATH, or a descriptor argument refers to it.
    private func touches(_ e: SyscallEnter) -> Bool {
        let format = formats[e.number]
        let call = CallView(enter: e, exit: nil, stringLimit: Int.max)
        let fds = descriptors[e.header.pid] ?? []
        for (i, arg) in format.args.enumerated() {
            switch arg {
            case .path:
                if let c = call.capture(i), !c.faulted, paths.contains(Array(c.bytes)) { return true }
            case .fd, .dirfd:
                if fds.contains(call.int32(i)) { return true }
            default:
                continue
            }
        }
        return false
    }

    /// Update the descriptor table from a call that was let through.
    private func follow(_ e: SyscallEnter, _ x: SyscallExit) {
        guard let name = formats.table[x.number]?.name else { return }
        let pid = x.header.pid
        let arg0 = Int32(truncatingIfNeeded: e.args[0])
        let isOurs = descriptors[pid]?.contains(arg0) ?? false
        guard x.ret >= 0 && x.ret <= Int64(Int32.max) else { return }
        let result = Int32(x.ret)
        switch name {
        case "open", "openat", "openat2", "creat", "open_by_handle_at", "dup":
            descriptors[pid, default: []].insert(result)
        case "dup2", "dup3":
            // The new descriptor now refers to what the old one does.
            if isOurs { descriptors[pid, default: []].insert(result) } else { descriptors[pid]?.remove(result) }
        case "fcntl":
            let command = Int32(truncatingIfNeeded: e.args[1])
            if command == 0 || command == 1030 { descriptors[pid, default: []].insert(result) }  // F_DUPFD(_CLOEXEC)
        case "close":
            descriptors[pid]?.remove(arg0)
        default:
            break
        }
    }
}
