import CZlib

/// The saved-trace file format (`cgtrace --write FILE`, `cgtrace dump NAME --write FILE`,
/// read by `cgtrace replay FILE`). Documented in man/cgtrace.1, SAVED TRACES.
///
/// All integers little-endian.
///
///     file    = header section*
///     header  = magic "CGTRACE\0" (8) | version u16 | flags u16 (0) | header size u32 (16)
///     section = type u32 | flags u32 | stored length u32 | raw length u32 | CRC-32 u32
///               | header check u32 | stored bytes
///
/// Section types: META (1): `key=value` lines, UTF-8, written first (what made the trace and
/// what a reader needs to decode it: architecture, record ABI, clock offset, capture settings,
/// for a recording its overwrite count and trigger); SYSCALLS (2): the writer's syscall table,
/// `number name` lines; RECORDS (3): whole kernel records back to back, exactly as the kernel
/// wrote them (cgtrace_abi.h; each starts with its cgt_header, whose `size` covers it), at most
/// `maxRecordsRaw` bytes per section, so that damage costs one section; END (4): `key=value`
/// lines written last (counts: records, lost, malformed, truncated); MAPPINGS (5): for -k, the
/// executable mappings cgtrace read from /proc rather than from the kernel's records (its own
/// child before exec; processes that predate tracing), `record-index pid start file-offset inode
/// path` lines (numbers in hex, the index decimal): they apply from that record on. A reader skips sections of
/// types it does not know. Flags: bit 0, the stored bytes are a zlib stream of the raw bytes.
/// The CRC-32 (zlib's) covers the raw bytes. The header check is the CRC-32 of the 20 header
/// bytes before it: a damaged type or length is then seen as such, and the reader finds the next
/// section by its header and checksums instead of losing the rest of the file. 0 means
/// unchecked: earlier writers left the field 0 (and a header whose CRC is 0 is written so).
public enum TraceFileFormat {
    public static let magic: [UInt8] = Array("CGTRACE\0".utf8)
    /// Bumped when a reader of the old version could misread a new file.
    public static let version: UInt16 = 1
    public static let headerSize = 16
    public static let sectionHeaderSize = 24
    /// Raw bytes of records per RECORDS section before it is compressed and written.
    public static let maxRecordsRaw = 1 << 20
    /// A section longer than this is damage, not data (no writer makes one).
    public static let maxSection = 64 << 20

    public enum SectionType: UInt32, Sendable {
        case meta = 1
        case syscalls = 2
        case records = 3
        case end = 4
        case mappings = 5
    }

    public static let compressed: UInt32 = 1 << 0
}

/// `key=value` lines: the META and END sections.
public struct TraceFileFields: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: String)] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public static func == (a: TraceFileFields, b: TraceFileFields) -> Bool {
        a.entries.map(\.key) == b.entries.map(\.key) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    public subscript(key: String) -> String? {
        get { entries.last(where: { $0.key == key })?.value }
        set {
            entries.removeAll { $0.key == key }
            // Keys and values are single lines; a newline in a value would start a new key.
            if let newValue { entries.append((key, newValue.replacingNewlines)) }
        }
    }

    public func int(_ key: String) -> Int64? { self[key].flatMap { Int64($0) } }
    public func uint(_ key: String) -> UInt64? { self[key].flatMap { UInt64($0) } }

    public var bytes: [UInt8] {
        Array(entries.map { "\($0.key)=\($0.value)\n" }.joined().utf8)
    }

    /// Lines without `=` are ignored (a damaged line), as are invalid UTF-8 sequences.
    public static func parse(_ bytes: [UInt8]) -> TraceFileFields {
        var fields = TraceFileFields()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields.entries.append((String(line[..<eq]), String(line[line.index(after: eq)...])))
        }
        return fields
    }
}

extension String {
    var replacingNewlines: String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}

extension TraceFileFormat {
    /// Where each section header starts, by the lengths the headers give, unchecked: for the
    /// fuzzer and tests, which damage chosen headers.
    public static func sectionOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var off = headerSize
        while bytes.count - off >= sectionHeaderSize {
            offsets.append(off)
            off += sectionHeaderSize + Int(TraceFileReader.u32(bytes, off + 8))
        }
        return offsets
    }

    /// The header check of the section header at `header` (its first 20 bytes).
    static func headerCheck(_ header: UnsafeRawBufferPointer) -> UInt32 {
        CRC32.checksum(UnsafeRawBufferPointer(rebasing: header[0..<20]))
    }
}

/// CRC-32 (IEEE 802.3), zlib's: its slicing implementation is ~10× a byte-table loop in Swift,
/// which took 14% of a `--write` storm's consumer (perf).
enum CRC32 {
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        return UInt32(crc32(0, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { checksum($0) } }
}
