/// Decimal digits two at a time, for every output (`ByteBuffer`): a JSON event carries half a
/// dozen numbers (`mono_ns` has 14 to 16 digits), and digit-at-a-time loops (a dependent
/// multiply per digit to count them, another per digit to write them) were a visible part of
/// the JSON consumer.
extension DigitText {
    /// "00" to "99", one after the other.
    private static let pairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// How many decimal digits `value` has: from its bit length and one comparison.
    @inline(__always)
    static func decimalCount(_ value: UInt64) -> Int {
        // 1233 / 4096 is just over log10(2): t is floor(log10(2^bits)), value's digits or one
        // fewer. (value | 1 has value's digits, and 0 gets one.)
        let v = value | 1
        let t = ((64 - v.leadingZeroBitCount) &* 1233) >> 12
        return v >= powerOfTen(t) ? t &+ 1 : t
    }

    /// 10^n for n in 0...19.
    @inline(__always)
    private static func powerOfTen(_ n: Int) -> UInt64 {
        switch n {
        case 0: return 1
        case 1: return 10
        case 2: return 100
        case 3: return 1_000
        case 4: return 10_000
        case 5: return 100_000
        case 6: return 1_000_000
        case 7: return 10_000_000
        case 8: return 100_000_000
        case 9: return 1_000_000_000
        case 10: return 10_000_000_000
        case 11: return 100_000_000_000
        case 12: return 1_000_000_000_000
        case 13: return 10_000_000_000_000
        case 14: return 100_000_000_000_000
        case 15: return 1_000_000_000_000_000
        case 16: return 10_000_000_000_000_000
        case 17: return 100_000_000_000_000_000
        case 18: return 1_000_000_000_000_000_000
        default: return 10_000_000_000_000_000_000
        }
    }

    /// Writes `value`'s last `digits` decimal digits at `to`, leading zeros included (room for
    /// them must be there).
    @inline(__always)
    static func writeDecimal(_ value: UInt64, digits: Int, to: UnsafeMutablePointer<UInt8>) {
        let table = pairs.utf8Start
        var n = value, at = digits
        while at >= 2 {
            let r = Int(truncatingIfNeeded: n % 100) &* 2
            n /= 100
            at &-= 2
            to[at] = table[r]
            to[at &+ 1] = table[r &+ 1]
        }
        if at == 1 { to[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10) }
    }
}
