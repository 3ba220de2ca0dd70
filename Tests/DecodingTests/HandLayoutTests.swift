import BTF
@testable import Beautifiers
import CgtraceABI
import Foundation
import Syscalls
import XCTest

/// Every hand-written struct decoder checked against BTF's layout of its struct (from the
/// fixture blob, x86_64 UAPI): the test writes a distinct value into each field at the offset
/// BTF gives, runs the syscall's real format, and requires every `field=number` printed to show
/// the value written for that field. A decoder reading the wrong offset, or a kernel whose
/// layout moved, fails here instead of printing wrong numbers. Capture sizes are checked too.
final class HandLayoutTests: XCTestCase {
    /// One hand decoder: the syscall that prints the struct, its arguments, which argument holds
    /// the struct, whether it is read at exit, and BTF's name for the struct.
    struct Case {
        let syscall: String
        let args: [UInt64]
        let structArg: Int
        let atExit: Bool
        let btfName: String
        var ret: Int64 = 0
        var strings: [Int: String] = [:]
        /// Printed field name → BTF field name, where the decoder names a field as strace does.
        var aliases: [String: String] = [:]
        /// Captures entering the call besides the struct (capget's header).
        var extra: [RecordBuilder.Cap] = []
    }

    static let p: UInt64 = 0x7ffe_0000_1000
    static let cases: [Case] = [
        Case(syscall: "fstat", args: [3, p], structArg: 1, atExit: true, btfName: "stat"),
        Case(syscall: "nanosleep", args: [p, 0], structArg: 0, atExit: false, btfName: "__kernel_timespec"),
        Case(syscall: "getrlimit", args: [7, p], structArg: 1, atExit: true, btfName: "rlimit"),
        Case(syscall: "prlimit64", args: [0, 7, 0, p], structArg: 3, atExit: true, btfName: "rlimit64"),
        Case(syscall: "uname", args: [p], structArg: 0, atExit: true, btfName: "new_utsname"),
        Case(syscall: "gettimeofday", args: [p, 0], structArg: 0, atExit: true, btfName: "__kernel_old_timeval"),
        Case(syscall: "gettimeofday", args: [0, p], structArg: 1, atExit: true, btfName: "timezone"),
        Case(syscall: "sysinfo", args: [p], structArg: 0, atExit: true, btfName: "sysinfo"),
        Case(syscall: "fcntl", args: [3, 6, p], structArg: 2, atExit: false, btfName: "flock"),
        Case(syscall: "statx", args: [3, p + 64, 0x1000, 0xfff, p], structArg: 4, atExit: true, btfName: "statx",
             strings: [1: ""]),
        // The UAPI declares `__u64 data`; strace shows the union's u64 view.
        Case(syscall: "epoll_ctl", args: [3, 1, 4, p], structArg: 3, atExit: false, btfName: "epoll_event",
             aliases: ["u64": "data"]),
        Case(syscall: "getrusage", args: [0, p], structArg: 1, atExit: true, btfName: "rusage"),
        Case(syscall: "fstatfs", args: [3, p], structArg: 1, atExit: true, btfName: "statfs"),
        Case(syscall: "timerfd_settime", args: [3, 0, p, 0], structArg: 2, atExit: false, btfName: "__kernel_itimerspec"),
        Case(syscall: "setitimer", args: [0, p, 0], structArg: 1, atExit: false, btfName: "itimerval"),
        Case(syscall: "times", args: [p], structArg: 0, atExit: true, btfName: "tms", ret: 100),
        Case(syscall: "sigaltstack", args: [p, 0], structArg: 0, atExit: false, btfName: "sigaltstack"),
        Case(syscall: "openat2", args: [3, p + 64, p, 24], structArg: 2, atExit: false, btfName: "open_how", ret: 4,
             strings: [1: "f"]),
        Case(syscall: "clone3", args: [p, 88], structArg: 0, atExit: false, btfName: "clone_args", ret: 200),
        Case(syscall: "sched_setattr", args: [0, p, 0], structArg: 1, atExit: false, btfName: "sched_attr"),
        Case(syscall: "capget", args: [p, 0], structArg: 0, atExit: false, btfName: "__user_cap_header_struct"),
        Case(syscall: "poll", args: [p, 1, 0], structArg: 0, atExit: false, btfName: "pollfd", ret: 1),
        Case(syscall: "semop", args: [1, p, 1], structArg: 1, atExit: false, btfName: "sembuf"),
        Case(syscall: "epoll_wait", args: [3, p, 1, 0], structArg: 1, atExit: true, btfName: "epoll_event", ret: 1,
             aliases: ["u64": "data"]),
        Case(syscall: "timer_create", args: [0, p, p + 64], structArg: 1, atExit: false, btfName: "sigevent"),
        // termios prints only flag names (no field=number to compare): its capture size is
        // checked in testCaptureSizesOfNameOnlyDecoders.
        // The kernel's struct sigaction (handler, flags, restorer, mask) is not the UAPI
        // header's (mask before flags): rt_sigaction's layout is left to CallFamilyTests.
        // capget's data (two __user_cap_data_struct) prints capability names, not numbers: its
        // layout is checked by CallFamilyTests' capget cases.
    ]

    /// The value written into field number `k`: distinct, small enough for a byte, never 0.
    static func value(_ k: Int) -> UInt64 { UInt64(17 + k) }

