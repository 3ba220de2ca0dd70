import Beautifiers
import CgtraceABI
import Decoder
@testable import Fuzzing
import Recorder
import XCTest

/// The byte offsets the Swift side reads and writes in the records of cgtrace_abi.h, checked
/// against the C structs themselves (as Swift imports them through CgtraceABI, i.e. with the C
/// compiler's layout).
///
/// RecordParser, MappingRecord, the -y/-k readers, the recorder's replay and the test-side
/// RecordBuilder each spell their offsets as literals (the parser's are folded into its loads;
/// it runs millions of times a second). Rather than repeat every literal here, each test fills
/// every field of the C struct with a distinct value, lays out the record as the kernel would
/// (the struct's own bytes), and requires the Swift reader to return exactly those values; and
/// RecordBuilder's bytes are read back through the C structs. A reader that uses a wrong offset,
/// or an ABI change the Swift side did not follow, fails here.
final class ABILayoutTests: XCTestCase {
    // MARK: Building records from the C structs

    static func bytes<T>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    /// A header with a distinct value in every field (type and size set per record).
    static var header: cgt_header {
        var h = cgt_header()
        h.cpu = 0x0102
        h.flags = 0x0304
        h.pid = 0x0506_0708
        h.tid = 0x090a_0b0c
        h.ts = 0x1112_1314_1516_1718
        h.seq = 0x2122_2324_2526_2728
        return h
    }

    /// `header`, `body` and `trailing` (captures) as one record, `size` covering it all.
    static func record<Body>(_ type: cgt_record_type, _ body: Body, trailing: [UInt8] = [],
                             header: cgt_header = header) -> [UInt8] {
        var h = header
        h.type = UInt16(type.rawValue)
        h.size = UInt16(MemoryLayout<cgt_header>.size + MemoryLayout<Body>.size + trailing.count)
        return bytes(of: h) + bytes(of: body) + trailing
    }

    /// One capture: its cgt_capture header, the data, zero padding to 8 bytes.
    static func capture(arg: UInt8, kind: cgt_capture_kind, flags: UInt16 = 0, index: UInt16 = 0,
                        _ data: [UInt8]) -> [UInt8] {
        var c = cgt_capture()
        c.arg = arg
        c.kind = UInt8(kind.rawValue)
        c.len = UInt16(data.count)
        c.flags = flags
        c.index = index
        return bytes(of: c) + data + [UInt8](repeating: 0, count: (8 - data.count % 8) % 8)
    }

    static func fill<T>(_ field: inout T, from first: UInt8) {
        withUnsafeMutableBytes(of: &field) { raw in
            for i in raw.indices { raw[i] = first &+ UInt8(truncatingIfNeeded: i) }
        }
    }

    static func setText<T>(_ field: inout T, _ text: String) {
        withUnsafeMutableBytes(of: &field) { raw in
            for (i, b) in text.utf8.prefix(raw.count).enumerated() { raw[i] = b }
        }
    }

    func assertHeader(_ h: RecordHeader, _ type: cgt_record_type, size: Int, file: StaticString = #filePath, line: UInt = #line) {
        let c = Self.header
        XCTAssertEqual(h.type, UInt16(type.rawValue), file: file, line: line)
        XCTAssertEqual(Int(h.size), size, file: file, line: line)
        XCTAssertEqual(h.cpu, c.cpu, file: file, line: line)
        XCTAssertEqual(h.flags, c.flags, file: file, line: line)
        XCTAssertEqual(h.pid, c.pid, file: file, line: line)
        XCTAssertEqual(h.tid, c.tid, file: file, line: line)
        XCTAssertEqual(h.timestamp, c.ts, file: file, line: line)
        XCTAssertEqual(h.sequence, c.seq, file: file, line: line)
    }

    // MARK: The structs themselves

