import Beautifiers

/// A JSON value, kept as a tree so the sink can fix up what the strace-shaped decoder calls
/// imply (a `name=` label becomes a key, two values for one slot become a list).
public indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    /// A number written with a fixed count of decimals (times in seconds).
    case fixed(Int64, scale: Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.uint(x), .uint(y)): return x == y
        case let (.fixed(x, s), .fixed(y, t)): return x == y && s == t
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Compact JSON text (one line: strings escape every control character, newlines included).
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let v): out.append(contentsOf: String(v).utf8)
        case .uint(let v): out.append(contentsOf: String(v).utf8)
        case let .fixed(v, scale):
            var p: Int64 = 1
            for _ in 0..<scale { p *= 10 }
            if v < 0 { out.append(UInt8(ascii: "-")) }
            let m = v.magnitude
            out.append(contentsOf: String(m / UInt64(p)).utf8)
            if scale > 0 {
                var frac = String(m % UInt64(p))
                while frac.count < scale { frac = "0" + frac }
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: frac.utf8)
            }
        case .string(let s): JSONValue.writeString(s.utf8, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(k.utf8, to: &out)
                out.append(UInt8(ascii: ":"))
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    public var text: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `bytes` must be valid UTF-8 (Swift strings are; captured bytes are checked first).
    /// A JSON string literal. No allocation per call: it runs for every key and value.
    static func writeString<S: Sequence>(_ bytes: S, to out: inout [UInt8]) where S.Element == UInt8 {
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case UInt8(ascii: "\n"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\t"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\r"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "r"))
            case 0..<0x20, 0x7f:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "u"))
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "0"))
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 0xf))
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10 }
}

/// Renders decoded arguments as typed JSON: numbers as numbers, flags as arrays of names (bits
/// without a name follow as one number), strings as JSON strings (bytes that are not UTF-8 as
/// `{"hex": "…"}`, so nothing is lost), structs as objects keyed by field name, arrays as arrays,
/// addresses as `"0x…"` strings and NULL as null. What strace shows as a remark (`/* 39 vars */`)
/// or an ellipsis (`"abc"...`, `[a, b, ...]`) goes to `remarks` and `truncated`, keyed by the
/// value's path (`envp`, `argv`, `statbuf.st_mode`, `iov[0].iov_base`).
public final class JSONSink: ArgumentSink {
    private final class Container {
        let isArray: Bool
        let path: String
        var entries: [(key: String, values: [JSONValue])] = []
        init(isArray: Bool, path: String) {
            self.isArray = isArray
            self.path = path
        }
    }

    private var stack: [Container]
    public private(set) var remarks: [(String, String)] = []
    public private(set) var truncated: [String] = []

    public init() { stack = [Container(isArray: false, path: "")] }

    /// Start over (a new call).
    public func reset() {
        stack = [Container(isArray: false, path: "")]
        remarks = []
        truncated = []
    }

    /// The top level as an object keyed by argument name.
    public func result() -> JSONValue {
        while stack.count > 1 { close() }
        return Self.finish(stack[0])
    }

    /// The single value printed at top level (a return value's decoding), or null.
    public func singleValue() -> JSONValue {
        guard case .object(let members) = result(), let first = members.first else { return .null }
        return members.count == 1 ? first.1 : .array(members.map(\.1))
    }

    /// Remarks and truncations as the JSON event carries them (nil when there are none).
    public var remarksValue: JSONValue? {
        remarks.isEmpty ? nil : .object(remarks.map { ($0.0, .string($0.1)) })
    }

    public var truncatedValue: JSONValue? {
        truncated.isEmpty ? nil : .array(truncated.map { .string($0) })
    }

    // MARK: ArgumentSink

    public func argument(_ name: String) { newEntry(name) }
    public func field(_ name: String) { newEntry(name) }
    public func element() { newEntry(nil) }

    public func signed(_ value: Int64) { put(.int(value)) }
    public func unsigned(_ value: UInt64) { put(.uint(value)) }
    public func hex(_ value: UInt64) { put(.uint(value)) }
    public func octal(_ value: UInt64) { put(.uint(value)) }
    public func pointer(_ value: UInt64) { put(value == 0 ? .null : .string("0x" + String(value, radix: 16))) }
    public func symbol(_ name: String) { put(.string(name)) }

    public func flags(_ names: [String], rest: UInt64, zero: String) {
        var items: [JSONValue] = names.map { .string($0) }
        if rest != 0 { items.append(.uint(rest)) }
        // A set with nothing in it: strace shows the family's zero name (O_RDONLY) or 0.
        if items.isEmpty && zero != "0" { items.append(.string(zero)) }
        put(.array(items))
    }

    public func string(_ bytes: ArraySlice<UInt8>, truncated isTruncated: Bool, hexOnly: Bool) {
        if let text = Self.utf8(bytes) {
            put(.string(text))
        } else {
            put(.object([("hex", .string(bytes.map { Self.hexByte($0) }.joined()))]))
        }
        if isTruncated { truncated.append(currentPath) }
    }

    public func raw(_ text: String) {
        // `name=` then a value (clone's child_stack=…): the label is the value's key.
        let top = stack[stack.count - 1]
        if text.hasSuffix("="), text.count > 1, !top.isArray, let last = top.entries.last, last.values.isEmpty {
            top.entries[top.entries.count - 1].key = String(text.dropLast())
            return
        }
        put(.string(text))
    }

    public func comment(_ text: String) { remarks.append((currentPath, text)) }

    public func ellipsis() {
        let top = stack[stack.count - 1]
        truncated.append(top.path)
    }

    public func beginStruct() { open(isArray: false) }
    public func endStruct() { close() }
    public func beginArray() { open(isArray: true) }
    public func endArray() { close() }

    // MARK: Building

    private func newEntry(_ key: String?) {
        let top = stack[stack.count - 1]
        var name = key ?? String(top.entries.count)
        if key != nil, top.entries.contains(where: { $0.key == name }) {
            // Never two equal keys in one object: JSON readers would keep only one.
            var n = 2
            while top.entries.contains(where: { $0.key == "\(name)#\(n)" }) { n += 1 }
            name = "\(name)#\(n)"
        }
        top.entries.append((name, []))
    }

    private func put(_ v: JSONValue) {
        let top = stack[stack.count - 1]
        if top.entries.isEmpty { newEntry(nil) }
        top.entries[top.entries.count - 1].values.append(v)
    }

    private var currentPath: String {
        let top = stack[stack.count - 1]
        guard let last = top.entries.last else { return top.path }
        return Self.join(top.path, last.key, isArray: top.isArray)
    }

    private func open(isArray: Bool) {
        stack.append(Container(isArray: isArray, path: currentPath))
    }

    private func close() {
        guard stack.count > 1 else { return }
        let done = stack.removeLast()
        put(Self.finish(done))
    }

    private static func finish(_ c: Container) -> JSONValue {
        func collapse(_ values: [JSONValue]) -> JSONValue {
            switch values.count {
            case 0: return .null
            case 1: return values[0]
            default: return .array(values)
            }
        }
        if c.isArray { return .array(c.entries.map { collapse($0.values) }) }
        return .object(c.entries.map { ($0.key, collapse($0.values)) })
    }

    private static func join(_ path: String, _ key: String, isArray: Bool) -> String {
        if isArray { return path + "[" + key + "]" }
        return path.isEmpty ? key : path + "." + key
    }

    static func utf8(_ bytes: ArraySlice<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    static func hexByte(_ b: UInt8) -> String {
        let s = String(b, radix: 16)
        return b < 16 ? "0" + s : s
    }
}
