import Formatters
import Beautifiers
import CgtraceABI
import Glibc
import Launch
import Loader
import Syscalls
import Tracer

/// Exit statuses (man/cgtrace.1, EXIT STATUS): the command's own status when it ran; otherwise
/// 1 for a failure while tracing, 2 for a usage error, 4 when the kernel side cannot be set up,
/// 126/127 when the command cannot be executed / found (as shells do).
enum ExitCode {
    static let usage: Int32 = 2
}

let version = "0.1.0"

func fail(_ message: String, _ code: Int32) -> Never {
    let text = "cgtrace: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(code)
}

/// Where a usage error points: a recorder subcommand's own -h when one runs (replay shares the
/// trace options' parsing, not their list). Set once, before any option is read.
nonisolated(unsafe) var usageHelp = "cgtrace -h"

func usageFail(_ message: String) -> Never {
    fail("\(message) (\(usageHelp) lists the options)", ExitCode.usage)
}

/// `64M`, `1G`, `65536`: a byte count with an optional K/M/G suffix.
func parseSize(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    var digits = Substring(text)
    var scale = 1
    if let last = digits.last?.uppercased().first, let unit = units[last] {
        scale = unit
        digits = digits.dropLast()
    }
    guard let n = Int(digits), n >= 0 else { return nil }
    let (product, overflow) = n.multipliedReportingOverflow(by: scale)
    return overflow ? nil : product
}

/// -e status=successful,failed,unfinished (strace's; `unavailable` and `detached` cannot occur
/// here and are accepted), with `!` negation.
func parseStatusExpression(_ expr: String) throws(UsageError) -> UInt32 {
    var body = Substring(expr)
    let negated = body.hasPrefix("!")
    if negated { body = body.dropFirst() }
    let all = CGT_STATUS_SUCCESSFUL.rawValue | CGT_STATUS_FAILED.rawValue | CGT_STATUS_UNFINISHED.rawValue
    var bits: UInt32 = 0
    for item in body.split(separator: ",") {
        switch item {
        case "successful": bits |= CGT_STATUS_SUCCESSFUL.rawValue
        case "failed": bits |= CGT_STATUS_FAILED.rawValue
        case "unfinished": bits |= CGT_STATUS_UNFINISHED.rawValue
        case "unavailable", "detached": break
        case "all": bits = all
        case "none": break
        default: throw UsageError("invalid status '\(item)' (successful, failed, unfinished, unavailable, detached)")
        }
    }
    bits = negated ? all & ~bits : bits
    // Nothing at all would be shown: strace's `none`; 0 would mean "no filter" to the kernel.
    return bits == 0 ? UInt32(1 << 31) : bits
}

/// -e trace=EXPR (names, %classes, /regexes, ?optional, !negation): syscall numbers to trace.
func parseTraceExpression(_ expr: String, table: SyscallTable) throws(UsageError) -> Set<Int>? {
    var body = Substring(expr)
    if let eq = body.firstIndex(of: "=") {
        let key = body[..<eq]
        guard key == "trace" || key == "t" else {
            throw UsageError("invalid -e qualifier '\(key)' (this version supports trace=)")
        }
        body = body[body.index(after: eq)...]
    }
    do {
        return try TraceExpression.parse(String(body), table: table)
    } catch {
        throw UsageError(error.description)
    }
}

/// --cgroup, --cgroup-id, --container, --unit, -p, in the order given (live tracing and `record`).
func targetSpecs(_ parsed: ParsedCommandLine) -> [TargetSpec] {
    var targets: [TargetSpec] = []
    for (spec, value) in parsed.values {
        guard let value else { continue }
        switch spec.long {
        case "cgroup":
            // A number is a cgroup id, anything else a path.
            targets.append(UInt64(value).map(TargetSpec.cgroupID) ?? .cgroupPath(value))
        case "cgroup-id":
            guard let id = UInt64(value) else { usageFail("invalid --cgroup-id '\(value)' (a number)") }
            targets.append(.cgroupID(id))
        case "container":
            targets.append(.container(value))
        case "unit":
            targets.append(.unit(value))
        case "attach-pid":
            for word in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let pid = Int32(TextLayout.trimmed(word)), pid > 0 else {
                    usageFail("invalid process id: '\(word)'")
                }
                targets.append(.pid(pid))
            }
        default:
            break
        }
    }
    return targets
}

