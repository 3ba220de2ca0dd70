/// Resolved layouts (BTFLayout.swift) as text and back, so that a start can take them from a
/// file instead of the kernel's BTF (Tracer/KernelLayoutCache.swift).
///
/// One line per enum and per struct or union, tab-separated, each after those it uses:
///
///     E  NAME  SIZE  s|u  ENUMERATOR=VALUE …          an enum (the Nth E line is eN)
///     R  NAME  s|u  SIZE  FIELD …                      a struct (s) or union (u) (the Nth R line is rN)
///     T  NAME  rN                                      a named struct the syscalls use
///     N  NAME  eN                                      a named enum the syscalls use
///
/// FIELD is `NAME:OFFSET:BITSHIFT:BITSIZE:VALUE`, and VALUE one of `i4s`/`i4u` (an integer of 4
/// bytes, signed or not), `b1` (a boolean), `eN`, `p` (a pointer), `rN`, `cN` (a char[N]), `oN`
/// (N opaque bytes), `aCOUNT,STRIDE,VALUE` (an array). An empty name is written `-`. Names are C
/// identifiers: no tab, space, colon or `=` in them.
public enum BTFLayoutText {
    public static func encode(records: [String: BTFRecord], enums: [String: BTFEnum]) -> String {
        var lines: [String] = []
        var enumCount = 0, recordCount = 0
        var recordIndex: [ObjectIdentifier: Int] = [:]

        func name(_ s: String) -> String { s.isEmpty ? "-" : s }
        func enumeration(_ e: BTFEnum) -> Int {
            let values = e.values.map { "\($0.name)=\($0.value)" }
            lines.append((["E", name(e.name), String(e.size), e.signed ? "s" : "u"] + values).joined(separator: "\t"))
            enumCount += 1
            return enumCount - 1
        }
        func record(_ r: BTFRecord) -> Int {
            if let known = recordIndex[ObjectIdentifier(r)] { return known }
            // The fields first: the members' own lines come before this one.
            let fields = r.fields.map { f in "\(name(f.name)):\(f.offset):\(f.bitShift):\(f.bitSize):\(value(f.value))" }
            lines.append((["R", name(r.name), r.isUnion ? "u" : "s", String(r.size)] + fields).joined(separator: "\t"))
            recordCount += 1
            recordIndex[ObjectIdentifier(r)] = recordCount - 1
            return recordCount - 1
        }
        func value(_ v: BTFValue) -> String {
            switch v {
            case .integer(let size, let signed): return "i\(size)\(signed ? "s" : "u")"
            case .boolean(let size): return "b\(size)"
            case .enumeration(let e): return "e\(enumeration(e))"
            case .pointer: return "p"
            case .record(let r): return "r\(record(r))"
            case .array(let element, let count, let stride): return "a\(count),\(stride),\(value(element))"
            case .characters(let count): return "c\(count)"
            case .opaque(let size): return "o\(size)"
            }
        }
        for key in records.keys.sorted() { lines.append("T\t\(key)\tr\(record(records[key]!))") }
        for key in enums.keys.sorted() { lines.append("N\t\(key)\te\(enumeration(enums[key]!))") }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The layouts `encode` wrote; nil if the text is not such (a damaged or foreign file).
    /// Parsed as bytes: splitting Substrings by Character took 0.8 ms for the 26 layouts.
    public static func decode(_ text: Substring) -> (records: [String: BTFRecord], enums: [String: BTFEnum])? {
        var bytes = Array(text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var parser = Parser(bytes: bytes)
        return parser.layouts()
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0
        var enumList: [BTFEnum] = [], recordList: [BTFRecord] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        static let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")

        /// The bytes up to (not including) the first of `stops`, which is consumed too.
        mutating func token(_ stops: UInt8...) -> ArraySlice<UInt8>? {
            let start = at
            while at < bytes.count {
                if stops.contains(bytes[at]) {
                    at += 1
                    return bytes[start..<(at - 1)]
                }
                at += 1
            }
            return nil
        }

        /// The byte just consumed by `token`.
        var stop: UInt8 { bytes[at - 1] }

        /// A size, offset, count or stride: what BTF gives is unsigned and far below this
        /// bound; a larger one (a damaged file) would overflow the decoders' arithmetic.
        static let largest = 1 << 24

        /// A number from 0 to `largest`.
        static func count(_ t: ArraySlice<UInt8>) -> Int? {
            guard t.first != UInt8(ascii: "-"), let n = int(t), n <= largest else { return nil }
            return n
        }

        /// A signed number (an enumerator's value).
        static func int(_ t: ArraySlice<UInt8>) -> Int? {
            var negative = false, value = 0, any = false
            for (i, c) in t.enumerated() {
                if i == 0 && c == UInt8(ascii: "-") { negative = true; continue }
                guard c >= 0x30 && c <= 0x39 else { return nil }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = m.addingReportingOverflow(Int(c - 0x30))
                guard !o1, !o2 else { return nil }
                value = sum
                any = true
            }
            return any ? (negative ? -value : value) : nil
        }

        static func name(_ t: ArraySlice<UInt8>) -> String {
            t.count == 1 && t.first == UInt8(ascii: "-") ? "" : String(decoding: t, as: UTF8.self)
        }

        func index(_ t: ArraySlice<UInt8>, _ tag: Unicode.Scalar, below count: Int) -> Int? {
            guard t.first == UInt8(ascii: tag), let n = Self.count(t.dropFirst()), n < count else { return nil }
            return n
        }

        /// `depth`: arrays of arrays, at most eight deep (C's are rarely more than two).
        func value(_ t: ArraySlice<UInt8>, depth: Int = 0) -> BTFValue? {
            guard let tag = t.first, depth < 8 else { return nil }
            let rest = t.dropFirst()
            switch tag {
            case UInt8(ascii: "i"):
                guard let sign = rest.last, sign == UInt8(ascii: "s") || sign == UInt8(ascii: "u"),
                      let size = Self.count(rest.dropLast()) else { return nil }
                return .integer(size: size, signed: sign == UInt8(ascii: "s"))
            case UInt8(ascii: "b"): return Self.count(rest).map { .boolean(size: $0) }
            case UInt8(ascii: "e"): return index(t, "e", below: enumList.count).map { .enumeration(enumList[$0]) }
            case UInt8(ascii: "p"): return rest.isEmpty ? .pointer : nil
            case UInt8(ascii: "r"): return index(t, "r", below: recordList.count).map { .record(recordList[$0]) }
            case UInt8(ascii: "c"): return Self.count(rest).map { .characters(count: $0) }
            case UInt8(ascii: "o"): return Self.count(rest).map { .opaque(size: $0) }
            case UInt8(ascii: "a"):
                guard let c1 = rest.firstIndex(of: UInt8(ascii: ",")),
                      let c2 = rest[(c1 + 1)...].firstIndex(of: UInt8(ascii: ",")),
                      let count = Self.count(rest[..<c1]), let stride = Self.count(rest[(c1 + 1)..<c2]),
                      let element = value(rest[(c2 + 1)...], depth: depth + 1) else { return nil }
                return .array(element, count: count, stride: stride)
            default: return nil
            }
        }

        /// The rest of the line's tab-separated fields.
        mutating func fields() -> [ArraySlice<UInt8>]? {
            var out: [ArraySlice<UInt8>] = []
            while true {
                guard let t = token(Self.tab, Self.newline) else { return nil }
                out.append(t)
                if stop == Self.newline { return out }
            }
        }

        mutating func layouts() -> (records: [String: BTFRecord], enums: [String: BTFEnum])? {
            var records: [String: BTFRecord] = [:], enums: [String: BTFEnum] = [:]
            while at < bytes.count {
                guard let f = fields(), let kind = f.first, kind.count == 1 else {
                    if at == bytes.count { break }  // the newline decode added after a final one
                    return nil
                }
                switch kind.first! {
                case UInt8(ascii: "E"):
                    guard f.count >= 4, let size = Self.count(f[2]), size <= 8, f[3].count == 1,
                          f[3].first == UInt8(ascii: "s") || f[3].first == UInt8(ascii: "u") else { return nil }
                    var values: [(name: String, value: Int64)] = []
                    for item in f.dropFirst(4) {
                        guard let eq = item.firstIndex(of: UInt8(ascii: "=")), let v = Self.int(item[(eq + 1)...]) else { return nil }
                        values.append((String(decoding: item[..<eq], as: UTF8.self), Int64(v)))
                    }
                    enumList.append(BTFEnum(name: Self.name(f[1]), size: size, signed: f[3].first == UInt8(ascii: "s"), values: values))
                case UInt8(ascii: "R"):
                    guard f.count >= 4, f[2].count == 1, f[2].first == UInt8(ascii: "s") || f[2].first == UInt8(ascii: "u"),
                          let size = Self.count(f[3]) else { return nil }
                    var fields: [BTFField] = []
                    for item in f.dropFirst(4) {
                        var parts: [ArraySlice<UInt8>] = []
                        var start = item.startIndex
                        for i in item.indices where item[i] == UInt8(ascii: ":") && parts.count < 4 {
                            parts.append(item[start..<i])
                            start = i + 1
                        }
                        parts.append(item[start...])
                        guard parts.count == 5, let offset = Self.count(parts[1]), let shift = Self.count(parts[2]),
                              let bits = Self.count(parts[3]), shift + bits <= 64, let v = value(parts[4]) else { return nil }
                        fields.append(BTFField(name: Self.name(parts[0]), offset: offset, bitShift: shift, bitSize: bits, value: v))
                    }
                    recordList.append(BTFRecord(name: Self.name(f[1]), isUnion: f[2].first == UInt8(ascii: "u"), size: size, fields: fields))
                case UInt8(ascii: "T"):
                    guard f.count == 3, let i = index(f[2], "r", below: recordList.count) else { return nil }
                    records[String(decoding: f[1], as: UTF8.self)] = recordList[i]
                case UInt8(ascii: "N"):
                    guard f.count == 3, let i = index(f[2], "e", below: enumList.count) else { return nil }
                    enums[String(decoding: f[1], as: UTF8.self)] = enumList[i]
                default:
                    return nil
                }
            }
            return (records, enums)
        }
    }
}
