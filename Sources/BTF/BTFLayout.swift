/// Struct layouts resolved from BTF into plain values, once at start-up: decoding an event then
/// walks these tables and never goes back to BTF.

/// What a value of some C type is, as far as printing it needs.
public indirect enum BTFValue: Sendable {
    /// An integer of `size` bytes.
    case integer(size: Int, signed: Bool)
    case boolean(size: Int)
    /// An enum of `size` bytes, printed by its enumerator's name.
    case enumeration(BTFEnum)
    case pointer
    /// A struct or union.
    case record(BTFRecord)
    /// `count` elements of `stride` bytes.
    case array(BTFValue, count: Int, stride: Int)
    /// A `char[count]`: text up to the first NUL.
    case characters(count: Int)
    /// Anything else (floats, function pointers are pointers): `size` bytes shown as a number.
    case opaque(size: Int)

    /// Bytes the value occupies.
    public var size: Int {
        switch self {
        case .integer(let s, _), .boolean(let s), .opaque(let s): return s
        case .enumeration(let e): return e.size
        case .pointer: return 8
        case .record(let r): return r.size
        case .array(_, let count, let stride):
            let (product, overflow) = count.multipliedReportingOverflow(by: stride)
            return overflow ? Int.max / 2 : product  // never fits the captured bytes
        case .characters(let count): return count
        }
    }
}

/// A kernel enum: its enumerators by value.
public struct BTFEnum: Sendable {
    public let name: String
    public let size: Int
    public let signed: Bool
    /// Enumerators in declaration order.
    public let values: [(name: String, value: Int64)]
    private let byValue: [Int64: String]

    public init(name: String, size: Int, signed: Bool, values: [(name: String, value: Int64)]) {
        self.name = name
        self.size = size
        self.signed = signed
        self.values = values
        var map: [Int64: String] = [:]
        for v in values where map[v.value] == nil { map[v.value] = v.name }
        byValue = map
    }

    /// The enumerator named for `value` (compared at the enum's width).
    public func name(for value: Int64) -> String? { byValue[value] }
}

/// One field of a struct or union.
public struct BTFField: Sendable {
    public let name: String
    /// Offset of the field's first byte in its struct.
    public let offset: Int
    /// For a bitfield: the bit position within the 8 bytes at `offset`, and its width; 0 otherwise.
    public let bitShift: Int
    public let bitSize: Int
    public let value: BTFValue

    public init(name: String, offset: Int, bitShift: Int, bitSize: Int, value: BTFValue) {
        self.name = name
        self.offset = offset
        self.bitShift = bitShift
        self.bitSize = bitSize
        self.value = value
    }
}

/// A struct or union layout (a class: nested structs share one copy).
public final class BTFRecord: Sendable {
    public let name: String
    public let isUnion: Bool
    public let size: Int
    /// Anonymous struct and union members are kept as fields with an empty name.
    public let fields: [BTFField]

    public init(name: String, isUnion: Bool, size: Int, fields: [BTFField]) {
        self.name = name
        self.isUnion = isUnion
        self.size = size
        self.fields = fields
    }

    /// The field called `name`, looking inside anonymous members too.
    public func field(_ name: String) -> (offset: Int, size: Int)? {
        for f in fields {
            if f.name == name { return (f.offset, f.bitSize > 0 ? 0 : f.value.size) }
            if f.name.isEmpty, case .record(let inner) = f.value, let found = inner.field(name) {
                return (f.offset + found.offset, found.size)
            }
        }
        return nil
    }
}

extension BTFFile {
    /// Layouts of the named structs and unions (the names without `struct `); names BTF does
    /// not define are left out.
    public func records(_ names: Set<String>) -> [String: BTFRecord] {
        var memo: [Int: BTFRecord] = [:]
        var out: [String: BTFRecord] = [:]
        for (name, id) in find(names, kinds: [.structure, .union]) {
            out[name] = record(id, memo: &memo, depth: 0)
        }
        return out
    }

    /// The named enums (without `enum `).
    public func enums(_ names: Set<String>) -> [String: BTFEnum] {
        var out: [String: BTFEnum] = [:]
        for (name, id) in find(names, kinds: [.enumeration, .enumeration64]) {
            out[name] = enumeration(id)
        }
        return out
    }

    func enumeration(_ id: Int) -> BTFEnum {
        BTFEnum(name: name(id), size: sizeOrType(id), signed: kindFlag(id), values: enumerators(id))
    }

    /// Nesting deeper than this is shown as opaque bytes (BTF cannot nest structs in a cycle,
    /// but a malformed blob could claim to).
    static let maxDepth = 8

    func record(_ id: Int, memo: inout [Int: BTFRecord], depth: Int) -> BTFRecord {
        if let r = memo[id] { return r }
        // A struct cannot contain itself; malformed data that says so gets an empty layout
        // rather than endless (or exponential) resolution.
        memo[id] = BTFRecord(name: name(id), isUnion: kind(id) == .union, size: sizeOrType(id), fields: [])
        var fields: [BTFField] = []
        for m in members(id) {
            let byteOffset = m.bitOffset / 8
            let value = self.value(m.type, memo: &memo, depth: depth + 1)
            // A bitfield (or an int not starting on a byte) is read from the bytes it starts in.
            if m.bitSize > 0 || m.bitOffset % 8 != 0 {
                let bits = m.bitSize > 0 ? m.bitSize : value.size * 8
                fields.append(BTFField(name: m.name, offset: byteOffset, bitShift: m.bitOffset % 8, bitSize: bits, value: value))
            } else {
                fields.append(BTFField(name: m.name, offset: byteOffset, bitShift: 0, bitSize: 0, value: value))
            }
        }
        let r = BTFRecord(name: name(id), isUnion: kind(id) == .union, size: sizeOrType(id), fields: fields)
        memo[id] = r
        return r
    }

    /// What a value of type `id` is.
    public func value(_ id: Int) -> BTFValue {
        var memo: [Int: BTFRecord] = [:]
        return value(id, memo: &memo, depth: 0)
    }

    func value(_ id: Int, memo: inout [Int: BTFRecord], depth: Int) -> BTFValue {
        let id = resolved(id)
        guard depth <= Self.maxDepth else { return .opaque(size: 0) }
        switch kind(id) {
        case .int:
            let e = intEncoding(id)
            if e.bool { return .boolean(size: sizeOrType(id)) }
            return .integer(size: sizeOrType(id), signed: e.signed)
        case .enumeration, .enumeration64: return .enumeration(enumeration(id))
        case .pointer: return .pointer
        case .structure, .union:
            guard depth <= Self.maxDepth else { return .opaque(size: sizeOrType(id)) }
            return .record(record(id, memo: &memo, depth: depth))
        case .array:
            guard let (element, count) = array(id) else { return .opaque(size: 0) }
            let e = resolved(element)
            if kind(e) == .int, sizeOrType(e) == 1, intEncoding(e).char || name(e) == "char" {
                return .characters(count: count)
            }
            return .array(value(element, memo: &memo, depth: depth + 1), count: count, stride: size(element))
        default: return .opaque(size: size(id))
        }
    }
}
