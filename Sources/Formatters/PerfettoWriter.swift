import Beautifiers
import Decoder

/// `--perfetto FILE`: a Chrome Trace Event timeline (JSON object form) that the Perfetto UI and
/// chrome://tracing open. One track per thread, named `comm pid/tid` by a `thread_name` metadata
/// event; each syscall a complete (`"ph":"X"`) slice carrying its decoded arguments and result;
/// each signal a thread-scoped instant (`"ph":"i"`); each task exit an instant too.
///
/// Events are written as calls complete (nothing accumulates in memory). Timestamps are
/// microseconds of CLOCK_MONOTONIC with nanosecond decimals; a thread's calls never overlap, so
/// every track is a sequence of closed, non-overlapping slices. Calls still open when tracing
/// stops are closed at the last event's time and marked `"state":"unfinished"`.
public final class PerfettoWriter: CallOutput {
    private let context: EventContext
    private let output: OutputFile
    /// Writes the syscall slices: their members, and the arguments between them.
    private let sink = JSONSink(singleValues: false)
    /// Return values and siginfos, decoded on the side.
    private let scratch = JSONSink()
    private var named: [UInt32: String] = [:]
    private var namedProcesses: Set<UInt32> = []
    private var first = true
    private var buffer: [UInt8] = []
    private var lastTime: UInt64 = 0

    public init(context: EventContext, output: OutputFile) {
        self.context = context
        self.output = output
        output.write("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"cgtrace\"},\"traceEvents\":[\n")
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {
        lastTime = max(lastTime, header.timestamp)
    }

    public func callEnded(_ call: consuming CompletedCall) {
        lastTime = max(lastTime, call.observedNs)
        slice(call)
    }

    public func other(_ record: consuming Record) {
        context.names.observe(record)
        let h = record.header
        lastTime = max(lastTime, h.timestamp)
        switch record {
        case .signal(let s):
            nameTrack(pid: h.pid, tid: h.tid)
            let members = context.signalMembers(s, sink: scratch)
            emit([("name", members[0].1), ("cat", .string("signal")), ("ph", .string("i")), ("s", .string("t")),
                  ("ts", micros(h.timestamp)), ("pid", .uint(UInt64(h.pid))), ("tid", .uint(UInt64(h.tid))),
                  ("args", .object(members))])
        case .taskExit(let x):
            nameTrack(pid: h.pid, tid: h.tid)
            let members = context.exitMembers(x)
            let sig = x.status & 0x7f
            let label = sig == 0 ? "exited with \((x.status >> 8) & 0xff)" : "killed by \(SignalInfoPrinter.signalName(Int32(sig)))"
            emit([("name", .string(label)), ("cat", .string("exit")), ("ph", .string("i")), ("s", .string("t")),
                  ("ts", micros(h.timestamp)), ("pid", .uint(UInt64(h.pid))), ("tid", .uint(UInt64(h.tid))),
                  ("args", .object(members))])
        case .lost(let l):
            // A global instant at the hole, so the gap shows across every track.
            let at = l.firstTimestamp != 0 ? l.firstTimestamp : h.timestamp
            emit([("name", .string("cgtrace: \(l.records) events lost")), ("cat", .string("gap")), ("ph", .string("i")),
                  ("s", .string("g")), ("ts", micros(at)), ("pid", .uint(0)), ("tid", .uint(0)),
                  ("args", .object(Array(context.gapMembers(l).dropFirst(1))))])
        case .damaged(let d):
            emit([("name", .string("cgtrace: events lost (saved trace damaged)")), ("cat", .string("gap")), ("ph", .string("i")),
                  ("s", .string("g")), ("ts", micros(h.timestamp)), ("pid", .uint(0)), ("tid", .uint(0)),
                  ("args", .object(Array(context.damageMembers(d).dropFirst(1))))])
        case .exec(let x):
            // The thread's name changes with its program: a new thread_name event renames the track.
            named[x.header.tid] = nil
            if x.oldTid != x.header.tid { named[x.oldTid] = nil }
            namedProcesses.remove(h.pid)
        default:
            break
        }
    }

    public func finish(losses: TraceLosses) {
        if losses != TraceLosses() {
            emit([("name", .string("cgtrace: events lost")), ("ph", .string("i")), ("s", .string("g")),
                  ("ts", micros(lastTime)), ("pid", .uint(0)), ("tid", .uint(0)),
                  ("args", .object(context.lossMembers(losses)))])
        }
        output.write("\n]}\n")
        output.flush()
    }

    private func slice(_ c: consuming CompletedCall) {
        nameTrack(pid: c.pid, tid: c.tid)
        // Written straight into the buffer (the sink's), like the JSON lines' syscall events.
        sink.bytes.removeAll()
        if !first { sink.bytes.appendASCII(",\n") }
        first = false
        let start = c.startNs != 0 ? c.startNs : c.endNs
        sink.bytes.appendASCII("{\"name\":")
        let format = context.formats[c.number]
        sink.bytes.appendJSONString(format.name)
        sink.bytes.appendASCII(",\"cat\":\"syscall\",\"ph\":\"X\",\"ts\":")
        sink.bytes.appendFixed(Int64(clamping: start), scale: 3)
        sink.bytes.appendASCII(",\"dur\":")
        sink.bytes.appendFixed(Int64(clamping: c.endNs >= start ? c.endNs - start : 0), scale: 3)
        sink.bytes.appendASCII(",\"pid\":")
        sink.bytes.appendDecimal(UInt64(c.pid))
        sink.bytes.appendASCII(",\"tid\":")
        sink.bytes.appendDecimal(UInt64(c.tid))
        sink.bytes.appendASCII(",\"args\":{\"nr\":")
        sink.bytes.appendDecimal(Int64(c.number))
        sink.bytes.appendASCII(",\"args\":")
        let view = context.view(taking: &c)
        context.writeArguments(view, enterLost: c.enterLost, format: format, sink: sink)
        context.writeReturnMembers(view, ending: c.ending, format: format, scratch: scratch, sink: sink)
        sink.bytes.appendASCII(",\"state\":")
        sink.bytes.appendJSONString(c.ending.rawValue)
        context.writeNotes(enterLost: c.enterLost, sink: sink)
        sink.bytes.appendASCII("}}")
        output.write(sink.bytes.bytes)
    }

    private func nameTrack(pid: UInt32, tid: UInt32) {
        let comm = context.names.name(pid: pid, tid: tid)
        let name = "\(comm) \(pid)/\(tid)"
        if named[tid] != name {
            named[tid] = name
            emit([("name", .string("thread_name")), ("ph", .string("M")), ("pid", .uint(UInt64(pid))),
                  ("tid", .uint(UInt64(tid))), ("args", .object([("name", .string(name))]))])
        }
        if tid == pid && !namedProcesses.contains(pid) {
            namedProcesses.insert(pid)
            emit([("name", .string("process_name")), ("ph", .string("M")), ("pid", .uint(UInt64(pid))),
                  ("tid", .uint(UInt64(tid))), ("args", .object([("name", .string("\(comm) \(pid)"))]))])
        }
    }

    /// Microseconds with three decimals: the format's unit, keeping the nanoseconds.
    private func micros(_ ns: UInt64) -> JSONValue { .fixed(Int64(clamping: ns), scale: 3) }

    private func emit(_ members: [(String, JSONValue)]) {
        buffer.removeAll(keepingCapacity: true)
        if !first { buffer.append(contentsOf: ",\n".utf8) }
        first = false
        JSONValue.object(members).write(to: &buffer)
        output.write(buffer)
    }
}
