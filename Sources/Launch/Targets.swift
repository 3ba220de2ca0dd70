import Glibc
import Loader
import WholeFiles

/// What the user asked to trace, before it is resolved against the running system.
public enum TargetSpec: Sendable, Equatable {
    /// --cgroup PATH: absolute, or relative to the cgroup v2 mount.
    case cgroupPath(String)
    /// --cgroup-id ID (or --cgroup with a number): the kernel's cgroup id (its inode number).
    case cgroupID(UInt64)
    /// --container ID|NAME: a full or unique-prefix container id, or a container's name.
    case container(String)
    /// --unit NAME: a systemd unit's cgroup.
    case unit(String)
    /// -p PID: a running process (and, from now on, what it starts).
    case pid(Int32)
}

/// The targets, resolved: cgroups for the kernel's ancestor check, pids for its pid set.
public struct ResolvedTargets: Sendable {
    public var cgroups: [CgroupTarget] = []
    /// Directory of each cgroup target, to notice its removal.
    public var cgroupPaths: [String] = []
    /// Each cgroup target as the user named it (`cgroup PATH`, `container web (podman 7b476b926894)`,
    /// `unit nginx.service`), for messages and `cgtrace list`.
    public var cgroupLabels: [String] = []
    public var pids: [Int32] = []

    /// Why tracing ends when the cgroup at `index` is gone.
    public func removalMessage(_ index: Int) -> String {
        let label = cgroupLabels[index]
        return label.hasPrefix("cgroup ") ? "\(label) was removed" : "\(label) ended: its cgroup \(cgroupPaths[index]) was removed"
    }
}

extension CgroupHierarchy {
    public func resolve(_ specs: [TargetSpec], descendants: Bool) throws(LaunchError) -> ResolvedTargets {
        var resolved = ResolvedTargets()
        for spec in specs {
            switch spec {
            case .cgroupPath(let given):
                let path = given.hasPrefix("/") ? given : mountPoint + "/" + given
                let normalized = path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
                try add("/" + normalized, to: &resolved, descendants: descendants, label: nil)
            case .cgroupID(let id):
                guard let path = findCgroup(where: { _, inode in inode == id }).first else {
                    throw LaunchError("no cgroup has id \(id) under \(mountPoint)", exitCode: 2)
                }
                try add(path, to: &resolved, descendants: descendants, label: nil)
            case .container(let query):
                let found = try ContainerResolver(hierarchy: self).resolve(query)
                let label = found.key == query ? "container \(query) (\(found.runtime))"
                    : "container \(query) (\(found.runtime) \(found.shortKey))"
                try add(found.path, to: &resolved, descendants: descendants, label: label)
            case .unit(let name):
                try add(try SystemdUnitResolver(hierarchy: self).resolve(name), to: &resolved, descendants: descendants,
                        label: "unit " + SystemdUnitResolver.unitName(name))
            case .pid(let pid):
                guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else {
                    throw LaunchError("attach: pid \(pid): \(String(cString: strerror(errno == 0 ? ESRCH : errno)))", exitCode: 2)
                }
                if pid == getpid() { throw LaunchError("attach: pid \(pid) is cgtrace itself", exitCode: 2) }
                // kill(pid, 0) succeeds on a zombie, whose exit the probes will never see.
                if !processIsRunning(pid) {
                    throw LaunchError("attach: pid \(pid) has exited (a zombie its parent has not reaped)", exitCode: 2)
                }
                resolved.pids.append(pid)
            }
        }
        return resolved
    }

    /// `label`: how the user named it; nil for a cgroup given as such.
    private func add(_ path: String, to resolved: inout ResolvedTargets, descendants: Bool, label: String?) throws(LaunchError) {
        let mount = mountPoint.hasSuffix("/") ? String(mountPoint.dropLast()) : mountPoint
        let clean = path == mount + "/" ? mount : path
        resolved.cgroups.append(try target(path: clean, descendants: descendants))
        resolved.cgroupPaths.append(clean)
        resolved.cgroupLabels.append(label ?? "cgroup " + clean)
    }

    /// Cgroup directories (absolute paths) whose (name, inode) satisfy `match`, shallowest first.
    func findCgroup(where match: (String, UInt64) -> Bool) -> [String] {
        var found: [String] = []
        var queue = [mountPoint]
        var st = stat()
        if stat(mountPoint, &st) == 0, match("", UInt64(st.st_ino)) { found.append(mountPoint) }
        var next = 0
        while next < queue.count {
            let dir = queue[next]
            next += 1
            guard let handle = opendir(dir) else { continue }
            while let entry = readdir(handle) {
                guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = dir + "/" + name
                if match(name, UInt64(entry.pointee.d_ino)) { found.append(path) }
                queue.append(path)
            }
            closedir(handle)
        }
        return found
    }
}

/// The process exists and has not exited: /proc/PID/stat's state is not Z (zombie) or X (dead).
/// (`kill(pid, 0)` succeeds on a zombie until its parent reaps it.)
public func processIsRunning(_ pid: Int32) -> Bool {
    guard let stat = WholeFile.text(atPath: "/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].first { $0 != " " }
    return state != nil && state != "Z" && state != "X"
}
