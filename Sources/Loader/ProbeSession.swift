import CBPF
import CgtraceABI
import CSpawn
import BPFProbes
import Glibc
import WholeFiles

/// How the syscall hooks are attached. Chosen at run time by trying, best first.
public enum AttachMode: String, Sendable, CaseIterable {
    /// BTF-typed raw tracepoints (kernel ≥ 5.5 with BTF): cheapest, no tracefs.
    case tpBTF = "tp_btf"
    /// Raw tracepoints: any kernel with BPF ring buffers.
    case rawTP = "raw_tp"

    /// The programs of this mode in probes/cgtrace.bpf.c.
    var programSet: ProbeProgramSet {
        switch self {
        case .tpBTF: return .typed
        case .rawTP: return .raw
        }
    }
}

/// A cgroup to trace, as the kernel checks it.
public struct CgroupTarget: Sendable, Equatable {
    public var id: UInt64
    public var level: UInt32
    public var descendants: Bool

    public init(id: UInt64, level: UInt32, descendants: Bool = true) {
        self.id = id
        self.level = level
        self.descendants = descendants
    }
}

public struct ProbeOptions: Sendable {
    /// -s: bytes of strings and buffers to keep.
    public var stringLimit: UInt32 = 32
    /// Size of the ring buffer in bytes (a power of two, multiple of the page size).
    public var ringBytes: UInt32 = 16 << 20
    /// Wake the consumer when this much data waits; otherwise it polls on a timer. A power of
    /// two (the kernel compares shifted backlogs): any other value is rounded down to one.
    public var wakeupBytes: UInt32 = 1 << 20
    /// Lossless mode: the backlog above which each record wakes the freezer (0: drop mode).
    public var freezeBytes: UInt32 = 0
    /// After an overflow, the backlog under which records get through again (0: at once).
    public var resumeBytes: UInt32 = 0
    public var targets: [CgroupTarget] = []
    /// Also trace processes in the `traced_pids` map, following their forks (-p).
    public var followPids = false
    /// -e status= / -z / -Z: outcomes to show (CGT_STATUS_* bits); 0 shows every call.
    public var statusFilter: UInt32 = 0
    /// --latency: only calls that took at least this long; 0 shows all.
    public var minLatencyNs: UInt64 = 0
    /// -y (1): resolve fd arguments and returned fds to what they refer to; -yy (2): and sockets'
    /// endpoints.
    public var fdPaths: UInt32 = 0
    /// -k: bytes of user stack copied at each traced syscall's entry (0: no stacks; the stack
    /// code is then dead to the verifier and costs nothing).
    public var stackBytes: UInt32 = 0
    /// Hold each entry record in its thread and write it with the call's exit, one ring sample
    /// per call (live tracing only; not with a status or latency filter, which hold entries
    /// their own way). Loads the switch-out hook, which sends a held entry when its thread
    /// blocks or is preempted.
    public var joinCalls = false
    /// Whether calls are joined: asked for, and live tracing (the flight recorder's slots keep
    /// records one by one, placed by their sequence numbers).
    var joinsCalls: Bool { joinCalls && recordSlots == 0 }
    /// -v: string arrays up to CGT_ARGV_MAX elements whatever -s says.
    public var verbose = false
    /// Stamp syscall records with the time. Off only when nothing shown needs it (two clock
    /// reads per call, ~10 % of the in-kernel cost); records then carry 0.
    public var recordTimes = true
    /// Keep the kernel's verifier log and libbpf's messages (--debug).
    public var debug = false
    /// Modes to try, in order.
    public var modes: [AttachMode] = AttachMode.allCases
    /// Load the BPF object from this file instead of the embedded one. Set from
    /// CGTRACE_BPF_OBJECT, so every loader (live tracing, the recorder) honours it: for
    /// developing the probes, and for testing how a verifier rejection is reported.
    public var objectPath: String? = getenv("CGTRACE_BPF_OBJECT").map { String(cString: $0) }
    /// Hook only these syscalls, through their own trace events (syscalls/sys_enter_NAME and
    /// sys_exit_NAME), instead of every syscall through the raw sys_enter/sys_exit hooks: the
    /// calls left out then run no BPF at all. nil: the raw hooks. See SyscallEvents.usable.
    public var syscallEvents: [String]?
    /// Flight recorder: keep the last `recordSlots` records of each CPU in the kernel instead of
    /// streaming them (0: live tracing through the ring buffer).
    public var recordSlots: UInt32 = 0
    /// Flight recorder: the triggers that stop overwriting (all zero: none).
    public var trigger = cgt_trigger_config()
    /// Where the minimal kernel BTF for CO-RE relocation is cached (CoreBTFCache); nil: libbpf
    /// relocates against the full /sys/kernel/btf/vmlinux.
    public var coreBTFDirectory: String? = CoreBTFCache.defaultDirectory

