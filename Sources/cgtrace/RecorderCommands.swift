import Formatters
import Beautifiers
import CgtraceABI
import Glibc
import Launch
import Recorder
import Syscalls
import Tracer

/// The flight recorder's subcommands: `record`, `dump`, `list`, `stop`. A first word naming one
/// of them selects it (to trace a program of that name, write `cgtrace -- record …`).
enum RecorderCommandLine {
    static let subcommands: Set<String> = ["record", "dump", "list", "stop", "replay"]

    /// Live tracing's own option, where the recorder takes it with the same meaning.
    static func shared(_ long: String) -> OptionSpec {
        guard let spec = OptionTable.all.first(where: { $0.long == long }) else { preconditionFailure("no option --\(long)") }
        return spec
    }

    static let recordOptions: [OptionSpec] = [
        OptionSpec(short: nil, long: "cgroup", value: "PATH|ID", help: "record a cgroup v2 directory (absolute, or relative to the cgroup mount; a number is a cgroup id) and its sub-cgroups; repeatable"),
        shared("cgroup-id"), shared("container"), shared("unit"),
        OptionSpec(short: "p", long: "attach-pid", value: "PID[,PID…]", help: "record running processes and what they start from now on"),
        OptionSpec(short: nil, long: "size", value: "N", help: "keep the last N events per CPU (default 4096), or with K/M/G, that many bytes per CPU"),
        OptionSpec(short: "s", long: "string-limit", value: "N", help: "keep at most N bytes of strings and buffers (default 32)"),
        OptionSpec(short: "e", long: nil, value: "EXPR", help: "record only trace=EXPR (strace's syntax, filtered in the kernel)"),
        OptionSpec(short: "y", long: "decode-fds", value: nil, help: "resolve fds to paths in the kernel at call time (-yy: and socket endpoints), so dumps show them"),
        OptionSpec(short: nil, long: "trigger", value: "SPEC", help: "stop overwriting a while after an incident: signal=SIGSEGV,… exit=nonzero errno=ENOSPC,… [syscall=NAME,…] oom; repeatable"),
        OptionSpec(short: nil, long: "after", value: "N", help: "with --trigger: events kept after the incident, all CPUs together (default: a quarter of --size)"),
        OptionSpec(short: nil, long: "rearm", value: nil, help: "record --rearm NAME: forget a fired trigger and record again"),
        OptionSpec(short: nil, long: "debug", value: nil, help: "show libbpf and verifier messages"),
        OptionSpec(short: "h", long: "help", value: nil, help: "show this help"),
    ]
    static let dumpOptions: [OptionSpec] = [
        OptionSpec(short: "o", long: "output", value: "FILE", help: "write the dump to FILE instead of stdout"),
        OptionSpec(short: "s", long: "string-limit", value: "N", help: "show at most N bytes of strings (at most what was recorded)"),
        OptionSpec(short: "e", long: nil, value: "EXPR", help: "show only trace=EXPR"),
        OptionSpec(short: "y", long: "decode-fds", value: nil, help: "show fd paths (the recording must have been made with -y)"),
        shared("absolute-timestamps"), shared("relative-timestamps"), shared("syscall-times"),
        shared("summary-only"), shared("summary"), shared("summary-sort-by"), shared("summary-wall-clock"),
        shared("thread-summary"), shared("json"), shared("const-print-style"), shared("no-abbrev"), shared("decode-pids"),
        OptionSpec(short: nil, long: "write", value: "FILE", help: "save the dump to FILE for `cgtrace replay` (the text then only with -o)"),
        OptionSpec(short: "h", long: "help", value: nil, help: "show this help"),
    ]
    /// Live tracing's output options; the ones that need the kernel are refused.
    static let replayOptions: [OptionSpec] = OptionTable.all.filter { spec in
        !["cgroup", "cgroup-id", "container", "attach-pid", "no-descendants", "user", "buffer-size", "attach", "stats", "write", "version"]
            .contains(spec.long ?? "")
    }
    static let plainOptions: [OptionSpec] = [
        OptionSpec(short: "h", long: "help", value: nil, help: "show this help"),
    ]

    /// Each subcommand's options (also what shell completion offers).
    static func options(_ subcommand: String) -> [OptionSpec] {
        switch subcommand {
        case "record": return recordOptions
        case "dump": return dumpOptions
        case "replay": return replayOptions
        default: return plainOptions
        }
    }

