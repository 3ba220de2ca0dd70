import Glibc

/// --unit NAME: the cgroup systemd made for a unit. Asked of systemd (`systemctl show`) when it
/// runs; otherwise found in the tree as systemd lays it out: slices nest by their dashes
/// (`a-b.slice` is `a.slice/a-b.slice`), and every other unit is a directory named after it
/// somewhere below its slice (`system.slice/nginx.service`, user units below `user@UID.service`).
public struct SystemdUnitResolver {
    public let hierarchy: CgroupHierarchy
    /// Ask systemd first: nil to decide by whether it runs (/run/systemd/system exists).
    public var askSystemd: Bool?
    public var runTool: (_ argv: [String], _ timeout: Double) -> ExternalTool.Outcome = ExternalTool.run

    public init(hierarchy: CgroupHierarchy, askSystemd: Bool? = nil) {
        self.hierarchy = hierarchy
        self.askSystemd = askSystemd
    }

    /// Unit types that own a cgroup.
    static let cgroupUnitTypes = ["service", "scope", "slice", "socket", "mount", "swap"]

    /// `nginx` means `nginx.service`, as systemctl reads it.
    public static func unitName(_ given: String) -> String {
        if let dot = given.lastIndex(of: "."), cgroupUnitTypes.contains(String(given[given.index(after: dot)...])) {
            return given
        }
        return given + ".service"
    }

    /// Where a slice's cgroup is: `-.slice` is the root, `a-b-c.slice` is `a.slice/a-b.slice/a-b-c.slice`.
    public static func slicePath(_ slice: String) -> String {
        let base = slice.dropLast(".slice".count)
        if base == "-" || base.isEmpty { return "" }
        var path: [String] = []
        var prefix = ""
        for part in base.split(separator: "-", omittingEmptySubsequences: false) {
            prefix = prefix.isEmpty ? String(part) : prefix + "-" + part
            path.append(prefix + ".slice")
        }
        return path.joined(separator: "/")
    }

    /// The unit's cgroup directory, absolute.
    public func resolve(_ given: String) throws(LaunchError) -> String {
        guard !given.isEmpty, !given.contains("/") else { throw LaunchError("'\(given)' is not a unit name", exitCode: 2) }
        let unit = Self.unitName(given)
        let mount = hierarchy.mountPoint
        let systemdRuns = askSystemd ?? (access("/run/systemd/system", F_OK) == 0)
        if systemdRuns, case .exited(0, let out, _) = runTool(["systemctl", "show", "--property", "ControlGroup", "--value", unit], 3) {
            let cgroup = out.split(separator: "\n").first.map(String.init) ?? ""
            if cgroup.hasPrefix("/") {
                let path = cgroup == "/" ? mount : mount + cgroup
                if isDirectory(path) { return path }
            }
            if cgroup.isEmpty {
                throw LaunchError("unit \(unit) has no cgroup (systemctl status \(unit): is it running?)", exitCode: 2)
            }
        }
        if unit.hasSuffix(".slice") {
            let relative = Self.slicePath(unit)
            let path = relative.isEmpty ? mount : mount + "/" + relative
            if isDirectory(path) { return path }
            throw LaunchError("no cgroup for \(unit): \(path) does not exist (is the slice active?)", exitCode: 2)
        }
        let found = hierarchy.findCgroup(where: { name, _ in name == unit })
        // A unit's own sub-cgroups (a delegated service's) can repeat names only below it; the
        // same name in two places is two managers' units (the system's and a user's).
        let outermost = found.filter { path in !found.contains { other in other != path && path.hasPrefix(other + "/") } }
        switch outermost.count {
        case 0:
            throw LaunchError("no cgroup named \(unit) under \(mount) (is it running?)", exitCode: 2)
        case 1:
            return outermost[0]
        default:
            let list = outermost.map { String($0.dropFirst(mount.count)) }.sorted().joined(separator: ", ")
            throw LaunchError("unit \(unit) is ambiguous: \(list) (give the cgroup with --cgroup)", exitCode: 2)
        }
    }

    func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