    /// Swift's `size` of an imported struct leaves out trailing padding that C's sizeof counts;
    /// the readers use `size` as the fixed part of a record, so no record struct may have any.
    func testRecordStructsHaveNoTrailingPaddingAndKeepEightByteAlignment() {
        func check<T>(_: T.Type, _ name: String) {
            XCTAssertEqual(MemoryLayout<T>.size, MemoryLayout<T>.stride, "\(name) has trailing padding")
            XCTAssertEqual(MemoryLayout<T>.size % 8, 0, "\(name) is not a multiple of 8 bytes")
        }
        check(cgt_header.self, "cgt_header")
        check(cgt_sys_enter.self, "cgt_sys_enter")
        check(cgt_sys_exit.self, "cgt_sys_exit")
        check(cgt_capture.self, "cgt_capture")
        check(cgt_signal.self, "cgt_signal")
        check(cgt_task_exit.self, "cgt_task_exit")
        check(cgt_fork.self, "cgt_fork")
        check(cgt_exec.self, "cgt_exec")
        check(cgt_lost.self, "cgt_lost")
        check(cgt_pidns.self, "cgt_pidns")
        check(cgt_map.self, "cgt_map")
        check(cgt_user_regs.self, "cgt_user_regs")
        check(cgt_fd_info.self, "cgt_fd_info")
        check(cgt_sock_info.self, "cgt_sock_info")
    }

    // MARK: RecordParser, one test per record type

    func testSysEnterFields() throws {
        var e = cgt_sys_enter()
        e.nr = 0x3132_3334
        e.call = 0x3536_3738
        e.args = (0x4100_0000_0000_0001, 0x4200_0000_0000_0002, 0x4300_0000_0000_0003,
                  0x4400_0000_0000_0004, 0x4500_0000_0000_0005, 0x4600_0000_0000_0006)
        let cap = Self.capture(arg: 2, kind: CGT_CAP_BUF, flags: 0x5152, index: 0x5354, [1, 2, 3, 4, 5])
        let bytes = Self.record(CGT_REC_SYS_ENTER, e, trailing: cap)
        guard case .enter(let r) = try RecordParser.decode(bytes) else { return XCTFail("not an enter") }
        assertHeader(r.header, CGT_REC_SYS_ENTER, size: bytes.count)
        XCTAssertEqual(r.number, Int(e.nr))
        XCTAssertEqual(r.call, e.call)
        let args = withUnsafeBytes(of: e.args) { Array($0.bindMemory(to: UInt64.self)) }
        XCTAssertEqual((0..<Int(CGT_MAX_ARGS)).map { r.args[$0] }, args)
        XCTAssertEqual(r.captures.count, 1)
        let c = try XCTUnwrap(r.captures.first)
        XCTAssertEqual(c.kind, .buffer)
        XCTAssertEqual([c.arg, Int(c.flags), c.index], [2, 0x5152, 0x5354])
        XCTAssertEqual(Array(c.bytes), [1, 2, 3, 4, 5])
    }

    func testSysExitFields() throws {
        var x = cgt_sys_exit()
        x.nr = 0x3132_3334
        x.call = 0x3536_3738
        x.ret = -0x0102_0304_0506
        x.enter_ts = 0x4142_4344_4546_4748
        let bytes = Self.record(CGT_REC_SYS_EXIT, x)
        guard case .exit(let r) = try RecordParser.decode(bytes) else { return XCTFail("not an exit") }
        assertHeader(r.header, CGT_REC_SYS_EXIT, size: bytes.count)
        XCTAssertEqual(r.number, Int(x.nr))
        XCTAssertEqual(r.call, x.call)
        XCTAssertEqual(r.ret, x.ret)
        XCTAssertEqual(r.enterTimestamp, x.enter_ts)
        XCTAssertEqual(r.captures, [])
    }

    func testSignalFields() throws {
        var s = cgt_signal()
        s.signo = 0x0102_0304
        s.errno_ = 0x1112_1314
        s.code = -0x2122_2324
        Self.fill(&s.siginfo, from: 0x80)
        let bytes = Self.record(CGT_REC_SIGNAL, s)
        guard case .signal(let r) = try RecordParser.decode(bytes) else { return XCTFail("not a signal") }
        assertHeader(r.header, CGT_REC_SIGNAL, size: bytes.count)
        XCTAssertEqual(r.signo, Int32(bitPattern: s.signo))
        XCTAssertEqual(r.errno, s.errno_)
        XCTAssertEqual(r.code, s.code)
        XCTAssertEqual(r.siginfo, Self.bytes(of: s.siginfo))
    }

