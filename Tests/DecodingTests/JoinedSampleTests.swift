import CgtraceABI
import Decoder
@testable import Loader
import XCTest

/// A joined call's ring sample (probes/output.bpf.h, submit_joined) is taken apart by the ring
/// reader into the two records the kernel would have written alone: the entry first, then the
/// exit, whole again; a held entry sent alone is made whole too.
final class JoinedSampleTests: XCTestCase {
    typealias B = RecordBuilder
    typealias Cap = RecordBuilder.Cap

    private let entryBuffer = UnsafeMutableRawPointer.allocate(byteCount: Int(CGT_REC_MAX), alignment: 8)
    private let exitBuffer = UnsafeMutableRawPointer.allocate(byteCount: Int(CGT_REC_MAX), alignment: 8)
    deinit {
        entryBuffer.deallocate()
        exitBuffer.deallocate()
    }

    /// What `deliver` hands on, as byte arrays in order, and the count it returns.
    private func delivered(_ sample: [UInt8]) -> (records: [[UInt8]], count: Int32) {
        var records: [[UInt8]] = []
        let count = sample.withUnsafeBytes { raw in
            RingReader.deliver(raw, entryBuffer: entryBuffer, exitBuffer: exitBuffer) { records.append(Array($0)) }
        }
        return (records, count)
    }

    func testJoinedCallComesApartIntoItsEntryThenItsWholeExit() throws {
        let enterOrigin = B.Origin(pid: 40, tid: 41, cpu: 1, ts: 5_000)
        let entry = B.enter(enterOrigin, nr: 0, call: 9, args: [0, 0x7ffd_0000, 1])
        // The exit on another CPU, later, with a buffer and the killed flag.
        let exitOrigin = B.Origin(pid: 40, tid: 41, cpu: 0, ts: 7_500, flags: B.killedFlag)
        let exit = B.exit(exitOrigin, nr: 0, call: 9, ret: 1, enterTs: 5_000, captures: [.buffer(1, [0x41])])

        let (records, count) = delivered(B.joined(exit: exit, entry: entry, nargs: 3))
        XCTAssertEqual(count, 2)
        XCTAssertEqual(records, [entry, exit])

        guard case .enter(let e) = try RecordParser.decode(records[0]) else { return XCTFail("not an entry") }
        XCTAssertEqual((0..<Int(CGT_MAX_ARGS)).map { e.args[$0] }, [0, 0x7ffd_0000, 1, 0, 0, 0])
        XCTAssertEqual(e.header.timestamp, 5_000)
        XCTAssertEqual(e.header.cpu, 1)
        guard case .exit(let x) = try RecordParser.decode(records[1]) else { return XCTFail("not an exit") }
        XCTAssertEqual(x.header.tid, 41)
        XCTAssertEqual(x.header.cpu, 0)
        XCTAssertEqual(x.ret, 1)
        XCTAssertEqual(x.call, 9)
        XCTAssertEqual(x.enterTimestamp, 5_000)
        XCTAssertTrue(x.killed)
    }

    func testEntriesAndExitsOfEverySizeJoinAndComeApart() {
        // Entries up to the largest the kernel holds; exits with none, small and large captures.
        for nargs in 0...Int(CGT_MAX_ARGS) {
            for entryText in [0, 1, 7, 8, 30, 150] {
                for exitBytes in [0, 1, 16, 1000] {
                    let o = B.Origin(pid: 3, tid: 4, ts: 1_000)
                    let entry = B.enter(o, nr: 1, call: 2, args: (0..<nargs).map { UInt64($0 + 1) },
                                        captures: entryText == 0 ? [] : [.string(1, String(repeating: "e", count: entryText))])
                    let exit = B.exit(B.Origin(pid: 3, tid: 4, ts: 2_000), nr: 1, call: 2, ret: Int64(exitBytes), enterTs: 1_000,
                                      captures: exitBytes == 0 ? [] : [.buffer(1, [UInt8](repeating: 7, count: exitBytes))])
                    XCTAssertLessThanOrEqual(entry.count, Int(CGT_JOIN_ENTRY_MAX))
                    let (records, count) = delivered(B.joined(exit: exit, entry: entry, nargs: nargs))
                    XCTAssertEqual(count, 2)
                    XCTAssertEqual(records, [entry, exit], "\(nargs) arguments, entry capture \(entryText), exit capture \(exitBytes)")
                    // Sent alone (its thread was switched out): the same entry.
                    XCTAssertEqual(delivered(B.shortEntry(entry, nargs: nargs)).records, [entry])
                }
            }
        }
    }

    func testASingleRecordGoesAsItIs() {
        let entry = B.enter(B.Origin(pid: 1), nr: 39, call: 1, args: [])
        let (records, count) = delivered(entry)
        XCTAssertEqual(count, 1)
        XCTAssertEqual(records, [entry])
    }

    func testDamagedJoinedSamplesGoWholeAndTheDecoderRefusesThem() {
        let o = B.Origin(pid: 1)
        let entry = B.enter(o, nr: 0, call: 1, args: [0])
        let exit = B.exit(o, nr: 0, call: 1, ret: 0, enterTs: 1_000_000)
        let joined = B.joined(exit: exit, entry: entry, nargs: 1)
        var pastTheEnd = joined
        pastTheEnd[2] = 0xf8  // the return's size runs past the sample
        pastTheEnd[3] = 0x00
        var notAnEntry = joined
        let entryAt = Int(joined[2])
        notAnEntry[entryAt] = UInt8(CGT_REC_SYS_EXIT.rawValue)
        var tooManyArguments = joined
        tooManyArguments[entryAt + 7] = 7
        var entryPastTheEnd = B.shortEntry(entry, nargs: 1)
        entryPastTheEnd[2] = 0xf0
        for damaged in [pastTheEnd, notAnEntry, tooManyArguments, Array(joined.prefix(entryAt + 8)), Array(joined.prefix(20)),
                        entryPastTheEnd] {
            let (records, count) = delivered(damaged)
            XCTAssertEqual(count, 1)
            XCTAssertEqual(records, [damaged])
            XCTAssertThrowsError(try RecordParser.decode(damaged))
        }
    }
}
