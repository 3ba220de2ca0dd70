import Beautifiers
import CBPF
import CgtraceABI
import Decoder
import Formatters
import Glibc
import Launch
import Loader
import Syscalls

public struct RecordingSpec: Sendable {
    public var name: String
    /// --cgroup, --cgroup-id, --container, -p: resolved as live tracing resolves them.
    public var targets: [TargetSpec] = []
    /// -y (1) / -yy (2): resolve fds in the kernel at call time, so dumps show paths.
    public var fdPaths: UInt32 = 0
    /// `-- CMD`: start CMD in a new cgroup, in the background, and record that cgroup.
    public var command: [String] = []
    /// Events kept per CPU.
    public var slotsPerCPU: UInt32 = 4096
    /// -s: bytes of strings and buffers kept per capture.
    public var stringLimit = 32
    /// -e trace=: syscall numbers recorded (nil: all).
    public var traced: Set<Int>?
    /// The words of -e trace= as given, for `cgtrace list`.
    public var filterText: String?
    /// --trigger, --after: stop overwriting a while after an incident (empty: never).
    public var trigger = TriggerSpec()
    public var debug = false

    public init(name: String) { self.name = name }
}

/// `--size`: a count of events per CPU, or with a K/M/G suffix, bytes per CPU (divided into
/// CGT_SLOT_SIZE-byte slots).
public func parseRecordingSize(_ text: String) -> UInt32? {
    var digits = Substring(text)
    var unit: UInt64 = 0
    if let last = digits.last, let scale = ["k": 1 << 10, "K": 1 << 10, "m": 1 << 20, "M": 1 << 20, "g": 1 << 30, "G": 1 << 30][last] {
        unit = UInt64(scale)
        digits = digits.dropLast()
        if digits.last == "i" || digits.last == "B" { return nil }
    }
    guard let n = UInt64(digits), n > 0 else { return nil }
    let events = unit == 0 ? n : n * unit / UInt64(CGT_SLOT_SIZE)
    guard events >= 1, events <= UInt64(UInt32.max) else { return nil }
    return UInt32(events)
}

public final class Recorder {
    public let store: RecordingStore
    let formats: SyscallFormats

    public init(store: RecordingStore = RecordingStore(), formats: SyscallFormats = .x86_64) {
        self.store = store
        self.formats = formats
    }

    // MARK: record

