import BTF
import Beautifiers
import Decoder
import Formatters
import Syscalls
import XCTest

/// Generic struct decoding from BTF, kernel-free: layouts come from a small BTF blob
/// (Fixtures/uapi-types.btf, made by scripts/gen-btf-fixture.sh from scripts/data/btf-fixture/uapi-types.c) and records
/// are built as the probes build them for cachestat, listmount, statmount, mount_setattr,
/// futex_waitv and landlock_add_rule.
final class BTFDecodingTests: XCTestCase {
    typealias W = RecordBuilder.ByteWriter

    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/uapi-types.btf").path

    static func fixture() throws -> BTFFile { try BTFFile(path: fixturePath) }

    /// x86_64 formats with the fixture's layouts for the structs no hand decoder covers.
    static func formats(_ table: SyscallTable = .x86_64) throws -> SyscallFormats {
        SyscallFormats(table: table, types: KernelTypes(for: table, btf: try fixture()))
    }

    static let p1: UInt64 = 0x7ffe_f79e_b060
    static let p2: UInt64 = 0x7ffe_f79e_b030

    func testReaderFindsStructsEnumsAndSizes() throws {
        let btf = try Self.fixture()
        let records = btf.records(["cachestat_range", "statmount", "mnt_id_req", "futex_waitv", "no_such_struct"])
        XCTAssertEqual(records["cachestat_range"]?.fields.map(\.name), ["off", "len"])
        XCTAssertEqual(records["cachestat_range"]?.size, 16)
        XCTAssertEqual(records["mnt_id_req"]?.size, 32)
        XCTAssertEqual(records["futex_waitv"]?.field("flags")?.offset, 16)
        XCTAssertEqual(records["statmount"]?.size, 512)
        XCTAssertEqual(records["statmount"]?.field("supported_mask")?.offset, 144)
        XCTAssertNil(records["no_such_struct"])
        let e = btf.enums(["landlock_rule_type"])["landlock_rule_type"]
        XCTAssertEqual(e?.name(for: 2), "LANDLOCK_RULE_NET_PORT")
        XCTAssertEqual(e?.size, 4)
    }

    func testReadAndMappedFilesAgree() throws {
        let mapped = try Self.fixture(), read = try BTFFile(path: Self.fixturePath, map: false)
        XCTAssertEqual(mapped.typeCount, read.typeCount)
        XCTAssertEqual(read.records(["statmount"])["statmount"]?.fields.map(\.name),
                       mapped.records(["statmount"])["statmount"]?.fields.map(\.name))
        XCTAssertThrowsError(try BTFFile(path: "/nonexistent/btf"))
    }

    func testMalformedBTFIsAnErrorNotACrash() {
        XCTAssertThrowsError(try BTFFile(bytes: [1, 2, 3]))
        XCTAssertThrowsError(try BTFFile(bytes: [0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0] + Array(repeating: 0, count: 8)))
        // A type section that claims a member list longer than itself.
        var w = W()
        w.u16(0xeb9f); w.u8(1); w.u8(0); w.u32(24); w.u32(0); w.u32(12); w.u32(12); w.u32(1)
        w.u32(0); w.u32(4 << 24 | 5); w.u32(8)  // a struct with five members and no room for them
        w.u8(0)
        XCTAssertThrowsError(try BTFFile(bytes: w.bytes))
    }

