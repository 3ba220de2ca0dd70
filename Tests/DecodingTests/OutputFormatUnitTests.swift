import Beautifiers
import Decoder
import Formatters
import Foundation
import Syscalls
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Drives any TraceOutput with records built byte-exact, on a clock the test sets.
final class OutputHarness {
    typealias B = RecordBuilder
    let path: String
    let file: OutputFile
    private var calls: [UInt32: UInt32] = [:]
    private var seq: UInt64 = 0
    /// Set before the first record: the pairing stage feeds them all.
    var outputs: [CallOutput] = []
    /// Records go the live tracer's way (the direct path first, from their bytes); otherwise
    /// each is decoded and handled the general way.
    var direct = false
    private lazy var pairing = CallPairing(formats: .x86_64, next: FanOut(outputs))
    /// Calls the direct path printed.
    var directCalls: Int { pairing.directCalls }

    init() {
        var template = Array((NSTemporaryDirectory() + "/cgtrace-out-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "mkstemp failed")
        path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        file = OutputFile(fd: fd, ownsFD: true)
    }

    deinit { unlink(path) }

    private func feed(_ bytes: [UInt8]) {
        if direct {
            do {
                try bytes.withUnsafeBytes { try pairing.handle(bytes: $0) }
            } catch {
                XCTFail("record did not decode")
            }
            return
        }
        guard let r = try? RecordParser.decode(bytes) else { return XCTFail("record did not decode") }
        pairing.handle(r)
    }

    private func origin(_ pid: UInt32, _ ts: UInt64, flags: UInt16 = 0) -> B.Origin {
        seq += 1
        return B.Origin(pid: pid, tid: pid, ts: ts, seq: seq, flags: flags)
    }

    func enter(_ pid: UInt32, _ name: String, _ args: [UInt64], _ caps: [B.Cap] = [], at ts: UInt64) {
        calls[pid, default: 0] += 1
        feed(B.enter(origin(pid, ts), nr: FormatterHarness.nr(name), call: calls[pid]!, args: args, captures: caps))
    }

    func exit(_ pid: UInt32, _ name: String, _ ret: Int64, _ caps: [B.Cap] = [], at ts: UInt64, enteredAt: UInt64) {
        feed(B.exit(origin(pid, ts), nr: FormatterHarness.nr(name), call: calls[pid] ?? 0, ret: ret,
                    enterTs: enteredAt, captures: caps))
    }

    func call(_ pid: UInt32, _ name: String, _ args: [UInt64], in caps: [B.Cap] = [], ret: Int64,
              out outCaps: [B.Cap] = [], from start: UInt64, to end: UInt64) {
        enter(pid, name, args, caps, at: start)
        exit(pid, name, ret, outCaps, at: end, enteredAt: start)
    }

    func pidns(_ pid: UInt32, nsPid: UInt32, at ts: UInt64) {
        feed(B.pidns(origin(pid, ts), tid: pid, pid: pid, nsTid: nsPid, nsPid: nsPid))
    }

    func exec(_ pid: UInt32, comm: String, at ts: UInt64) {
        feed(B.exec(origin(pid, ts), oldTid: pid, comm: comm))
    }

    func taskExit(_ pid: UInt32, status: UInt32, at ts: UInt64) {
        feed(B.taskExit(origin(pid, ts), status: status, groupDead: true))
    }

    func text(losses: TraceLosses = TraceLosses()) -> String {
        pairing.finish(losses: losses)
        file.flush()
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
    }
}

final class OutputFormatUnitTests: XCTestCase {
    static let AT_FDCWD: UInt64 = 4294967196
    static let pathPtr: UInt64 = 0x7ffd_1234_5000
    static let second: UInt64 = 1_000_000_000

    // MARK: JSON sink

    func testJSONSinkTypesValues() {
        let s = JSONSink()
        s.begin()
        s.argument("fd"); s.signed(-1)
        s.argument("flags"); s.flags(["O_WRONLY", "O_CREAT"], rest: 0x40000000, zero: "O_RDONLY")
        s.argument("none"); s.flags([], rest: 0, zero: "O_RDONLY")
        s.argument("addr"); s.pointer(0)
        s.argument("buf"); s.pointer(0x7ffd)
        s.argument("mode"); s.octal(0o644)
        s.argument("st"); s.beginStruct()
        s.field("st_size"); s.unsigned(42)
        s.field("st_mode"); s.symbol("S_IFREG")
        s.ellipsis()
        s.endStruct()
        s.argument("argv"); s.beginArray()
        s.element(); s.string(ArraySlice(Array("a\"b\n".utf8)), truncated: false, hexOnly: false)
        s.element(); s.string(ArraySlice([0xff, 0x00, 0x41]), truncated: true, hexOnly: false)
        s.endArray()
        s.argument("envp"); s.pointer(0x10); s.comment("3 vars")
        s.end()
        XCTAssertEqual(String(decoding: s.bytes.array, as: UTF8.self),
            #"{"fd":-1,"flags":["O_WRONLY","O_CREAT",1073741824],"none":["O_RDONLY"],"addr":null,"buf":"0x7ffd","#
            + #""mode":420,"st":{"st_size":42,"st_mode":"S_IFREG"},"argv":["a\"b\n",{"hex":"ff0041"}],"envp":"0x10"}"#)
        var truncated = ByteBuffer(), remarks = ByteBuffer()
        s.appendTruncated(to: &truncated)
        s.appendRemarks(to: &remarks)
        XCTAssertEqual(String(decoding: truncated.array, as: UTF8.self), #"["st","argv[1]"]"#)
        XCTAssertEqual(String(decoding: remarks.array, as: UTF8.self), #"{"envp":"3 vars"}"#)
    }

    func testJSONSinkLabelsBecomeKeysAndKeysStayUnique() {
        let s = JSONSink()
        s.begin()
        s.argument("arg0"); s.raw("child_stack="); s.pointer(0)
        s.argument("x"); s.beginStruct(); s.field("a"); s.signed(1); s.field("a"); s.signed(2); s.endStruct()
        s.argument("y"); s.signed(3); s.raw(" (note)")
        s.argument("z"); s.beginArray(); s.element(); s.beginStruct(); s.field("p"); s.string(ArraySlice(Array("abc".utf8)), truncated: true, hexOnly: false)
        s.endStruct(); s.element(); s.signed(4); s.signed(5); s.comment("two")
        s.end()
        XCTAssertEqual(String(decoding: s.bytes.array, as: UTF8.self),
                       #"{"child_stack":null,"x":{"a":1,"a#2":2},"y":[3," (note)"],"z":[{"p":"abc"},[4,5]]}"#)
        XCTAssertEqual(s.truncated, ["z[0].p"])
        XCTAssertEqual(s.remarks.map { $0.0 + "=" + $0.1 }, ["z[1]=two"])
        // A return value's decoding: the single value, or the list of several.
        s.bytes.removeAll()
        s.bytes.append(contentsOf: Array("prefix".utf8))
        s.begin(); s.argument("ret"); s.flags(["FD_CLOEXEC"], rest: 0, zero: "0")
        XCTAssertEqual(String(decoding: s.endSingleValue(from: 6), as: UTF8.self), #"["FD_CLOEXEC"]"#)
        XCTAssertEqual(String(decoding: s.bytes.array, as: UTF8.self), "prefix")
        s.begin(); s.argument("ret"); s.signed(1); s.raw(" x"); s.argument("b")
        XCTAssertEqual(String(decoding: s.endSingleValue(from: 6), as: UTF8.self), #"[[1," x"],null]"#)
    }

    /// Keys are kept as their rendered bytes: escaped and non-ASCII ones still name paths as
    /// given and are unique by String equality (a Kelvin sign is a K), as when kept as Strings.
    func testJSONSinkKeysEscapedNonASCIIAndNamedElements() {
        let s = JSONSink(singleValues: false)
        s.begin()
        s.argument("K"); s.signed(1)
        s.argument("\u{212A}"); s.signed(2)
        s.argument("a\"b"); s.beginStruct(); s.field("x"); s.string(ArraySlice(Array("abc".utf8)), truncated: true, hexOnly: false)
        s.endStruct()
        s.argument("a\"b"); s.signed(3)
        s.argument("arr"); s.beginArray(); s.element(); s.signed(1)
        s.argument("n"); s.string(ArraySlice(Array("x".utf8)), truncated: true, hexOnly: false); s.endArray()
        s.argument("\u{e9}"); s.signed(4)
        s.argument("e\u{301}"); s.signed(5)
        s.argument("tab\t"); s.comment("t")
        s.end()
        XCTAssertEqual(String(decoding: s.bytes.array, as: UTF8.self),
                       "{\"K\":1,\"\u{212A}#2\":2,\"a\\\"b\":{\"x\":\"abc\"},\"a\\\"b#2\":3,\"arr\":[1,\"x\"],"
                       + "\"\u{e9}\":4,\"e\u{301}#2\":5,\"tab\\t\":null}")
        XCTAssertEqual(s.truncated, ["a\"b.x", "arr[n]"])
        XCTAssertEqual(s.remarks.map { $0.0 + "=" + $0.1 }, ["tab\t=t"])
        // The same sink again: nothing of the last call's keys is left.
        s.bytes.removeAll()
        s.begin(); s.argument("K"); s.signed(1); s.end()
        XCTAssertEqual(String(decoding: s.bytes.array, as: UTF8.self), #"{"K":1}"#)
        // Rendered keys are kept by the String's representation: keys made afresh (on the heap,
        // small, around the 32 bytes kept) each come out as themselves.
        for i in 0..<300 {
            for key in [String(repeating: "k", count: 20) + String(i), "s\(i % 7)", String(repeating: "x", count: 28 + i % 5)] {
                s.bytes.removeAll()
                s.begin(); s.argument(key); s.signed(Int64(i)); s.argument("fd"); s.signed(1); s.end()
                XCTAssertEqual(String(decoding: s.bytes.array, as: UTF8.self), "{\"\(key)\":\(i),\"fd\":1}")
            }
        }
    }

    func testJSONStringsEscapeEveryControlCharacter() {
        var out: [UInt8] = []
        JSONValue.string("\u{1}\t\u{7f}é\\").write(to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #""\u0001\t\u007fé\\""#)
        XCTAssertEqual(JSONValue.fixed(1_700_000_000_123456, scale: 6).text, "1700000000.123456")
        XCTAssertEqual(JSONValue.fixed(5, scale: 3).text, "0.005")
    }

    func testJSONLinesEventsForACallAnErrorAndAnExit() throws {
        let h = OutputHarness()
        let context = EventContext(formats: .x86_64, clock: WallClock(offsetNs: 1_700_000_000 * Int64(Self.second)),
                                   names: TaskNames(procRoot: "/nonexistent"), cgroupID: 77, stringLimit: 32)
        h.outputs = [JSONLinesFormatter(context: context, output: h.file)]
        h.exec(100, comm: "cat", at: 5 * Self.second)
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, "/nope")], ret: -2,
               from: 6 * Self.second, to: 6 * Self.second + 1500)
        h.enter(100, "read", [3, 0x1000, 10], at: 7 * Self.second)
        h.taskExit(100, status: 9, at: 8 * Self.second)
        let lines = h.text(losses: TraceLosses(lostRecords: 3)).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
        XCTAssertEqual(lines[0], #"{"type":"syscall","ts":1700000006.000000,"mono_ns":6000000000,"pid":100,"tid":100,"#
            + #""comm":"cat","cpu":0,"cgroup_id":77,"syscall":"openat","nr":257,"#
            + #""args":{"dfd":"AT_FDCWD","filename":"/nope","flags":["O_RDONLY"]},"ret":-1,"errno":"ENOENT","#
            + #""error":"No such file or directory","errno_nr":2,"duration_ns":1500,"state":"returned"}"#)
        // The read never returned: the task was killed; its entry arguments and no result.
        XCTAssertTrue(lines[1].contains(#""syscall":"read""#) && lines[1].contains(#""ret":null"#)
                      && lines[1].contains(#""state":"killed""#) && lines[1].contains(#""duration_ns":1000000000"#), lines[1])
        XCTAssertTrue(lines[2].hasPrefix(#"{"type":"exit","#) && lines[2].hasSuffix(#""exit_code":null,"signal":"SIGKILL","core_dumped":false,"group_dead":true}"#), lines[2])
        XCTAssertEqual(lines[3], #"{"type":"lost","records":3,"malformed":0,"truncated_captures":0}"#)
    }

    // MARK: strace timing

    /// A task in a pid namespace of its own carries its numbers there too; others do not.
    func testJSONCarriesNamespacePids() throws {
        let h = OutputHarness()
        let context = EventContext(formats: .x86_64, clock: WallClock(offsetNs: 0),
                                   names: TaskNames(procRoot: "/nonexistent"), cgroupID: 77, stringLimit: 32)
        h.outputs = [JSONLinesFormatter(context: context, output: h.file)]
        h.call(200, "getpid", [], ret: 200, from: Self.second, to: Self.second + 10)
        h.pidns(4242, nsPid: 1, at: 2 * Self.second)
        h.call(4242, "getpid", [], ret: 1, from: 3 * Self.second, to: 3 * Self.second + 10)
        h.taskExit(4242, status: 0, at: 4 * Self.second)
        let lines = h.text().split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, lines.joined(separator: "\n"))
        XCTAssertTrue(lines[0].contains(#""pid":200,"tid":200,"comm""#), lines[0])
        XCTAssertTrue(lines[1].contains(#""pid":4242,"tid":4242,"ns_pid":1,"ns_tid":1,"comm""#), lines[1])
        XCTAssertTrue(lines[2].hasPrefix(#"{"type":"exit","#) && lines[2].contains(#""ns_pid":1,"ns_tid":1"#), lines[2])
    }

    func testTimingTexts() {
        XCTAssertEqual(TimingText.secondsMicros(1_234_567_891), "1.234567")
        XCTAssertEqual(TimingText.duration(42_999), " <0.000042>")
        XCTAssertEqual(TimingText.relative(1_500_000, afterTimestamp: false), "     0.001500 ")
        XCTAssertEqual(TimingText.relative(1_500_000, afterTimestamp: true), "(+     0.001500) ")
        XCTAssertEqual(TimingText.timestamp(.epoch, wallNs: 1_700_000_000_123_456_789), "1700000000.123456 ")
        // Local time: whatever the zone, HH:MM:SS and the microseconds of the stamp.
        let tt = TimingText.timestamp(.microseconds, wallNs: 1_700_000_000_123_456_789)
        XCTAssertNotNil(tt.range(of: #"^\d\d:\d\d:\d\d\.123456 $"#, options: .regularExpression), tt)
        XCTAssertNotNil(TimingText.timestamp(.seconds, wallNs: 0).range(of: #"^\d\d:\d\d:\d\d $"#, options: .regularExpression))
    }

    /// The text output keeps one TimingWriter for the run, which looks the time of day up once
    /// per second: its stamps, over seconds forward and back and within one, are what
    /// localtime_r and strftime make of each stamp alone.
    func testTimeOfDayKeptPerSecondMatchesLocaltime() {
        var writer = TimingWriter()
        let base: Int64 = 1_700_000_000_000_000_000
        let offsets: [Int64] = [0, 999_999_999, 1_000_000_000, 1_000_000_001, 59_999_999_999, 60_000_000_000,
                                3_600_000_000_000, 1_000_000_000, 0, 86_400_000_000_000 + 5, -1_000_000_000]
        for offset in offsets {
            let wall = base + offset
            var t = time_t(wall / 1_000_000_000)
            var tm = Glibc.tm()
            XCTAssertNotNil(localtime_r(&t, &tm))
            var day = [CChar](repeating: 0, count: 16)
            strftime(&day, day.count, "%H:%M:%S", &tm)
            let micros = String(wall % 1_000_000_000 / 1000)
            let expected = String(cString: day) + "." + String(repeating: "0", count: 6 - micros.count) + micros + " "
            var line = ByteBuffer(capacity: 4)
            writer.appendTimestamp(.microseconds, wallNs: wall, to: &line)
            XCTAssertEqual(String(decoding: line.array, as: UTF8.self), expected, "offset \(offset)")
            var seconds = ByteBuffer(capacity: 4)
            writer.appendTimestamp(.seconds, wallNs: wall, to: &seconds)
            XCTAssertEqual(String(decoding: seconds.array, as: UTF8.self), String(cString: day) + " ")
        }
        // -r with seconds past its six columns, and a negative delta (a line stamped earlier).
        XCTAssertEqual(TimingText.relative(1_234_567_000_000_000, afterTimestamp: false), "1234567.000000 ")
        XCTAssertEqual(TimingText.relative(-5, afterTimestamp: true), "(+     0.000000) ")
        XCTAssertEqual(TimingText.duration(-1), " <0.000000>")
    }

    func testStraceLinesWithRelativeStampsAndDurations() {
        let h = OutputHarness()
        var options = FormatOptions()
        options.relativeTimestamps = true
        options.showDurations = true
        h.outputs = [StraceFormatter(formats: .x86_64, options: options, output: h.file)]
        h.call(100, "close", [3], ret: 0, from: Self.second, to: Self.second + 2000)
        h.call(100, "close", [4], ret: -9, from: Self.second + 1_502_000, to: Self.second + 1_503_500)
        h.enter(100, "exit_group", [0], at: 2 * Self.second)
        h.taskExit(100, status: 0, at: 2 * Self.second + 10_000)
        XCTAssertEqual(h.text().split(separator: "\n").map(String.init), [
            "     0.000000 close(3)                  = 0 <0.000002>",
            "     0.001502 close(4)                  = -1 EBADF (Bad file descriptor) <0.000001>",
            "     0.998498 exit_group(0)             = ?",
            "     0.000010 +++ exited with 0 +++",
        ])
    }

    // MARK: summaries

    func testSummaryTableLayoutSortAndTotals() {
        let h = OutputHarness()
        let summary = SyscallSummary(formats: .x86_64, output: h.file, sort: .time)
        h.outputs = [summary]
        var t = Self.second
        for _ in 0..<3 { h.call(100, "close", [3], ret: 0, from: t, to: t + 1000); t += 10_000 }
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, "/x")], ret: -2, from: t, to: t + 7000)
        t += 10_000
        h.call(100, "sched_getaffinity", [0, 128, 0x1000], ret: 8, from: t, to: t + 1000)
        XCTAssertEqual(h.text(), """
            % time     seconds  usecs/call     calls    errors syscall
            ------ ----------- ----------- --------- --------- ------------------
             63.64    0.000007           7         1         1 openat
             27.27    0.000003           1         3           close
              9.09    0.000001           1         1           sched_getaffinity
            ------ ----------- ----------- --------- --------- ------------------
            100.00    0.000011           2         5         1 total

            """)
    }

    /// -c's table from records fed the live tracer's way, where most calls go straight from
    /// their records, and the general way: the same, and the direct path took the calls.
    func testSummaryFromRecordsMatchesTheGeneralPath() {
        func table(direct: Bool) -> (String, Int) {
            let h = OutputHarness()
            h.direct = direct
            h.outputs = [SyscallSummary(formats: .x86_64, output: h.file, sort: .time)]
            Self.summaryCalls(h)
            return (h.text(), h.directCalls)
        }
        let (general, none) = table(direct: false)
        let (direct, taken) = table(direct: true)
        XCTAssertEqual(direct, general)
        XCTAssertEqual(none, 0)
        XCTAssertEqual(taken, 6)
        XCTAssertTrue(general.contains("     6         1 total"), general)
    }

    /// -C: the strace text and the table fed as one; a call the text will not print from its
    /// records (another thread's call came between its halves) goes the general way to both,
    /// and the table counts every call once.
    func testTraceWithSummaryFromRecordsMatchesTheGeneralPath() {
        func run(direct: Bool) -> (String, Int) {
            let h = OutputHarness()
            h.direct = direct
            h.outputs = [StraceFormatter(formats: .x86_64, options: FormatOptions(), output: h.file),
                         SyscallSummary(formats: .x86_64, output: h.file, sort: .calls)]
            Self.summaryCalls(h)
            h.enter(100, "read", [0, 0x1000, 1], at: 9 * Self.second)
            h.call(101, "getpid", [], ret: 101, from: 9 * Self.second + 10, to: 9 * Self.second + 20)
            h.exit(100, "read", 1, [.buffer(1, [0x61])], at: 9 * Self.second + 5000, enteredAt: 9 * Self.second)
            return (h.text(), h.directCalls)
        }
        let (general, _) = run(direct: false)
        let (direct, taken) = run(direct: true)
        XCTAssertEqual(direct, general)
        XCTAssertGreaterThan(taken, 0)  // (the calls the text prints from records; not the read)
        XCTAssertTrue(general.contains("<unfinished ...>"), general)
        XCTAssertTrue(general.contains("     8         1 total"), general)
    }

    /// -c with --thread-summary: both tables from records as from the general path, for two
    /// threads (the per-thread rows and histograms too).
    func testThreadSummaryFromRecordsMatchesTheGeneralPath() {
        func run(direct: Bool) -> (String, Int) {
            let h = OutputHarness()
            h.direct = direct
            h.outputs = [SyscallSummary(formats: .x86_64, output: h.file, sort: .time),
                         ThreadSummary(formats: .x86_64, names: TaskNames(), output: h.file)]
            Self.summaryCalls(h)
            h.call(101, "getpid", [], ret: 101, from: 9 * Self.second, to: 9 * Self.second + 300)
            h.call(101, "close", [7], ret: -9, from: 9 * Self.second + 1000, to: 9 * Self.second + 70_000)
            return (h.text(), h.directCalls)
        }
        let (general, _) = run(direct: false)
        let (direct, taken) = run(direct: true)
        XCTAssertEqual(direct, general)
        XCTAssertEqual(taken, 8)
        XCTAssertTrue(general.contains("101"), general)
    }

    /// Six calls of one thread: a failure, and one whose cgroup was frozen for 500 ns of it
    /// (its exit's enter stamp moved past the frozen time).
    static func summaryCalls(_ h: OutputHarness) {
        var t = second
        for _ in 0..<3 { h.call(100, "close", [3], ret: 0, from: t, to: t + 1000); t += 10_000 }
        h.call(100, "openat", [AT_FDCWD, pathPtr, 0, 0], in: [.string(1, "/x")], ret: -2, from: t, to: t + 7000)
        t += 10_000
        h.call(100, "sched_getaffinity", [0, 128, 0x1000], ret: 8, from: t, to: t + 1000)
        t += 10_000
        h.enter(100, "getppid", [], at: t)
        h.exit(100, "getppid", 1, at: t + 2000, enteredAt: t + 500)
    }

    func testSummarySortKeys() {
        XCTAssertEqual(SummarySort(strace: "calls"), .calls)
        XCTAssertEqual(SummarySort(strace: "avg-time"), .avgTime)
        XCTAssertNil(SummarySort(strace: "bogus"))
        let h = OutputHarness()
        h.outputs = [SyscallSummary(formats: .x86_64, output: h.file, sort: .nothing)]
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, "/x")], ret: 3, from: 10, to: 5000)
        h.call(100, "read", [3, 0, 0], ret: 0, from: 6000, to: 7000)
        // -S nothing: syscall-number order (read is 0, openat 257).
        let rows = h.text().split(separator: "\n").dropFirst(2).prefix(2).map { String($0.split(separator: " ").last!) }
        XCTAssertEqual(rows, ["read", "openat"])
    }

    func testLog2Buckets() {
        XCTAssertEqual(Log2Histogram.bucket(0), 0)
        XCTAssertEqual(Log2Histogram.bucket(1), 0)
        XCTAssertEqual(Log2Histogram.bucket(2), 1)
        XCTAssertEqual(Log2Histogram.bucket(1023), 9)
        XCTAssertEqual(Log2Histogram.bucket(1024), 10)
        var h = Log2Histogram()
        for ns: UInt64 in [1000, 1500, 3000, 50_000_000] { h.add(ns) }
        XCTAssertEqual(h.buckets[9], 1)    // 512 ns … 1 µs
        XCTAssertEqual(h.buckets[10], 1)
        XCTAssertEqual(h.buckets[11], 1)
        XCTAssertEqual(h.buckets[25], 1)   // 33 ms … 67 ms
        XCTAssertEqual(h.buckets.reduce(0, +), 4)
        XCTAssertEqual(Log2Histogram.label(25), "33ms")
    }

    // MARK: Perfetto

    func testPerfettoSlicesAreClosedAndUnfinishedCallsEnd() throws {
        let h = OutputHarness()
        let context = EventContext(formats: .x86_64, clock: WallClock(offsetNs: 0),
                                   names: TaskNames(procRoot: "/nonexistent"), cgroupID: nil, stringLimit: 32)
        h.outputs = [PerfettoWriter(context: context, output: h.file)]
        h.exec(100, comm: "cat", at: 1000)
        h.call(100, "close", [3], ret: 0, from: 2000, to: 3500)
        h.enter(100, "read", [0, 0x1000, 10], at: 4000)
        h.exec(101, comm: "sh", at: 4100)
        h.call(101, "close", [4], ret: 0, from: 4200, to: 9000)
        let text = h.text()
        let root = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let events = root?["traceEvents"] as? [[String: Any]] ?? []
        let names = events.filter { $0["name"] as? String == "thread_name" }.map { ($0["args"] as? [String: Any])?["name"] as? String }
        XCTAssertEqual(names, ["cat 100/100", "sh 101/101"])
        let slices = events.filter { $0["ph"] as? String == "X" }
        XCTAssertEqual(slices.map { $0["name"] as? String }, ["close", "close", "read"])
        XCTAssertEqual(slices.map { $0["ts"] as? Double }, [2.0, 4.2, 4.0])
        XCTAssertEqual(slices.map { $0["dur"] as? Double }, [1.5, 4.8, 5.0], "the open read ends with the trace")
        XCTAssertEqual((slices[2]["args"] as? [String: Any])?["state"] as? String, "unfinished")
    }
}
