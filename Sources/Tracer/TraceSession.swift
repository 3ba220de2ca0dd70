import Beautifiers
import CgtraceABI
import Formatters
import Glibc
import Launch
import Loader
import Symbolizer
import Syscalls
import TraceFile

/// One tracing run: load the probes, start or find the target, print until it is gone.
public final class TraceSession {
    let options: TraceOptions
    /// The syscalls' numbers and names (what the options were parsed against).
    let table: SyscallTable
    /// How each syscall is decoded: given, or (a live run) made beside the probe load; the copy
    /// specs are made from them there too (kernelSpecsBesideLoad).
    private(set) lazy var formats: SyscallFormats = kernel?.value.formats ?? .x86_64
    private let kernel: PendingKernelDescription?

    /// The probes' copy specs (SyscallFormats.kernelSpecs), made on a thread of their own once
    /// the formats are, while the verifier runs: ~1 ms of every start here that the main thread
    /// spent between the load and the attach. Until the result is taken, nothing may ask for
    /// `formats` (the description has one caller at a time).
    func kernelSpecsBesideLoad(verbose: Bool) -> Background<[cgt_syscall_spec]> {
        let traced = options.traced
        guard let kernel else {
            let formats = self.formats
            return Background { formats.kernelSpecs(traced: traced, verbose: verbose) }
        }
        return Background { kernel.value.formats.kernelSpecs(traced: traced, verbose: verbose) }
    }

    let errorOutput = OutputFile(fd: 2, flushAt: 0)
    /// The main output stream (stderr or -o FILE), when there is one: watched for EPIPE.
    var mainOutput: OutputFile?

    public init(options: TraceOptions, formats: SyscallFormats = .x86_64) {
        self.options = options
        table = formats.table
        kernel = nil
        self.formats = formats
    }

    /// A live run whose formats are still being made (main.swift).
    public init(options: TraceOptions, kernel: PendingKernelDescription) {
        self.options = options
        table = kernel.table
        self.kernel = kernel
    }

    /// `cgtrace [options] CMD ARGS…`: run CMD in a new cgroup, trace it and its descendants until
    /// all have exited, and return CMD's exit status (128+N if a signal N killed it).
    public func runCommand(_ argv: [String]) throws(LaunchError) -> Int32 {
        guard !argv.isEmpty else { throw LaunchError("must have PROG [ARGS] or -p PID", exitCode: 2) }
        let command = try Command(argv: argv)
        let credentials = try options.user.map { name throws(LaunchError) in try UserCredentials(name: name) }
        // From here on a Ctrl-C waits for the run loop, or for the check before the spawn: its
        // default action would leave the cgroup below behind.
        let signals = SignalGate()
        let hierarchy = try CgroupHierarchy.find()
        let cgroup = try TransientCgroup(hierarchy: hierarchy)
        defer { cgroup.remove() }

        let target = try hierarchy.target(path: cgroup.path)
        let format = liveFormat()
        let lossless = options.isLossless(command: true)
        let live = try startLive(targets: [target], signals: signals, freezing: lossless ? [cgroup.path] : nil)
        defer { live.end() }
        // After the load: the outputs need the formats, which are made beside it.
        let formatter = try makeOutputs(format: format, cgroupID: target.id)
        // Interrupted while starting (a terminal's Ctrl-C signalled no command yet): run nothing.
        if let sig = signals.pending() { return 128 + sig.number }
        let child = try command.spawn(in: cgroup, credentials: credentials)
        let saved: TraceFileWriter?
        do { saved = try openSaveFile(source: "command", commandPid: UInt32(child), cgroupID: target.id, clock: format.clock) } catch {
            cgroup.killAll()
            throw error
        }
        saveLiveMappings(live.symbolizer, to: saved)
        live.symbolizer?.adoptMappings(pid: UInt32(child), from: UInt32(getpid()))

        // As strace, the command shows from its execve on (not cgtrace's code before it).
        var start = CommandStart(pid: UInt32(child), table: table)
        let pump = RecordPump(session: self, output: formatter, symbolizer: live.symbolizer,
                              backpressure: live.backpressure, saved: saved) { record in start.admits(record) }
        let probes = live.probes, backpressure = live.backpressure

        var status: Int32?
        var interrupted = 0
        var deadline: Double?
        var detached = false
        while true {
            if detached {
                usleep(10_000)
            } else {
                _ = probes.poll(timeoutMs: 10, wakeFD: live.signals.wakeFD, pump.handle, pairs: pump.handlePair)
                if probes.ringCaughtUp { pump.caughtUp() }
                backpressure?.adjust()
            }
            // The reader of the trace went away (`| head`): stop tracing, quietly, and let the
            // command finish as it would have untraced.
            if !detached && mainOutput?.failed == EPIPE {
                backpressure?.release()
                probes.close()
                detached = true
            }
            // --syscall-limit: as strace, detach and let the command run on.
            if !detached && pump.limitReached {
                finish(pump, live)
                detached = true
            }
            if let sig = live.signals.pending() {
                interrupted += 1
                // Stopping is what was asked for: the command must see its signal now, not
                // after the backlog drains (what is dropped from here on is marked).
                backpressure?.release()
                if interrupted == 1 {
                    // Forward what did not come from the terminal (which already signalled the
                    // whole foreground group), then give the command a moment to exit.
                    if sig.fromUser { kill(child, sig.number) }
                    deadline = monotonicSeconds() + 5
                } else {
                    cgroup.killAll()
                }
            }
            if status == nil {
                var raw: Int32 = 0
                let r = waitpid(child, &raw, WNOHANG)
                if r == child { status = raw }
            }
            if status != nil && !cgroup.populated { break }
            if let d = deadline, monotonicSeconds() > d {
                cgroup.killAll()
                deadline = nil
            }
        }
        // Everything the tasks did happened before they left the cgroup: collect the rest.
        // (The limit may be reached by the records drained last.)
        if !detached { finish(pump, live) }

        let raw = status ?? 0
        let termsig = raw & 0x7f
        return termsig == 0 ? (raw >> 8) & 0xff : 128 + termsig
    }

