import WholeFiles

/// The mounts /proc/self/mountinfo lists, in the order they were made (a later mount at a path
/// covers an earlier one): where the cgroup v2 hierarchy is, and what is mounted at
/// /sys/fs/bpf.
public struct Mountinfo: Sendable {
    public struct Mount: Sendable, Equatable {
        /// Unescaped (mountinfo writes a space as `\040`).
        public let point: String
        public let type: String
    }

    public let mounts: [Mount]

    public init(text: String) {
        mounts = text.split(separator: "\n").compactMap { line in
            // Fields: id parent major:minor root mountpoint options [optional…] - fstype source superopts
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count, fields.count > 4 else { return nil }
            return Mount(point: unescapeBytes(String(fields[4]), marker: nil, digits: 3, radix: 8), type: String(fields[dash + 1]))
        }
    }

    /// This process's mounts; nil if mountinfo cannot be read.
    public static func current(path: String = "/proc/self/mountinfo") -> Mountinfo? {
        WholeFile.text(atPath: path).map { Mountinfo(text: $0) }
    }

    /// The mount point of the first file system of `type`.
    public func firstPoint(ofType type: String) -> String? {
        mounts.first { $0.type == type }?.point
    }

    /// The type of what is mounted at `point`, the last mount there; nil when nothing is.
    public func type(at point: String) -> String? {
        mounts.last { $0.point == point }?.type
    }
}
