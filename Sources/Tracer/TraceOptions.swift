import Formatters
import Loader

/// Everything the tracer needs to know, as the CLI parsed it.
public struct TraceOptions: Sendable {
    public var format = FormatOptions()
    /// -o FILE; nil writes to stderr, as strace does.
    public var outputPath: String?
    /// -f was given (following is always on; with -o it selects strace's `PID ` line prefix).
    public var followFlag = false
    /// Syscall numbers to trace (-e trace=); nil traces all.
    public var traced: Set<Int>?
    public var ringBytes: UInt32 = 64 << 20
    public var debug = false
    /// -e status= / -z / -Z (CGT_STATUS_* bits) and --latency, both applied in the kernel.
    public var statusFilter: UInt32 = 0
    public var minLatencyNs: UInt64 = 0
    /// -y (1) / -yy (2): resolve file descriptors in the kernel.
    public var fdPaths: UInt32 = 0
    /// -P PATH: only calls touching these paths.
    public var paths: [String] = []
    /// Attach modes to try, best first (--attach forces one).
    public var attachModes: [AttachMode] = AttachMode.allCases
    /// -u USER: the command runs with USER's uid, gid and supplementary groups.
    public var user: String?
    /// --stats: report records, losses, BPF run time per program, consumer CPU and peak RSS.
    public var stats = false
    /// --json, -c/-C, --perfetto, -ff… (Formatters/OutputPlan.swift).
    public var outputs = OutputPlan()
    /// -k: print each traced syscall's user stack. `stackBytes` is how much of the stack the
    /// kernel copies for the unwinder (deeper frames than that are not shown).
    public var stackTrace = false
    public var stackBytes: UInt32 = 8192
    /// --lossless / --drop: when the consumer falls behind, freeze the traced cgroups until it
    /// catches up (Backpressure.swift), or let the kernel drop records (each hole marked).
    /// nil: lossless for a command (its own cgroup), dropping for what runs already.
    public var lossless: Bool?
    /// --write FILE: save the records, and what decoding them needs, for `cgtrace replay`.
    public var savePath: String?
    /// --syscall-limit=N: stop tracing once N calls have been printed (the command runs on).
    public var syscallLimit: Int?

    public init() {}
}
