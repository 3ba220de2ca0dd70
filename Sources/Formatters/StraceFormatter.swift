import Beautifiers
import Decoder
import Glibc
import Syscalls

/// --decode-fds=SET's parts (declared with the printers that honour them).
public typealias FdDetails = Beautifiers.FdDetails

/// Output settings shared by the formatters.
public struct FormatOptions: Sendable {
    /// -s: bytes of strings and buffers shown.
    public var stringLimit = 32
    /// The column where ` = ret` is aligned (strace's default 40).
    public var returnColumn = 40
    /// How lines name their task.
    public var pidPrefix = PidPrefix.whenSeveral
    /// --decode-pids=pidns: prefixes name each task by its tid in its own pid namespace (a
    /// container's: its init is 1) where the kernel reported one; host tids otherwise.
    public var pidsInNamespace = false
    /// With `pidsInNamespace`: a task the kernel has not reported is looked up in /proc once
    /// (live tracing of tasks that ran before it began; not for dumps, where pids are stale).
    public var namespacePidsFromProc = false
    /// -t/-tt/-ttt: wall-clock stamp at the start of each line.
    public var timestamps = TimestampStyle.none
    /// -r: time since the previous line.
    public var relativeTimestamps = false
    /// -T: ` <seconds>` spent in each call, after its return value.
    public var showDurations = false
    /// Converts the records' monotonic stamps to wall time.
    public var clock = WallClock(offsetNs: 0)
    /// -X: named constants by name (abbrev), number (raw) or both (verbose).
    public var constantStyle = ConstantStyle.abbrev
    /// -e raw=SET: these syscalls print their arguments and result as undecoded hex.
    public var rawCalls: Set<Int> = []
    /// -v: structures unabbreviated.
    public var verbose = false
    /// How calls still in progress when tracing stops end their line: strace writes
    /// `<detached ...>` when it leaves processes it attached to (-p, and so cgtrace for its
    /// targets), `<unfinished ...>` otherwise.
    public var detachesAtEnd = false
    /// -q/-qq/-qqq, -e quiet=SET: informational lines left out.
    public var quiet: Set<QuietMessage> = []
    /// -Y, --decode-pids=SET: what is shown beside pids.
    public var decodePids: Set<PidDecoration> = []
    /// -N/--arg-names: `name=` before each argument (strace 6.16).
    public var argNames = false
    /// --decode-fds=SET: which of what the kernel resolved about descriptors is shown (all of
    /// it by default: the kernel resolves only what -y/-yy asked for).
    public var fdDetails = FdDetails.all

    /// strace's `-e quiet=` message classes.
    public enum QuietMessage: String, Sendable, CaseIterable {
        case attach, exit, pathResolution = "path-resolution", personality, threadExecve = "thread-execve"
    }

    /// strace's `--decode-pids=` details.
    public enum PidDecoration: String, Sendable {
        /// `1234<sh>`: the command name.
        case comm
        /// Pids as strace's own namespace sees them, too (pids here are the initial namespace's).
        case pidns
    }

    public enum PidPrefix: Sendable {
        /// `[pid  1234] ` while more than one task is traced (strace -f to a terminal).
        case whenSeveral
        /// `1234  ` on every line (strace -f -o FILE).
        case always
        /// No prefix: each task has a file of its own (strace -ff -o PREFIX).
        case never
    }

    public init() {}
}

/// Composes strace-format lines from records in arrival order.
///
/// Like strace, a call's line is complete when nothing else happens between its entry and exit.
/// When another task's output comes in between, the call's entry part is printed with
/// ` <unfinished ...>` and its exit later as `<... name resumed>…`. Lines get a `[pid N] `
/// prefix while more than one task is traced.
public final class StraceFormatter: DirectCallOutput, CallOutput {
    /// What the text keeps of a call in progress (the pairing stage keeps its entry).
    struct Pending {
        var printedUnfinished: Bool
        /// Several tasks were traced when the call started: strace starts the line then, so
        /// that decides its `[pid N]` prefix even if the call (a clone) changes the count.
        var severalAtEntry: Bool
    }

