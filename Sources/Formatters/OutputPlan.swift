import Beautifiers
import Decoder

/// Which outputs a run produces, as the command line chose them.
public struct OutputPlan: Sendable {
    /// --json: JSON lines instead of strace text.
    public var json = false
    /// -c: only the summary table; -C: the trace and then the table.
    public var summaryOnly = false
    public var summaryWithTrace = false
    public var summarySort = SummarySort.time
    /// --thread-summary: per-thread table and latency histograms at the end.
    public var threadSummary = false
    /// --perfetto FILE.
    public var perfettoPath: String?
    /// -ff with -o: one file per thread, PREFIX.TID.
    public var perTaskFiles = false

    public init() {}

    /// --write FILE without -o: the trace goes to the file only, not as text.
    public var traceHidden = false

    public var showsTrace: Bool { !summaryOnly && !traceHidden }

    /// Whether anything this plan writes shows a time or a duration. Plain strace text without
    /// -t/-r/-T does not, and the kernel then skips reading the clock.
    public func needsTimes(_ format: FormatOptions) -> Bool {
        json || summaryOnly || summaryWithTrace || traceHidden || threadSummary || perfettoPath != nil
            || format.timestamps != .none || format.relativeTimestamps || format.showDurations
    }

    /// Assemble the outputs, to be fed by a `CallPairing` (with any filters in between). `main`
    /// is stderr or the -o file (nil with -ff, where each task gets its own file); summaries go
    /// to `main`, or to `errors` when the main stream is JSON or split per task, so the JSON
    /// stays one object per line.
    public func build(formats: SyscallFormats, format: FormatOptions, main: OutputFile?, filePrefix: String?,
                      cgroupID: UInt64?, errors: OutputFile) throws(OutputError) -> CallOutput {
        let names = TaskNames(namespacesFromProc: format.namespacePidsFromProc)
        let context = EventContext(formats: formats, clock: format.clock, names: names, cgroupID: cgroupID,
                                   stringLimit: format.stringLimit, fdDetails: format.fdDetails)
        let json = self.json
        var outputs: [CallOutput] = []
        if showsTrace {
            if perTaskFiles, let prefix = filePrefix {
                var own = format
                own.pidPrefix = .never
                // one memory of sockets for all the files, as strace has one
                let sockets = SocketTextCache()
                outputs.append(PerTaskFiles(prefix: prefix, errors: errors) { file -> CallOutput in
                    if json { return JSONLinesFormatter(context: context, output: file) }
                    return StraceFormatter(formats: formats, options: own, output: file, sockets: sockets)
                })
            } else if let main {
                if json {
                    outputs.append(JSONLinesFormatter(context: context, output: main))
                } else {
                    outputs.append(StraceFormatter(formats: formats, options: format, output: main))
                }
            }
        }
        if let path = perfettoPath {
            outputs.append(PerfettoWriter(context: context, output: try OutputFile.create(path: path)))
        }
        let summaryOutput = (json || main == nil) ? errors : main!
        if summaryOnly || summaryWithTrace {
            outputs.append(SyscallSummary(formats: formats, output: summaryOutput, sort: summarySort))
        }
        if threadSummary {
            outputs.append(ThreadSummary(formats: formats, names: names, output: summaryOutput))
        }
        return outputs.count == 1 ? outputs[0] : FanOut(outputs)
    }
}
