import Beautifiers
import CgtraceABI
import Decoder
import Formatters
import Glibc
import Launch
import Syscalls
import TraceFile

/// Output settings of `cgtrace dump` (and of `replay` of a dumped recording), the same as live
/// tracing's where they apply (-t/-tt/-ttt, -r, -T, -c/-C/-S, --thread-summary, --json).
public struct DumpOptions: Sendable {
    public var format = FormatOptions()
    /// Text, JSON, summaries: built as live tracing builds them.
    public var outputs = OutputPlan()
    /// -y: the dump shows fd paths; they exist only if the recording resolved them.
    public var wantsFdPaths = false
    /// -s; nil shows what the recording kept.
    public var stringLimit: Int?
    /// -o FILE; nil writes to stdout (a dump has no command sharing the terminal).
    public var outputPath: String?
    /// -e trace=: syscalls shown (nil: all recorded).
    public var traced: Set<Int>?
    /// --write FILE: save the dump as a saved trace (then text only with -o).
    public var savePath: String?
    /// `replay` of a saved dump: -e status=/-z/-Z, --latency and -P, applied in user space.
    public var statusFilter: UInt32 = 0
    public var minLatencyNs: UInt64 = 0
    public var paths: [String] = []

    public init() {}
}

/// A recording's records and everything said about them, from the pinned maps (`dump`) or
/// from a saved file (`replay`): both print through `render`, so they print the same.
struct RecordingView {
    var name: String
    var records: [Record]
    var rawRecords: [[UInt8]]
    var overwritten: UInt64
    var cut: Int
    var malformed: Int
    var lost: UInt64
    var trigger: TriggerReport?
    var triggerAfter: UInt64
    var commandPid: UInt32
    var stringLimitKept: Int
    var fdPaths: UInt32
    var clock: WallClock
    var targets: String
}

extension Recorder {
    /// Print a recording as strace would have printed it live, without disturbing it. Returns
    /// notes for stderr: what the dump could not show and why.
    public func dump(name: String, options: DumpOptions) throws(RecorderError) -> [String] {
        try RecordingStore.validate(name: name)
        try RecordingStore.requireRoot("cgtrace dump")
        let recording = try PinnedRecording(store: store, name: name)
        let replay = ReplayBuilder.build(cpus: try recording.snapshot(), slotsPerCPU: recording.slotsPerCPU)
        let view = RecordingView(name: name, records: replay.records, rawRecords: replay.rawRecords,
                                 overwritten: replay.overwritten, cut: replay.cut, malformed: replay.malformed,
                                 lost: recording.lost(), trigger: recording.triggerState().flatMap(TriggerReport.init),
                                 triggerAfter: UInt64(recording.info.trigger_after), commandPid: recording.info.command_pid,
                                 stringLimitKept: Int(recording.info.string_limit), fdPaths: recording.info.fd_paths,
                                 // Wall-clock times (-t, --json's ts) from this boot's monotonic stamps.
                                 clock: WallClock.sample(), targets: recording.targets)
        var notes: [String] = []
        if let path = options.savePath {
            try save(view, to: path)
            if options.outputPath == nil { return notes }
        }
        notes += try render(view, options: options, what: "recording '\(name)'")
        return notes
    }

    /// `dump --write FILE`: the records in dump order, with what `replay` needs to print them
    /// exactly as this dump would.
    func save(_ view: RecordingView, to path: String) throws(RecorderError) {
        var meta = SavedTraceMeta.common()
        meta["source"] = "recording"
        meta["name"] = view.name
        meta["targets"] = view.targets
        meta["command_pid"] = String(view.commandPid)
        meta["clock_offset_ns"] = String(view.clock.offsetNs)
        meta["string_limit"] = String(view.stringLimitKept)
        meta["fd_paths"] = String(view.fdPaths)
        meta["overwritten"] = String(view.overwritten)
        meta["cut"] = String(view.cut)
        if let t = view.trigger?.state {
            meta["trigger_after"] = String(view.triggerAfter)
            for (k, v) in [("kind", UInt64(t.fired)), ("stopped", UInt64(t.stopped)), ("pid", UInt64(t.pid)), ("tid", UInt64(t.tid)),
                           ("nr", UInt64(t.nr)), ("ts", t.ts), ("stop_ts", t.stop_ts), ("seq", t.seq), ("cpu", UInt64(t.cpu)),
                           ("dropped", t.dropped)] {
                meta["trigger_" + k] = String(v)
            }
            meta["trigger_value"] = String(t.value)
            meta["trigger_left"] = String(t.left)
        }
        do {
            let writer = try TraceFileWriter(path: path, meta: meta, syscalls: SavedTraceMeta.syscalls(table: formats.table))
            for r in view.rawRecords { writer.append(r) }
            try writer.finish(end: TraceFileFields([("lost", String(view.lost)), ("malformed", String(view.malformed))]))
        } catch {
            throw RecorderError(error.description)
        }
    }

