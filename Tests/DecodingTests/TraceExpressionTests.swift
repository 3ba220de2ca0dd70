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