    public init() {}

    /// Whether the hooks that ask about another task than the current one find it traced by its
    /// task storage (cgt_config.tids_by_task), not in the traced_tids map: tp_btf hands them a
    /// trusted pointer to it; raw_tp does not, nor does the OOM trigger's hook use the storage.
    func tidsByTask(_ mode: AttachMode) -> Bool {
        mode == .tpBTF && trigger.kinds & (1 << CGT_TRIG_OOM.rawValue) == 0
    }

    /// Whether the lean build of the object serves (probes/maps.bpf.h, CGT_LEAN): live tracing
    /// without -y, -k, a status or latency filter, or triggers.
    public var fitsLeanObject: Bool {
        fdPaths == 0 && stackBytes == 0 && statusFilter == 0 && minLatencyNs == 0 && trigger.kinds == 0 && recordSlots == 0
    }
}

public struct LoaderError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The tail of the verifier log, when there is one.
    public let log: String?
    /// The errno of a failed bpf_object__load (0 for other failures).
    public var code: Int32 = 0

    init(_ description: String, log: String? = nil, code: Int32 = 0) {
        self.description = description
        self.log = log
        self.code = code
    }

    /// What the user is told: with --debug the verifier log follows; without, where to find it.
    public func message(debug: Bool) -> String {
        guard let log else { return description }
        return debug ? description + "\n" + log : description + " (--debug shows the verifier log)"
    }
}

/// Per-CPU counters the kernel keeps, summed.
public struct KernelCounters: Sendable, Equatable {
    public var lost: UInt64 = 0
    public var emitted: UInt64 = 0
    public var truncated: UInt64 = 0
    /// Calls a status or latency filter dropped in the kernel (never sent).
    public var filtered: UInt64 = 0
}

/// The loaded BPF object: programs attached, maps reachable. Closing it (or the process
/// exiting, even by SIGKILL) detaches everything, because nothing is pinned.
public final class ProbeSession {
    public let mode: AttachMode
    /// The syscalls hooked through their own trace events; nil when the raw hooks see every call.
    public let syscallEvents: [String]?
    /// Why better modes were not used (e.g. "tp_btf: Permission denied"), for --debug/--version.
    public let fallbacks: [String]

    // Internal, not private: the pinning extension (ProbeSession+Pinning.swift) hands them to bpffs.
    /// The object whose maps the session uses.
    var object: OpaquePointer?
    /// The objects holding the loaded programs, in load order: `object` itself, or two that
    /// share its maps (loadSplit).
    var programObjects: [OpaquePointer] = []
    var links: [OpaquePointer] = []
    private var ring: RingReader?
    /// Live tracing's ring, mapped on a thread of its own while the caller writes the copy
    /// specs and attaches (the kernel maps all of the ring's pages at once: ~0.7 ms of every
    /// start here, 16 MiB); openRing takes it.
    private var mappingRing: Background<Result<RingReader, LoaderError>>?

    public init(options: ProbeOptions) throws(LoaderError) {
        Self.configureLogging(debug: options.debug)
        var failures: [String] = []
        var lastError: LoaderError?
        for mode in options.modes {
            do {
                let loaded = try Self.load(mode: mode, options: options)
                self.object = loaded.maps
                self.programObjects = loaded.programs
                self.mode = mode
                self.syscallEvents = options.syscallEvents
                self.fallbacks = failures
                if options.recordSlots == 0, let fd = try? mapFD(.events) {
                    mappingRing = Background { () -> Result<RingReader, LoaderError> in
                        do throws(LoaderError) { return .success(try RingReader(fd: fd)) } catch { return .failure(error) }
                    }
                }
                return
            } catch {
                failures.append("\(mode.rawValue): \(error.description)")
                lastError = error
            }
        }
        throw LoaderError("cannot load the BPF programs (\(failures.joined(separator: "; ")))",
                          log: lastError?.log)
    }

    deinit {
        close()
    }

    /// Detach and free everything.
    public func close() {
        // Per-syscall events detach slowly (the kernel waits out tracepoint users); let a
        // background process hold them through that wait instead of the user.
        let releaser = syscallEvents != nil && !links.isEmpty ? cgt_release_in_background() : -1
        defer { if releaser >= 0 { Glibc.close(releaser) } }
        if let mapping = mappingRing {
            mappingRing = nil
            _ = mapping.value
        }
        ring = nil
        // Newest first: the switch-out hook, attached first, goes last (probes/threads.bpf.h).
        for link in links.reversed() { bpf_link__destroy(link) }
        links = []
        for programs in programObjects where programs != object { bpf_object__close(programs) }
        programObjects = []
        if let object { bpf_object__close(object) }
        object = nil
    }

