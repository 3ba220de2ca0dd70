import Beautifiers
import Decoder
import Syscalls

/// What every structured event says about where and when it happened.
public struct EventContext {
    public let formats: SyscallFormats
    public let clock: WallClock
    public let names: TaskNames
    /// The traced cgroup (cgtrace's own for a command); nil when unknown.
    public let cgroupID: UInt64?
    public let stringLimit: Int
    /// -y/-yy/--decode-fds: what of each descriptor `fd_paths` shows (nothing without them).
    public let fdDetails: FdDetails
    /// -yy: the sockets' texts the trace gave first, as the strace text keeps them.
    public let sockets: SocketTextCache

    public init(formats: SyscallFormats, clock: WallClock, names: TaskNames, cgroupID: UInt64?, stringLimit: Int,
                fdDetails: FdDetails = [], sockets: SocketTextCache = SocketTextCache()) {
        self.formats = formats
        self.clock = clock
        self.names = names
        self.cgroupID = cgroupID
        self.stringLimit = stringLimit
        self.fdDetails = fdDetails
        self.sockets = sockets
    }

    /// The common leading members: type, times, task, cgroup.
    func header(_ type: String, at mono: UInt64, pid: UInt32, tid: UInt32, cpu: UInt16) -> [(String, JSONValue)] {
        [("type", .string(type)),
         ("ts", .fixed(clock.wallNs(mono) / 1000, scale: 6)),
         ("mono_ns", .uint(mono)),
         ("pid", .uint(UInt64(pid))),
         ("tid", .uint(UInt64(tid)))]
        + namespaceMembers(tid: tid)
        + [("comm", .string(names.name(pid: pid, tid: tid))),
           ("cpu", .uint(UInt64(cpu))),
           ("cgroup_id", cgroupID.map { .uint($0) } ?? .null)]
    }

    /// `ns_pid`/`ns_tid`: the task's pids in its own pid namespace (a container's), when the
    /// kernel reported them (tasks outside the initial namespace only).
    func namespaceMembers(tid: UInt32) -> [(String, JSONValue)] {
        guard let ns = names.namespaceIDs(tid: tid) else { return [] }
        return [("ns_pid", .uint(UInt64(ns.pid))), ("ns_tid", .uint(UInt64(ns.tid)))]
    }

    /// A call's decoded arguments (null when its entry record was lost) into `sink.bytes`; its
    /// remarks and truncations stay in the sink. `view` holds the call's halves (moved out of
    /// the call: a copy retained their arrays, three times per event).
    func writeArguments(_ view: CallView, enterLost: Bool, format: SyscallFormat, sink: JSONSink) {
        guard !enterLost else {
            sink.clearNotes()
            return sink.bytes.appendASCII("null")
        }
        sink.begin()
        // Out-parameters are only meaningful once the call returned.
        ArgumentPrinter.printArguments(format, view, part: view.ret == nil ? .entry : .all, to: sink)
        sink.end()
    }

    /// Return value members into `sink`'s bytes, each after a comma: `ret`, `errno`, `error`, and
    /// `ret_decoded` for calls whose value strace explains (fcntl's flags, decoded with
    /// `scratch`). A returned descriptor's -y text (a new fd, or fcntl F_DUPFD's) is noted in
    /// `sink` for `fd_paths`' `ret`.
    func writeReturnMembers(_ view: CallView, ending: CompletedCall.Ending, format: SyscallFormat, scratch: JSONSink,
                            sink: JSONSink) {
        guard writeResultMembers(view.ret, ending: ending, format: format, to: &sink.bytes), let ret = view.ret else { return }
        let target: String?
        switch format.ret {
        case .custom(let print):
            sink.bytes.appendASCII(",\"ret_decoded\":")
            let start = scratch.bytes.count
            scratch.begin()
            scratch.argument("ret")
            print(view, ret, scratch)
            sink.bytes.append(contentsOf: scratch.endSingleValue(from: start))
            target = scratch.descriptorTargets.first { $0.0 == "ret" }?.1
        case .fd:
            target = view.returnedFDTarget
        default:
            target = nil
        }
        if let target { sink.noteReturnedDescriptor(target: target) }
    }

