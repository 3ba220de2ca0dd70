import Decoder
import Formatters
import Syscalls
import XCTest

private typealias B = RecordBuilder

/// The pairing stage alone: which calls it makes of a record stream, before any output.
final class CallPairingTests: XCTestCase {
    /// Writes down what the stage emits, one short line per event.
    private final class Log: CallOutput {
        var events: [String] = []
        var enteredArgs: [UInt64] = []
        func callEntered(_ header: RecordHeader, calls: OpenCalls) {
            events.append("entered \(header.tid)")
            if let e = calls.entry(of: header.tid) { enteredArgs.append(e.args[0]) }
        }
        func callEnded(_ call: consuming CompletedCall) {
            let name = SyscallTable.x86_64[call.number]?.name ?? "?"
            var text = "\(call.ending.rawValue) \(call.tid) \(name)"
            if call.enterLost { text += " enter-lost" }
            if let x = call.exit { text += " ret=\(x.ret)" }
            if call.failed { text += " failed" }
            if let d = call.durationNs { text += " \(d)ns" }
            events.append(text)
        }
        func other(_ record: consuming Record) {
            switch record {
            case .taskExit(let t): events.append("task-exit \(t.header.tid)")
            case .exec(let x): events.append("exec \(x.oldTid)->\(x.header.tid)")
            case .signal(let s): events.append("signal \(s.signo)")
            case .fork(let f): events.append("fork \(f.childTid)")
            default: events.append("other")
            }
        }
        func finish(losses: TraceLosses) { events.append("finish lost=\(losses.lostRecords)") }
    }

    private var log = Log()
    private lazy var pairing = CallPairing(formats: .x86_64, next: log)
    private var seq: UInt64 = 0

    private func nr(_ name: String) -> Int { SyscallTable.x86_64.number(named: name)! }

    private func feed(_ bytes: [UInt8]) throws { pairing.handle(try RecordParser.decode(bytes)) }

    private func origin(_ tid: UInt32, pid: UInt32? = nil, at ts: UInt64, flags: UInt16 = 0) -> B.Origin {
        seq += 1
        return B.Origin(pid: pid ?? tid, tid: tid, ts: ts, seq: seq, flags: flags)
    }

    private func enter(_ tid: UInt32, _ name: String, call: UInt32, at ts: UInt64, arg0: UInt64 = 0) throws {
        try feed(B.enter(origin(tid, at: ts), nr: nr(name), call: call, args: [arg0]))
    }

    private func exit(_ tid: UInt32, _ name: String, call: UInt32, ret: Int64, at ts: UInt64, enteredAt: UInt64,
                      flags: UInt16 = 0) throws {
        try feed(B.exit(origin(tid, at: ts, flags: flags), nr: nr(name), call: call, ret: ret, enterTs: enteredAt))
    }

    func testACallIsEnteredThenReturnsWithItsDuration() throws {
        try enter(10, "read", call: 1, at: 1_000, arg0: 3)
        try exit(10, "read", call: 1, ret: 5, at: 1_700, enteredAt: 1_000)
        try enter(10, "close", call: 2, at: 2_000)
        try exit(10, "close", call: 2, ret: -9, at: 2_100, enteredAt: 2_000)
        pairing.finish(losses: TraceLosses())
        XCTAssertEqual(log.events, ["entered 10", "returned 10 read ret=5 700ns", "entered 10",
                                    "returned 10 close ret=-9 failed 100ns", "finish lost=0"])
        XCTAssertEqual(log.enteredArgs, [3, 0], "the entry is readable while the call is open")
    }

    func testLostHalvesAreNeverGluedTogether() throws {
        // The exit of call 1 was lost: the next entry ends it.
        try enter(10, "read", call: 1, at: 1_000)
        try enter(10, "write", call: 2, at: 2_000)
        // The entry of call 3 was lost: call 2 ended without its exit, call 3 has no entry.
        try exit(10, "openat", call: 3, ret: 4, at: 3_000, enteredAt: 2_500)
        pairing.finish(losses: TraceLosses(lostRecords: 2))
        XCTAssertEqual(log.events, ["entered 10", "exit_lost 10 read 1000ns", "entered 10",
                                    "exit_lost 10 write 1000ns", "returned 10 openat enter-lost ret=4 500ns",
                                    "finish lost=2"])
    }