    /// Corrupted blobs (random bytes overwritten) either fail to open or resolve to some layout:
    /// never a trap, never endless recursion.
    func testCorruptedBlobsNeverTrap() throws {
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: Self.fixturePath)))
        var rng = SystemRandomNumberGenerator()
        let names: Set<String> = ["statmount", "cgt_fixture_nested", "stat", "clone_args", "sigaltstack"]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...16, using: &rng) {
                bytes[Int.random(in: 24..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            guard let btf = try? BTFFile(bytes: bytes) else { continue }
            for (_, r) in btf.records(names) {
                let sink = StraceTextSink()
                BTFStructs.printRecord(r, bytes.prefix(600), at: 0, sink, CallView(enter: nil, exit: nil, stringLimit: 32))
            }
            _ = btf.enums(["landlock_rule_type"])
        }
    }

    func testCachestatInAtEntryOutAtExit() throws {
        let h = FormatterHarness(formats: try Self.formats())
        var range = W(); range.u64(0); range.u64(4096)
        var stat = W(); for v: UInt64 in [1, 2, 0, 3, 0] { stat.u64(v) }
        h.call(100, "cachestat", [3, Self.p1, Self.p2, 0], in: [.buffer(1, range.bytes)], ret: 0, out: [.buffer(2, stat.bytes)])
        // A failed call leaves the out-parameter unwritten: its address.
        h.call(100, "cachestat", [3, Self.p1, Self.p2, 0], in: [.buffer(1, range.bytes)], ret: -9)
        XCTAssertEqual(h.lines().map(StructDecoderTests.unpadded), [
            "cachestat(3, {off=0, len=4096}, {nr_cache=1, nr_dirty=2, nr_writeback=0, nr_evicted=3, nr_recently_evicted=0}, 0) = 0",
            "cachestat(3, {off=0, len=4096}, 0x7ffef79eb030, 0) = -1 EBADF (Bad file descriptor)",
        ])
    }

    func testListmountAndStatmount() throws {
        let h = FormatterHarness(formats: try Self.formats())
        var req = W(); req.u32(32); req.u32(0); req.u64(0x1000_0000_0000_0001); req.u64(0); req.u64(0)
        h.call(100, "listmount", [Self.p1, Self.p2, 8, 0], in: [.buffer(0, req.bytes)], ret: 2)
        // A caller built for an older kernel says its struct is 24 bytes (MNT_ID_REQ_SIZE_VER0):
        // the fields past its size are not its own.
        var old = req.bytes; old[0] = 24
        h.call(100, "listmount", [Self.p1, Self.p2, 8, 0], in: [.buffer(0, old)], ret: 2)
        var sm = W()
        sm.u32(512); sm.u32(0); sm.u64(0x1 | 0x4)     // size, mnt_opts, mask
        sm.u32(0); sm.u32(21); sm.u64(0x9123683e)     // sb_dev_major/minor, sb_magic
        sm.zeros(512 - sm.bytes.count)
        h.call(100, "statmount", [Self.p1, Self.p2, 2048, 0], in: [.buffer(0, req.bytes)], ret: 0, out: [.buffer(1, sm.bytes)])
        // An unreadable request prints as its address, as today.
        h.call(100, "statmount", [Self.p1, Self.p2, 2048, 0], in: [.faulted(0, kind: .buffer)], ret: -14)
        var lines = h.lines().map(StructDecoderTests.unpadded)
        XCTAssertEqual(lines[0], "listmount({size=32, mnt_ns_fd=0, mnt_id=1152921504606846977, param=0, mnt_ns_id=0}, 0x7ffef79eb030, 8, 0) = 2")
        XCTAssertEqual(lines[1], "listmount({size=24, mnt_ns_fd=0, mnt_id=1152921504606846977, param=0, ...}, 0x7ffef79eb030, 8, 0) = 2")
        lines.remove(at: 1)
        XCTAssertTrue(lines[1].hasPrefix("statmount({size=32, mnt_ns_fd=0, mnt_id=1152921504606846977, param=0, mnt_ns_id=0}, "
                                         + "{size=512, mnt_opts=0, mask=0x5, sb_dev_major=0, sb_dev_minor=21, sb_magic=0x9123683e, sb_flags=0, "), lines[1])
        // __spare2 is left out while zero; the flexible str[] has no elements to show.
        XCTAssertTrue(lines[1].hasSuffix("mnt_gidmap_num=0, mnt_gidmap=0}, 2048, 0) = 0"), lines[1])
        XCTAssertEqual(lines[2], "statmount(0x7ffef79eb060, 0x7ffef79eb030, 2048, 0) = -1 EFAULT (Bad address)")
    }

    func testMountSetattrCopiesWhatUsizeSays() throws {
        let h = FormatterHarness(formats: try Self.formats())
        var attr = W(); attr.u64(0x1); attr.u64(0); attr.u64(0x40000); attr.u64(0)
        let path: UInt64 = 0x5555_0000_1000
        h.call(100, "mount_setattr", [UInt64(bitPattern: -1), path, 0, Self.p1, 32],
               in: [.string(1, "/mnt"), .buffer(3, attr.bytes)], ret: -2)
        // The caller passed 16 bytes: the fields past them are not shown.
        h.call(100, "mount_setattr", [UInt64(bitPattern: -1), path, 0, Self.p1, 16],
               in: [.string(1, "/mnt"), .buffer(3, Array(attr.bytes.prefix(16)))], ret: -22)
        XCTAssertEqual(h.lines().map(StructDecoderTests.unpadded), [
            #"mount_setattr(-1, "/mnt", 0, {attr_set=0x1, attr_clr=0, propagation=0x40000, userns_fd=0}, 32) = -1 ENOENT (No such file or directory)"#,
            #"mount_setattr(-1, "/mnt", 0, {attr_set=0x1, attr_clr=0, ...}, 16) = -1 EINVAL (Invalid argument)"#,
        ])
    }

    /// file_getattr fills the struct (shown after the call); file_setattr only reads it, though
    /// the kernel declares both `struct file_attr *ufattr`.
    func testFileGetattrOutFileSetattrIn() throws {
        let h = FormatterHarness(formats: try Self.formats())
        var fa = W(); fa.u64(0x8); fa.u32(0); fa.u32(2); fa.u32(7); fa.u32(0)
        let path: UInt64 = 0x5555_0000_1000
        h.call(100, "file_getattr", [4294967196, path, Self.p1, 24, 0], in: [.string(1, "f")], ret: 0, out: [.buffer(2, fa.bytes)])
        h.call(100, "file_setattr", [4294967196, path, Self.p1, 24, 0], in: [.string(1, "f"), .buffer(2, fa.bytes)], ret: -95)
        XCTAssertEqual(h.lines().map(StructDecoderTests.unpadded), [
            #"file_getattr(AT_FDCWD, "f", {fa_xflags=0x8, fa_extsize=0, fa_nextents=2, fa_projid=7, fa_cowextsize=0}, 24, 0) = 0"#,
            #"file_setattr(AT_FDCWD, "f", {fa_xflags=0x8, fa_extsize=0, fa_nextents=2, fa_projid=7, fa_cowextsize=0}, 24, 0) = -1 EOPNOTSUPP (Operation not supported)"#,
        ])
    }

    func testFutexWaitvArrayAndEnumArgument() throws {
        let h = FormatterHarness(formats: try Self.formats())
        var w = W()
        for k in 0..<2 { w.u64(UInt64(k)); w.u64(0x7ffe_0000_1000 + UInt64(k) * 4); w.u32(0x82); w.u32(0) }
        h.call(100, "futex_waitv", [Self.p1, 2, 0, 0, 1], in: [.buffer(0, w.bytes)], ret: -11)
        h.call(100, "landlock_add_rule", [3, 2, Self.p2, 0], ret: -22)
        h.call(100, "landlock_add_rule", [3, 9, Self.p2, 0], ret: -22)
        let lines = h.lines().map(StructDecoderTests.unpadded)
        XCTAssertEqual(lines[0], "futex_waitv([{val=0, uaddr=0x7ffe00001000, flags=0x82}, {val=1, uaddr=0x7ffe00001004, flags=0x82}], 2, 0, NULL, 1)"
                       + " = -1 EAGAIN (Resource temporarily unavailable)")
        XCTAssertTrue(lines[1].hasPrefix("landlock_add_rule(3, LANDLOCK_RULE_NET_PORT, "), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("landlock_add_rule(3, 9, "), lines[2])
    }

    /// char arrays as strings, nested structs, arrays, bitfields, enum fields and an anonymous
    /// union (its first member), in text and JSON.
    func testGenericPrinterCornersInTextAndJSON() throws {
        let btf = try Self.fixture()
        let nested = try XCTUnwrap(btf.records(["cgt_fixture_nested"])["cgt_fixture_nested"])
        var w = W()
        w.bytes.append(contentsOf: Array("eth0".utf8) + [0, 0, 0, 0])
        w.u64(8); w.u64(16)                       // range
        w.u32(1); w.u32(2); w.u32(3)              // counts
        w.u32(0x5 | 0x123 << 4)                   // low : 4, high : 12
        w.u32(1)                                  // type
        w.u32(0)                                  // padding
        w.u64(0x80000)                            // flags
        w.u64(4000)                               // period (a union with freq)
        XCTAssertEqual(w.bytes.count, nested.size)
        let call = CallView(enter: nil, exit: nil, stringLimit: 32)
        let json = JSONSink()
        json.begin()
        json.argument("value")
        BTFStructs.printRecord(nested, w.bytes[...], at: 0, json, call)
        json.end()
        XCTAssertEqual(String(decoding: json.bytes.array, as: UTF8.self), #"{"value":{"name":"eth0","range":{"off":8,"len":16},"counts":[1,2,3],"low":5,"high":291,"#
                       + #""type":"LANDLOCK_RULE_PATH_BENEATH","flags":524288,"period":4000}}"#)
        let sink = StraceTextSink()
        BTFStructs.printRecord(nested, w.bytes[...], at: 0, sink, call)
        let text = String(decoding: sink.bytes.array, as: UTF8.self)
        XCTAssertEqual(text, #"{name="eth0", range={off=8, len=16}, counts=[1, 2, 3], low=5, high=291, type=LANDLOCK_RULE_PATH_BENEATH, flags=0x80000, period=4000}"#)
    }

    // MARK: the running kernel's table

    func testTracefsFormatParsing() {
        let format = """
        name: sys_enter_cachestat
        ID: 594
        format:
        \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
        \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

        \tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
        \tfield:unsigned int fd;\toffset:16;\tsize:8;\tsigned:0;
        \tfield:struct cachestat_range * cstat_range;\toffset:24;\tsize:8;\tsigned:0;
        \tfield:const char *const * argv;\toffset:32;\tsize:8;\tsigned:0;

        print fmt: "fd: 0x%08lx"
        """
        let args = KernelSyscalls.parseFormat(format)
        XCTAssertEqual(args?.map(\.name), ["fd", "cstat_range", "argv"])
        XCTAssertEqual(args?.map(\.type), ["unsigned int", "struct cachestat_range *", "const char *const *"])
        XCTAssertNil(KernelSyscalls.parseFormat("name: sched_switch\nformat:\n\tfield:int prev_pid;\toffset:8;"))
    }

    func testKernelDeclarationsMergeOverTheBuildsByEventName() {
        let kernel: [String: [ArgDeclaration]] = [
            "newstat": [ArgDeclaration(name: "filename", type: "const char *"), ArgDeclaration(name: "statbuf", type: "struct stat *")],
            "cachestat": [ArgDeclaration(name: "fd", type: "unsigned int"), ArgDeclaration(name: "range", type: "const struct cachestat_range *"),
                          ArgDeclaration(name: "cstat", type: "struct cachestat *"), ArgDeclaration(name: "flags", type: "unsigned int")],
        ]
        let (table, changed) = SyscallTable.x86_64.merging(kernelArguments: kernel)
        XCTAssertEqual(changed, ["cachestat"])  // stat (traced as newstat) already matched
        XCTAssertEqual(table[451]?.args[1].name, "range")
        XCTAssertEqual(table.count, SyscallTable.x86_64.count)
        XCTAssertEqual(table.number(named: "stat"), 4)
    }

    // MARK: arm64

    func testArm64TableFollowsTheGenericNumbering() {
        let t = SyscallTable.arm64
        XCTAssertEqual(t.number(named: "openat"), 56)
        XCTAssertEqual(t.number(named: "read"), 63)
        XCTAssertEqual(t.number(named: "newfstatat"), 79)
        XCTAssertEqual(t.number(named: "clone"), 220)
        XCTAssertEqual(t.number(named: "execve"), 221)
        XCTAssertEqual(t.number(named: "cachestat"), 451)
        XCTAssertNil(t.number(named: "open"))  // the generic table has only openat
        XCTAssertEqual(t[220]?.args.map(\.name), ["clone_flags", "newsp", "parent_tidptr", "tls", "child_tidptr"])
    }

    func testArm64RecordsDecode() throws {
        let h = FormatterHarness(formats: try Self.formats(.arm64))
        h.call(100, "openat", [4294967196, 0x5555_0000_1000, 0x80000, 0], in: [.string(1, "/etc/hostname")], ret: 3)
        h.call(100, "read", [3, Self.p1, 64], ret: 5, out: [.buffer(1, "host\n")])
        var range = W(); range.u64(0); range.u64(4096)
        var stat = W(); for v: UInt64 in [1, 0, 0, 0, 0] { stat.u64(v) }
        h.call(100, "cachestat", [3, Self.p1, Self.p2, 0], in: [.buffer(1, range.bytes)], ret: 0, out: [.buffer(2, stat.bytes)])
        h.call(100, "close", [3], ret: 0)
        XCTAssertEqual(h.lines().map(StructDecoderTests.unpadded), [
            #"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3"#,
            #"read(3, "host\n", 64) = 5"#,
            "cachestat(3, {off=0, len=4096}, {nr_cache=1, nr_dirty=0, nr_writeback=0, nr_evicted=0, nr_recently_evicted=0}, 0) = 0",
            "close(3) = 0",
        ])
    }
}
