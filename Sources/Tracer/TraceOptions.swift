import Formatters
import Glibc
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
    /// --buffer-size; nil: `defaultRingBytes` for the mode.
    public var bufferSize: UInt32?
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

    /// Whether the run freezes: --lossless/--drop, else a command's (in a cgroup of its own)
    /// does and what runs already does not.
    public func isLossless(command: Bool) -> Bool { lossless ?? command }

    /// The ring's size: --buffer-size, else by mode.
    public func ringBytes(lossless: Bool) -> UInt32 { bufferSize ?? Self.defaultRingBytes(lossless: lossless) }

    /// When the cgroups are frozen instead of records dropped, the ring only has to hold what is
    /// written while a freeze takes hold (the tasks finish the call they are in), which grows
    /// with the CPUs writing at once: 4 MiB per online CPU, as a power of two from 8 to 64 MiB
    /// (8 MiB here, on two CPUs; 16 MiB on four). 1 MiB rings lose nothing in the 16-thread
    /// test on two CPUs, and a storm runs as fast through 8 as through 64 MiB. 64 MiB when
    /// records may drop, for bursts to wait in. A smaller ring starts sooner: its pages are
    /// zeroed, charged and mapped at start-up (16 → 8 MiB: `cgtrace -- true` 1.8 ms faster here,
    /// seven interleaved rounds) and it leaves less resident.
    static func defaultRingBytes(lossless: Bool, cpus: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) -> UInt32 {
        guard lossless else { return 64 << 20 }
        var bytes: UInt32 = 8 << 20
        while bytes < 64 << 20 && Int(bytes) < max(cpus, 1) * (4 << 20) { bytes <<= 1 }
        return bytes
    }
}