    func testTaskExitFields() throws {
        var x = cgt_task_exit()
        x.exit_code = 0x0102_0304
        x.group_dead = 1
        let bytes = Self.record(CGT_REC_EXIT, x)
        guard case .taskExit(let r) = try RecordParser.decode(bytes) else { return XCTFail("not a task exit") }
        assertHeader(r.header, CGT_REC_EXIT, size: bytes.count)
        XCTAssertEqual(r.status, x.exit_code)
        XCTAssertTrue(r.groupDead)
        x.group_dead = 0
        guard case .taskExit(let alive) = try RecordParser.decode(Self.record(CGT_REC_EXIT, x)) else { return XCTFail() }
        XCTAssertFalse(alive.groupDead)
    }

    func testForkFields() throws {
        var f = cgt_fork()
        f.child_pid = 0x0102_0304
        f.child_tid = 0x1112_1314
        Self.setText(&f.comm, "worker-thread-01")  // all 16 bytes: no NUL in the field
        let bytes = Self.record(CGT_REC_FORK, f)
        guard case .fork(let r) = try RecordParser.decode(bytes) else { return XCTFail("not a fork") }
        assertHeader(r.header, CGT_REC_FORK, size: bytes.count)
        XCTAssertEqual(r.childPid, f.child_pid)
        XCTAssertEqual(r.childTid, f.child_tid)
        XCTAssertEqual(r.comm, "worker-thread-01")
    }

    func testExecFields() throws {
        var x = cgt_exec()
        x.old_tid = 0x0102_0304
        x.pad = 0xffff_ffff  // not part of the name
        Self.setText(&x.comm, "sh")
        let bytes = Self.record(CGT_REC_EXEC, x)
        guard case .exec(let r) = try RecordParser.decode(bytes) else { return XCTFail("not an exec") }
        assertHeader(r.header, CGT_REC_EXEC, size: bytes.count)
        XCTAssertEqual(r.oldTid, x.old_tid)
        XCTAssertEqual(r.comm, "sh")
    }

    func testLostFields() throws {
        var l = cgt_lost()
        l.records = 0x0102_0304_0506_0708
        l.first_ts = 0x1112_1314_1516_1718
        l.last_ts = 0x2122_2324_2526_2728
        l.cpus = 1 << 1 | 1 << 5 | 1 << 63
        l.ntids = 3
        l.more_tids = 1
        withUnsafeMutableBytes(of: &l.tids) { raw in
            let tids = raw.bindMemory(to: UInt32.self)
            for i in tids.indices { tids[i] = 0x4100_0000 + UInt32(i) }
        }
        let bytes = Self.record(CGT_REC_LOST, l)
        guard case .lost(let r) = try RecordParser.decode(bytes) else { return XCTFail("not a loss") }
        assertHeader(r.header, CGT_REC_LOST, size: bytes.count)
        XCTAssertEqual(r.records, l.records)
        XCTAssertEqual(r.firstTimestamp, l.first_ts)
        XCTAssertEqual(r.lastTimestamp, l.last_ts)
        XCTAssertEqual(r.cpus, [1, 5, 63])
        XCTAssertEqual(r.tids, [0x4100_0000, 0x4100_0001, 0x4100_0002])
        XCTAssertTrue(r.moreThreads)
    }

    func testPidNamespaceFields() throws {
        var n = cgt_pidns()
        n.tid = 0x0102_0304
        n.pid = 0x1112_1314
        n.ns_tid = 0x2122_2324
        n.ns_pid = 0x3132_3334
        n.level = 0x4142_4344
        let bytes = Self.record(CGT_REC_PIDNS, n)
        guard case .pidNamespace(let r) = try RecordParser.decode(bytes) else { return XCTFail("not a pidns") }
        assertHeader(r.header, CGT_REC_PIDNS, size: bytes.count)
        XCTAssertEqual(r.tid, n.tid)
        XCTAssertEqual(r.pid, n.pid)
        XCTAssertEqual(r.nsTid, n.ns_tid)
        XCTAssertEqual(r.nsPid, n.ns_pid)
        XCTAssertEqual(r.level, n.level)
    }

