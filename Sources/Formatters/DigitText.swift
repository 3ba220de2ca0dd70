/// Numbers written straight into output buffers: the formatters print a few per line, and going
/// through String (conversion, then its UTF-8 view) was a visible part of their time. Both
/// write through `ByteBuffer`; decimals are in DigitPairs.swift.
enum DigitText {
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
