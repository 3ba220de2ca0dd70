import Decoder
import Formatters
import Glibc
import TraceFile

/// Feeds damaged saved traces to the reader, and what it accepts to the decoder and formatter:
/// truncated, flipped, re-versioned, lengths changed, sections duplicated or garbage. The reader
/// must answer with an error or with what is intact plus notes; nothing may trap.
public struct TraceFileFuzzer {
    public struct Report: Sendable {
        public var inputs = 0
        /// Refused as a whole (not a saved trace, other version, damaged header).
        public var rejected = 0
        /// Read with something skipped (and said so).
        public var partial = 0
        /// Read with nothing skipped.
        public var intact = 0
        public var records = 0
        public init() {}
    }

    private var rng: SplitMix64
    private var records = RecordFuzzer(seed: 0)
    private let scratch: String

    public init(seed: UInt64, scratch: String = "/tmp/cgtrace-filefuzz-\(getpid())") {
        rng = SplitMix64(seed: seed)
        records = RecordFuzzer(seed: seed &+ 7)
        self.scratch = scratch
    }

    public mutating func run(count: Int, output: OutputFile) -> Report {
        var report = Report()
        let formatter = CallPairing(formats: .x86_64, next: StraceFormatter(formats: .x86_64, options: FormatOptions(), output: output))
        for _ in 0..<count {
            var bytes = validFile()
            if rng.next() % 4 == 0 { Self.uncheck(&bytes) }
            if rng.next() % 8 != 0 { damage(&bytes) }
            report.inputs += 1
            do {
                let contents = try TraceFileReader.parse(bytes)
                if contents.skipped.isEmpty { report.intact += 1 } else { report.partial += 1 }
                // The holes go where the replay puts them; each must be in the file, at a place
                // among the records.
                for hole in contents.holes {
                    precondition(hole.bytes > 0 && hole.byte + hole.bytes <= bytes.count && hole.beforeRecord <= contents.records.count,
                                 "a hole outside the file or the records")
                }
                for index in 0...contents.records.count {
                    for hole in contents.holes(before: index) {
                        formatter.handle(.damaged(DamagedPart(fileOffset: hole.byte, bytes: hole.bytes, at: 0)))
                    }
                    if index < contents.records.count, let record = try? RecordParser.decode(contents.records[index]) {
                        report.records += 1
                        formatter.handle(record)
                    }
                }
            } catch {
                report.rejected += 1
            }
        }
        formatter.finish(losses: TraceLosses())
        unlink(scratch)
        return report
    }

    /// A small well-formed file: META, SYSCALLS, one or two RECORDS sections, END; compressed
    /// or stored (level 0 never pays off, so the sections go uncompressed and only the CRC
    /// guards them).
    mutating func validFile() -> [UInt8] {
        let level: Int32 = rng.next() & 1 == 0 ? 0 : 1
        var meta = TraceFileFields()
        meta["source"] = rng.next() & 1 == 0 ? "command" : "recording"
        meta["string_limit"] = "32"
        guard let writer = try? TraceFileWriter(path: scratch, meta: meta, syscalls: [(0, "read"), (1, "write")], level: level) else {
            return []
        }
        for _ in 0..<(1 + Int(rng.next() % 40)) {
            var r = records.wellFormedRecord()
            // Sizes as the kernel writes them: a multiple of 8 (most random ones are).
            while r.count % 8 != 0 { r.append(0) }
            if r.count >= 4 {
                r[2] = UInt8(r.count & 0xff)
                r[3] = UInt8(r.count >> 8)
            }
            writer.append(r)
            if rng.next() % 16 == 0 { writer.flushRecords() }
        }
        try? writer.finish(end: TraceFileFields([("lost", "0")]))
        return readBack()
    }

    func readBack() -> [UInt8] {
        let fd = open(scratch, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    /// As earlier writers wrote it: every section header's check 0 (unchecked).
    public static func uncheck(_ bytes: inout [UInt8]) {
        for off in TraceFileFormat.sectionOffsets(bytes) { for i in 20..<24 { bytes[off + i] = 0 } }
    }

    mutating func damage(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        switch rng.next() % 7 {
        case 0:  // flip bytes anywhere
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
        case 1:  // a write cut short
            bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
        case 2:  // another version
            if bytes.count > 9 { bytes[8] = UInt8(truncatingIfNeeded: rng.next()) }
        case 3:  // a section length (the first section header's, or somewhere else)
            let at = rng.next() & 1 == 0 ? 16 + 8 : Int(rng.next() % UInt64(bytes.count))
            for i in 0..<4 where at + i < bytes.count { bytes[at + i] = UInt8(truncatingIfNeeded: rng.next()) }
        case 4:  // a section repeated or appended garbage
            let from = Int(rng.next() % UInt64(bytes.count))
            bytes += bytes[from...]
        case 5:  // garbage tail
            bytes += (0..<Int(rng.next() % 100)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        default:  // flip inside a records section's data, past the headers
            if bytes.count > 200 {
                let at = 200 + Int(rng.next() % UInt64(bytes.count - 200))
                bytes[at] ^= 0x40
            }
        }
    }
}