    /// Every record type the parser knows is covered above.
    func testEveryRecordTypeOfTheParserIsCovered() {
        let covered: Set<UInt32> = [CGT_REC_SYS_ENTER, CGT_REC_SYS_EXIT, CGT_REC_SIGNAL, CGT_REC_EXIT, CGT_REC_FORK,
                                    CGT_REC_EXEC, CGT_REC_LOST, CGT_REC_PIDNS, CGT_REC_MAP].map(\.rawValue).reduce(into: []) { $0.insert($1) }
        for type in 0..<UInt32(64) where !covered.contains(type) {
            var h = Self.header
            h.type = UInt16(type)
            h.size = UInt16(MemoryLayout<cgt_header>.size)
            XCTAssertThrowsError(try RecordParser.decode(Self.bytes(of: h)), "record type \(type) decodes but is not checked here")
        }
    }

    // MARK: The other readers

    func testMappingRecordFields() throws {
        var m = cgt_map()
        m.start = 0x0102_0304_0506_0708
        m.end = 0x1112_1314_1516_1718
        m.pgoff = 0x2122_2324_2526_2728
        m.ino = 0x3132_3334_3536_3738
        m.dev = 0x4142_4344
        m.flags = CGT_MAPF_EXEC.rawValue
        let path = Self.capture(arg: 0, kind: CGT_CAP_FDPATH, index: 0, Array("libc.so.6".utf8))
            + Self.capture(arg: 0, kind: CGT_CAP_FDPATH, index: 1, Array("lib".utf8))
        let bytes = Self.record(CGT_REC_MAP, m, trailing: path)
        let r = try XCTUnwrap(MappingRecord.decode(bytes))
        assertHeader(r.header, CGT_REC_MAP, size: bytes.count)
        XCTAssertEqual(r.start, m.start)
        XCTAssertEqual(r.end, m.end)
        XCTAssertEqual(r.fileOffset, m.pgoff)
        XCTAssertEqual(r.inode, m.ino)
        XCTAssertEqual(r.device, m.dev)
        XCTAssertTrue(r.startsImage)
        XCTAssertEqual(r.path, "/lib/libc.so.6")
        m.flags = 0
        XCTAssertEqual(try MappingRecord.decode(Self.record(CGT_REC_MAP, m))?.startsImage, false)
    }

    func testUserRegistersOfAStackCapture() throws {
        var regs = cgt_user_regs()
        regs.ip = 0x0101; regs.sp = 0x0202; regs.bp = 0x0303; regs.bx = 0x0404
        regs.r12 = 0x0505; regs.r13 = 0x0606; regs.r14 = 0x0707; regs.r15 = 0x0808
        let stackArg = UInt8(CGT_ARG_STACK)
        let caps = Self.capture(arg: stackArg, kind: CGT_CAP_UREGS, Self.bytes(of: regs))
            + Self.capture(arg: stackArg, kind: CGT_CAP_USTACK, [9, 8, 7, 6, 5, 4, 3, 2])
        guard case .enter(let e) = try RecordParser.decode(Self.record(CGT_REC_SYS_ENTER, cgt_sys_enter(), trailing: caps)) else {
            return XCTFail("not an enter")
        }
        let snapshot = try XCTUnwrap(e.stackSnapshot)
        XCTAssertEqual(snapshot.registers, UserRegisters(ip: regs.ip, sp: regs.sp, bp: regs.bp, bx: regs.bx,
                                                         r12: regs.r12, r13: regs.r13, r14: regs.r14, r15: regs.r15))
        XCTAssertEqual(Array(snapshot.stack), [9, 8, 7, 6, 5, 4, 3, 2])
    }

