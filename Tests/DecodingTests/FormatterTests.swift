import Beautifiers
import Decoder
import Formatters
import Foundation
import Syscalls
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Feeds StraceFormatter records built as the kernel builds them and reads back its output.
final class FormatterHarness {
    typealias B = RecordBuilder
    let path: String
    let formatter: StraceFormatter
    /// What the tracer feeds: records are paired, then formatted.
    let pipeline: CallPairing
    private var calls: [UInt32: UInt32] = [:]
    private var seq: UInt64 = 0
    /// Every record fed, for the second run through the direct path (`lines()`).
    private var fed: [[UInt8]] = []
    private let formats: SyscallFormats
    private let options: FormatOptions
    private var directChecked = false
    /// A record was handed over decoded (`handle(decoded:)`): there are no bytes to compare.
    private var bypassed = false
    /// Calls the direct run printed straight from their records (its pairing stage's count).
    private(set) var directCalls = 0
    private var clock: UInt64 = 1_000_000_000

    /// The syscall table records are numbered by.
    let table: SyscallTable

    init(stringLimit: Int = 32, constantStyle: ConstantStyle = .abbrev, formats: SyscallFormats = .x86_64,
         verbose: Bool = false, pidsInNamespace: Bool = false, configure: (inout FormatOptions) -> Void = { _ in }) {
        table = formats.table
        var template = Array((NSTemporaryDirectory() + "/cgtrace-fmt-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "mkstemp failed")
        path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var options = FormatOptions()
        options.stringLimit = stringLimit
        options.constantStyle = constantStyle
        options.verbose = verbose
        options.pidsInNamespace = pidsInNamespace
        configure(&options)
        self.formats = formats
        self.options = options
        formatter = StraceFormatter(formats: formats, options: options,
                                    output: OutputFile(fd: fd, ownsFD: true))
        pipeline = CallPairing(formats: formats, next: formatter)
    }

    deinit { unlink(path) }

    static func nr(_ name: String) -> Int {
        guard let n = SyscallTable.x86_64.number(named: name) else { fatalError("no syscall \(name)") }
        return n
    }

    private func origin(_ pid: UInt32, _ tid: UInt32?, flags: UInt16 = 0) -> B.Origin {
        seq += 1
        clock += 1000
        return B.Origin(pid: pid, tid: tid ?? pid, ts: clock, seq: seq, flags: flags)
    }

    /// Decode the bytes (they must be well-formed) and hand the record to the formatter.
    func feed(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        fed.append(bytes)
        do {
            pipeline.handle(try RecordParser.decode(bytes))
        } catch {
            XCTFail("record did not decode: \(error)", file: file, line: line)
        }
    }

    func enter(_ pid: UInt32, tid: UInt32? = nil, _ name: String, _ args: [UInt64], _ caps: [B.Cap] = []) {
        guard let n = table.number(named: name) else { fatalError("no syscall \(name)") }
        enter(pid, tid: tid, nr: n, args, caps)
    }

    func enter(_ pid: UInt32, tid: UInt32? = nil, nr: Int, _ args: [UInt64], _ caps: [B.Cap] = []) {
        let t = tid ?? pid
        calls[t, default: 0] += 1
        feed(B.enter(origin(pid, tid), nr: nr, call: calls[t]!, args: args, captures: caps))
    }

    func exit(_ pid: UInt32, tid: UInt32? = nil, _ name: String, _ ret: Int64, _ caps: [B.Cap] = [], killed: Bool = false) {
        guard let n = table.number(named: name) else { fatalError("no syscall \(name)") }
        exit(pid, tid: tid, nr: n, ret, caps, killed: killed)
    }

    func exit(_ pid: UInt32, tid: UInt32? = nil, nr: Int, _ ret: Int64, _ caps: [B.Cap] = [], killed: Bool = false) {
        let t = tid ?? pid
        feed(B.exit(origin(pid, tid, flags: killed ? B.killedFlag : 0), nr: nr, call: calls[t] ?? 0, ret: ret,
                    enterTs: clock, captures: caps))
    }

    /// A complete call: entry then exit.
    func call(_ pid: UInt32, tid: UInt32? = nil, _ name: String, _ args: [UInt64], in inCaps: [B.Cap] = [],
              ret: Int64, out outCaps: [B.Cap] = []) {
        enter(pid, tid: tid, name, args, inCaps)
        exit(pid, tid: tid, name, ret, outCaps)
    }

    func call(_ pid: UInt32, tid: UInt32? = nil, nr: Int, _ args: [UInt64], in inCaps: [B.Cap] = [],
              ret: Int64, out outCaps: [B.Cap] = []) {
        enter(pid, tid: tid, nr: nr, args, inCaps)
        exit(pid, tid: tid, nr: nr, ret, outCaps)
    }

    /// A hole naming `tids`, its drops between the last record's stamp and now.
    func lost(records: UInt64, tids: [UInt32], cpus: UInt64 = 1) {
        let first = clock
        let o = origin(tids.first ?? 0, tids.first)
        feed(B.lost(o, records: records, first: first, last: o.ts, cpus: cpus, tids: tids))
    }

    func taskExit(_ pid: UInt32, tid: UInt32? = nil, status: UInt32, groupDead: Bool = true) {
        feed(B.taskExit(origin(pid, tid), status: status, groupDead: groupDead))
    }

    func signal(_ pid: UInt32, tid: UInt32? = nil, signo: Int32, code: Int32, siginfo: [UInt8]) {
        feed(B.signal(origin(pid, tid), signo: signo, code: code, siginfo: siginfo))
    }

    func fork(_ pid: UInt32, tid: UInt32? = nil, child: UInt32, childTid: UInt32? = nil, comm: String = "a.out") {
        feed(B.fork(origin(pid, tid), childPid: child, childTid: childTid, comm: comm))
    }

    func pidns(_ pid: UInt32, tid: UInt32? = nil, of task: (tid: UInt32, pid: UInt32), ns: (tid: UInt32, pid: UInt32)) {
        feed(B.pidns(origin(pid, tid), tid: task.tid, pid: task.pid, nsTid: ns.tid, nsPid: ns.pid))
    }

    func exec(_ pid: UInt32, tid: UInt32? = nil, oldTid: UInt32, comm: String) {
        feed(B.exec(origin(pid, tid), oldTid: oldTid, comm: comm))
    }

    /// A record made in memory (-k's frames, which no record's bytes carry; the tracer takes
    /// the direct path only without -k).
    func handle(decoded record: Record) {
        bypassed = true
        pipeline.handle(record)
    }

    /// The fed records' text through the direct path, as RecordPump feeds them; with `pairs`,
    /// an entry followed by a record is offered as a joined call first, as RecordPump offers
    /// the ring reader's joined calls (`handle(directEntry:exit:)`).
    private func directText(pairs: Bool = false) -> String {
        var template = Array((NSTemporaryDirectory() + "/cgtrace-direct-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "mkstemp failed")
        let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let pairing = CallPairing(formats: formats, next: StraceFormatter(formats: formats, options: options,
                                                                          output: OutputFile(fd: fd, ownsFD: true)))
        var i = 0
        while i < fed.count {
            if pairs, i + 1 < fed.count,
               fed[i].withUnsafeBytes({ e in fed[i + 1].withUnsafeBytes { x in pairing.handle(directEntry: e, exit: x) } }) {
                i += 2
                continue
            }
            fed[i].withUnsafeBytes { raw in
                try? pairing.handle(bytes: raw)
            }
            i += 1
        }
        pairing.finish(losses: TraceLosses())
        directCalls = pairing.directCalls
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
    }

    /// Everything written so far (after `finish`), split into lines.
    ///
    /// The first time, the same records also go through the route the live tracer takes (the
    /// pairing stage's direct path first, the decoder for what it does not take) into a second
    /// formatter, and the two texts must be the same: every formatter test is also a test that
    /// a line printed straight from its records is the line the general path prints.
    func lines(file: StaticString = #filePath, line: UInt = #line) -> [String] {
        pipeline.finish(losses: TraceLosses())
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
        if !directChecked && !bypassed {
            directChecked = true
            let direct = directText()
            XCTAssertEqual(direct, text, "the direct path's text differs from the general path's", file: file, line: line)
            let paired = directText(pairs: true)
            XCTAssertEqual(paired, text, "the direct path's text, calls offered as pairs, differs from the general path's",
                           file: file, line: line)
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

final class FormatterTests: XCTestCase {
    typealias Cap = RecordBuilder.Cap
    typealias B = RecordBuilder

    static let AT_FDCWD: UInt64 = 4294967196   // -100 as the 32-bit int the register holds
    static let pathPtr: UInt64 = 0x7ffd_1234_5000
    static let bufPtr: UInt64 = 0x7ffc_bdc0_9c60

    /// `text` padded as strace pads it so that `= ret` starts at column 40.
    private func padded(_ text: String, _ ret: String) -> String {
        let pad = max(1, 40 - text.count)
        return text + String(repeating: " ", count: pad) + ret
    }

    private func assertLines(_ h: FormatterHarness, _ expected: [String], _ message: String = "",
                             file: StaticString = #filePath, line: UInt = #line) {
        let got = h.lines()
        XCTAssertEqual(got, expected, message, file: file, line: line)
        if got != expected {
            for (i, l) in got.enumerated() { print("  got[\(i)]: \(l.debugDescription)") }
        }
    }

    // MARK: holes

    /// The gap marker names the CPUs and threads that dropped records. The kernel keeps CPUs in
    /// a 64-bit mask whose last bit stands for CPU 63 and every one above it: `63+`.
    func testGapMarkerNamesCPUsAndThreads() {
        let h = FormatterHarness()
        h.lost(records: 1, tids: [100])
        h.lost(records: 7, tids: [100, 101, 102, 103, 104], cpus: 1 << 0 | 1 << 5 | 1 << 63)
        assertLines(h, [
            "!!! lost 1 event here (ring buffer full on CPU 0: tid 100) !!!",
            "!!! lost 7 events here (ring buffer full on CPUs 0,5,63+: tids 100, 101, 102, 103 and others) !!!",
        ])
    }

    // MARK: files

    func testOpenatWithATFDCWD() {
        let h = FormatterHarness()
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, "/etc/hostname")], ret: 3)
        assertLines(h, [#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3"#])
    }

    func testOpenatFlagsAndMode() {
        let h = FormatterHarness()
        // openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0o2000000, 0],
               in: [.string(1, "/lib/x86_64-linux-gnu/libc.so.6")], ret: 3)
        // openat(AT_FDCWD, "/tmp/st/newfile", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0o1101, 0o644],
               in: [.string(1, "/tmp/st/newfile")], ret: 3)
        assertLines(h, [
            #"openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3"#,
            #"openat(AT_FDCWD, "/tmp/st/newfile", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3"#,
        ])
    }

    func testErrorReturn() {
        let h = FormatterHarness()
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, "/nonexistent")], ret: -2)
        assertLines(h, [#"openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)"#])
    }

    func testErrorReturnPadded() {
        let h = FormatterHarness()
        h.call(100, "write", [99, Self.bufPtr, 3], in: [.buffer(1, "xyz")], ret: -9)
        // write(99, "xyz", 3)                     = -1 EBADF (Bad file descriptor)
        assertLines(h, [padded(#"write(99, "xyz", 3)"#, "= -1 EBADF (Bad file descriptor)")])
    }

    /// strace -e inject=close:error=ERESTARTSYS → `= ? ERESTARTSYS (To be restarted if SA_RESTART is set)`
    func testRestartErrno() {
        let h = FormatterHarness()
        h.call(100, "close", [3], ret: -512)
        assertLines(h, [padded("close(3)", "= ? ERESTARTSYS (To be restarted if SA_RESTART is set)")])
    }

    /// strace 6.1 prints ERESTART_RESTARTBLOCK (516) as a restart:
    /// `close(3) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)`.
    func testRestartBlockErrno() {
        let h = FormatterHarness()
        h.call(100, "close", [3], ret: -516)
        assertLines(h, [padded("close(3)", "= ? ERESTART_RESTARTBLOCK (Interrupted by signal)")])
    }

    /// strace 6.1 (`strace -e inject=close:error=515`) prints ENOIOCTLCMD as an ordinary error:
    /// `close(3) = -1 ENOIOCTLCMD (Unknown error 515)` — only 512, 513, 514 and 516 are restarts.
    func testENOIOCTLCMDIsNotARestart() {
        let h = FormatterHarness()
        h.call(100, "close", [3], ret: -515)
        assertLines(h, [padded("close(3)", "= -1 ENOIOCTLCMD (Unknown error 515)")])
    }

    /// strace 6.1 (`strace -e inject=close:error=41`) prints an errno without a name as
    /// `close(3) = -1 (errno 41)`: no name, no message.
    func testErrnoWithoutName() {
        let h = FormatterHarness()
        h.call(100, "close", [3], ret: -41)
        assertLines(h, [padded("close(3)", "= -1 (errno 41)")])
    }

    func testReadLongerThanStringLimit() {
        let h = FormatterHarness()
        let elf: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0,
                            3, 0, 0x3e, 0, 1, 0, 0, 0, 0x10, 0x74, 2, 0, 0, 0, 0, 0]
        // The kernel copies min(ret, -s) bytes.
        h.call(100, "read", [3, Self.bufPtr, 832], ret: 832, out: [.buffer(1, elf)])
        assertLines(h, [#"read(3, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832) = 832"#])
    }

    func testReadWithSmallStringLimit() {
        // strace -s 4 cat /etc/passwd:  read(3, "root"..., 131072) = 1221 ; read(3, "", 131072) = 0
        let h = FormatterHarness(stringLimit: 4)
        h.call(100, "read", [3, Self.bufPtr, 131072], ret: 1221, out: [.buffer(1, "root")])
        h.call(100, "read", [3, Self.bufPtr, 131072], ret: 0, out: [.buffer(1, [])])
        // Exactly -s bytes: no "...".
        h.call(100, "read", [3, Self.bufPtr, 131072], ret: 4, out: [.buffer(1, "abcd")])
        assertLines(h, [
            padded(#"read(3, "root"..., 131072)"#, "= 1221"),
            padded(#"read(3, "", 131072)"#, "= 0"),
            padded(#"read(3, "abcd", 131072)"#, "= 4"),
        ])
    }

    func testFailedReadShowsTheAddress() {
        // read(99, 0x7ffcbdc09c5c, 4)             = -1 EBADF (Bad file descriptor)
        let h = FormatterHarness()
        h.call(100, "read", [99, 0x7ffc_bdc0_9c5c, 4], ret: -9)
        assertLines(h, [padded("read(99, 0x7ffcbdc09c5c, 4)", "= -1 EBADF (Bad file descriptor)")])
    }

    func testWrite() {
        let h = FormatterHarness()
        h.call(100, "write", [1, Self.bufPtr, 6], in: [.buffer(1, "hello\n")], ret: 6)
        assertLines(h, [padded(#"write(1, "hello\n", 6)"#, "= 6")])
    }

    func testWriteTruncatedByStringLimit() {
        // strace -s 3 printf abcd:  write(1, "abc"..., 4) = 4 ;  printf abc: write(1, "abc", 3) = 3
        let h = FormatterHarness(stringLimit: 3)
        h.call(100, "write", [1, Self.bufPtr, 4], in: [.buffer(1, "abc")], ret: 4)
        h.call(100, "write", [1, Self.bufPtr, 3], in: [.buffer(1, "abc")], ret: 3)
        assertLines(h, [padded(#"write(1, "abc"..., 4)"#, "= 4"), padded(#"write(1, "abc", 3)"#, "= 3")])
    }

    func testMmapReturnsHexAddress() {
        let h = FormatterHarness()
        // mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f50cd177000
        h.call(100, "mmap", [0, 4096, 3, 0x22, UInt64.max, 0], ret: 0x7f50_cd17_7000)
        h.call(100, "mmap", [0, 1 << 40, 3, 0x22, 0xffff_ffff, 0], ret: -12)
        assertLines(h, [
            "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f50cd177000",
            "mmap(NULL, 1099511627776, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)",
        ])
    }

    func testCloseIsPaddedToColumn40() {
        let h = FormatterHarness()
        h.call(100, "close", [3], ret: 0)
        let lines = h.lines()
        // From strace 6.1: "close(3)                                = 0"
        XCTAssertEqual(lines, ["close(3)" + String(repeating: " ", count: 32) + "= 0"])
        XCTAssertEqual(lines.first?.firstIndex(of: "=").map { lines[0].distance(from: lines[0].startIndex, to: $0) }, 40)
    }

    func testLinesAtAndPastColumn40() {
        let h = FormatterHarness()
        // 39 characters before " = ": one space; 40 or more: one space too.
        let p39 = "/" + String(repeating: "a", count: 39 - #"openat(AT_FDCWD, "", O_RDONLY)"#.count - 1)
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, p39)], ret: 3)
        let p40 = p39 + "b"
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, p40)], ret: 3)
        let lines = h.lines()
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.first, #"openat(AT_FDCWD, ""# + p39 + #"", O_RDONLY) = 3"#)
        XCTAssertEqual(lines.last, #"openat(AT_FDCWD, ""# + p40 + #"", O_RDONLY) = 3"#)
        XCTAssertEqual(lines.first.map { $0.count - " = 3".count }, 39)
    }

    func testStatStructOutParameter() {
        let h = FormatterHarness()
        // stat("/etc/hostname", {st_mode=S_IFREG|0644, st_size=33687, ...}) = 0
        h.call(100, "stat", [Self.pathPtr, Self.bufPtr], in: [.string(0, "/etc/hostname")],
               ret: 0, out: [.buffer(1, B.statBytes(mode: 0o100644, size: 33687))])
        // newfstatat(AT_FDCWD, "/etc/hostname", {st_mode=S_IFREG|0755, st_size=3, ...}, 0) = 0
        h.call(100, "newfstatat", [Self.AT_FDCWD, Self.pathPtr, Self.bufPtr, 0], in: [.string(1, "/etc/hostname")],
               ret: 0, out: [.buffer(2, B.statBytes(mode: 0o100755, size: 3))])
        // newfstatat(AT_FDCWD, "/nonexistent", 0x7ffcbdc09c60, 0) = -1 ENOENT (No such file or directory)
        h.call(100, "newfstatat", [Self.AT_FDCWD, Self.pathPtr, Self.bufPtr, 0], in: [.string(1, "/nonexistent")],
               ret: -2)
        assertLines(h, [
            #"stat("/etc/hostname", {st_mode=S_IFREG|0644, st_size=33687, ...}) = 0"#,
            #"newfstatat(AT_FDCWD, "/etc/hostname", {st_mode=S_IFREG|0755, st_size=3, ...}, 0) = 0"#,
            #"newfstatat(AT_FDCWD, "/nonexistent", 0x7ffcbdc09c60, 0) = -1 ENOENT (No such file or directory)"#,
        ])
    }

    func testPathsAreNotCutByStringLimit() {
        // strace -s 5 cat /etc/hostname:  openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3
        let h = FormatterHarness(stringLimit: 5)
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.string(1, "/etc/hostname")], ret: 3)
        assertLines(h, [#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3"#])
    }

    func testStringArgumentCutByStringLimit() {
        // strace -s 3 python3 -c 'import os; os.memfd_create("abcdef"); os.memfd_create("abc")':
        //   memfd_create("abc"..., MFD_CLOEXEC)     = 3
        //   memfd_create("abc", MFD_CLOEXEC)        = 4
        // The kernel reads up to -s + 1 characters, so truncation shows as one byte too many.
        let h = FormatterHarness(stringLimit: 3)
        h.call(100, "memfd_create", [Self.pathPtr, 1], in: [.string(0, "abcd")], ret: 3)
        h.call(100, "memfd_create", [Self.pathPtr, 1], in: [.string(0, "abc")], ret: 4)
        assertLines(h, [padded(#"memfd_create("abc"..., MFD_CLOEXEC)"#, "= 3"),
                        padded(#"memfd_create("abc", MFD_CLOEXEC)"#, "= 4")])
    }

    func testFaultedPathPrintsTheAddress() {
        // openat(AT_FDCWD, 0x1234, O_RDONLY)      = -1 EFAULT (Bad address)
        let h = FormatterHarness()
        // Faulted at entry, re-read at exit (CGT_CAPF_LATE), faulted again.
        h.call(100, "openat", [Self.AT_FDCWD, 0x1234, 0, 0], in: [.faulted(1)], ret: -14,
               out: [.faulted(1, late: true)])
        assertLines(h, [padded("openat(AT_FDCWD, 0x1234, O_RDONLY)", "= -1 EFAULT (Bad address)")])
    }

    func testLateReadOfAPathThatFaultedAtEntry() {
        let h = FormatterHarness()
        h.call(100, "openat", [Self.AT_FDCWD, Self.pathPtr, 0, 0], in: [.faulted(1)], ret: 3,
               out: [.string(1, "/etc/hostname", flags: Cap.lateFlag)])
        assertLines(h, [#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3"#])
    }

    func testNullPath() {
        let h = FormatterHarness()
        h.call(100, "openat", [Self.AT_FDCWD, 0, 0, 0], ret: -14)
        assertLines(h, [padded("openat(AT_FDCWD, NULL, O_RDONLY)", "= -1 EFAULT (Bad address)")])
    }

    // MARK: process lifetime

    func testExitGroupThenTaskExit() {
        let h = FormatterHarness()
        h.enter(100, "exit_group", [0])
        h.taskExit(100, status: 0)
        assertLines(h, ["exit_group(0)                           = ?", "+++ exited with 0 +++"])
    }

    func testExitCode() {
        let h = FormatterHarness()
        h.enter(100, "exit_group", [3])
        h.taskExit(100, status: 3 << 8)
        assertLines(h, [padded("exit_group(3)", "= ?"), "+++ exited with 3 +++"])
    }

    func testKilledBySignal() {
        let h = FormatterHarness()
        h.taskExit(100, status: 9)
        assertLines(h, ["+++ killed by SIGKILL +++"])
    }

    func testKilledWithCoreDump() {
        // strace: --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---
        //         +++ killed by SIGSEGV (core dumped) +++
        let h = FormatterHarness()
        h.signal(100, signo: 11, code: 1, siginfo: B.faultInfo(signo: 11, code: 1, addr: 0x10))
        h.taskExit(100, status: 0x80 | 11)
        assertLines(h, ["--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---",
                        "+++ killed by SIGSEGV (core dumped) +++"])
    }

    // Killed inside a call. The kernel sends the call's sys_exit with CGT_HDRF_KILLED (ret is
    // -ERESTARTSYS or -EINTR, never seen by the task) and then the task exit; each test also runs
    // without that exit record (lost, or an older probe), which must print the same.

    /// strace 6.1, `cat fifo` killed by SIGKILL while blocked in read:
    ///   read(3,  <unfinished ...>)              = ?
    ///   +++ killed by SIGKILL +++
    /// The entry part keeps its trailing `, ` before ` <unfinished ...>` (two spaces), as in the
    /// interleaved `read(3,  <unfinished ...>` line; the buffer is not shown.
    func testKilledInsideACall() {
        for withExit in [true, false] {
            let h = FormatterHarness()
            h.enter(100, "read", [3, Self.bufPtr, 131072])
            if withExit { h.exit(100, "read", -512, killed: true) }
            h.taskExit(100, status: 9)
            assertLines(h, [padded("read(3,  <unfinished ...>)", "= ?"), "+++ killed by SIGKILL +++"],
                        "with exit record: \(withExit)")
        }
    }

    /// strace 6.1, a process killed while blocked in flock(2) (all arguments are in-parameters):
    ///   flock(3, LOCK_EX)                       = ?
    ///   +++ killed by SIGKILL +++
    /// and in pause(): `pause()                                 = ?`. No `<unfinished ...>` here.
    func testKilledInsideACallWithOnlyEntryArguments() {
        for withExit in [true, false] {
            let h = FormatterHarness()
            h.enter(100, "flock", [3, 2])
            if withExit { h.exit(100, "flock", -512, killed: true) }
            h.taskExit(100, status: 9)
            h.enter(101, "pause", [])
            if withExit { h.exit(101, "pause", -514, killed: true) }
            h.taskExit(101, status: 9)
            assertLines(h, [padded("flock(3, LOCK_EX)", "= ?"), "+++ killed by SIGKILL +++",
                            padded("pause()", "= ?"), "+++ killed by SIGKILL +++"],
                        "with exit record: \(withExit)")
        }
    }

    /// strace 6.1 -f, a two-thread process killed by SIGKILL (thread 1798 blocked in pause, 1797 in read):
    ///   [pid  1797] read(3,  <unfinished ...>
    ///   [pid  1798] write(1, "x", 1)            = 1
    ///   [pid  1798] pause( <unfinished ...>
    ///   [pid  1797] <... read resumed> <unfinished ...>) = ?
    ///   [pid  1798] <... pause resumed>)        = ?
    ///   [pid  1798] +++ killed by SIGKILL +++
    ///   +++ killed by SIGKILL +++
    /// A call already shown unfinished that never returns: `<... read resumed> <unfinished ...>)` when
    /// it still had out-parameters to show, `<... pause resumed>)` when not.
    func testKilledAfterBeingShownUnfinished() {
        let h = FormatterHarness()
        h.fork(1797, child: 1797, childTid: 1798)
        h.enter(1797, "read", [3, Self.bufPtr, 10])
        h.call(1797, tid: 1798, "write", [1, Self.bufPtr, 1], in: [.buffer(1, "x")], ret: 1)
        h.enter(1797, tid: 1798, "pause", [])
        h.exit(1797, "read", -512, killed: true)
        h.exit(1797, tid: 1798, "pause", -514, killed: true)
        h.taskExit(1797, tid: 1798, status: 9, groupDead: false)
        h.taskExit(1797, status: 9, groupDead: true)
        assertLines(h, [
            "[pid  1797] read(3,  <unfinished ...>",
            #"[pid  1798] write(1, "x", 1)            = 1"#,
            "[pid  1798] pause( <unfinished ...>",
            "[pid  1797] <... read resumed> <unfinished ...>) = ?",
            "[pid  1798] <... pause resumed>)        = ?",
            "[pid  1798] +++ killed by SIGKILL +++",
            "+++ killed by SIGKILL +++",
        ])
    }

    /// The same without the killed sys_exit records: the calls end when their task exits. (The
    /// order of the last lines follows the order of the task-exit records.)
    func testKilledAfterBeingShownUnfinishedWithoutExitRecords() {
        let h = FormatterHarness()
        h.fork(1797, child: 1797, childTid: 1798)
        h.enter(1797, "read", [3, Self.bufPtr, 10])
        h.call(1797, tid: 1798, "write", [1, Self.bufPtr, 1], in: [.buffer(1, "x")], ret: 1)
        h.enter(1797, tid: 1798, "pause", [])
        h.taskExit(1797, status: 9, groupDead: false)
        h.taskExit(1797, tid: 1798, status: 9, groupDead: true)
        assertLines(h, [
            "[pid  1797] read(3,  <unfinished ...>",
            #"[pid  1798] write(1, "x", 1)            = 1"#,
            "[pid  1798] pause( <unfinished ...>",
            "[pid  1797] <... read resumed> <unfinished ...>) = ?",
            "[pid  1797] +++ killed by SIGKILL +++",
            padded("<... pause resumed>)", "= ?"),
            "+++ killed by SIGKILL +++",
        ])
    }

    func testExecve() {
        let h = FormatterHarness()
        // env -i A=1 B=2 C=3 strace -e trace=execve /bin/true:
        // execve("/bin/true", ["/bin/true"], 0x7ffe04c41af0 /* 3 vars */) = 0
        h.enter(100, "execve", [Self.pathPtr, 0x7ffe_04c4_1a00, 0x7ffe_04c4_1af0],
                [.string(0, "/bin/true"), .argv(1, index: 0, "true"), .argc(1, 1), .argc(2, 3)])
        h.exec(100, oldTid: 100, comm: "true")
        h.exit(100, "execve", 0)
        // One environment variable: "var", not "vars".
        h.call(100, "execve", [Self.pathPtr, 0x7ffe_04c4_1a00, 0x7ffd_1415_83c0],
               in: [.string(0, "/bin/true"), .argv(1, index: 0, "/bin/true"), .argc(1, 1), .argc(2, 1)], ret: 0)
        assertLines(h, [
            #"execve("/bin/true", ["true"], 0x7ffe04c41af0 /* 3 vars */) = 0"#,
            #"execve("/bin/true", ["/bin/true"], 0x7ffd141583c0 /* 1 var */) = 0"#,
        ])
    }

    func testExecveArgvCutByStringLimit() {
        // strace -s 3 /bin/true abcdef ab abc abcd:
        // execve("/bin/true", ["/bi"..., "abc"..., "ab", ...], 0x7ffd346e1e10 /* 39 vars */) = 0
        // The kernel keeps min(-s, 64) elements, each read with room for -s + 1 characters.
        let h = FormatterHarness(stringLimit: 3)
        h.call(100, "execve", [Self.pathPtr, 0x7ffd_346e_1000, 0x7ffd_346e_1e10],
               in: [.string(0, "/bin/true"), .argv(1, index: 0, "/bin"), .argv(1, index: 1, "abcd"),
                    .argv(1, index: 2, "ab"), .argc(1, 5), .argc(2, 39)], ret: 0)
        // strace -s 3 /bin/true abc:  execve("/bin/true", ["/bi"..., "abc"], 0x7fff76574078 /* 39 vars */) = 0
        h.call(100, "execve", [Self.pathPtr, 0x7fff_7657_4000, 0x7fff_7657_4078],
               in: [.string(0, "/bin/true"), .argv(1, index: 0, "/bin"), .argv(1, index: 1, "abc"),
                    .argc(1, 2), .argc(2, 39)], ret: 0)
        assertLines(h, [
            #"execve("/bin/true", ["/bi"..., "abc"..., "ab", ...], 0x7ffd346e1e10 /* 39 vars */) = 0"#,
            #"execve("/bin/true", ["/bi"..., "abc"], 0x7fff76574078 /* 39 vars */) = 0"#,
        ])
    }

    func testExecveFailure() {
        let h = FormatterHarness()
        h.call(100, "execve", [Self.pathPtr, 0x7ffe_04c4_1a00, 0x7ffe_04c4_1af0],
               in: [.string(0, "/nope"), .argv(1, index: 0, "nope"), .argc(1, 1), .argc(2, 3)], ret: -2)
        assertLines(h, [#"execve("/nope", ["nope"], 0x7ffe04c41af0 /* 3 vars */) = -1 ENOENT (No such file or directory)"#])
    }

    // MARK: several tasks

    /// strace -f of a program whose second thread writes while the main thread reads a pipe:
    ///   [pid 26700] read(3,  <unfinished ...>
    ///   [pid 26701] write(1, "x", 1)            = 1
    ///   [pid 26700] <... read resumed>"hi", 10) = 2
    func testTwoThreadsInterleaving() {
        let h = FormatterHarness()
        h.fork(1234, child: 1234, childTid: 1235)
        h.enter(1234, "read", [3, Self.bufPtr, 10])
        h.enter(1234, tid: 1235, "write", [1, Self.bufPtr, 1], [.buffer(1, "x")])
        h.exit(1234, tid: 1235, "write", 1)
        h.exit(1234, "read", 2, [.buffer(1, "hi")])
        assertLines(h, [
            "[pid  1234] read(3,  <unfinished ...>",
            #"[pid  1235] write(1, "x", 1)            = 1"#,
            #"[pid  1234] <... read resumed>"hi", 10) = 2"#,
        ])
    }

    /// strace -f:
    ///   [pid 26701] write(4, "hi", 2 <unfinished ...>
    ///   [pid 26700] <... read resumed>"hi", 10) = 2
    ///   [pid 26701] <... write resumed>)        = 2
    func testUnfinishedCallWithOnlyEntryArguments() {
        let h = FormatterHarness()
        h.fork(26700, child: 26700, childTid: 26701)
        h.enter(26700, "read", [3, Self.bufPtr, 10])
        h.enter(26700, tid: 26701, "write", [4, Self.bufPtr, 2], [.buffer(1, "hi")])
        h.exit(26700, "read", 2, [.buffer(1, "hi")])
        h.exit(26700, tid: 26701, "write", 2)
        assertLines(h, [
            "[pid 26700] read(3,  <unfinished ...>",
            #"[pid 26701] write(4, "hi", 2 <unfinished ...>"#,
            #"[pid 26700] <... read resumed>"hi", 10) = 2"#,
            "[pid 26701] <... write resumed>)        = 2",
        ])
    }

    /// strace -f of fork(); child writes and _exit(3); parent waits:
    func testChildProcessExitsWhileParentWaits() {
        let h = FormatterHarness()
        let parent: UInt32 = 27437, child: UInt32 = 27438
        h.fork(parent, child: child)
        h.enter(parent, "wait4", [UInt64(UInt32.max), Self.bufPtr, 0, 0])
        h.call(child, "write", [1, Self.bufPtr, 1], in: [.buffer(1, "c")], ret: 1)
        h.enter(child, "exit_group", [3])
        h.taskExit(child, status: 3 << 8)
        h.exit(parent, "wait4", Int64(child), [.buffer(1, [0x00, 0x03, 0x00, 0x00])])
        h.signal(parent, signo: 17, code: 1,
                 siginfo: B.sigchldInfo(code: 1, pid: Int32(child), uid: 0, status: 3))
        h.enter(parent, "exit_group", [0])
        h.taskExit(parent, status: 0)
        assertLines(h, [
            "[pid 27437] wait4(-1,  <unfinished ...>",
            #"[pid 27438] write(1, "c", 1)            = 1"#,
            "[pid 27438] exit_group(3)               = ?",
            "[pid 27438] +++ exited with 3 +++",
            "<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 27438",
            "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=27438, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---",
            "exit_group(0)                           = ?",
            "+++ exited with 0 +++",
        ])
    }

    func testPidPrefixWidth() {
        // strace pads the pid to 5 characters: "[pid    42] ", and longer pids simply grow.
        let h = FormatterHarness()
        h.fork(42, child: 43)
        h.call(42, "close", [3], ret: 0)
        h.call(1_234_567, "close", [4], ret: 0)
        assertLines(h, [
            padded("[pid    42] close(3)", "= 0"),
            padded("[pid 1234567] close(4)", "= 0"),
        ])
    }

    // MARK: odd records

    /// strace 6.1 prints a syscall it has no name for as `syscall_0x<hex nr>` with six hex args
    /// (0 prints as `0`):
    ///   syscall_0x1f4(0xdead, 0, 0xffffffffffffffff, 0xffffff9c, 0x5, 0x6) = -1 ENOSYS (Function not implemented)
    ///   syscall_0x190(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)
    /// (0x1c3 itself is cachestat in cgtrace's table; strace 6.1 predates it and prints syscall_0x1c3.)
    func testUnknownSyscallNumbers() {
        let h = FormatterHarness()
        h.call(100, nr: 0x1f4, [0xdead, 0, UInt64.max, 0xffff_ff9c, 5, 6], ret: -38)
        h.call(100, nr: 0x190, [1, 2, 3, 4, 5, 6], ret: -38)
        h.call(100, nr: 0x3ff, [0, 0, 0, 0, 0, 0], ret: -38)
        assertLines(h, [
            "syscall_0x1f4(0xdead, 0, 0xffffffffffffffff, 0xffffff9c, 0x5, 0x6) = -1 ENOSYS (Function not implemented)",
            "syscall_0x190(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)",
            "syscall_0x3ff(0, 0, 0, 0, 0, 0)         = -1 ENOSYS (Function not implemented)",
        ])
    }

    func testExitWhoseEnterWasLost() {
        let h = FormatterHarness()
        // The kernel sends call 0 when it has no matching entry state.
        h.feed(B.exit(B.Origin(pid: 100), nr: 0, call: 0, ret: 2, captures: [.buffer(1, "hi")]))
        let lines = h.lines()
        XCTAssertEqual(lines, [padded("<... read resumed>)", "= 2")])
    }

    func testExitWithMismatchedCallNumber() {
        // An enter (call 1), then the exit of a later call (3) of the same thread: the records in
        // between were lost. Nothing may pair them; both still print.
        let h = FormatterHarness()
        h.feed(B.enter(B.Origin(pid: 100), nr: 0, call: 1, args: [3, Self.bufPtr, 10]))
        h.feed(B.exit(B.Origin(pid: 100), nr: 0, call: 3, ret: 2, captures: [.buffer(1, "hi")]))
        // Each half says what is missing: the first call's exit, the second call's entry.
        assertLines(h, [padded("read(3,  <exit lost>)", "= ?"), padded("<... read resumed> <entry lost>)", "= 2")])
    }

    // MARK: signals

    func testSigchldLine() {
        let h = FormatterHarness()
        h.signal(100, signo: 17, code: 1, siginfo: B.sigchldInfo(code: 1, pid: 27438, uid: 0, status: 0))
        // strace -e signal=all, child killed by SIGKILL:
        h.signal(100, signo: 17, code: 2, siginfo: B.sigchldInfo(code: 2, pid: 28477, uid: 0, status: 9))
        assertLines(h, [
            "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=27438, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
            "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=28477, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0} ---",
        ])
    }

    func testSignalSentByKill() {
        // kill(28476, SIGUSR1) = 0 ; --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=28476, si_uid=0} ---
        let h = FormatterHarness()
        h.call(28476, "kill", [28476, 10], ret: 0)
        h.signal(28476, signo: 10, code: 0, siginfo: B.killInfo(signo: 10, pid: 28476, uid: 0))
        assertLines(h, [
            padded("kill(28476, SIGUSR1)", "= 0"),
            "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=28476, si_uid=0} ---",
        ])
    }

    /// A fatal signal a process sends itself: the kernel reports it (signal_generate) while
    /// kill is still running, and the task dies with no delivery event. strace 6.1 prints the
    /// call, then the signal, then the death:
    ///   kill(21507, SIGTERM) = 0
    ///   --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=21507, si_uid=0} ---
    ///   +++ killed by SIGTERM +++
    func testSignalSentToItselfDuringACallPrintsAfterTheCall() {
        let h = FormatterHarness()
        h.enter(21507, "kill", [21507, 15])
        h.signal(21507, signo: 15, code: 0, siginfo: B.killInfo(signo: 15, pid: 21507, uid: 0))
        h.exit(21507, "kill", 0)
        h.taskExit(21507, status: 15)
        assertLines(h, [
            padded("kill(21507, SIGTERM)", "= 0"),
            "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=21507, si_uid=0} ---",
            "+++ killed by SIGTERM +++",
        ])
    }

    /// A signal for one task while another is inside a call: the call is shown unfinished first.
    /// strace 6.1 -f (thread 4343 tgkills itself while 4342 reads a pipe):
    ///   [pid  4342] read(3,  <unfinished ...>
    ///   [pid  4343] tgkill(4342, 4343, SIGUSR1) = 0
    ///   [pid  4343] --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4342, si_uid=0} ---
    ///   [pid  4342] <... read resumed>"\n", 10) = 1
    func testSignalInterruptsAnotherTasksCall() {
        let h = FormatterHarness()
        h.fork(4342, child: 4342, childTid: 4343)
        h.enter(4342, "read", [3, Self.bufPtr, 10])
        h.call(4342, tid: 4343, "tgkill", [4342, 4343, 10], ret: 0)
        h.signal(4342, tid: 4343, signo: 10, code: -6, siginfo: B.killInfo(signo: 10, code: -6, pid: 4342, uid: 0))
        h.exit(4342, "read", 1, [.buffer(1, "\n")])
        assertLines(h, [
            "[pid  4342] read(3,  <unfinished ...>",
            "[pid  4343] tgkill(4342, 4343, SIGUSR1) = 0",
            "[pid  4343] --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4342, si_uid=0} ---",
            #"[pid  4342] <... read resumed>"\n", 10) = 1"#,
        ])
    }

    /// --decode-pids=pidns: a container's tasks by their numbers in its pid namespace (the
    /// kernel's pidns records: one for a task that ran before, one with a fork's child); host
    /// numbers without the option.
    func testPidPrefixesInTheTasksOwnNamespace() {
        func run(_ h: FormatterHarness) -> [String] {
            h.pidns(5000, of: (5000, 5000), ns: (1, 1))
            h.call(5000, "getpid", [], ret: 1)
            h.fork(5000, child: 5001)
            h.pidns(5000, of: (5001, 5001), ns: (7, 7))
            h.call(5001, "getpid", [], ret: 7)
            h.call(5000, "getpid", [], ret: 1)
            h.taskExit(5001, status: 0)
            h.call(5000, "getpid", [], ret: 1)
            return h.lines()
        }
        XCTAssertEqual(run(FormatterHarness(pidsInNamespace: true)), [
            padded("getpid()", "= 1"),
            padded("[pid     7] getpid()", "= 7"),
            padded("[pid     1] getpid()", "= 1"),
            "[pid     7] +++ exited with 0 +++",
            padded("getpid()", "= 1"),
        ])
        XCTAssertEqual(run(FormatterHarness()), [
            padded("getpid()", "= 1"),
            padded("[pid  5001] getpid()", "= 7"),
            padded("[pid  5000] getpid()", "= 1"),
            "[pid  5001] +++ exited with 0 +++",
            padded("getpid()", "= 1"),
        ])
    }

    /// A thread that execs takes its leader's tid, and in the namespace its leader's number.
    func testNamespacePidsFollowANonLeaderExec() {
        var ids = NamespacePids()
        guard case .pidNamespace(let n) = try? RecordParser.decode(B.pidns(B.Origin(pid: 5000, tid: 5000), tid: 5002, pid: 5000, nsTid: 3, nsPid: 1)),
              case .exec(let x) = try? RecordParser.decode(B.exec(B.Origin(pid: 5000, tid: 5000), oldTid: 5002, comm: "sh")) else {
            return XCTFail("records did not decode")
        }
        ids.observe(n)
        XCTAssertEqual(ids[5002]?.tid, 3)
        ids.observe(x)
        XCTAssertNil(ids[5002])
        XCTAssertEqual(ids[5000]?.pid, 1)
        XCTAssertEqual(ids[5000]?.tid, 1)
    }

    /// Live tracing looks tasks the kernel did not report up in /proc/TID/status (NStgid, NSpid:
    /// host first, innermost namespace last); dumps never do.
    func testNamespacePidsFromProcStatus() throws {
        let status = "Name:\tsh\nTgid:\t27241\nNStgid:\t27241\t1\nNSpid:\t27243\t3\nNSpgid:\t27241\t1\n"
        XCTAssertEqual(NamespacePids.parseStatus(status).map { [$0.pid, $0.tid] }, [1, 3])
        XCTAssertNil(NamespacePids.parseStatus("NStgid:\t500\nNSpid:\t500\n"))  // the initial namespace
        let root = NSTemporaryDirectory() + "cgtrace-proc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/27243", withIntermediateDirectories: true)
        try status.write(toFile: root + "/27243/status", atomically: true, encoding: .utf8)
        var live = NamespacePids(procRoot: root)
        XCTAssertEqual(live.lookup(tid: 27243).map { [$0.pid, $0.tid] }, [1, 3])
        XCTAssertNil(live.lookup(tid: 27244))
        var replayed = NamespacePids()
        XCTAssertNil(replayed.lookup(tid: 27243))
    }
}
