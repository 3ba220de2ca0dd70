import Beautifiers
import CgtraceABI
import CSpawn
import Decoder
import Formatters
import Glibc
import Loader
import Symbolizer
import Syscalls
import TraceFile

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

/// One tracing run: load the probes, start or find the target, print until it is gone.
public final class TraceSession {
    let options: TraceOptions
    let formats: SyscallFormats
    let errorOutput = OutputFile(fd: 2, flushAt: 0)

    public init(options: TraceOptions, formats: SyscallFormats = .x86_64) {
        self.options = options
        self.formats = formats
    }

    /// `cgtrace [options] CMD ARGS…`: run CMD in a new cgroup, trace it and its descendants until
    /// all have exited, and return CMD's exit status (128+N if a signal N killed it).
    public func runCommand(_ command: [String]) throws(TracerError) -> Int32 {
        guard let name = command.first else { throw TracerError("must have PROG [ARGS] or -p PID", exitCode: 2) }
        let path = try resolveExecutable(name)
        let credentials = try options.user.map { name throws(TracerError) in try UserCredentials(name: name) }
        let hierarchy = try CgroupHierarchy.find()
        let cgroup = try TransientCgroup(hierarchy: hierarchy)
        defer { cgroup.remove() }

        let target = try hierarchy.target(path: cgroup.path)
        var format = options.format
        if options.outputPath != nil && options.followFlag { format.pidPrefix = .always }
        format.clock = WallClock.sample()
        let formatter = try makeOutputs(format: format, cgroupID: target.id)
        let lossless = options.lossless ?? true
        let probes = try loadProbes(targets: [target], lossless: lossless)
        // Before the freezer's thread starts: it inherits the mask, and a SIGHUP/SIGTERM it took
        // would kill cgtrace without cleanup.
        let signals = SignalGate()
        let backpressure = lossless
            ? try Backpressure(cgroupPaths: [cgroup.path], ringFD: probes.ringFD(), ringBytes: Int(options.ringBytes)) : nil
        defer { backpressure?.release() }

        let statsFD = options.stats ? ProbeSession.enableRunTimeStatistics() : -1
        defer { if statsFD >= 0 { close(statsFD) } }
        let symbolizer = options.stackTrace ? Symbolizer() : nil
        let child = try spawn(path: path, argv: command, cgroup: cgroup, credentials: credentials)
        let saved: TraceFileWriter?
        do { saved = try openSaveFile(source: "command", commandPid: UInt32(child), cgroupID: target.id, clock: format.clock) } catch {
            cgroup.killAll()
            throw error
        }
        saveLiveMappings(symbolizer, to: saved)
        symbolizer?.adoptMappings(pid: UInt32(child), from: UInt32(getpid()))

        // The child's few calls between clone and execve (restoring its signal mask) happen in
        // the cgroup; strace shows a command from its execve on, and so do we.
        let execve = formats.table.number(named: "execve") ?? 59
        let execveat = formats.table.number(named: "execveat") ?? 322
        var started = false
        let pump = RecordPump(session: self, output: formatter, symbolizer: symbolizer,
                              backpressure: backpressure, saved: saved) { record in
            if started { return true }
            // Open at the execve's entry, or at the exec itself when -e leaves execve out.
            guard record.header.tid == UInt32(child) else { return false }
            switch record {
            case .enter(let e) where e.number == execve || e.number == execveat: started = true
            case .exec: started = true
            default: return false
            }
            return true
        }
        let handler = pump.handle

        var status: Int32?
        var interrupted = 0
        var deadline: Double?
        var detached = false
        while true {
            if detached {
                usleep(10_000)
            } else {
                _ = try? probes.poll(timeoutMs: 10, handler)
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
                backpressure?.release()
                pump.finish(probes: probes)
                reportLimit()
                detached = true
            }
            if let sig = signals.pending() {
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
        backpressure?.release()
        if !detached {
            pump.finish(probes: probes)
            // (The limit may be reached by the records drained last.)
            if pump.limitReached { reportLimit() }
        }

        let raw = status ?? 0
        let termsig = raw & 0x7f
        return termsig == 0 ? (raw >> 8) & 0xff : 128 + termsig
    }

    /// `cgtrace --cgroup … / --container … / -p …`: trace what exists until Ctrl-C (SIGINT,
    /// SIGTERM, SIGHUP), or until the cgroups are removed or the processes have all exited.
    public func runAttached(_ specs: [TargetSpec], descendants: Bool) throws(TracerError) -> Int32 {
        let hierarchy = try CgroupHierarchy.find()
        let targets = try hierarchy.resolve(specs, descendants: descendants)
        var format = options.format
        if options.outputPath != nil && options.followFlag { format.pidPrefix = .always }
        format.detachesAtEnd = true
        // Tasks running before tracing began that the kernel has not reported yet (pidns).
        format.namespacePidsFromProc = true
        format.clock = WallClock.sample()
        let formatter = try makeOutputs(format: format, cgroupID: targets.cgroups.first?.id ?? 0)
        if options.lossless == true {
            // Freezing is for cgroups: a -p process's cgroup holds others that are not traced.
            if !targets.pids.isEmpty {
                throw TracerError("--lossless needs cgroup targets: freezing the cgroup of a -p process would stop processes that are not traced (use --cgroup, or --drop)", exitCode: 2)
            }
            if !descendants {
                throw TracerError("--lossless freezes a cgroup with its sub-cgroups; it cannot be combined with --no-descendants", exitCode: 2)
            }
            try Backpressure.check(cgroups: targets.cgroupPaths, mountPoint: hierarchy.mountPoint,
                                   ownCgroup: Backpressure.ownCgroup())
        }
        let probes = try loadProbes(targets: targets.cgroups, followPids: !targets.pids.isEmpty,
                                    lossless: options.lossless == true) { session throws(LoaderError) in
            for pid in targets.pids { try session.tracePid(pid) }
        }
        // Before the freezer's thread starts: it inherits the mask, and a SIGHUP/SIGTERM it took
        // would kill cgtrace without cleanup.
        let signals = SignalGate()
        let backpressure = options.lossless == true
            ? try Backpressure(cgroupPaths: targets.cgroupPaths, ringFD: probes.ringFD(), ringBytes: Int(options.ringBytes)) : nil
        defer { backpressure?.release() }
        let statsFD = options.stats ? ProbeSession.enableRunTimeStatistics() : -1
        defer { if statsFD >= 0 { close(statsFD) } }
        // Attached processes predate tracing: -k reads their mappings from /proc on first use.
        let symbolizer = options.stackTrace ? Symbolizer() : nil
        let saved = try openSaveFile(source: "attached", commandPid: 0, cgroupID: targets.cgroups.first?.id ?? 0, clock: format.clock)
        saveLiveMappings(symbolizer, to: saved)
        let pump = RecordPump(session: self, output: formatter, symbolizer: symbolizer,
                              backpressure: backpressure, saved: saved) { _ in true }
        let handler = pump.handle

        var why: String?
        var lastCheck = monotonicSeconds()
        while why == nil {
            _ = try? probes.poll(timeoutMs: 10, handler)
            backpressure?.adjust()
            if mainOutput?.failed == EPIPE { break }
            if signals.pending() != nil { break }
            if pump.limitReached { break }
            // Once a tenth of a second: is there still something to trace?
            if monotonicSeconds() - lastCheck > 0.1 {
                lastCheck = monotonicSeconds()
                let cgroupsLeft = targets.cgroupPaths.filter { access($0, F_OK) == 0 }
                let pidsLeft = targets.pids.isEmpty ? 0 : probes.tracedPidCount()
                if cgroupsLeft.count < targets.cgroupPaths.count {
                    let gone = targets.cgroupPaths.indices.filter { !cgroupsLeft.contains(targets.cgroupPaths[$0]) }
                    why = gone.map { targets.removalMessage($0) }.joined(separator: "; ")
                } else if targets.cgroupPaths.isEmpty && pidsLeft == 0 {
                    why = "all traced processes have exited"
                }
            }
        }
        backpressure?.release()
        pump.finish(probes: probes)
        if pump.limitReached { reportLimit() }
        if let why, !options.format.quiet.contains(.attach) { errorOutput.write("cgtrace: \(why)\n") }
        errorOutput.flush()
        return 0
    }

    // MARK: Pieces

    /// --syscall-limit reached (unless -q: strace files this message under `attach`).
    func reportLimit() {
        guard !options.format.quiet.contains(.attach), let n = options.syscallLimit else { return }
        errorOutput.write("cgtrace: syscall limit (\(n)) reached, detaching\n")
        errorOutput.flush()
    }

    func openOutput() throws(TracerError) -> OutputFile {
        guard let path = options.outputPath else { return OutputFile(fd: 2) }
        do {
            return try OutputFile.create(path: path)
        } catch {
            throw TracerError("can't open '\(path)': \(String(cString: strerror(error.errno)))", exitCode: 2)
        }
    }

    /// The outputs the options ask for; -ff leaves the -o name as a prefix, not a file.
    /// The main output stream (stderr or -o FILE), when there is one: watched for EPIPE.
    var mainOutput: OutputFile?

    func makeOutputs(format: FormatOptions, cgroupID: UInt64) throws(TracerError) -> TraceOutput {
        let plan = options.outputs
        let split = plan.perTaskFiles && options.outputPath != nil
        if split, let prefix = options.outputPath {
            // The files are created as tasks appear; a prefix whose directory cannot take them
            // is a usage error now, not a stream of failures later.
            let slash = prefix.lastIndex(of: "/")
            let dir = slash.map { $0 == prefix.startIndex ? "/" : String(prefix[..<$0]) } ?? "."
            if access(dir, W_OK | X_OK) != 0 {
                throw TracerError("can't create '\(prefix).PID' files: \(dir): \(String(cString: strerror(errno)))", exitCode: 2)
            }
        }
        let main: OutputFile? = split ? nil : try openOutput()
        mainOutput = main
        do {
            let outputs = try plan.build(formats: formats, format: format, main: main, filePrefix: options.outputPath,
                                         cgroupID: cgroupID, errors: errorOutput)
            let filtered = options.paths.isEmpty ? outputs : PathFilter(paths: options.paths, formats: formats, next: outputs)
            return CallPairing(formats: formats, next: filtered)
        } catch {
            throw TracerError("can't open '\(error.path)': \(String(cString: strerror(error.errno)))", exitCode: 2)
        }
    }

    /// Load, fill the syscall table and `prepare`'s maps, attach.
    private func attachedSession(_ p: ProbeOptions, prepare: (ProbeSession) throws(LoaderError) -> Void) throws(LoaderError) -> ProbeSession {
        let session = try ProbeSession(options: p)
        if options.debug {
            for f in session.fallbacks { errorOutput.write("cgtrace: fallback: \(f)\n") }
            let hooks = session.syscallEvents.map { "per-syscall events for \($0.count) calls" } ?? "every syscall"
            errorOutput.write("cgtrace: attach mode \(session.mode.rawValue), hooking \(hooks)\n")
        }
        do {
            try session.setSyscallSpecs((0..<Int(CGT_MAX_SYSCALLS)).map { nr in
                formats[nr].kernelSpec(traced: options.traced?.contains(nr) ?? true, verbose: options.format.verbose)
            })
            try prepare(session)
            try session.attach()
        } catch {
            session.close()
            throw error
        }
        return session
    }

    /// With a short -e trace= list, hook just those syscalls through their own trace events, so
    /// that the others run no BPF at all (the raw hooks cost every syscall on the machine a
    /// program run). Not with -k (it needs the registers of every mmap) nor for rt_sigreturn
    /// (its exit event never fires: the restored registers no longer name it).
    func syscallEventNames() -> [String]? {
        guard let traced = options.traced, !traced.isEmpty, traced.count <= Self.maxSyscallEvents,
              !options.stackTrace else { return nil }
        let names = traced.sorted().map { formats[$0].name }
        guard !names.contains("rt_sigreturn"), !names.contains(where: { $0.hasPrefix("syscall_") }),
              SyscallEvents.usable(names) else { return nil }
        return names
    }

    /// Beyond this many, attaching one link per event (two perf events per call) takes longer
    /// than the raw hooks would cost a short command.
    static let maxSyscallEvents = 128

    /// Load and attach; `prepare` fills maps after load and before attach.
    func loadProbes(targets: [CgroupTarget], followPids: Bool = false, lossless: Bool = false,
                    prepare: (ProbeSession) throws(LoaderError) -> Void = { _ throws(LoaderError) in }) throws(TracerError) -> ProbeSession {
        try Privileges.checkBTF()
        var p = ProbeOptions()
        p.followPids = followPids
        p.statusFilter = options.statusFilter
        p.minLatencyNs = options.minLatencyNs
        p.fdPaths = options.fdPaths
        p.verbose = options.format.verbose
        // A saved trace keeps the times: a replay may ask for -t or -T.
        p.recordTimes = options.outputs.needsTimes(options.format) || options.minLatencyNs > 0 || options.savePath != nil
        p.stringLimit = UInt32(clamping: options.format.stringLimit)
        p.ringBytes = options.ringBytes
        p.wakeupBytes = min(p.wakeupBytes, options.ringBytes / 8)
        if lossless { p.freezeBytes = UInt32(Backpressure.freezeAt(ringBytes: Int(options.ringBytes))) }
        p.targets = targets
        p.debug = options.debug
        p.modes = options.attachModes
        if options.stackTrace { p.stackBytes = options.stackBytes }
        p.syscallEvents = syscallEventNames()
        let session: ProbeSession
        do {
            do {
                session = try attachedSession(p, prepare: prepare)
            } catch where p.syscallEvents != nil {
                // The per-syscall events are an optimization: without them, the raw hooks.
                if options.debug { errorOutput.write("cgtrace: fallback: per-syscall events: \(error.description)\n") }
                p.syscallEvents = nil
                session = try attachedSession(p, prepare: prepare)
            }
        } catch {
            var message = error.description
            if options.debug, let log = error.log { message += "\n" + log }
            else if error.log != nil { message += " (--debug shows the verifier log)" }
            throw TracerError(message, exitCode: 4)
        }
        return session
    }

    func spawn(path: String, argv: [String], cgroup: TransientCgroup, credentials: UserCredentials?) throws(TracerError) -> pid_t {
        let cArgv = argv.map { strdup($0) } + [nil]
        let env = environmentStrings()
        let cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        let pid: pid_t
        if let credentials {
            pid = credentials.groups.withUnsafeBufferPointer { groups in
                var creds = cgt_spawn_creds(set: 1, uid: credentials.uid, gid: credentials.gid,
                                            ngroups: Int32(groups.count), groups: groups.baseAddress)
                return cgt_spawn_in_cgroup(cgroup.fd, path, cArgv, cEnv, &creds)
            }
        } else {
            pid = cgt_spawn_in_cgroup(cgroup.fd, path, cArgv, cEnv, nil)
        }
        if pid < 0 {
            throw TracerError("exec '\(path)': \(String(cString: strerror(-pid)))", exitCode: 126)
        }
        return pid
    }

    func report(probes: ProbeSession, malformed: Int) {
        let c = probes.counters()
        if c.lost > 0 { errorOutput.write("cgtrace: \(c.lost) events lost\n") }
        if c.truncated > 0 { errorOutput.write("cgtrace: \(c.truncated) captures cut at the record size limit\n") }
        if malformed > 0 { errorOutput.write("cgtrace: \(malformed) malformed records skipped\n") }
        errorOutput.flush()
    }

    /// `--stats`: machine-readable `cgtrace-stats: key=value` lines on stderr, for bench/.
    func reportStatistics(probes: ProbeSession, records: Int, backpressure: Backpressure?) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let c = probes.counters()
        var line = "cgtrace-stats: records=\(records) emitted=\(c.emitted) lost=\(c.lost)"
        line += " filtered=\(c.filtered) consumer_cpu_s=\(cpu) peak_rss_kib=\(usage.ru_maxrss)"
        if let backpressure {
            line += " freezes=\(backpressure.freezes.all) watcher_freezes=\(backpressure.freezes.byWatcher)"
            line += " frozen_s=\(Double(backpressure.frozenNs) / 1e9)"
        }
        for p in probes.programStats() where p.runs > 0 {
            line += " \(p.name)_runs=\(p.runs) \(p.name)_ns=\(p.nanoseconds)"
        }
        errorOutput.write(line + "\n")
        errorOutput.flush()
    }

    /// Find CMD as strace and execvp do: a name with a slash is a path, else search $PATH.
    public func resolveExecutable(_ name: String) throws(TracerError) -> String {
        if name.contains("/") {
            var st = stat()
            if stat(name, &st) != 0 {
                throw TracerError("Can't stat '\(name)': \(String(cString: strerror(errno)))", exitCode: 127)
            }
            return name
        }
        let searchPath = String(cString: getenv("PATH") ?? strdup("/usr/local/bin:/usr/bin:/bin"))
        for dir in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw TracerError("Can't stat '\(name)': No such file or directory", exitCode: 127)
    }
}

func environmentStrings() -> [String] {
    var result: [String] = []
    var p = environ
    while let entry = p.pointee {
        result.append(String(cString: entry))
        p += 1
    }
    return result
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The signals cgtrace handles itself (SIGINT, SIGTERM, SIGHUP, SIGQUIT): blocked, and collected
/// without waiting, so the main loop can flush, forward and clean up.
final class SignalGate {
    struct Received {
        let number: Int32
        let fromUser: Bool
    }
    private var set = sigset_t()

    init() {
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&set, s) }
        sigprocmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    func pending() -> Received? {
        var info = siginfo_t()
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        let sig = sigtimedwait(&set, &info, &zero)
        guard sig > 0 else { return nil }
        return Received(number: sig, fromUser: info.si_code == SI_USER || info.si_code == SI_QUEUE)
    }
}
