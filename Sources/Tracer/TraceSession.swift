import Beautifiers
import CgtraceABI
import CSpawn
import Decoder
import Formatters
import Glibc
import Loader
import Syscalls

/// Everything the tracer needs to know, as the CLI parsed it.
public struct TraceOptions: Sendable {
    public var format = FormatOptions()
    /// -o FILE; nil writes to stderr, as strace does.
    public var outputPath: String?
    /// -f was given (following is always on; with -o it selects strace's `PID ` line prefix).
    public var followFlag = false
    /// Syscall numbers to trace (-e trace=); nil traces all.
    public var traced: Set<Int>?
    public var ringBytes: UInt32 = 16 << 20
    public var debug = false

    public init() {}
}

/// One tracing run: load the probes, start or find the target, print until it is gone.
public final class TraceSession {
    let options: TraceOptions
    let formats: SyscallFormats
    let errorOutput = OutputFile(fd: 2, flushAt: 0)

    public init(options: TraceOptions, formats: SyscallFormats = .x86_64) {
        self.options = options
        self.formats = formats
    }

    /// `cgtrace [options] CMD ARGS…`: run CMD in a new cgroup, trace it and its descendants until
    /// all have exited, and return CMD's exit status (128+N if a signal N killed it).
    public func runCommand(_ command: [String]) throws(TracerError) -> Int32 {
        guard let name = command.first else { throw TracerError("must have PROG [ARGS] or -p PID", exitCode: 2) }
        let path = try resolveExecutable(name)
        let hierarchy = try CgroupHierarchy.find()
        let cgroup = try TransientCgroup(hierarchy: hierarchy)
        defer { cgroup.remove() }

        let output = try openOutput()
        let probes = try loadProbes(targets: [hierarchy.target(path: cgroup.path)])
        var format = options.format
        if options.outputPath != nil && options.followFlag { format.pidPrefix = .always }
        let formatter = StraceFormatter(formats: formats, options: format, output: output)

        let signals = SignalGate()
        let child = try spawn(path: path, argv: command, cgroup: cgroup)

        // The child's few calls between clone and execve (restoring its signal mask) happen in
        // the cgroup; strace shows a command from its execve on, and so do we.
        let execve = formats.table.number(named: "execve") ?? 59
        let execveat = formats.table.number(named: "execveat") ?? 322
        var started = false
        var malformed = 0
        let debug = options.debug
        let handler: (UnsafeRawBufferPointer) -> Void = { bytes in
            let record: Record
            do {
                record = try RecordParser.decode(bytes)
            } catch {
                malformed += 1
                if debug && malformed <= 5 {
                    self.errorOutput.write("cgtrace: malformed record (\(error)): \(bytes.prefix(96).map { String($0, radix: 16) }.joined(separator: " "))\n")
                }
                return
            }
            if !started {
                // Open at the execve's entry, or at the exec itself when -e leaves execve out.
                guard record.header.tid == UInt32(child) else { return }
                switch record {
                case .enter(let e) where e.number == execve || e.number == execveat:
                    started = true
                case .exec:
                    started = true
                default:
                    return
                }
            }
            formatter.handle(record)
        }

        var status: Int32?
        var interrupted = 0
        var deadline: Double?
        while true {
            _ = try? probes.poll(timeoutMs: 10, handler)
            if let sig = signals.pending() {
                interrupted += 1
                if interrupted == 1 {
                    // Forward what did not come from the terminal (which already signalled the
                    // whole foreground group), then give the command a moment to exit.
                    if sig.fromUser { kill(child, sig.number) }
                    deadline = monotonicSeconds() + 5
                } else {
                    cgroup.killAll()
                }
            }
            if status == nil {
                var raw: Int32 = 0
                let r = waitpid(child, &raw, WNOHANG)
                if r == child { status = raw }
            }
            if status != nil && !cgroup.populated { break }
            if let d = deadline, monotonicSeconds() > d {
                cgroup.killAll()
                deadline = nil
            }
        }
        // Everything the tasks did happened before they left the cgroup: collect the rest.
        _ = probes.drain()
        formatter.finish()
        report(probes: probes, malformed: malformed)
        probes.close()

        let raw = status ?? 0
        let termsig = raw & 0x7f
        return termsig == 0 ? (raw >> 8) & 0xff : 128 + termsig
    }

