import Foundation
import Recorder
import TraceFile
import XCTest

/// A replay marks the hole where a damaged part of a saved trace was, in every output, as live
/// tracing marks the ring buffer's: the text, JSON, Perfetto, -c and -ff. Built from saved traces
/// written here (no kernel), with parts of them damaged.
final class SavedReplayDamageTests: XCTestCase {
    typealias B = RecordBuilder
    let dir = "/tmp/cgtrace-saved-damage-\(getpid())"
    let getpidNumber = 39
    let execveNumber = 59
    let marker = "!!! lost events here (saved trace damaged: "

    override func setUpWithError() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// getpid calls `calls` of task `tid` (pid `pid`), each returning its call number, at
    /// 1000 ns per call number (the exit 500 ns after the entry).
    func getpids(_ calls: ClosedRange<Int>, tid: UInt32 = 100, pid: UInt32? = nil) -> [[UInt8]] {
        calls.flatMap { call -> [[UInt8]] in
            let ts = UInt64(call) * 1000
            return [B.enter(B.Origin(pid: pid ?? tid, tid: tid, ts: ts), nr: getpidNumber, call: UInt32(call), args: []),
                    B.exit(B.Origin(pid: pid ?? tid, tid: tid, ts: ts + 500), nr: getpidNumber, call: UInt32(call), ret: Int64(call))]
        }
    }

