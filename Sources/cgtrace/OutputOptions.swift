import Beautifiers
import Formatters
import Tracer

/// The options that choose what the trace looks like and where it goes (-t -r -T -X -v -c -C -w
/// -S --json --perfetto --thread-summary -ff --decode-pids), checked and applied to the session's options.
func applyOutputOptions(_ parsed: ParsedCommandLine, to options: inout TraceOptions) throws(UsageError) {
    switch parsed.count(short: "t") {
    case 0: break
    case 1: options.format.timestamps = .seconds
    case 2: options.format.timestamps = .microseconds
    default: options.format.timestamps = .epoch
    }
    options.format.relativeTimestamps = parsed.has("relative-timestamps")
    options.format.showDurations = parsed.has("syscall-times")
    if let style = parsed.last(short: "X") {
        guard let s = ConstantStyle(rawValue: style) else { throw UsageError("invalid -X argument: '\(style)' (raw, abbrev or verbose)") }
        options.format.constantStyle = s
    }
    if parsed.has("no-abbrev") { options.format.verbose = true }
    // --decode-pids=pidns (also in a list: comm,pidns): pids as their own namespace sees them.
    // The whole list is checked, and comm applied, with strace 6's options (StraceOptions.swift).
    for use in parsed.uses(long: "decode-pids") {
        if let set = use, try parseDecodePids(set).contains(.pidns) { options.format.pidsInNamespace = true }
    }

    var plan = OutputPlan()
    plan.json = parsed.has("json")
    plan.summaryOnly = parsed.has("summary-only") && !parsed.has("summary")
    plan.summaryWithTrace = parsed.has("summary")
    if let key = parsed.last(short: "S") {
        guard let sort = SummarySort(strace: key) else {
            throw UsageError("invalid sortby: '\(key)' (time, min-time, max-time, avg-time, calls, errors, name, nothing)")
        }
        plan.summarySort = sort
    }
    plan.threadSummary = parsed.has("thread-summary")
    if let path = parsed.last(long: "perfetto") {
        guard !path.isEmpty else { throw UsageError("--perfetto needs a file name") }
        if path == options.outputPath { throw UsageError("--perfetto and -o name the same file '\(path)'") }
        plan.perfettoPath = path
    }
    // strace: -ff splits the output per task only when there is an -o name to prefix.
    plan.perTaskFiles = parsed.count(short: "f") >= 2 && options.outputPath != nil
    if plan.json && plan.summaryOnly {
        throw UsageError("-c prints only the summary table, which is text; use -C with --json for both")
    }
    options.outputs = plan
}