    // MARK: Pieces

    func openOutput() throws(TracerError) -> OutputFile {
        guard let path = options.outputPath else { return OutputFile(fd: 2) }
        do {
            return try OutputFile.create(path: path)
        } catch {
            throw TracerError("can't open '\(path)': \(String(cString: strerror(error.errno)))", exitCode: 2)
        }
    }

    func loadProbes(targets: [CgroupTarget]) throws(TracerError) -> ProbeSession {
        var p = ProbeOptions()
        p.stringLimit = UInt32(clamping: options.format.stringLimit)
        p.ringBytes = options.ringBytes
        p.targets = targets
        p.debug = options.debug
        let session: ProbeSession
        do {
            session = try ProbeSession(options: p)
            if options.debug {
                for f in session.fallbacks { errorOutput.write("cgtrace: fallback: \(f)\n") }
                errorOutput.write("cgtrace: attach mode \(session.mode.rawValue)\n")
            }
            for nr in 0..<Int(CGT_MAX_SYSCALLS) {
                let traced = options.traced?.contains(nr) ?? true
                try session.setSyscallSpec(nr, formats[nr].kernelSpec(traced: traced))
            }
            try session.attach()
        } catch {
            var message = error.description
            if options.debug, let log = error.log { message += "\n" + log }
            else if error.log != nil { message += " (--debug shows the verifier log)" }
            throw TracerError(message, exitCode: 4)
        }
        return session
    }

    func spawn(path: String, argv: [String], cgroup: TransientCgroup) throws(TracerError) -> pid_t {
        let cArgv = argv.map { strdup($0) } + [nil]
        let env = environmentStrings()
        let cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        let pid = cgt_spawn_in_cgroup(cgroup.fd, path, cArgv, cEnv, nil)
        if pid < 0 {
            throw TracerError("exec '\(path)': \(String(cString: strerror(-pid)))", exitCode: 126)
        }
        return pid
    }

    func report(probes: ProbeSession, malformed: Int) {
        let c = probes.counters()
        if c.lost > 0 { errorOutput.write("cgtrace: \(c.lost) events lost\n") }
        if c.truncated > 0 { errorOutput.write("cgtrace: \(c.truncated) captures cut at the record size limit\n") }
        if malformed > 0 { errorOutput.write("cgtrace: \(malformed) malformed records skipped\n") }
        errorOutput.flush()
    }

    /// Find CMD as strace and execvp do: a name with a slash is a path, else search $PATH.
    public func resolveExecutable(_ name: String) throws(TracerError) -> String {
        if name.contains("/") {
            var st = stat()
            if stat(name, &st) != 0 {
                throw TracerError("Can't stat '\(name)': \(String(cString: strerror(errno)))", exitCode: 127)
            }
            return name
        }
        let searchPath = String(cString: getenv("PATH") ?? strdup("/usr/local/bin:/usr/bin:/bin"))
        for dir in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw TracerError("Can't stat '\(name)': No such file or directory", exitCode: 127)
    }
}

func environmentStrings() -> [String] {
    var result: [String] = []
    var p = environ
    while let entry = p.pointee {
        result.append(String(cString: entry))
        p += 1
    }
    return result
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The signals cgtrace handles itself (SIGINT, SIGTERM, SIGHUP, SIGQUIT): blocked, and collected
/// without waiting, so the main loop can flush, forward and clean up.
final class SignalGate {
    struct Received {
        let number: Int32
        let fromUser: Bool
    }
    private var set = sigset_t()

    init() {
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&set, s) }
        sigprocmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    func pending() -> Received? {
        var info = siginfo_t()
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        let sig = sigtimedwait(&set, &info, &zero)
        guard sig > 0 else { return nil }
        return Received(number: sig, fromUser: info.si_code == SI_USER || info.si_code == SI_QUEUE)
    }
}
