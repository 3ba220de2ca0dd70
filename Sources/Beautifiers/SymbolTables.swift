/// Symbolic names for numbers, kept as data: one table per flag or enum family, as strace does.

/// The symbol tables, one `static let` per family; they live in `Tables/`, grouped by area.
public enum Tables {}

/// A named constant.
public struct Named: Sendable {
    public let value: UInt64
    public let name: String
    public init(_ value: UInt64, _ name: String) {
        self.value = value
        self.name = name
    }
}

/// A family of bit flags (`O_CLOEXEC|O_NONBLOCK`), optionally with an enumerated field in some bits
/// (the access mode of open flags, the mapping type of mmap flags) printed first.
public struct FlagTable: Sendable {
    /// Names of the bit flags, in the order strace prints them. An entry may cover several bits;
    /// it matches when all its bits are set, and its bits are then removed.
    public let flags: [Named]
    /// An enumerated field inside the value, printed before the flags (e.g. O_ACCMODE).
    public let field: (mask: UInt64, values: EnumTable)?
    /// The name printed when the value is 0 and no field covers it (strace prints `0`).
    public let zero: String?
    /// What strace prints in a comment when no name matches a non-zero value, e.g. `0x8 /* ?_OK */`.
    /// Empty when strace prints no comment.
    public let unknown: String
    /// -X raw/verbose print the field and the flags as two values (`0x1 /* SOCK_STREAM */|0x800 /*
    /// SOCK_NONBLOCK */`), as strace does for socket types and statx flags; else one.
    public let fieldApart: Bool

    public init(_ flags: [Named], field: (mask: UInt64, values: EnumTable)? = nil, zero: String? = nil,
                unknown: String = "", fieldApart: Bool = false) {
        self.flags = flags
        self.field = field
        self.zero = zero
        self.unknown = unknown
        self.fieldApart = fieldApart
    }

    /// The value as text in a -X style: `POLLIN`, `0x1`, `0x1 /* POLLIN */` (for results and
    /// other places printed as one piece of text).
    public func describe(_ value: UInt64, style: ConstantStyle) -> String {
        switch style {
        case .abbrev: return describe(value)
        case .raw: return hex(value)
        case .verbose:
            var names: [String] = []
            let (_, rest) = decompose(value) { names.append($0) }
            if rest != 0 && !names.isEmpty { names.append(hex(rest)) }
            if names.isEmpty, value == 0, let zero { names.append(zero) }
            return names.isEmpty ? hex(value) : "\(hex(value)) /* \(names.joined(separator: "|")) */"
        }
    }

    /// Calls `body` with each symbolic name for `value`, in print order, and returns the bits left
    /// unnamed (strace prints them as a trailing `0x…`).
    @inlinable
    public func decompose(_ value: UInt64, _ body: (String) -> Void) -> (named: Int, rest: UInt64) {
        var rest = value
        var count = 0
        if let field {
            let v = value & field.mask
            if let name = field.values.name(for: v) {
                body(name)
                count += 1
                rest &= ~field.mask
            }
        }
        for f in flags where f.value != 0 && rest & f.value == f.value {
            body(f.name)
            count += 1
            rest &= ~f.value
        }
        return (count, rest)
    }

    /// The value as strace's generic flag printer shows it: the names joined by `|`, then any bits
    /// left unnamed as `|0x…`; `zero` (or `0`) for 0; and a value with no name at all as
    /// `0x… /* unknown */`. A field whose value has no name is not printed (its bits stay in the
    /// rest), as for socket types; mmap's unknown type needs its own printing.
    public func describe(_ value: UInt64) -> String {
        var names: [String] = []
        let (_, rest) = decompose(value) { names.append($0) }
        if names.isEmpty {
            if value == 0 { return zero ?? "0" }
            return unknown.isEmpty ? hex(value) : "\(hex(value)) /* \(unknown) */"
        }
        var text = names.joined(separator: "|")
        if rest != 0 { text += "|" + hex(rest) }
        return text
    }
}

/// `%#x` (strace prints an unknown zero as `0 /* PR_??? */`).
private func hex(_ value: UInt64) -> String { Structs.hexText(value) }

/// An enumeration: each value has one name (`AF_INET`, `SEEK_SET`, `ENOENT`).
public struct EnumTable: Sendable {
    private let names: [UInt64: String]
    /// What strace prints in a comment beside an unknown value, e.g. `AF_???`.
    public let unknown: String

    public init(_ entries: [Named], unknown: String = "") {
        var names: [UInt64: String] = [:]
        for e in entries where names[e.value] == nil { names[e.value] = e.name }
        self.names = names
        self.unknown = unknown
    }

    private init(names: [UInt64: String], unknown: String) {
        self.names = names
        self.unknown = unknown
    }

    /// The same names with another comment beside unknown values: strace's callers of one
    /// table do not all say the same (ethernet protocols: `ETH_P_???` in sockaddr_ll, in
    /// netlink attributes `ETHER_P_???`).
    public func withUnknown(_ unknown: String) -> EnumTable { EnumTable(names: names, unknown: unknown) }

    @inlinable
    public func name(for value: UInt64) -> String? { lookup(value) }

    @usableFromInline
    func lookup(_ value: UInt64) -> String? { names[value] }

    public var count: Int { names.count }

    /// The value as strace's `printxval` shows it: the name, or `0x… /* unknown */` (`0x63 /* AF_??? */`).
    public func describe(_ value: UInt64) -> String {
        if let name = lookup(value) { return name }
        return unknown.isEmpty ? hex(value) : "\(hex(value)) /* \(unknown) */"
    }
}
