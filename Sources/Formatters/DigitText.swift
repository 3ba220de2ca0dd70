/// Numbers written straight into an output buffer: the formatter prints a few per line, and
/// going through String (conversion, then its UTF-8 view) was a visible part of its time.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 { return append(UInt8(ascii: "0") &+ UInt8(value)) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var n = value, count = 0
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            while n > 0 {
                buffer[23 - count] = UInt8(ascii: "0") &+ UInt8(n % 10)
                n /= 10
                count += 1
            }
        }
        Swift.withUnsafeBytes(of: &digits) { buffer in append(contentsOf: buffer[(24 - count)...]) }
    }

    @inline(__always)
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(value.magnitude)
        } else {
            appendDecimal(UInt64(value))
        }
    }

    /// Lower-case hex digits, no prefix.
    @inline(__always)
    mutating func appendHexDigits(_ value: UInt64) {
        if value == 0 { return append(UInt8(ascii: "0")) }
        let shift = (63 - value.leadingZeroBitCount) / 4 * 4
        var s = shift
        while s >= 0 {
            let d = UInt8((value >> UInt64(s)) & 0xf)
            append(d < 10 ? UInt8(ascii: "0") &+ d : UInt8(ascii: "a") &+ d &- 10)
            s -= 4
        }
    }
}