    /// `ret`, `errno`, `error` (and `errno_nr`) for a result known apart from its view (the
    /// direct path, whose calls have no custom result): true when the call returned a value,
    /// which `ret_decoded` may explain. (Passing the direct path a nil `CallView?` instead
    /// zeroed its ~200 bytes per call: 3 % of the JSON consumer.)
    @discardableResult
    func writeResultMembers(_ ret: Int64?, ending: CompletedCall.Ending, format: SyscallFormat,
                            to out: inout ByteBuffer) -> Bool {
        guard ending == .returned, let ret else {
            out.appendASCII(",\"ret\":null,\"errno\":null,\"error\":null")
            return false
        }
        if case .none = format.ret {
            out.appendASCII(",\"ret\":null,\"errno\":null,\"error\":null")
            return false
        }
        if let err = SyscallResult.errorNumber(ret) {
            out.appendASCII(",\"ret\":-1,\"errno\":")
            if let name = Tables.errnoNames.name(for: UInt64(err)) { out.appendJSONString(name) } else {
                out.appendJSONString("errno \(err)")
            }
            out.appendASCII(",\"error\":")
            out.appendJSONString(Tables.errnoMessage(err))
            out.appendASCII(",\"errno_nr\":")
            out.appendDecimal(Int64(err))
            return false
        }
        out.appendASCII(",\"ret\":")
        out.appendDecimal(ret)
        out.appendASCII(",\"errno\":null,\"error\":null")
        return true
    }

    /// The printers' view of a call, its halves moved out of it.
    func view(taking c: inout CompletedCall) -> CallView {
        CallView(enter: c.enter.take(), exit: c.exit.take(), stringLimit: stringLimit, fdDetails: fdDetails, sockets: sockets)
    }

    /// A signal's members (the siginfo rendered by `sink`, whose bytes are left as they were).
    func signalMembers(_ s: SignalDelivery, sink: JSONSink) -> [(String, JSONValue)] {
        // strace's line is the name, then the siginfo struct: the struct is the siginfo.
        let start = sink.bytes.count
        sink.begin()
        sink.argument("siginfo")
        SignalInfoPrinter.printInfo(ArraySlice(s.siginfo), errno: s.errno, to: sink)
        let siginfo = sink.endSingleValue(from: start)
        return [("signal", .string(SignalInfoPrinter.signalName(s.signo))), ("signo", .int(Int64(s.signo))),
                ("siginfo", .rendered(siginfo))]
    }

    /// A hole in the trace: where it is, how much fell in, whose records they were.
    func gapMembers(_ l: LostRecords) -> [(String, JSONValue)] {
        let at = l.firstTimestamp != 0 ? l.firstTimestamp : l.header.timestamp
        return [("type", .string("gap")),
                ("ts", .fixed(clock.wallNs(at) / 1000, scale: 6)),
                ("mono_ns", .uint(at)),
                ("last_mono_ns", .uint(max(l.lastTimestamp, at))),
                ("cpus", .array(l.cpus.map { .uint(UInt64($0)) })),
                ("records", .uint(l.records)),
                ("tids", .array(l.tids.map { .uint(UInt64($0)) })),
                ("more_tids", .bool(l.moreThreads))]
    }

    /// The run's totals of what is missing (the last `lost` event; Perfetto's last instant).
    func lossMembers(_ losses: TraceLosses) -> [(String, JSONValue)] {
        [("records", .uint(losses.lostRecords)),
         ("malformed", .uint(losses.malformedRecords)),
         ("truncated_captures", .uint(losses.truncatedCaptures))]
            + (losses.damagedParts > 0 ? [("damaged_parts", .uint(losses.damagedParts))] : [])
    }

    func damageMembers(_ d: DamagedPart) -> [(String, JSONValue)] {
        // (A trace that kept no times, plain text's, has none to give it.)
        let at = d.header.timestamp
        return [("type", .string("damaged")),
                ("ts", at == 0 ? .null : .fixed(clock.wallNs(at) / 1000, scale: 6)),
                ("mono_ns", at == 0 ? .null : .uint(at)),
                ("file_offset", .uint(d.fileOffset)),
                ("bytes", .uint(d.bytes))]
    }