/// The value of `-e NAME=VALUE` (or its one-letter alias), if `expr` is that qualifier.
func qualifier(_ expr: String, _ name: String, _ alias: String) -> String? {
    for key in [name, alias] where expr.hasPrefix(key + "=") { return String(expr.dropFirst(key.count + 1)) }
    return nil
}

/// A syscall set in -e trace='s syntax; nil means all.
func traceSet(_ value: String, table: SyscallTable) throws(UsageError) -> Set<Int>? {
    do {
        return try TraceExpression.parse(value, table: table)
    } catch {
        throw UsageError(error.description)
    }
}

/// The live-tracing options (also what `replay` takes), checked: a usage error exits.
/// --buffer-size, --lossless and --drop: what the ring is made for (read before the rest too, so
/// that the ring can be made early).
func ringOptions(_ parsed: ParsedCommandLine, into options: inout TraceOptions) {
    if let text = parsed.values.last(where: { $0.0.long == "buffer-size" })?.1 {
        guard let bytes = parseSize(text), bytes >= 1 << 20, bytes <= 1 << 30, bytes & (bytes - 1) == 0 else {
            usageFail("invalid --buffer-size '\(text)' (a power of two from 1M to 1G, e.g. 64M)")
        }
        options.bufferSize = UInt32(bytes)
    }
    if parsed.has("lossless") && parsed.has("drop") { usageFail("--lossless and --drop contradict each other") }
    options.lossless = parsed.has("lossless") ? true : parsed.has("drop") ? false : nil
}

func traceOptions(_ parsed: ParsedCommandLine, table: SyscallTable) -> TraceOptions {
    var options = TraceOptions()
    options.outputPath = parsed.last(short: "o")
    options.debug = parsed.has("debug")
    options.stats = parsed.has("stats")
    options.user = parsed.last(short: "u")
    options.paths = parsed.value(short: "P")
    do {
        let fds = try fdDecoding(parsed.uses(long: "decode-fds"))
        options.fdPaths = fds.kernelLevel
        options.format.fdDetails = fds
        try applyStrace6Options(parsed, to: &options)
    } catch {
        usageFail(error.description)
    }
    if let mode = parsed.values.last(where: { $0.0.long == "attach" })?.1 {
        guard let m = AttachMode(rawValue: mode) else {
            usageFail("invalid --attach mode '\(mode)' (tp_btf or raw_tp)")
        }
        options.attachModes = [m]
    }
    options.stackTrace = parsed.has("stack-trace")
    ringOptions(parsed, into: &options)
    options.followFlag = parsed.has("follow-forks")
    if let s = parsed.last(short: "s") {
        guard let n = Int(s), n >= 0, n <= 8000 else {
            usageFail("invalid -s argument: '\(s)' (a number from 0 to 8000)")
        }
        options.format.stringLimit = n
    }
    do {
        try applyOutputOptions(parsed, to: &options)
    } catch {
        usageFail(error.description)
    }
    do {
        for expr in parsed.value(short: "e") {
            if expr.hasPrefix("status=") {
                options.statusFilter = try parseStatusExpression(String(expr.dropFirst("status=".count)))
            } else if let value = qualifier(expr, "raw", "x") {
                // -e raw=SET: undecoded arguments and result for these calls.
                options.format.rawCalls = try traceSet(value, table: table) ?? Set(0..<table.count)
            } else if let value = qualifier(expr, "verbose", "v") {
                // Only all-or-nothing: -v's structures are decoded per struct, not per call.
                options.format.verbose = try traceSet(value, table: table) != []
            } else if let value = qualifier(expr, "quiet", "q") ?? qualifier(expr, "silent", "silence") {
                options.format.quiet = try parseQuiet(value)
            } else if let value = qualifier(expr, "decode-fds", "decode-fd") {
                let fds = try fdDecoding([value])
                options.fdPaths = fds.kernelLevel
                options.format.fdDetails = fds
            } else if let value = qualifier(expr, "decode-pids", "decode-pid") {
                options.format.decodePids = try parseDecodePids(value)
                options.format.pidsInNamespace = options.format.decodePids.contains(.pidns)
            } else if qualifier(expr, "abbrev", "a") != nil {
                // strace's default is abbreviated output; accepted for compatibility.
            } else {
                options.traced = try parseTraceExpression(expr, table: table)
            }
        }
    } catch {
        usageFail(error.description)
    }
    if parsed.has("successful-only") { options.statusFilter = CGT_STATUS_SUCCESSFUL.rawValue }
    if parsed.has("failed-only") { options.statusFilter = CGT_STATUS_FAILED.rawValue }
    if let text = parsed.values.last(where: { $0.0.long == "latency" })?.1 {
        guard let ms = Double(text), ms >= 0, ms < 1e9 else { usageFail("invalid --latency '\(text)' (milliseconds)") }
        options.minLatencyNs = UInt64(ms * 1_000_000)
    }
    options.savePath = parsed.last(long: "write")
    if let save = options.savePath {
        guard !save.isEmpty else { usageFail("--write needs a file name") }
        if save == options.outputPath || save == options.outputs.perfettoPath { usageFail("--write and -o/--perfetto name the same file '\(save)'") }
        // --write alone: the file instead of the text (-o FILE: both).
        if options.outputPath == nil { options.outputs.traceHidden = true }
    }
    return options
}