    /// -y: argument 0's fd, as the kernel describes it (cgt_fd_info, then path components).
    func fdTarget(_ info: cgt_fd_info, components: [String] = [], socket: cgt_sock_info? = nil) throws -> String? {
        var caps: [UInt8] = []
        if let socket { caps += Self.capture(arg: 0, kind: CGT_CAP_SOCKINFO, Self.bytes(of: socket)) }
        for (i, c) in components.enumerated() {
            caps += Self.capture(arg: 0, kind: CGT_CAP_FDPATH, index: UInt16(i), Array(c.utf8))
        }
        caps += Self.capture(arg: 0, kind: CGT_CAP_FDINFO, Self.bytes(of: info))
        guard case .enter(let e) = try RecordParser.decode(Self.record(CGT_REC_SYS_ENTER, cgt_sys_enter(), trailing: caps)) else {
            XCTFail("not an enter")
            return nil
        }
        return CallView(enter: e, exit: nil, stringLimit: 32).fdTarget(0)
    }

    func testFdInfoFields() throws {
        var pipe = cgt_fd_info()
        pipe.kind = CGT_FD_PIPE.rawValue
        pipe.ino = 0x0102_0304_0506
        XCTAssertEqual(try fdTarget(pipe), "pipe:[\(pipe.ino)]")

        var device = cgt_fd_info()
        device.kind = CGT_FD_FILE.rawValue
        device.flags = CGT_FDF_TRUNCATED.rawValue | CGT_FDF_DELETED.rawValue
        device.mode = 0o020666
        device.rdev = 1 << 20 | 3
        XCTAssertEqual(try fdTarget(device, components: ["null", "dev"]), ".../dev/null<char 1:3> (deleted)")
    }

    func testSockInfoFields() throws {
        var info = cgt_fd_info()
        info.kind = CGT_FD_SOCKET.rawValue
        info.ino = 4242

        var tcp = cgt_sock_info()
        tcp.family = 2
        tcp.type = 1
        tcp.protocol = 6
        tcp.local_port = 43957
        tcp.remote_port = 51412
        Self.fill(&tcp.local_addr, from: 127)   // 127.128.129.130
        Self.fill(&tcp.remote_addr, from: 10)   // 10.11.12.13
        XCTAssertEqual(try fdTarget(info, socket: tcp), "TCP:[127.128.129.130:43957->10.11.12.13:51412]")

        var unix = cgt_sock_info()
        unix.family = 1
        unix.type = 1
        withUnsafeMutableBytes(of: &unix.remote_addr) { $0.storeBytes(of: UInt64(777).littleEndian, as: UInt64.self) }
        XCTAssertEqual(try fdTarget(info, socket: unix), "UNIX-STREAM:[4242->777]")

        var netlink = cgt_sock_info()
        netlink.family = 16
        netlink.protocol = 0
        withUnsafeMutableBytes(of: &netlink.local_addr) { $0.storeBytes(of: UInt32(1234).littleEndian, as: UInt32.self) }
        XCTAssertEqual(try fdTarget(info, socket: netlink), "NETLINK:[ROUTE:1234]")
    }

