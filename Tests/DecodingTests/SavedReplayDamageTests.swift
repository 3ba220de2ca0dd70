import Foundation
import Recorder
import TraceFile
import XCTest

/// A replay marks the hole where a damaged part of a saved trace was, in every output, as live
/// tracing marks the ring buffer's: the text, JSON, Perfetto and -c. Built from a saved trace
/// written here (no kernel), with one section's data damaged.
final class SavedReplayDamageTests: XCTestCase {
    typealias B = RecordBuilder
    let dir = "/tmp/cgtrace-saved-damage-\(getpid())"
    let getpidNumber = 39
    let marker = "!!! lost events here (saved trace damaged: "

    override func setUpWithError() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// `calls` getpid calls of one thread, returning their call numbers, in RECORDS sections of
    /// `perSection` calls (ending after an entry: `cut`); the data of RECORDS section `damaged`
    /// (1-based) flipped, if any.
    func savedTrace(calls: Int, perSection: Int, cut: Bool = false, damaged: Int?, source: String = "attached") throws -> String {
        let path = dir + "/t.cgt"
        let w = try TraceFileWriter(path: path, meta: TraceFileFields([("source", source), ("clock_offset_ns", "0")]),
                                    syscalls: [(getpidNumber, "getpid")])
        for call in 1...calls {
            let ts = UInt64(call) * 1000
            w.append(B.enter(B.Origin(pid: 100, tid: 100, ts: ts), nr: getpidNumber, call: UInt32(call), args: []))
            if cut && call % perSection == 0 { w.flushRecords() }
            w.append(B.exit(B.Origin(pid: 100, tid: 100, ts: ts + 500), nr: getpidNumber, call: UInt32(call), ret: Int64(call)))
            if !cut && call % perSection == 0 { w.flushRecords() }
        }
        try w.finish(end: TraceFileFields([("lost", "0")]))
        if let damaged {
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let sections = TraceFileFormat.sectionOffsets(bytes)
            let at = sections[1 + damaged]  // after META and SYSCALLS
            bytes[at + TraceFileFormat.sectionHeaderSize + 40] ^= 0x20
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return path
    }

    func replay(_ path: String, _ configure: (inout ReplayRequest) -> Void = { _ in }) throws -> (lines: [String], notes: [String]) {
        var request = ReplayRequest()
        request.outputPath = dir + "/out"
        configure(&request)
        let notes = try Recorder().replay(path: path, request: request)
        let text = try String(contentsOfFile: dir + "/out", encoding: .utf8)
        return (text.split(separator: "\n").map(String.init), notes)
    }

    func testTheTextMarksTheHoleWhereTheDamagedSectionWas() throws {
        let path = try savedTrace(calls: 3000, perSection: 1000, damaged: 2)
        let (lines, notes) = try replay(path)
        XCTAssertTrue(notes.contains { $0.contains("section 4") && $0.contains("skipped") }, "\(notes)")
        let marks = lines.indices.filter { lines[$0].hasPrefix(marker) }
        XCTAssertEqual(marks, [1000], "one marker, after the first section's 1000 calls")
        XCTAssertTrue(lines[1000].hasSuffix(" unreadable) !!!"), lines[1000])
        XCTAssertTrue(lines[999].hasPrefix("getpid()") && lines[999].hasSuffix("= 1000"), lines[999])
        XCTAssertTrue(lines[1001].hasSuffix("= 2001"), lines[1001])
        XCTAssertEqual(lines.count, 2001)

        // An intact file has none.
        let whole = try replay(try savedTrace(calls: 3000, perSection: 1000, damaged: nil))
        XCTAssertFalse(whole.lines.contains { $0.contains("!!!") })
        XCTAssertEqual(whole.notes, [])
    }

    /// A saved recording (`dump --write`) replays through the dump's view: the same mark.
    func testARecordingsReplayMarksItToo() throws {
        let path = try savedTrace(calls: 3000, perSection: 1000, damaged: 2, source: "recording")
        let (lines, _) = try replay(path)
        XCTAssertEqual(lines.indices.filter { lines[$0].hasPrefix(marker) }, [1000])
        XCTAssertTrue(lines[1001].hasSuffix("= 2001"), lines[1001])
    }

    /// A call whose exit was in the damaged part is not paired with a later call's.
    func testACallCutByTheDamageEndsAsAtARingBufferHole() throws {
        // Sections end after an entry: the damaged second one took call 1000's exit and call
        // 2000's entry.
        let path = try savedTrace(calls: 3000, perSection: 1000, cut: true, damaged: 2)
        let (lines, _) = try replay(path)
        let mark = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(marker) })
        XCTAssertEqual(lines[mark - 1], "getpid( <unfinished ...>")
        XCTAssertEqual(lines[mark + 1], "<... getpid resumed> <exit lost>)       = ?")
        XCTAssertEqual(lines[mark + 2], "<... getpid resumed> <entry lost>)      = 2000")
        XCTAssertEqual(lines[mark + 3], "getpid()                                = 2001")
    }

    func testJSONPerfettoAndTheSummarySayIt() throws {
        let path = try savedTrace(calls: 3000, perSection: 1000, damaged: 2)
        let json = try replay(path) { $0.outputs.json = true }.lines
        let events = try json.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let damaged = events.indices.filter { events[$0]["type"] as? String == "damaged" }
        XCTAssertEqual(damaged, [1000])
        let d = events[1000]
        XCTAssertEqual(Set(d.keys), ["type", "ts", "mono_ns", "file_offset", "bytes"])
        XCTAssertEqual(d["mono_ns"] as? Int, 1000 * 1000 + 500, "the time of the record before it")
        XCTAssertGreaterThan(d["bytes"] as? Int ?? 0, 0)
        XCTAssertEqual(events.last?["type"] as? String, "lost")
        XCTAssertEqual(events.last?["damaged_parts"] as? Int, 1)

        let summary = try replay(path) { $0.outputs.summaryOnly = true }.lines
        XCTAssertEqual(summary.last, "!!! lost events in 1 damaged part of the saved trace: the calls in them are not counted above")

        let perfetto = dir + "/trace.json"
        _ = try replay(path) { $0.outputs.perfettoPath = perfetto; $0.outputs.traceHidden = true }
        let trace = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: perfetto))) as? [String: Any])
        let instants = (trace["traceEvents"] as? [[String: Any]] ?? []).filter { ($0["name"] as? String)?.contains("saved trace damaged") == true }
        XCTAssertEqual(instants.count, 1)
        XCTAssertEqual(instants.first?["s"] as? String, "g", "a global instant")
    }
}
