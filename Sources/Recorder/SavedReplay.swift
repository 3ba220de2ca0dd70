import Beautifiers
import CgtraceABI
import Decoder
import Formatters
import Glibc
import Launch
import Symbolizer
import Syscalls
import TraceFile

/// `cgtrace replay FILE [options]`: the output options of live tracing, applied to a saved trace.
/// The options are live tracing's, as parsed for it; the ones a replay applies are these.
public struct ReplayRequest: Sendable {
    public var format = FormatOptions()
    /// --json, -c/-C, --perfetto, -ff…
    public var outputs = OutputPlan()
    /// -o FILE; nil writes to stdout.
    public var outputPath: String?
    /// -f was given (with -o: strace's `PID ` line prefix).
    public var followFlag = false
    /// -e trace=: syscall numbers shown (nil: all that were saved).
    public var traced: Set<Int>?
    /// -e status= / -z / -Z (CGT_STATUS_* bits) and --latency.
    public var statusFilter: UInt32 = 0
    public var minLatencyNs: UInt64 = 0
    /// -P PATH: only calls touching these paths.
    public var paths: [String] = []
    /// -k: each call's user stack (when the trace was saved with it).
    public var stackTrace = false
    /// -s was given (otherwise: what was captured).
    public var stringLimitGiven = false
    public var wantsFdPaths = false

    public init() {}
}

extension Recorder {
    /// Print a saved trace as the run (or dump) that wrote it printed it, with `request`'s
    /// options. Returns notes for stderr: damage skipped, what the options cannot show, losses.
    public func replay(path: String, request: ReplayRequest) throws(RecorderError) -> [String] {
        let contents: TraceFileContents
        do { contents = try TraceFileReader.read(path: path) } catch {
            throw RecorderError(error.description)
        }
        let meta = contents.meta
        if let why = SavedTraceMeta.undecodable(meta, name: path) { throw RecorderError(why) }
        var notes = contents.skipped.map { "\(path): \($0)" }
        let differing = contents.syscalls.filter { formats.table[$0.0]?.name != $0.1 }
        if !differing.isEmpty {
            notes.append("\(path): \(differing.count) syscall numbers have other names here than where it was saved (first: \(differing[0].0) \(differing[0].1)); decoded with this cgtrace's table")
        }
        let options = request
        if meta["source"] == "recording" {
            var dump = DumpOptions()
            dump.format = options.format
            dump.outputs = options.outputs
            dump.outputPath = options.outputPath
            dump.traced = options.traced
            dump.wantsFdPaths = request.wantsFdPaths
            dump.stringLimit = request.stringLimitGiven ? options.format.stringLimit : nil
            dump.statusFilter = options.statusFilter
            dump.minLatencyNs = options.minLatencyNs
            dump.paths = options.paths
            if options.stackTrace { notes.append("'\(path)' is a recording: recordings keep no stacks, -k shows none") }
            let (view, _) = Self.view(contents, formats: formats, name: path)
            return notes + (try render(view, options: dump, what: "'\(path)'"))
        }
        return notes + (try replayLive(contents, path: path, request: request))
    }

