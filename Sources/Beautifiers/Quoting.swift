/// strace's string quoting, as bytes appended to an output buffer.
///
/// Facts (from strace 6.x output): printable ASCII stays, `"` and `\` are escaped, `\t \n \v \f \r`
/// use their C escapes, other bytes are octal with as few digits as possible unless the next
/// character is an octal digit (then three): `"\177ELF\2\1\1\3\0\0"`, `"\20t\2"`.
public enum Quoting {
    /// Append `"…"` for `bytes`; with `hexOnly` every byte is `\xNN` (strace's style for random
    /// data such as getrandom's).
    public static func appendQuoted(_ bytes: ArraySlice<UInt8>, hexOnly: Bool = false, to out: inout [UInt8]) {
        bytes.withUnsafeBytes { appendQuoted($0, hexOnly: hexOnly, to: &out) }
    }

    /// The same for bytes in place (a capture still in its record).
    public static func appendQuoted(_ bytes: UnsafeRawBufferPointer, hexOnly: Bool = false, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: maxQuotedCount(bytes.count)))
        let written = out.withUnsafeMutableBufferPointer { writeQuoted(bytes, hexOnly: hexOnly, to: $0.baseAddress! + start) }
        out.removeLast(out.count - start - written)
    }

    /// The most bytes `writeQuoted` writes for `count` bytes: two quotes and four per byte.
    @inline(__always)
    public static func maxQuotedCount(_ count: Int) -> Int { 2 + 4 * count }

    /// `"…"` for `bytes` written at `out`, which has room for `maxQuotedCount(bytes.count)`;
    /// returns how many bytes it wrote. (Through a pointer: the text consumer's line is a pointer
    /// buffer, and appending to an Array byte by byte paid a capacity and uniqueness check each.)
    @inline(__always)
    public static func writeQuoted(_ bytes: UnsafeRawBufferPointer, hexOnly: Bool = false,
                                   to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        @inline(__always) func put(_ b: UInt8) {
            out[n] = b
            n &+= 1
        }
        put(UInt8(ascii: "\""))
        var i = 0
        let end = bytes.count
        while i < end {
            let c = bytes[i]
            if hexOnly {
                put(UInt8(ascii: "\\"))
                put(UInt8(ascii: "x"))
                put(hexDigit(c >> 4))
                put(hexDigit(c & 0xf))
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                put(UInt8(ascii: "\\"))
                put(c)
            case 0x09: put(UInt8(ascii: "\\")); put(UInt8(ascii: "t"))
            case 0x0a: put(UInt8(ascii: "\\")); put(UInt8(ascii: "n"))
            case 0x0b: put(UInt8(ascii: "\\")); put(UInt8(ascii: "v"))
            case 0x0c: put(UInt8(ascii: "\\")); put(UInt8(ascii: "f"))
            case 0x0d: put(UInt8(ascii: "\\")); put(UInt8(ascii: "r"))
            case 0x20...0x7e:
                put(c)
            default:
                let nextIsOctalDigit = i + 1 < end && bytes[i + 1] >= UInt8(ascii: "0") && bytes[i + 1] <= UInt8(ascii: "7")
                put(UInt8(ascii: "\\"))
                if nextIsOctalDigit || c >= 0o100 {
                    put(UInt8(ascii: "0") + (c >> 6))
                }
                if nextIsOctalDigit || c >= 0o10 {
                    put(UInt8(ascii: "0") + ((c >> 3) & 7))
                }
                put(UInt8(ascii: "0") + (c & 7))
            }
            i += 1
        }
        put(UInt8(ascii: "\""))
        return n
    }

    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }

    /// Convenience for tests and small uses.
    public static func quoted(_ text: String, hexOnly: Bool = false) -> String {
        var out: [UInt8] = []
        appendQuoted(ArraySlice(Array(text.utf8)), hexOnly: hexOnly, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
