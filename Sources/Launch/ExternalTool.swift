import Glibc

/// Runs a helper program (a container runtime's CLI, systemctl) and collects what it printed,
/// with a deadline: a CLI that talks to a hung daemon must not hang cgtrace.
public enum ExternalTool {
    public enum Outcome: Sendable, Equatable {
        /// No executable of that name in PATH.
        case notInstalled
        case exited(status: Int32, stdout: String, stderr: String)
        /// Killed at the deadline.
        case timedOut
        case failedToStart(String)
    }

    /// The first executable `name` in PATH (or `name` itself when it has a slash).
    public static func find(_ name: String, path: String? = nil) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let search = path ?? (getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin")
        for dir in search.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Run `argv` (argv[0] looked up in PATH) with stdin from /dev/null; kill it after `timeout` seconds.
    public static func run(_ argv: [String], timeout: Double) -> Outcome {
        guard let first = argv.first, let executable = find(first) else { return .notInstalled }
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        // (pipe2 is not in Glibc's Swift overlay. The threads cgtrace may run by now, the early
        // ring's and the kernel description's, start no process: no copy of these leaks.)
        guard pipe(&out) == 0 else { return .failedToStart(String(cString: strerror(errno))) }
        guard pipe(&err) == 0 else {
            close(out[0]); close(out[1])
            return .failedToStart(String(cString: strerror(errno)))
        }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        // No signal blocked in the tool, whatever cgtrace blocks by then (SignalGate), and the
        // default action for those cgtrace handles or ignores (SIGPIPE): the tool may run after
        // the gate is set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE] + HandledSignals.numbers { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, &cArgs, environ)
        close(out[1])
        close(err[1])
        guard rc == 0 else {
            close(out[0]); close(err[0])
            return .failedToStart(String(cString: strerror(rc)))
        }
        var stdoutBytes: [UInt8] = []
        var stderrBytes: [UInt8] = []
        var open = [out[0], err[0]]
        var started = timespec()
        clock_gettime(CLOCK_MONOTONIC, &started)
        let end = Double(started.tv_sec) + Double(started.tv_nsec) / 1e9 + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        var status: Int32 = 0
        var exited = false
        /// Read what is ready; `wait` ms at most. Descriptors at EOF are closed.
        func drain(wait: Int32) {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), wait) > 0 else { return }
            for f in fds where f.revents != 0 {
                let got = buffer.withUnsafeMutableBytes { read(f.fd, $0.baseAddress, $0.count) }
                if got > 0 {
                    if f.fd == out[0] { stdoutBytes += buffer[0..<got] } else { stderrBytes += buffer[0..<got] }
                } else if got == 0 || errno != EINTR {
                    close(f.fd)
                    open.removeAll { $0 == f.fd }
                }
            }
        }
        // Until the tool has exited and its output is read. A tool may leave a process behind
        // that holds the pipes open (podman's conmon, a daemon it starts): its exit, not the
        // pipes' end, is what ends the wait.
        while true {
            if !exited {
                let r = waitpid(pid, &status, WNOHANG)
                exited = r == pid || (r < 0 && errno != EINTR)
            }
            if exited {
                let before = (stdoutBytes.count + stderrBytes.count, open.count)
                if !open.isEmpty { drain(wait: 0) }
                if open.isEmpty || (stdoutBytes.count + stderrBytes.count, open.count) == before { break }
                continue
            }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let left = end - (Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
            if left <= 0 {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                for fd in open { close(fd) }
                return .timedOut
            }
            if open.isEmpty { usleep(10_000) } else { drain(wait: Int32(min(left * 1000 + 1, 20))) }
        }
        for fd in open { close(fd) }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .exited(status: code, stdout: String(decoding: stdoutBytes, as: UTF8.self),
                       stderr: String(decoding: stderrBytes, as: UTF8.self))
    }
}