    let formats: SyscallFormats
    let options: FormatOptions
    private let output: OutputFile
    /// The calls this output was told of that are still in progress.
    private(set) var pending = PendingCalls<Pending>()
    /// The pairing stage's entries (known once the first call has started).
    private var openCalls: OpenCalls?
    /// Calls still in progress when tracing stopped, printed by `finish`.
    private var stillOpen: [CompletedCall] = []
    /// Traced tasks still alive: tid → pid (thread group).
    private(set) var live: [UInt32: UInt32] = [:]
    /// The task of the previous record, known to be in `live` (0: none). Reset when a task leaves.
    private var lastTid: UInt32 = 0
    /// Leaders whose exit waits for their threads' (as strace reports them).
    private var deferredLeaderExits: [UInt32: TaskExit] = [:]
    /// --decode-pids=pidns: tasks' numbers in their own pid namespaces.
    private var namespacePids = NamespacePids()
    /// Signals that came in the middle of their own task's call, printed after its line.
    private(set) var heldSignals: [UInt32: [SignalDelivery]] = [:]
    let sink = StraceTextSink()
    /// -Y: the command name of each traced task, from its fork and exec records (and prctl
    /// PR_SET_NAME); tasks that have exited show none, as in strace (their /proc entry is gone).
    private var comms: [UInt32: String] = [:]
    private var exitedTids = Set<UInt32>()
    private var commBeforeExec: [UInt32: String] = [:]
    private var printingExecve = false
    var tracksComm: Bool { options.decodePids.contains(.comm) }
    /// The line being written (a pointer buffer, as the sink's, which it is swapped with).
    var line = ByteBuffer(capacity: 1024)
    /// The stamp of the record being handled, and of the last line printed (for -r).
    private var now: UInt64 = 0
    /// Which calls print straight from their records (StraceDirectLines.swift).
    let directCalls: DirectCalls
    private var previousLineTime: UInt64?
    /// -t/-tt's time of day, looked up once per second.
    private var timing = TimingWriter()
    /// -y's descriptor texts on the direct path.
    let descriptorTargets: DescriptorTargets
    /// -yy: the sockets' texts printed first, which strace prints from then on.
    let socketTexts: SocketTextCache

    /// `sockets`: shared by the formatters of one trace's -ff files.
    public init(formats: SyscallFormats, options: FormatOptions, output: OutputFile, sockets: SocketTextCache = SocketTextCache()) {
        self.formats = formats
        self.options = options
        self.output = output
        socketTexts = sockets
        directCalls = DirectCalls(formats: formats, options: options)
        descriptorTargets = DescriptorTargets(shown: options.fdDetails, sockets: socketTexts)
        super.init()
        namespacePids.procRoot = options.pidsInNamespace && options.namespacePidsFromProc ? "/proc" : nil
        sink.constantStyle = options.constantStyle
        if options.decodePids.contains(.comm) {
            sink.pidComm = { [unowned self] pid in self.comm(of: UInt32(truncatingIfNeeded: pid)) }
        }
    }