    /// A saved live run: the same start (CommandStart), filters and decoding as the live run's RecordPump.
    func replayLive(_ contents: TraceFileContents, path: String, request: ReplayRequest) throws(RecorderError) -> [String] {
        let meta = contents.meta
        let options = request
        var notes: [String] = []
        var format = options.format
        let captured = Int(meta.int("string_limit") ?? 32)
        if request.stringLimitGiven {
            if format.stringLimit > captured {
                notes.append("'\(path)' kept \(captured) bytes of strings (-s \(captured) when saved); -s \(format.stringLimit) shows no more")
                format.stringLimit = captured
            }
        } else {
            format.stringLimit = captured
        }
        if request.wantsFdPaths && (meta.int("fd_paths") ?? 0) == 0 {
            notes.append("'\(path)' was saved without -y: no fd paths to show")
        }
        if options.stackTrace && (meta.int("stack_bytes") ?? 0) == 0 {
            notes.append("'\(path)' was saved without -k: no stacks to show")
        }
        if options.outputPath != nil && options.followFlag { format.pidPrefix = .always }
        format.detachesAtEnd = meta["source"] == "attached"
        format.clock = WallClock(offsetNs: meta.int("clock_offset_ns") ?? 0)

        let errors = OutputFile(fd: 2, flushAt: 0)
        let split = options.outputs.perTaskFiles && options.outputPath != nil
        var main: OutputFile?
        if !split {
            if let p = options.outputPath {
                do { main = try OutputFile.create(path: p) } catch {
                    throw RecorderError("can't open '\(p)': \(String(cString: strerror(error.errno)))", exitCode: RecorderExit.usage)
                }
            } else {
                main = OutputFile(fd: 1)
            }
        }
        var outputs: CallOutput
        do {
            outputs = try options.outputs.build(formats: formats, format: format, main: main, filePrefix: options.outputPath,
                                                cgroupID: meta.uint("cgroup_id") ?? 0, errors: errors)
        } catch {
            throw RecorderError("can't open '\(error.path)': \(String(cString: strerror(error.errno)))", exitCode: RecorderExit.usage)
        }
        if !options.paths.isEmpty { outputs = PathFilter(paths: options.paths, formats: formats, next: outputs) }
        // The kernel already applied the run's own -e status=/--latency: held again here, each
        // entry would move to its exit and two threads' calls that the live run showed
        // interleaved (unfinished, resumed) would replay whole. Only a filter the run did not
        // have is applied.
        let appliedLive = (meta.uint("status_filter") ?? 0) == UInt64(options.statusFilter)
            && (meta.uint("min_latency_ns") ?? 0) == options.minLatencyNs
        if !appliedLive && (options.statusFilter != 0 || options.minLatencyNs != 0) {
            outputs = OutcomeFilter(status: options.statusFilter, minLatencyNs: options.minLatencyNs, next: outputs)
        }
        let pairing = CallPairing(formats: formats, next: outputs)

        let symbolizer: Symbolizer? = options.stackTrace ? Symbolizer() : nil
        symbolizer?.readsLiveProcesses = false
        let commandPid = UInt32(truncatingIfNeeded: meta.uint("command_pid") ?? 0)
        var start = CommandStart(pid: commandPid, table: formats.table, started: meta["source"] != "command" || commandPid == 0)
        var malformed = 0
        var mappings = contents.mappings[...]
        // The damaged parts' holes, each where it was among the records. One before the
        // command's start may have held it: waiting for an execve would print nothing at all, or
        // hide everything up to a later one (a wrapper's exec). What is intact is shown from the
        // hole on.
        var shownHoles: UInt64 = 0
        var lastStamp: UInt64 = 0
        func markHoles(before index: Int) {
            for hole in contents.holes(before: index) {
                if !start.started {
                    start = CommandStart(pid: commandPid, table: formats.table, started: true)
                    notes.append("\(path): \(Self.startInHole)")
                }
                shownHoles += 1
                pairing.handle(.damaged(contents.damagedPart(hole, after: lastStamp)))
            }
        }
        for (index, bytes) in contents.records.enumerated() {
            markHoles(before: index)
            // Mappings read from /proc while the record before this one was handled.
            while let m = mappings.first, m.before <= index + 1 {
                mappings = mappings.dropFirst()
                guard let symbolizer else { continue }
                let files = contents.mappings.filter { $0.before == m.before && $0.pid == m.pid }
                if files.first.map({ $0 == m }) ?? false {
                    symbolizer.adoptMappings(pid: m.pid, files: files.map { SavedMapping(path: $0.path, start: $0.start, fileOffset: $0.fileOffset, inode: $0.inode) })
                }
            }
            if bytes.count >= 2, UInt16(bytes[0]) | UInt16(bytes[1]) << 8 == MappingRecord.recordType {
                // -k's reports of mapped files feed the symbolizer only.
                if let symbolizer {
                    do {
                        if let m = try bytes.withUnsafeBytes({ raw throws(DecodeError) in try MappingRecord.decode(raw) }) {
                            symbolizer.noteMapping(m)
                        }
                    } catch {
                        malformed += 1
                    }
                }
                continue
            }
            var record: Record
            do { record = try RecordParser.decode(bytes) } catch {
                malformed += 1
                continue
            }
            lastStamp = max(lastStamp, record.header.timestamp)
            if let symbolizer, case .fork(let f) = record { symbolizer.noteFork(parent: f.header.pid, child: f.childPid) }
            // What the kernel would have left out with these options.
            if let traced = options.traced {
                switch record {
                case .enter(let e) where !traced.contains(e.number): continue
                case .exit(let x) where !traced.contains(x.number): continue
                default: break
                }
            }
            guard start.admits(record) else { continue }
            if let symbolizer, case .enter(var e) = record, let snapshot = e.stackSnapshot {
                e.stack = symbolizer.frames(pid: e.header.pid, snapshot: snapshot)
                record = .enter(e)
            }
            let groupExit: UInt32? = if case .taskExit(let x) = record, x.groupDead { x.header.pid } else { nil }
            pairing.handle(record)
            if let symbolizer, let groupExit { symbolizer.processExited(groupExit) }
        }
        markHoles(before: contents.records.count)
        let end = contents.end
        let lost = end?.uint("lost") ?? 0
        let truncated = end?.uint("truncated") ?? 0
        pairing.finish(losses: TraceLosses(lostRecords: lost, malformedRecords: UInt64(malformed), truncatedCaptures: truncated,
                                           damagedParts: shownHoles))
        main?.flush()
        if let m = main, m.failed != 0 && m.failed != EPIPE {
            throw RecorderError("writing the replay: \(String(cString: strerror(m.failed)))")
        }
        // As the live run reported them.
        if lost > 0 { notes.append("\(lost) events lost") }
        if truncated > 0 { notes.append("\(truncated) captures cut at the record size limit") }
        if malformed > 0 { notes.append("\(malformed) malformed records skipped") }
        return notes
    }
}

