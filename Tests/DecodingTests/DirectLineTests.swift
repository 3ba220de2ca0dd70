import Beautifiers
import CgtraceABI
import Decoder
import Formatters
import Foundation
import Syscalls
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The strace text's direct path (StraceDirectLines.swift) against the general one, on every
/// syscall it takes, with arguments, copies and results drawn at random. `FormatterHarness`
/// runs each trace both ways and fails on any difference; these tests make sure the direct
/// path is actually taken, under each option that changes a line.
final class DirectLineTests: XCTestCase {
    typealias Cap = RecordBuilder.Cap

    /// A fixed-seed generator (a failure reproduces): the decoder tests' SplitMix64.
    typealias Seeded = DecoderTests.SeededRandom

    static let optionSets: [(String, @Sendable (inout FormatOptions) -> Void)] = [
        ("default", { _ in }),
        ("-tt -T", { $0.timestamps = .microseconds; $0.showDurations = true }),
        ("-ttt -r", { $0.timestamps = .epoch; $0.relativeTimestamps = true }),
        ("-X raw -s 4", { $0.constantStyle = .raw; $0.stringLimit = 4 }),
        ("-X verbose", { $0.constantStyle = .verbose }),
        ("-f -o", { $0.pidPrefix = .always }),
    ]

    private static func value(_ rng: inout Seeded) -> UInt64 {
        switch rng.next() % 7 {
        case 0: return 0
        case 1: return rng.next() % 16
        case 2: return 4294967196  // AT_FDCWD as a 32-bit register
        case 3: return UInt64(bitPattern: -Int64(rng.next() % 5 + 1))
        case 4: return 0x7ffd_0000_0000 | (rng.next() & 0xffff_fff0)
        case 5: return rng.next() & 0x7_ffff
        default: return rng.next()
        }
    }

    private static func bytes(_ rng: inout Seeded) -> [UInt8] {
        let n = Int(rng.next() % 40)
        return (0..<n).map { _ in rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : UInt8(0x61 + rng.next() % 26) }
    }

    private static func ret(_ rng: inout Seeded) -> Int64 {
        switch rng.next() % 6 {
        case 0: return 0
        case 1: return Int64(rng.next() % 64)
        case 2: return -2      // ENOENT
        case 3: return -512    // ERESTARTSYS: `= ?`
        case 4: return -11     // EAGAIN
        default: return Int64(bitPattern: 0x7f00_0000_0000 | (rng.next() & 0xffff_f000))
        }
    }

