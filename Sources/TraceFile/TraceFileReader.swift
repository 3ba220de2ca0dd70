import CZlib
import Glibc
import WholeFiles

/// A saved trace as read: what is intact, and a note for everything that was not.
public struct TraceFileContents: Sendable {
    public var version: UInt16 = 0
    public var meta = TraceFileFields()
    /// The writer's syscall table (number, name).
    public var syscalls: [(Int, String)] = []
    /// Whole records, in file order.
    public var records: [[UInt8]] = []
    /// -k: mappings read from /proc when it was saved; each applies from record `before` on.
    public var mappings: [(before: Int, pid: UInt32, start: UInt64, fileOffset: UInt64, inode: UInt64, path: String)] = []
    /// nil when the file ends before its END section (the writer did not finish).
    public var end: TraceFileFields?
    /// What was skipped and why, one line each (empty for an intact file).
    public var skipped: [String] = []
}

public enum TraceFileReader {
    /// Read and check a whole file. A file that is not a saved trace at all, or of another
    /// version, is an error; damage inside it is skipped and reported in `skipped`.
    public static func read(path: String) throws(TraceFileError) -> TraceFileContents {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TraceFileError("can't open '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard let bytes = WholeFile.bytes(of: fd, expecting: fstat(fd, &st) == 0 ? Int(st.st_size) : 0) else {
            throw TraceFileError("reading '\(path)': \(String(cString: strerror(errno)))")
        }
        return try parse(bytes, name: path)
    }

    public static func parse(_ bytes: [UInt8], name: String = "the file") throws(TraceFileError) -> TraceFileContents {
        guard bytes.count >= TraceFileFormat.headerSize, Array(bytes[0..<8]) == TraceFileFormat.magic else {
            throw TraceFileError("'\(name)' is not a saved cgtrace trace (no CGTRACE header)")
        }
        var contents = TraceFileContents()
        contents.version = u16(bytes, 8)
        guard contents.version == TraceFileFormat.version else {
            throw TraceFileError("'\(name)' is a version \(contents.version) saved trace; this cgtrace reads version \(TraceFileFormat.version)")
        }
        let headerSize = Int(u32(bytes, 12))
        guard headerSize >= TraceFileFormat.headerSize, headerSize <= bytes.count else {
            throw TraceFileError("'\(name)' has a damaged header (header size \(headerSize))")
        }
        var off = headerSize
        var index = 0
        var sawMeta = false
        while off < bytes.count {
            index += 1
            guard bytes.count - off >= TraceFileFormat.sectionHeaderSize else {
                contents.skipped.append("section \(index) at byte \(off): the file ends inside its header (\(bytes.count - off) bytes)")
                break
            }
            let type = u32(bytes, off)
            let flags = u32(bytes, off + 4)
            let stored = Int(u32(bytes, off + 8))
            let rawLength = Int(u32(bytes, off + 12))
            let crc = u32(bytes, off + 16)
            let start = off + TraceFileFormat.sectionHeaderSize
            guard stored <= TraceFileFormat.maxSection, rawLength <= TraceFileFormat.maxSection else {
                // A length this wrong means the header itself is damaged: nothing after it can be placed.
                contents.skipped.append("section \(index) at byte \(off): damaged header (length \(stored)); the remaining \(bytes.count - off) bytes are skipped")
                break
            }
            guard stored <= bytes.count - start else {
                contents.skipped.append("section \(index) at byte \(off): truncated (\(bytes.count - start) of \(stored) bytes present); skipped")
                break
            }
            off = start + stored
            let storedBytes = Array(bytes[start..<start + stored])
            let raw: [UInt8]
            if flags & TraceFileFormat.compressed != 0 {
                guard let inflated = inflate(storedBytes, rawLength: rawLength) else {
                    contents.skipped.append("section \(index) at byte \(start - TraceFileFormat.sectionHeaderSize): its compressed data is damaged; skipped")
                    continue
                }
                raw = inflated
            } else {
                raw = storedBytes
            }
            guard raw.count == rawLength, CRC32.checksum(raw) == crc else {
                contents.skipped.append("section \(index) at byte \(start - TraceFileFormat.sectionHeaderSize): checksum mismatch (damaged); skipped")
                continue
            }
            switch TraceFileFormat.SectionType(rawValue: type) {
            case .meta:
                contents.meta = TraceFileFields.parse(raw)
                sawMeta = true
            case .syscalls:
                for line in String(decoding: raw, as: UTF8.self).split(separator: "\n") {
                    let parts = line.split(separator: " ", maxSplits: 1)
                    if parts.count == 2, let n = Int(parts[0]) { contents.syscalls.append((n, String(parts[1]))) }
                }
            case .records:
                let before = contents.records.count
                if let bad = splitRecords(raw, into: &contents.records) {
                    contents.skipped.append("section \(index): malformed record at offset \(bad); its last \(raw.count - bad) bytes skipped (\(contents.records.count - before) records kept)")
                }
            case .end:
                contents.end = TraceFileFields.parse(raw)
            case .mappings:
                for line in String(decoding: raw, as: UTF8.self).split(separator: "\n") {
                    let f = line.split(separator: " ", maxSplits: 5)
                    guard f.count == 6, let before = Int(f[0]), let pid = UInt32(f[1], radix: 16), let start = UInt64(f[2], radix: 16),
                          let offset = UInt64(f[3], radix: 16), let inode = UInt64(f[4], radix: 16) else { continue }
                    contents.mappings.append((before, pid, start, offset, inode, String(f[5])))
                }
            case nil:
                contents.skipped.append("section \(index): unknown type \(type) (written by a newer cgtrace?); skipped")
            }
        }
        if !sawMeta {
            contents.skipped.append("the META section is missing or damaged: recording settings unknown")
        }
        if contents.end == nil {
            contents.skipped.append("the file ends before its END section (the writer did not finish): loss counts unknown")
        }
        return contents
    }

    /// Append each whole record; returns the offset of the first malformed one, if any.
    static func splitRecords(_ raw: [UInt8], into records: inout [[UInt8]]) -> Int? {
        var off = 0
        while off < raw.count {
            guard raw.count - off >= 32 else { return off }
            let size = Int(u16(raw, off + 2))
            guard size >= 32, size % 8 == 0, size <= raw.count - off else { return off }
            records.append(Array(raw[off..<off + size]))
            off += size
        }
        return nil
    }

    static func inflate(_ stored: [UInt8], rawLength: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: max(rawLength, 1))
        var length = uLong(rawLength)
        let rc = out.withUnsafeMutableBufferPointer { o in
            stored.withUnsafeBufferPointer { i in
                uncompress(o.baseAddress, &length, i.baseAddress, uLong(stored.count))
            }
        }
        guard rc == Z_OK, Int(length) == rawLength else { return nil }
        if rawLength == 0 { return [] }
        return out
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
