import CZlib
import Glibc

/// Why a saved trace could not be written or read: one line for the user.
public struct TraceFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes a saved trace: the header and META at once, records as they come (compressed a
/// section at a time), END at `finish`. A run killed before `finish` leaves a file whose
/// complete sections still read (the reader says the END is missing).
public final class TraceFileWriter {
    private let fd: Int32
    private var pending: [UInt8] = []
    private var mappings = ""

    /// zlib level 1: about 5× smaller than the raw records at a fraction of the cost of
    /// formatting them (measured in README's table).
    private let level: Int32
    public private(set) var records = 0
    public private(set) var failed: Int32 = 0
    public let path: String

    /// Create (truncate) `path` and write the header, META and SYSCALLS sections.
    public init(path: String, meta: TraceFileFields, syscalls: [(Int, String)], level: Int32 = 1) throws(TraceFileError) {
        self.path = path
        self.level = level
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TraceFileError("can't open '\(path)': \(String(cString: strerror(errno)))")
        }
        var header = TraceFileFormat.magic
        append16(&header, TraceFileFormat.version)
        append16(&header, 0)
        append32(&header, UInt32(TraceFileFormat.headerSize))
        writeAll(header)
        writeSection(.meta, meta.bytes, compress: false)
        writeSection(.syscalls, Array(syscalls.map { "\($0.0) \($0.1)\n" }.joined().utf8), compress: true)
        if failed != 0 {
            close(fd)
            throw TraceFileError("writing '\(path)': \(String(cString: strerror(failed)))")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// One whole record, as the kernel wrote it.
    public func append(_ record: UnsafeRawBufferPointer) {
        pending.append(contentsOf: record)
        records += 1
        if pending.count >= TraceFileFormat.maxRecordsRaw { flushRecords() }
    }

    public func append(_ record: [UInt8]) {
        record.withUnsafeBytes { append($0) }
    }

    /// -k: mappings read from /proc for process `pid`, needed from the next record on.
    public func appendMappings(pid: UInt32, _ files: [(start: UInt64, fileOffset: UInt64, inode: UInt64, path: String)]) {
        for f in files {
            mappings += "\(records) \(String(pid, radix: 16)) \(String(f.start, radix: 16)) \(String(f.fileOffset, radix: 16)) \(String(f.inode, radix: 16)) \(f.path.replacingNewlines)\n"
        }
    }

    public func flushRecords() {
        guard !pending.isEmpty else { return }
        writeSection(.records, pending, compress: true)
        pending.removeAll(keepingCapacity: true)
    }

    /// Write the last records and END, and close. Throws if any write failed.
    public func finish(end: TraceFileFields) throws(TraceFileError) {
        flushRecords()
        if !mappings.isEmpty { writeSection(.mappings, Array(mappings.utf8), compress: true) }
        var end = end
        end["records"] = String(records)
        writeSection(.end, end.bytes, compress: false)
        if fsync(fd) != 0 && failed == 0 && errno != EINVAL { failed = errno }
        if failed != 0 {
            throw TraceFileError("writing '\(path)': \(String(cString: strerror(failed)))")
        }
    }

    private func writeSection(_ type: TraceFileFormat.SectionType, _ raw: [UInt8], compress: Bool) {
        var stored = raw
        var flags: UInt32 = 0
        if compress, let deflated = Self.deflate(raw, level: level), deflated.count < raw.count {
            stored = deflated
            flags |= TraceFileFormat.compressed
        }
        var header: [UInt8] = []
        header.reserveCapacity(TraceFileFormat.sectionHeaderSize + stored.count)
        append32(&header, type.rawValue)
        append32(&header, flags)
        append32(&header, UInt32(stored.count))
        append32(&header, UInt32(raw.count))
        append32(&header, CRC32.checksum(raw))
        append32(&header, header.withUnsafeBytes { TraceFileFormat.headerCheck($0) })
        header.append(contentsOf: stored)
        writeAll(header)
    }

    static func deflate(_ raw: [UInt8], level: Int32) -> [UInt8]? {
        var bound = compressBound(uLong(raw.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        let rc = out.withUnsafeMutableBufferPointer { o in
            raw.withUnsafeBufferPointer { i in
                compress2(o.baseAddress, &bound, i.baseAddress, uLong(raw.count), level)
            }
        }
        guard rc == Z_OK else { return nil }
        out.removeSubrange(Int(bound)...)
        return out
    }

    private func writeAll(_ bytes: [UInt8]) {
        guard failed == 0 else { return }
        bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = errno
                    return
                }
                off += n
            }
        }
    }
}

func append16(_ out: inout [UInt8], _ v: UInt16) {
    out.append(UInt8(v & 0xff)); out.append(UInt8(v >> 8))
}

func append32(_ out: inout [UInt8], _ v: UInt32) {
    for i in 0..<4 { out.append(UInt8((v >> (8 * UInt32(i))) & 0xff)) }
}
