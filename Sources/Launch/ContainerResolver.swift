import Glibc

/// A container runtime's command-line tool, asked for the full id of a container named by name
/// or id prefix (the names live only in the runtime's own state, not in cgroup names).
public struct RuntimeCLI: Sendable {
    public let runtime: String
    /// The command, with the container's name or id appended.
    public let command: [String]
    public let reply: Reply
    /// The daemon's socket: (environment variable naming it, default path). Without it the
    /// CLI is not run: ctr, for one, waits out its whole deadline dialling a socket that is not there.
    public let socket: (variable: String, path: String)?

    /// What the command prints for a container it knows.
    public enum Reply: Sendable {
        /// Full container ids, one a line.
        case ids
        /// The container's OCI spec as JSON, whose `"cgroupsPath"` names its cgroup.
        case specCgroupsPath
    }

    public init(runtime: String, command: [String], reply: Reply = .ids, socket: (variable: String, path: String)? = nil) {
        self.runtime = runtime
        self.command = command
        self.reply = reply
        self.socket = socket
    }

    /// The daemon socket this CLI would use, when it has one and it is missing.
    public func missingSocket() -> String? {
        guard let socket else { return nil }
        let path = getenv(socket.variable).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? socket.path
        let file = path.hasPrefix("unix://") ? String(path.dropFirst(7)) : path
        return access(file, F_OK) == 0 ? nil : file
    }

    /// `podman`/`docker container inspect` take a name or a unique id prefix and print the full
    /// id. `crictl inspect` takes only ids, so names go through `crictl ps --name` (an anchored
    /// regular expression over running containers' names). containerd's own containers (`ctr
    /// run`) have ids that users choose and cgroups at `/NAMESPACE/ID`, too generic a layout to
    /// scan for: `ctr containers info` (namespace from $CONTAINERD_NAMESPACE, else `default`;
    /// socket from $CONTAINERD_ADDRESS) gives the spec, and in it the cgroup.
    public static let standard: [RuntimeCLI] = [
        RuntimeCLI(runtime: "podman", command: ["podman", "container", "inspect", "--format", "{{.Id}}"]),
        RuntimeCLI(runtime: "docker", command: ["docker", "container", "inspect", "--format", "{{.Id}}"]),
        RuntimeCLI(runtime: "crictl", command: ["crictl", "ps", "--quiet", "--name"]),
        RuntimeCLI(runtime: "containerd", command: ["ctr", "--connect-timeout", "1s", "containers", "info"], reply: .specCgroupsPath,
                   socket: ("CONTAINERD_ADDRESS", "/run/containerd/containerd.sock")),
    ]

    /// The value of the first `"cgroupsPath": "…"` in a JSON text. systemd-style values
    /// (`SLICE:PREFIX:NAME`) become the path systemd gives them: `SLICE-path/PREFIX-NAME.scope`.
    public static func cgroupsPath(inSpec json: String) -> String? {
        let bytes = Array(json.utf8)
        let key = Array("\"cgroupsPath\"".utf8)
        guard bytes.count > key.count,
              let at = (0...(bytes.count - key.count)).first(where: { bytes[$0..<($0 + key.count)].elementsEqual(key) }) else { return nil }
        var i = at + key.count
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: ":") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\""),
              let end = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let value = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3 && !value.hasPrefix("/") {
            let slice = SystemdUnitResolver.slicePath(parts[0].isEmpty ? "system.slice" : String(parts[0]))
            return "/" + (slice.isEmpty ? "" : slice + "/") + parts[1] + "-" + parts[2] + ".scope"
        }
        return value.isEmpty ? nil : (value.hasPrefix("/") ? value : "/" + value)
    }

    func arguments(for query: String) -> [String] {
        command.last == "--name" ? command + ["^" + query + "$"] : command + [query]
    }
}

/// Finds a container's cgroup from what users type: an id prefix (found in cgroup names by
/// `ContainerCgroupLayout`) or a name (asked of the runtimes' CLIs, then found by id).
public struct ContainerResolver {
    public let hierarchy: CgroupHierarchy
    public var runtimes: [RuntimeCLI] = RuntimeCLI.standard
    /// Seconds each CLI gets: a CLI whose daemon hangs must not hang cgtrace. `podman inspect`
    /// takes ~0.1 s here, `docker inspect` with no daemon fails at once.
    public var timeout = 3.0
    /// Runs a CLI (tests replace it).
    public var runTool: (_ argv: [String], _ timeout: Double) -> ExternalTool.Outcome = ExternalTool.run
    /// Looks a name up in the runtimes' state files (tests replace it).
    public var stateLookUp: (_ name: String) -> [(state: String, ids: [String]?)] = { RuntimeStateFiles.lookUp($0) }

    public init(hierarchy: CgroupHierarchy) {
        self.hierarchy = hierarchy
    }

    /// Every container cgroup under the mount, by layout: the shallowest directory per
    /// (runtime, key) (podman nests a `container` cgroup inside its scope; docker-in-docker
    /// nests whole trees).
    public func scan() -> [ContainerCgroup] {
        var found: [ContainerCgroup] = []
        var seen = Set<String>()
        let mount = hierarchy.mountPoint
        for path in hierarchy.findCgroup(where: { _, _ in true }) where path.count > mount.count {
            let relative = String(path.dropFirst(mount.count))
            guard let (layout, key) = ContainerCgroupLayout.match(relativePath: relative) else { continue }
            if seen.insert(layout.runtime + "\u{0}" + key).inserted {
                found.append(ContainerCgroup(runtime: layout.runtime, key: key, path: path))
            }
        }
        return found
    }