    /// Copies as the kernel makes them for the arguments that have one (entry and exit).
    private static func captures(_ format: SyscallFormat, _ rng: inout Seeded) -> (in: [Cap], out: [Cap]) {
        var inCaps: [Cap] = [], outCaps: [Cap] = []
        for (i, a) in format.args.enumerated() {
            let r = rng.next() % 5
            switch a {
            case .path, .string:
                if r == 0 { inCaps.append(.faulted(i)) } else if r < 4 { inCaps.append(.string(i, bytes: bytes(&rng))) }
                // A late re-read at exit of a string that faulted at entry.
                if r == 0 && rng.next() % 2 == 0 { outCaps.append(.string(i, bytes: bytes(&rng), flags: Cap.lateFlag)) }
            case .inBuffer:
                if r == 0 { inCaps.append(.faulted(i, kind: .buffer)) } else if r < 4 { inCaps.append(.buffer(i, bytes(&rng))) }
            case .outBuffer, .outBufferArg:
                if r == 0 { outCaps.append(.faulted(i, kind: .buffer)) } else if r < 4 { outCaps.append(.buffer(i, bytes(&rng))) }
            case .fd, .dirfd:
                // -y's resolution of the descriptor: what it is (a file, socket, pipe, pidfd or
                // a kind this build does not know, with random details) and its path's
                // components, in any order.
                guard r < 2 else { break }
                var info = (0..<24).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                info[0] = UInt8(rng.next() % 6)
                info[1] = 0; info[2] = 0; info[3] = 0
                if rng.next() % 3 == 0 { info[20] = 0; info[21] = 0; info[22] = 0; info[23] = 0 }  // not a device
                inCaps.append(Cap(arg: UInt8(i), kind: .fdInfo, data: info))
                for k in (0..<Int(rng.next() % 4)).shuffled(using: &rng) {
                    inCaps.append(Cap(arg: UInt8(i), kind: .fdPath, index: UInt16(k), data: bytes(&rng)))
                }
                if info[0] == UInt8(CGT_FD_SOCKET.rawValue), rng.next() % 2 == 0 {
                    inCaps.append(Cap(arg: UInt8(i), kind: .socketInfo, data: (0..<Int(rng.next() % 48)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
                }
            default:
                break
            }
        }
        return (inCaps, outCaps)
    }

    private func check(formats: SyscallFormats, seed: UInt64) {
        for (name, configure) in Self.optionSets {
            var rng = Seeded(state: seed)
            let h = FormatterHarness(formats: formats, configure: configure)
            var taken = 0, resolved = 0
            for nr in 0..<formats.table.count where h.formatter.printsDirectly(number: nr) {
                taken += 1
                let format = formats[nr]
                for _ in 0..<3 {
                    let args = (0..<6).map { _ in Self.value(&rng) }
                    let (inCaps, outCaps) = Self.captures(format, &rng)
                    if inCaps.contains(where: { $0.kind == .fdInfo }) { resolved += 1 }
                    h.call(100, nr: nr, args, in: inCaps, ret: Self.ret(&rng), out: outCaps)
                }
            }
            XCTAssertGreaterThan(taken, 100, "\(name): too few syscalls print directly")
            XCTAssertGreaterThan(resolved, 40, "\(name): too few calls with -y's copies")
            _ = h.lines()
            // Every call, -y's descriptor copies included.
            XCTAssertEqual(h.directCalls, 3 * taken, "\(name): calls did not take the direct path")
        }
    }

    func testEveryDirectSyscallPrintsAsTheGeneralPathDoes() {
        check(formats: .x86_64, seed: 1)
        check(formats: SyscallFormats(table: .arm64), seed: 2)
    }

    /// Another thread blocked in a call: its `<unfinished ...>` comes once from the general
    /// path, the calls after it go direct, and its `resumed` line comes when it returns. A
    /// signal, a hole (with a call it cut) and a task's exit in between go the general way.
    func testCallsBesideABlockedThread() {
        let read = FormatterHarness.nr("read"), write = FormatterHarness.nr("write")
        let close = FormatterHarness.nr("close")
        for (name, configure) in Self.optionSets {
            let h = FormatterHarness(configure: configure)
            h.fork(100, child: 101)
            h.enter(100, nr: read, [0, 0x7ffd_1000, 64])
            for i in 0..<5 {
                h.call(100, tid: 101, nr: write, [1, 0x7ffd_2000, 3], in: [.buffer(1, "ab\(i)")], ret: 3)
                h.call(100, tid: 101, nr: close, [7], ret: -9)
            }
            h.signal(100, tid: 101, signo: 10, code: 0, siginfo: [UInt8](repeating: 0, count: 48))
            h.call(100, tid: 101, nr: close, [7], ret: -9)
            // A hole that took 101's exit: the entry ends `<exit lost>`, the next calls go on.
            h.enter(100, tid: 101, nr: write, [1, 0x7ffd_2000, 3], [.buffer(1, "cut")])
            h.lost(records: 5, tids: [101])
            h.call(100, tid: 101, nr: close, [8], ret: 0)
            h.call(100, tid: 101, nr: close, [9], ret: 0)
            h.exit(100, nr: read, 2, [.buffer(1, "hi")])
            h.call(100, nr: close, [7], ret: 0)
            h.taskExit(100, tid: 101, status: 0, groupDead: false)
            h.call(100, nr: close, [7], ret: 0)
            let lines = h.lines()
            XCTAssertTrue(lines.contains { $0.contains("read(0,  <unfinished ...>") }, "\(name): \(lines)")
            XCTAssertTrue(lines.contains { $0.contains("<... read resumed>\"hi\", 64)") }, "\(name): \(lines)")
            XCTAssertTrue(lines.contains { $0.contains("!!! lost 5 events here") }, "\(name): \(lines)")
            XCTAssertTrue(lines.contains { $0.contains("write(1, \"cut\", 3 <exit lost>") || $0.contains("<exit lost>") },
                          "\(name): \(lines)")
            XCTAssertGreaterThanOrEqual(h.directCalls, 10, name)
        }
    }

    /// -y on the direct path: the descriptor texts it keeps are those of the copies each call
    /// brings (the same descriptor naming another file shows the new one), and the lines are the
    /// general path's (the harness compares them).
    func testDescriptorTextsFollowTheCopies() {
        let read = FormatterHarness.nr("read"), write = FormatterHarness.nr("write")
        func file(_ arg: Int, _ components: [String]) -> [Cap] {
            var info = [UInt8](repeating: 0, count: 24)
            info[0] = UInt8(CGT_FD_FILE.rawValue)
            // The kernel sends the last component first (index 0).
            return [Cap(arg: UInt8(arg), kind: .fdInfo, data: info)]
                + components.reversed().enumerated().map { Cap(arg: UInt8(arg), kind: .fdPath, index: UInt16($0.offset), data: Array($0.element.utf8)) }
        }
        let h = FormatterHarness()
        for (n, path) in [["dev", "zero"], ["dev", "zero"], ["tmp", "a"], ["dev", "zero"]].enumerated() {
            h.call(100, nr: read, [0, 0x7ffd_1000, 1], in: file(0, path), ret: 1, out: [.buffer(1, "x")])
            h.call(100, nr: write, [1, 0x7ffd_1000, 1], in: file(0, ["dev", "null"]) + [.buffer(1, "\(n)")], ret: 1)
        }
        let lines = h.lines()
        XCTAssertEqual(lines.filter { $0.hasPrefix("read(0</dev/zero>, \"x\", 1)") }.count, 3, "\(lines)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("read(0</tmp/a>, \"x\", 1)") }.count, 1, "\(lines)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("write(1</dev/null>, ") }.count, 4, "\(lines)")
        XCTAssertEqual(h.directCalls, 8)
    }

    /// -yy prints the first text it kept for a socket, as strace's cache does: a UNIX socket
    /// whose peer closed still names the peer, a UDP socket keeps its text from before connect;
    /// an unbound socket's text is not kept; a socket whose slot (inode % 1024) another socket
    /// took shows its present state. Both paths (the harness compares them).
    func testSocketTextsAreKeptAsStraceKeepsThem() {
        let write = FormatterHarness.nr("write")
        func socket(_ inode: UInt64, family: UInt16, type: UInt16 = 1, proto: UInt16 = 0,
                    local: UInt16 = 0, remote: UInt16 = 0, peer: UInt64 = 0) -> [Cap] {
            var info = [UInt8](repeating: 0, count: 24)
            info[0] = UInt8(CGT_FD_SOCKET.rawValue)
            withUnsafeBytes(of: inode.littleEndian) { info.replaceSubrange(8..<16, with: $0) }
            var sock = [UInt8](repeating: 0, count: 48)
            for (offset, v) in [(0, family), (2, type), (4, proto), (6, local), (8, remote)] {
                withUnsafeBytes(of: v.littleEndian) { sock.replaceSubrange(offset..<offset + 2, with: $0) }
            }
            sock[16] = 127; sock[19] = 1; sock[32] = 127; sock[35] = 1
            if family == 1 { withUnsafeBytes(of: peer.littleEndian) { sock.replaceSubrange(32..<40, with: $0) } }
            return [Cap(arg: 0, kind: .fdInfo, data: info), Cap(arg: 0, kind: .socketInfo, data: sock)]
        }
        let h = FormatterHarness(configure: { $0.fdDetails = .all })
        let states: [[Cap]] = [
            socket(1000, family: 1, peer: 1001), socket(1000, family: 1),            // the peer closed
            socket(3000, family: 2, proto: 6), socket(3000, family: 2, proto: 6, local: 80),  // bound later
            socket(4000, family: 2, type: 2, proto: 17, local: 53),
            socket(4000, family: 2, type: 2, proto: 17, local: 53, remote: 9),   // connected later
            socket(1000 + 1024, family: 1), socket(1000, family: 1),             // not kept: 1000's stays
            socket(1000 + 1024, family: 1, peer: 7), socket(1000, family: 1),    // kept: 1000's gone
        ]
        for caps in states { h.call(100, nr: write, [3, 0x7ffd_1000, 1], in: caps + [.buffer(1, "x")], ret: 1) }
        let fds = h.lines().filter { $0.hasPrefix("write(") }.map { String($0.dropFirst(6).prefix { $0 != "," }) }
        XCTAssertEqual(fds, ["3<UNIX-STREAM:[1000->1001]>", "3<UNIX-STREAM:[1000->1001]>",
                             "3<TCP:[3000]>", "3<TCP:[127.0.0.1:80]>",
                             "3<UDP:[127.0.0.1:53]>", "3<UDP:[127.0.0.1:53]>",
                             "3<UNIX-STREAM:[2024]>", "3<UNIX-STREAM:[1000->1001]>",
                             "3<UNIX-STREAM:[2024->7]>", "3<UNIX-STREAM:[1000]>"])
    }

    /// A syscall the output keeps refusing (here a copy of a kind the direct path does not
    /// print, on every call) is left to the general path for a while instead of held and
    /// refused each time; then offered again.
    func testRefusedSyscallsAreLeftAloneForAWhile() {
        let close = FormatterHarness.nr("close")
        let h = FormatterHarness()
        let unexpected = Cap(arg: 0, kind: .count, data: [1, 0, 0, 0])
        for _ in 0..<10 { h.call(100, nr: close, [3], in: [unexpected], ret: 0) }
        // Now without -y's copy: the first ones are not offered (8 refusals in a row), and
        // after 248 skips the syscall is offered again.
        for _ in 0..<300 { h.call(100, nr: close, [4], ret: 0) }
        _ = h.lines()
        XCTAssertEqual(h.directCalls, 300 - (248 - 2), "skipped 248 calls after 8 refusals (2 skips counted before)")
    }

    // MARK: JSON

    /// `records` through an output twice, into temporary files: decoded, as replays and dumps
    /// feed them, and as the live pump does (direct path first). Returns both texts and how
    /// many calls went direct.
    private static func bothWays(_ records: [[UInt8]], formats: SyscallFormats,
                                 make: (OutputFile) -> CallOutput) -> (general: String, direct: String, directCalls: Int) {
        var texts: [String] = []
        var direct = 0
        for route in 0..<2 {
            let path = NSTemporaryDirectory() + "/cgtrace-direct-\(UUID().uuidString)"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            precondition(fd >= 0)
            let pairing = CallPairing(formats: formats, next: make(OutputFile(fd: fd, ownsFD: true)))
            for bytes in records {
                bytes.withUnsafeBytes { raw in
                    if route == 1 {
                        try? pairing.handle(bytes: raw)
                    } else if let record = try? RecordParser.decode(raw) {
                        pairing.handle(record)
                    }
                }
            }
            pairing.finish(losses: TraceLosses())
            if route == 1 { direct = pairing.directCalls }
            texts.append((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
            unlink(path)
        }
        return (texts[0], texts[1], direct)
    }

    /// Every syscall the direct path takes, at random as above, beside a thread blocked in a
    /// read, with a signal and a task's exit: JSON's events are the same both ways.
    func testJSONEventsAreTheSameBothWays() {
        typealias B = RecordBuilder
        for (formats, seed) in [(SyscallFormats.x86_64, UInt64(3)), (SyscallFormats(table: .arm64), UInt64(4))] {
            var rng = Seeded(state: seed)
            var records: [[UInt8]] = []
            var seq: UInt64 = 0, clock: UInt64 = 5_000_000_000
            var calls: [UInt32: UInt32] = [:]
            func origin(_ tid: UInt32, flags: UInt16 = 0) -> B.Origin {
                seq += 1
                clock += 700
                return B.Origin(pid: 100, tid: tid, cpu: UInt16(tid & 1), ts: clock, seq: seq, flags: flags)
            }
            let read = formats.table.number(named: "read")!
            records.append(B.fork(origin(100), childPid: 100, childTid: 101, comm: "t"))
            calls[100, default: 0] += 1
            records.append(B.enter(origin(100), nr: read, call: calls[100]!, args: [0, 0x7000, 64]))
            var taken = 0, signals = 0, resolved = 0
            // (Numbers the table has no syscall for go the general way: `syscall_0x…`.)
            for nr in 0..<formats.table.count {
                guard let format = formats.kept(nr), ArgumentPrinter.printsFromRecords(format) else { continue }
                taken += 1
                let args = (0..<6).map { _ in Self.value(&rng) }
                let (inCaps, outCaps) = Self.captures(format, &rng)
                if inCaps.contains(where: { $0.kind == .fdInfo }) { resolved += 1 }
                calls[101, default: 0] += 1
                records.append(B.enter(origin(101), nr: nr, call: calls[101]!, args: args, captures: inCaps))
                // Lossless mode moves the exit's enter stamp past frozen time: now and then 300 ns.
                let enterTs = clock + (nr % 3 == 0 ? 300 : 0)
                records.append(B.exit(origin(101), nr: nr, call: calls[101]!, ret: Self.ret(&rng), enterTs: enterTs,
                                      captures: outCaps))
                if nr % 50 == 0 {
                    signals += 1
                    records.append(B.signal(origin(101), signo: 17, code: 1, siginfo: [UInt8](repeating: 0, count: 48)))
                }
            }
            records.append(B.exit(origin(100), nr: read, call: calls[100]!, ret: 2, enterTs: 5_000_000_700,
                                  captures: [.buffer(1, "hi")]))
            records.append(B.taskExit(origin(101), status: 0, groupDead: false))
            let context = EventContext(formats: formats, clock: WallClock(offsetNs: 0), names: TaskNames(procRoot: "/nonexistent"),
                                       cgroupID: 9, stringLimit: 8)
            let r = Self.bothWays(records, formats: formats) { JSONLinesFormatter(context: context, output: $0) }
            XCTAssertGreaterThan(taken, 100)
            XCTAssertGreaterThan(resolved, 20, "too few calls with -y's copies")
            XCTAssertEqual(r.directCalls, taken, "every call goes direct, -y's copies included")
            // The calls, the read, the signals and the task's exit: an event each.
            XCTAssertEqual(r.general.split(separator: "\n").count, taken + 1 + signals + 1)
            XCTAssertEqual(r.direct, r.general, "JSON's direct path differs from its general path")
        }
    }

    // MARK: What the direct path reads

    /// RecordView accepts exactly the syscall records the decoder accepts: random and mutated
    /// bytes, and every record of the random traces above cut and damaged.
    func testRecordViewAcceptsWhatTheDecoderAccepts() {
        typealias B = RecordBuilder
        var rng = Seeded(state: 5)
        var samples: [[UInt8]] = []
        let read = FormatterHarness.nr("read"), write = FormatterHarness.nr("write")
        for k in 0..<400 {
            let o = B.Origin(pid: 7, tid: 7, ts: UInt64(k), seq: UInt64(k))
            samples.append(B.enter(o, nr: write, call: UInt32(k), args: [1, 0x1000, 5], captures: [.buffer(1, Self.bytes(&rng))]))
            samples.append(B.exit(o, nr: read, call: UInt32(k), ret: 3, enterTs: 1, captures: [.buffer(1, Self.bytes(&rng)), .faulted(2)]))
        }
        var accepted = 0
        for base in samples {
            for variant in 0..<6 {
                var bytes = base
                switch variant {
                case 0: break
                case 1: bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))  // cut short
                case 2: bytes[2] = UInt8(truncatingIfNeeded: rng.next()); bytes[3] = UInt8(rng.next() % 2)  // size
                case 3 where bytes.count > 90:  // a capture's length
                    let at = 88 + Int(rng.next() % 8)
                    bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: rng.next())
                case 4: for _ in 0..<4 { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
                default: bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                }
                bytes.withUnsafeBytes { raw in
                    let view = RecordView(validating: raw)
                    let decoded = try? RecordParser.decode(raw)
                    switch decoded {
                    case .enter(let e)?:
                        XCTAssertNotNil(view, "the decoder took an entry the view refused: \(bytes)")
                        XCTAssertEqual(view?.isEnter, true)
                        XCTAssertEqual(view?.number, e.number)
                        XCTAssertEqual(view?.call, e.call)
                        XCTAssertEqual(view.map { v in (0..<6).map { v.arg($0) } }, (0..<6).map { e.args[$0] })
                        XCTAssertEqual(view.map { Array($0.captures).count }, e.captures.count)
                        accepted += 1
                    case .exit(let x)?:
                        XCTAssertNotNil(view, "the decoder took an exit the view refused: \(bytes)")
                        XCTAssertEqual(view?.isEnter, false)
                        XCTAssertEqual(view?.ret, x.ret)
                        XCTAssertEqual(view?.enterTimestamp, x.enterTimestamp)
                        XCTAssertEqual(view.map { Array($0.captures).map(\.bytes.count) }, x.captures.map(\.bytes.count))
                        accepted += 1
                    default:
                        XCTAssertNil(view, "the view took what the decoder refused: \(bytes)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(accepted, 800, "the damaged records still include many whole ones")
    }
}