    /// Fill `record` at `base`: every integer field gets its own value, char arrays their name.
    static func fill(_ record: BTFRecord, into bytes: inout [UInt8], base: Int, counter: inout Int,
                     expected: inout [String: [UInt64]], strings: inout [String: String]) {
        for f in record.fields where f.bitSize == 0 {
            switch f.value {
            case .record(let inner):
                fill(inner, into: &bytes, base: base + f.offset, counter: &counter, expected: &expected, strings: &strings)
            case .integer(let size, _), .boolean(let size):
                let v = value(counter); counter += 1
                for i in 0..<size where base + f.offset + i < bytes.count { bytes[base + f.offset + i] = i == 0 ? UInt8(v) : 0 }
                expected[f.name, default: []].append(v)
            case .characters(let count) where count >= 4:
                let text = Array("c\(counter)".utf8); counter += 1
                for (i, b) in text.enumerated() { bytes[base + f.offset + i] = b }
                strings[f.name] = String(decoding: text, as: UTF8.self)
            case .array(.integer(let size, _), let count, let stride):
                for e in 0..<count {
                    let v = value(counter); counter += 1
                    let o = base + f.offset + e * stride
                    for i in 0..<size where o + i < bytes.count { bytes[o + i] = i == 0 ? UInt8(v) : 0 }
                }
            default: break
            }
        }
    }

    func testHandDecodersReadTheOffsetsBTFGives() throws {
        let btf = try BTFDecodingTests.fixture()
        let records = btf.records(Set(Self.cases.map(\.btfName)))
        let formats = SyscallFormats.x86_64
        var checked = 0
        for c in Self.cases {
            let record = try XCTUnwrap(records[c.btfName], "\(c.btfName) not in the fixture")
            let nr = try XCTUnwrap(formats.table.number(named: c.syscall))
            // The capture size the hand decoder asks the kernel for must cover BTF's struct.
            let spec = formats[nr].kernelSpec(traced: true)
            let size = withUnsafeBytes(of: spec.args) { $0.bindMemory(to: cgt_arg_spec.self)[c.structArg].size }
            XCTAssertEqual(Int(size), record.size, "\(c.syscall): capture size of struct \(c.btfName)")

            var bytes = [UInt8](repeating: 0, count: record.size)
            var counter = 0
            var expected: [String: [UInt64]] = [:]
            var strings: [String: String] = [:]
            Self.fill(record, into: &bytes, base: 0, counter: &counter, expected: &expected, strings: &strings)
            let h = FormatterHarness(formats: formats, verbose: true)
            var inCaps: [RecordBuilder.Cap] = c.strings.map { .string($0.key, $0.value) } + c.extra
            var outCaps: [RecordBuilder.Cap] = []
            if c.atExit { outCaps.append(.buffer(c.structArg, bytes)) } else { inCaps.append(.buffer(c.structArg, bytes)) }
            h.call(100, c.syscall, c.args, in: inCaps, ret: c.ret, out: outCaps)
            let line = h.lines().joined()
            var compared = 0
            for (printed, token) in Self.numericFields(line) {
                let name = c.aliases[printed] ?? printed
                guard let values = expected[name] else { continue }
                XCTAssertTrue(values.contains(where: { Self.token(token, shows: $0) }),
                              "\(c.syscall): \(name)=\(token) but BTF puts \(values) there: \(line)")
                compared += 1
            }
            for (name, text) in strings where line.contains("\(name)=") {
                XCTAssertTrue(line.contains("\(name)=\"\(text)\""), "\(c.syscall): \(name) should be \"\(text)\": \(line)")
                compared += 1
            }
            XCTAssertGreaterThan(compared, 0, "\(c.syscall): no field of struct \(c.btfName) compared: \(line)")
            checked += 1
        }
        XCTAssertEqual(checked, Self.cases.count)
    }

    /// Decoders that print names only: their capture must still cover BTF's struct.
    func testCaptureSizesOfNameOnlyDecoders() throws {
        let btf = try BTFDecodingTests.fixture()
        let termios = try XCTUnwrap(btf.records(["termios"])["termios"])
        let formats = SyscallFormats.x86_64
        XCTAssertEqual(IoctlCalls.termios.size, termios.size)
        // capget's data: two __user_cap_data_struct (version 2 and 3 headers).
        let data = try XCTUnwrap(btf.records(["__user_cap_data_struct"])["__user_cap_data_struct"])
        let nr = try XCTUnwrap(formats.table.number(named: "capget"))
        let spec = formats[nr].kernelSpec(traced: true)
        let size = withUnsafeBytes(of: spec.args) { $0.bindMemory(to: cgt_arg_spec.self)[1].size }
        XCTAssertEqual(Int(size), 2 * data.size)
        XCTAssertEqual(data.field("inheritable")?.offset, 8)
    }

    /// `name=token` pairs whose token is a plain number (names, dates and flag sets are skipped).
    static func numericFields(_ line: String) -> [(String, String)] {
        var out: [(String, String)] = []
        let pattern = try! NSRegularExpression(pattern: #"([A-Za-z_][A-Za-z0-9_]*)=(-?(?:0x[0-9a-f]+|[0-9]+))(?=[,}\] ])"#)
        let ns = line as NSString
        for m in pattern.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            out.append((ns.substring(with: m.range(at: 1)), ns.substring(with: m.range(at: 2))))
        }
        return out
    }

    /// The token shows `v` in decimal, hex or C octal.
    static func token(_ t: String, shows v: UInt64) -> Bool {
        if t.hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) == v }
        if t.count > 1, t.hasPrefix("0") { return UInt64(t.dropFirst(), radix: 8) == v }
        return UInt64(t) == v
    }
}
