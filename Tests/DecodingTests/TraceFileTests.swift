import Formatters
import Fuzzing
import Glibc
import TraceFile
import XCTest

/// The saved-trace format: what is written reads back whole; damage is skipped and said, never
/// a crash (the fuzzed reader runs here, like the decoder's fuzzer).
final class TraceFileTests: XCTestCase {
    let path = "/tmp/cgtrace-tracefile-test-\(getpid())"

    override func tearDown() { unlink(path) }

    func record(_ i: Int, size: Int = 64) -> [UInt8] {
        var r = [UInt8](repeating: UInt8(i & 0xff), count: size)
        r[0] = 1; r[1] = 0
        r[2] = UInt8(size & 0xff); r[3] = UInt8(size >> 8)
        return r
    }

    func write(_ records: [[UInt8]], finish: Bool = true) throws -> [UInt8] {
        let w = try TraceFileWriter(path: path, meta: TraceFileFields([("source", "command"), ("clock_offset_ns", "-12")]),
                                    syscalls: [(0, "read"), (59, "execve")])
        for r in records { w.append(r) }
        if finish { try w.finish(end: TraceFileFields([("lost", "3")])) } else { w.flushRecords() }
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 1 << 22)
        let n = read(fd, &bytes, bytes.count)
        return Array(bytes[0..<max(n, 0)])
    }

    func testWhatIsWrittenReadsBackWhole() throws {
        let records = (0..<5000).map { record($0, size: 32 + 8 * ($0 % 20)) }
        let bytes = try write(records)
        let c = try TraceFileReader.parse(bytes)
        XCTAssertEqual(c.skipped, [])
        XCTAssertEqual(c.records, records)
        XCTAssertEqual(c.meta["clock_offset_ns"], "-12")
        XCTAssertEqual(c.end?["lost"], "3")
        XCTAssertEqual(c.end?["records"], "5000")
        XCTAssertEqual(c.syscalls.map(\.1), ["read", "execve"])
        XCTAssertLessThan(bytes.count, records.reduce(0) { $0 + $1.count } / 4, "the records compress")
    }

    func testAFileCutShortKeepsItsWholeSectionsAndSaysSo() throws {
        let records = (0..<40000).map { record($0) }  // 2.5 MB: three RECORDS sections
        let bytes = try write(records)
        let c = try TraceFileReader.parse(Array(bytes.prefix(bytes.count * 2 / 3)))
        XCTAssertGreaterThan(c.records.count, 10000)
        XCTAssertLessThan(c.records.count, 40000)
        XCTAssertEqual(c.records, Array(records.prefix(c.records.count)))
        XCTAssertTrue(c.skipped.contains { $0.contains("truncated") }, "\(c.skipped)")
        XCTAssertTrue(c.skipped.contains { $0.contains("END section") }, "\(c.skipped)")
    }

    func testAnUnfinishedWriterLeavesAReadableFile() throws {
        let c = try TraceFileReader.parse(try write((0..<10).map { record($0) }, finish: false))
        XCTAssertEqual(c.records.count, 10)
        XCTAssertNil(c.end)
        XCTAssertEqual(c.skipped.count, 1)
    }

    func testAFlippedByteCostsOneSection() throws {
        let records = (0..<40000).map { record($0) }
        var bytes = try write(records)
        bytes[bytes.count / 2] ^= 0x10
        let c = try TraceFileReader.parse(bytes)
        XCTAssertEqual(c.skipped.count, 1, "\(c.skipped)")
        XCTAssertTrue(c.skipped[0].contains("damaged") || c.skipped[0].contains("checksum"), c.skipped[0])
        XCTAssertGreaterThan(c.records.count, 20000)
        XCTAssertNotNil(c.end)
    }

    /// A flipped byte in a section's header costs that section at most, and is said: a damaged
    /// length must not place the next header wrong and lose the rest of the file (the reader
    /// finds the next section again), nor a damaged type turn records into another section. Also
    /// for files of earlier writers, whose headers carry no check.
    func testAFlippedHeaderByteCostsOneSectionAtMost() throws {
        let records = (0..<20000).map { record($0) }  // RECORDS sections of 16384 and 3616 records
        let checked = try write(records)
        var headers: [Int] = []
        var off = TraceFileFormat.headerSize
        while off < checked.count {
            headers.append(off)
            off += TraceFileFormat.sectionHeaderSize + (0..<4).reduce(0) { $0 | Int(checked[off + 8 + $1]) << (8 * $1) }
        }
        XCTAssertEqual(headers.count, 5, "META, SYSCALLS, two RECORDS, END")
        var unchecked = checked
        for header in headers { for i in 20..<24 { unchecked[header + i] = 0 } }
        XCTAssertEqual(try TraceFileReader.parse(unchecked).records, records)
        let header = headers[2]
        for bytes in [checked, unchecked] {
            for byte in 0..<TraceFileFormat.sectionHeaderSize {
                for bit in [0x01, 0x20, 0x80] as [UInt8] {
                    var damaged = bytes
                    damaged[header + byte] ^= bit
                    let c = try TraceFileReader.parse(damaged)
                    let what = "byte \(byte) of the header at \(header), bit \(bit), checked \(bytes == checked): \(c.skipped)"
                    XCTAssertNotNil(c.end, what)
                    if bytes == checked { XCTAssertEqual(c.skipped.count, 1, "every damaged header is seen: \(what)") }
                    if c.records.count < records.count {
                        XCTAssertEqual(c.skipped.count, 1, what)
                        XCTAssertGreaterThanOrEqual(c.records.count, records.count - 16384, what)
                        // What is kept is the file's records in order, one run of them missing.
                        let same = zip(c.records, records).prefix { $0 == $1 }.count
                        XCTAssertEqual(Array(c.records[same...]), Array(records.suffix(c.records.count - same)), what)
                    } else {
                        XCTAssertEqual(c.records, records, what)
                    }
                }
            }
        }
    }

    func testOtherVersionsAndOtherFilesAreOneLineErrors() throws {
        var bytes = try write([record(1)])
        bytes[8] = 2
        XCTAssertThrowsError(try TraceFileReader.parse(bytes, name: "x")) { error in
            XCTAssertEqual("\(error)", "'x' is a version 2 saved trace; this cgtrace reads version 1")
        }
        XCTAssertThrowsError(try TraceFileReader.parse(Array("execve(\"/bin/true\") = 0\n".utf8), name: "t.txt")) { error in
            XCTAssertEqual("\(error)", "'t.txt' is not a saved cgtrace trace (no CGTRACE header)")
        }
        XCTAssertThrowsError(try TraceFileReader.parse([], name: "empty"))
    }

    func testFuzzedFilesNeverCrashTheReader() {
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        var total = TraceFileFuzzer.Report()
        for seed in 1...4 as ClosedRange<UInt64> {
            var fuzzer = TraceFileFuzzer(seed: seed, scratch: path)
            let r = fuzzer.run(count: 500, output: OutputFile(fd: devnull))
            total.inputs += r.inputs
            total.rejected += r.rejected
            total.partial += r.partial
            total.intact += r.intact
            total.records += r.records
        }
        XCTAssertEqual(total.inputs, 2000)
        XCTAssertEqual(total.rejected + total.partial + total.intact, total.inputs)
        // Every outcome was reached: refused, read with skips, read whole; records decoded.
        XCTAssertGreaterThan(total.rejected, 50)
        XCTAssertGreaterThan(total.partial, 200)
        XCTAssertGreaterThan(total.intact, 200)
        XCTAssertGreaterThan(total.records, 5000)
    }
}