    public func resolve(_ query: String) throws(LaunchError) -> ContainerCgroup {
        guard !query.isEmpty, !query.contains("/") else {
            throw LaunchError("'\(query)' is not a container id or name", exitCode: 2)
        }
        let all = scan()
        let lowered = query.lowercased()
        let isHex = lowered.utf8.allSatisfy(ContainerCgroupLayout.isLowerHex)
        var candidates = all.filter { c in
            c.key == query || (isHex && c.key.count == 64 && c.key.hasPrefix(lowered))
        }
        // One runtime's container may appear under another's layout too (docker under kubepods):
        // the same id is one container.
        candidates = Self.uniqueByKey(candidates)
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 { throw ambiguous(query, candidates) }

        // Not in any cgroup name: a name only the runtimes know.
        var asked: [String] = []
        var answers: [ContainerCgroup] = []
        var notRunning: [String] = []
        for cli in runtimes {
            if let socket = cli.missingSocket() {
                asked.append("\(cli.runtime) (not running: no \(socket))")
                continue
            }
            switch runTool(cli.arguments(for: query), timeout) {
            case .notInstalled:
                asked.append("\(cli.runtime) (not installed)")
            case .timedOut:
                asked.append("\(cli.runtime) (no answer in \(Int(timeout)) s)")
            case .failedToStart(let why):
                asked.append("\(cli.runtime) (\(why))")
            case .exited(let status, let stdout, let stderr):
                if cli.reply == .specCgroupsPath {
                    guard status == 0, let relative = RuntimeCLI.cgroupsPath(inSpec: stdout) else {
                        asked.append("\(cli.runtime) (\(Self.firstLine(stderr, or: status == 0 ? "no cgroupsPath in its spec" : "exit status \(status)")))")
                        continue
                    }
                    asked.append(cli.runtime)
                    let path = hierarchy.mountPoint + relative
                    if isDirectory(path) {
                        answers.append(ContainerCgroup(runtime: cli.runtime, key: query, path: path))
                    } else {
                        notRunning.append("\(cli.runtime) container \(query)")
                    }
                    continue
                }
                let ids = stdout.split(whereSeparator: { $0 == "\n" || $0 == " " }).map(String.init)
                    .filter { !$0.isEmpty && $0.utf8.allSatisfy(ContainerCgroupLayout.isLowerHex) }
                guard status == 0, !ids.isEmpty else {
                    asked.append("\(cli.runtime) (\(Self.firstLine(stderr, or: status == 0 ? "no such container" : "exit status \(status)")))")
                    continue
                }
                asked.append(cli.runtime)
                for id in ids {
                    if let c = cgroup(ofID: id, runtime: cli.runtime, in: all) {
                        answers.append(c)
                    } else {
                        notRunning.append("\(cli.runtime) container \(id.prefix(12))")
                    }
                }
            }
        }
        // No CLI knew it (or none is installed: cgtrace in an image): the runtimes' state files.
        if answers.isEmpty {
            for (state, ids) in stateLookUp(query) {
                guard let ids else { continue }
                asked.append(state)
                for id in ids {
                    if let c = cgroup(ofID: id, runtime: state.split(separator: " ").first.map(String.init) ?? state, in: all) {
                        answers.append(c)
                    } else {
                        notRunning.append("container \(id.prefix(12))")
                    }
                }
            }
        }
        answers = Self.uniqueByKey(answers)
        if answers.count == 1 { return answers[0] }
        if answers.count > 1 { throw ambiguous(query, answers) }
        if !notRunning.isEmpty {
            throw LaunchError("'\(query)' is \(notRunning.joined(separator: " and ")), which has no cgroup under \(hierarchy.mountPoint) (is it running?)", exitCode: 2)
        }
        let layouts = ContainerCgroupLayout.all.map { "\($0.pattern) (\($0.runtime))" }.joined(separator: ", ")
        throw LaunchError("no container '\(query)': asked \(asked.joined(separator: ", ")); no cgroup under \(hierarchy.mountPoint) matches \(layouts)", exitCode: 2)
    }

    /// The cgroup of a container whose full (or prefix) id a CLI gave: by layout first, else any
    /// directory whose name carries the id (a custom --cgroup-parent), monitors excluded.
    func cgroup(ofID id: String, runtime: String, in all: [ContainerCgroup]) -> ContainerCgroup? {
        if let c = all.first(where: { $0.key.count == 64 && $0.key.hasPrefix(id) }) {
            return ContainerCgroup(runtime: runtime, key: c.key, path: c.path)
        }
        guard id.count >= 12 else { return nil }
        let found = hierarchy.findCgroup(where: { name, _ in
            name.contains(id) && !ContainerCgroupLayout.excludedPrefixes.contains { name.hasPrefix($0) } && !name.contains("conmon")
        })
        return found.first.map { ContainerCgroup(runtime: runtime, key: id, path: $0) }
    }

    func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func uniqueByKey(_ list: [ContainerCgroup]) -> [ContainerCgroup] {
        var seen = Set<String>()
        return list.filter { seen.insert($0.key).inserted }
    }

    func ambiguous(_ query: String, _ candidates: [ContainerCgroup]) -> LaunchError {
        let list = candidates.sorted { $0.key < $1.key }
            .map { "\($0.runtime) \($0.shortKey) (\($0.path.dropFirst(hierarchy.mountPoint.count)))" }
        return LaunchError("container '\(query)' is ambiguous: \(list.joined(separator: ", "))", exitCode: 2)
    }

    static func firstLine(_ text: String, or fallback: String) -> String {
        let line = text.split(separator: "\n").first.map { String($0) } ?? ""
        var trimmed = Substring(line)
        for prefix in ["Error: ", "Error response from daemon: ", "error: "] where trimmed.hasPrefix(prefix) {
            trimmed = trimmed.dropFirst(prefix.count)
        }
        return trimmed.isEmpty ? fallback : String(trimmed.prefix(120))
    }
}
