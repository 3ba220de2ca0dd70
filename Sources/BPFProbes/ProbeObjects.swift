/// The compiled BPF objects, embedded at build time by the EmbedProbes plugin from `probes/`.
///
/// No Foundation here (its Data(base64Encoded:) was the only use): linking it loaded Foundation,
/// its internationalization library and ICU into every run, ~65 ms of cgtrace's start-up.
public enum ProbeObjects {
    /// The ELF object of `probes/cgtrace.bpf.c`.
    public static var cgtrace: [UInt8] { decode(cgtraceBase64) }
    /// The same, built without what -y, -k, the status and latency filters and the recorder's
    /// triggers need (`-DCGT_LEAN`, probes/maps.bpf.h): what most runs load.
    public static var cgtraceLean: [UInt8] { decode(cgtraceLeanBase64) }

    private static func decode(_ text: StaticString) -> [UInt8] {
        text.withUTF8Buffer { encoded in
            guard let bytes = Base64.decode(encoded) else {
                preconditionFailure("embedded BPF object is not valid base64 (build problem)")
            }
            return bytes
        }
    }
}

/// Standard base64 (RFC 4648 alphabet, `=` padding), as `base64 -w0` writes it.
enum Base64 {
    /// The 6-bit value of each ASCII character; 0xff for characters outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        return table
    }()

    /// The decoded bytes, or nil when the text is not base64 (a length not a multiple of four,
    /// a character outside the alphabet, padding anywhere but at the end).
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var padding = 0
        if text.count >= 1 && text[text.count - 1] == UInt8(ascii: "=") { padding += 1 }
        if text.count >= 2 && text[text.count - 2] == UInt8(ascii: "=") { padding += 1 }
        let length = text.count / 4 * 3 - padding
        // Written in place through unsafe buffers: appending byte by byte cost ~2.5 ms of every
        // start for the ~600 KB object (release build). Whole groups first, without the
        // padding checks only the last group needs (1.2 → 0.4 ms).
        var valid = true
        let out = values.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                let groups = text.count / 4
                let plain = padding == 0 ? groups : groups - 1
                var bad: UInt8 = 0
                var o = 0
                for g in 0..<plain {
                    let i = g * 4
                    let a = table[Int(text[i])], b = table[Int(text[i + 1])]
                    let c = table[Int(text[i + 2])], d = table[Int(text[i + 3])]
                    bad |= a | b | c | d
                    let group = UInt32(a & 63) << 18 | UInt32(b & 63) << 12 | UInt32(c & 63) << 6 | UInt32(d & 63)
                    buffer[o] = UInt8(truncatingIfNeeded: group >> 16)
                    buffer[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
                    buffer[o + 2] = UInt8(truncatingIfNeeded: group)
                    o += 3
                }
                // 0xff marks a character outside the alphabet: its high bits survive the OR.
                if bad & 0xc0 != 0 { valid = false }
                if plain < groups {
                    let i = plain * 4
                    var group: UInt32 = 0
                    for k in 0..<4 {
                        let c = text[i + k]
                        var v = table[Int(c)]
                        if c == UInt8(ascii: "=") && k >= 4 - padding { v = 0 } else if v == 0xff { valid = false }
                        group = group << 6 | UInt32(v & 63)
                    }
                    for k in 0..<(3 - padding) { buffer[o + k] = UInt8(truncatingIfNeeded: group >> (16 - 8 * k)) }
                    o += 3 - padding
                }
                initialized = o
            }
        }
        return valid && out.count == length ? out : nil
    }
}