    /// The recorder places a slot's record by its header's seq and cpu, and trims a cut record by
    /// its declared size and its captures' lengths.
    func testReplayReadsSeqCpuSizeAndCaptureLengths() throws {
        var h = Self.header
        h.cpu = 3
        h.seq = 5
        var x = cgt_sys_exit()
        x.nr = 1
        let whole = Self.record(CGT_REC_SYS_EXIT, x, trailing: Self.capture(arg: 1, kind: CGT_CAP_BUF, [1, 2, 3]), header: h)
        let kept = ReplayBuilder.build(cpus: [CPUSlots(cpu: 3, head: 6, records: [(slot: 1, bytes: whole)])], slotsPerCPU: 4)
        XCTAssertEqual(kept.records.count, 1)
        XCTAssertEqual(kept.malformed, 0)
        XCTAssertEqual(kept.overwritten, 5)
        // Same bytes on another CPU's list, or in another slot: not where its seq puts it.
        XCTAssertEqual(ReplayBuilder.build(cpus: [CPUSlots(cpu: 2, head: 6, records: [(slot: 1, bytes: whole)])],
                                           slotsPerCPU: 4).records.count, 0)
        XCTAssertEqual(ReplayBuilder.build(cpus: [CPUSlots(cpu: 3, head: 6, records: [(slot: 2, bytes: whole)])],
                                           slotsPerCPU: 4).records.count, 0)
        // A record cut at the slot's end: the first capture whole, the second cut off.
        let long = Self.record(CGT_REC_SYS_EXIT, x, trailing: Self.capture(arg: 1, kind: CGT_CAP_BUF, [1, 2, 3])
                                   + Self.capture(arg: 2, kind: CGT_CAP_BUF, [UInt8](repeating: 7, count: 40)), header: h)
        let cut = Array(long.prefix(long.count - 16))
        let trimmed = ReplayBuilder.build(cpus: [CPUSlots(cpu: 3, head: 6, records: [(slot: 1, bytes: cut)])], slotsPerCPU: 4)
        XCTAssertEqual(trimmed.cut, 1)
        guard case .exit(let r)? = trimmed.records.first else { return XCTFail("the cut record is gone") }
        XCTAssertEqual(r.captures.map(\.arg), [1])
        XCTAssertEqual(Int(r.header.size), whole.count)
    }

    // MARK: The test-side and bench-side builders