    /// Load the probes in recording mode, pin them under the recording's directory and return:
    /// from then on the kernel records with no process of ours. Returns the command's pid for
    /// `-- CMD` (0 otherwise).
    @discardableResult
    public func record(_ spec: RecordingSpec) throws(RecorderError) -> Int32 {
        try RecordingStore.validate(name: spec.name)
        try RecordingStore.requireRoot("cgtrace record")
        guard !spec.targets.isEmpty || !spec.command.isEmpty else {
            throw RecorderError("record needs a target: --cgroup PATH, --container ID|NAME, --unit NAME, -p PID or -- COMMAND", exitCode: RecorderExit.usage)
        }
        try store.prepare()
        let hierarchy: CgroupHierarchy
        do { hierarchy = try CgroupHierarchy.find() } catch {
            throw RecorderError(error.description, exitCode: RecorderExit.kernel)
        }
        removeStaleCommandCgroups(hierarchy)
        let dir = store.directory(spec.name)
        if mkdir(dir, 0o700) != 0 {
            if errno == EEXIST {
                throw RecorderError("a recording named '\(spec.name)' exists already (cgtrace stop \(spec.name) ends it)",
                                    exitCode: RecorderExit.nameTaken)
            }
            throw RecorderError("cannot create \(dir): \(String(cString: strerror(errno)))", exitCode: RecorderExit.kernel)
        }
        // From here on a failure leaves nothing behind.
        var commandCgroup: String?
        var committed = false
        defer {
            if !committed {
                try? store.remove(spec.name)
                if let commandCgroup { rmdir(commandCgroup) }
            }
        }

        let resolved: ResolvedTargets
        do { resolved = try hierarchy.resolve(spec.targets, descendants: true) } catch {
            throw RecorderError(error.description, exitCode: RecorderExit.usage)
        }
        var targets = resolved.cgroups
        var described = resolved.cgroupLabels
        if !resolved.pids.isEmpty {
            described.append("pid " + resolved.pids.map(String.init).joined(separator: ","))
        }
        var command: Command?
        if !spec.command.isEmpty {
            do { command = try Command(argv: spec.command) } catch {
                throw RecorderError(error.description, exitCode: error.exitCode)
            }
            let path = commandCgroupPath(hierarchy, spec.name)
            if mkdir(hierarchy.mountPoint + "/cgtrace", 0o755) != 0 && errno != EEXIST {
                throw RecorderError("cannot create \(hierarchy.mountPoint)/cgtrace: \(String(cString: strerror(errno)))", exitCode: RecorderExit.kernel)
            }
            if mkdir(path, 0o755) != 0 {
                throw RecorderError("cannot create cgroup \(path): \(String(cString: strerror(errno)))",
                                    exitCode: errno == EEXIST ? RecorderExit.nameTaken : RecorderExit.kernel)
            }
            commandCgroup = path
            do { targets.append(try hierarchy.target(path: path)) } catch {
                throw RecorderError(error.description, exitCode: RecorderExit.kernel)
            }
            described.append("command " + spec.command.joined(separator: " "))
        }
        if let filter = spec.filterText { described.append("-e " + filter) }
        if !spec.trigger.isEmpty { described.append("trigger " + spec.trigger.description(table: formats.table)) }

        let probes = try load(spec, targets: targets, pids: resolved.pids)
        defer { probes.close() }
        do { try probes.pin(in: dir) } catch {
            throw RecorderError(error.description, exitCode: RecorderExit.kernel)
        }

        var info = cgt_recording_info()
        info.abi_version = UInt32(CGT_ABI_VERSION)
        info.slot_size = UInt32(CGT_SLOT_SIZE)
        info.slots_per_cpu = spec.slotsPerCPU
        info.ncpus = UInt32(ProbeSession.possibleCPUs)
        info.string_limit = UInt32(spec.stringLimit)
        info.fd_paths = spec.fdPaths
        info.trigger_after = UInt32(clamping: spec.trigger.kernelConfig(slotsPerCPU: spec.slotsPerCPU).after)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        info.created_ns = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        store(described.joined(separator: ", "), into: &info.targets)
        store(commandCgroup ?? "", into: &info.cgroup)
        let infoFD = try createInfo(info, pinnedAt: dir + "/info")
        defer { close(infoFD) }
        if !spec.trigger.isEmpty {
            // Says "armed" to list and rearm; the kernel never writes this field (read first: a
            // trigger may have fired already, in a recorded cgroup).
            var state = cgt_trigger_state()
            let fd = bpf_obj_get(dir + "/trigger_state")
            var key: UInt32 = 0
            defer { if fd >= 0 { close(fd) } }
            if fd >= 0 { _ = bpf_map_lookup_elem(fd, &key, &state) }
            state.kinds = spec.trigger.kernelConfig(slotsPerCPU: spec.slotsPerCPU).kinds
            guard fd >= 0, bpf_map_update_elem(fd, &key, &state, UInt64(BPF_ANY)) == 0 else {
                throw RecorderError("cannot arm the trigger: \(String(cString: strerror(errno)))", exitCode: RecorderExit.kernel)
            }
        }

        // Interrupted while it was being made: the deferred cleanup removes all of it, and no
        // command is started.
        if let sig = HandledSignals.takePending() {
            throw RecorderError("interrupted (\(Tables.signalName(Int(sig)))): recording '\(spec.name)' not made",
                                exitCode: 128 + sig)
        }
        var pid: Int32 = 0
        if let command, let commandCgroup {
            // It outlives this process; its cgroup stays until `cgtrace stop` (removed then if empty).
            do { pid = try command.spawnDetached(inCgroup: commandCgroup) } catch {
                throw RecorderError(error.description, exitCode: error.exitCode)
            }
            info.command_pid = UInt32(pid)
            var key: UInt32 = 0
            // Only the dump's "start at its execve" nicety depends on this; the recording is made.
            _ = bpf_map_update_elem(infoFD, &key, &info, UInt64(BPF_ANY))
        }
        committed = true
        return pid
    }

    func load(_ spec: RecordingSpec, targets: [CgroupTarget], pids: [Int32]) throws(RecorderError) -> ProbeSession {
        var options = ProbeOptions()
        options.stringLimit = UInt32(clamping: spec.stringLimit)
        options.targets = targets
        options.followPids = !pids.isEmpty
        options.fdPaths = spec.fdPaths
        options.recordSlots = spec.slotsPerCPU
        options.trigger = spec.trigger.kernelConfig(slotsPerCPU: spec.slotsPerCPU)
        options.debug = spec.debug
        do {
            let specs = formats.kernelSpecs(traced: spec.traced, verbose: options.verbose)
            return try ProbeSession.loadAndAttach(options, specs: { specs }) { session throws(LoaderError) in
                // -p: the kernel follows these processes' forks from now on, with nobody watching.
                for pid in pids { try session.tracePid(pid) }
            }
        } catch {
            throw RecorderError(error.message(debug: spec.debug), exitCode: RecorderExit.kernel)
        }
    }

