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

extension Array where Element == UInt8 {
    /// A literal's bytes: short ones (`, `, `= `, `)`: most of a line's) one by one, which is
    /// cheaper than append(contentsOf:)'s generic copy for a byte or two; longer ones at once.
    @inline(__always)
    mutating func appendLiteral(_ s: StaticString) {
        // (A one-scalar literal may be held as the scalar, without bytes to point at.)
        guard s.hasPointerRepresentation else { return s.withUTF8Buffer { append(contentsOf: $0) } }
        let n = s.utf8CodeUnitCount
        let p = s.utf8Start
        if n <= 4 {
            for i in 0..<n { append(p[i]) }
        } else {
            append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// The digits go through a 24-byte stack buffer (room for 20) and are appended at once.
    @inline(__always)
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 { return append(UInt8(ascii: "0") &+ UInt8(value)) }
        appendDigits(DigitText.decimalCount(value)) { DigitText.writeDecimal(value, digits: $0, to: $1) }
    }

    @inline(__always)
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }

    /// Lower-case hex digits, no prefix.
    @inline(__always)
    mutating func appendHexDigits(_ value: UInt64) {
        appendDigits(DigitText.hexCount(value)) { DigitText.writeHex(value, digits: $0, to: $1) }
    }

    @inline(__always)
    private mutating func appendDigits(_ count: Int, _ write: (Int, UnsafeMutablePointer<UInt8>) -> Void) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &scratch) { buffer in
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            write(count, base)
            append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        }
    }
}