    /// `cgtrace --cgroup … / --container … / -p …`: trace what exists until Ctrl-C (SIGINT,
    /// SIGTERM, SIGHUP), or until the cgroups are removed or the processes have all exited.
    public func runAttached(_ specs: [TargetSpec], descendants: Bool) throws(LaunchError) -> Int32 {
        let signals = SignalGate()
        let hierarchy = try CgroupHierarchy.find()
        // Interrupted while the targets were looked up (a runtime's CLI the Ctrl-C also reached
        // may have failed for it): stop here, before anything is loaded, without its error.
        let targets: ResolvedTargets
        do {
            targets = try hierarchy.resolve(specs, descendants: descendants)
        } catch {
            if let sig = signals.pending() { return 128 + sig.number }
            throw error
        }
        if let sig = signals.pending() { return 128 + sig.number }
        var format = liveFormat()
        format.detachesAtEnd = true
        // Tasks running before tracing began that the kernel has not reported yet (pidns).
        format.namespacePidsFromProc = true
        let formatter = try makeOutputs(format: format, cgroupID: targets.cgroups.first?.id ?? 0)
        let lossless = options.isLossless(command: false)
        if lossless {
            // Freezing is for cgroups: a -p process's cgroup holds others that are not traced.
            if !targets.pids.isEmpty {
                throw LaunchError("--lossless needs cgroup targets: freezing the cgroup of a -p process would stop processes that are not traced (use --cgroup, or --drop)", exitCode: 2)
            }
            if !descendants {
                throw LaunchError("--lossless freezes a cgroup with its sub-cgroups; it cannot be combined with --no-descendants", exitCode: 2)
            }
            try Backpressure.check(cgroups: targets.cgroupPaths, mountPoint: hierarchy.mountPoint,
                                   ownCgroup: Backpressure.ownCgroup())
        }
        let live = try startLive(targets: targets.cgroups, followPids: !targets.pids.isEmpty, signals: signals,
                                 freezing: lossless ? targets.cgroupPaths : nil) { session throws(LoaderError) in
            for pid in targets.pids {
                try session.tracePid(pid)
                // Exited between the check and now: its exit went by untraced, and would keep
                // the trace open forever. (After this, the probes see the exit and remove it.)
                if !processIsRunning(pid) { session.untracePid(pid) }
            }
        }
        defer { live.end() }
        let saved = try openSaveFile(source: "attached", commandPid: 0, cgroupID: targets.cgroups.first?.id ?? 0, clock: format.clock)
        saveLiveMappings(live.symbolizer, to: saved)
        let pump = RecordPump(session: self, output: formatter, symbolizer: live.symbolizer,
                              backpressure: live.backpressure, saved: saved) { _ in true }

        var why: String?
        var lastCheck = monotonicSeconds()
        while why == nil {
            _ = live.probes.poll(timeoutMs: 10, wakeFD: live.signals.wakeFD, pump.handle, pairs: pump.handlePair)
            if live.probes.ringCaughtUp { pump.caughtUp() }
            live.backpressure?.adjust()
            if mainOutput?.failed == EPIPE { break }
            if live.signals.pending() != nil { break }
            if pump.limitReached { break }
            // Once a tenth of a second: is there still something to trace?
            if monotonicSeconds() - lastCheck > 0.1 {
                lastCheck = monotonicSeconds()
                let cgroupsLeft = targets.cgroupPaths.filter { access($0, F_OK) == 0 }
                let pidsLeft = targets.pids.isEmpty ? 0 : live.probes.tracedPidCount()
                if cgroupsLeft.count < targets.cgroupPaths.count {
                    let gone = targets.cgroupPaths.indices.filter { !cgroupsLeft.contains(targets.cgroupPaths[$0]) }
                    why = gone.map { targets.removalMessage($0) }.joined(separator: "; ")
                } else if targets.cgroupPaths.isEmpty && pidsLeft == 0 {
                    why = "all traced processes have exited"
                }
            }
        }
        finish(pump, live)
        if let why, !options.format.quiet.contains(.attach) { errorOutput.write("cgtrace: \(why)\n") }
        errorOutput.flush()
        return 0
    }

