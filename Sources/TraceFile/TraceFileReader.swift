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
    /// Where records may be missing: the places in `records` of the parts skipped as damaged, in
    /// file order. (A section of a newer writer's type, its header checked, leaves none.)
    public var holes: [Hole] = []

    /// A damaged part of the file that may have held records, at `byte` (`bytes` long: for a
    /// section whose last records did not decode, the whole section). Its records, if any, came
    /// before `records[beforeRecord]`; how many is not known.
    public struct Hole: Sendable, Equatable {
        public var beforeRecord: Int
        public var byte: Int
        public var bytes: Int
    }

    /// The holes just before `records[index]` (`index == records.count`: after the last record),
    /// for a reader walking the records in order.
    public func holes(before index: Int) -> ArraySlice<Hole> {
        guard !holes.isEmpty else { return [] }
        // Sorted by place (the reader notes them in file order): a binary search, not a scan per record.
        var low = 0, high = holes.count
        while low < high {
            let mid = (low + high) / 2
            if holes[mid].beforeRecord < index { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < holes.count && holes[end].beforeRecord == index { end += 1 }
        return holes[low..<end]
    }

    /// A damaged part that continues the last one, with no record between, is the same hole.
    mutating func noteHole(byte: Int, bytes: Int) {
        if let last = holes.last, last.beforeRecord == records.count, last.byte + last.bytes == byte {
            holes[holes.count - 1].bytes += bytes
            return
        }
        holes.append(Hole(beforeRecord: records.count, byte: byte, bytes: bytes))
    }
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
        var sawSyscalls = false
        var next: (at: Int, section: Section)?
        var checked = false  // a header with a check has been read: so were all, by this writer
        while off < bytes.count {
            index += 1
            let at = off
            let read = next?.at == off ? next!.section : section(bytes, at: off)
            next = nil
            let type: UInt32, raw: [UInt8]
            switch read {
            case .intact(let t, let r, let end):
                (type, raw, off) = (t, r, end)
                checked = checked || u32(bytes, at + 20) != 0
            case .damaged(let why, let claimedEnd):
                // The next section is the first whole one after this header, found by its own
                // header and checksums: where this header says it is only if its length is
                // intact, and the length may be what was damaged.
                let place = "section \(index) at byte \(off)"
                let resync = nextIntactSection(bytes, after: off, checked: checked)
                // A hole among the records, unless the part held none: it comes before the
                // syscall table, which writers put ahead of every record; or it is the syscall
                // table (no record and no table read yet, and one section long: its header's
                // length ends where the next whole section starts; its type may be what was
                // damaged); or its header passed its check and names a section that is not
                // RECORDS, up to that section's own end (the scan may have skipped more: what
                // follows is a hole of its own).
                let resumed = resync.foundAt ?? bytes.count
                let claimed = bytes.count - off >= TraceFileFormat.sectionHeaderSize
                    ? off + TraceFileFormat.sectionHeaderSize + Int(u32(bytes, off + 8)) : nil
                let wasSyscallTable = !sawSyscalls && contents.records.isEmpty && claimed == resync.foundAt
                if !resync.foundSyscallTable && !wasSyscallTable {
                    var from = off
                    if let claimed, headerCheck(bytes, at: off) == true, u32(bytes, off) != TraceFileFormat.SectionType.records.rawValue {
                        from = min(claimed, resumed)
                    }
                    if from < resumed { contents.noteHole(byte: from, bytes: resumed - from) }
                }
                if case .found(let foundAt, let found) = resync {
                    contents.skipped.append("\(place): \(why); the \(foundAt - off) bytes up to the next whole section (at byte \(foundAt)) are skipped")
                    next = (foundAt, found)
                    off = foundAt
                    continue
                }
                if case .gaveUp = resync {
                    contents.skipped.append("\(place): \(why); the remaining \(bytes.count - off) bytes are skipped (too many places in them look like section headers to check each)")
                } else if let claimed = claimedEnd, claimed > bytes.count {
                    let start = off + TraceFileFormat.sectionHeaderSize
                    contents.skipped.append("\(place): truncated (\(bytes.count - start) of \(claimed - start) bytes present); skipped")
                } else if bytes.count - off < TraceFileFormat.sectionHeaderSize {
                    contents.skipped.append("\(place): \(why)")
                } else {
                    contents.skipped.append("\(place): \(why); the remaining \(bytes.count - off) bytes hold no whole section and are skipped")
                }
                off = bytes.count
                continue
            }
            let kind = TraceFileFormat.SectionType(rawValue: type)
            // Text sections hold no NUL. One that does is records whose type was damaged in a
            // file without header checks (earlier writers): said, not read as lines.
            if let kind, kind != .records, raw.contains(0) {
                contents.noteHole(byte: at, bytes: off - at)
                contents.skipped.append("section \(index) at byte \(at): a \(String(describing: kind).uppercased()) section that is not text (a damaged type?); skipped")
                continue
            }
            switch kind {
            case .meta:
                contents.meta = TraceFileFields.parse(raw)
                sawMeta = true
            case .syscalls:
                sawSyscalls = true
                for line in String(decoding: raw, as: UTF8.self).split(separator: "\n") {
                    let parts = line.split(separator: " ", maxSplits: 1)
                    if parts.count == 2, let n = Int(parts[0]) { contents.syscalls.append((n, String(parts[1]))) }
                }
            case .records:
                let before = contents.records.count
                if let bad = splitRecords(raw, into: &contents.records) {
                    contents.noteHole(byte: at, bytes: off - at)
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
                // A newer writer's section (its header checked) held no records of ours; in a
                // file without checks the type may be a damaged RECORDS.
                if headerCheck(bytes, at: at) != true { contents.noteHole(byte: at, bytes: off - at) }
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

    /// One section as read at an offset.
    enum Section {
        /// Whole and checked: its type, its raw bytes, and where the next section starts.
        case intact(type: UInt32, raw: [UInt8], end: Int)
        /// Not readable whole: why, and where its header says the next section starts (nil when
        /// not even its header is there).
        case damaged(String, claimedEnd: Int?)
    }

    static func section(_ bytes: [UInt8], at off: Int) -> Section {
        guard bytes.count - off >= TraceFileFormat.sectionHeaderSize else {
            return .damaged("the file ends inside its header (\(bytes.count - off) bytes)", claimedEnd: nil)
        }
        let type = u32(bytes, off)
        let flags = u32(bytes, off + 4)
        let stored = Int(u32(bytes, off + 8))
        let rawLength = Int(u32(bytes, off + 12))
        let crc = u32(bytes, off + 16)
        let start = off + TraceFileFormat.sectionHeaderSize
        guard headerCheck(bytes, at: off) != false else {
            return .damaged("damaged header (its check fails)", claimedEnd: nil)
        }
        guard stored <= TraceFileFormat.maxSection, rawLength <= TraceFileFormat.maxSection else {
            return .damaged("damaged header (length \(stored))", claimedEnd: nil)
        }
        guard stored <= bytes.count - start else {
            // Truncation, or a damaged length: the caller tells them apart by what follows.
            return .damaged("damaged header (length \(stored))", claimedEnd: start + stored)
        }
        let compressed = flags & TraceFileFormat.compressed != 0
        // What the stored bytes can hold (zlib inflates at most ~1032 to 1), checked before a
        // buffer of the raw length is made for them.
        guard compressed ? rawLength <= stored * 1032 + 64 : rawLength == stored else {
            return .damaged("damaged header (lengths \(stored) and \(rawLength))", claimedEnd: start + stored)
        }
        // Checked in place: a copy is made only of what checks out (a scan may try many places).
        let end = start + stored
        return bytes.withUnsafeBufferPointer { all in
            let storedBytes = UnsafeBufferPointer(rebasing: all[start..<end])
            if compressed {
                guard let raw = inflate(storedBytes, rawLength: rawLength) else {
                    return .damaged("its compressed data is damaged", claimedEnd: end)
                }
                guard CRC32.checksum(raw) == crc else { return .damaged("checksum mismatch (damaged)", claimedEnd: end) }
                return .intact(type: type, raw: raw, end: end)
            }
            guard CRC32.checksum(UnsafeRawBufferPointer(storedBytes)) == crc else {
                return .damaged("checksum mismatch (damaged)", claimedEnd: end)
            }
            return .intact(type: type, raw: Array(storedBytes), end: end)
        }
    }

    /// Whether a writer could have put a section header at `off`: a known type, no flag it does
    /// not set, lengths that fit the file, something in it (no writer makes an empty section),
    /// and its check, which must be there in a file whose headers have them. Stricter than
    /// `section`, which reads what is at an expected place: this judges a place in data.
    static func plausibleHeader(_ bytes: [UInt8], at off: Int, checked: Bool) -> Bool {
        guard bytes.count - off >= TraceFileFormat.sectionHeaderSize,
              TraceFileFormat.SectionType(rawValue: u32(bytes, off)) != nil,
              u32(bytes, off + 4) & ~TraceFileFormat.compressed == 0 else { return false }
        let stored = Int(u32(bytes, off + 8)), raw = Int(u32(bytes, off + 12))
        guard stored > 0, raw > 0, stored <= bytes.count - off - TraceFileFormat.sectionHeaderSize,
              raw <= TraceFileFormat.maxSection else { return false }
        guard let check = headerCheck(bytes, at: off) else { return !checked }
        return check
    }

    /// What a scan for the next whole section found.
    enum Resync {
        case found(at: Int, section: Section)
        /// None in the rest of the file.
        case none
        /// The scan gave up: the places that looked like headers cost more to check than the
        /// bytes they stand in (a file made to look so).
        case gaveUp

        /// Where the found section starts (nil: none was found).
        var foundAt: Int? {
            if case .found(let at, _) = self { return at }
            return nil
        }

        /// The found section is the META or SYSCALLS one: nothing before it held records.
        var foundSyscallTable: Bool {
            guard case .found(_, .intact(let type, _, _)) = self else { return false }
            return type == TraceFileFormat.SectionType.meta.rawValue || type == TraceFileFormat.SectionType.syscalls.rawValue
        }
    }

    /// The first whole section that starts after byte `off`. A place is read and checked only
    /// if its header is plausible and so is what follows the section (the end of the file or
    /// another plausible header): in compressed data that is almost never. A place whose header
    /// passes its check is a section whose data is damaged: the scan goes on after it. The
    /// bytes checked at unchecked places are bounded by four times the rest of the file, so a
    /// file of fake headers costs a scan linear in its size.
    static func nextIntactSection(_ bytes: [UInt8], after off: Int, checked: Bool) -> Resync {
        var at = off + 1
        var budget = 4 * (bytes.count - off) + (1 << 20)
        while bytes.count - at >= TraceFileFormat.sectionHeaderSize {
            guard plausibleHeader(bytes, at: at, checked: checked) else {
                at += 1
                continue
            }
            let end = at + TraceFileFormat.sectionHeaderSize + Int(u32(bytes, at + 8))
            guard end == bytes.count || plausibleHeader(bytes, at: end, checked: checked) else {
                at += 1
                continue
            }
            let found = section(bytes, at: at)
            if case .intact = found { return .found(at: at, section: found) }
            if headerCheck(bytes, at: at) == true {
                at = end
                continue
            }
            budget -= end - at
            if budget < 0 { return .gaveUp }
            at += 1
        }
        return .none
    }

    /// The section header at `off` against its check: nil when it has none (0, earlier writers).
    static func headerCheck(_ bytes: [UInt8], at off: Int) -> Bool? {
        let check = u32(bytes, off + 20)
        guard check != 0 else { return nil }
        return bytes.withUnsafeBytes {
            TraceFileFormat.headerCheck(UnsafeRawBufferPointer(rebasing: $0[off..<off + TraceFileFormat.sectionHeaderSize])) == check
        }
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

    /// The raw bytes of a zlib stream that must be exactly `stored` and inflate to `rawLength`.
    static func inflate(_ stored: UnsafeBufferPointer<UInt8>, rawLength: Int) -> [UInt8]? {
        var failed = false
        // Not zero-filled first: a damaged stream usually fails within its first bytes, and a
        // scan may try several that claim megabytes.
        let raw = [UInt8](unsafeUninitializedCapacity: max(rawLength, 1)) { out, count in
            var length = uLong(rawLength)
            var consumed = uLong(stored.count)
            let rc = uncompress2(out.baseAddress, &length, stored.baseAddress, &consumed)
            // Every stored byte must be the stream's: a length damaged upwards would otherwise
            // take the next section's header as trailing bytes (zlib ignores them) and lose it.
            failed = rc != Z_OK || Int(length) != rawLength || Int(consumed) != stored.count
            count = failed ? 0 : rawLength
        }
        return failed ? nil : raw
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
