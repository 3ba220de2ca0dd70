import Beautifiers
import CgtraceABI
import Decoder
import Formatters
import Glibc
import Syscalls

/// Output settings of `cgtrace dump`, the same as live tracing's where they apply
/// (-t/-tt/-ttt, -r, -T, -c/-C/-S, --thread-summary, --json).
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

    public init() {}
}

extension Recorder {
    /// Print a recording as strace would have printed it live, without disturbing it. Returns
    /// notes for stderr: what the dump could not show and why.
    public func dump(name: String, options: DumpOptions) throws(RecorderError) -> [String] {
        try RecordingStore.validate(name: name)
        try RecordingStore.requireRoot("cgtrace dump")
        let recording = try PinnedRecording(store: store, name: name)
        let replay = ReplayBuilder.build(cpus: try recording.snapshot(), slotsPerCPU: recording.slotsPerCPU)

        var notes: [String] = []
        var format = options.format
        let kept = Int(recording.info.string_limit)
        format.stringLimit = options.stringLimit ?? kept
        if format.stringLimit > kept {
            notes.append("recording '\(name)' kept \(kept) bytes of strings (-s \(kept) at record time); -s \(format.stringLimit) shows no more")
            format.stringLimit = kept
        }
        let output: OutputFile
        if let path = options.outputPath {
            do { output = try OutputFile.create(path: path) } catch {
                throw RecorderError("can't open '\(path)': \(String(cString: strerror(error.errno)))", exitCode: RecorderExit.usage)
            }
        } else {
            output = OutputFile(fd: 1)
        }

        if options.wantsFdPaths && recording.info.fd_paths == 0 {
            notes.append("recording '\(name)' was made without -y: no fd paths to show (cgtrace record -y records them)")
        }
        // Wall-clock times (-t, --json's ts) from this boot's monotonic stamps.
        format.clock = WallClock.sample()
        if replay.overwritten > 0 {
            // Before the oldest event kept, where the gap is.
            if options.outputs.json {
                output.write("{\"type\":\"overwritten\",\"events\":\(replay.overwritten)}\n")
            } else {
                output.write("--- \(replay.overwritten) older events overwritten ---\n")
            }
        }
        let trigger = recording.triggerState().flatMap(TriggerReport.init)
        if let trigger {
            let after = UInt64(recording.info.trigger_after)
            if options.outputs.json {
                output.write(trigger.json(formats: formats, clock: format.clock, after: after) + "\n")
            } else {
                output.write("--- cgtrace: " + trigger.text(formats: formats, clock: format.clock, after: after) + " ---\n")
            }
        }
        let marksTrigger = trigger != nil && options.outputs.showsTrace && !options.outputs.perTaskFiles
        let outputs: TraceOutput
        do {
            outputs = try options.outputs.build(formats: formats, format: format, main: output, filePrefix: nil,
                                                cgroupID: nil, errors: output)
        } catch {
            throw RecorderError("can't open '\(error.path)': \(String(cString: strerror(error.errno)))", exitCode: RecorderExit.usage)
        }
        let marker = options.outputs.json ? "{\"type\":\"trigger_event\"}\n" : "--- cgtrace: ^ the trigger ---\n"
        // An OOM kill is no record of ours: its mark goes where its time falls.
        var timeMark = marksTrigger && trigger?.state.seq == CGT_SEQ_WRITING ? trigger?.state.ts : nil
        for record in shown(replay.records, commandPid: recording.info.command_pid, traced: options.traced) {
            if let t = timeMark, record.header.timestamp > t {
                output.write(options.outputs.json ? marker : "--- cgtrace: the trigger (OOM kill) ---\n")
                timeMark = nil
            }
            let fired = marksTrigger && record.header.flags & UInt16(CGT_HDRF_TRIGGER.rawValue) != 0
            outputs.handle(record)
            if fired { output.write(marker) }
        }
        outputs.finish(losses: TraceLosses(lostRecords: recording.lost(), malformedRecords: UInt64(replay.malformed),
                                           truncatedCaptures: UInt64(replay.cut)))
        output.flush()
        if output.failed != 0 && output.failed != EPIPE {
            throw RecorderError("writing the dump: \(String(cString: strerror(output.failed)))")
        }

        if replay.cut > 0 {
            notes.append("\(replay.cut) records were longer than a \(CGT_SLOT_SIZE)-byte slot; their last captures are missing")
        }
        if replay.malformed > 0 { notes.append("\(replay.malformed) malformed records skipped") }
        let lost = recording.lost()
        if lost > 0 { notes.append("\(lost) events could not be stored by the kernel") }
        return notes
    }

    /// The records a dump prints. For a recording that started its command, that command's
    /// own calls between clone and execve are cgtrace's, not the command's: as live tracing,
    /// show it from its execve on (when that execve is still in the recording).
    func shown(_ records: [Record], commandPid: UInt32, traced: Set<Int>?) -> [Record] {
        let execve = formats.table.number(named: "execve") ?? 59
        let execveat = formats.table.number(named: "execveat") ?? 322
        var start = 0
        if commandPid != 0, let first = records.firstIndex(where: { r in
            guard r.header.tid == commandPid else { return false }
            switch r {
            case .enter(let e): return e.number == execve || e.number == execveat
            case .exec: return true
            default: return false
            }
        }) {
            start = first
        }
        return records.enumerated().compactMap { i, r in
            if i < start && r.header.tid == commandPid { return nil }
            if let traced {
                switch r {
                case .enter(let e) where !traced.contains(e.number): return nil
                case .exit(let x) where !traced.contains(x.number): return nil
                default: break
                }
            }
            return r
        }
    }
}