    func exitMembers(_ x: TaskExit) -> [(String, JSONValue)] {
        let sig = x.status & 0x7f
        return [("exit_code", sig == 0 ? .uint(UInt64((x.status >> 8) & 0xff)) : .null),
                ("signal", sig == 0 ? .null : .string(SignalInfoPrinter.signalName(Int32(sig)))),
                ("core_dumped", .bool(sig != 0 && x.status & 0x80 != 0)),
                ("group_dead", .bool(x.groupDead))]
    }

    /// One syscall event, a line of its own, appended to `sink.bytes`: `header`'s members, the
    /// call, its arguments, its result.
    func writeSyscallEvent(_ c: consuming CompletedCall, sink: JSONSink, scratch: JSONSink, repeated: RepeatedMembers) {
        let view = view(taking: &c)
        writeSyscallEvent(c, view: view, sink: sink, scratch: scratch, repeated: repeated)
    }

    /// The same, the call's halves already in `view` (`c` says the rest).
    func writeSyscallEvent(_ c: borrowing CompletedCall, view: CallView, sink: JSONSink, scratch: JSONSink,
                           repeated: RepeatedMembers) {
        let format = formats[c.number]
        writeEventStart(format, number: c.number, mono: c.startNs != 0 ? c.startNs : c.endNs, pid: c.pid, tid: c.tid,
                        cpu: c.cpu, sink: sink, repeated: repeated)
        writeArguments(view, enterLost: c.enterLost, format: format, sink: sink)
        writeReturnMembers(view, ending: c.ending, format: format, scratch: scratch, sink: sink)
        writeEventEnd(durationNs: c.durationNs, ending: c.ending, enterLost: c.enterLost, sink: sink)
        if c.hasStack, let frames = view.enter?.stack {
            sink.bytes.appendASCII(",\"stack\":")
            sink.bytes.append(UInt8(ascii: "["))
            for (i, f) in frames.enumerated() {
                if i > 0 { sink.bytes.append(UInt8(ascii: ",")) }
                Self.frame(f).write(to: &sink.bytes)
            }
            sink.bytes.append(UInt8(ascii: "]"))
        }
        sink.bytes.appendASCII("}\n")
    }

    /// A syscall event up to its `args` member's value: type, times, task, call.
    func writeEventStart(_ format: SyscallFormat, number: Int, mono: UInt64, pid: UInt32, tid: UInt32, cpu: UInt16,
                         sink: JSONSink, repeated: RepeatedMembers) {
        repeated.appendEventStart(wallMicroseconds: clock.wallNs(mono) / 1000, to: &sink.bytes)
        sink.bytes.appendASCII(",\"mono_ns\":")
        sink.bytes.appendDecimal(mono)
        repeated.appendTask(pid: pid, tid: tid, cpu: cpu, names: names, cgroupID: cgroupID, to: &sink.bytes)
        repeated.appendCall(number, name: format.name, to: &sink.bytes)
    }

    /// The rest of a call that returned, after its arguments, and the line's end: what
    /// `writeResultMembers`, `writeEventEnd` and `}` write, a successful result's literals
    /// joined (each literal was a memmove call, five an event).
    func writeReturnedEnd(_ ret: Int64, durationNs: UInt64?, format: SyscallFormat, sink: JSONSink) {
        let hasResult: Bool
        if case .none = format.ret { hasResult = false } else { hasResult = !SyscallResult.isError(ret) }
        if hasResult, let d = durationNs {
            sink.bytes.appendASCII(",\"ret\":")
            sink.bytes.appendDecimal(ret)
            sink.bytes.appendASCII(",\"errno\":null,\"error\":null,\"duration_ns\":")
            sink.bytes.appendDecimal(d)
            sink.bytes.appendASCII(",\"state\":\"returned\"")
            writeNotes(enterLost: false, sink: sink)
            return sink.bytes.appendASCII("}\n")
        }
        writeResultMembers(ret, ending: .returned, format: format, to: &sink.bytes)
        writeEventEnd(durationNs: durationNs, ending: .returned, enterLost: false, sink: sink)
        sink.bytes.appendASCII("}\n")
    }

