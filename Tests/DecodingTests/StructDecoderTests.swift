import XCTest

/// The corners of struct and array decoders (statfs, socket options, wait4, group lists…) where
/// strace 6.1 does something particular, fed records built as the kernel builds them. Each
/// expected line is what strace 6.1 printed on this machine for the same call (C test programs
/// making the odd calls), with the numbers the hand-made captures carry.
final class StructDecoderTests: XCTestCase {
    typealias Cap = RecordBuilder.Cap
    typealias W = RecordBuilder.ByteWriter

    static let pathPtr: UInt64 = 0x7ffd_1234_5000
    static let bufPtr: UInt64 = 0x7ffe_0bf1_7be0
    static let lenPtr: UInt64 = 0x7ffe_0bf1_7bdc

    private func assertLines(_ h: FormatterHarness, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        let got = h.lines().map(Self.unpadded)
        XCTAssertEqual(got, expected, file: file, line: line)
    }

    /// The line with the padding before ` = ` reduced to one space (tested elsewhere).
    static func unpadded(_ line: String) -> String {
        guard let r = line.range(of: #"\) += "#, options: [.regularExpression, .backwards]) else { return line }
        return line.replacingCharacters(in: r, with: ") = ")
    }

    // MARK: statfs

    /// x86_64 struct statfs: eleven 8-byte words, f_fsid's two ints at 56.
    static func statfsBytes(type: UInt64, bsize: UInt64 = 4096, blocks: UInt64, bfree: UInt64, bavail: UInt64,
                            files: UInt64, ffree: UInt64, fsid: (UInt32, UInt32), namelen: UInt64 = 255,
                            frsize: UInt64 = 4096, flags: UInt64) -> [UInt8] {
        var w = W()
        for v in [type, bsize, blocks, bfree, bavail, files, ffree] { w.u64(v) }
        w.u32(fsid.0); w.u32(fsid.1)
        for v in [namelen, frsize, flags] { w.u64(v) }
        w.zeros(120 - w.bytes.count)
        return w.bytes
    }

    func testStatfs() {
        let h = FormatterHarness()
        let ext = Self.statfsBytes(type: 0xef53, blocks: 66053021, bfree: 61898963, bavail: 20612345, files: 16777216,
                                   ffree: 16353707, fsid: (0x472f9b9d, 0x9522bc25), flags: 0x1020)
        h.call(100, "statfs", [Self.pathPtr, Self.bufPtr], in: [.string(0, "/")], ret: 0, out: [.buffer(1, ext)])
        let proc = Self.statfsBytes(type: 0x9fa0, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: (0x15, 0),
                                    flags: 0x1020 | 0x1 | 0x2 | 0x8)
        h.call(100, "statfs", [Self.pathPtr, Self.bufPtr], in: [.string(0, "/proc")], ret: 0, out: [.buffer(1, proc)])
        // An unknown magic prints in hex; flags without ST_VALID are not shown; unnamed bits trail.
        let odd = Self.statfsBytes(type: 0x1234_5678, blocks: 1, bfree: 2, bavail: 3, files: 4, ffree: 5, fsid: (0, 0),
                                   flags: 0x10)
        h.call(100, "fstatfs", [3, Self.bufPtr], ret: 0, out: [.buffer(1, odd)])
        let unnamed = Self.statfsBytes(type: 0x01021994, blocks: 1, bfree: 1, bavail: 1, files: 1, ffree: 1, fsid: (1, 2),
                                       flags: 0x20 | 0x100000)
        h.call(100, "fstatfs", [0, Self.bufPtr], ret: 0, out: [.buffer(1, unnamed)])
        h.call(100, "statfs", [Self.pathPtr, Self.bufPtr], in: [.string(0, "/nonexistent")], ret: -2)
        // pidfs (kernel 6.9+) is newer than strace 6.1's table; so are ST_WRITE-like bits.
        let pidfs = Self.statfsBytes(type: 0x50494446, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: (5, 0),
                                     flags: 0x20 | 0x80)
        h.call(100, "fstatfs", [3, Self.bufPtr], ret: 0, out: [.buffer(1, pidfs)])
        assertLines(h, [
            #"statfs("/", {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, f_bfree=61898963, f_bavail=20612345, f_files=16777216, f_ffree=16353707, f_fsid={val=[0x472f9b9d, 0x9522bc25]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0"#,
            #"statfs("/proc", {f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RDONLY|ST_NOSUID|ST_NOEXEC|ST_RELATIME}) = 0"#,
            #"fstatfs(3, {f_type=0x12345678, f_bsize=4096, f_blocks=1, f_bfree=2, f_bavail=3, f_files=4, f_ffree=5, f_fsid={val=[0, 0]}, f_namelen=255, f_frsize=4096}) = 0"#,
            #"fstatfs(0, {f_type=TMPFS_MAGIC, f_bsize=4096, f_blocks=1, f_bfree=1, f_bavail=1, f_files=1, f_ffree=1, f_fsid={val=[0x1, 0x2]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|0x100000}) = 0"#,
            #"statfs("/nonexistent", 0x7ffe0bf17be0) = -1 ENOENT (No such file or directory)"#,
            "fstatfs(3, {f_type=0x50494446, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x5, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|0x80}) = 0",
        ])
    }

    func testStatfsShortCaptureDoesNotTrap() {
        let h = FormatterHarness()
        h.call(100, "fstatfs", [3, Self.bufPtr], ret: 0, out: [.buffer(1, [0x53, 0xef, 0, 0, 0, 0, 0, 0, 1])])
        let got = h.lines()
        XCTAssertEqual(got.count, 1)
        XCTAssertTrue(got[0].hasPrefix("fstatfs(3, {f_type=EXT2_SUPER_MAGIC, f_bsize=0,"), got[0])
    }

    // MARK: setsockopt / getsockopt

    static func int32(_ v: Int32) -> [UInt8] { var w = W(); w.i32(v); return w.bytes }
    static func ints(_ vs: [Int32]) -> [UInt8] { var w = W(); for v in vs { w.i32(v) }; return w.bytes }
    static let valPtr: UInt64 = 0x7fff_78c1_381c

    func testSetsockopt() {
        let h = FormatterHarness()
        func set(_ level: UInt64, _ name: UInt64, _ value: [UInt8]?, len: Int32, ret: Int64 = 0, ptr: UInt64 = StructDecoderTests.valPtr) {
            h.call(100, "setsockopt", [3, level, name, ptr, UInt64(UInt32(bitPattern: len))],
                   in: value.map { [.buffer(3, $0)] } ?? [], ret: ret)
        }
        set(1, 2, Self.int32(1), len: 4)                         // SO_REUSEADDR
        set(6, 1, Self.int32(1), len: 4)                         // TCP_NODELAY
        set(1, 2, Self.ints([1, 0]), len: 8)                     // an int option longer than an int: still [1]
        set(6, 1, Self.ints([1, 0]), len: 8)                     // elsewhere: the bytes
        set(1, 2, [1, 0], len: 2, ret: -22)                      // an int option shorter than an int: the address
        set(1, 13, Self.ints([1, 5]), len: 8)                    // SO_LINGER
        set(1, 13, Self.ints([1]), len: 4)                       // SO_LINGER, short: the address
        set(999, 1, Self.int32(131072), len: 4, ret: -92)        // unknown level: the option as a number
        set(1, 9999, Self.int32(0), len: 4, ret: -92)            // unknown option
        set(6, 9999, Self.int32(0), len: 4, ret: -92)
        set(1, 9, nil, len: 4, ret: -14, ptr: 0)                 // SO_KEEPALIVE, NULL
        set(41, 26, Self.int32(1), len: 4)                       // IPV6_V6ONLY
        set(0, 1, Self.int32(16), len: 4)                        // IP_TOS
        set(1, 20, Self.ints([1, 0, 500, 0]), len: 16)           // SO_RCVTIMEO_OLD: not decoded, bytes
        set(270, 1, Self.int32(3), len: 4)                       // NETLINK_ADD_MEMBERSHIP
        set(1, 74, Self.int32(255), len: 4)                      // SO_TXREHASH
        set(6, 1, [], len: 0, ret: -22)                          // nothing: an empty string
        set(6, 1, [UInt8](repeating: 65, count: 40), len: -1, ret: -22)  // negative: huge to strace, cut at -s
        assertLines(h, [
            "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
            "setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0",
            "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 8) = 0",
            #"setsockopt(3, SOL_TCP, TCP_NODELAY, "\1\0\0\0\0\0\0\0", 8) = 0"#,
            "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 0x7fff78c1381c, 2) = -1 EINVAL (Invalid argument)",
            "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0",
            "setsockopt(3, SOL_SOCKET, SO_LINGER, 0x7fff78c1381c, 4) = 0",
            "setsockopt(3, 0x3e7 /* SOL_?? */, 1, [131072], 4) = -1 ENOPROTOOPT (Protocol not available)",
            "setsockopt(3, SOL_SOCKET, 0x270f /* SO_??? */, [0], 4) = -1 ENOPROTOOPT (Protocol not available)",
            "setsockopt(3, SOL_TCP, 0x270f /* TCP_??? */, [0], 4) = -1 ENOPROTOOPT (Protocol not available)",
            "setsockopt(3, SOL_SOCKET, SO_KEEPALIVE, NULL, 4) = -1 EFAULT (Bad address)",
            "setsockopt(3, SOL_IPV6, IPV6_V6ONLY, [1], 4) = 0",
            "setsockopt(3, SOL_IP, IP_TOS, [16], 4) = 0",
            #"setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\1\0\0\0\0\0\0\0\364\1\0\0\0\0\0\0", 16) = 0"#,
            "setsockopt(3, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, [3], 4) = 0",
            "setsockopt(3, SOL_SOCKET, SO_TXREHASH, [SOCK_TXREHASH_DEFAULT], 4) = 0",
            #"setsockopt(3, SOL_TCP, TCP_NODELAY, "", 0) = -1 EINVAL (Invalid argument)"#,
            #"setsockopt(3, SOL_TCP, TCP_NODELAY, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"..., -1) = -1 EINVAL (Invalid argument)"#,
        ])
    }

    func testGetsockopt() {
        let h = FormatterHarness()
        /// `ulen` is *optlen at entry, `rlen` at exit (nil: not read); `value` what the kernel wrote.
        func get(fd: UInt64 = 3, _ level: UInt64, _ name: UInt64, ulen: Int32?, rlen: Int32?, _ value: [UInt8]?,
                 ret: Int64 = 0, ptr: UInt64 = StructDecoderTests.valPtr) {
            var outCaps: [Cap] = []
            if let value { outCaps.append(.buffer(3, value)) }
            if let rlen { outCaps.append(.buffer(4, Self.int32(rlen))) }
            h.call(100, "getsockopt", [fd, level, name, ptr, ulen == nil ? 0 : Self.lenPtr],
                   in: ulen.map { [.buffer(4, Self.int32($0))] } ?? [], ret: ret, out: outCaps)
        }
        get(1, 3, ulen: 4, rlen: 4, Self.int32(1))                          // SO_TYPE
        get(1, 4, ulen: 4, rlen: 4, Self.int32(0))                          // SO_ERROR
        get(1, 4, ulen: 4, rlen: 4, Self.int32(111))                        // SO_ERROR, a pending error
        get(1, 8, ulen: 8, rlen: 4, Self.int32(131072))                     // SO_RCVBUF, length changed
        get(1, 13, ulen: 8, rlen: 8, Self.ints([1, 5]))                     // SO_LINGER
        get(6, 2, ulen: 4, rlen: 4, Self.int32(536))                        // TCP_MAXSEG
        get(1, 4, ulen: 0, rlen: 0, [])                                     // nothing offered: the address
        get(1, 4, ulen: 2, rlen: 2, [0, 0])                                 // SO_ERROR, short: hex bytes
        get(1, 4, ulen: nil, rlen: nil, nil, ret: -14)                      // optlen NULL
        get(1, 4, ulen: 4, rlen: nil, nil, ret: -14, ptr: 0)                // optval NULL, failed
        get(999, 5, ulen: 4, rlen: nil, nil, ret: -95)                      // unknown level
        get(1, 9999, ulen: 4, rlen: nil, nil, ret: -92)                     // unknown option
        get(6, 11, ulen: 64, rlen: 64, [7, 0, 0, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 56))  // TCP_INFO: bytes
        get(fd: 4, 1, 17, ulen: 12, rlen: 12, Self.ints([27885, 0, -1]))    // SO_PEERCRED
        get(fd: 4, 1, 39, ulen: 4, rlen: 4, Self.int32(1))                  // SO_DOMAIN
        get(1, 13, ulen: 8, rlen: 6, [1, 0, 0, 0, 5, 0])                    // SO_LINGER cut short
        get(270, 9, ulen: 8, rlen: 8, Self.ints([1, 0x40]))                 // NETLINK_LIST_MEMBERSHIPS
        assertLines(h, [
            "getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0",
            "getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
            "getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0",
            "getsockopt(3, SOL_SOCKET, SO_RCVBUF, [131072], [8 => 4]) = 0",
            "getsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, [8]) = 0",
            "getsockopt(3, SOL_TCP, TCP_MAXSEG, [536], [4]) = 0",
            "getsockopt(3, SOL_SOCKET, SO_ERROR, 0x7fff78c1381c, [0]) = 0",
            #"getsockopt(3, SOL_SOCKET, SO_ERROR, "\x00\x00", [2]) = 0"#,
            "getsockopt(3, SOL_SOCKET, SO_ERROR, 0x7fff78c1381c, NULL) = -1 EFAULT (Bad address)",
            "getsockopt(3, SOL_SOCKET, SO_ERROR, NULL, [4]) = -1 EFAULT (Bad address)",
            "getsockopt(3, 0x3e7 /* SOL_?? */, 5, 0x7fff78c1381c, [4]) = -1 EOPNOTSUPP (Operation not supported)",
            "getsockopt(3, SOL_SOCKET, 0x270f /* SO_??? */, 0x7fff78c1381c, [4]) = -1 ENOPROTOOPT (Protocol not available)",
            #"getsockopt(3, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [64]) = 0"#,
            "getsockopt(4, SOL_SOCKET, SO_PEERCRED, {pid=27885, uid=0, gid=-1}, [12]) = 0",
            "getsockopt(4, SOL_SOCKET, SO_DOMAIN, [1], [4]) = 0",
            #"getsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger="\x05\x00"}, [8 => 6]) = 0"#,
            "getsockopt(3, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, [1, 64], [8]) = 0",
        ])
    }

    func testSockoptGarbageDoesNotTrap() {
        let h = FormatterHarness()
        // Lengths that disagree with the captures, negative lengths, empty captures.
        h.call(100, "setsockopt", [3, 1, 13, Self.valPtr, 8], in: [.buffer(3, [1])], ret: 0)
        h.call(100, "setsockopt", [3, 6, 1, Self.valPtr, UInt64(UInt32(bitPattern: -5))], in: [.buffer(3, [])], ret: -22)
        h.call(100, "getsockopt", [3, 1, 17, Self.valPtr, Self.lenPtr], in: [.buffer(4, Self.int32(12))], ret: 0,
               out: [.buffer(3, [1, 2]), .buffer(4, Self.int32(0x7fff_ffff))])
        h.call(100, "getsockopt", [3, 270, 9, Self.valPtr, Self.lenPtr], in: [.buffer(4, Self.int32(Int32.max))], ret: 0,
               out: [.buffer(3, [1, 2, 3, 4, 5]), .buffer(4, Self.int32(Int32.max))])
        XCTAssertEqual(h.lines().count, 4)
    }

    // MARK: wait4, getrusage, groups, eventfd2

    static func rusageBytes(utime: (Int64, Int64), stime: (Int64, Int64)) -> [UInt8] {
        var w = W()
        w.i64(utime.0); w.i64(utime.1); w.i64(stime.0); w.i64(stime.1)
        w.zeros(144 - w.bytes.count)
        return w.bytes
    }
    static let statusPtr: UInt64 = 0x7fff_78c1_370c
    static let rusagePtr: UInt64 = 0x7fff_78c1_3710

    func testWait4WithRusage() {
        let h = FormatterHarness()
        let ru = Self.rusageBytes(utime: (0, 2567), stime: (1, 5))
        h.call(100, "wait4", [UInt64(UInt32(bitPattern: -1)), Self.statusPtr, 0, Self.rusagePtr], ret: 27112,
               out: [.buffer(1, Self.int32(2 << 8)), .buffer(3, ru)])
        // WNOHANG and nothing to reap: both addresses, even though the kernel may have written them.
        h.call(100, "wait4", [UInt64(UInt32(bitPattern: -1)), Self.statusPtr, 1, Self.rusagePtr], ret: 0,
               out: [.buffer(1, Self.int32(0)), .buffer(3, ru)])
        h.call(100, "wait4", [UInt64(UInt32(bitPattern: -1)), 0, 0, Self.rusagePtr], ret: 27113, out: [.buffer(3, ru)])
        h.call(100, "wait4", [UInt64(UInt32(bitPattern: -1)), Self.statusPtr, 0, Self.rusagePtr], ret: -10)
        h.call(100, "wait4", [12345, Self.statusPtr, 0, 1], ret: -10)
        h.call(100, "wait4", [UInt64(UInt32(bitPattern: -1)), Self.statusPtr, 0, 0], ret: 27114,
               out: [.buffer(1, Self.int32(0))])
        assertLines(h, [
            "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 2}], 0, {ru_utime={tv_sec=0, tv_usec=2567}, ru_stime={tv_sec=1, tv_usec=5}, ...}) = 27112",
            "wait4(-1, 0x7fff78c1370c, WNOHANG, 0x7fff78c13710) = 0",
            "wait4(-1, NULL, 0, {ru_utime={tv_sec=0, tv_usec=2567}, ru_stime={tv_sec=1, tv_usec=5}, ...}) = 27113",
            "wait4(-1, 0x7fff78c1370c, 0, 0x7fff78c13710) = -1 ECHILD (No child processes)",
            "wait4(12345, 0x7fff78c1370c, 0, 0x1) = -1 ECHILD (No child processes)",
            "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 27114",
        ])
    }

    func testGetrusage() {
        let h = FormatterHarness()
        let ru = Self.rusageBytes(utime: (0, 1462), stime: (0, 0))
        h.call(100, "getrusage", [0, Self.rusagePtr], ret: 0, out: [.buffer(1, ru)])
        h.call(100, "getrusage", [0xffff_ffff, Self.rusagePtr], ret: 0, out: [.buffer(1, ru)])
        h.call(100, "getrusage", [1, Self.rusagePtr], ret: 0, out: [.buffer(1, ru)])
        h.call(100, "getrusage", [5, Self.rusagePtr], ret: -22)
        h.call(100, "getrusage", [UInt64(bitPattern: -2), Self.rusagePtr], ret: -22)
        h.call(100, "getrusage", [0xffff_fffe, Self.rusagePtr], ret: -22)
        h.call(100, "getrusage", [0, 8], ret: -14)
        assertLines(h, [
            "getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=1462}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0",
            "getrusage(RUSAGE_CHILDREN, {ru_utime={tv_sec=0, tv_usec=1462}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0",
            "getrusage(RUSAGE_THREAD, {ru_utime={tv_sec=0, tv_usec=1462}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0",
            "getrusage(0x5 /* RUSAGE_??? */, 0x7fff78c13710) = -1 EINVAL (Invalid argument)",
            "getrusage(RUSAGE_BOTH, 0x7fff78c13710) = -1 EINVAL (Invalid argument)",
            "getrusage(RUSAGE_BOTH, 0x7fff78c13710) = -1 EINVAL (Invalid argument)",
            "getrusage(RUSAGE_SELF, 0x8) = -1 EFAULT (Bad address)",
        ])
    }

    func testGroups() {
        let h = FormatterHarness()
        let forty = Self.ints((0..<40).map { Int32($0 * 3) })
        h.call(100, "setgroups", [3, Self.bufPtr], in: [.buffer(1, Self.ints([0, 3, 6]))], ret: 0)
        h.call(100, "getgroups", [0, 0], ret: 3)
        // size 0: the kernel writes nothing, but strace shows `ret` elements of whatever is there.
        h.call(100, "getgroups", [0, Self.bufPtr], ret: 3, out: [.buffer(1, Self.ints([0, 0, 0]))])
        h.call(100, "getgroups", [3, Self.bufPtr], ret: 3, out: [.buffer(1, Self.ints([0, 3, 6]))])
        h.call(100, "getgroups", [1, Self.bufPtr], ret: -22)
        h.call(100, "getgroups", [0, Self.bufPtr], ret: 0)
        h.call(100, "setgroups", [40, Self.bufPtr], in: [.buffer(1, forty)], ret: 0)
        h.call(100, "getgroups", [64, Self.bufPtr], ret: 40, out: [.buffer(1, forty)])
        h.call(100, "setgroups", [2, Self.bufPtr], in: [.buffer(1, Self.ints([-1, 5]))], ret: 0)
        h.call(100, "setgroups", [UInt64(UInt32(bitPattern: -1)), Self.bufPtr], in: [.buffer(1, [1])], ret: -22)
        h.call(100, "setgroups", [70000, Self.bufPtr], ret: -22)
        let firstThirtyTwo = (0..<32).map { String($0 * 3) }.joined(separator: ", ")
        assertLines(h, [
            "setgroups(3, [0, 3, 6]) = 0",
            "getgroups(0, NULL) = 3",
            "getgroups(0, [0, 0, 0]) = 3",
            "getgroups(3, [0, 3, 6]) = 3",
            "getgroups(1, 0x7ffe0bf17be0) = -1 EINVAL (Invalid argument)",
            "getgroups(0, []) = 0",
            "setgroups(40, [\(firstThirtyTwo), ...]) = 0",
            "getgroups(64, [\(firstThirtyTwo), ...]) = 40",
            "setgroups(2, [-1, 5]) = 0",
            "setgroups(-1, 0x7ffe0bf17be0) = -1 EINVAL (Invalid argument)",
            "setgroups(70000, 0x7ffe0bf17be0) = -1 EINVAL (Invalid argument)",
        ])
    }

    /// The flag families print in strace's order: eventfd's SEMAPHORE first, inotify's NONBLOCK
    /// before CLOEXEC; unknown bits get the family's comment.
    func testEventDescriptorFlags() {
        let h = FormatterHarness()
        h.call(100, "eventfd2", [0, 0o2000000 | 0o4000 | 1], ret: 3)
        h.call(100, "inotify_init1", [0o2000000 | 0o4000], ret: 4)
        h.call(100, "inotify_init1", [0x10], ret: -22)
        h.call(100, "timerfd_create", [1, 0o2000000 | 0o4000], ret: 5)
        h.call(100, "timerfd_create", [1, 0x4], ret: -22)
        h.call(100, "eventfd2", [0, 0o2000000 | 0o4000], ret: 5)
        h.call(100, "eventfd2", [3, 0], ret: 6)
        h.call(100, "eventfd2", [0, 1], ret: 7)
        h.call(100, "eventfd2", [0, 0x10], ret: -22)
        assertLines(h, [
            "eventfd2(0, EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK) = 3",
            "inotify_init1(IN_NONBLOCK|IN_CLOEXEC) = 4",
            "inotify_init1(0x10 /* IN_??? */) = -1 EINVAL (Invalid argument)",
            "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 5",
            "timerfd_create(CLOCK_MONOTONIC, 0x4 /* TFD_??? */) = -1 EINVAL (Invalid argument)",
            "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 5",
            "eventfd2(3, 0) = 6",
            "eventfd2(0, EFD_SEMAPHORE) = 7",
            "eventfd2(0, 0x10 /* EFD_??? */) = -1 EINVAL (Invalid argument)",
        ])
    }

    // MARK: netlink sockets

    func testNetlinkSocketAndAddresses() {
        let h = FormatterHarness()
        h.call(100, "socket", [16, 3 | 0o2000000, 0], ret: 3)
        h.call(100, "socket", [16, 3 | 0o2000000, 4], ret: 3)
        h.call(100, "socket", [16, 3, 99], ret: -93)
        var nl = W(); nl.u16(16); nl.u16(0); nl.u32(0); nl.u32(0)
        h.call(100, "bind", [3, Self.bufPtr, 12], in: [.buffer(1, nl.bytes)], ret: 0)
        var mine = W(); mine.u16(16); mine.u16(0); mine.u32(15640); mine.u32(0x11)
        h.call(100, "getsockname", [3, Self.bufPtr, Self.lenPtr], in: [.buffer(2, Self.int32(12))], ret: 0,
               out: [.buffer(1, mine.bytes), .buffer(2, Self.int32(12))])
        var padded = W(); padded.u16(16); padded.u16(7); padded.i32(-1); padded.u32(0x8000_0000)
        h.call(100, "bind", [3, Self.bufPtr, 12], in: [.buffer(1, padded.bytes)], ret: -22)
        assertLines(h, [
            "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3",
            "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = 3",
            "socket(AF_NETLINK, SOCK_RAW, 0x63 /* NETLINK_??? */) = -1 EPROTONOSUPPORT (Protocol not supported)",
            "bind(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0",
            "getsockname(3, {sa_family=AF_NETLINK, nl_pid=15640, nl_groups=0x000011}, [12]) = 0",
            "bind(3, {sa_family=AF_NETLINK, nl_pad=0x7, nl_pid=-1, nl_groups=0x80000000}, 12) = -1 EINVAL (Invalid argument)",
        ])
    }

    // MARK: timers

    static func sigeventBytes(value: UInt64, signo: Int32, notify: Int32, tid: Int32 = 0) -> [UInt8] {
        var w = W(); w.u64(value); w.i32(signo); w.i32(notify); w.i32(tid); w.zeros(64 - 20); return w.bytes
    }
    static func pairBytes(_ a: (Int64, Int64), _ b: (Int64, Int64)) -> [UInt8] {
        var w = W(); w.i64(a.0); w.i64(a.1); w.i64(b.0); w.i64(b.1); return w.bytes
    }

    func testPosixAndIntervalTimers() {
        let h = FormatterHarness()
        let sev: UInt64 = 0x7ffe_5317_0c80, tid: UInt64 = 0x7ffe_5317_0c78
        h.call(100, "timer_create", [0, sev, tid], in: [.buffer(1, Self.sigeventBytes(value: 0, signo: 14, notify: 0))],
               ret: 0, out: [.buffer(2, Self.int32(0))])
        h.call(100, "timer_create", [1, sev, tid], in: [.buffer(1, Self.sigeventBytes(value: 7, signo: 14, notify: 1))],
               ret: 0, out: [.buffer(2, Self.int32(1))])
        h.call(100, "timer_create", [1, 0, tid], ret: 0, out: [.buffer(2, Self.int32(2))])
        h.call(100, "timer_create", [1, sev, tid], in: [.buffer(1, Self.sigeventBytes(value: 7, signo: 10, notify: 4, tid: 21989))],
               ret: 0, out: [.buffer(2, Self.int32(3))])
        h.call(100, "timer_create", [1, sev, tid], in: [.buffer(1, Self.sigeventBytes(value: 7, signo: 10, notify: 99))], ret: -22)
        let five = Self.pairBytes((0, 0), (5, 0))
        h.call(100, "timer_settime", [0, 0, Self.bufPtr, 0], in: [.buffer(2, five)], ret: 0)
        h.call(100, "timer_settime", [0, 1, Self.bufPtr, Self.rusagePtr], in: [.buffer(2, five)], ret: 0,
               out: [.buffer(3, Self.pairBytes((0, 0), (4, 999906170)))])
        h.call(100, "timer_settime", [99, 0, Self.bufPtr, Self.rusagePtr], in: [.buffer(2, five)], ret: -22)
        h.call(100, "timerfd_settime", [3, 0, Self.bufPtr, Self.rusagePtr], in: [.buffer(2, five)], ret: 0,
               out: [.buffer(3, Self.pairBytes((0, 0), (0, 0)))])
        h.call(100, "setitimer", [0, Self.bufPtr, 0], in: [.buffer(1, Self.pairBytes((0, 0), (1, 500)))], ret: 0)
        h.call(100, "getitimer", [0, Self.bufPtr], ret: 0, out: [.buffer(1, Self.pairBytes((0, 0), (1, 476)))])
        h.call(100, "timer_delete", [0], ret: 0)
        assertLines(h, [
            "timer_create(CLOCK_REALTIME, {sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}, [0]) = 0",
            "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=14, sigev_notify=SIGEV_NONE}, [1]) = 0",
            "timer_create(CLOCK_MONOTONIC, NULL, [2]) = 0",
            "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=21989}, [3]) = 0",
            "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=10, sigev_notify=0x63 /* SIGEV_??? */}, 0x7ffe53170c78) = -1 EINVAL (Invalid argument)",
            "timer_settime(0, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=0}}, NULL) = 0",
            "timer_settime(0, TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=4, tv_nsec=999906170}}) = 0",
            "timer_settime(99, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=0}}, 0x7fff78c13710) = -1 EINVAL (Invalid argument)",
            "timerfd_settime(3, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
            "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=500}}, NULL) = 0",
            "getitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=476}}) = 0",
            "timer_delete(0) = 0",
        ])
    }

    /// siginfo for codes <= 0 (sent from user space): what follows the code depends on it.
    func testUserSpaceSignalCodes() {
        let h = FormatterHarness()
        func info(signo: Int32, code: Int32, _ fill: (inout W) -> Void) -> [UInt8] {
            var w = W(); w.i32(signo); w.i32(0); w.i32(code); w.u32(0); fill(&w); w.zeros(48 - w.bytes.count); return w.bytes
        }
        h.signal(100, signo: 14, code: -2, siginfo: info(signo: 14, code: -2) { $0.i32(0); $0.i32(0); $0.u64(0) })
        h.signal(100, signo: 10, code: -1, siginfo: info(signo: 10, code: -1) { $0.i32(4242); $0.u32(0); $0.u64(0) })
        h.signal(100, signo: 10, code: -1, siginfo: info(signo: 10, code: -1) { $0.i32(4242); $0.u32(0); $0.u64(7) })
        h.signal(100, signo: 29, code: -5, siginfo: info(signo: 29, code: -5) { $0.i64(1); $0.i32(3) })
        h.signal(100, signo: 10, code: -6, siginfo: info(signo: 10, code: -6) { $0.i32(4242); $0.u32(0) })
        assertLines(h, [
            "--- SIGALRM {si_signo=SIGALRM, si_code=SI_TIMER, si_timerid=0, si_overrun=0, si_int=0, si_ptr=NULL} ---",
            "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=4242, si_uid=0} ---",
            "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=4242, si_uid=0, si_int=7, si_ptr=0x7} ---",
            "--- SIGIO {si_signo=SIGIO, si_code=SI_SIGIO, si_band=1, si_fd=3} ---",
            "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4242, si_uid=0} ---",
        ])
    }

    // MARK: NUMA policies

    func testMemoryPolicies() {
        let h = FormatterHarness()
        let mask: [UInt8] = { var w = W(); w.u64(1); w.u64(0x8000_0000_0000_0000); w.zeros(112); return w.bytes }()
        h.call(100, "set_mempolicy", [5, Self.bufPtr, 1024], in: [.buffer(1, mask)], ret: -22)
        h.call(100, "set_mempolicy", [0, 0, 0], ret: 0)
        h.call(100, "set_mempolicy", [2 | 1 << 15, Self.bufPtr, 65], in: [.buffer(1, Array(mask.prefix(65)))], ret: -22)
        h.call(100, "set_mempolicy", [9, Self.bufPtr, 65], in: [.buffer(1, Array(mask.prefix(65)))], ret: -22)
        h.call(100, "set_mempolicy", [9 | 1 << 14, Self.bufPtr, 0], in: [.buffer(1, [])], ret: -22)
        h.call(100, "get_mempolicy", [Self.lenPtr, Self.bufPtr, 2, 0x7f00_0000_1000, 2], ret: 0,
               out: [.buffer(0, Self.int32(4)), .buffer(1, mask)])
        h.call(100, "get_mempolicy", [Self.lenPtr, 0, 0, 0, 4], ret: 0, out: [.buffer(0, Self.int32(0))])
        h.call(100, "mbind", [0x7f00_0000_1000, 4096, 1, Self.bufPtr, 64, 1], in: [.buffer(3, Array(mask.prefix(64)))], ret: 0)
        // A mask larger than what was kept, and a length that wraps: the address.
        h.call(100, "set_mempolicy", [1, Self.bufPtr, 100_000], in: [.buffer(1, mask)], ret: -22)
        h.call(100, "set_mempolicy", [1, Self.bufPtr, UInt64.max], in: [.buffer(1, mask)], ret: -22)
        let sixteen = ["0x00000000000001", "0x8000000000000000"] + Array(repeating: "0000000000000000", count: 14)
        assertLines(h, [
            "set_mempolicy(MPOL_PREFERRED_MANY, [\(sixteen.joined(separator: ", "))], 1024) = -1 EINVAL (Invalid argument)",
            "set_mempolicy(MPOL_DEFAULT, NULL, 0) = 0",
            "set_mempolicy(MPOL_BIND|MPOL_F_STATIC_NODES, [0x00000000000001], 65) = -1 EINVAL (Invalid argument)",
            "set_mempolicy(0x9 /* MPOL_??? */, [0x00000000000001], 65) = -1 EINVAL (Invalid argument)",
            "set_mempolicy(MPOL_F_RELATIVE_NODES|0x9, [], 0) = -1 EINVAL (Invalid argument)",
            "get_mempolicy([MPOL_LOCAL], [0x00000000000001], 2, 0x7f0000001000, MPOL_F_ADDR) = 0",
            "get_mempolicy([MPOL_DEFAULT], NULL, 0, NULL, MPOL_F_MEMS_ALLOWED) = 0",
            "mbind(0x7f0000001000, 4096, MPOL_PREFERRED, [0x00000000000001], 64, MPOL_MF_STRICT) = 0",
            "set_mempolicy(MPOL_PREFERRED, 0x7ffe0bf17be0, 100000) = -1 EINVAL (Invalid argument)",
            "set_mempolicy(MPOL_PREFERRED, 0x7ffe0bf17be0, 18446744073709551615) = -1 EINVAL (Invalid argument)",
        ])
    }

    // MARK: modes, ioctl ints, priorities, scheduling, namespaces

    func testMknodModesAndDevices() {
        let h = FormatterHarness()
        let cwd: UInt64 = 4294967196
        h.call(100, "mknodat", [cwd, Self.pathPtr, 0o010600, 0], in: [.string(1, "fifo1")], ret: 0)
        h.call(100, "mknodat", [cwd, Self.pathPtr, 0o020600, 0x103], in: [.string(1, "chr1")], ret: 0)
        h.call(100, "mknodat", [cwd, Self.pathPtr, 0, 0], in: [.string(1, "reg1")], ret: 0)
        h.call(100, "mknodat", [cwd, Self.pathPtr, 0o170644, 0], in: [.string(1, "odd")], ret: -22)
        h.call(100, "mknodat", [cwd, Self.pathPtr, 0o014007, 0], in: [.string(1, "fifo2")], ret: 0)
        h.call(100, "mknod", [Self.pathPtr, 0o060640, 0x801], in: [.string(0, "blk")], ret: 0)
        h.call(100, "stat", [Self.pathPtr, Self.bufPtr], in: [.string(0, "m0")], ret: 0,
               out: [.buffer(1, RecordBuilder.statBytes(mode: 0o100000, size: 0))])
        assertLines(h, [
            #"mknodat(AT_FDCWD, "fifo1", S_IFIFO|0600) = 0"#,
            #"mknodat(AT_FDCWD, "chr1", S_IFCHR|0600, makedev(0x1, 0x3)) = 0"#,
            #"mknodat(AT_FDCWD, "reg1", 000) = 0"#,
            #"mknodat(AT_FDCWD, "odd", 0170644) = -1 EINVAL (Invalid argument)"#,
            #"mknodat(AT_FDCWD, "fifo2", S_IFIFO|S_ISUID|007) = 0"#,
            #"mknod("blk", S_IFBLK|0640, makedev(0x8, 0x1)) = 0"#,
            #"stat("m0", {st_mode=S_IFREG|000, st_size=0, ...}) = 0"#,
        ])
    }

    func testTerminalIoctlInts() {
        let h = FormatterHarness()
        // An int passed in prints from the entry copy, even when the call fails.
        h.call(100, "ioctl", [3, 0x5421, Self.valPtr], in: [.buffer(2, Self.ints([1, 0]))], ret: 0,
               out: [.buffer(2, Self.ints([1, 0]))])
        h.call(100, "ioctl", [3, 0x5452, Self.valPtr], in: [.buffer(2, Self.ints([1, 0]))], ret: -25)
        h.call(100, "ioctl", [3, 0x5410, Self.valPtr], in: [.buffer(2, Self.ints([4242, 0]))], ret: -25)
        // One the kernel writes: the address when the call fails, the value when it succeeds.
        h.call(100, "ioctl", [3, 0x5411, Self.valPtr], in: [.buffer(2, Self.ints([9, 0]))], ret: -25)
        h.call(100, "ioctl", [3, 0x8004_5430, Self.valPtr], in: [.buffer(2, Self.ints([9, 0]))], ret: 0,
               out: [.buffer(2, Self.ints([3, 0]))])
        assertLines(h, [
            "ioctl(3, FIONBIO, [1]) = 0",
            "ioctl(3, FIOASYNC, [1]) = -1 ENOTTY (Inappropriate ioctl for device)",
            "ioctl(3, TIOCSPGRP, [4242]) = -1 ENOTTY (Inappropriate ioctl for device)",
            "ioctl(3, TIOCOUTQ, 0x7fff78c1381c) = -1 ENOTTY (Inappropriate ioctl for device)",
            "ioctl(3, TIOCGPTN, [3]) = 0",
        ])
    }

    func testPrioritiesSchedulingAndNamespaces() {
        let h = FormatterHarness()
        h.call(100, "ioprio_set", [1, 0, 3 << 13 | 7], ret: 0)
        h.call(100, "ioprio_get", [1, 0], ret: 2 << 13 | 4)
        h.call(100, "ioprio_set", [9, 0, 9 << 13 | 4], ret: -22)
        h.call(100, "sched_get_priority_max", [1], ret: 99)
        h.call(100, "sched_get_priority_min", [7], ret: -22)
        h.call(100, "sched_setscheduler", [0, 0, Self.bufPtr], in: [.buffer(2, Self.int32(0))], ret: 0)
        h.call(100, "sched_getparam", [0, Self.bufPtr], ret: 0, out: [.buffer(1, Self.int32(0))])
        var mask = W(); mask.u64(0b10); mask.zeros(120)
        h.call(100, "sched_setaffinity", [0, 128, Self.bufPtr], in: [.buffer(2, mask.bytes)], ret: 0)
        h.call(100, "sched_setaffinity", [0, 8, Self.bufPtr], in: [.buffer(2, Array(mask.bytes.prefix(8)))], ret: 0)
        h.call(100, "sched_setaffinity", [0, 0, Self.bufPtr], in: [.buffer(2, [])], ret: -22)
        var one = W(); one.u8(1); one.zeros(127)
        h.call(100, "sched_setaffinity", [0, 256, Self.bufPtr], in: [.buffer(2, one.bytes)], ret: 0)
        h.call(100, "sched_setaffinity", [0, 64, Self.bufPtr], in: [.buffer(2, [1])], ret: 0)  // short copy
        h.call(100, "unshare", [0x400_0000 | 0x400], ret: 0)
        h.call(100, "unshare", [0x1], ret: -22)
        assertLines(h, [
            "ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 7)) = 0",
            "ioprio_get(IOPRIO_WHO_PROCESS, 0) = 16388 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))",
            "ioprio_set(0x9 /* IOPRIO_WHO_??? */, 0, IOPRIO_PRIO_VALUE(0x9 /* IOPRIO_CLASS_??? */, 4)) = -1 EINVAL (Invalid argument)",
            "sched_get_priority_max(SCHED_FIFO) = 99",
            "sched_get_priority_min(0x7 /* SCHED_??? */) = -1 EINVAL (Invalid argument)",
            "sched_setscheduler(0, SCHED_OTHER, [0]) = 0",
            "sched_getparam(0, [0]) = 0",
            "sched_setaffinity(0, 128, [1]) = 0",
            "sched_setaffinity(0, 8, [1]) = 0",
            "sched_setaffinity(0, 0, []) = -1 EINVAL (Invalid argument)",
            "sched_setaffinity(0, 256, [0 ...]) = 0",
            "sched_setaffinity(0, 64, 0x7ffe0bf17be0) = 0",
            "unshare(CLONE_FILES|CLONE_NEWUTS) = 0",
            "unshare(0x1 /* CLONE_??? */) = -1 EINVAL (Invalid argument)",
        ])
    }

    // MARK: ids, signalfd, sendfile, mremap, poll, mount, prctl

    func testIdsSignalfdSendfileMremapPoll() {
        let h = FormatterHarness()
        let minusOne = UInt64(UInt32.max)
        h.call(100, "getresuid", [0x7ffe_0000_0010, 0x7ffe_0000_0014, 0x7ffe_0000_0018], ret: 0,
               out: [.buffer(0, Self.int32(0)), .buffer(1, Self.int32(1000)), .buffer(2, Self.int32(-1))])
        h.call(100, "setresuid", [minusOne, minusOne, minusOne], ret: 0)
        h.call(100, "setreuid", [minusOne, 0], ret: 0)
        var mask = W(); mask.u64(1 << 1 | 1 << 16)
        h.call(100, "signalfd4", [UInt64(UInt32.max), Self.bufPtr, 8, 0o2000000], in: [.buffer(1, mask.bytes)], ret: 3)
        h.call(100, "signalfd4", [UInt64(UInt32.max), Self.bufPtr, 4, 0], in: [.buffer(1, Array(mask.bytes.prefix(4)))], ret: -22)
        var zero = W(); zero.u64(0)
        var ten = W(); ten.u64(10)
        h.call(100, "sendfile", [5, 4, Self.bufPtr, 10], in: [.buffer(2, zero.bytes)], ret: 10, out: [.buffer(2, ten.bytes)])
        h.call(100, "sendfile", [5, 4, 0, 10], ret: 10)
        h.call(100, "sendfile", [5, 4, Self.bufPtr, 10], in: [.buffer(2, ten.bytes)], ret: 0, out: [.buffer(2, ten.bytes)])
        h.call(100, "mremap", [0x7f00_0000_0000, 4096, 8192, 1, 0xdead], ret: 0x7f00_0001_0000)
        h.call(100, "mremap", [0x7f00_0000_0000, 8192, 8192, 3, 0x7f00_0002_0000], ret: 0x7f00_0002_0000)
        var pfds = W(); pfds.i32(-1); pfds.u16(1); pfds.u16(0); pfds.i32(4); pfds.u16(1); pfds.u16(0)
        var back = W(); back.i32(-1); back.u16(1); back.u16(0); back.i32(4); back.u16(1); back.u16(1)
        h.call(100, "poll", [Self.bufPtr, 2, 0], in: [.buffer(0, pfds.bytes)], ret: 1, out: [.buffer(0, back.bytes)])
        assertLines(h, [
            "getresuid([0], [1000], [-1]) = 0",
            "setresuid(-1, -1, -1) = 0",
            "setreuid(-1, 0) = 0",
            "signalfd4(-1, [INT CHLD], 8, SFD_CLOEXEC) = 3",
            "signalfd4(-1, 0x7ffe0bf17be0, 4, 0) = -1 EINVAL (Invalid argument)",
            "sendfile(5, 4, [0] => [10], 10) = 10",
            "sendfile(5, 4, NULL, 10) = 10",
            "sendfile(5, 4, [10], 10) = 0",
            "mremap(0x7f0000000000, 4096, 8192, MREMAP_MAYMOVE) = 0x7f0000010000",
            "mremap(0x7f0000000000, 8192, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7f0000020000) = 0x7f0000020000",
            "poll([{fd=-1}, {fd=4, events=POLLIN}], 2, 0) = 1 ([{fd=4, revents=POLLIN}])",
        ])
    }

    func testMountAndPrctl() {
        let h = FormatterHarness()
        let src: UInt64 = 0x5555_0000_1000, dst: UInt64 = 0x5555_0000_2000, type: UInt64 = 0x5555_0000_3000
        let data: UInt64 = 0x5555_0000_4000
        h.call(100, "mount", [src, dst, type, 2, data],
               in: [.string(0, "tmpfs"), .string(1, "/mnt"), .string(2, "tmpfs"), .string(4, "size=1m,mode=700")], ret: 0)
        h.call(100, "mount", [src, dst, type, 33, data],
               in: [.string(0, "none"), .string(1, "/mnt"), .string(2, "tmpfs"), .string(4, "size=2m")], ret: 0)
        h.call(100, "mount", [src, dst, 0, 0x40000, 0], in: [.string(0, "/mnt"), .string(1, "/mnt")], ret: 0)
        h.call(100, "mount", [src, dst, type, 0xc0ed_0001, data],
               in: [.string(0, "x"), .string(1, "/mnt"), .string(2, "tmpfs"), .string(4, "a")], ret: -22)
        h.call(100, "umount2", [dst, 2], in: [.string(0, "/mnt")], ret: -22)
        h.call(100, "prctl", [8, 1, 0, 0, 0], ret: 0)
        h.call(100, "prctl", [7, 0, 0, 0, 0], ret: 1)
        h.call(100, "prctl", [27, 0, 0, 0, 0], ret: 0x10)
        h.call(100, "prctl", [27, 0, 0, 0, 0], ret: 0)
        h.call(100, "prctl", [47, 1, 0, 0, 0], ret: 0)
        h.call(100, "prctl", [47, 4, 0, 0, 0], ret: 0)
        h.call(100, "ioctl", [5, 0x540e, 1], ret: -25)
        assertLines(h, [
            #"mount("tmpfs", "/mnt", "tmpfs", MS_NOSUID, "size=1m,mode=700") = 0"#,
            #"mount("none", "/mnt", 0x555500003000, MS_RDONLY|MS_REMOUNT, "size=2m") = 0"#,
            #"mount("/mnt", "/mnt", NULL, MS_PRIVATE, NULL) = 0"#,
            #"mount("x", "/mnt", "tmpfs", MS_MGC_VAL|MS_RDONLY, "a") = -1 EINVAL (Invalid argument)"#,
            #"umount2("/mnt", MNT_DETACH) = -1 EINVAL (Invalid argument)"#,
            "prctl(PR_SET_KEEPCAPS, 1) = 0",
            "prctl(PR_GET_KEEPCAPS) = 1",
            "prctl(PR_GET_SECUREBITS) = 0x10 (SECBIT_KEEP_CAPS)",
            "prctl(PR_GET_SECUREBITS) = 0",
            "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0) = 0",
            "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) = 0",
            "ioctl(5, TIOCSCTTY, 1) = -1 ENOTTY (Inappropriate ioctl for device)",
        ])
    }

    // MARK: terminal attributes and other ioctls

    static func termiosBytes(iflag: UInt32, oflag: UInt32, cflag: UInt32, lflag: UInt32) -> [UInt8] {
        var w = W(); w.u32(iflag); w.u32(oflag); w.u32(cflag); w.u32(lflag); w.zeros(20); return w.bytes
    }

    func testTermiosAndIoctlRequests() {
        let h = FormatterHarness()
        let sane = Self.termiosBytes(iflag: 0x500, oflag: 0x5, cflag: 0xbf, lflag: 0x8a3b)
        h.call(100, "ioctl", [4, 0x5401, Self.valPtr], ret: 0, out: [.buffer(2, sane)])
        let raw = Self.termiosBytes(iflag: 0, oflag: 0, cflag: 0x3f, lflag: 0)
        h.call(100, "ioctl", [0, 0x5403, Self.valPtr], in: [.buffer(2, raw)], ret: 0, out: [.buffer(2, raw)])
        // An input baud rate, the high bits strace does not name (ADDRB), an unknown output bit.
        let odd = Self.termiosBytes(iflag: 0x8000, oflag: 0x10_0000 | 0x1, cflag: 0x2000_0000 | 0x000d_0000 | 0x100f | 0x30 | 0x80,
                                    lflag: 0x2_0000)
        h.call(100, "ioctl", [0, 0x5402, Self.valPtr], in: [.buffer(2, odd)], ret: -22)
        h.call(100, "ioctl", [1, 0x5401, Self.valPtr], ret: -25)
        h.call(100, "ioctl", [3, 0x5451, 0], ret: 0)                      // FIOCLEX: no argument
        h.call(100, "ioctl", [3, 0x540b, 2], ret: 0)                      // TCFLSH
        h.call(100, "ioctl", [3, 0x5412, Self.valPtr], in: [.buffer(2, Array("ls".utf8))], ret: 0)  // TIOCSTI
        h.call(100, "ioctl", [3, 0x8008_9999, 0], ret: -25)               // unknown: _IOC, the argument as a number
        h.call(100, "ioctl", [3, 0x9999, 0], ret: -25)
        h.call(100, "ioctl", [3, 0xc010_9998, 0x1234], ret: -25)
        h.call(100, "ioctl", [3, 0x8008_6601, Self.valPtr], ret: 0, out: [.buffer(2, Self.int32(0x80080))])
        h.call(100, "ioctl", [3, 0x8008_6601, 0], ret: -25)
        assertLines(h, [
            "ioctl(4, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0",
            "ioctl(0, SNDCTL_TMR_STOP or TCSETSW, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B38400|CS8|, c_lflag=, ...}) = 0",
            "ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=0x8000, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|0x100000, c_cflag=B4000000|B9600<<IBSHIFT|CS8|CREAD|0x20000000, c_lflag=0x20000, ...}) = -1 EINVAL (Invalid argument)",
            "ioctl(1, TCGETS, 0x7fff78c1381c) = -1 ENOTTY (Inappropriate ioctl for device)",
            "ioctl(3, FIOCLEX) = 0",
            "ioctl(3, TCFLSH, TCIOFLUSH) = 0",
            #"ioctl(3, TIOCSTI, "l") = 0"#,
            "ioctl(3, _IOC(_IOC_READ, 0x99, 0x99, 0x8), 0) = -1 ENOTTY (Inappropriate ioctl for device)",
            "ioctl(3, _IOC(_IOC_NONE, 0x99, 0x99, 0), 0) = -1 ENOTTY (Inappropriate ioctl for device)",
            "ioctl(3, _IOC(_IOC_READ|_IOC_WRITE, 0x99, 0x98, 0x10), 0x1234) = -1 ENOTTY (Inappropriate ioctl for device)",
            "ioctl(3, FS_IOC_GETFLAGS, [FS_NOATIME_FL|FS_EXTENT_FL]) = 0",
            "ioctl(3, FS_IOC_GETFLAGS, NULL) = -1 ENOTTY (Inappropriate ioctl for device)",
        ])
    }

    // MARK: waitid

    func testWaitid() {
        let h = FormatterHarness()
        let child = RecordBuilder.sigchldInfo(code: 1, pid: 4667, uid: 0, status: 3)
        let ru = Self.rusageBytes(utime: (0, 380), stime: (0, 0))
        h.call(100, "waitid", [1, 4667, Self.bufPtr, 4, 0], ret: 0, out: [.buffer(2, child)])
        h.call(100, "waitid", [0, 0, Self.bufPtr, 5, 0], ret: 0, out: [.buffer(2, [UInt8](repeating: 0, count: 48))])
        h.call(100, "waitid", [1, 4667, Self.bufPtr, 4, Self.rusagePtr], ret: 0, out: [.buffer(2, child), .buffer(4, ru)])
        h.call(100, "waitid", [0, 0, Self.bufPtr, 5, 0], ret: -10)
        h.call(100, "waitid", [9, 0, Self.bufPtr, 4, 0], ret: -22)
        assertLines(h, [
            "waitid(P_PID, 4667, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4667, si_uid=0, si_status=3, si_utime=0, si_stime=0}, WEXITED, NULL) = 0",
            "waitid(P_ALL, 0, {}, WNOHANG|WEXITED, NULL) = 0",
            "waitid(P_PID, 4667, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4667, si_uid=0, si_status=3, si_utime=0, si_stime=0}, WEXITED, {ru_utime={tv_sec=0, tv_usec=380}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0",
            "waitid(P_ALL, 0, 0x7ffe0bf17be0, WNOHANG|WEXITED, NULL) = -1 ECHILD (No child processes)",
            "waitid(0x9 /* P_??? */, 0, 0x7ffe0bf17be0, WEXITED, NULL) = -1 EINVAL (Invalid argument)",
        ])
    }

    // MARK: capabilities

    func testCapgetCapset() {
        let h = FormatterHarness()
        var v3 = W(); v3.u32(0x2008_0522); v3.i32(0)
        var v0 = W(); v0.u32(0); v0.i32(0)
        var v1 = W(); v1.u32(0x1998_0330); v1.i32(42)
        // effective: CHOWN, KILL and (second word) CAP_BPF (39); permitted: only CAP_MAC_OVERRIDE (32); none inheritable.
        var data = W(); data.u32(1 | 1 << 5); data.u32(0); data.u32(0); data.u32(1 << 7); data.u32(1); data.u32(0)
        h.call(100, "capget", [Self.bufPtr, 0], in: [.buffer(0, v0.bytes)], ret: 0, out: [.buffer(0, v0.bytes)])
        h.call(100, "capget", [Self.bufPtr, Self.lenPtr], in: [.buffer(0, v3.bytes)], ret: 0,
               out: [.buffer(0, v3.bytes), .buffer(1, data.bytes)])
        h.call(100, "capset", [Self.bufPtr, Self.lenPtr], in: [.buffer(0, v1.bytes), .buffer(1, data.bytes)], ret: -1)
        h.call(100, "capget", [Self.bufPtr, Self.lenPtr], in: [.buffer(0, v3.bytes)], ret: -14)
        assertLines(h, [
            "capget({version=0 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, NULL) = 0",
            "capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|1<<CAP_KILL|1<<CAP_BPF, permitted=1<<CAP_MAC_OVERRIDE, inheritable=0}) = 0",
            "capset({version=_LINUX_CAPABILITY_VERSION_1, pid=42}, {effective=1<<CAP_CHOWN|1<<CAP_KILL, permitted=0, inheritable=0}) = -1 EPERM (Operation not permitted)",
            "capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, 0x7ffe0bf17bdc) = -1 EFAULT (Bad address)",
        ])
    }

    // MARK: xattr lists, inotify, epoll_ctl

    func testXattrListsInotifyEpollCtl() {
        let h = FormatterHarness()
        h.call(100, "flistxattr", [3, Self.bufPtr, 256], ret: 18, out: [.buffer(1, Array("user.alpha\0user.b\0".utf8))])
        h.call(100, "flistxattr", [3, 0, 0], ret: 0)
        h.call(100, "flistxattr", [3, Self.bufPtr, 0], ret: 18)
        h.call(100, "llistxattr", [Self.pathPtr, Self.bufPtr, 4], in: [.string(0, "/tmp/xa/f")], ret: -34)
        h.call(100, "inotify_add_watch", [4, Self.pathPtr, 0x2], in: [.string(1, "f.txt")], ret: 1)
        var ev = W(); ev.u32(1); ev.u64(4)
        h.call(100, "epoll_ctl", [3, 1, 4, Self.bufPtr], in: [.buffer(3, ev.bytes)], ret: 0)
        h.call(100, "epoll_ctl", [3, 2, 4, Self.bufPtr], in: [.buffer(3, ev.bytes)], ret: 0)
        assertLines(h, [
            #"flistxattr(3, "user.alpha\0user.b\0", 256) = 18"#,
            "flistxattr(3, NULL, 0) = 0",
            "flistxattr(3, 0x7ffe0bf17be0, 0) = 18",
            #"llistxattr("/tmp/xa/f", 0x7ffe0bf17be0, 4) = -1 ERANGE (Numerical result out of range)"#,
            #"inotify_add_watch(4, "f.txt", IN_MODIFY) = 1"#,
            "epoll_ctl(3, EPOLL_CTL_ADD, 4, {events=EPOLLIN, data={u32=4, u64=4}}) = 0",
            "epoll_ctl(3, EPOLL_CTL_DEL, 4, 0x7ffe0bf17be0) = 0",
        ])
    }

    // MARK: System V IPC

    func testSysVIpc() {
        let h = FormatterHarness()
        h.call(100, "msgget", [0x7d3a_1234, 0o1644], ret: 2)
        h.call(100, "msgctl", [2, 0, 0], ret: 0)
        h.call(100, "semget", [0, 2, 0o3600], ret: 0)
        h.call(100, "semctl", [0, 0, 0, 0], ret: 0)
        h.call(100, "shmget", [0, 4096, 0o1600], ret: 0)
        h.call(100, "shmat", [0, 0, 0o10000], ret: 0x7f00_0000_0000)
        h.call(100, "shmdt", [0x7f00_0000_0000], ret: 0)
        h.call(100, "shmctl", [0, 0x100 | 2, Self.bufPtr], ret: -22)
        h.call(100, "shmget", [0, 4096, 0o1000 | 0o4000 | 21 << 26 | 0o600], ret: -12)
        h.call(100, "msgget", [1, 0], ret: -2)
        h.call(100, "msgctl", [2, 99, 0], ret: -22)
        assertLines(h, [
            "msgget(0x7d3a1234, IPC_CREAT|0644) = 2",
            "msgctl(2, IPC_RMID, NULL) = 0",
            "semget(IPC_PRIVATE, 2, IPC_CREAT|IPC_EXCL|0600) = 0",
            "semctl(0, 0, IPC_RMID, NULL) = 0",
            "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = 0",
            "shmat(0, NULL, SHM_RDONLY) = 0x7f0000000000",
            "shmdt(0x7f0000000000) = 0",
            "shmctl(0, IPC_64|IPC_STAT, 0x7ffe0bf17be0) = -1 EINVAL (Invalid argument)",
            "shmget(IPC_PRIVATE, 4096, IPC_CREAT|SHM_HUGETLB|21<<SHM_HUGE_SHIFT|0600) = -1 ENOMEM (Cannot allocate memory)",
            "msgget(0x1, 000) = -1 ENOENT (No such file or directory)",
            "msgctl(2, 0x63 /* MSG_??? */, NULL) = -1 EINVAL (Invalid argument)",
        ])
    }

    // MARK: sleeps

    /// The remaining time is printed when the call returns, so an interrupted line ends before it.
    func testSleepRemainderPrintsAtExit() {
        let h = FormatterHarness()
        var ts = W(); ts.i64(1); ts.i64(0)
        h.enter(100, tid: 101, "clock_nanosleep", [1, 1, Self.bufPtr, 0], [.buffer(2, ts.bytes)])
        h.call(100, tid: 102, "getpid", [], ret: 100)
        h.exit(100, tid: 101, "clock_nanosleep", 0)
        h.call(100, tid: 101, "nanosleep", [Self.bufPtr, Self.lenPtr], in: [.buffer(0, ts.bytes)], ret: -4)
        assertLines(h, [
            "[pid   101] clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=1, tv_nsec=0},  <unfinished ...>",
            "[pid   102] getpid() = 100",
            "[pid   101] <... clock_nanosleep resumed>NULL) = 0",
            "[pid   101] nanosleep({tv_sec=1, tv_nsec=0}, 0x7ffe0bf17bdc) = -1 EINTR (Interrupted system call)",
        ])
    }

    func testRtSigtimedwait() {
        let h = FormatterHarness()
        var set = W(); set.u64(1 << 11)
        var ts = W(); ts.i64(1); ts.i64(0)
        let info = RecordBuilder.killInfo(signo: 12, pid: 13351, uid: 0)
        h.call(100, "rt_sigtimedwait", [Self.bufPtr, Self.valPtr, Self.lenPtr, 8], in: [.buffer(0, set.bytes), .buffer(2, ts.bytes)],
               ret: 12, out: [.buffer(1, info)])
        h.call(100, "rt_sigtimedwait", [Self.bufPtr, 0, Self.lenPtr, 8], in: [.buffer(0, set.bytes), .buffer(2, ts.bytes)], ret: 12)
        h.call(100, "rt_sigtimedwait", [Self.bufPtr, Self.valPtr, Self.lenPtr, 8], in: [.buffer(0, set.bytes), .buffer(2, ts.bytes)],
               ret: -11)
        assertLines(h, [
            "rt_sigtimedwait([USR2], {si_signo=SIGUSR2, si_code=SI_USER, si_pid=13351, si_uid=0}, {tv_sec=1, tv_nsec=0}, 8) = 12 (SIGUSR2)",
            "rt_sigtimedwait([USR2], NULL, {tv_sec=1, tv_nsec=0}, 8) = 12 (SIGUSR2)",
            "rt_sigtimedwait([USR2], 0x7fff78c1381c, {tv_sec=1, tv_nsec=0}, 8) = -1 EAGAIN (Resource temporarily unavailable)",
        ])
    }

    // MARK: personality, getcpu, fallocate, openat2, setns, pidfd_send_signal, sched_attr

    func testMiscellaneousProcessAndFileCalls() {
        let h = FormatterHarness()
        h.call(100, "getcpu", [Self.valPtr, Self.lenPtr, 0], ret: 0, out: [.buffer(0, Self.int32(1)), .buffer(1, Self.int32(0))])
        h.call(100, "personality", [0xffff_ffff], ret: 0)
        h.call(100, "personality", [0x40_0000], ret: 0)
        h.call(100, "personality", [0x33], ret: 0x40_0000)
        h.call(100, "fallocate", [3, 3, 0, 4096], ret: 0)
        h.call(100, "sync_file_range", [3, 0, 0, 2], ret: 0)
        var how = W(); how.u64(0o2000000); how.u64(0); how.u64(4)
        h.call(100, "openat2", [4294967196, Self.pathPtr, Self.bufPtr, 24], in: [.string(1, "/etc/hostname"), .buffer(2, how.bytes)], ret: 4)
        var create = W(); create.u64(0o101); create.u64(0o644); create.u64(0)
        h.call(100, "openat2", [4294967196, Self.pathPtr, Self.bufPtr, 24], in: [.string(1, "x"), .buffer(2, create.bytes)], ret: 5)
        h.call(100, "openat2", [4294967196, Self.pathPtr, Self.bufPtr, 16], in: [.string(1, "x"), .buffer(2, Array(create.bytes.prefix(16)))],
               ret: -22)
        h.call(100, "setns", [5, 0x400_0000], ret: 0)
        h.call(100, "setns", [5, 0], ret: 0)
        h.call(100, "pidfd_send_signal", [6, 10, 0, 0], ret: 0)
        var attr = W(); attr.u32(56); attr.u32(0); attr.u64(0); attr.i32(0); attr.u32(0); attr.u64(1_400_000); attr.u64(0); attr.u64(0)
        attr.u32(0); attr.u32(1024)
        h.call(100, "sched_getattr", [0, Self.bufPtr, 56, 0], ret: 0, out: [.buffer(1, attr.bytes)])
        var keep = W(); keep.u32(48); keep.u32(0); keep.u64(0x18); keep.zeros(32)
        h.call(100, "sched_setattr", [0, Self.bufPtr, 0], in: [.buffer(1, keep.bytes)], ret: 0)
        assertLines(h, [
            "getcpu([1], [0], NULL) = 0",
            "personality(0xffffffff) = 0 (PER_LINUX)",
            "personality(PER_LINUX|READ_IMPLIES_EXEC) = 0 (PER_LINUX)",
            "personality(0x33 /* PER_??? */) = 0x400000 (PER_LINUX|READ_IMPLIES_EXEC)",
            "fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 4096) = 0",
            "sync_file_range(3, 0, 0, SYNC_FILE_RANGE_WRITE) = 0",
            #"openat2(AT_FDCWD, "/etc/hostname", {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}, 24) = 4"#,
            #"openat2(AT_FDCWD, "x", {flags=O_WRONLY|O_CREAT, mode=0644, resolve=0}, 24) = 5"#,
            #"openat2(AT_FDCWD, "x", 0x7ffe0bf17be0, 16) = -1 EINVAL (Invalid argument)"#,
            "setns(5, CLONE_NEWUTS) = 0",
            "setns(5, 0) = 0",
            "pidfd_send_signal(6, SIGUSR1, NULL, 0) = 0",
            "sched_getattr(0, {size=56, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0, sched_util_min=0, sched_util_max=1024}, 56, 0) = 0",
            "sched_setattr(0, {size=48, sched_flags=SCHED_FLAG_KEEP_POLICY|SCHED_FLAG_KEEP_PARAMS}, 0) = 0",
        ])
    }

    // MARK: -X raw

    /// -X raw prints the numbers behind the names, part by part, as strace 6.1 -X raw does.
    func testRawConstantsInCompositeValues() {
        let h = FormatterHarness(constantStyle: .raw)
        let odd = Self.termiosBytes(iflag: 0x8000, oflag: 0x10_0000 | 0x1, cflag: 0x2000_0000 | 0x000d_0000 | 0x100f | 0x30 | 0x80,
                                    lflag: 0x2_0000)
        h.call(100, "ioctl", [3, 0x5402, Self.valPtr], in: [.buffer(2, odd)], ret: -25)
        h.call(100, "personality", [0xffff_ffff], ret: 0)
        h.call(100, "personality", [0], ret: 0x40_0000)
        h.call(100, "prctl", [27, 0, 0, 0, 0], ret: 0x10)
        assertLines(h, [
            "ioctl(3, 0x5402, {c_iflag=0x8000, c_oflag=0|0|0|0|0|0|0x100001, c_cflag=0x100f|0xd<<0x10|0x30|0x20000080, c_lflag=0x20000, ...}) = -1 ENOTTY (Inappropriate ioctl for device)",
            "personality(0xffffffff) = 0 (0)",
            "personality(0) = 0x400000 (0|0x400000)",
            "prctl(0x1b) = 0x10",
        ])
    }

    // MARK: queued signals, semaphore operations

    func testSigqueueinfoAndSemop() {
        let h = FormatterHarness()
        var info = W(); info.i32(10); info.i32(0); info.i32(-1); info.u32(0); info.i32(19743); info.u32(0); info.u64(7); info.zeros(16)
        h.call(100, "rt_sigqueueinfo", [19743, 10, Self.bufPtr], in: [.buffer(2, info.bytes)], ret: 0)
        h.call(100, "rt_tgsigqueueinfo", [19743, 19744, 10, 0], ret: -14)
        var ops = W(); ops.u16(0); ops.u16(1); ops.u16(0x1000); ops.u16(1); ops.u16(UInt16(bitPattern: -1)); ops.u16(0x800)
        h.call(100, "semtimedop", [6, Self.bufPtr, 2, 0], in: [.buffer(1, ops.bytes)], ret: -11)
        h.call(100, "semop", [6, Self.bufPtr, 1], in: [.buffer(1, Array(ops.bytes.prefix(6)))], ret: 0)
        h.call(100, "semop", [6, Self.bufPtr, 1], in: [.buffer(1, [1, 2])], ret: 0)  // a short copy: the address
        assertLines(h, [
            "rt_sigqueueinfo(19743, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=19743, si_uid=0, si_int=7, si_ptr=0x7}) = 0",
            "rt_tgsigqueueinfo(19743, 19744, SIGUSR1, NULL) = -1 EFAULT (Bad address)",
            "semtimedop(6, [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}, {sem_num=1, sem_op=-1, sem_flg=IPC_NOWAIT}], 2, NULL) = -1 EAGAIN (Resource temporarily unavailable)",
            "semop(6, [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}], 1) = 0",
            "semop(6, 0x7ffe0bf17be0, 1) = 0",
        ])
    }
}
