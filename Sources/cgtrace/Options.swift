import Beautifiers
import Formatters
import Loader

/// The command line, declared as data. strace's getopt conventions hold: short options bundle
/// (`-ff`, `-fttT`), values attach or follow (`-s100`, `-s 100`), long values use `=` or follow,
/// and the first non-option word starts the command (`--` optional).
struct OptionSpec {
    let short: Character?
    let long: String?
    let value: String?      // the value's placeholder, nil for a flag
    let help: String
    /// The long form takes a value only as `--name=VALUE` (strace's `--decode-fds[=SET]`); the
    /// short form is a flag.
    var valueIsOptional = false
    /// The words the value may be, where there is a fixed set (shell completion offers them).
    var choices: [String] = []
}

enum OptionTable {
    static let all: [OptionSpec] = [
        OptionSpec(short: "o", long: "output", value: "FILE", help: "write the trace to FILE instead of stderr"),
        OptionSpec(short: "s", long: "string-limit", value: "N", help: "show at most N bytes of strings and buffers (default 32)"),
        OptionSpec(short: "e", long: nil, value: "EXPR", help: "qualifying expression: trace=NAME[,NAME…] (names of syscalls)"),
        OptionSpec(short: nil, long: "cgroup", value: "PATH|ID", help: "trace the cgroup at PATH (absolute, or relative to the cgroup v2 mount), or with that id, and its sub-cgroups, until Ctrl-C"),
        OptionSpec(short: nil, long: "cgroup-id", value: "ID", help: "trace the cgroup whose id (inode number) is ID"),
        OptionSpec(short: nil, long: "container", value: "ID|NAME", help: "trace a container by id prefix or name (podman, docker, containerd/Kubernetes, cri-o, systemd-nspawn, LXC)"),
        OptionSpec(short: nil, long: "unit", value: "NAME", help: "trace a systemd unit's cgroup (NAME without a suffix is NAME.service)"),
        OptionSpec(short: "p", long: "attach-pid", value: "PID[,PID…]", help: "trace running processes and what they start from now on, until Ctrl-C"),
        OptionSpec(short: nil, long: "no-descendants", value: nil, help: "with a cgroup target: leave its sub-cgroups out"),
        OptionSpec(short: "X", long: "const-print-style", value: "STYLE", help: "named constants as abbrev (O_RDONLY, the default), raw (0) or verbose (0 /* O_RDONLY */)",
                   choices: ConstantStyle.allCases.map(\.rawValue)),
        OptionSpec(short: "v", long: "no-abbrev", value: nil, help: "print structures unabbreviated: every stat field, the environment's strings"),
        OptionSpec(short: "y", long: "decode-fds", value: "SET", help: "show what each file descriptor refers to: 3</etc/hostname>, socket:[INODE], pipe:[INODE] (resolved in the kernel at call time); -yy or SET=all adds socket endpoints, devices, pidfds' processes (SET: path, socket, dev, pidfd, all, none)", valueIsOptional: true),
        OptionSpec(short: "Y", long: "decode-pids", value: "SET", help: "-Y or SET=comm: the command name after each pid, 1234<sh> (strace 5.15); SET=pidns: pids as their own pid namespace sees them ([pid 1] for a container's init)", valueIsOptional: true),
        OptionSpec(short: "N", long: "arg-names", value: nil, help: "name each argument: openat(dirfd=AT_FDCWD, pathname=\"/etc/hostname\", flags=O_RDONLY) (strace 6.16)"),
        OptionSpec(short: nil, long: "always-show-pid", value: nil, help: "start every line with its pid, also when only one process is traced (strace 6.9)"),
        OptionSpec(short: "q", long: "quiet", value: "SET", help: "-q: no messages about attaching/detaching; -qq: nor exit lines (+++ exited with 0 +++); -qqq or SET=all: none (SET: attach, exit, path-resolution, personality, thread-execve)", valueIsOptional: true),
        OptionSpec(short: nil, long: "syscall-limit", value: "N", help: "stop tracing after N calls have been printed; the command runs on untraced (strace 6.3)"),
        OptionSpec(short: "P", long: "trace-path", value: "PATH", help: "only calls that touch PATH, by name or through a descriptor opened from it (repeatable)"),
        OptionSpec(short: "z", long: "successful-only", value: nil, help: "show only calls that succeeded (-e status=successful)"),
        OptionSpec(short: "Z", long: "failed-only", value: nil, help: "show only calls that failed (-e status=failed)"),
        OptionSpec(short: nil, long: "latency", value: "MS", help: "show only calls that took at least MS milliseconds (filtered in the kernel)"),
        OptionSpec(short: "u", long: "user", value: "USER", help: "run the command as USER (its uid, gid and supplementary groups), e.g. sudo cgtrace -u me -- make"),
        OptionSpec(short: "k", long: "stack-trace", value: nil, help: "after each syscall, print the user stack that made it (unwound with the binaries' DWARF CFI)"),
        OptionSpec(short: "f", long: "follow-forks", value: nil, help: "follow forks (always on: the whole cgroup is traced; accepted for strace compatibility)"),
        OptionSpec(short: nil, long: "lossless", value: nil, help: "never drop a call: freeze the traced cgroups while cgtrace catches up (the default for a COMMAND; cgroup and container targets drop unless given this)"),
        OptionSpec(short: nil, long: "drop", value: nil, help: "never freeze: when cgtrace falls behind, the kernel drops records and the trace marks each hole (!!! lost N events here …)"),
        OptionSpec(short: nil, long: "buffer-size", value: "SIZE", help: "kernel ring buffer size, e.g. 64M (default lossless 4M per CPU, 8M-64M, else 64M; a power of two ≥ 1M)"),
        OptionSpec(short: nil, long: "attach", value: "MODE", help: "attach with MODE (tp_btf or raw_tp) instead of the best the kernel allows",
                   choices: AttachMode.allCases.map(\.rawValue)),
        OptionSpec(short: "t", long: "absolute-timestamps", value: nil, help: "time of day at the start of each line; -tt adds microseconds, -ttt is seconds since the epoch"),
        OptionSpec(short: "r", long: "relative-timestamps", value: nil, help: "time since the previous line at the start of each line"),
        OptionSpec(short: "T", long: "syscall-times", value: nil, help: "time spent in each call, as <seconds> after its result"),
        OptionSpec(short: "c", long: "summary-only", value: nil, help: "count calls, errors and time per syscall; print the table instead of the trace"),
        OptionSpec(short: "C", long: "summary", value: nil, help: "like -c, but print the trace too"),
        OptionSpec(short: "w", long: "summary-wall-clock", value: nil, help: "summarise wall-clock latency (what cgtrace always measures)"),
        OptionSpec(short: "S", long: "summary-sort-by", value: "SORTBY", help: "sort the -c table by time (default), min-time, max-time, avg-time, calls, errors, name or nothing",
                   choices: SummarySort.allCases.map(\.rawValue)),
        OptionSpec(short: nil, long: "thread-summary", value: nil, help: "at the end, per thread: each call's count, errors, latency and log2 latency histogram"),
        OptionSpec(short: nil, long: "json", value: nil, help: "one JSON object per line per call, signal and exit (schema: man/cgtrace-json.schema.json)"),
        OptionSpec(short: nil, long: "perfetto", value: "FILE", help: "also write a timeline for ui.perfetto.dev (Chrome trace JSON) to FILE"),
        OptionSpec(short: nil, long: "write", value: "FILE", help: "save the trace to FILE for `cgtrace replay` (the text then only with -o)"),
        OptionSpec(short: nil, long: "debug", value: nil, help: "say how the probes attach, and show libbpf and verifier messages"),
        OptionSpec(short: nil, long: "stats", value: nil, help: "at the end, print cgtrace-stats: records, losses, BPF run time, CPU, peak RSS"),
        OptionSpec(short: nil, long: "completions", value: "SHELL", help: "print the completion script for SHELL (bash, zsh or fish), made from this table",
                   choices: CompletionScript.Shell.allCases.map(\.rawValue)),
        OptionSpec(short: "V", long: "version", value: nil, help: "print the version and the attach mode this kernel allows"),
        OptionSpec(short: "h", long: "help", value: nil, help: "show this help"),
    ]