    /// A saved recording's view (`replay` of a `dump --write` file).
    static func view(_ contents: TraceFileContents, formats: SyscallFormats, name: String) -> (RecordingView, skipped: Int) {
        let meta = contents.meta
        var records: [Record] = []
        var malformed = Int(contents.end?.int("malformed") ?? 0)
        var lastStamp: UInt64 = 0
        for index in 0...contents.records.count {
            // A damaged part's hole, where it was.
            for hole in contents.holes(before: index) { records.append(.damaged(contents.damagedPart(hole, after: lastStamp))) }
            if index == contents.records.count { break }
            do {
                let record = try RecordParser.decode(contents.records[index])
                lastStamp = max(lastStamp, record.header.timestamp)
                records.append(record)
            } catch {
                malformed += 1
            }
        }
        var trigger: TriggerReport?
        if let kind = meta.uint("trigger_kind"), kind != 0 {
            var s = cgt_trigger_state()
            s.fired = UInt32(truncatingIfNeeded: kind)
            s.stopped = UInt32(truncatingIfNeeded: meta.uint("trigger_stopped") ?? 0)
            s.pid = UInt32(truncatingIfNeeded: meta.uint("trigger_pid") ?? 0)
            s.tid = UInt32(truncatingIfNeeded: meta.uint("trigger_tid") ?? 0)
            s.nr = UInt32(truncatingIfNeeded: meta.uint("trigger_nr") ?? 0)
            s.value = Int32(truncatingIfNeeded: meta.int("trigger_value") ?? 0)
            s.ts = meta.uint("trigger_ts") ?? 0
            s.stop_ts = meta.uint("trigger_stop_ts") ?? 0
            s.seq = meta.uint("trigger_seq") ?? CGT_SEQ_WRITING
            s.cpu = UInt32(truncatingIfNeeded: meta.uint("trigger_cpu") ?? 0)
            s.dropped = meta.uint("trigger_dropped") ?? 0
            s.left = meta.int("trigger_left") ?? 0
            trigger = TriggerReport(s)
        }
        let view = RecordingView(name: meta["name"] ?? name, records: records, rawRecords: [],
                                 overwritten: meta.uint("overwritten") ?? 0, cut: Int(meta.int("cut") ?? 0),
                                 malformed: malformed, lost: contents.end?.uint("lost") ?? 0, trigger: trigger,
                                 triggerAfter: meta.uint("trigger_after") ?? 0,
                                 commandPid: UInt32(truncatingIfNeeded: meta.uint("command_pid") ?? 0),
                                 stringLimitKept: Int(meta.int("string_limit") ?? 32),
                                 fdPaths: UInt32(truncatingIfNeeded: meta.uint("fd_paths") ?? 0),
                                 clock: WallClock(offsetNs: meta.int("clock_offset_ns") ?? 0), targets: meta["targets"] ?? "")
        return (view, malformed)
    }

