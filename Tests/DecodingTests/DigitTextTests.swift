@testable import Formatters
import XCTest

/// The formatter's own number writing against Swift's.
final class DigitTextTests: XCTestCase {
    func testDecimalAndHexMatchSwift() {
        let signed: [Int64] = [0, 9, 10, -1, -10, 42, Int64.max, Int64.min, 1_795_336_493, -4095]
        for v in signed {
            var b = ByteBuffer(capacity: 4)
            b.appendDecimal(v)
            XCTAssertEqual(String(decoding: b.array, as: UTF8.self), String(v))
        }
        let unsigned: [UInt64] = [0, 1, 15, 16, 255, 0x7ffc_bdc0_9c60, UInt64.max, 1 << 63]
        for v in unsigned {
            var d = ByteBuffer(capacity: 4), h = ByteBuffer(capacity: 4)
            d.appendDecimal(v)
            h.appendHexDigits(v)
            XCTAssertEqual(String(decoding: d.array, as: UTF8.self), String(v))
            XCTAssertEqual(String(decoding: h.array, as: UTF8.self), String(v, radix: 16))
        }
    }

    /// Digit counts come from the bit length and one comparison: every power of ten and its
    /// neighbours, where an estimate off by one would show.
    func testDecimalAtEveryPowerOfTen() {
        var p: UInt64 = 1
        var values: [UInt64] = [UInt64.max, UInt64.max - 1]
        for _ in 0...19 {
            values += [p &- 1, p, p &+ 1, p &* 2, p &* 5 &- 1]
            if p > UInt64.max / 10 { break }
            p *= 10
        }
        for v in values {
            var b = ByteBuffer(capacity: 1)
            b.appendHexDigits(v)
            XCTAssertEqual(String(decoding: b.array, as: UTF8.self), String(v, radix: 16))
            var bb = ByteBuffer(capacity: 4)
            bb.appendDecimal(v)
            XCTAssertEqual(String(decoding: bb.array, as: UTF8.self), String(v))
        }
    }

    /// The JSON writers' buffer: numbers as Swift prints them, growth past its first capacity.
    func testByteBufferNumbersMatchSwift() {
        var b = ByteBuffer(capacity: 16)
        var expected = ""
        for v: Int64 in [0, 9, 10, -1, -10, 42, Int64.max, Int64.min, 1_795_336_493, -4095] {
            b.appendDecimal(v); b.append(UInt8(ascii: " "))
            expected += String(v) + " "
        }
        for v: UInt64 in [0, 1, 15, 16, 255, 0x7ffc_bdc0_9c60, UInt64.max, 1 << 63] {
            b.appendDecimal(v); b.append(UInt8(ascii: " ")); b.appendHexDigits(v); b.append(UInt8(ascii: " "))
            expected += String(v) + " " + String(v, radix: 16) + " "
        }
        b.appendFixed(1_700_000_000_123456, scale: 6); b.append(UInt8(ascii: " "))
        b.appendFixed(5, scale: 3); b.append(UInt8(ascii: " "))
        b.appendFixed(-1_500, scale: 3)
        expected += "1700000000.123456 0.005 -1.500"
        XCTAssertEqual(String(decoding: b.array, as: UTF8.self), expected)
        b.truncate(to: 3)
        b.insert(UInt8(ascii: "["), at: 0)
        XCTAssertEqual(String(decoding: b.array, as: UTF8.self), "[0 9")
    }
}
