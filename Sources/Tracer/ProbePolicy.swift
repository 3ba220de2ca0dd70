import CgtraceABI
import Launch
import Loader

/// How the options become probe settings: what the kernel filters, copies and records, which
/// hooks it attaches, and what to fall back to.
extension TraceSession {
    /// Load and attach; `prepare` fills maps after load and before attach.
    func loadProbes(targets: [CgroupTarget], followPids: Bool = false, lossless: Bool = false,
                    prepare: (ProbeSession) throws(LoaderError) -> Void = { _ throws(LoaderError) in }) throws(LaunchError) -> ProbeSession {
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
        let ringBytes = options.ringBytes(lossless: lossless)
        p.ringBytes = ringBytes
        p.wakeupBytes = min(p.wakeupBytes, ringBytes / 8)
        // One ring sample per call, unless entries are held for a status or latency filter, or
        // -k copies a stack at each entry (entries too large to hold).
        p.joinCalls = options.statusFilter == 0 && options.minLatencyNs == 0 && !options.stackTrace
        // Drop mode: one hole per overflow, dropping going on until the consumer has emptied half
        // the ring. Lossless mode lets records in as soon as they fit: an overflow there means
        // the freeze is still taking hold, and what fits is not lost.
        p.resumeBytes = lossless ? 0 : ringBytes / 2
        if lossless { p.freezeBytes = UInt32(Backpressure.freezeAt(ringBytes: Int(ringBytes))) }
        p.targets = targets
        p.debug = options.debug
        p.modes = options.attachModes
        if options.stackTrace { p.stackBytes = options.stackBytes }
        p.syscallEvents = syscallEventNames()
        let specs = kernelSpecsBesideLoad(verbose: p.verbose)
        // Taken before anything else asks for the formats, whatever happens to the load.
        defer { _ = specs.value }
        let session: ProbeSession
        do {
            do {
                session = try attachedSession(p, specs: specs, prepare: prepare)
            } catch where p.syscallEvents != nil {
                // The per-syscall events are an optimization: without them, the raw hooks.
                if options.debug { errorOutput.write("cgtrace: fallback: per-syscall events: \(error.description)\n") }
                p.syscallEvents = nil
                session = try attachedSession(p, specs: specs, prepare: prepare)
            }
        } catch {
            throw LaunchError(error.message(debug: options.debug), exitCode: 4)
        }
        return session
    }

    /// Load, fill the syscall table and `prepare`'s maps, attach; --debug says which hooks.
    private func attachedSession(_ p: ProbeOptions, specs: Background<[cgt_syscall_spec]>,
                                 prepare: (ProbeSession) throws(LoaderError) -> Void) throws(LoaderError) -> ProbeSession {
        try ProbeSession.loadAndAttach(p, specs: { specs.value }) { session throws(LoaderError) in
            if options.debug {
                for f in session.fallbacks { errorOutput.write("cgtrace: fallback: \(f)\n") }
                let hooks = session.syscallEvents.map { "per-syscall events for \($0.count) calls" } ?? "every syscall"
                errorOutput.write("cgtrace: attach mode \(session.mode.rawValue), hooking \(hooks)\n")
            }
            try prepare(session)
        }
    }

    /// With a short -e trace= list, hook just those syscalls through their own trace events, so
    /// that the others run no BPF at all (the raw hooks cost every syscall on the machine a
    /// program run). Not with -k (it needs the registers of every mmap) nor for rt_sigreturn
    /// (its exit event never fires: the restored registers no longer name it).
    func syscallEventNames() -> [String]? {
        guard let traced = options.traced, !traced.isEmpty, traced.count <= Self.maxSyscallEvents,
              !options.stackTrace else { return nil }
        let names = traced.sorted().map { table[$0]?.name ?? "syscall_\($0)" }
        guard !names.contains("rt_sigreturn"), !names.contains(where: { $0.hasPrefix("syscall_") }),
              SyscallEvents.usable(names) else { return nil }
        return names
    }

    /// Beyond this many, attaching one link per event (two perf events per call) takes longer
    /// than the raw hooks would cost a short command.
    static let maxSyscallEvents = 128
}
