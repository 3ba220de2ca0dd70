/// How container runtimes name their containers' cgroups, as data: one row per convention.
/// `ContainerResolver` scans the cgroup tree with this table; the rows are unit-tested from real
/// paths (Tests/DecodingTests/ContainerLayoutTests.swift).
public struct ContainerCgroupLayout: Sendable {
    /// What the variable part of the directory name is.
    public enum Key: Sendable {
        /// A container id: 64 lowercase hex digits (docker, podman, containerd, cri-o).
        case id
        /// A name as the runtime's user gave it (systemd-nspawn, LXC); systemd escapes some
        /// characters in unit names (`-` as `\x2d`), undone here.
        case name
    }

    /// Where the directory must sit, for names that would be too generic on their own.
    public enum Parent: Sendable {
        case any
        /// The directory directly above is called this.
        case named(String)
        /// Some directory above is called this.
        case ancestor(String)
        /// The directory above is a Kubernetes pod's (`pod<UID>`, `kubepods-…-pod<UID>.slice`)
        /// below a `kubepods` cgroup (at the root, or nested as on kind nodes).
        case kubernetesPod
    }

    /// The runtime, as the user knows it.
    public let runtime: String
    /// The layout as errors show it.
    public let pattern: String
    public let prefix: String
    public let suffix: String
    public let key: Key
    public let parent: Parent

    /// The key (id or name) a cgroup directory carries under this layout, if it follows it.
    /// `components` are the path's directory names below the cgroup mount, the last one the
    /// directory's own.
    public func key<C: BidirectionalCollection>(inPath components: C) -> String? where C.Element: StringProtocol {
        guard let last = components.last, last.hasPrefix(prefix), last.hasSuffix(suffix),
              last.count > prefix.count + suffix.count else { return nil }
        let body = last.dropFirst(prefix.count).dropLast(suffix.count)
        let value: String
        switch key {
        case .id:
            guard body.count == 64, body.utf8.allSatisfy(Self.isLowerHex) else { return nil }
            value = String(body)
        case .name:
            value = Self.systemdUnescape(String(body))
        }
        let above = components.dropLast()
        switch parent {
        case .any:
            return value
        case .named(let name):
            return above.last.map { $0 == name } == true ? value : nil
        case .ancestor(let name):
            return above.contains { $0 == name } ? value : nil
        case .kubernetesPod:
            guard let pod = above.last, above.contains(where: { $0.contains("kubepods") }) else { return nil }
            let isPod = pod.hasPrefix("pod") || (pod.hasSuffix(".slice") && pod.contains("-pod"))
            return isPod ? value : nil
        }
    }

    static func isLowerHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }

    /// systemd's unit-name escaping: `\xHH` for a byte (a `-` in a machine name is `\x2d`).
    public static func systemdUnescape(_ s: String) -> String {
        unescapeBytes(s, marker: UInt8(ascii: "x"), digits: 2, radix: 16)
    }

    /// The runtimes' conventions. Runtime monitors have cgroups of their own that must not be
    /// taken for the container: podman's conmon (`libpod-conmon-ID.scope`, `libpod_parent/conmon`)
    /// and cri-o's (`crio-conmon-ID.scope`) — their names fail the id check (`conmon-…` is not
    /// 64 hex digits), which `excludedPrefixes` also states outright.
    public static let all: [ContainerCgroupLayout] = [
        // podman, cgroupfs manager: /libpod_parent/libpod-ID (pods: /libpod_parent/POD/libpod-ID)
        ContainerCgroupLayout(runtime: "podman", pattern: "libpod_parent/…/libpod-ID", prefix: "libpod-", suffix: "",
                              key: .id, parent: .ancestor("libpod_parent")),
        // podman, systemd manager: machine.slice/libpod-ID.scope, rootless under user@UID.service
        ContainerCgroupLayout(runtime: "podman", pattern: "…/libpod-ID.scope", prefix: "libpod-", suffix: ".scope",
                              key: .id, parent: .any),
        // docker, cgroupfs driver: /docker/ID
        ContainerCgroupLayout(runtime: "docker", pattern: "docker/ID", prefix: "", suffix: "",
                              key: .id, parent: .named("docker")),
        // docker, systemd driver: system.slice/docker-ID.scope
        ContainerCgroupLayout(runtime: "docker", pattern: "…/docker-ID.scope", prefix: "docker-", suffix: ".scope",
                              key: .id, parent: .any),
        // containerd under Kubernetes, systemd driver: kubepods.slice/…/cri-containerd-ID.scope
        ContainerCgroupLayout(runtime: "containerd", pattern: "…/cri-containerd-ID.scope", prefix: "cri-containerd-", suffix: ".scope",
                              key: .id, parent: .any),
        // Kubernetes, cgroupfs driver (containerd, docker): kubepods/[burstable/]podUID/ID
        ContainerCgroupLayout(runtime: "kubernetes", pattern: "kubepods/…/podUID/ID", prefix: "", suffix: "",
                              key: .id, parent: .kubernetesPod),
        // cri-o, systemd driver: kubepods.slice/…/crio-ID.scope
        ContainerCgroupLayout(runtime: "cri-o", pattern: "…/crio-ID.scope", prefix: "crio-", suffix: ".scope",
                              key: .id, parent: .any),
        // cri-o, cgroupfs driver: kubepods/…/podUID/crio-ID
        ContainerCgroupLayout(runtime: "cri-o", pattern: "kubepods/…/podUID/crio-ID", prefix: "crio-", suffix: "",
                              key: .id, parent: .kubernetesPod),
        // systemd-nspawn (and other machined machines): machine.slice/machine-NAME.scope
        ContainerCgroupLayout(runtime: "systemd-nspawn", pattern: "…/machine-NAME.scope", prefix: "machine-", suffix: ".scope",
                              key: .name, parent: .any),
        // LXC 4+ on cgroup v2: /lxc.payload.NAME (its monitor is lxc.monitor.NAME)
        ContainerCgroupLayout(runtime: "lxc", pattern: "lxc.payload.NAME", prefix: "lxc.payload.", suffix: "",
                              key: .name, parent: .any),
    ]

    /// Monitor processes' cgroups, never a container's.
    public static let excludedPrefixes = ["libpod-conmon-", "crio-conmon-", "conmon"]

    /// The first layout a cgroup path (relative to the mount, `/`-separated) follows.
    public static func match(relativePath: String) -> (layout: ContainerCgroupLayout, key: String)? {
        let components = relativePath.split(separator: "/")
        guard let last = components.last, !excludedPrefixes.contains(where: { last.hasPrefix($0) }) else { return nil }
        for layout in all {
            if let key = layout.key(inPath: components) { return (layout, key) }
        }
        return nil
    }
}

/// A container's cgroup, found by its layout (or by the id a runtime's CLI gave).
public struct ContainerCgroup: Sendable, Equatable {
    public var runtime: String
    /// The container id (64 hex digits), or the name for runtimes that name cgroups by name.
    public var key: String
    /// The cgroup directory, absolute.
    public var path: String

    public init(runtime: String, key: String, path: String) {
        self.runtime = runtime
        self.key = key
        self.path = path
    }

    public var shortKey: String { key.count == 64 ? String(key.prefix(12)) : key }
}
