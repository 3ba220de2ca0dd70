import CgtraceABI
import Decoder
import Beautifiers
import Formatters
import Foundation
import XCTest

/// -k: the stack captures of a sys_enter record, CGT_REC_MAP records, and where frames print.
final class StackTests: XCTestCase {
    typealias B = RecordBuilder
    typealias Cap = RecordBuilder.Cap

    static let stackArg = UInt8(CGT_ARG_STACK)
    static let sp: UInt64 = 0x7ffd_0000_1000

    /// The captures the kernel appends for -k: registers, then the stack from sp up.
    static func stackCaptures(ip: UInt64, sp: UInt64 = sp, words: [UInt64]) -> [Cap] {
        var regs = B.ByteWriter()
        for v in [ip, sp, 0x7ffd_0000_1040, 3, 12, 13, 14, 15] { regs.u64(v) }
        var stack = B.ByteWriter()
        for w in words { stack.u64(w) }
        return [Cap(arg: stackArg, kind: .userRegisters, data: regs.bytes),
                Cap(arg: stackArg, kind: .userStack, data: stack.bytes)]
    }

    static let openat = FormatterHarness.nr("openat")

    func testSnapshotDecodesBesideTheArgumentCaptures() throws {
        let caps = [Cap.string(1, "/etc/hostname")] + Self.stackCaptures(ip: 0x7f00_0000_8011, words: [0x1111, 0x5555_0000_114c])
        let record = try RecordParser.decode(B.enter(B.Origin(pid: 7), nr: Self.openat, call: 1,
                                                     args: [0xffff_ff9c, 0x1000, 0], captures: caps))
        guard case .enter(let e) = record else { return XCTFail("not an enter: \(record)") }
        let snap = try XCTUnwrap(e.stackSnapshot)
        XCTAssertEqual(snap.registers, UserRegisters(ip: 0x7f00_0000_8011, sp: Self.sp, bp: 0x7ffd_0000_1040, bx: 3,
                                                     r12: 12, r13: 13, r14: 14, r15: 15))
        XCTAssertEqual(snap.word(at: Self.sp), 0x1111)
        XCTAssertEqual(snap.word(at: Self.sp + 8), 0x5555_0000_114c)
        // Outside the copy (below sp, past its end, straddling its end, wrapping): nothing.
        XCTAssertNil(snap.word(at: Self.sp - 8))
        XCTAssertNil(snap.word(at: Self.sp + 16))
        XCTAssertNil(snap.word(at: Self.sp + 9))
        XCTAssertNil(snap.word(at: UInt64.max - 3))
        // The path is still argument 1's capture: the stack belongs to no argument.
        XCTAssertEqual(e.captures.first { $0.arg == 1 }.map { Array($0.bytes) }, Array("/etc/hostname".utf8))
        XCTAssertTrue(e.stack.isEmpty, "frames come from the symbolizer, not the decoder")
    }

    func testNoOrShortRegistersMeanNoSnapshot() throws {
        let plain = try RecordParser.decode(B.enter(B.Origin(pid: 7), nr: Self.openat, call: 1, args: [0, 0, 0]))
        guard case .enter(let e) = plain else { return XCTFail() }
        XCTAssertNil(e.stackSnapshot)
        let short = Cap(arg: Self.stackArg, kind: .userRegisters, data: [1, 2, 3, 4, 5, 6, 7, 8])
        guard case .enter(let s) = try RecordParser.decode(B.enter(B.Origin(pid: 7), nr: Self.openat, call: 1,
                                                                   args: [0, 0, 0], captures: [short])) else { return XCTFail() }
        XCTAssertNil(s.stackSnapshot)
    }

    /// cgt_map + the path's components, leaf first, as the kernel walks the dentries.
    static func mapRecord(pid: UInt32, start: UInt64, offset: UInt64, flags: UInt32, components: [String],
                          sizeOverride: UInt16? = nil) -> [UInt8] {
        var w = B.header(UInt16(CGT_REC_MAP.rawValue), B.Origin(pid: pid))
        w.u64(start)
        w.u64(start + 0x1000)
        w.u64(offset)
        w.u64(4242)
        w.u32(0x0fe0_0000)
        w.u32(flags)
        B.append(components.enumerated().map { Cap(arg: 0, kind: .fdPath, index: UInt16($0.offset), data: Array($0.element.utf8)) }, to: &w)
        return B.finish(&w, sizeOverride: sizeOverride)
    }

    func testMappingRecordJoinsThePathFromTheRoot() throws {
        let bytes = Self.mapRecord(pid: 9, start: 0x7f00_0002_6000, offset: 0x26000, flags: CGT_MAPF_EXEC.rawValue,
                                   components: ["libc.so.6", "x86_64-linux-gnu", "lib", "usr"])
        let m = try XCTUnwrap(try MappingRecord.decode(bytes))
        XCTAssertEqual(m.path, "/usr/lib/x86_64-linux-gnu/libc.so.6")
        XCTAssertEqual(m.header.pid, 9)
        XCTAssertEqual(m.start, 0x7f00_0002_6000)
        XCTAssertEqual(m.fileOffset, 0x26000)
        XCTAssertEqual(m.inode, 4242)
        XCTAssertTrue(m.startsImage)
        let later = try XCTUnwrap(try MappingRecord.decode(Self.mapRecord(pid: 9, start: 0, offset: 0, flags: 0, components: [])))
        XCTAssertFalse(later.startsImage)
        XCTAssertEqual(later.path, "", "a file without a name (the walk found none)")
    }