    /// Print a recording's view. Returns the notes for stderr.
    func render(_ view: RecordingView, options: DumpOptions, what: String) throws(RecorderError) -> [String] {
        var notes: [String] = []
        var format = options.format
        let kept = view.stringLimitKept
        format.stringLimit = options.stringLimit ?? kept
        if format.stringLimit > kept {
            notes.append("\(what) kept \(kept) bytes of strings (-s \(kept) at record time); -s \(format.stringLimit) shows no more")
            format.stringLimit = kept
        }
        // -ff -o PREFIX (replay): one file per thread; the header lines then go to stdout.
        let split = options.outputs.perTaskFiles && options.outputPath != nil
        let output: OutputFile
        if let path = options.outputPath, !split {
            do { output = try OutputFile.create(path: path) } catch {
                throw RecorderError("can't open '\(path)': \(String(cString: strerror(error.errno)))", exitCode: RecorderExit.usage)
            }
        } else {
            output = OutputFile(fd: 1)
        }

        if options.wantsFdPaths && view.fdPaths == 0 {
            notes.append("\(what) was made without -y: no fd paths to show (cgtrace record -y records them)")
        }
        format.clock = view.clock
        if view.overwritten > 0 {
            // Before the oldest event kept, where the gap is.
            if options.outputs.json {
                output.write("{\"type\":\"overwritten\",\"events\":\(view.overwritten)}\n")
            } else {
                output.write("--- \(view.overwritten) older events overwritten ---\n")
            }
        }
        let trigger = view.trigger
        if let trigger {
            if options.outputs.json {
                output.write(trigger.json(formats: formats, clock: format.clock, after: view.triggerAfter) + "\n")
            } else {
                output.write("--- cgtrace: " + trigger.text(formats: formats, clock: format.clock, after: view.triggerAfter) + " ---\n")
            }
        }
        let marksTrigger = trigger != nil && options.outputs.showsTrace && !options.outputs.perTaskFiles
        var outputs: CallOutput
        do {
            outputs = try options.outputs.build(formats: formats, format: format, main: split ? nil : output,
                                                filePrefix: split ? options.outputPath : nil, cgroupID: nil, errors: output)
        } catch {
            throw RecorderError("can't open '\(error.path)': \(String(cString: strerror(error.errno)))", exitCode: RecorderExit.usage)
        }
        if !options.paths.isEmpty { outputs = PathFilter(paths: options.paths, formats: formats, next: outputs) }
        if options.statusFilter != 0 || options.minLatencyNs != 0 {
            outputs = OutcomeFilter(status: options.statusFilter, minLatencyNs: options.minLatencyNs, next: outputs)
        }
        let pairing = CallPairing(formats: formats, next: outputs)
        let marker = options.outputs.json ? "{\"type\":\"trigger_event\"}\n" : "--- cgtrace: ^ the trigger ---\n"
        // An OOM kill is no record of ours: its mark goes where its time falls.
        var timeMark = marksTrigger && trigger?.state.seq == CGT_SEQ_WRITING ? trigger?.state.ts : nil
        let (records, fromHole) = shown(view.records, commandPid: view.commandPid, traced: options.traced)
        if fromHole { notes.append("\(what): \(Self.startInHole)") }
        for record in records {
            if let t = timeMark, record.header.timestamp > t {
                output.write(options.outputs.json ? marker : "--- cgtrace: the trigger (OOM kill) ---\n")
                timeMark = nil
            }
            let fired = marksTrigger && record.header.flags & UInt16(CGT_HDRF_TRIGGER.rawValue) != 0
            pairing.handle(record)
            if fired { output.write(marker) }
        }
        let damaged = view.records.reduce(0) { n, r in if case .damaged = r { n + 1 } else { n } }  // (all shown)
        pairing.finish(losses: TraceLosses(lostRecords: view.lost, malformedRecords: UInt64(view.malformed),
                                           truncatedCaptures: UInt64(view.cut), damagedParts: UInt64(damaged)))
        output.flush()
        if output.failed != 0 && output.failed != EPIPE {
            throw RecorderError("writing the dump: \(String(cString: strerror(output.failed)))")
        }

        if view.cut > 0 {
            notes.append("\(view.cut) records were longer than a \(CGT_SLOT_SIZE)-byte slot; their last captures are missing")
        }
        if view.malformed > 0 { notes.append("\(view.malformed) malformed records skipped") }
        if view.lost > 0 { notes.append("\(view.lost) events could not be stored by the kernel") }
        return notes
    }

    /// The records a dump prints. For a recording that started its command, that command's
    /// own calls between clone and execve are cgtrace's, not the command's: as live tracing,
    /// show it from its execve on (when that execve is still in the recording).
    /// `fromHole`: shown from a hole before the start found rather than from that start.
    func shown(_ records: [Record], commandPid: UInt32, traced: Set<Int>?) -> (records: [Record], fromHole: Bool) {
        let commandStart = CommandStart(pid: commandPid, table: formats.table)
        var start = 0
        var fromHole = false
        if commandPid != 0, let first = records.firstIndex(where: commandStart.isStart) {
            // A hole before it (a damaged saved recording) may have held the real start (the
            // one found may be a later exec): shown from the hole, as a saved run's replay does.
            start = records[..<first].firstIndex { if case .damaged = $0 { true } else { false } } ?? first
            fromHole = start != first
        }
        // An exit whose entry was overwritten: the dump's first line already says how many
        // events are gone, so it prints as a call caught mid-way (`<... read resumed>`), not as
        // the ring's `<entry lost>` (nothing was lost in transit).
        // After a hole in a damaged saved recording, an exit whose entry is unknown may have lost
        // it there: it prints as at any hole (`<entry lost>`).
        var entered: Set<UInt64> = []
        var afterHole = false
        return (records.enumerated().compactMap { i, r -> Record? in
            if i < start && r.header.tid == commandPid { return nil }
            switch r {
            case .enter(let e): entered.insert(UInt64(e.header.tid) << 32 | UInt64(e.call))
            case .exit(var x) where !afterHole && x.call != 0 && !entered.contains(UInt64(x.header.tid) << 32 | UInt64(x.call)):
                x.call = 0
                return .exit(x)
            case .damaged: afterHole = true
            default: break
            }
            if let traced {
                switch r {
                case .enter(let e) where !traced.contains(e.number): return nil
                case .exit(let x) where !traced.contains(x.number): return nil
                default: break
                }
            }
            return r
        }, fromHole)
    }
}
