import Beautifiers
import Decoder

/// `-P PATH`: only the calls that touch PATH — by a path argument, or through a file
/// descriptor opened from it. Sits in front of the outputs.
///
/// File descriptors are followed from the trace itself: a successful open of PATH makes its
/// result a descriptor of PATH, dup/dup2/dup3/fcntl(F_DUPFD*) copy it, close ends it, a new
/// process inherits its parent's. Descriptors a process had before it was traced (-p) are not
/// known; the kernel-side fd → path resolution of -y would cover them.
public final class PathFilter: TraceOutput {
    private let next: TraceOutput
    private let paths: Set<[UInt8]>
    private let formats: SyscallFormats
    /// Per process: descriptors that refer to one of the paths.
    private var descriptors: [UInt32: Set<Int32>] = [:]
    /// Per thread: the call in progress that was let through (its exit goes through too).
    private var passing: [UInt32: SyscallEnter] = [:]

    public init(paths: [String], formats: SyscallFormats, next: TraceOutput) {
        self.paths = Set(paths.map { Array($0.utf8) })
        self.formats = formats
        self.next = next
    }

    public func handle(_ record: consuming Record) {
        switch record {
        case .enter(let e):
            if touches(e) {
                passing[e.header.tid] = e
                next.handle(record)
            } else {
                passing[e.header.tid] = nil
            }
        case .exit(let x):
            guard let e = passing.removeValue(forKey: x.header.tid) else { return }
            follow(e, x)
            next.handle(record)
        case .fork(let f):
            if f.childPid != f.header.pid, let inherited = descriptors[f.header.pid] {
                descriptors[f.childPid] = inherited
            }
            next.handle(record)
        case .taskExit(let t):
            passing[t.header.tid] = nil
            if t.groupDead { descriptors[t.header.pid] = nil }
            next.handle(record)
        case .signal, .exec, .lost, .pidNamespace:
            next.handle(record)
        }
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
