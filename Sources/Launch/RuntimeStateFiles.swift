import Glibc
import WholeFiles

/// Container names from the runtimes' state on disk, for when their CLIs are not there: cgtrace
/// in a container image, with the state mounted read-only (the Containerfile's header says how).
///   podman, cri-o (containers/storage): /var/lib/containers/storage/overlay-containers/containers.json,
///     an array of {"id": "…", "names": ["web"], …}
///   docker: /var/lib/docker/containers/ID/config.v2.json, {"ID": "…", "Name": "/web", …}
public enum RuntimeStateFiles {
    public static let containersStorage = "/var/lib/containers/storage/overlay-containers/containers.json"
    public static let dockerContainers = "/var/lib/docker/containers"

    /// The ids of the containers named `name` in a containers.json text.
    public static func ids(named name: String, containersJSON text: String) -> [String] {
        guard case .array(let entries)? = JSONText.parse(text) else { return [] }
        return entries.compactMap { entry in
            guard case .object(let members) = entry, case .string(let id)? = members["id"],
                  case .array(let names)? = members["names"], names.contains(.string(name)) else { return nil }
            return id
        }
    }

    /// The id in a docker config.v2.json text, when the container is named `name`.
    public static func id(named name: String, dockerConfig text: String) -> String? {
        guard case .object(let members)? = JSONText.parse(text), case .string(let id)? = members["ID"],
              members["Name"] == .string("/" + name) else { return nil }
        return id
    }

    /// For each runtime's state: where it was looked for ("podman state PATH") and the ids of
    /// the containers called `name` in it (nil: no such state on this machine).
    public static func lookUp(_ name: String, storage: String = containersStorage, docker: String = dockerContainers)
        -> [(state: String, ids: [String]?)] {
        var result: [(String, [String]?)] = []
        result.append(("podman state \(storage)", WholeFile.text(atPath: storage).map { ids(named: name, containersJSON: $0) }))
        if let dir = opendir(docker) {
            var found: [String] = []
            while let entry = readdir(dir) {
                let id = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                guard !id.hasPrefix("."), let text = WholeFile.text(atPath: "\(docker)/\(id)/config.v2.json") else { continue }
                if let found1 = self.id(named: name, dockerConfig: text) { found.append(found1) }
            }
            closedir(dir)
            result.append(("docker state \(docker)", found))
        } else {
            result.append(("docker state \(docker)", nil))
        }
        return result
    }

}

/// Just enough JSON to read the runtimes' state files: strings, arrays and objects, with numbers,
/// booleans and null kept as `.other`. Invalid text is nil.
enum JSONText: Equatable {
    case string(String)
    case array([JSONText])
    case object([String: JSONText])
    case other

    static func parse(_ text: String) -> JSONText? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let value = reader.value() else { return nil }
        reader.skipSpace()
        return reader.at == reader.bytes.count ? value : nil
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0
        var depth = 0

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[at]) { at += 1 }
        }

        mutating func value() -> JSONText? {
            skipSpace()
            guard at < bytes.count, depth < 64 else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "\""): return string().map(JSONText.string)
            case UInt8(ascii: "["):
                at += 1; depth += 1; defer { depth -= 1 }
                var items: [JSONText] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard at < bytes.count else { return nil }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "{"):
                at += 1; depth += 1; defer { depth -= 1 }
                var members: [String: JSONText] = [:]
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\""), let key = string() else { return nil }
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
                    at += 1
                    guard let member = value() else { return nil }
                    members[key] = member
                    skipSpace()
                    guard at < bytes.count else { return nil }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                    return nil
                }
            default:
                // A number, true, false or null: its characters up to the next delimiter.
                let start = at
                while at < bytes.count, !",]} \t\r\n".utf8.contains(bytes[at]) { at += 1 }
                return at > start ? .other : nil
            }
        }

        /// A string at `at` (its opening quote), escapes decoded (\uXXXX as one UTF-16 unit;
        /// the runtimes' ids and names are ASCII).
        mutating func string() -> String? {
            at += 1
            var out: [UInt8] = []
            while at < bytes.count {
                let c = bytes[at]
                at += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else { out.append(c); continue }
                guard at < bytes.count else { return nil }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "u"):
                    guard at + 4 <= bytes.count, let unit = UInt32(String(decoding: bytes[at..<(at + 4)], as: UTF8.self), radix: 16) else { return nil }
                    at += 4
                    out += Array(String(Unicode.Scalar(unit).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            return nil
        }
    }
}
