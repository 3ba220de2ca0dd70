import CSpawn
import Glibc

/// The command cgtrace starts (`cgtrace CMD…`, `cgtrace record NAME -- CMD…`): its argv and the
/// executable found for argv[0]. It is born inside its cgroup (clone3 with CLONE_INTO_CGROUP),
/// so none of its calls happen outside what is traced.
public struct Command: Sendable {
    public let argv: [String]
    /// argv[0] as execvp finds it.
    public let executable: String

    public init(argv: [String]) throws(LaunchError) {
        guard let name = argv.first else { throw LaunchError("no command given", exitCode: 2) }
        self.argv = argv
        self.executable = try Self.resolveExecutable(name)
    }

    /// Find CMD as strace and execvp do: a name with a slash is a path, else search $PATH.
    static func resolveExecutable(_ name: String) throws(LaunchError) -> String {
        if name.contains("/") {
            var st = stat()
            if stat(name, &st) != 0 {
                throw LaunchError("Can't stat '\(name)': \(String(cString: strerror(errno)))", exitCode: 127)
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
        throw LaunchError("Can't stat '\(name)': No such file or directory", exitCode: 127)
    }

    /// Start the command as our child inside `cgroup`, with our environment, as `credentials`'
    /// user when given (-u). Returns its pid, for waitpid.
    public func spawn(in cgroup: TransientCgroup, credentials: UserCredentials?) throws(LaunchError) -> pid_t {
        let cArgv = argv.map { strdup($0) } + [nil]
        let env = environmentStrings()
        let cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        let pid: pid_t
        if let credentials {
            pid = credentials.groups.withUnsafeBufferPointer { groups in
                var creds = cgt_spawn_creds(set: 1, uid: credentials.uid, gid: credentials.gid,
                                            ngroups: Int32(groups.count), groups: groups.baseAddress)
                return cgt_spawn_in_cgroup(cgroup.fd, executable, cArgv, cEnv, &creds)
            }
        } else {
            pid = cgt_spawn_in_cgroup(cgroup.fd, executable, cArgv, cEnv, nil)
        }
        if pid < 0 {
            throw LaunchError("exec '\(executable)': \(String(cString: strerror(-pid)))", exitCode: 126)
        }
        return pid
    }

    /// Start the command inside the cgroup directory `cgroupPath` to outlive this process: in
    /// its own session with stdin from /dev/null; when cgtrace exits it is reparented to init
    /// (or the nearest subreaper), which reaps it.
    public func spawnDetached(inCgroup cgroupPath: String) throws(LaunchError) -> pid_t {
        let fd = open(cgroupPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw LaunchError("cannot open cgroup \(cgroupPath): \(String(cString: strerror(errno)))", exitCode: 4)
        }
        defer { close(fd) }
        let cArgv = argv.map { strdup($0) } + [nil]
        defer { cArgv.forEach { free($0) } }
        let pid = cgt_spawn_detached_in_cgroup(fd, executable, cArgv, environ)
        if pid < 0 {
            throw LaunchError("exec '\(executable)': \(String(cString: strerror(-pid)))", exitCode: 126)
        }
        return pid
    }
}

/// This process's environment as strings (what the command inherits).
func environmentStrings() -> [String] {
    var result: [String] = []
    var p = environ
    while let entry = p.pointee {
        result.append(String(cString: entry))
        p += 1
    }
    return result
}
