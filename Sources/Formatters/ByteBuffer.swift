import Glibc

/// A growable byte buffer written through a pointer, for every output's lines (strace text,
/// JSON, Perfetto) and the output file's buffer: a JSON event is ~250 bytes in some 40 small
/// appends, and `Array`'s (a uniqueness check, a capacity check and a generic copy each) were
/// ~15 % of a JSON storm's consumer time, and ~20 % of the text's.
public struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    public private(set) var count = 0
    private var capacity: Int

    public init(capacity: Int = 1024) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = c
    }

    public var isEmpty: Bool { count == 0 }

    /// Room for `most` more bytes, lent to `write`, which returns how many it wrote there.
    @inline(__always)
    mutating func appendWritten(atMost most: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(most)
        count += write(base + count)
    }

    /// `n` copies of `byte`.
    @inline(__always)
    mutating func append(repeating byte: UInt8, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).initialize(repeating: byte, count: n)
        count += n
    }


    /// The bytes written, valid until the next change.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    public var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    public mutating func removeAll() { count = 0 }

    /// Drop everything from `start` on.
    public mutating func truncate(to start: Int) { count = Swift.min(count, Swift.max(start, 0)) }

    @inline(__always)
    public mutating func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func append(_ src: UnsafeBufferPointer<UInt8>) {
        guard let from = src.baseAddress else { return }
        reserve(src.count)
        (base + count).update(from: from, count: src.count)
        count += src.count
    }

    mutating func append(_ src: UnsafeRawBufferPointer) {
        append(src.bindMemory(to: UInt8.self))
    }

    public mutating func append(contentsOf array: [UInt8]) {
        array.withUnsafeBufferPointer { append($0) }
    }

    /// `src`, copied a word at a time when short (the JSON events' kept members, 30 to 80
    /// bytes: a memmove call each was most of their cost).
    @inline(__always)
    mutating func appendShort(_ src: UnsafeRawBufferPointer) {
        let n = src.count
        guard n >= 8 && n <= 128 else { return append(src) }
        reserve(n)
        let to = UnsafeMutableRawPointer(base + count), from = src.baseAddress!
        var i = 0
        while i < n - 8 {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        // The last word, overlapping the one before it.
        to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        count += n
    }

    /// The first `n` (at most 32) bytes of `words` at the end: four word stores, no memmove
    /// call, for short texts kept rendered (JSON keys).
    @inline(__always)
    mutating func appendWords(_ words: (UInt64, UInt64, UInt64, UInt64), count n: Int) {
        reserve(32)
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: words.0, as: UInt64.self)
        to.storeBytes(of: words.1, toByteOffset: 8, as: UInt64.self)
        to.storeBytes(of: words.2, toByteOffset: 16, as: UInt64.self)
        to.storeBytes(of: words.3, toByteOffset: 24, as: UInt64.self)
        count += n
    }

    /// Bytes `start..<start + n` (n at most 32) as four words for `appendWords`, zeros after them.
    func words(from start: Int, count n: Int) -> (UInt64, UInt64, UInt64, UInt64) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: base + start, byteCount: Swift.min(n, 32)) }
        return words
    }

    /// One byte inserted at `index`, the rest moved up.
    mutating func insert(_ b: UInt8, at index: Int) {
        reserve(1)
        (base + index + 1).update(from: base + index, count: count - index)
        base[index] = b
        count += 1
    }

    /// A literal's bytes: short ones (`, `, `= `, `)`: most of a text line's) one by one, which
    /// is cheaper than a memmove call for a byte or two; longer ones (a JSON event's member
    /// names and nulls, 7 to 41 bytes) a word at a time, as `appendShort` copies them.
    @inline(__always)
    mutating func appendASCII(_ s: StaticString) {
        // (A one-scalar literal may be held as the scalar, without bytes to point at.)
        guard s.hasPointerRepresentation else { return s.withUTF8Buffer { append($0) } }
        let n = s.utf8CodeUnitCount
        let p = s.utf8Start
        if n < 8 {
            reserve(n)
            for i in 0..<n { base[count + i] = p[i] }
            count += n
        } else {
            appendShort(UnsafeRawBufferPointer(start: p, count: n))
        }
    }

    @inline(__always)
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 { return append(UInt8(ascii: "0") &+ UInt8(value)) }
        let digits = DigitText.decimalCount(value)
        reserve(digits)
        DigitText.writeDecimal(value, digits: digits, to: base + count)
        count += digits
    }

    @inline(__always)
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }

    /// Exactly `digits` decimal digits, leading zeros included (`value` < 10^digits).
    @inline(__always)
    mutating func appendZeroPadded(_ value: UInt64, digits: Int) {
        reserve(digits)
        DigitText.writeDecimal(value, digits: digits, to: base + count)
        count += digits
    }

    /// `value`'s last `width` decimal digits, zeros in front (`value` below 10^width shows whole).
    @inline(__always)
    mutating func appendZeroPadded(_ value: UInt64, width: Int) {
        reserve(width)
        DigitText.writeDecimal(value, digits: width, to: base + count)
        count += width
    }

    /// Lower-case hex digits, no prefix.
    mutating func appendHexDigits(_ value: UInt64) {
        let digits = DigitText.hexCount(value)
        reserve(digits)
        DigitText.writeHex(value, digits: digits, to: base + count)
        count += digits
    }

    /// `v` / 10^scale with exactly `scale` decimals (`1700000000.123456`, `0.005`).
    mutating func appendFixed(_ v: Int64, scale: Int) {
        var p: UInt64 = 1
        for _ in 0..<scale { p *= 10 }
        if v < 0 { append(UInt8(ascii: "-")) }
        let m = v.magnitude
        appendDecimal(m / p)
        guard scale > 0 else { return }
        append(UInt8(ascii: "."))
        appendZeroPadded(m % p, width: scale)
    }

    /// A JSON string literal of `bytes`, which must be valid UTF-8 (Swift strings are; captured
    /// bytes are checked first). Every control character is escaped, so an event stays one line.
    mutating func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = appendJSONString(checking: bytes)
    }

    /// The same, and whether nothing needed an escape (the literal's content is `bytes` as they are).
    ///
    /// Room for the plain case is made once and short runs are copied a byte at a time: a
    /// capacity check and a memmove call per run were most of this function's cost, and most
    /// strings here are a few bytes (keys, 1-byte buffers).
    mutating func appendJSONString(checking bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        reserve(n + 2)
        base[count] = UInt8(ascii: "\"")
        var at = count + 1
        var plain = true
        var i = 0
        while i < n {
            var end = i
            while end < n && Self.needsNoEscape(bytes[end]) { end += 1 }
            if end - i > 16 {
                (base + at).update(from: bytes.baseAddress! + i, count: end - i)
                at += end - i
            } else {
                while i < end { base[at] = bytes[i]; at += 1; i += 1 }
            }
            i = end
            guard i < n else { break }
            plain = false
            // The escape, the rest as it is and the closing quote at most.
            count = at
            reserve(6 + (n - i - 1) + 1)
            let b = bytes[i]
            base[at] = UInt8(ascii: "\\")
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): base[at + 1] = b; at += 2
            case UInt8(ascii: "\n"): base[at + 1] = UInt8(ascii: "n"); at += 2
            case UInt8(ascii: "\t"): base[at + 1] = UInt8(ascii: "t"); at += 2
            case UInt8(ascii: "\r"): base[at + 1] = UInt8(ascii: "r"); at += 2
            default:
                base[at + 1] = UInt8(ascii: "u")
                base[at + 2] = UInt8(ascii: "0")
                base[at + 3] = UInt8(ascii: "0")
                base[at + 4] = DigitText.hexDigit(b >> 4)
                base[at + 5] = DigitText.hexDigit(b & 0xf)
                at += 6
            }
            i += 1
        }
        base[at] = UInt8(ascii: "\"")
        count = at + 1
        return plain
    }

    @inline(__always)
    private static func needsNoEscape(_ b: UInt8) -> Bool {
        b >= 0x20 && b != 0x7f && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\")
    }

    mutating func appendJSONString(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONString($0) }
    }

    mutating func appendJSONString(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { appendJSONString($0) }
    }
}
