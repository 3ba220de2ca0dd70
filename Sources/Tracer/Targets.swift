import Glibc
import Loader

/// What the user asked to trace, before it is resolved against the running system.
public enum TargetSpec: Sendable, Equatable {
    /// --cgroup PATH: absolute, or relative to the cgroup v2 mount.
    case cgroupPath(String)
    /// --cgroup-id ID (or --cgroup with a number): the kernel's cgroup id (its inode number).
    case cgroupID(UInt64)
    /// --container ID: a full or unique-prefix container id.
    case container(String)
    /// -p PID: a running process (and, from now on, what it starts).
    case pid(Int32)
}

/// The targets, resolved: cgroups for the kernel's ancestor check, pids for its pid set.
public struct ResolvedTargets: Sendable {
    public var cgroups: [CgroupTarget] = []
    /// Directory of each cgroup target, to notice its removal.
    public var cgroupPaths: [String] = []
    public var pids: [Int32] = []
}

extension CgroupHierarchy {
    public func resolve(_ specs: [TargetSpec], descendants: Bool) throws(TracerError) -> ResolvedTargets {
        var resolved = ResolvedTargets()
        for spec in specs {
            switch spec {
            case .cgroupPath(let given):
                let path = given.hasPrefix("/") ? given : mountPoint + "/" + given
                let normalized = path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
                try add("/" + normalized, to: &resolved, descendants: descendants)
            case .cgroupID(let id):
                guard let path = findCgroup(where: { _, inode in inode == id }).first else {
                    throw TracerError("no cgroup has id \(id) under \(mountPoint)", exitCode: 2)
                }
                try add(path, to: &resolved, descendants: descendants)
            case .container(let prefix):
                try add(try containerCgroup(prefix), to: &resolved, descendants: descendants)
            case .pid(let pid):
                guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else {
                    throw TracerError("attach: pid \(pid): \(String(cString: strerror(errno == 0 ? ESRCH : errno)))", exitCode: 2)
                }
                if pid == getpid() { throw TracerError("attach: pid \(pid) is cgtrace itself", exitCode: 2) }
                resolved.pids.append(pid)
            }
        }
        return resolved
    }

    private func add(_ path: String, to resolved: inout ResolvedTargets, descendants: Bool) throws(TracerError) {
        let mount = mountPoint.hasSuffix("/") ? String(mountPoint.dropLast()) : mountPoint
        let clean = path == mount + "/" ? mount : path
        resolved.cgroups.append(try target(path: clean, descendants: descendants))
        resolved.cgroupPaths.append(clean)
    }

    /// Cgroup directories (absolute paths) whose (name, inode) satisfy `match`, shallowest first.
    func findCgroup(where match: (String, UInt64) -> Bool) -> [String] {
        var found: [String] = []
        var queue = [mountPoint]
        var st = stat()
        if stat(mountPoint, &st) == 0, match("", UInt64(st.st_ino)) { found.append(mountPoint) }
        while !queue.isEmpty {
            let dir = queue.removeFirst()
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

    /// The container id a cgroup directory name carries, by the runtimes' naming conventions:
    /// systemd driver `docker-ID.scope`, `cri-containerd-ID.scope`, `crio-ID.scope` (not
    /// `crio-conmon-…`), `libpod-ID.scope`; cgroupfs driver a bare 64-hex-digit directory
    /// (`docker/ID`, `kubepods/…/podUID/ID`).
    public static func containerID(inCgroupName name: String) -> String? {
        var base = Substring(name)
        if base.hasSuffix(".scope") {
            base = base.dropLast(".scope".count)
            for prefix in ["docker-", "cri-containerd-", "crio-", "libpod-"] where base.hasPrefix(prefix) {
                let id = base.dropFirst(prefix.count)
                return isHexID(id) ? String(id) : nil
            }
            return nil
        }
        return base.count == 64 && isHexID(base) ? String(base) : nil
    }

    static func isHexID(_ s: Substring) -> Bool {
        s.count >= 12 && s.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    func containerCgroup(_ prefix: String) throws(TracerError) -> String {
        let wanted = prefix.lowercased()
        guard !wanted.isEmpty, wanted.allSatisfy(\.isHexDigit) else {
            throw TracerError("'\(prefix)' is not a container id (hex digits)", exitCode: 2)
        }
        var byID: [String: String] = [:]  // id → shallowest cgroup carrying it
        for path in findCgroup(where: { name, _ in
            Self.containerID(inCgroupName: name).map { $0.hasPrefix(wanted) } ?? false
        }) {
            let name = String(path.split(separator: "/").last ?? "")
            if let id = Self.containerID(inCgroupName: name), byID[id] == nil { byID[id] = path }
        }
        switch byID.count {
        case 0:
            throw TracerError("no container matches '\(prefix)' under \(mountPoint)", exitCode: 2)
        case 1:
            return byID.values.first!
        default:
            let list = byID.keys.sorted().map { String($0.prefix(12)) }.joined(separator: ", ")
            throw TracerError("container id '\(prefix)' is ambiguous: \(list)", exitCode: 2)
        }
    }
}
