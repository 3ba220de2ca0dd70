/// The names Swift binds in the BPF object by string, in one place.
///
/// The Loader and the Recorder find maps, `.rodata` variables and programs by these names; the
/// C side defines them in `probes/maps.bpf.h` and `probes/cgtrace.bpf.c`. DecodingTests'
/// ProbeNameTests opens the embedded object (no load, no root) and checks every one, so a rename
/// on either side fails a test instead of a run.

/// Maps the Swift side reads, writes or pins (`probes/maps.bpf.h`).
public enum ProbeMap: String, CaseIterable, Sendable {
    /// The ring buffer the records stream through (live tracing).
    case events
    /// What to copy for each syscall (`struct cgt_syscall_spec` by number).
    case syscallSpecs = "syscall_specs"
    /// -p: the processes traced by pid, and their descendants.
    case tracedPids = "traced_pids"
    /// Status and latency filters: each thread's entry record, held until the call's outcome.
    case deferred
    /// The tids that have made a traced call, where a task's storage cannot be looked up by a
    /// trusted pointer (raw_tp; the OOM trigger).
    case tracedTids = "traced_tids"
    /// Per-CPU counters (`enum cgt_counter`).
    case counters
    /// Drops not yet announced by a CGT_REC_LOST record (`struct cgt_lost`).
    case pendingLoss = "pending_loss"
    /// Flight recorder: the per-CPU overwrite slots.
    case recorderSlots = "recorder_slots"
    /// Per-CPU record sequence numbers (a recording's heads).
    case cpuSeq = "cpu_seq"
    /// Flight recorder: what a trigger saw (`struct cgt_trigger_state`).
    case triggerState = "trigger_state"
}

/// Variables of the object's `.rodata` that the loader fills before load: constants to the
/// verifier, which then drops the paths they turn off.
public enum ProbeConstant: String, CaseIterable, Sendable {
    /// `struct cgt_config`.
    case config = "cfg"
    /// `struct cgt_target[CGT_MAX_TARGETS]`.
    case targets
    /// `struct cgt_trigger_config`.
    case triggerConfig = "trigger_cfg"

    /// The data section that holds them (libbpf names its map `<object>.rodata`).
    public static let section = ".rodata"
}

/// The sets of programs in the object, by the prefix of their names: one set per way of
/// attaching the hooks. The loader loads one set.
public enum ProbeProgramSet: String, CaseIterable, Sendable {
    /// BTF-typed raw tracepoints (`SEC("tp_btf/…")`).
    case typed = "btf_"
    /// Raw tracepoints (`SEC("raw_tp/…")`), the fallback.
    case raw = "raw_"
    /// Per-syscall trace events (`SEC("tracepoint")`, attached once per traced call): the
    /// syscall hooks only.
    case syscallEvents = "event_"

    /// The hooks this set has a program for.
    public var hooks: [ProbeHook] {
        self == .syscallEvents ? [.sysEnter, .sysExit] : ProbeHook.allCases
    }

    /// The program for `hook` in this set, e.g. `btf_sys_enter`.
    public func program(_ hook: ProbeHook) -> String { rawValue + hook.rawValue }
}

/// What each program hooks, by the suffix of its name.
public enum ProbeHook: String, CaseIterable, Sendable {
    /// sched_switch, loaded only when calls are joined (ProbeOptions.joinCalls): sends the entry
    /// a thread holds when it is switched out. First in the attach order, so that no entry is
    /// held before it is attached.
    case switchOut = "switch_out"
    /// cgroup:cgroup_attach_task, not loaded with -p: a task changed cgroups, so the entries'
    /// cached cgroup checks (the probes' scope_cache) are stale. Attached, with task_exit,
    /// before sys_enter starts caching: a move or an exit before it would leave an entry that
    /// nothing makes stale.
    case cgroupAttach = "cgroup_attach"
    case taskExit = "task_exit"
    case sysEnter = "sys_enter"
    case sysExit = "sys_exit"
    case signalDeliver = "signal_deliver"
    /// Signals ignored by their target, and the fatal-signal shortcut.
    case signalGenerate = "signal_generate"
    /// oom:mark_victim, loaded only for a recording's `--trigger oom`.
    case oomVictim = "oom_victim"
    case fork
    case exec

    /// The hook of a program name (`btf_sys_exit` → `.sysExit`), whatever its set.
    public init?(program name: String) {
        for set in ProbeProgramSet.allCases where name.hasPrefix(set.rawValue) {
            self.init(rawValue: String(name.dropFirst(set.rawValue.count)))
            return
        }
        return nil
    }

    /// sys_enter or sys_exit: the hooks a per-syscall trace event can stand in for.
    public var isSyscallHook: Bool { self == .sysEnter || self == .sysExit }
}