    /// Every loaded program, in ProbeHook's order whichever object holds it (the switch-out hook,
    /// the cgroup-move and task-exit hooks, sys_enter, sys_exit, then the signal and other task
    /// hooks: attached in this order).
    var loadedPrograms: [OpaquePointer] {
        let programs = programObjects.flatMap { object in
            var programs: [(hook: Int, program: OpaquePointer)] = []
            var program = bpf_object__next_program(object, nil)
            while let p = program {
                if bpf_program__autoload(p) {
                    let hook = ProbeHook(program: String(cString: bpf_program__name(p)))
                    programs.append((hook.flatMap { ProbeHook.allCases.firstIndex(of: $0) } ?? Int.max, p))
                }
                program = bpf_object__next_program(object, p)
            }
            return programs
        }
        return programs.enumerated().sorted { ($0.element.hook, $0.offset) < ($1.element.hook, $1.offset) }.map(\.element.program)
    }

    // MARK: Loading

    private static func load(mode: AttachMode, options: ProbeOptions) throws(LoaderError) -> LoadedObjects {
        let bytes = try objectBytes(options)
        if options.debug && options.objectPath == nil {
            debugLine("BPF object: \(options.fitsLeanObject ? "lean (no -y, -k, status or latency filter, recording)" : "whole")")
        }
        // CO-RE against the cached minimal BTF; should libbpf reject it, once more against the
        // full BTF (and the cache is made again next time).
        guard let directory = options.coreBTFDirectory, let core = CoreBTFCache.open(object: bytes, directory: directory) else {
            return try load(bytes: bytes, mode: mode, options: options, coreBTF: nil)
        }
        defer { core.close() }
        // The attach points' ids come with the cache, made from the same kernel BTF.
        TypedTracepoints.use(core.tracepoints)
        do {
            return try load(bytes: bytes, mode: mode, options: options, coreBTF: core.path)
        } catch {
            // A mode the kernel refuses (tp_btf: EPERM) is refused with any BTF.
            if error.code == 0 || error.code == EPERM || error.code == EACCES { throw error }
            if options.debug { debugLine("minimal CO-RE BTF rejected (\(error.description)): relocating against the full BTF") }
            TypedTracepoints.forget()
            let full: LoadedObjects
            do { full = try load(bytes: bytes, mode: mode, options: options, coreBTF: nil) } catch { throw error }
            core.discard()
            return full
        }
    }

    /// The BPF object: the embedded one (lean when the options allow), or CGTRACE_BPF_OBJECT's.
    static func objectBytes(_ options: ProbeOptions) throws(LoaderError) -> [UInt8] {
        var bytes = options.fitsLeanObject ? ProbeObjects.cgtraceLean : ProbeObjects.cgtrace
        if let path = options.objectPath {
            guard let data = WholeFile.bytes(atPath: path) else {
                throw LoaderError("cannot read the BPF object \(path): \(errnoText(errno))")
            }
            bytes = data
        }
        return bytes
    }

    /// Relocated and instructions loaded, not yet attached: the probes in one object, or (live
    /// tracing) spread over objects loaded at once (loadSplit).
    static func load(bytes: [UInt8], mode: AttachMode, options: ProbeOptions, coreBTF: String?) throws(LoaderError) -> LoadedObjects {
        // The recorder (whose links and maps are pinned) and --debug (one verifier log, as the
        // kernel writes it) keep to one object; live tracing's start-up is what the split buys.
        if options.debug || options.recordSlots > 0 {
            return LoadedObjects(maps: try loadOne(bytes: bytes, mode: mode, options: options, coreBTF: coreBTF))
        }
        do {
            return try loadSplit(bytes: bytes, mode: mode, options: options, coreBTF: coreBTF)
        } catch where error.code != EPERM && error.code != EACCES {
            // Whatever failed only in the split (sharing the maps, the second thread) is not
            // what --debug would show, which loads one object: that is tried before the mode
            // (or the CO-RE cache) is given up on. A refused mode fails both alike.
            return LoadedObjects(maps: try loadOne(bytes: bytes, mode: mode, options: options, coreBTF: coreBTF))
        }
    }

    /// All the probes in one object, loaded (tests: compare relocations).
    static func loadOne(bytes: [UInt8], mode: AttachMode, options: ProbeOptions, coreBTF: String?) throws(LoaderError) -> OpaquePointer {
        let logSize = options.debug ? 1 << 24 : 1
        let logBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: logSize)
        logBuffer.initialize(repeating: 0, count: logSize)
        defer { logBuffer.deallocate() }

