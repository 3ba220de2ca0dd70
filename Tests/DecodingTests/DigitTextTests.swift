@testable import Formatters
import XCTest

/// The formatter's own number writing against Swift's.
final class DigitTextTests: XCTestCase {
    func testDecimalAndHexMatchSwift() {
        let signed: [Int64] = [0, 9, 10, -1, -10, 42, Int64.max, Int64.min, 1_795_336_493, -4095]
        for v in signed {
            var b: [UInt8] = []
            b.appendDecimal(v)
            XCTAssertEqual(String(decoding: b, as: UTF8.self), String(v))
        }
        let unsigned: [UInt64] = [0, 1, 15, 16, 255, 0x7ffc_bdc0_9c60, UInt64.max, 1 << 63]
        for v in unsigned {
            var d: [UInt8] = [], h: [UInt8] = []
            d.appendDecimal(v)
            h.appendHexDigits(v)
            XCTAssertEqual(String(decoding: d, as: UTF8.self), String(v))
            XCTAssertEqual(String(decoding: h, as: UTF8.self), String(v, radix: 16))
        }
    }
}
