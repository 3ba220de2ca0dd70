import Glibc
import Loader
import WholeFiles

/// The cgroup v2 hierarchy, found from /proc/self/mountinfo (it may be at /sys/fs/cgroup, or at
/// /sys/fs/cgroup/unified on hybrid systems, or anywhere else).
public struct CgroupHierarchy: Sendable {
    public let mountPoint: String

    /// A hierarchy mounted at `mountPoint` (tests lay out trees in temporary directories).
    public init(mountPoint: String) {
        self.mountPoint = mountPoint
    }

    public static func find(mountinfo: String = "/proc/self/mountinfo") throws(LaunchError) -> CgroupHierarchy {
        guard let mounts = Mountinfo.current(path: mountinfo) else {
            throw LaunchError("cannot read \(mountinfo)", exitCode: 4)
        }
        if let mount = mounts.firstPoint(ofType: "cgroup2") {
            return CgroupHierarchy(mountPoint: mount)
        }
        throw LaunchError("no cgroup v2 hierarchy is mounted (mount -t cgroup2 none /sys/fs/cgroup)", exitCode: 4)
    }

    /// The kernel's cgroup id (the directory's inode number) and depth of a cgroup directory.
    public func target(path: String, descendants: Bool = true) throws(LaunchError) -> CgroupTarget {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw LaunchError("\(path): not a cgroup directory", exitCode: 2)
        }
        guard path.hasPrefix(mountPoint) else {
            throw LaunchError("\(path): not under the cgroup v2 mount \(mountPoint)", exitCode: 2)
        }
        let relative = path.dropFirst(mountPoint.count).split(separator: "/")
        return CgroupTarget(id: UInt64(st.st_ino), level: UInt32(relative.count), descendants: descendants)
    }
}

/// The cgroup cgtrace creates for a command: `<mount>/cgtrace/run-<pid>-<n>`. Removed when the
/// trace ends; one left behind by a killed cgtrace is removed by the next run.
public final class TransientCgroup {
    public let path: String
    public let fd: Int32
    private var removed = false

    public init(hierarchy: CgroupHierarchy) throws(LaunchError) {
        let parent = hierarchy.mountPoint + "/cgtrace"
        if mkdir(parent, 0o755) != 0 && errno != EEXIST {
            throw LaunchError("cannot create \(parent): \(String(cString: strerror(errno)))", exitCode: 4)
        }
        Self.removeStale(in: parent)
        let me = getpid()
        var n = 0
        var path = ""
        while true {
            path = "\(parent)/run-\(me)-\(n)"
            if mkdir(path, 0o755) == 0 { break }
            if errno != EEXIST || n > 1000 {
                throw LaunchError("cannot create cgroup \(path): \(String(cString: strerror(errno)))", exitCode: 4)
            }
            n += 1
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 {
            rmdir(path)
            throw LaunchError("cannot open cgroup \(path): \(String(cString: strerror(errno)))", exitCode: 4)
        }
        self.path = path
        self.fd = fd
    }

    deinit { remove() }

    /// Run directories whose cgtrace is gone and which hold no process.
    static func removeStale(in parent: String) {
        guard let dir = opendir(parent) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let parts = name.split(separator: "-")
            guard parts.count == 3, parts[0] == "run", let pid = Int32(parts[1]) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                rmdir("\(parent)/\(name)")  // fails harmlessly (EBUSY) while processes remain
            }
        }
    }

    /// True while any process remains in the cgroup (or its sub-cgroups).
    public var populated: Bool {
        guard let text = WholeFile.text(atPath: path + "/cgroup.events") else { return false }
        return text.contains("populated 1")
    }

    /// Kill everything left in the cgroup (cgroup.kill, kernel ≥ 5.14).
    public func killAll() {
        _ = writeTextFile(path + "/cgroup.kill", "1")
    }

    public func remove() {
        guard !removed else { return }
        removed = true
        close(fd)
        if rmdir(path) != 0 && errno == EBUSY {
            killAll()
            for _ in 0..<100 {
                if rmdir(path) == 0 || errno != EBUSY { break }
                usleep(10_000)
            }
        }
    }
}
