import CgtraceABI
import Decoder
import Recorder
import XCTest

/// The flight recorder's snapshot → record stream step, on slots built as the kernel writes them.
final class ReplayTests: XCTestCase {
    typealias B = RecordBuilder
    let getpid = 39

    /// One CPU's slots after `written` records (seq 0..<written, timestamps 1000·seq + cpu) went
    /// into `slots` slots: only the newest `slots` remain, each at seq % slots.
    func cpu(_ cpu: Int, written: UInt64, slots: Int, tid: UInt32 = 100) -> CPUSlots {
        var records: [(slot: Int, bytes: [UInt8])] = []
        let first = written > UInt64(slots) ? written - UInt64(slots) : 0
        for seq in first..<written {
            let o = B.Origin(pid: tid, tid: tid, cpu: UInt16(cpu), ts: 1000 * seq + UInt64(cpu), seq: seq)
            let call = UInt32(seq / 2 + 1)
            let bytes = seq % 2 == 0 ? B.enter(o, nr: getpid, call: call, args: [0, 0, 0, 0, 0, 0])
                                     : B.exit(o, nr: getpid, call: call, ret: Int64(tid))
            records.append((Int(seq % UInt64(slots)), bytes))
        }
        return CPUSlots(cpu: cpu, head: written, records: records)
    }

    func testNothingOverwrittenWhenTheSlotsHoldEverything() {
        let replay = ReplayBuilder.build(cpus: [cpu(0, written: 6, slots: 8)], slotsPerCPU: 8)
        XCTAssertEqual(replay.overwritten, 0)
        XCTAssertEqual(replay.records.map(\.header.sequence), [0, 1, 2, 3, 4, 5])
    }

    func testOverwrittenCountIsExactAndTheNewestRemain() {
        let replay = ReplayBuilder.build(cpus: [cpu(0, written: 23, slots: 8)], slotsPerCPU: 8)
        XCTAssertEqual(replay.overwritten, 15)
        XCTAssertEqual(replay.records.map(\.header.sequence), Array(15..<23))
    }

    func testCPUsMergeInTimeOrderAndCountSeparately() {
        let replay = ReplayBuilder.build(cpus: [cpu(0, written: 10, slots: 4, tid: 1), cpu(1, written: 3, slots: 4, tid: 2)],
                                         slotsPerCPU: 4)
        XCTAssertEqual(replay.overwritten, 6)
        let stamps = replay.records.map(\.header.timestamp)
        XCTAssertEqual(stamps, stamps.sorted())
        XCTAssertEqual(replay.records.filter { $0.header.cpu == 1 }.count, 3)
        XCTAssertEqual(replay.records.filter { $0.header.cpu == 0 }.map(\.header.sequence), [6, 7, 8, 9])
    }

    /// A dump takes the heads first: records that land while it copies are newer than the
    /// snapshot and left out, so two dumps agree on the old events.
    func testRecordsNewerThanTheSnapshotAreLeftOut() {
        var slots = cpu(0, written: 6, slots: 8)
        slots.head = 4
        let replay = ReplayBuilder.build(cpus: [slots], slotsPerCPU: 8)
        XCTAssertEqual(replay.records.map(\.header.sequence), [0, 1, 2, 3])
        XCTAssertEqual(replay.overwritten, 0)
    }

    /// A slot being rewritten while it was read is missing from the copy: it counts as
    /// overwritten rather than vanishing.
    func testATornSlotCountsAsOverwritten() {
        var slots = cpu(0, written: 8, slots: 8)
        slots.records.remove(at: 3)
        let replay = ReplayBuilder.build(cpus: [slots], slotsPerCPU: 8)
        XCTAssertEqual(replay.overwritten, 1)
        XCTAssertEqual(replay.records.count, 7)
    }

    /// A record in the wrong slot for its seq, or from another CPU, is not trusted.
    func testMisplacedRecordsAreIgnored() {
        var slots = cpu(0, written: 4, slots: 8)
        slots.records[1].slot = 5
        let replay = ReplayBuilder.build(cpus: [slots], slotsPerCPU: 8)
        XCTAssertEqual(replay.records.map(\.header.sequence), [0, 2, 3])
        XCTAssertEqual(replay.overwritten, 1)
    }

    /// A record longer than a slot keeps the captures that arrived whole.
    func testRecordCutAtTheSlotKeepsWholeCaptures() throws {
        let o = B.Origin(pid: 7, seq: 0)
        let long = String(repeating: "a", count: 600)
        let full = B.enter(o, nr: 257, call: 1, args: [0, 0, 0, 0, 0, 0],
                           captures: [.string(1, "/etc/hostname"), .string(2, long), .string(3, long)])
        XCTAssertGreaterThan(full.count, Int(CGT_SLOT_SIZE))
        let slot = Array(full.prefix(Int(CGT_SLOT_SIZE)))
        let replay = ReplayBuilder.build(cpus: [CPUSlots(cpu: 0, head: 1, records: [(0, slot)])], slotsPerCPU: 4)
        XCTAssertEqual(replay.cut, 1)
        XCTAssertEqual(replay.malformed, 0)
        guard case .enter(let e)? = replay.records.first else { return XCTFail("no enter record") }
        XCTAssertEqual(e.captures.map(\.arg), [1, 2])
        XCTAssertEqual(e.captures[1].bytes.count, 600)
    }
}