    /// A hole at the very end (the trace stops while records drop): a call still open on a thread
    /// the hole names, entered before its last drop, lost its exit there; one on a thread it does
    /// not name, or entered after the hole (its record got ahead of the marker), is unfinished; a
    /// thread that made a record after the hole is no longer holed.
    func testACallOpenWhenTheLastHoleCameLostItsExit() throws {
        try enter(10, "read", call: 1, at: 1_000)
        try enter(11, "read", call: 1, at: 1_100)
        try enter(12, "read", call: 1, at: 1_200)
        try enter(13, "read", call: 1, at: 1_550)
        let hole = LostRecords(header: RecordHeader(type: 0, size: 0, cpu: 0, pid: 0, tid: 0, timestamp: 1_500, sequence: 0),
                               records: 7, firstTimestamp: 1_300, lastTimestamp: 1_500, cpus: [0], tids: [10, 12, 13],
                               moreThreads: false)
        pairing.handle(.lost(hole))
        try exit(12, "read", call: 1, ret: 1, at: 1_600, enteredAt: 1_200)
        try enter(12, "write", call: 2, at: 1_700)
        pairing.finish(losses: TraceLosses(lostRecords: 7))
        XCTAssertEqual(log.events, ["entered 10", "entered 11", "entered 12", "entered 13", "other",
                                    "returned 12 read ret=1 400ns", "entered 12", "exit_lost 10 read 700ns",
                                    "unfinished 11 read 600ns", "unfinished 13 read 150ns", "unfinished 12 write 0ns",
                                    "finish lost=7"])
        // More threads than the marker names: those it does not name may have been blocked
        // all along, and stay unfinished.
        log = Log()
        pairing = CallPairing(formats: .x86_64, next: log)
        try enter(20, "read", call: 1, at: 1_000)
        try enter(30, "read", call: 1, at: 1_100)
        pairing.handle(.lost(LostRecords(header: hole.header, records: 99, firstTimestamp: 1_300, lastTimestamp: 1_500,
                                         cpus: [0, 1], tids: [30], moreThreads: true)))
        pairing.finish(losses: TraceLosses(lostRecords: 99))
        XCTAssertEqual(log.events, ["entered 20", "entered 30", "other", "unfinished 20 read 500ns",
                                    "exit_lost 30 read 400ns", "finish lost=99"])
    }

    func testADyingTaskKillsItsCallAndTheRestEndUnfinished() throws {
        try enter(10, "wait4", call: 1, at: 1_000)
        try enter(11, "futex", call: 1, at: 1_100)
        try enter(12, "exit_group", call: 1, at: 1_200)
        // The kernel flags an exit the task never returns to.
        try exit(12, "exit_group", call: 1, ret: 0, at: 1_300, enteredAt: 1_200, flags: B.killedFlag)
        try feed(B.taskExit(origin(11, pid: 10, at: 1_400), status: 0, groupDead: false))
        pairing.finish(losses: TraceLosses())
        XCTAssertEqual(log.events, ["entered 10", "entered 11", "entered 12", "killed 12 exit_group ret=0 100ns",
                                    "killed 11 futex 300ns", "task-exit 11",
                                    "unfinished 10 wait4 400ns", "finish lost=0"])
    }

    func testAThreadsExecveEndsOnTheLeadersTid() throws {
        try enter(11, "execve", call: 1, at: 1_000)
        try feed(B.exec(origin(10, at: 1_500), oldTid: 11, comm: "sh"))
        try exit(10, "execve", call: 1, ret: 0, at: 1_600, enteredAt: 1_000)
        XCTAssertEqual(log.events, ["entered 11", "exec 11->10", "returned 10 execve ret=0 600ns"])
    }

    func testANewThreadsFirstReturnIsNotACall() throws {
        try enter(10, "clone", call: 1, at: 1_000)
        try feed(B.fork(origin(10, at: 1_100), childPid: 11, comm: "t"))
        // The child's return from clone, before it has made a call of its own.
        try exit(11, "clone", call: 0, ret: 0, at: 1_200, enteredAt: 0)
        try exit(10, "clone", call: 1, ret: 11, at: 1_300, enteredAt: 1_000)
        XCTAssertEqual(log.events, ["entered 10", "fork 11", "returned 10 clone ret=11 300ns"])
        XCTAssertEqual(pairing.returnedCalls, 1, "--syscall-limit counts the parent's call only")
    }

    /// --write alone builds no output: the tracer then skips decoding (RecordPump asks this).
    func testAStageWithoutOutputsSaysSo() {
        XCTAssertTrue(CallPairing(formats: .x86_64, next: FanOut([])).feedsNothing)
        XCTAssertFalse(pairing.feedsNothing)
        XCTAssertFalse(CallPairing(formats: .x86_64, next: FanOut([log])).feedsNothing)
    }

    func testFrozenTimeIsNotTheCalls() throws {
        // Lossless mode moved the exit's enter stamp past 400 ns the cgroup spent frozen.
        try enter(10, "read", call: 1, at: 1_000)
        try exit(10, "read", call: 1, ret: 1, at: 2_000, enteredAt: 1_400)
        XCTAssertEqual(log.events, ["entered 10", "returned 10 read ret=1 600ns"])
    }
}