    static func load<T>(_ bytes: [UInt8], at offset: Int, as: T.Type) -> T {
        precondition(offset + MemoryLayout<T>.size <= bytes.count)
        return bytes.withUnsafeBytes { raw in
            var value = T?.none
            withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { slot in
                let target = UnsafeMutableRawBufferPointer(slot)
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + MemoryLayout<T>.size)]))
                value = slot[0]
            }
            return value!
        }
    }

    func testRecordBuilderWritesTheCStructs() {
        let o = RecordBuilder.Origin(pid: 0x0102_0304, tid: 0x1112_1314, cpu: 0x2122, ts: 0x3132_3334_3536_3738,
                                     seq: 0x4142_4344_4546_4748, flags: 0x5152)
        let hsize = MemoryLayout<cgt_header>.size
        func checkHeader(_ bytes: [UInt8], _ type: cgt_record_type, line: UInt = #line) {
            let h = Self.load(bytes, at: 0, as: cgt_header.self)
            XCTAssertEqual(h.type, UInt16(type.rawValue), line: line)
            XCTAssertEqual(Int(h.size), bytes.count, line: line)
            XCTAssertEqual(h.cpu, o.cpu, line: line)
            XCTAssertEqual(h.flags, o.flags, line: line)
            XCTAssertEqual(h.pid, o.pid, line: line)
            XCTAssertEqual(h.tid, o.tid, line: line)
            XCTAssertEqual(h.ts, o.ts, line: line)
            XCTAssertEqual(h.seq, o.seq, line: line)
        }

        let args: [UInt64] = [11, 12, 13, 14, 15, 16]
        let enter = RecordBuilder.enter(o, nr: 0x61, call: 0x62, args: args,
                                        captures: [RecordBuilder.Cap(arg: 3, kind: .count, flags: 0x0506, index: 0x0708, data: [9, 9])])
        checkHeader(enter, CGT_REC_SYS_ENTER)
        let e = Self.load(enter, at: hsize, as: cgt_sys_enter.self)
        XCTAssertEqual(e.nr, 0x61)
        XCTAssertEqual(e.call, 0x62)
        XCTAssertEqual(withUnsafeBytes(of: e.args) { Array($0.bindMemory(to: UInt64.self)) }, args)
        let c = Self.load(enter, at: hsize + MemoryLayout<cgt_sys_enter>.size, as: cgt_capture.self)
        XCTAssertEqual([c.arg, c.kind], [3, 4])
        XCTAssertEqual([c.len, c.flags, c.index], [2, 0x0506, 0x0708])

        let exit = RecordBuilder.exit(o, nr: 0x71, call: 0x72, ret: -0x7374, enterTs: 0x7576)
        checkHeader(exit, CGT_REC_SYS_EXIT)
        let x = Self.load(exit, at: hsize, as: cgt_sys_exit.self)
        XCTAssertEqual([x.nr, x.call], [0x71, 0x72])
        XCTAssertEqual(x.ret, -0x7374)
        XCTAssertEqual(x.enter_ts, 0x7576)

        let info = (0..<48).map { UInt8($0 + 1) }
        let signal = RecordBuilder.signal(o, signo: 0x11, errno: 0x12, code: -0x13, siginfo: info)
        checkHeader(signal, CGT_REC_SIGNAL)
        let s = Self.load(signal, at: hsize, as: cgt_signal.self)
        XCTAssertEqual([Int32(bitPattern: s.signo), s.errno_, s.code], [0x11, 0x12, -0x13])
        XCTAssertEqual(Self.bytes(of: s.siginfo), info)

        let taskExit = RecordBuilder.taskExit(o, status: 0x2122, groupDead: true)
        checkHeader(taskExit, CGT_REC_EXIT)
        let t = Self.load(taskExit, at: hsize, as: cgt_task_exit.self)
        XCTAssertEqual([t.exit_code, t.group_dead], [0x2122, 1])

        let fork = RecordBuilder.fork(o, childPid: 0x31, childTid: 0x32, comm: "kid")
        checkHeader(fork, CGT_REC_FORK)
        let f = Self.load(fork, at: hsize, as: cgt_fork.self)
        XCTAssertEqual([f.child_pid, f.child_tid], [0x31, 0x32])
        XCTAssertEqual(Self.bytes(of: f.comm).prefix(4), [UInt8(ascii: "k"), UInt8(ascii: "i"), UInt8(ascii: "d"), 0])

        let exec = RecordBuilder.exec(o, oldTid: 0x41, comm: "sh")
        checkHeader(exec, CGT_REC_EXEC)
        let ex = Self.load(exec, at: hsize, as: cgt_exec.self)
        XCTAssertEqual(ex.old_tid, 0x41)
        XCTAssertEqual(Self.bytes(of: ex.comm).prefix(3), [UInt8(ascii: "s"), UInt8(ascii: "h"), 0])

        let pidns = RecordBuilder.pidns(o, tid: 0x51, pid: 0x52, nsTid: 0x53, nsPid: 0x54, level: 0x55)
        checkHeader(pidns, CGT_REC_PIDNS)
        let n = Self.load(pidns, at: hsize, as: cgt_pidns.self)
        XCTAssertEqual([n.tid, n.pid, n.ns_tid, n.ns_pid, n.level], [0x51, 0x52, 0x53, 0x54, 0x55])
    }

    /// The consumer bench patches each record's seq and call in place; its records must decode
    /// to the calls it means (a wrong offset would silently bench nothing: it skips what fails).
    func testConsumerBenchRecordsDecodeWithTheirStampedSeqAndCall() throws {
        var stream = ConsumerBench.ddStream(pairs: 1)
        XCTAssertEqual(stream.count, 4)
        for i in stream.indices {
            ConsumerBench.stamp(&stream[i], seq: 100 + UInt64(i), call: 200 + UInt32(i))
            let record = try RecordParser.decode(stream[i])
            XCTAssertEqual(record.header.sequence, 100 + UInt64(i))
            switch record {
            case .enter(let e): XCTAssertEqual(e.call, 200 + UInt32(i))
            case .exit(let x): XCTAssertEqual(x.call, 200 + UInt32(i))
            default: XCTFail("record \(i) is \(record)")
            }
        }
        guard case .enter(let read) = try RecordParser.decode(stream[0]), case .exit(let readDone) = try RecordParser.decode(stream[1]),
              case .enter(let write) = try RecordParser.decode(stream[2]) else { return XCTFail("not read/write pairs") }
        XCTAssertEqual([read.number, readDone.number, write.number], [0, 0, 1])
        XCTAssertEqual([read.args[0], read.args[1], read.args[2]], [0, 0x7ffc_0000_1000, 1])
        XCTAssertEqual(readDone.ret, 1)
        XCTAssertEqual(readDone.captures.map(\.arg), [1])
        XCTAssertEqual(write.captures.map(\.bytes), [[0][...]])
    }
}
