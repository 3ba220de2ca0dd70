import Beautifiers
import Decoder

/// What every structured event says about where and when it happened.
public struct EventContext {
    public let formats: SyscallFormats
    public let clock: WallClock
    public let names: TaskNames
    /// The traced cgroup (cgtrace's own for a command); nil when unknown.
    public let cgroupID: UInt64?
    public let stringLimit: Int

    public init(formats: SyscallFormats, clock: WallClock, names: TaskNames, cgroupID: UInt64?, stringLimit: Int) {
        self.formats = formats
        self.clock = clock
        self.names = names
        self.cgroupID = cgroupID
        self.stringLimit = stringLimit
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

    /// A call's decoded arguments (nil when its entry record was lost), remarks and truncations.
    func arguments(_ c: CompletedCall, sink: JSONSink) -> (args: JSONValue, remarks: JSONValue?, truncated: JSONValue?) {
        guard c.enter != nil else { return (.null, nil, nil) }
        sink.reset()
        let view = CallView(enter: c.enter, exit: c.exit, stringLimit: stringLimit)
        // Out-parameters are only meaningful once the call returned.
        ArgumentPrinter.printArguments(formats[c.number], view, part: c.exit == nil ? .entry : .all, to: sink)
        return (sink.result(), sink.remarksValue, sink.truncatedValue)
    }

    /// Return value members: `ret`, `errno`, `error`, and `ret_decoded` for calls whose value
    /// strace explains (fcntl's flags).
    func returnMembers(_ c: CompletedCall, sink: JSONSink) -> [(String, JSONValue)] {
        guard let x = c.exit, c.ending == .returned else {
            return [("ret", .null), ("errno", .null), ("error", .null)]
        }
        let format = formats[c.number]
        if case .none = format.ret { return [("ret", .null), ("errno", .null), ("error", .null)] }
        if x.ret < 0 && x.ret >= -4095 {
            let err = Int(-x.ret)
            let name = Tables.errnoNames.name(for: UInt64(err)) ?? "errno \(err)"
            return [("ret", .int(-1)), ("errno", .string(name)), ("error", .string(Tables.errnoMessage(err))),
                    ("errno_nr", .int(Int64(err)))]
        }
        var members: [(String, JSONValue)] = [("ret", .int(x.ret)), ("errno", .null), ("error", .null)]
        if case .custom(let print) = format.ret {
            sink.reset()
            sink.argument("ret")
            print(CallView(enter: c.enter, exit: x, stringLimit: stringLimit), x.ret, sink)
            members.append(("ret_decoded", sink.singleValue()))
        }
        return members
    }

    func signalMembers(_ s: SignalDelivery, sink: JSONSink) -> [(String, JSONValue)] {
        sink.reset()
        sink.argument("siginfo")
        SignalInfoPrinter.printLine(s, to: sink)
        // The printer leads with the name as text (`SIGCHLD {…}`); the struct is the siginfo.
        var siginfo = sink.singleValue()
        if case .array(let parts) = siginfo, let last = parts.last { siginfo = last }
        return [("signal", .string(SignalInfoPrinter.signalName(s.signo))), ("signo", .int(Int64(s.signo))),
                ("siginfo", siginfo)]
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

    func exitMembers(_ x: TaskExit) -> [(String, JSONValue)] {
        let sig = x.status & 0x7f
        return [("exit_code", sig == 0 ? .uint(UInt64((x.status >> 8) & 0xff)) : .null),
                ("signal", sig == 0 ? .null : .string(SignalInfoPrinter.signalName(Int32(sig)))),
                ("core_dumped", .bool(sig != 0 && x.status & 0x80 != 0)),
                ("group_dead", .bool(x.groupDead))]
    }

    func syscallEvent(_ c: CompletedCall, sink: JSONSink) -> JSONValue {
        let (args, remarks, truncated) = arguments(c, sink: sink)
        var m = header("syscall", at: c.startNs != 0 ? c.startNs : c.endNs, pid: c.pid, tid: c.tid, cpu: c.cpu)
        m.append(("syscall", .string(formats[c.number].name)))
        m.append(("nr", .int(Int64(c.number))))
        m.append(("args", args))
        m += returnMembers(c, sink: sink)
        m.append(("duration_ns", c.durationNs.map { .uint($0) } ?? .null))
        m.append(("state", .string(c.ending.rawValue)))
        if c.enterLost { m.append(("enter_lost", .bool(true))) }
        if let remarks { m.append(("remarks", remarks)) }
        if let truncated { m.append(("truncated", truncated)) }
        if let frames = c.enter?.stack, !frames.isEmpty { m.append(("stack", .array(frames.map(Self.frame)))) }
        return .object(m)
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

/// `--json`: one JSON object per line for each syscall (when it completes), signal delivery and
/// task exit; at the end, a `lost` event if anything could not be shown. The schema is
/// man/cgtrace-json.schema.json.
public final class JSONLinesFormatter: TraceOutput {
    private let context: EventContext
    private let output: OutputFile
    private let assembler: CallAssembler
    private let sink = JSONSink()
    private var line: [UInt8] = []
    private var lastTime: UInt64 = 0

    public init(context: EventContext, output: OutputFile) {
        self.context = context
        self.output = output
        assembler = CallAssembler(formats: context.formats)
        line.reserveCapacity(1024)
    }

    public func handle(_ record: consuming Record) {
        context.names.observe(record)
        let h = record.header
        lastTime = max(lastTime, h.timestamp)
        for c in assembler.handle(record) { emit(context.syscallEvent(c, sink: sink)) }
        switch record {
        case .signal(let s):
            emit(.object(context.header("signal", at: h.timestamp, pid: h.pid, tid: h.tid, cpu: h.cpu)
                         + context.signalMembers(s, sink: sink)))
        case .taskExit(let x):
            emit(.object(context.header("exit", at: h.timestamp, pid: h.pid, tid: h.tid, cpu: h.cpu)
                         + context.exitMembers(x)))
        case .lost(let l):
            emit(.object(context.gapMembers(l)))
        default:
            break
        }
    }

    public func finish(losses: TraceLosses) {
        for c in assembler.drain(at: lastTime) { emit(context.syscallEvent(c, sink: sink)) }
        if losses != TraceLosses() {
            emit(.object([("type", .string("lost")),
                          ("records", .uint(losses.lostRecords)),
                          ("malformed", .uint(losses.malformedRecords)),
                          ("truncated_captures", .uint(losses.truncatedCaptures))]))
        }
        output.flush()
    }

    private func emit(_ v: JSONValue) {
        line.removeAll(keepingCapacity: true)
        v.write(to: &line)
        line.append(UInt8(ascii: "\n"))
        output.write(line)
    }
}
