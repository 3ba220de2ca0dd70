// -X raw/verbose in the printers, and strace 6.x's -Y, -N and -e quiet=, each against lines strace 6.1
// printed on this machine (-N: strace 6.16's documented form).
import Beautifiers
import Formatters
import XCTest

final class ConstantStyleTests: XCTestCase {
    typealias Cap = RecordBuilder.Cap

    func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    func testSignalsSignalSetsAndCloneUnderVerbose() {
        let h = FormatterHarness(constantStyle: .verbose)
        h.call(100, "kill", [200, 15], ret: 0)
        // SIGHUP (bit 0) and SIGRTMIN+2 = 34 (bit 33)
        h.call(100, "rt_sigprocmask", [0, 0x7ffd_0000_1000, 0, 8], in: [.buffer(1, u64(1 | 1 << 33))], ret: 0)
        h.call(100, "clone", [0x0120_0011, 0, 0, 0x7f00_0000_1000, 0], ret: 300)
        let lines = h.lines()
        XCTAssertEqual(lines.first, "kill(200, 15 /* SIGTERM */)" + String(repeating: " ", count: 13) + "= 0")
        XCTAssertTrue(lines.contains { $0.hasPrefix("rt_sigprocmask(0 /* SIG_BLOCK */, [1 /* HUP */ 34 /* RT_2 */], NULL, 8)") },
                      "\(lines)")
        XCTAssertTrue(lines.contains {
            $0.hasPrefix("clone(child_stack=NULL, flags=0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */")
        }, "\(lines)")
    }

    func testRlimitsUnderVerboseAndRaw() {
        for (style, expected) in [(ConstantStyle.verbose, "{rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* RLIM64_INFINITY */}"),
                                  (.raw, "{rlim_cur=8388608, rlim_max=18446744073709551615}"),
                                  (.abbrev, "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}")] {
            let h = FormatterHarness(constantStyle: style)
            h.call(100, "prlimit64", [0, 3, 0, 0x7ffd_0000_2000], ret: 0, out: [.buffer(3, u64(8 << 20) + u64(.max))])
            let line = h.lines().first ?? ""
            XCTAssertTrue(line.contains(expected), "\(style): \(line)")
        }
    }
}

final class Strace6OptionTests: XCTestCase {
    func testDecodePidsCommNamesPrefixesArgumentsAndResults() {
        let h = FormatterHarness { $0.decodePids = [.comm]; $0.pidPrefix = .always }
        h.fork(100, child: 101, comm: "sh")
        h.call(101, "getpid", [], ret: 101)
        h.enter(101, "execve", [0x1000, 0x2000, 0x3000], [.string(0, "/usr/bin/sleep")])
        h.exec(101, oldTid: 101, comm: "sleep")
        h.exit(101, "execve", 0)
        h.call(101, "getpid", [], ret: 101)
        h.call(100, "kill", [101, 15], ret: 0)
        h.taskExit(101, status: 15)
        h.call(100, "wait4", [UInt64(UInt32(bitPattern: -1)), 0, 0, 0], ret: 101)
        let lines = h.lines()
        XCTAssertTrue(lines.contains { $0.hasPrefix("101<sh> getpid()") && $0.hasSuffix("= 101<sh>") }, "\(lines)")
        // the execve's own line has the name it had when it started
        XCTAssertTrue(lines.contains { $0.hasPrefix("101<sh> execve(\"/usr/bin/sleep\"") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("101<sleep> getpid()") && $0.hasSuffix("= 101<sleep>") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("kill(101<sleep>, SIGTERM)") }, "\(lines)")
        // reaped: no name, as strace (its /proc entry is gone)
        XCTAssertTrue(lines.contains { $0.contains("wait4(-1, NULL, 0, NULL)") && $0.hasSuffix("= 101") }, "\(lines)")
    }

    func testArgumentNames() {
        let h = FormatterHarness { $0.argNames = true }
        h.call(100, "openat", [FormatterTests.AT_FDCWD, 0x1000, 0x80000], in: [.string(1, "/etc/hostname")], ret: 3)
        XCTAssertEqual(h.lines(), ["openat(dirfd=AT_FDCWD, pathname=\"/etc/hostname\", flags=O_RDONLY|O_CLOEXEC) = 3"])
    }

    func testQuietExitLeavesExitLinesOut() {
        let h = FormatterHarness { $0.quiet = [.exit] }
        h.call(100, "exit_group", [0], ret: 0)
        h.taskExit(100, status: 0)
        XCTAssertEqual(h.lines().filter { $0.hasPrefix("+++") }, [])
        let loud = FormatterHarness()
        loud.call(100, "exit_group", [0], ret: 0)
        loud.taskExit(100, status: 0)
        XCTAssertEqual(loud.lines().last, "+++ exited with 0 +++")
    }
}
