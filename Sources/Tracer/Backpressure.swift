import CSpawn
import Glibc
import Launch
import WholeFiles

/// Lossless mode: when the consumer falls behind, the traced cgroups wait for it.
///
/// The kernel cannot make a traced task wait for ring-buffer space (BPF on a tracepoint may not
/// sleep), but the cgroup v2 freezer can stop a whole cgroup at once: each task stops on its way
/// back to user space, so after a freeze each task writes at most the rest of the call it is in.
/// When the ring's backlog passes the high watermark (a quarter of the ring) the cgroups are
/// frozen; once the consumer has drained it below the low watermark (a sixteenth) they are
/// thawed. The traced programs cannot tell: the freezer sends no signal, `wait` reports no stop,
/// and a call it interrupts is restarted by the kernel (the probes hide that restart, see
/// interrupted_by_freezer in probes/cgtrace.bpf.c). Durations (-T, -c, JSON) leave the frozen
/// time out (`FrozenIntervals`).
///
/// A cgroup must never stay frozen: every exit path thaws (`release`), and a watchdog process
/// (CSpawn/thaw_watchdog.c) thaws when cgtrace dies without doing so, even by SIGKILL. The
/// freezing itself is CSpawn/freezer.c: a real-time thread freezes the moment the ring passes the
/// watermark, even while the consumer is off its CPU.
final class Backpressure {
    /// When the cgroups were frozen, in CLOCK_MONOTONIC ns.
    let intervals = FrozenIntervals()
    private var files: [Int32]
    private var watchdog: Int32
    private var freezer: OpaquePointer?
    /// Records handled since the last look at the backlog.
    private var sinceCheck = 0

    /// Refuses cgroups it cannot freeze. `ringFD` is the ring buffer map the probes write to.
    init(cgroupPaths: [String], ringFD: Int32, ringBytes: Int) throws(LaunchError) {
        files = []
        watchdog = -1
        for path in cgroupPaths {
            let fd = open(path + "/cgroup.freeze", O_WRONLY | O_CLOEXEC)
            if fd < 0 {
                let why = String(cString: strerror(errno))
                release()
                throw LaunchError("lossless mode cannot freeze \(path) (\(path)/cgroup.freeze: \(why)); use --drop", exitCode: 2)
            }
            files.append(fd)
        }
        let paths = cgroupPaths.map { strdup($0 + "/cgroup.freeze") }
        defer { paths.forEach { free($0) } }
        watchdog = paths.map { UnsafePointer($0) }.withUnsafeBufferPointer { p in
            cgt_start_thaw_watchdog(p.baseAddress, Int32(p.count))
        }
        if watchdog < 0 {
            let why = String(cString: strerror(-watchdog))
            release()
            throw LaunchError("lossless mode: cannot start the process that thaws the cgroup if cgtrace dies: \(why)", exitCode: 4)
        }
        freezer = files.withUnsafeBufferPointer { fds in
            cgt_freezer_new(ringFD, UInt64(ringBytes), UInt64(Self.freezeAt(ringBytes: ringBytes)),
                            UInt64(Self.thawAt(ringBytes: ringBytes)),
                            fds.baseAddress, Int32(fds.count), watchdog)
        }
        if freezer == nil {
            let why = String(cString: strerror(errno))
            release()
            throw LaunchError("lossless mode: cannot watch the ring buffer: \(why)", exitCode: 4)
        }
    }

    deinit { release() }

    /// Freeze at a quarter of the ring: the rest is room for what the tasks write before they
    /// stop (each finishes the call it is in) and for a consumer slow to notice. Thaw at a
    /// sixteenth, which leaves the consumer work while the tasks get going again.
    static func freezeAt(ringBytes: Int) -> Int { ringBytes / 4 }
    static func thawAt(ringBytes: Int) -> Int { ringBytes / 16 }

