@testable import Beautifiers
import XCTest

/// The decoders switch on named commands (fcntl's, ioctl's requests, prctl's options) where the
/// tables print names: each named constant must be the value its table gives that name.
final class NamedConstantTests: XCTestCase {
    /// Every case's name is one of the names `table` prints for its value (ioctl codes that
    /// share a value print `A or B`).
    func check<T: CaseIterable & RawRepresentable>(_ type: T.Type, _ table: EnumTable, value: (T.RawValue) -> UInt64,
                                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(T.allCases.isEmpty, file: file, line: line)
        for c in T.allCases {
            let printed = table.name(for: value(c.rawValue))?.components(separatedBy: " or ") ?? []
            XCTAssertTrue(printed.contains(String(describing: c)), "\(c) = \(value(c.rawValue)): the table says \(printed)",
                          file: file, line: line)
        }
    }

    func testFcntlCommands() { check(FileCalls.Command.self, Tables.fcntlCommands) { UInt64(bitPattern: Int64($0)) } }
    func testIoctlRequests() { check(IoctlCalls.Request.self, Tables.ioctlRequests) { UInt64($0) } }
    func testPrctlOptions() { check(PrctlCalls.Option.self, Tables.prctlOptions) { UInt64(bitPattern: Int64($0)) } }

    func testHexText() {
        XCTAssertEqual(Structs.hexText(0), "0")
        XCTAssertEqual(Structs.hexText(0x1f), "0x1f")
        XCTAssertEqual(Structs.hexText(UInt64.max), "0xffffffffffffffff")
    }
}