    static let usage = """
    usage: cgtrace record NAME [--size N] [-s N] [-e trace=…] [-y] [--trigger SPEC [--after N]]
                  (--cgroup PATH|ID | --container ID|NAME | --unit NAME | -p PID … | [--] COMMAND [ARGS…])
           cgtrace record --rearm NAME
           cgtrace dump NAME [-o FILE] [-s N] [-e trace=…] [-y] [-t|-tt|-ttt] [-r] [-T] [-c|-C] [--json] [--decode-pids=pidns]
           cgtrace list
           cgtrace stop NAME
           cgtrace replay FILE [-o FILE] [-s N] [-e …] [-y] [-k] [-t…] [-T] [-c|-C] [--json] [-ff] …

    The flight recorder keeps the last system calls of a cgroup in the kernel, with no cgtrace
    process running, until `cgtrace stop`. `dump` prints them as strace would have.

    Examples:
      cgtrace record web --cgroup system.slice/nginx.service
      cgtrace record job --size 64K -- ./batch.sh     start ./batch.sh in a new cgroup and record it
      cgtrace record db --container web -y          a container (by name or id prefix), with fd paths
      cgtrace record crash --trigger signal=SIGSEGV,SIGABRT --cgroup app.slice   keep the moment of a crash
      cgtrace record disk --trigger 'errno=ENOSPC syscall=write,pwrite64' -- ./job
      cgtrace dump web -e trace=openat,connect -tt -T
      cgtrace stop web

    """

    static func help(_ specs: [OptionSpec]) -> String {
        usage + "Options:\n" + OptionTable.optionLines(specs)
    }
}

func recorderFail(_ error: RecorderError) -> Never {
    fail(error.description, error.exitCode)
}

/// Run a recorder subcommand if `args` starts with one; nil otherwise (live tracing).
func runRecorderCommand(_ args: [String]) -> Int32? {
    guard let sub = args.first, RecorderCommandLine.subcommands.contains(sub) else { return nil }
    usageHelp = "cgtrace \(sub) -h"
    let rest = Array(args.dropFirst())
    let specs = RecorderCommandLine.options(sub)
    // NAME comes first (for record it must: the words after the options are the command).
    var name: String?
    var toParse = rest
    if let first = rest.first, !first.hasPrefix("-"), sub != "list" {
        name = first
        toParse = Array(rest.dropFirst())
    }
    let parsed: ParsedCommandLine
    do { parsed = try CommandLineParser.parse(toParse, specs: specs) } catch { usageFail(error.description) }
    if parsed.has("help") {
        print(RecorderCommandLine.help(specs), terminator: "")
        return 0
    }
    // A Ctrl-C while a recording is being made waits, so that it is removed, not left half made
    // (blocked before any thread starts; Recorder.record takes it before it commits).
    if sub == "record" { HandledSignals.block() }
    // Recording and dumping decode alike: the same kernel's declarations and BTF layouts.
    let formats = KernelDescription.read().formats
    let recorder = Recorder(formats: formats)
    func stringLimit() -> Int? {
        guard let s = parsed.last(short: "s") else { return nil }
        guard let n = Int(s), n >= 0, n <= 8000 else { usageFail("invalid -s argument: '\(s)' (a number from 0 to 8000)") }
        return n
    }
    func traced() -> Set<Int>? {
        var result: Set<Int>?
        do throws(UsageError) {
            for expr in parsed.value(short: "e") { result = try parseTraceExpression(expr, table: formats.table) }
        } catch {
            usageFail(error.description)
        }
        return result
    }
    /// dump and stop: exactly one NAME, before or after the options.
    func singleName() -> String {
        let words = (name.map { [$0] } ?? []) + parsed.command
        guard words.count == 1 else {
            usageFail(words.isEmpty ? "\(sub) needs \(sub == "replay" ? "a saved trace FILE" : "a recording NAME")" : "unexpected argument '\(words[1])'")
        }
        return words[0]
    }

    do throws(RecorderError) {
        switch sub {
        case "record" where parsed.has("rearm"):
            if let note = try recorder.rearm(name: singleName()) { warn(note) }
            return 0
        case "record":
            guard let name else { usageFail("record needs a recording NAME first") }
            var spec = RecordingSpec(name: name)
            spec.targets = targetSpecs(parsed)
            spec.fdPaths = UInt32(min(parsed.count(short: "y"), 2))
            spec.command = parsed.command
            if let size = parsed.values.last(where: { $0.0.long == "size" })?.1 {
                guard let n = parseRecordingSize(size) else {
                    usageFail("invalid --size: '\(size)' (events per CPU, or bytes per CPU with K, M or G)")
                }
                spec.slotsPerCPU = n
            }
            spec.stringLimit = stringLimit() ?? 32
            spec.traced = traced()
            spec.filterText = parsed.value(short: "e").last
            for text in parsed.values.filter({ $0.0.long == "trigger" }).compactMap(\.1) {
                try spec.trigger.parse(text, table: formats.table)
            }
            try spec.trigger.validate()
            if let after = parsed.values.last(where: { $0.0.long == "after" })?.1 ?? nil {
                guard let n = UInt32(after) else { usageFail("invalid --after: '\(after)' (a number of events)") }
                guard !spec.trigger.isEmpty else { usageFail("--after needs --trigger") }
                spec.trigger.after = UInt64(n)
            }
            spec.debug = parsed.has("debug")
            let pid = try recorder.record(spec)
            if pid != 0 { print("cgtrace: recording '\(name)': command started as pid \(pid)") }
            return 0
        case "replay":
            var request = ReplayRequest(trace: traceOptions(parsed, table: formats.table))
            request.stringLimitGiven = parsed.last(short: "s") != nil
            request.wantsFdPaths = parsed.has("decode-fds")
            let notes = try recorder.replay(path: singleName(), request: request)
            for n in notes { warn(n) }
            return 0
        case "dump":
            var options = DumpOptions()
            options.savePath = parsed.last(long: "write")
            options.outputPath = parsed.last(short: "o")
            options.stringLimit = stringLimit()
            options.traced = traced()
            options.wantsFdPaths = parsed.has("decode-fds")
            var output = TraceOptions()
            output.outputPath = options.outputPath
            do { try applyOutputOptions(parsed, to: &output) } catch { usageFail(error.description) }
            options.format = output.format
            options.outputs = output.outputs
            let notes = try recorder.dump(name: singleName(), options: options)
            for n in notes { warn(n) }
            return 0
        case "stop":
            if let note = try recorder.stop(name: singleName()) { warn(note) }
            return 0
        default:
            guard parsed.command.isEmpty else { usageFail("unexpected argument '\(parsed.command[0])'") }
            printList(try recorder.list())
            return 0
        }
    } catch {
        recorderFail(error)
    }
}