    /// A saved trace of these RECORDS sections (in order), the data of those numbered in
    /// `damaged` (1-based) flipped.
    func save(_ sections: [[[UInt8]]], damaged: Set<Int> = [], meta: [(String, String)] = [("source", "attached")]) throws -> String {
        let path = dir + "/t.cgt"
        let w = try TraceFileWriter(path: path, meta: TraceFileFields(meta + [("clock_offset_ns", "0")]),
                                    syscalls: [(getpidNumber, "getpid"), (execveNumber, "execve")])
        for section in sections {
            for r in section { w.append(r) }
            w.flushRecords()
        }
        try w.finish(end: TraceFileFields([("lost", "0")]))
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let offsets = TraceFileFormat.sectionOffsets(bytes)
        for n in damaged { bytes[offsets[1 + n] + TraceFileFormat.sectionHeaderSize + 40] ^= 0x20 }  // after META, SYSCALLS
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// 3000 calls, 1000 a section; `cut`: each section ends one record earlier, after an entry.
    func threeSections(cut: Bool = false, damaged: Set<Int> = [2], source: String = "attached") throws -> String {
        let calls = getpids(1...3000)
        let bounds = cut ? [1999, 3999] : [2000, 4000]
        let sections = [Array(calls[..<bounds[0]]), Array(calls[bounds[0]..<bounds[1]]), Array(calls[bounds[1]...])]
        return try save(sections, damaged: damaged, meta: [("source", source)])
    }

    func replay(_ path: String, _ configure: (inout ReplayRequest) -> Void = { _ in }) throws -> (lines: [String], notes: [String]) {
        var request = ReplayRequest()
        request.outputPath = dir + "/out"
        configure(&request)
        let notes = try Recorder().replay(path: path, request: request)
        guard !request.outputs.perTaskFiles else { return ([], notes) }  // (the files are the output)
        let text = try String(contentsOfFile: dir + "/out", encoding: .utf8)
        return (text.split(separator: "\n").map(String.init), notes)
    }

    func testTheTextMarksTheHoleWhereTheDamagedSectionWas() throws {
        let (lines, notes) = try replay(try threeSections())
        XCTAssertTrue(notes.contains { $0.contains("section 4") && $0.contains("skipped") }, "\(notes)")
        let marks = lines.indices.filter { lines[$0].hasPrefix(marker) }
        XCTAssertEqual(marks, [1000], "one marker, after the first section's 1000 calls")
        XCTAssertTrue(lines[1000].hasSuffix(") !!!"), lines[1000])
        XCTAssertTrue(lines[999].hasPrefix("getpid()") && lines[999].hasSuffix("= 1000"), lines[999])
        XCTAssertTrue(lines[1001].hasSuffix("= 2001"), lines[1001])
        XCTAssertEqual(lines.count, 2001)

        // An intact file has none.
        let whole = try replay(try threeSections(damaged: []))
        XCTAssertFalse(whole.lines.contains { $0.contains("!!!") })
        XCTAssertEqual(whole.notes, [])
    }

    /// A call whose exit was in the damaged part is not paired with a later call's.
    func testACallCutByTheDamageEndsAsAtARingBufferHole() throws {
        // Sections end after an entry: the damaged second one took call 1000's exit and call
        // 2000's entry.
        let (lines, _) = try replay(try threeSections(cut: true))
        let mark = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(marker) })
        XCTAssertEqual(lines[mark - 1], "getpid( <unfinished ...>")
        XCTAssertEqual(lines[mark + 1], "<... getpid resumed> <exit lost>)       = ?")
        XCTAssertEqual(lines[mark + 2], "<... getpid resumed> <entry lost>)      = 2000")
        XCTAssertEqual(lines[mark + 3], "getpid()                                = 2001")
    }

    /// A saved recording (`dump --write`) replays through the dump's view: the same mark, and a
    /// call cut by it ends as at a ring hole, not as one the recording caught mid-way.
    func testARecordingsReplayMarksItToo() throws {
        let (lines, _) = try replay(try threeSections(source: "recording"))
        XCTAssertEqual(lines.indices.filter { lines[$0].hasPrefix(marker) }, [1000])
        XCTAssertTrue(lines[1001].hasSuffix("= 2001"), lines[1001])

        let cut = try replay(try threeSections(cut: true, source: "recording")).lines
        let mark = try XCTUnwrap(cut.firstIndex { $0.hasPrefix(marker) })
        XCTAssertEqual(cut[mark + 2], "<... getpid resumed> <entry lost>)      = 2000")
    }

    func testJSONPerfettoAndTheSummariesSayIt() throws {
        let path = try threeSections()
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
        let threads = try replay(path) { $0.outputs.threadSummary = true; $0.outputs.traceHidden = true }.lines
        XCTAssertEqual(threads.last, summary.last)

        let perfetto = dir + "/trace.json"
        _ = try replay(path) { $0.outputs.perfettoPath = perfetto; $0.outputs.traceHidden = true }
        let trace = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: perfetto))) as? [String: Any])
        let instants = (trace["traceEvents"] as? [[String: Any]] ?? []).filter { ($0["name"] as? String)?.contains("saved trace damaged") == true }
        XCTAssertEqual(instants.count, 1)
        XCTAssertEqual(instants.first?["s"] as? String, "g", "a global instant")
    }

    /// Damage that starts in the syscall table and runs into the first RECORDS section (their
    /// headers both damaged): the records it took are a hole, though the first damaged header,
    /// checked, names no RECORDS.
    func testDamageRunningFromATextSectionIntoRecordsIsAHole() throws {
        let path = try save([getpids(1...1000), getpids(1001...2000)])
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let offsets = TraceFileFormat.sectionOffsets(bytes)
        for i in (offsets[2] - 64)..<(offsets[2] + 64) { bytes[i] = 0 }  // the end of SYSCALLS, the first RECORDS header
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let contents = try TraceFileReader.parse(bytes)
        XCTAssertEqual(contents.records.count, 2000, "the second section's")
        XCTAssertEqual(contents.holes.map(\.beforeRecord), [0])
        let (lines, _) = try replay(path)
        XCTAssertTrue(lines[0].hasPrefix(marker), lines[0])
        XCTAssertTrue(lines[1].hasSuffix("= 1001"), lines[1])
    }

    /// Command 100's execve and calls 2-500 in a damaged section; calls 501-1000 and a later
    /// execve of the same task in an intact one.
    func startInTheHole(source: String) throws -> String {
        let o = B.Origin(pid: 100, tid: 100, ts: 10)
        let first = [B.enter(o, nr: execveNumber, call: 1, args: [0, 0, 0]), B.exit(o, nr: execveNumber, call: 1, ret: 0)] + getpids(2...500)
        let second = getpids(501...1000) + [B.enter(B.Origin(pid: 100, tid: 100, ts: 2_000_000), nr: execveNumber, call: 1001, args: [0, 0, 0])]
        return try save([first, second], damaged: [1], meta: [("source", source), ("command_pid", "100")])
    }

    /// The command's execve in the damaged part, and a later execve of the same task intact (a
    /// wrapper's exec): the calls between are shown, from the hole on, not held back until the
    /// later execve.
    func testAHoleBeforeTheCommandsStartShowsFromTheHole() throws {
        let path = try startInTheHole(source: "command")
        let (lines, notes) = try replay(path)
        XCTAssertTrue(lines[0].hasPrefix(marker), lines[0])
        XCTAssertTrue(lines[1].hasSuffix("= 501"), lines[1])
        XCTAssertEqual(lines.filter { $0.hasPrefix("getpid()") }.count, 500)
        XCTAssertTrue(notes.contains { $0.contains("may have been in a damaged part") }, "\(notes)")
        // A hole before every record takes the time of the record after it.
        let json = try replay(path) { $0.outputs.json = true }.lines
        let hole = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json[0].utf8)) as? [String: Any])
        XCTAssertEqual(hole["type"] as? String, "damaged")
        XCTAssertEqual(hole["mono_ns"] as? Int, 501 * 1000)
    }

    /// The same, in a saved recording (`dump --write`): shown from the hole, and said.
    func testARecordingsHoleBeforeTheStartShowsFromTheHole() throws {
        let (lines, notes) = try replay(try startInTheHole(source: "recording"))
        XCTAssertTrue(lines[0].hasPrefix(marker), lines[0])
        XCTAssertEqual(lines.filter { $0.hasPrefix("getpid()") }.count, 500)
        XCTAssertTrue(notes.contains { $0.contains("may have been in a damaged part") }, "\(notes)")
    }

    /// Damage to the syscall table alone costs no record: no mark, and the command's trace
    /// starts at its execve as it did (not at the calls cgtrace made before it).
    func testDamageToTheSyscallTableAloneLeavesNoMark() throws {
        let o = B.Origin(pid: 100, tid: 100, ts: 10)
        let launcher = getpids(1...3)
        let command = [B.enter(o, nr: execveNumber, call: 4, args: [0, 0, 0]), B.exit(o, nr: execveNumber, call: 4, ret: 0)] + getpids(5...100)
        let path = try save([launcher + command], meta: [("source", "command"), ("command_pid", "100")])
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let syscalls = TraceFileFormat.sectionOffsets(bytes)[1]
        for (at, bit) in [(syscalls + 4, UInt8(0x01)), (syscalls + TraceFileFormat.sectionHeaderSize + 3, UInt8(0x20))] {  // flags; data
            var damaged = bytes
            damaged[at] ^= bit
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let (lines, notes) = try replay(path)
            XCTAssertFalse(lines.contains { $0.hasPrefix(marker) }, "\(lines.prefix(2))")
            XCTAssertTrue(lines[0].hasPrefix("execve("), lines[0])
            XCTAssertEqual(lines.count, 97)
            XCTAssertTrue(notes.contains { $0.contains("section 2") }, "\(notes)")
        }
        bytes = []
    }

    /// -ff: the mark goes to the files of the threads still alive at the hole, and to the top of
    /// a file first opened after it, unless that thread's fork came after the hole.
    func testPerTaskFilesGetTheMarkWhereThreadsMayHaveLostRecords() throws {
        let o = { (tid: UInt32, ts: UInt64) in B.Origin(pid: 100, tid: tid, ts: ts) }
        let before = getpids(1...10, tid: 100) + getpids(11...20, tid: 200, pid: 200)
            + [B.taskExit(o(200, 30_000), status: 0)]
        let damagedPart = getpids(21...30, tid: 300, pid: 300)
        let after = getpids(31...40, tid: 100) + getpids(41...50, tid: 300, pid: 300)
            + [B.fork(o(100, 60_000), childPid: 400, comm: "child")] + getpids(61...70, tid: 400, pid: 400)
        let path = try save([before, damagedPart, after], damaged: [2])
        _ = try replay(path) { $0.outputs.perTaskFiles = true; $0.outputPath = self.dir + "/ff" }
        func file(_ tid: Int) throws -> [String] {
            try String(contentsOfFile: "\(dir)/ff.\(tid)", encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let alive = try file(100), ended = try file(200), unseen = try file(300), forked = try file(400)
        XCTAssertEqual(alive.filter { $0.hasPrefix(marker) }.count, 1)
        XCTAssertTrue(alive[10].hasPrefix(marker), alive[10])
        XCTAssertFalse(ended.contains { $0.hasPrefix(marker) }, "its end came before the hole")
        XCTAssertTrue(unseen[0].hasPrefix(marker), "first seen after the hole: it may have lost records there")
        XCTAssertFalse(forked.contains { $0.hasPrefix(marker) }, "forked after the hole")
    }

    /// -ff: a thread first seen after two holes gets both marks; a thread that exec'ed and took
    /// its leader's tid (after the leader's end was reported) gets the marks of later holes; a
    /// tid used again after its task ended, the new task's fork not seen, gets the marks of the
    /// holes since that end before its lines.
    func testPerTaskFilesFollowExecsAndReusedTids() throws {
        let o = { (pid: UInt32, tid: UInt32, ts: UInt64) in B.Origin(pid: pid, tid: tid, ts: ts) }
        let start = getpids(1...5, tid: 100) + [B.fork(o(100, 100, 6000), childPid: 100, childTid: 101, comm: "t")]
            + getpids(7...10, tid: 101, pid: 100) + getpids(11...12, tid: 500, pid: 500) + [B.taskExit(o(500, 500, 13_000), status: 0)]
        let execed = [B.taskExit(o(100, 100, 14_000), status: 0, groupDead: false), B.exec(o(100, 100, 15_000), oldTid: 101, comm: "t")]
            + getpids(16...20, tid: 100)
        let after = getpids(31...35, tid: 100) + getpids(36...40, tid: 300, pid: 300) + getpids(41...45, tid: 500, pid: 500)
        let path = try save([start, execed, getpids(21...25, tid: 300, pid: 300), [B.exit(o(100, 100, 26_000), nr: getpidNumber, call: 26, ret: 26)],
                             getpids(27...30, tid: 300, pid: 300), after], damaged: [3, 5])
        _ = try replay(path) { $0.outputs.perTaskFiles = true; $0.outputPath = self.dir + "/ff" }
        func file(_ tid: Int) throws -> [String] {
            try String(contentsOfFile: "\(dir)/ff.\(tid)", encoding: .utf8).split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(try file(101).filter { $0.hasPrefix(marker) }.count, 2, "the exec'ed thread's file, both holes")
        XCTAssertEqual(try file(300).prefix(2).filter { $0.hasPrefix(marker) }.count, 2, "first seen after both")
        let reused = try file(500)
        let again = try XCTUnwrap(reused.firstIndex { $0.hasSuffix("= 41") })
        XCTAssertEqual(reused[..<again].filter { $0.hasPrefix(marker) }.count, 2, "\(reused)")
        XCTAssertTrue(reused[again - 3].hasPrefix("+++ exited with 0 +++"), "\(reused)")
    }
}