    func testMalformedMappingRecordsAreErrorsNotTraps() throws {
        // Other records are not mappings.
        XCTAssertNil(try MappingRecord.decode(B.taskExit(B.Origin(pid: 1), status: 0)))
        // Shorter than cgt_map.
        var w = B.header(UInt16(CGT_REC_MAP.rawValue), B.Origin(pid: 1))
        w.u64(1)
        XCTAssertThrowsError(try MappingRecord.decode(B.finish(&w)))
        // Declared size beyond what arrived; a component longer than the record.
        let good = Self.mapRecord(pid: 1, start: 0, offset: 0, flags: 0, components: ["bin"])
        XCTAssertThrowsError(try MappingRecord.decode(Array(good.prefix(good.count - 8))))
        var bad = Self.mapRecord(pid: 1, start: 0, offset: 0, flags: 0, components: ["bin"])
        bad[32 + 40 + 2] = 0xff
        XCTAssertThrowsError(try MappingRecord.decode(bad))
        XCTAssertThrowsError(try MappingRecord.decode([7, 0, 0]))
    }

    func testFrameText() {
        let libc = StackFrame(address: 0x7f00_000f_8011, module: "/usr/lib/x86_64-linux-gnu/libc.so.6",
                              moduleAddress: 0xf8011, symbol: "__open64", symbolOffset: 0x51)
        XCTAssertEqual(libc.straceText, "/usr/lib/x86_64-linux-gnu/libc.so.6(__open64+0x51) [0xf8011]")
        let stripped = StackFrame(address: 0x5555_0000_2752, module: "/usr/bin/cat", moduleAddress: 0x2752,
                                  symbol: nil, symbolOffset: 0)
        XCTAssertEqual(stripped.straceText, "/usr/bin/cat() [0x2752]")
        let unknown = StackFrame(address: 0x7f12_3456_7000, module: nil, moduleAddress: 0x7f12_3456_7000,
                                 symbol: nil, symbolOffset: 0)
        XCTAssertEqual(unknown.straceText, "?() [0x7f1234567000]")
    }

    static let frames = [
        StackFrame(address: 0x7f00_000f_8011, module: "/lib/libc.so.6", moduleAddress: 0xf8011, symbol: "__open64", symbolOffset: 0x51),
        StackFrame(address: 0x5555_0000_114c, module: "/tmp/prog", moduleAddress: 0x114c, symbol: "open_config", symbolOffset: 0x13),
    ]

    /// An enter record with frames already resolved (as the tracer hands it to the formatter).
    private func enter(_ pid: UInt32, seq: UInt64, frames: [StackFrame]) throws -> Record {
        let bytes = B.enter(B.Origin(pid: pid, seq: seq), nr: Self.openat, call: 1, args: [0xffff_ff9c, 0x1000, 0],
                            captures: [Cap.string(1, "/etc/hostname")])
        guard case .enter(var e) = try RecordParser.decode(bytes) else { throw XCTSkip("not an enter") }
        e.stack = frames
        return .enter(e)
    }

    private func exit(_ pid: UInt32, seq: UInt64) throws -> Record {
        try RecordParser.decode(B.exit(B.Origin(pid: pid, seq: seq), nr: Self.openat, call: 1, ret: 3))
    }

    func testFramesFollowTheCallLine() throws {
        let h = FormatterHarness()
        h.handle(decoded: try enter(10, seq: 1, frames: Self.frames))
        h.handle(decoded: try exit(10, seq: 2))
        XCTAssertEqual(h.lines(), [
            "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3",
            " > /lib/libc.so.6(__open64+0x51) [0xf8011]",
            " > /tmp/prog(open_config+0x13) [0x114c]",
        ])
    }

    /// As strace -k: nothing after `<unfinished ...>`, the frames after the resumed line.
    func testFramesFollowTheResumedLineNotTheUnfinishedOne() throws {
        let h = FormatterHarness()
        h.fork(10, child: 11)
        h.handle(decoded: try enter(10, seq: 10, frames: Self.frames))
        h.handle(decoded: try enter(11, seq: 11, frames: []))
        h.handle(decoded: try exit(11, seq: 12))
        h.handle(decoded: try exit(10, seq: 13))
        XCTAssertEqual(h.lines(), [
            "[pid    10] openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY <unfinished ...>",
            "[pid    11] openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3",
            "[pid    10] <... openat resumed>)       = 3",
            " > /lib/libc.so.6(__open64+0x51) [0xf8011]",
            " > /tmp/prog(open_config+0x13) [0x114c]",
        ])
    }
}

extension StackTests {
    /// strace -f -o prefixes call lines with the pid, never the frame lines.
    func testFrameLinesHaveNoPidPrefix() throws {
        var options = FormatOptions()
        options.pidPrefix = .always
        let path = NSTemporaryDirectory() + "cgtrace-stack-\(UUID().uuidString)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { unlink(path) }
        let formatter = CallPairing(formats: .x86_64,
                                    next: StraceFormatter(formats: .x86_64, options: options, output: OutputFile(fd: fd, ownsFD: true)))
        formatter.handle(try enter(10, seq: 1, frames: Array(Self.frames.prefix(1))))
        formatter.handle(try exit(10, seq: 2))
        formatter.finish(losses: TraceLosses())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").map(String.init), [
            "10    openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3",
            " > /lib/libc.so.6(__open64+0x51) [0xf8011]",
        ])
    }
}
