import Beautifiers
import Glibc
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

func usageFail(_ message: String) -> Never {
    fail("\(message) (cgtrace -h lists the options)", ExitCode.usage)
}

/// -e trace=NAME,NAME…: syscall numbers to trace.
func parseTraceExpression(_ expr: String, table: SyscallTable) throws(UsageError) -> Set<Int>? {
    var body = Substring(expr)
    if let eq = body.firstIndex(of: "=") {
        let key = body[..<eq]
        guard key == "trace" || key == "t" else {
            throw UsageError("invalid -e qualifier '\(key)' (this version supports trace=)")
        }
        body = body[body.index(after: eq)...]
    }
    if body == "all" { return nil }
    var numbers = Set<Int>()
    for name in body.split(separator: ",") {
        guard let n = table.number(named: String(name)) else {
            throw UsageError("invalid system call '\(name)'")
        }
        numbers.insert(n)
    }
    if numbers.isEmpty { throw UsageError("invalid system call '\(expr)'") }
    return numbers
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

    let formats = SyscallFormats.x86_64
    var options = TraceOptions()
    options.outputPath = parsed.last(short: "o")
    options.debug = parsed.has("debug")
    options.followFlag = parsed.has("follow-forks")
    if let s = parsed.last(short: "s") {
        guard let n = Int(s), n >= 0, n <= 8000 else {
            usageFail("invalid -s argument: '\(s)' (a number from 0 to 8000)")
        }
        options.format.stringLimit = n
    }
    do {
        for expr in parsed.value(short: "e") {
            options.traced = try parseTraceExpression(expr, table: formats.table)
        }
    } catch {
        usageFail(error.description)
    }
    guard !parsed.command.isEmpty else {
        usageFail("must have PROG [ARGS]")
    }
    guard getuid() == 0 || geteuid() == 0 else {
        fail("tracing needs root (CAP_BPF and CAP_PERFMON, and write access to the cgroup tree)", 4)
    }

    do {
        return try TraceSession(options: options, formats: formats).runCommand(parsed.command)
    } catch {
        fail(error.description, error.exitCode)
    }
}

exit(run())
