import CgtraceABI
import Decoder
import XCTest

final class DecoderTests: XCTestCase {
    typealias B = RecordBuilder
    typealias Cap = RecordBuilder.Cap

    let origin = B.Origin(pid: 100, tid: 101, cpu: 3, ts: 123_456_789, seq: 42)

    private func decode(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> Record {
        do {
            return try RecordParser.decode(bytes)
        } catch {
            XCTFail("decode failed: \(error)", file: file, line: line)
            throw error
        }
    }

    private func decodeError(_ bytes: [UInt8]) -> DecodeError? {
        do {
            _ = try RecordParser.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: ABI layout

    func testABISizes() {
        XCTAssertEqual(B.headerSize, 32)
        XCTAssertEqual(B.enterSize, 56)
        XCTAssertEqual(B.exitSize, 24)
        XCTAssertEqual(B.captureHeaderSize, 8)
        XCTAssertEqual(B.signalSize, 16 + 48)
        XCTAssertEqual(B.taskExitSize, 8)
        XCTAssertEqual(B.forkSize, 24)
        XCTAssertEqual(B.execSize, 24)
    }

    func testBuilderPadsRecordsAndCapturesTo8() {
        let r = B.enter(origin, nr: 257, call: 1, args: [1, 2, 3],
                        captures: [.string(1, "abc"), .buffer(2, [1, 2, 3, 4, 5, 6, 7, 8, 9])])
        // 32 + 56 + (8 + 8) + (8 + 16)
        XCTAssertEqual(r.count, 32 + 56 + 16 + 24)
        XCTAssertEqual(Int(r[2]) | Int(r[3]) << 8, r.count)
        XCTAssertEqual(r.count % 8, 0)
        XCTAssertEqual(B.taskExit(origin, status: 0).count, 40)
        XCTAssertEqual(B.signal(origin, signo: 17, code: 1, siginfo: []).count, 96)
    }

    // MARK: well-formed records

    func testHeaderFields() throws {
        let rec = try decode(B.taskExit(origin, status: 0x0300, groupDead: true))
        XCTAssertEqual(rec.header, RecordHeader(type: 4, size: 40, cpu: 3, pid: 100, tid: 101,
                                                timestamp: 123_456_789, sequence: 42))
    }

    func testSysEnterWithCaptures() throws {
        let args: [UInt64] = [4294967196, 0x7ffd_0000_1000, 0o2000000, 0o644, 0xdead_beef_cafe_f00d, UInt64.max]
        let rec = try decode(B.enter(origin, nr: 257, call: 7, args: args, captures: [
            .string(1, "/etc/hostname"),
            .buffer(3, [0, 1, 2, 3, 4, 5, 6, 7]),
            .faulted(4),
            .argv(2, index: 1, "x"),
            .argc(2, 3),
        ]))
        guard case .enter(let e) = rec else { return XCTFail("not an enter: \(rec)") }
        XCTAssertEqual(e.number, 257)
        XCTAssertEqual(e.call, 7)
        XCTAssertEqual(Array(e.args), args)
        XCTAssertEqual(e.header.type, B.typeEnter)
        XCTAssertEqual(e.header.tid, 101)
        XCTAssertEqual(e.captures.count, 5)

        let path = e.captures[0]
        XCTAssertEqual(path.arg, 1)
        XCTAssertTrue(path.isString)
        XCTAssertFalse(path.faulted)
        XCTAssertEqual(Array(path.bytes), Array("/etc/hostname".utf8))

        XCTAssertEqual(e.captures[1].arg, 3)
        XCTAssertEqual(e.captures[1].kind, .buffer)
        XCTAssertEqual(Array(e.captures[1].bytes), [0, 1, 2, 3, 4, 5, 6, 7])

        XCTAssertTrue(e.captures[2].faulted)
        XCTAssertEqual(e.captures[2].bytes.count, 0)

        XCTAssertTrue(e.captures[3].isArgvElement)
        XCTAssertEqual(e.captures[3].index, 1)
        XCTAssertEqual(Array(e.captures[3].bytes), [UInt8(ascii: "x")])

        XCTAssertTrue(e.captures[4].isArgc)
        XCTAssertEqual(e.captures[4].u32, 3)
    }

    func testSysEnterWithoutCaptures() throws {
        guard case .enter(let e) = try decode(B.enter(origin, nr: 0, call: 1, args: [3, 0x1000, 10])) else {
            return XCTFail()
        }
        XCTAssertEqual(Array(e.args), [3, 0x1000, 10, 0, 0, 0])
        XCTAssertTrue(e.captures.isEmpty)
    }

    func testSysExit() throws {
        let rec = try decode(B.exit(origin, nr: 0, call: 9, ret: -2, enterTs: 99, captures: [.buffer(1, "hello")]))
        guard case .exit(let x) = rec else { return XCTFail("not an exit: \(rec)") }
        XCTAssertEqual(x.number, 0)
        XCTAssertEqual(x.call, 9)
        XCTAssertEqual(x.ret, -2)
        XCTAssertEqual(x.enterTimestamp, 99)
        XCTAssertEqual(x.captures.count, 1)
        XCTAssertEqual(Array(x.captures[0].bytes), Array("hello".utf8))

        guard case .exit(let big) = try decode(B.exit(origin, nr: 9, call: 1, ret: 0x7f50_cd17_7000)) else { return XCTFail() }
        XCTAssertEqual(big.ret, 0x7f50_cd17_7000)
        XCTAssertTrue(big.captures.isEmpty)
    }

    func testKilledHeaderFlag() throws {
        var o = origin
        o.flags = B.killedFlag
        guard case .exit(let x) = try decode(B.exit(o, nr: 0, call: 3, ret: -512)) else { return XCTFail() }
        XCTAssertTrue(x.killed)
        XCTAssertEqual(x.header.flags, B.killedFlag)
        guard case .exit(let y) = try decode(B.exit(origin, nr: 0, call: 3, ret: 2)) else { return XCTFail() }
        XCTAssertFalse(y.killed)
    }

    func testLateCaptureFlag() throws {
        guard case .exit(let x) = try decode(B.exit(origin, nr: 257, call: 1, ret: 3,
                                                    captures: [.string(1, "/tmp/x", flags: Cap.lateFlag)])) else { return XCTFail() }
        XCTAssertTrue(x.captures[0].late)
        XCTAssertFalse(x.captures[0].faulted)
    }

    func testCaptureOfEveryLengthModulo8() throws {
        for n in 0...17 {
            let data = (0..<n).map { UInt8($0 + 1) }
            let bytes = B.enter(origin, nr: 1, call: 1, args: [1, 2, UInt64(n)], captures: [.buffer(1, data), .string(0, "z")])
            guard case .enter(let e) = try decode(bytes) else { return XCTFail() }
            XCTAssertEqual(e.captures.count, 2, "n=\(n)")
            XCTAssertEqual(Array(e.captures[0].bytes), data, "n=\(n)")
            XCTAssertEqual(Array(e.captures[1].bytes), [UInt8(ascii: "z")], "n=\(n)")
        }
    }

    func testSignal() throws {
        let info = B.sigchldInfo(code: 1, pid: 4242, uid: 1000, status: 3, utime: 5, stime: 6)
        let rec = try decode(B.signal(origin, signo: 17, errno: 0, code: 1, siginfo: info))
        guard case .signal(let s) = rec else { return XCTFail("not a signal: \(rec)") }
        XCTAssertEqual(s.signo, 17)
        XCTAssertEqual(s.code, 1)
        XCTAssertEqual(s.errno, 0)
        XCTAssertEqual(s.siginfo.count, 48)
        XCTAssertEqual(s.siginfo, info)

        // errno and code are distinct fields (errno_ comes before code in cgt_signal).
        guard case .signal(let t) = try decode(B.signal(origin, signo: 11, errno: 14, code: -6, siginfo: [])) else { return XCTFail() }
        XCTAssertEqual(t.errno, 14)
        XCTAssertEqual(t.code, -6)
    }

    func testTaskExit() throws {
        guard case .taskExit(let x) = try decode(B.taskExit(origin, status: 0x8b, groupDead: false)) else { return XCTFail() }
        XCTAssertEqual(x.status, 0x8b)
        XCTAssertFalse(x.groupDead)
        guard case .taskExit(let y) = try decode(B.taskExit(origin, status: 0, groupDead: true)) else { return XCTFail() }
        XCTAssertTrue(y.groupDead)
    }

    func testFork() throws {
        guard case .fork(let f) = try decode(B.fork(origin, childPid: 200, childTid: 201, comm: "bash")) else { return XCTFail() }
        XCTAssertEqual(f.childPid, 200)
        XCTAssertEqual(f.childTid, 201)
        XCTAssertEqual(f.comm, "bash")
        // A comm that fills all 16 bytes has no NUL.
        guard case .fork(let g) = try decode(B.fork(origin, childPid: 1, comm: "0123456789abcdef")) else { return XCTFail() }
        XCTAssertEqual(g.comm, "0123456789abcdef")
    }

    func testExec() throws {
        guard case .exec(let x) = try decode(B.exec(origin, oldTid: 555, comm: "true")) else { return XCTFail() }
        XCTAssertEqual(x.oldTid, 555)
        XCTAssertEqual(x.comm, "true")
        XCTAssertEqual(x.header.pid, 100)
    }

    func testPidNamespace() throws {
        let bytes = B.pidns(origin, tid: 4242, pid: 4240, nsTid: 3, nsPid: 1, level: 2)
        XCTAssertEqual(bytes.count, B.headerSize + B.pidnsSize)
        guard case .pidNamespace(let n) = try decode(bytes) else { return XCTFail() }
        XCTAssertEqual([n.tid, n.pid, n.nsTid, n.nsPid, n.level], [4242, 4240, 3, 1, 2])
        XCTAssertEqual(n.header.pid, 100)
        XCTAssertThrowsError(try RecordParser.decode(Array(bytes.prefix(B.headerSize + 8))))
    }

    func testTrailingBytesBeyondSizeAreIgnored() throws {
        var bytes = B.taskExit(origin, status: 0)
        bytes += [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        guard case .taskExit(let x) = try decode(bytes) else { return XCTFail() }
        XCTAssertEqual(x.header.size, 40)
    }

    func testDecodeFromRawBuffer() throws {
        let bytes = B.fork(origin, childPid: 7, comm: "sh")
        let rec = try bytes.withUnsafeBytes { raw in try RecordParser.decode(raw) }
        guard case .fork(let f) = rec else { return XCTFail() }
        XCTAssertEqual(f.childPid, 7)
    }

    // MARK: malformed records

    func testEmpty() {
        XCTAssertEqual(decodeError([]), .truncated(needed: 32, have: 0))
    }

    func testShortHeader() {
        let full = B.taskExit(origin, status: 0)
        XCTAssertEqual(decodeError(Array(full.prefix(20))), .truncated(needed: 32, have: 20))
        XCTAssertEqual(decodeError(Array(full.prefix(31))), .truncated(needed: 32, have: 31))
    }

    func testSizeLargerThanBytes() {
        let full = B.enter(origin, nr: 0, call: 1, args: [1, 2, 3])   // 88 bytes
        XCTAssertEqual(decodeError(Array(full.prefix(60))), .badSize(declared: 88, have: 60))
        XCTAssertEqual(decodeError(Array(full.prefix(32))), .badSize(declared: 88, have: 32))
        var w = B.header(B.typeExit, origin)
        let huge = B.finish(&w, sizeOverride: 0xfff8)
        XCTAssertEqual(decodeError(huge), .badSize(declared: 0xfff8, have: 32))
    }

    func testSizeSmallerThanHeader() {
        var bytes = B.taskExit(origin, status: 0)
        bytes[2] = 16; bytes[3] = 0
        XCTAssertEqual(decodeError(bytes), .badSize(declared: 16, have: 40))
        bytes[2] = 0
        XCTAssertEqual(decodeError(bytes), .badSize(declared: 0, have: 40))
    }

    func testSizeTooSmallForTheRecordType() {
        // A header-only record of each type: the fixed part is missing.
        let cases: [(UInt16, Int)] = [
            (B.typeEnter, 56), (B.typeExit, 24), (B.typeSignal, 64),
            (B.typeTaskExit, 8), (B.typeFork, 24), (B.typeExec, 24),
        ]
        for (type, fixed) in cases {
            var w = B.header(type, origin)
            let bytes = B.finish(&w)
            XCTAssertEqual(decodeError(bytes), .truncated(needed: 32 + fixed, have: 32), "type \(type)")
        }
        // An enter record whose size cuts into its args, though the bytes are all there.
        var enter = B.enter(origin, nr: 0, call: 1, args: [1])
        enter[2] = 80
        XCTAssertEqual(decodeError(enter), .truncated(needed: 88, have: 80))
    }

    /// A capture kind this build does not know (a newer probe, a damaged file) decodes with
    /// kind nil: kept in its place, matched by nothing.
    func testUnknownCaptureKindDecodesAsNil() throws {
        var bytes = B.enter(origin, nr: 1, call: 1, args: [1, 2, 3], captures: [.string(1, "abc"), .buffer(2, [9])])
        XCTAssertEqual(bytes[88 + 1], CaptureKind.string.rawValue)
        bytes[88 + 1] = CaptureKind.allCases.map(\.rawValue).max()! + 1
        guard case .enter(let e) = try RecordParser.decode(bytes) else { return XCTFail("not an enter") }
        XCTAssertEqual(e.captures.count, 2)
        XCTAssertNil(e.captures[0].kind)
        XCTAssertFalse(e.captures[0].isString)
        XCTAssertEqual(e.captures[1].kind, .buffer)
    }

    func testCaptureLengthPastTheEnd() {
        var cap = Cap.buffer(1, [1, 2, 3, 4, 5, 6, 7, 8])
        cap.lenOverride = 100
        let bytes = B.enter(origin, nr: 1, call: 1, args: [1, 2, 8], captures: [cap])
        XCTAssertEqual(bytes.count, 88 + 16)
        XCTAssertEqual(decodeError(bytes), .badCapture(offset: 88))

        // Second capture bad: the offset points at it.
        var second = Cap.string(0, "abc")
        second.lenOverride = 9
        let two = B.exit(origin, nr: 0, call: 1, ret: 3, captures: [.buffer(1, "abc"), second])
        XCTAssertEqual(decodeError(two), .badCapture(offset: 56 + 16))

        // A len reaching into the padding, up to the record's end, is still inside the record.
        var exact = Cap.buffer(1, [1, 2, 3, 4, 5])
        exact.lenOverride = 8
        let padded = B.exit(origin, nr: 0, call: 1, ret: 8, captures: [exact])
        XCTAssertNil(decodeError(padded))
        if case .exit(let x)? = try? RecordParser.decode(padded) {
            XCTAssertEqual(Array(x.captures[0].bytes), [1, 2, 3, 4, 5, 0, 0, 0])
        } else {
            XCTFail("padded capture did not decode")
        }
    }

    func testUnknownType() {
        for type: UInt16 in [0, 7, 99, 0xffff] {
            var w = B.header(type, origin)
            w.zeros(64)
            XCTAssertEqual(decodeError(B.finish(&w)), .unknownType(type), "type \(type)")
        }
    }

    func testErrorsDescribeThemselves() {
        XCTAssertEqual(DecodeError.truncated(needed: 32, have: 0).description, "record truncated: needs 32 bytes, has 0")
        XCTAssertFalse(DecodeError.unknownType(9).description.isEmpty)
    }

    // MARK: robustness

    /// SplitMix64: deterministic, so a failure reproduces.
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    /// Whatever decodes must be self-consistent.
    private func checkInvariants(_ rec: Record, _ bytes: [UInt8]) {
        let h = rec.header
        XCTAssertGreaterThanOrEqual(Int(h.size), 32)
        XCTAssertLessThanOrEqual(Int(h.size), bytes.count)
        let captures: [Capture]
        switch rec {
        case .enter(let e): captures = e.captures; XCTAssertEqual(e.args.count, 6)
        case .exit(let x): captures = x.captures
        case .signal(let s): captures = []; XCTAssertEqual(s.siginfo.count, 48)
        default: captures = []
        }
        var total = 0
        for c in captures {
            XCTAssertLessThanOrEqual(c.bytes.count, Int(h.size))
            total += 8 + c.bytes.count
            _ = c.u32
        }
        XCTAssertLessThanOrEqual(total, Int(h.size))
    }

    func testRandomBuffersNeverTrap() {
        var rng = SeededRandom(state: 0xC0FFEE)
        var decoded = 0
        for _ in 0..<3000 {
            let n = Int.random(in: 0...200, using: &rng)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Half of them get a plausible type and a size no larger than the buffer, so the parser goes deeper.
            if n >= 32 && Bool.random(using: &rng) {
                bytes[0] = UInt8.random(in: 1...6, using: &rng)
                bytes[1] = 0
                let size = Int.random(in: 0...n, using: &rng)
                bytes[2] = UInt8(size & 0xff)
                bytes[3] = UInt8(size >> 8)
            }
            if let rec = try? RecordParser.decode(bytes) {
                decoded += 1
                checkInvariants(rec, bytes)
            }
        }
        XCTAssertGreaterThan(decoded, 0)
    }

    func testMutatedRecordsNeverTrap() {
        var rng = SeededRandom(state: 2024)
        let o = B.Origin(pid: 1, tid: 2)
        let seeds: [[UInt8]] = [
            B.enter(o, nr: 257, call: 1, args: [4294967196, 1, 0],
                    captures: [.string(1, "/etc/hostname"), .faulted(3)]),
            B.enter(o, nr: 59, call: 1, args: [1, 2, 3],
                    captures: [.string(0, "/bin/true"), .argv(1, index: 0, "true"), .argv(1, index: 1, "-x"),
                               .argc(1, 2), .argc(2, 3)]),
            B.exit(o, nr: 0, call: 1, ret: 12, enterTs: 5, captures: [.buffer(1, "hello world\n")]),
            B.exit(o, nr: 4, call: 1, ret: 0, captures: [.buffer(1, B.statBytes(mode: 0o100644, size: 10))]),
            B.signal(o, signo: 17, code: 1, siginfo: B.sigchldInfo(code: 1, pid: 3, uid: 0, status: 0)),
            B.taskExit(o, status: 9),
            B.fork(o, childPid: 3, comm: "sh"),
            B.exec(o, oldTid: 2, comm: "true"),
        ]
        var decoded = 0, failed = 0
        for i in 0..<4000 {
            var bytes = seeds[i % seeds.count]
            switch Int.random(in: 0..<5, using: &rng) {
            case 0:  // flip random bytes
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1:  // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 2:  // random size field
                let size = UInt16.random(in: 0...UInt16.max, using: &rng)
                bytes[2] = UInt8(size & 0xff); bytes[3] = UInt8(size >> 8)
            case 3:  // mess with the first capture's len (at 32 + fixed part) if there is one
                let at = Int.random(in: 32..<bytes.count, using: &rng)
                bytes[at] = 0xff
                if at + 1 < bytes.count { bytes[at + 1] = UInt8.random(in: 0...0xff, using: &rng) }
            default:  // append garbage and grow the size to cover it
                let extra = Int.random(in: 1...40, using: &rng)
                bytes += (0..<extra).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let size = min(bytes.count, Int(UInt16.max))
                bytes[2] = UInt8(size & 0xff); bytes[3] = UInt8(size >> 8)
            }
            do {
                let rec = try RecordParser.decode(bytes)
                decoded += 1
                checkInvariants(rec, bytes)
            } catch {
                failed += 1
                _ = error.description
            }
        }
        XCTAssertGreaterThan(decoded, 0)
        XCTAssertGreaterThan(failed, 0)
    }
}