        let object = try open(bytes: bytes, mode: mode, options: options, coreBTF: coreBTF,
                              log: options.debug ? (logBuffer, logSize) : nil)
        takeEarlyRing(object, options: options)
        let rc = bpf_object__load(object)
        if rc != 0 {
            let log = String(cString: logBuffer)
            bpf_object__close(object)
            // Without --debug there is no log, but there would be: "" says so (the message then
            // points to --debug).
            throw LoaderError(errnoText(-rc), log: options.debug ? tail(of: log, lines: 40) : "", code: -rc)
        }
        return object
    }

    /// The probes' programs verified on two threads. The kernel verifies the programs of a load
    /// one after the other, and on this 2-CPU machine the second CPU is idle by then (the early
    /// ring is made); the two syscall programs are most of the verifier's time (sys_enter ~5 ms,
    /// sys_exit ~6 ms of ~15 ms, BPF_LOG_STATS). So a first object, with no program, makes the
    /// maps; two more objects of the same ELF, each with about half of the programs, reuse its
    /// maps' descriptors and load at once: ~7 ms instead of ~15 ms when the other CPU is free.
    /// Opening and loading two more objects costs ~2 ms of CPU (their BTF, relocations,
    /// libbpf's checks), which is all a busy machine sees of it.
    static func loadSplit(bytes: [UInt8], mode: AttachMode, options: ProbeOptions, coreBTF: String?) throws(LoaderError) -> LoadedObjects {
        let maps = try open(bytes: bytes, mode: mode, options: options, coreBTF: coreBTF, log: nil)
        var opened: [OpaquePointer] = []
        func closeAll() {
            for object in opened { bpf_object__close(object) }
            bpf_object__close(maps)
        }
        // About half of the verifier's time each, as the kernel reports it (BPF_LOG_STATS,
        // the programs loaded one after the other, medians of five starts, tenth session):
        // sys_enter 11.4 ms (8.1 k instructions walked), fork 1.3, switch_out 0.6; sys_exit
        // 10.1 (7.5 k), task_exit 1.2, signal_deliver 1.0, exec 1.2, signal_generate 1.2. The
        // first half is the helper thread's, which starts a little later. (Before this split,
        // exec and signal_generate were on the first side: the helper ended 3-8 ms after the
        // main thread in timelines of single starts.) The lean build shrank sys_exit more than
        // sys_enter, but giving the main thread sys_enter's half measured no better: from the
        // first big load's start to the last load's end, medians of ten starts, 10.0 ms as
        // here against 11.2 ms. (Fourteenth session: sys_enter walks 5.1 k instructions,
        // sys_exit 5.0 k, the others 0.4-0.8 k; exec moved to the first half measured -0.4 ms
        // in the paired median of 25 starts, within the noise, so the halves stayed.)
        let halves: [Set<ProbeHook>] = [[.sysEnter, .fork, .oomVictim, .switchOut, .cgroupAttach],
                                        [.sysExit, .taskExit, .signalDeliver, .exec, .signalGenerate]]
        let wanted = autoloaded(maps)
        for half in halves {
            let names = wanted.filter { ProbeHook(program: $0).map(half.contains) ?? false }
            guard !names.isEmpty else { continue }
            do {
                let object = try open(bytes: bytes, mode: mode, options: options, coreBTF: coreBTF, log: nil)
                opened.append(object)
                setAutoload(object) { names.contains($0) }
            } catch {
                closeAll()
                throw error
            }
        }
        setAutoload(maps) { _ in false }
        takeEarlyRing(maps, options: options)
        var rc = bpf_object__load(maps)
        if rc == 0 {
            for object in opened {
                var map = bpf_object__next_map(object, nil)
                while let m = map, rc == 0 {
                    // dups the descriptor; a map libbpf made itself would not be the one the
                    // other programs write
                    if let shared = bpf_object__find_map_by_name(maps, bpf_map__name(m)) {
                        rc = bpf_map__reuse_fd(m, bpf_map__fd(shared))
                    } else {
                        rc = -ENOENT
                    }
                    map = bpf_object__next_map(object, m)
                }
            }
        }
        if rc == 0 {
            rc = loadConcurrently(opened).first { $0 != 0 } ?? 0
        }
        if rc != 0 {
            closeAll()
            throw LoaderError(errnoText(-rc), log: "", code: -rc)
        }
        return LoadedObjects(maps: maps, programs: opened)
    }

    /// bpf_object__load of each object, the first on a thread of its own; the results in order.
    private static func loadConcurrently(_ objects: [OpaquePointer]) -> [Int32] {
        guard let first = objects.first else { return [] }
        let firstLoad = Background { bpf_object__load(first) }
        let rest = objects.dropFirst().map { bpf_object__load($0) }
        return [firstLoad.value] + rest
    }

    /// The object, opened and configured for `mode` and `options` (programs chosen, maps sized,
    /// constants written), not loaded. `log`: the verifier's log buffer (--debug).
    private static func open(bytes: [UInt8], mode: AttachMode, options: ProbeOptions, coreBTF: String?,
                             log: (buffer: UnsafeMutablePointer<CChar>, size: Int)?) throws(LoaderError) -> OpaquePointer {
        var opts = bpf_object_open_opts()
        opts.sz = MemoryLayout<bpf_object_open_opts>.size
        // With --debug the verifier log is kept (and its tail reported on failure); without it,
        // libbpf keeps its own log and its messages are silenced.
        if let log {
            opts.kernel_log_buf = log.buffer
            opts.kernel_log_size = log.size
            opts.kernel_log_level = 1
        }

        TypedTracepoints.registerHandler()  // before the open, which binds programs to handlers
        let object: OpaquePointer? = bytes.withUnsafeBytes { raw in
            "cgtrace".withCString { name in
                opts.object_name = name
                // libbpf copies the path at open.
                return (coreBTF ?? "").withCString { custom in
                    opts.btf_custom_path = coreBTF == nil ? nil : custom
                    return bpf_object__open_mem(raw.baseAddress, raw.count, &opts)
                }
            }
        }
        guard let object, libbpf_get_error(UnsafeRawPointer(object)) == 0 else {
            throw LoaderError("cannot open the embedded BPF object: \(errnoText(errno))")
        }

        // oom:mark_victim serves only a recording's `--trigger oom`.
        let oomTrigger = options.trigger.kinds & (1 << CGT_TRIG_OOM.rawValue) != 0
        setAutoload(object) { name in
            let hook = ProbeHook(program: name)
            let wanted: Bool
            if options.syscallEvents != nil && hook?.isSyscallHook == true {
                wanted = name.hasPrefix(ProbeProgramSet.syscallEvents.rawValue)
            } else {
                wanted = name.hasPrefix(mode.programSet.rawValue)
            }
            // -p checks its pids at every entry, with no cache to keep fresh.
            return wanted && (oomTrigger || hook != .oomVictim) && (options.joinsCalls || hook != .switchOut)
                && (!options.followPids || hook != .cgroupAttach)
        }
        guard let events = bpf_object__find_map_by_name(object, ProbeMap.events.rawValue) else {
            bpf_object__close(object)
            throw LoaderError("the BPF object has no events map")
        }
        bpf_map__set_max_entries(events, options.recordSlots > 0 ? UInt32(getpagesize()) : options.ringBytes)
        // A hash map's buckets are allocated and set up when it is made, one per entry it may
        // hold, whether or not it is preallocated: 0.55-0.96 ms for traced_pids' 64 K and
        // 0.18-0.39 ms for deferred's 16 K, on the main thread before the verifier starts. The
        // options that leave them unused get one entry.
        for (map, used) in [(ProbeMap.tracedPids, options.followPids),
                            (.deferred, options.statusFilter != 0 || options.minLatencyNs != 0),
                            (.tracedTids, !options.tidsByTask(mode))] where !used {
            if let m = bpf_object__find_map_by_name(object, map.rawValue) { bpf_map__set_max_entries(m, 1) }
        }
        do {
            // The tp_btf programs' attach points (TypedTracepoints: not by libbpf, which parsed
            // the whole kernel BTF for them), looked up while the early ring is still being made.
            try TypedTracepoints.find(for: object)
            if options.recordSlots > 0 {
                try sizeRecorderSlots(object: object, slotsPerCPU: options.recordSlots)
            }
            try writeReadOnlyData(object: object, options: options, mode: mode)
        } catch {
            bpf_object__close(object)
            throw error
        }
        return object
    }

    /// The ring buffer made early (EarlyRing), as `object`'s events map (live tracing).
    private static func takeEarlyRing(_ object: OpaquePointer, options: ProbeOptions) {
        guard options.recordSlots == 0, let events = bpf_object__find_map_by_name(object, ProbeMap.events.rawValue) else { return }
        let early = EarlyRing.take(bytes: options.ringBytes)
        // dups it; if it fails, libbpf makes the ring itself
        let reused = early.map { bpf_map__reuse_fd(events, $0) == 0 } ?? false
        if let early { Glibc.close(early) }
        if options.debug {
            debugLine("ring buffer: \(options.ringBytes >> 20) MiB, \(reused ? "made early" : "made at load")")
        }
    }

    private static func setAutoload(_ object: OpaquePointer, _ wanted: (String) -> Bool) {
        var program = bpf_object__next_program(object, nil)
        while let p = program {
            bpf_program__set_autoload(p, wanted(String(cString: bpf_program__name(p))))
            program = bpf_object__next_program(object, p)
        }
    }

    private static func autoloaded(_ object: OpaquePointer) -> [String] {
        var names: [String] = []
        var program = bpf_object__next_program(object, nil)
        while let p = program {
            if bpf_program__autoload(p) { names.append(String(cString: bpf_program__name(p))) }
            program = bpf_object__next_program(object, p)
        }
        return names
    }

    /// Fill `cfg` and `targets` in .rodata before load (they are constants to the verifier).
    private static func writeReadOnlyData(object: OpaquePointer, options: ProbeOptions, mode: AttachMode) throws(LoaderError) {
        guard options.targets.count <= Int(CGT_MAX_TARGETS) else {
            throw LoaderError("at most \(CGT_MAX_TARGETS) cgroup targets are supported")
        }
        var rodata: OpaquePointer?
        var map = bpf_object__next_map(object, nil)
        while let m = map {
            if String(cString: bpf_map__name(m)).hasSuffix(ProbeConstant.section) { rodata = m }
            map = bpf_object__next_map(object, m)
        }
        guard let rodata, let btf = bpf_object__btf(object) else {
            throw LoaderError("the BPF object has no .rodata section")
        }
        var size = 0
        guard let constBase = bpf_map__initial_value(rodata, &size) else {
            throw LoaderError("cannot reach the BPF object's .rodata")
        }
        // Before load the initial value is libbpf's own writable copy of the section.
        let base = UnsafeMutableRawPointer(mutating: constBase)
        let offsets = dataSectionOffsets(btf: btf, section: ProbeConstant.section)
        guard let cfgOffset = offsets[ProbeConstant.config.rawValue],
              let targetsOffset = offsets[ProbeConstant.targets.rawValue] else {
            throw LoaderError("the BPF object's .rodata lacks cfg or targets")
        }
        // An object built from other sources (CGTRACE_BPF_OBJECT) may know another cgt_config:
        // its fields would not be where these are written.
        let varKind: Int32 = BTF_KIND_VAR
        let cfgVar = btf__find_by_name_kind(btf, ProbeConstant.config.rawValue, UInt32(varKind))
        if cfgVar > 0, let variable = btf__type_by_id(btf, UInt32(cfgVar)) {
            let objectSize = btf__resolve_size(btf, variable.pointee.type)
            guard objectSize == MemoryLayout<cgt_config>.size else {
                throw LoaderError("the BPF object's cfg is \(objectSize) bytes where this cgtrace writes \(MemoryLayout<cgt_config>.size): "
                                  + "an object built from other sources")
            }
        }
        var cfg = cgt_config()
        cfg.string_limit = options.stringLimit
        cfg.wakeup_shift = UInt32(UInt32.bitWidth - 1 - max(options.wakeupBytes, 1).leadingZeroBitCount)
        cfg.join_calls = options.joinsCalls ? 1 : 0
        cfg.freeze_bytes = options.freezeBytes
        cfg.resume_bytes = options.resumeBytes
        cfg.ntargets = UInt32(options.targets.count)
        cfg.follow_pids = options.followPids ? 1 : 0
        cfg.self_pid = UInt32(getpid())
        cfg.status_filter = options.statusFilter
        cfg.min_latency_ns = options.minLatencyNs
        cfg.fd_paths = options.fdPaths
        cfg.stack_bytes = options.stackBytes
        cfg.verbose = options.verbose ? 1 : 0
        cfg.untimed = options.recordTimes ? 0 : 1
        cfg.record_slots = options.recordSlots
        cfg.tids_by_task = options.tidsByTask(mode) ? 1 : 0
        precondition(cfgOffset + MemoryLayout<cgt_config>.size <= size)
        base.storeBytes(of: cfg, toByteOffset: cfgOffset, as: cgt_config.self)
        if options.trigger.kinds != 0 {
            guard let at = offsets[ProbeConstant.triggerConfig.rawValue], at + MemoryLayout<cgt_trigger_config>.size <= size else {
                throw LoaderError("the BPF object's .rodata lacks trigger_cfg")
            }
            base.storeBytes(of: options.trigger, toByteOffset: at, as: cgt_trigger_config.self)
        }
        for (i, t) in options.targets.enumerated() {
            var target = cgt_target()
            target.cgroup_id = t.id
            target.level = t.level
            target.descendants = t.descendants ? 1 : 0
            let at = targetsOffset + i * MemoryLayout<cgt_target>.stride
            precondition(at + MemoryLayout<cgt_target>.size <= size)
            base.storeBytes(of: target, toByteOffset: at, as: cgt_target.self)
        }
    }

    /// Byte offsets of the variables in a data section, from the object's BTF. (Internal: the
    /// tests check the embedded object's .rodata with it.)
    static func dataSectionOffsets(btf: OpaquePointer, section: String) -> [String: Int] {
        let datasec: Int32 = BTF_KIND_DATASEC
        let id = btf__find_by_name_kind(btf, section, UInt32(datasec))
        guard id > 0, let type = btf__type_by_id(btf, UInt32(id)) else { return [:] }
        var result: [String: Int] = [:]
        let vars = btf_var_secinfos(type)!
        for i in 0..<Int(btf_vlen(type)) {
            let info = vars[i]
            if let varType = btf__type_by_id(btf, info.type) {
                result[String(cString: btf__name_by_offset(btf, varType.pointee.name_off))] = Int(info.offset)
            }
        }
        return result
    }

    // MARK: Maps

    /// Write the whole syscall table (`specs[nr]` for each syscall number below
    /// CGT_MAX_SYSCALLS) in one batch: an update per entry was 1024 bpf() calls at start-up.
    public func setSyscallSpecs(_ specs: [cgt_syscall_spec]) throws(LoaderError) {
        precondition(specs.count == Int(CGT_MAX_SYSCALLS), "one spec per syscall number")
        let keys = (0..<CGT_MAX_SYSCALLS).map { UInt32($0) }
        var count = UInt32(specs.count)
        var opts = bpf_map_batch_opts()
        opts.sz = MemoryLayout<bpf_map_batch_opts>.size
        let fd = try mapFD(.syscallSpecs)
        let rc = keys.withUnsafeBytes { k in specs.withUnsafeBytes { v in
            bpf_map_update_batch(fd, k.baseAddress, v.baseAddress, &count, &opts)
        } }
        if rc != 0 { throw LoaderError("cannot write the syscall table to the kernel: \(errnoText(errno))") }
    }

    /// Add a process to the -p set (the kernel adds its descendants as they fork).
    public func tracePid(_ pid: Int32) throws(LoaderError) {
        var key = UInt32(pid)
        var one: UInt8 = 1
        if bpf_map_update_elem(try mapFD(.tracedPids), &key, &one, UInt64(BPF_ANY)) != 0 {
            throw LoaderError("cannot add pid \(pid) to the traced set: \(errnoText(errno))")
        }
    }

    /// Take `pid` out of the -p set (a process that exited before it was added).
    public func untracePid(_ pid: Int32) {
        var key = UInt32(pid)
        if let fd = try? mapFD(.tracedPids) { _ = bpf_map_delete_elem(fd, &key) }
    }

    /// Processes still in the -p set (the kernel removes each when its last thread exits).
    public func tracedPidCount() -> Int {
        guard let fd = try? mapFD(.tracedPids) else { return 0 }
        var key: UInt32 = 0
        var next: UInt32 = 0
        var count = 0
        var rc = bpf_map_get_next_key(fd, nil, &next)
        while rc == 0 && count < 1 << 20 {
            count += 1
            key = next
            rc = bpf_map_get_next_key(fd, &key, &next)
        }
        return count
    }

    public func counters() -> KernelCounters {
        guard let fd = try? mapFD(.counters) else { return KernelCounters() }
        let ncpus = Int(max(libbpf_num_possible_cpus(), 1))
        var sums = [UInt64](repeating: 0, count: Int(CGT_CNT_MAX.rawValue))
        var values = [UInt64](repeating: 0, count: ncpus)
        for k in 0..<sums.count {
            var key = UInt32(k)
            if bpf_map_lookup_elem(fd, &key, &values) == 0 { sums[k] = values.reduce(0, &+) }
        }
        return KernelCounters(lost: sums[Int(CGT_CNT_LOST.rawValue)],
                              emitted: sums[Int(CGT_CNT_EMITTED.rawValue)],
                              truncated: sums[Int(CGT_CNT_TRUNC.rawValue)],
                              filtered: sums[Int(CGT_CNT_FILTERED.rawValue)])
    }

    /// Records dropped since the last one that got through: the hole at the very end of the
    /// trace, which no CGT_REC_LOST record announced. The raw struct cgt_lost, or nil.
    public func pendingLoss() -> [UInt8]? {
        guard let fd = try? mapFD(.pendingLoss) else { return nil }
        var value = [UInt8](repeating: 0, count: MemoryLayout<cgt_lost>.size)
        var key: UInt32 = 0
        guard bpf_map_lookup_elem(fd, &key, &value) == 0, value[0..<8].contains(where: { $0 != 0 }) else { return nil }
        return value
    }

    /// The ring buffer map's descriptor (for lossless mode's freezer, which watches its fill).
    public func ringFD() -> Int32 { (try? mapFD(.events)) ?? -1 }

    private func mapFD(_ map: ProbeMap) throws(LoaderError) -> Int32 {
        guard let object, let map = bpf_object__find_map_by_name(object, map.rawValue) else {
            throw LoaderError("the BPF object has no map \(map.rawValue)")
        }
        return bpf_map__fd(map)
    }

    // MARK: Cost accounting (--stats)

    /// Run time the kernel accounted to each attached program.
    public struct ProgramStats: Sendable {
        public let name: String
        public let runs: UInt64
        public let nanoseconds: UInt64
        public let recursionMisses: UInt64
    }

    /// Ask the kernel to account programs' run time (BPF_STATS_RUN_TIME) while the returned fd
    /// is open. Costs two clock reads per program run, so only for --stats.
    public static func enableRunTimeStatistics() -> Int32 {
        bpf_enable_stats(BPF_STATS_RUN_TIME)
    }

    public func programStats() -> [ProgramStats] {
        loadedPrograms.compactMap { p in
            var info = bpf_prog_info()
            var length = UInt32(MemoryLayout<bpf_prog_info>.size)
            guard bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &length) == 0 else { return nil }
            return ProgramStats(name: String(cString: bpf_program__name(p)), runs: info.run_cnt,
                                nanoseconds: info.run_time_ns, recursionMisses: info.recursion_misses)
        }
    }

    // MARK: Attaching and consuming

    /// Attach every loaded program. Until this returns, nothing is traced.
    public func attach() throws(LoaderError) {
        guard object != nil else { throw LoaderError("the BPF object is closed") }
        for p in loadedPrograms {
            let name = String(cString: bpf_program__name(p))
            if name.hasPrefix(ProbeProgramSet.syscallEvents.rawValue) {
                // One link per traced syscall: sys_enter_openat, sys_exit_openat, …
                let side = ProbeHook(program: name) == .sysEnter ? "sys_enter_" : "sys_exit_"
                for call in syscallEvents ?? [] {
                    guard let link = bpf_program__attach_tracepoint(p, "syscalls", side + call),
                          libbpf_get_error(UnsafeRawPointer(link)) == 0 else {
                        throw LoaderError("cannot attach \(name) to syscalls/\(side + call): \(errnoText(errno))")
                    }
                    links.append(link)
                }
            } else {
                guard let link = bpf_program__attach(p), libbpf_get_error(UnsafeRawPointer(link)) == 0 else {
                    throw LoaderError("cannot attach \(name): \(errnoText(errno))")
                }
                links.append(link)
            }
        }
    }

    /// Maps the ring buffer for reading: live tracing does it before the traced programs start,
    /// so that a failure is an error then, not a trace that stays empty.
    public func openRing() throws(LoaderError) {
        guard ring == nil else { return }
        if let mapping = mappingRing {
            mappingRing = nil
            ring = try mapping.value.get()
        } else {
            ring = try RingReader(fd: try mapFD(.events))
        }
    }

    /// Deliver each record in the ring buffer to `handler`, waiting up to `timeoutMs` for data
    /// or for `wakeFD` to be readable (-1: data only). Returns the number of records delivered,
    /// or a negative errno (-EINTR when a signal came).
    /// `pairs`: offered a joined call's entry and exit at once, before `handler` gets them one
    /// by one (it returns false to leave them to `handler`).
    public func poll(timeoutMs: Int32, wakeFD: Int32 = -1, _ handler: (UnsafeRawBufferPointer) -> Void,
                     pairs: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool = { _, _ in false }) -> Int32 {
        ring?.poll(timeoutMs: timeoutMs, alsoWakeOn: wakeFD, handler, pairs: pairs) ?? 0
    }

    /// Calls read as one ring sample, exit and entry (ProbeOptions.joinCalls; counted by the
    /// reader: a counter in the kernel cost a map lookup per call).
    public var joinedCalls: Int { ring?.joinedCalls ?? 0 }

    /// The last poll read everything committed to the ring (nothing waits there now).
    public var ringCaughtUp: Bool { ring?.caughtUp ?? true }

    /// Drain everything already in the ring into `handler`, without waiting.
    public func drain(_ handler: (UnsafeRawBufferPointer) -> Void,
                      pairs: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool = { _, _ in false }) -> Int32 {
        ring?.drain(handler, pairs: pairs) ?? 0
    }

    // MARK: libbpf's own messages

    private static func configureLogging(debug: Bool) {
        if debug {
            libbpf_set_print { _, format, args in
                guard let format, let args else { return 0 }
                return vdprintf(2, format, args)
            }
        } else {
            libbpf_set_print { _, _, _ in 0 }
        }
    }
}

/// A loaded probe set: the object whose maps the session uses, and the objects holding the
/// loaded programs (that object itself, or others sharing its maps: ProbeSession.loadSplit).
struct LoadedObjects {
    let maps: OpaquePointer
    let programs: [OpaquePointer]

    init(maps: OpaquePointer, programs: [OpaquePointer]? = nil) {
        self.maps = maps
        self.programs = programs ?? [maps]
    }
}

func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

func tail(of text: String, lines: Int) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
}

/// One line on stderr (--debug).
func debugLine(_ text: String) {
    _ = ("cgtrace: " + text + "\n").withCString { Glibc.write(2, $0, strlen($0)) }
}
