import Beautifiers
import CgtraceABI
import Decoder
import Formatters
import Glibc
import Syscalls

/// Output settings of `cgtrace dump`, the same as live tracing's where they apply.
/// (-y, -T, -tt and --json join here as FormatOptions grows them.)
public struct DumpOptions: Sendable {
    public var format = FormatOptions()
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

        if replay.overwritten > 0 {
            output.write("--- \(replay.overwritten) older events overwritten ---\n")
        }
        let formatter = StraceFormatter(formats: formats, options: format, output: output)
        for record in shown(replay.records, commandPid: recording.info.command_pid, traced: options.traced) {
            formatter.handle(record)
        }
        formatter.finish()
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