    /// -Y: a pid's command name: a traced task's as its records tell, another process's from
    /// /proc at the time the line is printed; nil for tasks gone.
    func comm(of pid: UInt32) -> String? {
        guard pid > 0 else { return nil }
        if let c = comms[pid] { return c }
        if exitedTids.contains(pid) { return nil }
        let fd = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return nil }
        let name = String(decoding: buffer.prefix(n).prefix(while: { $0 != 10 }), as: UTF8.self)
        if live[pid] != nil { comms[pid] = name }
        return name
    }

    /// Every record the text hears of: its time is now, and its task is traced.
    @inline(__always) func observe(tid: UInt32, pid: UInt32, at time: UInt64) {
        now = time
        // (The same task as the last record, most of the time: skip the lookup.)
        if tid != lastTid {
            if live[tid] == nil { live[tid] = pid }
            lastTid = tid
        }
    }

    // The direct path (StraceDirectLines.swift).
    override public func printsDirectly(number: Int) -> Bool { directCalls.contains(number) }
    override public var printsAnyDirectly: Bool { !directCalls.isEmpty }
    override public func callReturnedDirectly(enter: RecordView, exit: RecordView) -> Bool {
        printDirectly(enter: enter, exit: exit)
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {
        let tid = header.tid
        observe(tid: tid, pid: header.pid, at: header.timestamp)
        if openCalls !== calls { openCalls = calls }
        if !pending.isEmpty { interruptOthers(except: tid) }
        pending.insert(Pending(printedUnfinished: false, severalAtEntry: live.count > 1), forKey: tid)
    }

    public func callEnded(_ call: consuming CompletedCall) {
        let (tid, ending) = (call.tid, call.ending)
        if ending == .unfinished {
            // Tracing stopped: printed by `finish`, after the leaders' exits held back.
            if pending[tid] != nil { stillOpen.append(call) }
            return
        }
        observe(tid: tid, pid: call.pid, at: call.observedNs)
        let p = pending.removeValue(forKey: tid)
        if !pending.isEmpty { interruptOthers(except: tid) }
        if call.enterLost {
            // The exit alone: `<... name resumed>`, with `<entry lost>` unless it began before tracing.
            guard let exit = call.exit.take() else { return }
            printCall(tid: tid, enter: nil, exit: exit, resumed: false, several: nil)
            return printHeldSignals(tid)
        }
        guard let enter = call.enter.take() else { return }
        switch ending {
        case .exitLost:
            finishAbandoned(enter, p, tid: tid, exitLost: true)
        case .killed where call.exit == nil:
            // Its task died in it.
            finishAbandoned(enter, p, tid: tid)
            printHeldSignals(tid)
        default:
            guard let exit = call.exit.take() else { return }
            returned(tid: tid, p, enter: enter, exit: exit)
        }
    }

    public func callReturned(enter: consuming SyscallEnter, exit: consuming SyscallExit, frozenNs: UInt64) {
        let h = exit.header
        observe(tid: h.tid, pid: h.pid, at: h.timestamp)
        let p = pending.removeValue(forKey: h.tid)
        if !pending.isEmpty { interruptOthers(except: h.tid) }
        returned(tid: h.tid, p, enter: consume enter, exit: consume exit)
    }

    /// A call's line (or its end: `resumed`, `= ?`), the halves moved in, not copied (a copy
    /// retains and releases their arrays).
    private func returned(tid: UInt32, _ p: Pending?, enter: consuming SyscallEnter, exit: consuming SyscallExit) {
        if exit.killed {
            // The task dies before the call returns to it: strace never sees the return.
            finishAbandoned(consume enter, p, tid: tid)
        } else {
            let unfinished = p?.printedUnfinished == true
            printCall(tid: tid, enter: .some(consume enter), exit: consume exit, resumed: unfinished,
                      several: unfinished ? nil : p?.severalAtEntry)
        }
        printHeldSignals(tid)
    }

    public func other(_ record: consuming Record) {
        // A damaged part of a saved trace is no task's, and its time is the record's before it.
        if case .damaged(let d) = record {
            interruptOthers(except: nil)
            printDamage(d)
            return
        }
        let tid = record.header.tid
        observe(tid: tid, pid: record.header.pid, at: record.header.timestamp)
        switch consume record {
        case .enter, .exit:
            break  // calls come paired
        case .signal(let s):
            // SIGKILL is never seen by the task (it just dies): strace shows no line for it.
            if s.signo == 9 { return }
            // Sent to itself in the middle of a call (kill(getpid(), …), or ignored while it
            // waits): a task sees signals on its way back to user space, so strace prints the
            // line after the call's.
            if pending[tid] != nil {
                heldSignals[tid, default: []].append(s)
                return
            }
            printSignal(s, tid: tid)
        case .taskExit(let x):
            // (A call in progress ended as killed just before, by the pairing stage.)
            printHeldSignals(tid)
            handleTaskExit(x, tid: tid)
        case .lost(let l):
            interruptOthers(except: nil)
            printGap(l)
        case .damaged:
            break  // (printed before the switch: it is no task's)
        case .fork(let f):
            live[f.childTid] = f.childPid
            if tracksComm { comms[f.childTid] = f.comm }
        case .pidNamespace(let n):
            namespacePids.observe(n)
        case .exec(let x):
            if tracksComm {
                // The execve's own line, printed at its return, still shows the old name (strace
                // prints it when the call starts).
                commBeforeExec[tid] = comms[x.oldTid] ?? ""
                comms[x.oldTid] = nil
                comms[tid] = x.comm
            }
            guard x.oldTid != tid else { return }
            let oldShown = shownTid(x.oldTid)
            namespacePids.observe(x)
            // A thread exec'ed and took over the leader's tid: its execve goes on under that
            // tid (said on its line if nothing interrupted it yet, as strace does), and the
            // leader's end (killed by the exec, held back until its threads' ends) is what
            // strace calls superseded. (The pairing stage moved the entry already.)
            if var p = pending.removeValue(forKey: x.oldTid) {
                if !p.printedUnfinished, let enter = openCalls?.entry(of: tid) {
                    printUnfinished(tid: x.oldTid, enter, ending: " <pid changed to \(shownTid(tid)) ...>")
                    p.printedUnfinished = true
                }
                pending.insert(p, forKey: tid)
            }
            live[x.oldTid] = nil
            lastTid = 0
            if deferredLeaderExits.removeValue(forKey: x.header.pid) != nil, !options.quiet.contains(.threadExecve) {
                startLine(tid: tid)
                put("+++ superseded by execve in pid ")
                line.appendDecimal(UInt64(oldShown))
                put(" +++")
                endLine()
            }
        }
    }

    private func printHeldSignals(_ tid: UInt32) {
        guard !heldSignals.isEmpty, let signals = heldSignals.removeValue(forKey: tid) else { return }
        for s in signals { printSignal(s, tid: tid) }
    }

    private func printSignal(_ s: SignalDelivery, tid: UInt32) {
        interruptOthers(except: nil)
        startLine(tid: tid)
        put("--- ")
        sink.bytes.removeAll()
        sink.resetSeparators()
        SignalInfoPrinter.printLine(s, to: sink)
        appendSinkBytes()
        put(" ---")
        endLine()
    }

    /// The place where records were lost: `!!! lost N events here (ring buffer full on CPUs 0,1:
    /// tids A, B) !!!`. Not strace syntax on purpose: nothing that reads strace lines takes it
    /// for a call, a signal or an exit. The calls it cut in two print with `<exit lost>` and
    /// `<entry lost>`. The last CPU the kernel's mask names prints with a `+` (`63+`): it stands
    /// for every CPU above it too (LostRecords.lastCPU).
    private func printGap(_ l: LostRecords) {
        line.removeAll()
        putTimestamps(l.firstTimestamp != 0 ? l.firstTimestamp : now)
        put("!!! lost ")
        line.appendDecimal(l.records)
        put(l.records == 1 ? " event here (ring buffer full" : " events here (ring buffer full")
        if !l.cpus.isEmpty {
            put(l.cpus.count == 1 ? " on CPU " : " on CPUs ")
            for (i, c) in l.cpus.enumerated() {
                if i > 0 { put(",") }
                line.appendDecimal(UInt64(c))
                if c == LostRecords.lastCPU { put("+") }
            }
        }
        if !l.tids.isEmpty {
            put(l.tids.count == 1 && !l.moreThreads ? ": tid " : ": tids ")
            for (i, t) in l.tids.enumerated() {
                if i > 0 { put(", ") }
                line.appendDecimal(UInt64(t))
            }
            if l.moreThreads { put(" and others") }
        }
        put(") !!!")
        endLine()
    }

    /// A replay's hole: how many events the damage took is not known.
    private func printDamage(_ d: DamagedPart) {
        line.removeAll()
        putTimestamps(d.header.timestamp != 0 ? d.header.timestamp : now)
        put("!!! lost events here (saved trace damaged: ")
        line.appendDecimal(d.bytes)
        put(d.bytes == 1 ? " byte at byte " : " bytes at byte ")
        line.appendDecimal(d.fileOffset)
        put(") !!!")
        endLine()
    }

    private func handleTaskExit(_ x: TaskExit, tid: UInt32) {
        let pid = x.header.pid
        // After exit_group the kernel reports the leader's exit first, but strace reports
        // it once the other threads are gone (a leader is reaped last). A leader killed by a
        // signal strace reports at once (measured with strace 6.1).
        if tid == pid && x.status & 0x7f == 0 && live.contains(where: { $0.value == pid && $0.key != tid }) {
            deferredLeaderExits[pid] = x
            return
        }
        interruptOthers(except: tid)
        printExit(x)
        if tid != pid, let leader = deferredLeaderExits[pid], !live.contains(where: { $0.value == pid && $0.key != pid }) {
            deferredLeaderExits[pid] = nil
            printExit(leader)
        }
    }

    private func printExit(_ x: TaskExit) {
        let tid = x.header.tid
        comms[tid] = nil
        exitedTids.insert(tid)
        if options.quiet.contains(.exit) {
            live[tid] = nil
            lastTid = 0
            return
        }
        startLine(tid: tid)
        let sig = x.status & 0x7f
        if sig == 0 {
            putString("+++ exited with \((x.status >> 8) & 0xff) +++")
        } else {
            putString("+++ killed by \(SignalInfoPrinter.signalName(Int32(sig)))")
            if x.status & 0x80 != 0 { put(" (core dumped)") }
            put(" +++")
        }
        endLine()
        live[tid] = nil
        namespacePids.forget(tid: tid)
        lastTid = 0
    }

    /// Print what is still open (calls in progress when tracing stopped) and flush.
    public func finish(losses: TraceLosses) {
        for pid in deferredLeaderExits.keys.sorted() {
            if let x = deferredLeaderExits.removeValue(forKey: pid) { printExit(x) }
        }
        stillOpen.sort { $0.tid < $1.tid }
        for call in stillOpen {
            guard let p = pending.removeValue(forKey: call.tid), !p.printedUnfinished, let enter = call.enter else { continue }
            printUnfinished(tid: call.tid, enter, ending: options.detachesAtEnd ? " <detached ...>" : " <unfinished ...>")
        }
        stillOpen.removeAll()
        for tid in heldSignals.keys.sorted() { printHeldSignals(tid) }
        output.flush()
    }

    // MARK: Lines

    private func interruptOthers(except tid: UInt32?) {
        guard let openCalls else { return }
        pending.updateEach { other, p in
            guard other != tid, !p.printedUnfinished, let enter = openCalls.entry(of: other) else { return }
            printUnfinished(tid: other, enter)
            p.printedUnfinished = true
        }
    }

    /// A call that never returned to its task (it was killed): `= ?`. As strace: the arguments
    /// known at entry, `<unfinished ...>` where out-parameters would have followed, and for a
    /// call already shown unfinished, its `resumed` stub. A call whose exit record was lost
    /// (ring buffer full) shows `<exit lost>` where `<unfinished ...>` would stand.
    private func finishAbandoned(_ enter: consuming SyscallEnter, _ p: Pending?, tid: UInt32, exitLost: Bool = false) {
        let format = formats[enter.number]
        let shownUnfinished = p?.printedUnfinished == true
        let call = CallView(enter: enter, exit: nil, stringLimit: options.stringLimit, verbose: options.verbose,
                            fdDetails: options.fdDetails, sockets: socketTexts)
        // What stands where the exit's part would have been.
        let stub = exitLost ? " <exit lost>" : format.exitBoundary < format.args.count ? " <unfinished ...>" : nil
        startLine(tid: tid, several: shownUnfinished ? nil : p?.severalAtEntry,
                  at: shownUnfinished ? now : enter.header.timestamp)
        if shownUnfinished {
            putString("<... \(format.name) resumed>")
            if let stub { putString(stub) }
        } else {
            line.append(contentsOf: format.nameBytes)
            put("(")
            let printed = renderArgs(format, call, part: .entry)
            if let stub {
                if printed { put(", ") }
                putString(stub)
            }
        }
        put(")")
        padToReturnColumn()
        put("= ?")
        endLine()
        printStack(enter.stack)
    }

    private func printUnfinished(tid: UInt32, _ enter: SyscallEnter, ending: String = " <unfinished ...>") {
        let format = formats[enter.number]
        let call = CallView(enter: enter, exit: nil, stringLimit: options.stringLimit, verbose: options.verbose,
                            fdDetails: options.fdDetails, sockets: socketTexts)
        startLine(tid: tid, at: enter.header.timestamp)
        line.append(contentsOf: format.nameBytes)
        put("(")
        let printed = renderArgs(format, call, part: .entry)
        if printed && format.exitBoundary < format.args.count { put(", ") }
        putString(ending)
        endLine()
    }

    private func printCall(tid: UInt32, enter: consuming SyscallEnter?, exit: consuming SyscallExit, resumed: Bool,
                           several: Bool?) {
        let format = formats[exit.number]
        // (Not `enter != nil`: the generic comparison copied the entry, arrays and all.)
        let started = enter?.header.timestamp
        let hasEntry = started != nil
        let (killed, ret) = (exit.killed, exit.ret)
        // (Wrapping: records are input, and a malformed one must not trap.)
        let took = options.showDurations && exit.enterTimestamp != 0
            ? Int64(bitPattern: exit.header.timestamp &- exit.enterTimestamp) : nil
        // The records move into the view (taken, not copied: a copy retains their arrays).
        let call = CallView(enter: enter, exit: exit, stringLimit: options.stringLimit, verbose: options.verbose,
                            fdDetails: options.fdDetails, sockets: socketTexts)
        // strace starts a complete line when the call starts, a resumed one when it returns.
        let complete = hasEntry && !resumed
        printingExecve = tracksComm && (format.name == "execve" || format.name == "execveat")
        startLine(tid: tid, several: several, at: complete ? started ?? now : now)
        printingExecve = false
        if !hasEntry {
            // call 0: the kernel never saw the entry (it came before tracing began), as strace
            // shows a call it attached in the middle of; otherwise the entry record was lost.
            putString("<... \(format.name) resumed>")
            if exit.call != 0 { put(" <entry lost>") }
        } else if resumed {
            putString("<... \(format.name) resumed>")
            renderArgs(format, call, part: .exit)
        } else {
            line.append(contentsOf: format.nameBytes)
            line.append(UInt8(ascii: "("))
            renderArgs(format, call, part: .all)
        }
        line.append(UInt8(ascii: ")"))
        padToReturnColumn()
        if killed { put("= ?") } else { putReturn(ret, format.ret, call) }
        if !killed, let took { TimingWriter.appendDuration(took, to: &line) }
        endLine()
        if tracksComm { noteCommChange(format, call, tid: tid) }
        if call.enter?.stack.isEmpty == false, let stack = call.enter?.stack { printStack(stack) }
    }

    /// -Y: after an execve's line later lines show the new name; prctl(PR_SET_NAME) renames.
    private func noteCommChange(_ format: SyscallFormat, _ call: CallView, tid: UInt32) {
        // (Any line of the task ends it: when -e leaves execve out, the next call's line.)
        commBeforeExec[tid] = nil
        if format.name == "prctl", call.int32(0) == 15, call.succeeded, let c = call.capture(1), !c.faulted {
            comms[tid] = String(decoding: c.bytes.prefix(while: { $0 != 0 }).prefix(15), as: UTF8.self)
        }
    }

    /// -k: the call's frames after its line, as strace -k prints them: after a resumed line, not
    /// after `<unfinished ...>`, and without a pid prefix even when the call's line has one.
    private func printStack(_ frames: [StackFrame]) {
        for frame in frames {
            line.removeAll()
            put(" > ")
            putString(frame.straceText)
            endLine()
        }
    }

    @discardableResult
    private func renderArgs(_ format: SyscallFormat, _ call: CallView, part: ArgumentPrinter.Part) -> Bool {
        // The sink writes on the line itself, lent to it and taken back: its bytes are not
        // copied over (measured on the direct path: 12 % of the consumer).
        swap(&line, &sink.bytes)
        defer { swap(&line, &sink.bytes) }
        sink.resetSeparators()
        // -N; clone's arguments are named already.
        sink.argNames = options.argNames && format.name != "clone"
        defer { sink.argNames = false }
        if !options.rawCalls.isEmpty, options.rawCalls.contains(call.number) {
            // -e raw=: the registers as they were, all known at entry.
            if part != .exit {
                for i in 0..<format.args.count {
                    sink.argument(format.argNames.indices.contains(i) ? format.argNames[i] : "")
                    sink.hex(call.arg(i))
                }
            }
        } else {
            ArgumentPrinter.printArguments(format, call, part: part, to: sink)
        }
        return sink.printedAny
    }

    func putReturn(_ ret: Int64, _ kind: ReturnFormat, _ call: CallView) {
        let kind = !options.rawCalls.isEmpty && options.rawCalls.contains(call.number) ? ReturnFormat.hex : kind
        guard SyscallResult.errorNumber(ret) == nil else { return putPlainReturn(ret, kind) }
        switch kind {
        case .fd:
            put("= ")
            sink.bytes.removeAll()
            sink.descriptor(ret, target: call.returnedFDTarget)
            appendSinkBytes()
        case .custom(let print):
            put("= ")
            sink.bytes.removeAll()
            sink.resetSeparators()
            print(call, ret, sink)
            appendSinkBytes()
        default:
            putPlainReturn(ret, kind)
        }
    }

    /// A result that needs nothing of its call (an error, or a value of a kind other than a
    /// custom one; an fd without -y's target): the direct path's, without a CallView to pass.
    func putPlainReturn(_ ret: Int64, _ kind: ReturnFormat) {
        if let err = SyscallResult.errorNumber(ret) {
            put(Tables.isRestartErrno(err) ? "= ? " : "= -1 ")
            guard let name = Tables.errnoNames.name(for: UInt64(err)) else {
                putString("(errno \(err))")
                return
            }
            putString(name)
            put(" (")
            putString(Tables.errnoMessage(err))
            put(")")
            return
        }
        put("= ")
        switch kind {
        case .hex:
            if ret != 0 { put("0x") }
            line.appendHexDigits(UInt64(bitPattern: ret))
        case .none: put("?")
        case .signed, .fd, .custom: line.appendDecimal(ret)  // (an fd without a target is its number)
        case .octal:
            sink.bytes.removeAll()
            sink.octal(UInt64(bitPattern: ret))
            appendSinkBytes()
        }
    }

    /// The number a task goes by in the output: its host tid, or with --decode-pids=pidns its
    /// tid in its own pid namespace.
    private func shownTid(_ tid: UInt32) -> UInt32 {
        options.pidsInNamespace ? namespacePids.lookup(tid: tid)?.tid ?? tid : tid
    }

    /// Begin a line; `several` overrides the current task count's say on the prefix.
    func startLine(tid hostTid: UInt32, several: Bool? = nil, at time: UInt64? = nil) {
        line.removeAll()
        defer { putTimestamps(time ?? now) }
        let tid = shownTid(hostTid)
        // Written into the line buffer directly: building the prefix as a String cost ~3 % of
        // the consumer on every line of a multi-process trace.
        let width = tid < 10 ? 1 : tid < 100 ? 2 : tid < 1000 ? 3 : tid < 10000 ? 4 : 5
        // -Y: `1234<sh> ` (no column padding then) or `[pid  1234<sh>] `.
        let comm = tracksComm ? linePrefixComm(tid) : nil
        switch options.pidPrefix {
        case .always:  // "1234  ": the tid, left-aligned in five columns, then a space
            line.appendDecimal(UInt64(tid))
            if let comm {
                putString("<\(comm)> ")
            } else {
                line.append(repeating: UInt8(ascii: " "), count: 5 - width + 1)
            }
        case .whenSeveral where several ?? (live.count > 1):  // "[pid  1234] "
            put("[pid ")
            line.append(repeating: UInt8(ascii: " "), count: 5 - width)
            line.appendDecimal(UInt64(tid))
            if let comm { putString("<\(comm)>") }
            put("] ")
        case .whenSeveral, .never:
            break
        }
    }

    /// The name in a line's prefix: the one before an execve for that execve's line.
    private func linePrefixComm(_ tid: UInt32) -> String? {
        if printingExecve, let before = commBeforeExec[tid] { return before.isEmpty ? nil : before }
        return comm(of: tid)
    }

    /// -t/-tt/-ttt then -r, after the pid prefix, as strace orders them.
    private func putTimestamps(_ time: UInt64) {
        if options.timestamps != .none {
            timing.appendTimestamp(options.timestamps, wallNs: options.clock.wallNs(time), to: &line)
        }
        if options.relativeTimestamps {
            let delta = previousLineTime.map { Int64(time) - Int64($0) } ?? 0
            TimingWriter.appendRelative(delta, afterTimestamp: options.timestamps != .none, to: &line)
            previousLineTime = time
        }
    }

    func padToReturnColumn() {
        // Column counts characters; our lines are ASCII (strings are escaped).
        line.append(repeating: UInt8(ascii: " "), count: line.count < options.returnColumn ? options.returnColumn - line.count : 1)
    }

    func endLine() {
        line.append(UInt8(ascii: "\n"))
        output.write(line.bytes)
    }

    /// The sink's rendering, appended to the line.
    @inline(__always) func appendSinkBytes() {
        line.append(sink.bytes.bytes)
    }

    @inline(__always) func put(_ s: StaticString) {
        line.appendASCII(s)
    }

    /// (Named apart from `put`: with both overloads, literals took the String one.)
    @inline(__always) func putString(_ s: String) {
        // One contiguous copy; appending the UTF-8 view went element by element.
        var s = s
        s.withUTF8 { line.append($0) }
    }
}