    func createInfo(_ info: cgt_recording_info, pinnedAt path: String) throws(RecorderError) -> Int32 {
        let fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "cgt_info", 4, UInt32(MemoryLayout<cgt_recording_info>.size), 1, nil)
        guard fd >= 0 else {
            throw RecorderError("cannot create the recording's info map: \(String(cString: strerror(errno)))", exitCode: RecorderExit.kernel)
        }
        var key: UInt32 = 0
        var value = info
        if bpf_map_update_elem(fd, &key, &value, UInt64(BPF_ANY)) != 0 || bpf_obj_pin(fd, path) != 0 {
            let e = errno
            close(fd)
            throw RecorderError("cannot store \(path): \(String(cString: strerror(e)))", exitCode: RecorderExit.kernel)
        }
        return fd
    }

    func store<T>(_ text: String, into field: inout T) {
        withUnsafeMutableBytes(of: &field) { raw in
            let bytes = Array(text.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
    }

    func commandCgroupPath(_ hierarchy: CgroupHierarchy, _ name: String) -> String {
        hierarchy.mountPoint + "/cgtrace/rec-" + name
    }

    /// Cgroups made for `-- CMD` recordings that were stopped while the command still ran:
    /// removed once empty (rmdir fails harmlessly while processes remain).
    func removeStaleCommandCgroups(_ hierarchy: CgroupHierarchy) {
        let parent = hierarchy.mountPoint + "/cgtrace"
        guard let dir = opendir(parent) else { return }
        var stale: [String] = []
        while let entry = readdir(dir) {
            let n = entryName(entry)
            if n.hasPrefix("rec-"), !store.exists(String(n.dropFirst(4))) { stale.append(n) }
        }
        closedir(dir)
        for n in stale { rmdir(parent + "/" + n) }
    }

    // MARK: stop

    /// Unpin a recording. Returns a note when its command still runs (it is left running).
    public func stop(name: String) throws(RecorderError) -> String? {
        try RecordingStore.validate(name: name)
        try RecordingStore.requireRoot("cgtrace stop")
        guard store.exists(name) else {
            throw RecorderError("no recording named '\(name)' (cgtrace list shows them)", exitCode: RecorderExit.unknownName)
        }
        // The info may be missing in a recording whose `record` was killed half-way: stop it anyway.
        let cgroup = (try? PinnedRecording(store: store, name: name))?.cgroup ?? ""
        try store.remove(name)
        if !cgroup.isEmpty, rmdir(cgroup) != 0, errno == EBUSY {
            return "the command of '\(name)' still runs in \(cgroup); it was left running, unrecorded"
        }
        return nil
    }

    // MARK: rearm

    /// `record --rearm NAME`: forget a fired trigger; the kernel overwrites again and waits for
    /// the next incident. Returns what the trigger had recorded, if it had fired.
    public func rearm(name: String) throws(RecorderError) -> String? {
        try RecordingStore.validate(name: name)
        try RecordingStore.requireRoot("cgtrace record --rearm")
        let recording = try PinnedRecording(store: store, name: name)
        guard recording.hasTrigger else {
            throw RecorderError("recording '\(name)' has no trigger to rearm (cgtrace record \(name) --trigger … makes one)",
                                exitCode: RecorderExit.usage)
        }
        let before = recording.triggerState().flatMap(TriggerReport.init)
        try recording.resetTrigger()
        return before.map { "recording '\(name)' rearmed; it had " + $0.text(formats: formats, clock: WallClock.sample(), after: UInt64(recording.info.trigger_after)) }
    }

    // MARK: list

    public struct Summary: Sendable {
        public var name: String
        public var targets: String
        public var slotsPerCPU: Int
        public var ncpus: Int
        public var recorded: UInt64
        public var overwritten: UInt64
        public var ageSeconds: Double
        public var problem: String?
        /// `recording`, `armed` (a trigger waits) or `triggered`.
        public var state = "recording"
        /// A fired trigger: when, why, and what was kept.
        public var trigger: String?
    }

    public func list() throws(RecorderError) -> [Summary] {
        try RecordingStore.requireRoot("cgtrace list")
        var result: [Summary] = []
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNs = Double(now.tv_sec) * 1e9 + Double(now.tv_nsec)
        let clock = WallClock.sample()
        for name in store.names() {
            do {
                let r = try PinnedRecording(store: store, name: name)
                let heads = try r.heads()
                let slots = UInt64(r.slotsPerCPU)
                var summary = Summary(name: name, targets: r.targets, slotsPerCPU: r.slotsPerCPU, ncpus: r.ncpus,
                                      recorded: heads.reduce(0, &+),
                                      overwritten: heads.reduce(0) { $0 + ($1 > slots ? $1 - slots : 0) },
                                      ageSeconds: max(0, (nowNs - Double(r.info.created_ns)) / 1e9))
                if r.hasTrigger { summary.state = "armed" }
                if let report = r.triggerState().flatMap(TriggerReport.init) {
                    summary.state = "triggered"
                    summary.trigger = report.text(formats: formats, clock: clock, after: UInt64(r.info.trigger_after))
                }
                result.append(summary)
            } catch {
                result.append(Summary(name: name, targets: "", slotsPerCPU: 0, ncpus: 0, recorded: 0, overwritten: 0,
                                      ageSeconds: 0, problem: error.description))
            }
        }
        return result
    }
}
