import Syscalls
import XCTest

final class TraceExpressionTests: XCTestCase {
    let table = SyscallTable.x86_64

    func n(_ name: String) -> Int { table.number(named: name)! }

    func testNamesClassesRegexOptionalAndNegation() throws {
        XCTAssertEqual(try TraceExpression.parse("openat,close", table: table), [n("openat"), n("close")])
        XCTAssertNil(try TraceExpression.parse("all", table: table))
        XCTAssertEqual(try TraceExpression.parse("none", table: table), [])
        XCTAssertEqual(try TraceExpression.parse("?no_such_call,read", table: table), [n("read")])
        let network = try XCTUnwrap(TraceExpression.parse("%network", table: table))
        // strace's short name for it.
        XCTAssertEqual(try XCTUnwrap(TraceExpression.parse("%net", table: table)), network)
        XCTAssertTrue(network.contains(n("connect")) && !network.contains(n("read")))
        let file = try XCTUnwrap(TraceExpression.parse("%file", table: table))
        XCTAssertTrue(file.contains(n("openat")) && file.contains(n("execve")) && !file.contains(n("read")))
        let desc = try XCTUnwrap(TraceExpression.parse("%desc", table: table))
        XCTAssertTrue(desc.contains(n("read")) && desc.contains(n("pipe2")) && !desc.contains(n("getpid")))
        let regex = try XCTUnwrap(TraceExpression.parse("/^getp", table: table))
        XCTAssertTrue(regex.contains(n("getpid")) && regex.contains(n("getppid")) && !regex.contains(n("gettid")))
        let negated = try XCTUnwrap(TraceExpression.parse("!%memory", table: table))
        XCTAssertFalse(negated.contains(n("mmap")))
        XCTAssertTrue(negated.contains(n("openat")))
        XCTAssertEqual(negated.count, table.all.count - SyscallClass.memory.members(in: table).count)
    }

    /// Memberships where deriving a class from the arguments disagreed with strace 6.1.
    func testClassesAgreeWithStraceWhereDerivingFromArgumentsDoesNot() throws {
        let file = try XCTUnwrap(TraceExpression.parse("%file", table: table))
        for name in ["getcwd", "acct", "umount2", "name_to_handle_at", "fsconfig"] {
            XCTAssertTrue(file.contains(n(name)), name)
        }
        let desc = try XCTUnwrap(TraceExpression.parse("%desc", table: table))
        for name in ["open", "creat", "poll", "select", "pselect6", "ppoll", "mq_open", "pidfd_open", "sendfile",
                     "memfd_secret", "fsopen", "bpf"] {
            XCTAssertTrue(desc.contains(n(name)), name)
        }
        for name in ["connect", "sendmsg", "accept4", "socketpair", "close_range"] {
            XCTAssertFalse(desc.contains(n(name)), name)
        }
        let process = try XCTUnwrap(TraceExpression.parse("%process", table: table))
        XCTAssertFalse(process.contains(n("unshare")) || process.contains(n("setns")) || process.contains(n("pidfd_open")))
        let memory = try XCTUnwrap(TraceExpression.parse("%memory", table: table))
        XCTAssertTrue(memory.contains(n("shmat")) && memory.contains(n("io_setup")) && !memory.contains(n("process_madvise")))
        XCTAssertTrue(try XCTUnwrap(TraceExpression.parse("%creds", table: table)).contains(n("prctl")))
        XCTAssertTrue(try XCTUnwrap(TraceExpression.parse("%fstat", table: table)).contains(n("statx")))
        XCTAssertTrue(try XCTUnwrap(TraceExpression.parse("%network", table: table)).contains(n("sendfile")))
    }

    func testErrorsNameTheProblem() {
        XCTAssertThrowsError(try TraceExpression.parse("opnat", table: table)) {
            XCTAssertEqual("\($0)", "invalid system call 'opnat'")
        }
        XCTAssertThrowsError(try TraceExpression.parse("%filez", table: table)) {
            XCTAssertEqual("\($0)", "invalid system call class '%filez'")
        }
        XCTAssertThrowsError(try TraceExpression.parse("/(", table: table))
        XCTAssertThrowsError(try TraceExpression.parse("/^zzz", table: table))
    }
}
