import CgtraceABI
import XCTest

/// readv/writev and sendmsg/recvmsg, against the lines strace 6.1 printed for python3's
/// os.readv/os.writev and socket.sendmsg/recvmsg on this machine.
final class MessageCallTests: XCTestCase {
    typealias Cap = RecordBuilder.Cap
    static let iov: UInt64 = 0x7ffd_0000_1000
    static let msg: UInt64 = 0x7ffd_0000_2000

    func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    /// One CGT_CAP_IOV capture: iov_base, iov_len, then the data the kernel copied.
    func element(_ arg: Int, _ index: Int, base: UInt64 = 0x5555_0000_0000, length: UInt64, _ data: String) -> Cap {
        Cap(arg: UInt8(arg), kind: .iovec, index: UInt16(index), data: u64(base) + u64(length) + Array(data.utf8))
    }

    func msghdr(_ arg: Int, name: UInt64 = 0, nameLength: UInt32 = 0, iovLength: UInt64, control: UInt64 = 0,
                controlLength: UInt64 = 0, flags: UInt32 = 0) -> Cap {
        let bytes = u64(name) + u32(nameLength) + u32(0) + u64(Self.iov) + u64(iovLength) + u64(control)
            + u64(controlLength) + u32(flags) + u32(0)
        return Cap(arg: UInt8(arg), kind: .messageHeader, data: bytes)
    }

