/// Numbers written straight into output buffers: the formatters print a few per line, and going
/// through String (conversion, then its UTF-8 view) was a visible part of their time. One
/// algorithm for both buffers: the text's `[UInt8]` lines and the JSON writers' `ByteBuffer`.
enum DigitText {
    /// How many decimal digits `value` has.
    @inline(__always)
    static func decimalCount(_ value: UInt64) -> Int {
        var digits = 1, v = value
        while v >= 10 { v /= 10; digits += 1 }
        return digits
    }

    /// Writes `value`'s `digits` decimal digits at `to` (room for them must be there).
    @inline(__always)
    static func writeDecimal(_ value: UInt64, digits: Int, to: UnsafeMutablePointer<UInt8>) {
        var n = value, at = digits - 1
        repeat {
            to[at] = UInt8(ascii: "0") &+ UInt8(n % 10)
            n /= 10
            at -= 1
        } while at >= 0
    }

    /// How many lower-case hex digits `value` has (no prefix).
    @inline(__always)
    static func hexCount(_ value: UInt64) -> Int { value == 0 ? 1 : (64 - value.leadingZeroBitCount + 3) / 4 }

    @inline(__always)
    static func hexDigit(_ d: UInt8) -> UInt8 { d < 10 ? UInt8(ascii: "0") &+ d : UInt8(ascii: "a") &+ d &- 10 }

    /// Writes `value`'s `digits` hex digits at `to`.
    @inline(__always)
    static func writeHex(_ value: UInt64, digits: Int, to: UnsafeMutablePointer<UInt8>) {
        for i in 0..<digits { to[i] = hexDigit(UInt8((value >> UInt64(4 * (digits - 1 - i))) & 0xf)) }
    }
}