    static func find(short: Character) -> OptionSpec? { all.first { $0.short == short } }
    static func find(long: String) -> OptionSpec? { all.first { $0.long == long } }

    static var usage: String {
        let text = """
        usage: cgtrace [OPTIONS] [--] COMMAND [ARGS...]
               cgtrace record|dump|list|stop ...   (flight recorder: cgtrace record -h)
               cgtrace replay FILE [OPTIONS]       (a trace saved with --write)

        Trace COMMAND and everything it starts (threads, forks, execs) in a cgroup of its own,
        printing each system call as strace does. cgtrace exits with COMMAND's exit status.

        Examples:
          cgtrace -- ls /tmp                   trace ls; the trace goes to stderr
          cgtrace -o trace.txt -s 100 make     trace a build into a file, longer strings
          cgtrace -e trace=openat,close cat /etc/hostname
          cgtrace -c make                      count calls, errors and time; print a table
          cgtrace --json -o t.jsonl CMD        JSON lines, for jq
          cgtrace --perfetto t.json CMD        a timeline to open in ui.perfetto.dev

        Options:

        """
        return text + optionLines(all)
    }

    /// One line per option: its spellings, then its help, aligned (live tracing and recorder).
    static func optionLines(_ specs: [OptionSpec]) -> String {
        var text = ""
        for o in specs {
            var names: [String] = []
            // An optional value belongs to the long form only: `-y, --decode-fds[=SET]`.
            if let s = o.short { names.append("-\(s)" + (o.valueIsOptional ? "" : o.value.map { " \($0)" } ?? "")) }
            if let l = o.long {
                names.append("--\(l)" + (o.value.map { o.valueIsOptional ? "[=\($0)]" : "=\($0)" } ?? ""))
            }
            let left = "  " + names.joined(separator: ", ")
            text += TextLayout.leftAligned(left, width: max(left.count + 2, 28)) + o.help + "\n"
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
    /// Every use of a long option, with its value when it had one (`-y` counts as `--decode-fds`).
    func uses(long: String) -> [String?] { values.filter { $0.0.long == long }.map(\.1) }
    func last(short: Character) -> String? { value(short: short).last }
    func count(short: Character) -> Int { values.filter { $0.0.short == short }.count }
    func last(long: String) -> String? { values.filter { $0.0.long == long }.compactMap(\.1).last }
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
                if spec.value != nil && spec.valueIsOptional {
                    let eq = body.firstIndex(of: "=")
                    result.values.append((spec, eq.map { String(body[body.index(after: $0)...]) }))
                } else if spec.value != nil {
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
                    if spec.value != nil && !spec.valueIsOptional {
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