    /// After the result: the duration, the state, and the notes (`writeNotes`).
    func writeEventEnd(durationNs: UInt64?, ending: CompletedCall.Ending, enterLost: Bool, sink: JSONSink) {
        sink.bytes.appendASCII(",\"duration_ns\":")
        if let d = durationNs { sink.bytes.appendDecimal(d) } else { sink.bytes.appendASCII("null") }
        sink.bytes.appendASCII(Self.stateMember(ending))
        writeNotes(enterLost: enterLost, sink: sink)
    }

    static func stateMember(_ e: CompletedCall.Ending) -> StaticString {
        switch e {
        case .returned: return ",\"state\":\"returned\""
        case .killed: return ",\"state\":\"killed\""
        case .unfinished: return ",\"state\":\"unfinished\""
        case .exitLost: return ",\"state\":\"exit_lost\""
        }
    }

    /// `enter_lost`, `remarks` and `truncated`, when they apply (after `writeArguments`).
    func writeNotes(enterLost: Bool, sink: JSONSink) {
        if enterLost { sink.bytes.appendASCII(",\"enter_lost\":true") }
        if !sink.remarks.isEmpty {
            sink.bytes.appendASCII(",\"remarks\":")
            sink.appendRemarks(to: &sink.bytes)
        }
        if !sink.truncated.isEmpty {
            sink.bytes.appendASCII(",\"truncated\":")
            sink.appendTruncated(to: &sink.bytes)
        }
        if !sink.descriptorTargets.isEmpty {
            sink.bytes.appendASCII(",\"fd_paths\":")
            sink.appendDescriptorTargets(to: &sink.bytes)
        }
    }

    /// -k: one frame, innermost first, with what strace -k's text line shows as fields.
    static func frame(_ f: StackFrame) -> JSONValue {
        .object([("address", .uint(f.address)),
                 ("module", f.module.map { .string($0) } ?? .null),
                 ("module_address", .uint(f.moduleAddress)),
                 ("symbol", f.symbol.map { .string($0) } ?? .null),
                 ("symbol_offset", f.symbol == nil ? .null : .uint(f.symbolOffset))])
    }
}

/// Members of syscall events that repeat from line to line, kept rendered: those naming the
/// task (a task's calls mostly follow each other) and each syscall's name and number. A dozen
/// appends become one (measured: the header was ~14 % of a JSON dd storm's consumer time).
final class RepeatedMembers {
    private var pid: UInt32 = 0, tid: UInt32 = 0, cpu: UInt16 = 0
    private var cgroupID: UInt64?
    /// `TaskNames.changes` when `task` was rendered: the same count, the same comm and pids.
    private var namesChanges: UInt64 = 0
    /// `,"pid":P,"tid":T,"comm":"C","cpu":N,"cgroup_id":G` (empty: none yet).
    private var task = ByteBuffer(capacity: 128)
    /// By syscall number (below `callSlots`): `,"syscall":"NAME","nr":N,"args":`, rendered in
    /// `callText` at `callAt[number]`'s offset (low 32 bits) and length (high; 0: not yet
    /// rendered). One buffer, not an array of arrays: copying `calls[number]` out of that
    /// retained and released it, and the array's append went through its generic path.
    private var callText = ByteBuffer(capacity: 4096)
    private let callAt: UnsafeMutablePointer<UInt64>
    private static let callSlots = 1024
    /// `{"type":"syscall","ts":S.` for the whole second `second` of the wall clock (empty: none
    /// yet). Writing `ts` digit by digit with a division each was ~5 % of the JSON consumer, and
    /// its seconds change once a second.
    private var eventStart = ByteBuffer(capacity: 64)
    private var second: UInt64 = 0

    init() {
        callAt = .allocate(capacity: Self.callSlots)
        callAt.initialize(repeating: 0, count: Self.callSlots)
    }

    deinit { callAt.deallocate() }

