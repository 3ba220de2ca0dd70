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

    func write(_ records: [[UInt8]], finish: Bool = true, level: Int32 = 1, flushEvery: Int = .max) throws -> [UInt8] {
        let w = try TraceFileWriter(path: path, meta: TraceFileFields([("source", "command"), ("clock_offset_ns", "-12")]),
                                    syscalls: [(0, "read"), (59, "execve")], level: level)
        for (i, r) in records.enumerated() {
            w.append(r)
            if (i + 1) % flushEvery == 0 { w.flushRecords() }
        }
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
        // The hole is where the records stop matching: what is kept is a prefix and a suffix.
        XCTAssertEqual(c.holes.count, 1)
        let hole = try XCTUnwrap(c.holes.first)
        XCTAssertEqual(Array(c.records.prefix(hole.beforeRecord)), Array(records.prefix(hole.beforeRecord)))
        XCTAssertEqual(Array(c.records.suffix(from: hole.beforeRecord)), Array(records.suffix(c.records.count - hole.beforeRecord)))
        XCTAssertLessThanOrEqual(hole.byte, bytes.count / 2)
        XCTAssertGreaterThan(hole.byte + hole.bytes, bytes.count / 2)
        XCTAssertEqual(try TraceFileReader.parse(try write(records)).holes, [], "an intact file has none")
    }

    /// A flipped bit in any section's header costs that section at most, and is said: a damaged
    /// length must not place the next header wrong and lose the rest of the file (the reader
    /// finds the next section again), nor a damaged type turn records into another section.
    /// Compressed and stored (zeros in the data, where fake headers could be), and in files of
    /// earlier writers, whose headers carry no check.
    func testAFlippedHeaderBitCostsOneSectionAtMost() throws {
        let records = (0..<2000).map { record($0) }
        for (level, unchecked) in [(1, false), (0, false), (1, true), (0, true)] as [(Int32, Bool)] {
            var bytes = try write(records, level: level, flushEvery: 1000)  // two RECORDS sections
            let headers = TraceFileFormat.sectionOffsets(bytes)
            XCTAssertEqual(headers.count, 5, "META, SYSCALLS, two RECORDS, END")
            if unchecked { TraceFileFuzzer.uncheck(&bytes) }
            XCTAssertEqual(try TraceFileReader.parse(bytes).skipped, [])
            for (n, header) in headers.enumerated() {
                for byte in 0..<TraceFileFormat.sectionHeaderSize {
                    // a low bit of odd bytes, two high bits of even ones, all three of the stored length
                    let bits: [UInt8] = (8..<12).contains(byte) ? [0x01, 0x20, 0x80] : byte % 2 == 1 ? [0x01] : [0x20, 0x80]
                    for bit in bits {
                        var damaged = bytes
                        damaged[header + byte] ^= bit
                        let c = try TraceFileReader.parse(damaged)
                        let what = "level \(level), unchecked \(unchecked), header \(n) byte \(byte) bit \(bit): \(c.skipped)"
                        if !unchecked { XCTAssertFalse(c.skipped.isEmpty, "every damaged header is seen: \(what)") }
                        // What is kept is the file's records in order, at most one section's run missing.
                        let same = zip(c.records, records).prefix { $0 == $1 }.count
                        XCTAssertEqual(Array(c.records[same...]), Array(records.suffix(c.records.count - same)), what)
                        XCTAssertGreaterThanOrEqual(c.records.count, n == 2 || n == 3 ? 1000 : 2000, what)
                        XCTAssertEqual(c.meta["clock_offset_ns"], n == 0 && !c.skipped.isEmpty ? nil : "-12", what)
                        XCTAssertEqual(c.syscalls.count, n == 1 && !c.skipped.isEmpty ? 0 : 2, what)
                        if n == 4 && !c.skipped.isEmpty { XCTAssertNil(c.end, what) } else { XCTAssertEqual(c.end?["lost"], "3", what) }
                        // One note for the damage; losing META or END adds the note that says so.
                        XCTAssertLessThanOrEqual(c.skipped.count, n == 0 || n == 4 ? 2 : 1, what)
                        // A hole where records went: the replay marks it there. Where none went,
                        // none before the syscall table, nor for the table itself when its
                        // header's length is intact; a damaged header of END, or of the table
                        // with its length damaged, may have been records' (its type is not to be
                        // trusted), and is one.
                        if c.records.count < records.count {
                            XCTAssertEqual(c.holes.map(\.beforeRecord), [same], what)
                        } else if !unchecked {
                            let expected = n == 1 && (8..<12).contains(byte) ? [0] : n == 4 ? [records.count] : []
                            XCTAssertEqual(c.holes.map(\.beforeRecord), expected, what)
                        }
                        if c.skipped.isEmpty { XCTAssertEqual(c.records, records, what) }
                    }
                }
            }
        }
    }

    /// A length damaged into one that ends exactly at a later section: the sections between
    /// are found again, not skipped with it.
    func testALengthPointingAtALaterSectionCostsOnlyItsOwn() throws {
        let records = (0..<3000).map { record($0) }
        for unchecked in [false, true] {
            var bytes = try write(records, flushEvery: 1000)  // three RECORDS sections
            let headers = TraceFileFormat.sectionOffsets(bytes)
            XCTAssertEqual(headers.count, 6, "META, SYSCALLS, three RECORDS, END")
            if unchecked { TraceFileFuzzer.uncheck(&bytes) }
            let toEnd = headers[5] - headers[2] - TraceFileFormat.sectionHeaderSize
            for i in 0..<4 { bytes[headers[2] + 8 + i] = UInt8((toEnd >> (8 * i)) & 0xff) }
            let c = try TraceFileReader.parse(bytes)
            XCTAssertEqual(c.records, Array(records[1000...]), "unchecked \(unchecked): \(c.skipped)")
            XCTAssertEqual(c.skipped.count, 1, "\(c.skipped)")
            XCTAssertNotNil(c.end)
        }
    }

    /// A header can ask for 64 MiB of raw bytes: one whose stored bytes cannot hold them is
    /// refused at the header, not given a buffer of that size to inflate into (a 9.6 KB file of
    /// 400 such headers took 17 s to read), and the scan for the next section passes them by.
    func testHeadersAskingForMoreThanTheirBytesCanHoldAreRefusedAtTheHeader() throws {
        var bytes = Array(try write([record(1)]).prefix(TraceFileFormat.headerSize))
        for _ in 0..<400 {
            var h = [UInt8](repeating: 0, count: TraceFileFormat.sectionHeaderSize)
            h[0] = 3; h[4] = 1  // RECORDS, compressed, nothing stored, 64 MiB raw
            h[15] = 4
            bytes += h
        }
        let c = try TraceFileReader.parse(bytes)
        XCTAssertEqual(c.records.count, 0)
        XCTAssertEqual(c.skipped.first, "section 1 at byte 16: damaged header (lengths 0 and 67108864); the remaining 9600 bytes hold no whole section and are skipped")
        XCTAssertEqual(c.skipped.count, 3, "\(c.skipped)")  // and no META, no END
    }

    /// Places that look like headers, each claiming the rest of the file: checking each would
    /// read the rest of the file once per place (quadratic). The scan's work is bounded, and it
    /// says that it gave up.
    func testAFileOfFakeHeadersCostsALinearScan() throws {
        var bytes = Array(try write([record(1)]).prefix(TraceFileFormat.headerSize))
        let fakes = 2000
        for i in 0..<fakes {
            var h = [UInt8](repeating: 0, count: TraceFileFormat.sectionHeaderSize)
            let rest = (fakes - i - 1) * TraceFileFormat.sectionHeaderSize
            h[0] = 3  // RECORDS, stored, the rest of the file, a CRC that never matches, no check
            for k in 0..<4 { h[8 + k] = UInt8((rest >> (8 * k)) & 0xff); h[12 + k] = h[8 + k] }
            h[16] = 0x78; h[17] = 0x56; h[18] = 0x34; h[19] = 0x12
            bytes += h
        }
        let c = try TraceFileReader.parse(bytes)
        XCTAssertEqual(c.records.count, 0)
        XCTAssertTrue(c.skipped.first?.contains("too many places in them look like section headers") ?? false, "\(c.skipped)")
    }

    /// A reader walking the records finds each hole just before the record it precedes, and
    /// those at the end after the last one.
    func testHolesAreFoundBeforeTheirRecords() throws {
        var bytes = try write((0..<2000).map { record($0) }, flushEvery: 500)  // four RECORDS sections
        let headers = TraceFileFormat.sectionOffsets(bytes)
        for n in [3, 5] { bytes[headers[n] + TraceFileFormat.sectionHeaderSize + 40] ^= 0x20 }  // the second and fourth
        let c = try TraceFileReader.parse(bytes)
        XCTAssertEqual(c.records.count, 1000)
        XCTAssertEqual(c.holes.map(\.beforeRecord), [500, 1000])
        let found = (0...c.records.count).flatMap { i in c.holes(before: i).map { (i, $0.byte) } }
        XCTAssertEqual(found.map(\.0), [500, 1000])
        XCTAssertEqual(found.map(\.1), [headers[3], headers[5]])
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