func warn(_ message: String) {
    let text = "cgtrace: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}

func printList(_ recordings: [Recorder.Summary]) {
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : TextLayout.leftAligned(s, width: n) }
    let nameWidth = max(6, (recordings.map(\.name.count).max() ?? 0) + 2)
    print(pad("NAME", nameWidth) + pad("EVENTS/CPU", 12) + pad("MEMORY", 10) + pad("RECORDED", 10) + pad("OVERWRITTEN", 13)
          + pad("AGE", 8) + pad("STATE", 10) + "TARGETS")
    for r in recordings {
        if let problem = r.problem {
            print(pad(r.name, nameWidth) + "(" + problem + ")")
            continue
        }
        let bytes = Double(r.slotsPerCPU * r.ncpus * Int(CGT_SLOT_SIZE))
        let (gib, mib) = (Double(1 << 30), Double(1 << 20))
        let memory = bytes >= gib ? TextLayout.decimal(bytes / gib, places: 1) + "G"
            : bytes >= mib ? TextLayout.decimal(bytes / mib, places: 1) + "M" : TextLayout.decimal(bytes / 1024, places: 0) + "K"
        print(pad(r.name, nameWidth) + pad(String(r.slotsPerCPU), 12) + pad(memory, 10) + pad(String(r.recorded), 10)
              + pad(String(r.overwritten), 13) + pad(age(r.ageSeconds), 8) + pad(r.state, 10) + r.targets)
        if let trigger = r.trigger { print("  " + trigger) }
    }
}

func age(_ seconds: Double) -> String {
    let s = Int(seconds)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(TextLayout.twoDigits(s % 60))s" }
    if s < 86400 { return "\(s / 3600)h\(TextLayout.twoDigits((s / 60) % 60))m" }
    return "\(s / 86400)d\(s / 3600 % 24)h"
}

extension ReplayRequest {
    /// What a replay applies of the options parsed as for live tracing.
    init(trace: TraceOptions) {
        self.init()
        format = trace.format
        outputs = trace.outputs
        outputPath = trace.outputPath
        followFlag = trace.followFlag
        traced = trace.traced
        statusFilter = trace.statusFilter
        minLatencyNs = trace.minLatencyNs
        paths = trace.paths
        stackTrace = trace.stackTrace
    }
}