    // MARK: What both run loops share

    /// The options' format for a live run: with -o, -f prefixes every line with its pid (as
    /// strace does); times print in this boot's wall clock.
    private func liveFormat() -> FormatOptions {
        var format = options.format
        if options.outputPath != nil && options.followFlag { format.pidPrefix = .always }
        format.clock = WallClock.sample()
        return format
    }

    /// What a run loop sets up once its outputs are open, in this order: the probes (`prepare`
    /// fills their maps before they attach), lossless backpressure on the cgroups at `freezing`
    /// (nil: records may drop), --stats' run-time counting, -k's symbolizer. `signals`: made
    /// before anything that needs cleaning up, and before the freezer's thread starts (it
    /// inherits the mask: a SIGHUP/SIGTERM it took would kill cgtrace without cleanup).
    private func startLive(targets: [CgroupTarget], followPids: Bool = false, signals: SignalGate,
                           freezing cgroupPaths: [String]?,
                           prepare: (ProbeSession) throws(LoaderError) -> Void = { _ throws(LoaderError) in }) throws(LaunchError) -> LiveTrace {
        let probes = try loadProbes(targets: targets, followPids: followPids, lossless: cgroupPaths != nil, prepare: prepare)
        do {
            try probes.openRing()
        } catch {
            probes.close()
            throw LaunchError(error.description, exitCode: 4)
        }
        var backpressure: Backpressure?
        if let cgroupPaths {
            backpressure = try Backpressure(cgroupPaths: cgroupPaths, ringFD: probes.ringFD(), ringBytes: Int(options.ringBytes(lossless: true)))
        }
        let statsFD = options.stats ? ProbeSession.enableRunTimeStatistics() : -1
        // -k: a command's mappings are adopted from cgtrace's own at spawn; attached processes
        // predate tracing, and the symbolizer reads theirs from /proc on first use.
        let symbolizer = options.stackTrace ? Symbolizer() : nil
        return LiveTrace(probes: probes, signals: signals, backpressure: backpressure, symbolizer: symbolizer, statsFD: statsFD)
    }

    /// Stop tracing: thaw, drain the ring into the outputs, report losses and a reached limit,
    /// detach.
    private func finish(_ pump: RecordPump, _ live: LiveTrace) {
        live.backpressure?.release()
        pump.finish(probes: live.probes)
        if pump.limitReached { reportLimit() }
    }
}

/// The kernel side of a live run and what watches it (TraceSession.startLive).
struct LiveTrace {
    let probes: ProbeSession
    let signals: SignalGate
    /// Lossless mode: freezes the traced cgroups while the ring is too full.
    let backpressure: Backpressure?
    /// -k: follows the processes' mappings and unwinds each call's stack copy.
    let symbolizer: Symbolizer?
    /// --stats: BPF run-time counting stays on while this is open (-1: not asked for).
    let statsFD: Int32

    /// Undo what would outlive the run: counting run time, a freeze.
    func end() {
        if statsFD >= 0 { close(statsFD) }
        backpressure?.release()
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