    /// Whether cgtrace may freeze these cgroups: not one that holds cgtrace itself (or the
    /// watchdog, which runs beside it), since then nothing would be left to thaw it.
    /// `ownCgroup` is cgtrace's cgroup path, relative to the mount (from /proc/self/cgroup).
    static func check(cgroups: [String], mountPoint: String, ownCgroup: String) throws(LaunchError) {
        let mine = mountPoint + (ownCgroup == "/" ? "" : ownCgroup)
        for path in cgroups {
            let target = path.hasSuffix("/") ? String(path.dropLast()) : path
            if mine == target || mine.hasPrefix(target + "/") || target == mountPoint {
                throw LaunchError("lossless mode would freeze \(path), which holds cgtrace itself; trace a cgroup cgtrace is not in, or use --drop", exitCode: 2)
            }
        }
    }

    /// cgtrace's own cgroup v2 path (`0::/path` in /proc/self/cgroup).
    static func ownCgroup() -> String {
        guard let text = WholeFile.text(atPath: "/proc/self/cgroup") else { return "/" }
        for line in text.split(separator: "\n") where line.hasPrefix("0::") {
            return String(line.dropFirst(3))
        }
        return "/"
    }

    /// Called for every record the consumer takes: looks at the backlog once in a while.
    @inline(__always)
    func recordHandled() {
        sinceCheck += 1
        // A look is two loads, but the producer's position is a cache line another CPU writes
        // at every sample: every 16 records it was ~1.3 % of a JSON storm's consumer. Every 64:
        // while a consumer (a debug build, or one writing to a slow terminal) handles that many,
        // a storm writes ~10 times as many, a few hundred records against the three quarters of
        // the ring above the watermark (12 MiB of the default 16; the run loop also looks after
        // every poll, and the freezer thread watches on its own).
        if sinceCheck >= 64 {
            sinceCheck = 0
            adjust()
        }
    }

    /// Freeze above the high watermark, thaw below the low one.
    func adjust() {
        guard let freezer else { return }
        var since: UInt64 = 0, until: UInt64 = 0
        if cgt_freezer_adjust(freezer, &since, &until) != 0 { intervals.add(from: since, to: until) }
    }

    /// Thaw for good (tracing ends, or the user interrupted it) and stop the watchdog.
    func release() {
        noteCounts()
        if let freezer {
            var since: UInt64 = 0, until: UInt64 = 0
            if cgt_freezer_thaw(freezer, &since, &until) != 0 { intervals.add(from: since, to: until) }
            cgt_freezer_free(freezer)
        }
        freezer = nil
        files.forEach { close($0) }
        files = []
        if watchdog >= 0 { close(watchdog) }
        watchdog = -1
    }

    /// How often the cgroups were frozen (the watcher thread's share), and for how long in all.
    private(set) var freezes: (all: UInt64, byWatcher: UInt64) = (0, 0)
    var frozenNs: UInt64 { intervals.total }

    private func noteCounts() {
        guard let freezer else { return }
        freezes = (cgt_freezer_freezes(freezer), cgt_freezer_watcher_freezes(freezer))
    }
}

/// When the traced cgroups were frozen, to take that time out of the calls it fell into.
final class FrozenIntervals {
    private var spans: [(start: UInt64, end: UInt64)] = []
    private(set) var total: UInt64 = 0

    func add(from start: UInt64, to end: UInt64) {
        guard end > start else { return }
        spans.append((start, end))
        total += end - start
        // Only recent spans matter for calls still to be paired; an old call that outlived 4096
        // freezes keeps the rest of its frozen time.
        if spans.count > 4096 { spans.removeFirst(spans.count - 2048) }
    }

    /// The frozen time within [start, end].
    func overlap(from start: UInt64, to end: UInt64) -> UInt64 {
        guard end > start, let last = spans.last, last.end > start else { return 0 }
        var sum: UInt64 = 0
        for span in spans.reversed() {
            if span.end <= start { break }
            let a = max(span.start, start), b = min(span.end, end)
            if b > a { sum += b - a }
        }
        return sum
    }
}