    /// `{"type":"syscall","ts":` and the wall time in seconds with 6 decimals (as `appendFixed`).
    func appendEventStart(wallMicroseconds us: Int64, to out: inout ByteBuffer) {
        guard us >= 0 else {
            out.appendASCII("{\"type\":\"syscall\",\"ts\":")
            return out.appendFixed(us, scale: 6)
        }
        let m = UInt64(us)
        let s = m / 1_000_000
        if s != second || eventStart.isEmpty {
            second = s
            eventStart.removeAll()
            eventStart.appendASCII("{\"type\":\"syscall\",\"ts\":")
            eventStart.appendDecimal(s)
            eventStart.append(UInt8(ascii: "."))
        }
        out.appendShort(eventStart.bytes)
        out.appendZeroPadded(m &- s &* 1_000_000, digits: 6)
    }

    /// The task's members; its comm and namespace pids asked of `names` only when it may have
    /// changed them (asking each call, a String retained and compared and a dictionary lookup,
    /// was ~4 % of the JSON consumer).
    func appendTask(pid: UInt32, tid: UInt32, cpu: UInt16, names: TaskNames, cgroupID: UInt64?,
                    to out: inout ByteBuffer) {
        if task.isEmpty || pid != self.pid || tid != self.tid || cpu != self.cpu || names.changes != namesChanges
            || cgroupID != self.cgroupID {
            let comm = names.name(pid: pid, tid: tid), ns = names.namespaceIDs(tid: tid)
            (self.pid, self.tid, self.cpu, self.cgroupID) = (pid, tid, cpu, cgroupID)
            namesChanges = names.changes
            task.removeAll()
            task.appendASCII(",\"pid\":")
            task.appendDecimal(UInt64(pid))
            task.appendASCII(",\"tid\":")
            task.appendDecimal(UInt64(tid))
            // As EventContext.header orders them: a task in a container has its own pids too.
            if let ns {
                task.appendASCII(",\"ns_pid\":")
                task.appendDecimal(UInt64(ns.pid))
                task.appendASCII(",\"ns_tid\":")
                task.appendDecimal(UInt64(ns.tid))
            }
            task.appendASCII(",\"comm\":")
            task.appendJSONString(comm)
            task.appendASCII(",\"cpu\":")
            task.appendDecimal(UInt64(cpu))
            task.appendASCII(",\"cgroup_id\":")
            if let cgroupID { task.appendDecimal(cgroupID) } else { task.appendASCII("null") }
        }
        out.appendShort(task.bytes)
    }

    func appendCall(_ number: Int, name: String, to out: inout ByteBuffer) {
        // Real syscall numbers are small; anything else is rendered each time.
        guard number >= 0 && number < Self.callSlots else { return Self.render(number, name: name, to: &out) }
        var at = callAt[number]
        if at == 0 {
            let start = callText.count
            Self.render(number, name: name, to: &callText)
            at = UInt64(start) | UInt64(callText.count - start) << 32
            callAt[number] = at
        }
        out.appendShort(UnsafeRawBufferPointer(rebasing: callText.bytes[Int(at & 0xffff_ffff)..<Int(at & 0xffff_ffff + at >> 32)]))
    }

    private static func render(_ number: Int, name: String, to out: inout ByteBuffer) {
        out.appendASCII(",\"syscall\":")
        out.appendJSONString(name)
        out.appendASCII(",\"nr\":")
        out.appendDecimal(Int64(number))
        out.appendASCII(",\"args\":")
    }
}

/// `--json`: one JSON object per line for each syscall (when it completes), signal delivery and
/// task exit; at the end, a `lost` event if anything could not be shown. The schema is
/// man/cgtrace-json.schema.json.
public final class JSONLinesFormatter: DirectCallOutput, CallOutput {
    private let context: EventContext
    private let output: OutputFile
    /// Writes each line: the event's members, and its arguments between them.
    private let sink = JSONSink(singleValues: false)
    /// Return values and siginfos, decoded on the side.
    private let scratch = JSONSink()
    private let repeated = RepeatedMembers()

    /// The calls JSON writes straight from their records (`DirectCallOutput`).
    private let direct: DirectCalls
    /// Descriptor texts for `fd_paths`, as the general path's views have them.
    private let descriptors: DescriptorTargets

