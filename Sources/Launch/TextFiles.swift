import Glibc

/// Write `text` to an existing file (a cgroup control file) in one write; false if that fails.
@discardableResult
func writeTextFile(_ path: String, _ text: String) -> Bool {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
}

/// Undo one-byte escapes: a backslash, an optional marker letter, then `digits` digits in
/// `radix` (mountinfo's octal `\040`, systemd's hex `\x2d`). Anything else stays as it is.
func unescapeBytes(_ s: String, marker: UInt8?, digits: Int, radix: Int) -> String {
    guard s.contains("\\") else { return s }
    let skip = marker == nil ? 1 : 2
    var out: [UInt8] = []
    let b = Array(s.utf8)
    var i = 0
    while i < b.count {
        if b[i] == UInt8(ascii: "\\"), i + skip + digits <= b.count, marker.map({ b[i + 1] == $0 }) ?? true,
           let v = UInt8(String(decoding: b[(i + skip)..<(i + skip + digits)], as: UTF8.self), radix: radix) {
            out.append(v)
            i += skip + digits
        } else {
            out.append(b[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}