    func normalized(_ h: FormatterHarness) -> [String] {
        h.lines().map { $0.replacingOccurrences(of: #" +="#, with: " =", options: .regularExpression) }
    }

    func testWritevAndReadv() {
        let h = FormatterHarness()
        let x40 = String(repeating: "x", count: 40)
        h.call(100, "writev", [4, Self.iov, 3], in: [element(1, 0, length: 5, "hello"), element(1, 1, length: 1, "\n"),
                                                    element(1, 2, length: 40, String(x40.prefix(32)))], ret: 46)
        // readv: 46 bytes over elements of 3, 100 and 5: the last one gets nothing.
        h.call(100, "readv", [3, Self.iov, 3], in: [], ret: 46,
               out: [element(1, 0, length: 3, "hel"), element(1, 1, length: 100, "lo\n" + String(x40.prefix(29))),
                     element(1, 2, length: 5, "")])
        h.call(100, "readv", [99, Self.iov, 1], in: [element(1, 0, base: 0x7fc1_8026_c790, length: 1, "")], ret: -9)
        XCTAssertEqual(normalized(h), [
            #"writev(4, [{iov_base="hello", iov_len=5}, {iov_base="\n", iov_len=1}, {iov_base="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"..., iov_len=40}], 3) = 46"#,
            #"readv(3, [{iov_base="hel", iov_len=3}, {iov_base="lo\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"..., iov_len=100}, {iov_base="", iov_len=5}], 3) = 46"#,
            "readv(99, [{iov_base=0x7fc18026c790, iov_len=1}], 1) = -1 EBADF (Bad file descriptor)",
        ])
    }

    /// A NULL iov_base prints as NULL even when the call succeeded (ip's MSG_PEEK|MSG_TRUNC probe).
    func testNullIovBase() {
        let h = FormatterHarness()
        h.call(100, "readv", [3, Self.iov, 1], in: [], ret: 0, out: [element(1, 0, base: 0, length: 0, "")])
        h.call(100, "writev", [3, Self.iov, 1], in: [element(1, 0, base: 0, length: 0, "")], ret: 0)
        XCTAssertEqual(normalized(h), [
            "readv(3, [{iov_base=NULL, iov_len=0}], 1) = 0",
            "writev(3, [{iov_base=NULL, iov_len=0}], 1) = 0",
        ])
    }

    func testSendmsgAndRecvmsg() {
        let h = FormatterHarness()
        let sin: [UInt8] = [2, 0, 0xb8, 0xdf, 127, 0, 0, 1] + Array(repeating: 0, count: 8)  // port 47327
        h.call(100, "sendmsg", [7, Self.msg, 0],
               in: [msghdr(1, name: 0x7ffd_0000_3000, nameLength: 16, iovLength: 2),
                    Cap(arg: 1, kind: .messageName, data: sin),
                    element(1, 0, length: 4, "ping"), element(1, 1, length: 1, "!")], ret: 5)
        // recvmsg on a socketpair: the name buffer stays unused (110 => 0), an fd arrives.
        let rights = u64(20) + u32(1) + u32(1) + u32(11) + u32(0)
        h.call(100, "recvmsg", [9, Self.msg, 0],
               in: [msghdr(1, name: 0x7ffd_6683_5270, nameLength: 110, iovLength: 1, control: 0x7ffd_0000_4000, controlLength: 64)],
               ret: 7,
               out: [msghdr(1, name: 0x7ffd_6683_5270, nameLength: 0, iovLength: 1, control: 0x7ffd_0000_4000, controlLength: 24),
                     element(1, 0, length: 10, "with-fd"),
                     Cap(arg: 1, kind: .messageControl, data: rights)])
        h.call(100, "recvmsg", [9, Self.msg, 0x40], in: [msghdr(1, iovLength: 1)], ret: -11)
        XCTAssertEqual(normalized(h), [
            #"sendmsg(7, {msg_name={sa_family=AF_INET, sin_port=htons(47327), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[{iov_base="ping", iov_len=4}, {iov_base="!", iov_len=1}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 5"#,
            #"recvmsg(9, {msg_name=0x7ffd66835270, msg_namelen=110 => 0, msg_iov=[{iov_base="with-fd", iov_len=10}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[11]}], msg_controllen=24, msg_flags=0}, 0) = 7"#,
            "recvmsg(9, 0x7ffd00002000, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)",
        ])
    }

    /// Short captures, a cmsg_len of 0 and more elements than captured never trap.
    func testMalformedCapturesPrintSafely() {
        let h = FormatterHarness()
        h.call(100, "writev", [1, Self.iov, 40], in: [Cap(arg: 1, kind: .iovec, data: [1, 2, 3]),
                                                     element(1, 0, length: UInt64.max, "a")], ret: 1)
        h.call(100, "recvmsg", [3, Self.msg, 0], in: [], ret: 3,
               out: [msghdr(1, iovLength: UInt64.max, control: 1, controlLength: 99),
                     Cap(arg: 1, kind: .messageControl, data: u64(0) + u32(1) + u32(1))])
        // A cmsg_len near 2^64 (any process can send one; the kernel refuses it with EINVAL after
        // cgtrace has copied it): printed as written, the fds cut at what was copied.
        for length in [UInt64.max, UInt64.max - 20, 1 << 63] {
            h.call(100, "sendmsg", [3, Self.msg, 0],
                   in: [msghdr(1, iovLength: 0, control: 1, controlLength: 24),
                        Cap(arg: 1, kind: .messageControl, data: u64(length) + u32(1) + u32(1) + u32(5) + u32(6))],
                   ret: -22)
        }
        let lines = h.lines()
        XCTAssertEqual(lines.count, 5)
        XCTAssertTrue(lines[2].contains("cmsg_len=18446744073709551615, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5, 6]"),
                      lines[2])
    }
}

extension MessageCallTests {
    /// sendmmsg/recvmmsg as strace 6.1 printed them for two datagrams over loopback.
    func testSendmmsgAndRecvmmsg() {
        let h = FormatterHarness()
        let vec: UInt64 = 0x7ffd_0000_6000
        let e0 = UInt8(CGT_ARG_ELEMENT0)
        func header(_ k: UInt8, name: UInt64 = 0, nameLength: UInt32 = 0) -> Cap {
            let bytes = u64(name) + u32(nameLength) + u32(0) + u64(Self.iov) + u64(1) + u64(0) + u64(0) + u32(0) + u32(0)
            return Cap(arg: e0 + k, kind: .messageHeader, data: bytes)
        }
        func length(_ k: UInt8, _ n: UInt32) -> Cap { Cap(arg: e0 + k, kind: .messageLength, data: u32(n) + u32(0)) }
        func iov(_ k: UInt8, _ len: UInt64, _ text: String) -> Cap {
            Cap(arg: e0 + k, kind: .iovec, data: u64(0x5555_0000_0000) + u64(len) + Array(text.utf8))
        }
        h.call(100, "sendmmsg", [4, vec, 2, 0], in: [header(0), iov(0, 5, "first"), header(1), iov(1, 7, "second!")], ret: 2,
               out: [length(0, 5), length(1, 7)])
        let sin: [UInt8] = [2, 0, 0xb4, 0x2d, 127, 0, 0, 1] + Array(repeating: 0, count: 8)  // port 46125
        h.call(100, "recvmmsg", [3, vec, 3, 0x40, 0], in: [header(0, name: 0x7ffd_0000_7000, nameLength: 16)], ret: 1,
               out: [header(0, name: 0x7ffd_0000_7000, nameLength: 16),
                     Cap(arg: e0, kind: .messageName, data: sin), iov(0, 16, "first"), length(0, 5)])
        XCTAssertEqual(normalized(h), [
            #"sendmmsg(4, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="first", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="second!", iov_len=7}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=7}], 2, 0) = 2"#,
            #"recvmmsg(3, [{msg_hdr={msg_name={sa_family=AF_INET, sin_port=htons(46125), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[{iov_base="first", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}], 3, MSG_DONTWAIT, NULL) = 1"#,
        ])
    }
}
