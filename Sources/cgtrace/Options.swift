/// The command line, declared as data. strace's getopt conventions hold: short options bundle
/// (`-ff`, `-fttT`), values attach or follow (`-s100`, `-s 100`), long values use `=` or follow,
/// and the first non-option word starts the command (`--` optional).
struct OptionSpec {
    let short: Character?
    let long: String?
    let value: String?      // the value's placeholder, nil for a flag
    let help: String
}

enum OptionTable {
    static let all: [OptionSpec] = [
        OptionSpec(short: "o", long: "output", value: "FILE", help: "write the trace to FILE instead of stderr"),
        OptionSpec(short: "s", long: "string-limit", value: "N", help: "show at most N bytes of strings and buffers (default 32)"),
        OptionSpec(short: "e", long: nil, value: "EXPR", help: "qualifying expression: trace=NAME[,NAME…] (names of syscalls)"),
        OptionSpec(short: "f", long: "follow-forks", value: nil, help: "follow forks (always on: the whole cgroup is traced; accepted for strace compatibility)"),
        OptionSpec(short: nil, long: "debug", value: nil, help: "say how the probes attach, and show libbpf and verifier messages"),
        OptionSpec(short: "V", long: "version", value: nil, help: "print the version and the attach mode this kernel allows"),
        OptionSpec(short: "h", long: "help", value: nil, help: "show this help"),
    ]

    static func find(short: Character) -> OptionSpec? { all.first { $0.short == short } }
    static func find(long: String) -> OptionSpec? { all.first { $0.long == long } }

    static var usage: String {
        var text = """
        usage: cgtrace [OPTIONS] [--] COMMAND [ARGS...]
               cgtrace record|dump|list|stop ...   (flight recorder: cgtrace record -h)

        Trace COMMAND and everything it starts (threads, forks, execs) in a cgroup of its own,
        printing each system call as strace does. cgtrace exits with COMMAND's exit status.

        Examples:
          cgtrace -- ls /tmp                   trace ls; the trace goes to stderr
          cgtrace -o trace.txt -s 100 make     trace a build into a file, longer strings
          cgtrace -e trace=openat,close cat /etc/hostname

        Options:

        """
        for o in all {
            var names: [String] = []
            if let s = o.short { names.append("-\(s)" + (o.value.map { " \($0)" } ?? "")) }
            if let l = o.long { names.append("--\(l)" + (o.value.map { "=\($0)" } ?? "")) }
            let left = "  " + names.joined(separator: ", ")
            text += left.padding(toLength: max(left.count + 2, 28), withPad: " ", startingAt: 0) + o.help + "\n"
        }
        return text
    }
}

/// Parsed options, before they are checked against the syscall table.
struct ParsedCommandLine {
    var values: [(OptionSpec, String?)] = []
    var command: [String] = []

    func has(_ long: String) -> Bool { values.contains { $0.0.long == long } }
    func value(short: Character) -> [String] { values.filter { $0.0.short == short }.compactMap(\.1) }
    func last(short: Character) -> String? { value(short: short).last }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum CommandLineParser {
    /// `specs`: the options allowed (the subcommands of the flight recorder have their own).
    static func parse(_ args: [String], specs: [OptionSpec] = OptionTable.all) throws(UsageError) -> ParsedCommandLine {
        var result = ParsedCommandLine()
        var i = 0
        while i < args.count {
            let arg = args[i]
            if arg == "--" {
                result.command = Array(args[(i + 1)...])
                return result
            }
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name = String(body.split(separator: "=", maxSplits: 1).first ?? "")
                guard let spec = specs.first(where: { $0.long == name }) else {
                    throw UsageError("unrecognized option '\(arg)'")
                }
                if spec.value != nil {
                    if let eq = body.firstIndex(of: "=") {
                        result.values.append((spec, String(body[body.index(after: eq)...])))
                    } else if i + 1 < args.count {
                        i += 1
                        result.values.append((spec, args[i]))
                    } else {
                        throw UsageError("option '--\(name)' requires an argument")
                    }
                } else {
                    if body.contains("=") { throw UsageError("option '--\(name)' doesn't allow an argument") }
                    result.values.append((spec, nil))
                }
            } else if arg.hasPrefix("-") && arg.count > 1 {
                var chars = Substring(arg.dropFirst())
                while let c = chars.first {
                    chars = chars.dropFirst()
                    guard let spec = specs.first(where: { $0.short == c }) else {
                        throw UsageError("invalid option -- '\(c)'")
                    }
                    if spec.value != nil {
                        if !chars.isEmpty {
                            result.values.append((spec, String(chars)))
                        } else if i + 1 < args.count {
                            i += 1
                            result.values.append((spec, args[i]))
                        } else {
                            throw UsageError("option requires an argument -- '\(c)'")
                        }
                        break
                    }
                    result.values.append((spec, nil))
                }
            } else {
                result.command = Array(args[i...])
                return result
            }
            i += 1
        }
        return result
    }
}