func run() -> Int32 {
    if let status = runRecorderCommand(Array(CommandLine.arguments.dropFirst())) { return status }
    let parsed: ParsedCommandLine
    do {
        parsed = try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        usageFail(error.description)
    }
    if parsed.has("help") {
        print(OptionTable.usage, terminator: "")
        return 0
    }
    if let shell = parsed.last(long: "completions") {
        guard let s = CompletionScript.Shell(rawValue: shell) else {
            usageFail("invalid --completions shell '\(shell)' (bash, zsh or fish)")
        }
        print(CompletionScript.script(for: s), terminator: "")
        return 0
    }
    if parsed.has("version") {
        print("cgtrace \(version)")
        do {
            let probes = try ProbeSession(options: ProbeOptions())
            print("attach mode: \(probes.mode.rawValue)")
            for f in probes.fallbacks { print("  unavailable: \(f)") }
            probes.close()
        } catch {
            print("attach mode: none (\(error.description))")
        }
        return 0
    }

    // Before any thread starts, and before the cgroup a command runs in is made.
    HandledSignals.block()
    // The ring buffer is made on a thread of its own (Loader/EarlyRing.swift) while the kernel's
    // description is read and the cgroup made: its pages cost ~2 ms (8 MiB, lossless on two
    // CPUs) to ~14 ms (64 MiB) of CPU to zero, charge and map.
    if geteuid() == 0, !parsed.command.isEmpty || !targetSpecs(parsed).isEmpty {
        var ring = TraceOptions()
        ringOptions(parsed, into: &ring)
        EarlyRing.start(bytes: ring.ringBytes(lossless: ring.isLossless(command: !parsed.command.isEmpty)))
    }
    // The running kernel's syscall declarations, then its BTF layouts and the formats, made on a
    // thread of their own while the probes load (measured cost in the README).
    let kernel = PendingKernelDescription(KernelDescription.readTable())
    if parsed.has("debug") { _ = (kernel.value.summary + "\n").withCString { write(2, $0, strlen($0)) } }
    let options = traceOptions(parsed, table: kernel.table)
    let targets = targetSpecs(parsed)
    if !targets.isEmpty && !parsed.command.isEmpty {
        usageFail("give either a command or targets (--cgroup, --container, --unit, -p), not both")
    }
    guard !parsed.command.isEmpty || !targets.isEmpty else {
        usageFail("must have PROG [ARGS], or a target: --cgroup, --container, --unit, -p PID")
    }
    let missing = Privileges.missingCapabilities()
    guard missing.isEmpty else {
        fail("tracing needs root: missing \(missing.joined(separator: " and ")) (run as root, or grant them)", 4)
    }

    do {
        let session = TraceSession(options: options, kernel: kernel)
        if !targets.isEmpty {
            return try session.runAttached(targets, descendants: !parsed.has("no-descendants"))
        }
        return try session.runCommand(parsed.command)
    } catch {
        fail(error.description, error.exitCode)
    }
}

exit(run())
