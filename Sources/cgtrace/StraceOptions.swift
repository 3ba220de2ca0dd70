import Formatters
import Tracer

/// -y/-yy and `--decode-fds[=SET]` / `-e decode-fds=SET` (strace 5.6): which details of
/// descriptors are shown. -y is `path`, -yy (or a second -y) all of them; a SET names them
/// (`path`, `socket`, `dev`, `pidfd`), `!SET` all but those. The kernel resolves what the set
/// needs (`FdDetails.kernelLevel`) and the text shows only the set's parts, as strace does:
/// `--decode-fds=dev` prints `3</dev/null<char 1:3>>` and a regular file's fd bare.
func fdDecoding(_ uses: [String?]) throws(UsageError) -> FdDetails {
    var details: FdDetails = []
    var bareUses = 0
    for use in uses {
        guard let set = use else {
            bareUses += 1  // -y, -yy, bare --decode-fds
            details.formUnion(bareUses >= 2 ? .all : .path)
            continue
        }
        var body = Substring(set)
        let negated = body.hasPrefix("!")
        if negated { body = body.dropFirst() }
        var named: FdDetails = []
        for item in body.split(separator: ",", omittingEmptySubsequences: false) {
            switch item {
            case "path": named.insert(.path)
            case "socket": named.insert(.socket)
            case "dev": named.insert(.dev)
            case "pidfd": named.insert(.pidfd)
            case "all": named = .all
            case "signalfd", "eventfd": named.insert(.path)  // (their details are not decoded yet)
            case "none": break
            default:
                throw UsageError("invalid decode-fds '\(item)' (path, socket, dev, pidfd, signalfd, eventfd, all, none)")
            }
        }
        details.formUnion(negated ? FdDetails.all.subtracting(named) : named)
    }
    return details
}

/// `--decode-pids=SET` / `-e decode-pids=SET` (strace 5.15): `comm` (also -Y) names each pid's
/// command; `pidns` shows pids as the task's own pid namespace sees them (OutputOptions.swift).
func parseDecodePids(_ set: String) throws(UsageError) -> Set<FormatOptions.PidDecoration> {
    var result = Set<FormatOptions.PidDecoration>()
    for item in set.split(separator: ",") {
        switch item {
        case "comm": result.insert(.comm)
        case "pidns": result.insert(.pidns)
        case "all": result.formUnion([.comm, .pidns])
        case "none": break
        default: throw UsageError("invalid decode-pids '\(item)' (comm, pidns, all, none)")
        }
    }
    return result
}

/// `-e quiet=SET` / `--quiet=SET` (strace 5.6): which informational lines to leave out.
func parseQuiet(_ set: String) throws(UsageError) -> Set<FormatOptions.QuietMessage> {
    var body = Substring(set)
    let negated = body.hasPrefix("!")
    if negated { body = body.dropFirst() }
    var result = Set<FormatOptions.QuietMessage>()
    for item in body.split(separator: ",") {
        if item == "all" { result.formUnion(FormatOptions.QuietMessage.allCases); continue }
        if item == "none" { continue }
        // strace's aliases: superseded is thread-execve, exit is also exiting.
        let name = item == "superseded" ? "thread-execve" : item == "exiting" ? "exit" : String(item)
        guard let m = FormatOptions.QuietMessage(rawValue: name) else {
            throw UsageError("invalid quiet '\(item)' (attach, exit, path-resolution, personality, thread-execve, all, none)")
        }
        result.insert(m)
    }
    return negated ? Set(FormatOptions.QuietMessage.allCases).subtracting(result) : result
}

/// The options strace added after 5.x that change what lines look like or when tracing stops:
/// -q/--quiet, -Y/--decode-pids, -N/--arg-names, --always-show-pid, --syscall-limit.
func applyStrace6Options(_ parsed: ParsedCommandLine, to options: inout TraceOptions) throws(UsageError) {
    // -q: attach and personality messages; -qq: exit lines too; -qqq: everything (strace's levels).
    let q = parsed.uses(long: "quiet")
    let counted = q.filter { $0 == nil }.count
    if counted >= 3 {
        options.format.quiet = Set(FormatOptions.QuietMessage.allCases)
    } else if counted == 2 {
        options.format.quiet = [.attach, .personality, .exit]
    } else if counted == 1 {
        options.format.quiet = [.attach, .personality]
    }
    for case let value? in q { options.format.quiet.formUnion(try parseQuiet(value)) }
    for use in parsed.uses(long: "decode-pids") {
        options.format.decodePids.formUnion(try use.map(parseDecodePids) ?? [.comm])
    }
    options.format.argNames = parsed.has("arg-names")
    if parsed.has("always-show-pid") { options.format.pidPrefix = .always }
    if let text = parsed.last(long: "syscall-limit") {
        guard let n = Int(text), n > 0 else { throw UsageError("invalid --syscall-limit '\(text)' (a positive number)") }
        options.syscallLimit = n
    }
}