/// -e status=, -z, -Z, --latency on a saved trace or a dump: what the kernel does with them
/// live (hold each entry until its call's outcome is known, then show the call or nothing),
/// done here between the pairing stage and the outputs: a call's start is not passed on, so it
/// prints whole when it ends.
final class OutcomeFilter: CallOutput {
    private let status: UInt32
    private let minLatencyNs: UInt64
    private let next: CallOutput

    init(status: UInt32, minLatencyNs: UInt64, next: CallOutput) {
        self.status = status
        self.minLatencyNs = minLatencyNs
        self.next = next
    }

    func callEntered(_ header: RecordHeader, calls: OpenCalls) {}

    func callEnded(_ call: consuming CompletedCall) {
        guard let x = call.exit else {
            // Its task died in it (the kernel holds no exit to measure): only `unfinished` shows it.
            if call.ending == .killed && status & CGT_STATUS_UNFINISHED.rawValue != 0 { next.callEnded(call) }
            // A call whose exit was lost, or still open when the recording ends, has no outcome.
            return
        }
        let outcome = x.killed ? CGT_STATUS_UNFINISHED.rawValue
            : call.failed ? CGT_STATUS_FAILED.rawValue : CGT_STATUS_SUCCESSFUL.rawValue
        // The latency the kernel measures: from the exit's own enter stamp.
        let took = x.enterTimestamp != 0 && x.header.timestamp > x.enterTimestamp ? x.header.timestamp - x.enterTimestamp : 0
        guard status == 0 || status & outcome != 0, minLatencyNs == 0 || took >= minLatencyNs else { return }
        next.callEnded(call)
    }

    func other(_ record: consuming Record) { next.other(record) }
    func finish(losses: TraceLosses) { next.finish(losses: losses) }
}

extension Recorder {
    /// The note of a saved trace shown from a hole before its command's start.
    static let startInHole = "the command's start (its execve) is not among the intact records before this damage, so it may have been in a damaged part; shown from there"
}

extension TraceFileContents {
    /// A hole as the outputs mark it: at `lastStamp`, the newest time of the records before it,
    /// or, with none before it, at the time of the first record after it that decodes.
    func damagedPart(_ hole: Hole, after lastStamp: UInt64) -> DamagedPart {
        var at = lastStamp
        if at == 0 {
            for bytes in records[hole.beforeRecord...] {
                if let record = try? RecordParser.decode(bytes) { at = record.header.timestamp; break }
            }
        }
        return DamagedPart(fileOffset: hole.byte, bytes: hole.bytes, at: at)
    }
}