    public init(context: EventContext, output: OutputFile) {
        self.context = context
        self.output = output
        direct = DirectCalls(formats: context.formats)
        descriptors = DescriptorTargets(shown: context.fdDetails, sockets: context.sockets)
        super.init()
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {}

    public func callEnded(_ call: consuming CompletedCall) { emit(call) }

    /// Most calls: written from the halves as they come, without a `CompletedCall` to carry
    /// them (as the strace text does).
    public func callReturned(enter: consuming SyscallEnter, exit: consuming SyscallExit, frozenNs: UInt64) {
        let h = exit.header
        let call = CompletedCall(pid: h.pid, tid: h.tid, cpu: h.cpu, number: exit.number, enterLost: false,
                                 hasStack: !enter.stack.isEmpty, ending: exit.killed ? .killed : .returned,
                                 startNs: enter.header.timestamp, endNs: h.timestamp, frozenNs: frozenNs)
        let view = CallView(enter: .some(consume enter), exit: .some(consume exit), stringLimit: context.stringLimit,
                            fdDetails: context.fdDetails, sockets: context.sockets)
        sink.bytes.removeAll()
        context.writeSyscallEvent(call, view: view, sink: sink, scratch: scratch, repeated: repeated)
        output.write(sink.bytes.bytes)
    }

    public func other(_ record: consuming Record) {
        context.names.observe(record)
        let h = record.header
        switch record {
        case .signal(let s):
            emit(.object(context.header("signal", at: h.timestamp, pid: h.pid, tid: h.tid, cpu: h.cpu)
                         + context.signalMembers(s, sink: scratch)))
        case .taskExit(let x):
            emit(.object(context.header("exit", at: h.timestamp, pid: h.pid, tid: h.tid, cpu: h.cpu)
                         + context.exitMembers(x)))
        case .lost(let l):
            emit(.object(context.gapMembers(l)))
        case .damaged(let d):
            emit(.object(context.damageMembers(d)))
        default:
            break
        }
    }

    public func finish(losses: TraceLosses) {
        if losses != TraceLosses() {
            emit(.object([("type", .string("lost"))] + context.lossMembers(losses)))
        }
        output.flush()
    }

    /// JSON's direct path, as the strace text's (StraceDirectLines.swift): a call whose exit
    /// follows its entry, written from the two records' bytes with the general path's members and
    /// printers. DirectLineTests compares the two on every syscall it takes.
    override public func printsDirectly(number: Int) -> Bool { direct.contains(number) }
    override public var printsAnyDirectly: Bool { !direct.isEmpty }

    override public func callReturnedDirectly(enter: RecordView, exit: RecordView) -> Bool {
        direct.withFormat(enter: enter, exit: exit) { write($0, enter: enter, exit: exit, descriptors: $1) } ?? false
    }

    private func write(_ format: SyscallFormat, enter: RecordView, exit: RecordView, descriptors hasCopies: Bool) -> Bool {
        let number = exit.number
        let start = enter.timestamp, end = exit.timestamp
        let duration = CompletedCall.durationNs(enter: enter, exit: exit)
        sink.bytes.removeAll()
        context.writeEventStart(format, number: number, mono: start != 0 ? start : end, pid: exit.pid, tid: exit.tid,
                                cpu: exit.cpu, sink: sink, repeated: repeated)
        sink.begin(keysOf: number, format)
        ArgumentPrinter.printArguments(format, enter: enter, exit: exit, stringLimit: context.stringLimit,
                                       descriptors: hasCopies ? descriptors : nil, to: sink)
        sink.end()
        context.writeReturnedEnd(exit.ret, durationNs: duration, format: format, sink: sink)
        output.write(sink.bytes.bytes)
        return true
    }

    private func emit(_ c: consuming CompletedCall) {
        sink.bytes.removeAll()
        context.writeSyscallEvent(c, sink: sink, scratch: scratch, repeated: repeated)
        output.write(sink.bytes.bytes)
    }

    private func emit(_ v: JSONValue) {
        sink.bytes.removeAll()
        v.write(to: &sink.bytes)
        sink.bytes.append(UInt8(ascii: "\n"))
        output.write(sink.bytes.bytes)
    }
}
