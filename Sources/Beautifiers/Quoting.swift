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
        out.append(UInt8(ascii: "\""))
        var i = 0
        let end = bytes.count
        while i < end {
            let c = bytes[i]
            if hexOnly {
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "x"))
                out.append(hexDigit(c >> 4))
                out.append(hexDigit(c & 0xf))
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(c)
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x0a: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0b: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "v"))
            case 0x0c: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x0d: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x20...0x7e:
                out.append(c)
            default:
                let next: UInt8? = i + 1 < end ? bytes[i + 1] : nil
                let nextIsOctalDigit = next.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") } ?? false
                out.append(UInt8(ascii: "\\"))
                if nextIsOctalDigit || c >= 0o100 {
                    out.append(UInt8(ascii: "0") + (c >> 6))
                }
                if nextIsOctalDigit || c >= 0o10 {
                    out.append(UInt8(ascii: "0") + ((c >> 3) & 7))
                }
                out.append(UInt8(ascii: "0") + (c & 7))
            }
            i += 1
        }
        out.append(UInt8(ascii: "\""))
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
