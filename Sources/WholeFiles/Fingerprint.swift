/// What a cache file is named and checked by: FNV-1a, 64 bits, as 16 hex digits. A check against
/// corruption and a short stable name, not against an attacker (the caches are trusted only when
/// root-owned and not writable by others).
public enum Fingerprint {
    @inlinable
    public static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// FNV-1a's step taken over 64-bit words (the tail bytes as one more word): for the ~470 KB
    /// BPF object hashed at every start, 0.7 ms byte by byte, ~0.1 ms this way.
    public static func words(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            // Each step folds the high half down: a multiply alone never moves high bits down,
            // so two flips of one high bit would cancel.
            @inline(__always) func step(_ h: UInt64, _ word: UInt64) -> UInt64 {
                let m = (h ^ word) &* 0x0000_0100_0000_01b3
                return m ^ (m >> 32)
            }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            let whole = raw.count / 8
            for i in 0..<whole { h = step(h, raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
            var tail: UInt64 = 0
            for (k, b) in raw[(whole * 8)...].enumerated() { tail |= UInt64(b) << (8 * UInt64(k)) }
            return step(step(h, tail), UInt64(raw.count))
        }
    }

    /// `v` as 16 lower-case hex digits.
    public static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The fingerprint of `bytes`, as 16 hex digits.
    @inlinable
    public static func hex<Bytes: Sequence<UInt8>>(of bytes: Bytes) -> String { hex(fnv1a(bytes)) }
}
