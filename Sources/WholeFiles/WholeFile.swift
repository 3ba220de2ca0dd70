#if canImport(Glibc)
import Glibc
#endif

/// Whole files read into memory, the one way: procfs, sysfs and tracefs report no size, so a file
/// is read until end of file, 64 KiB at a time. (The syscall declarations, the CO-RE BTF cache,
/// /proc/kallsyms, a BPF object given by path, saved traces and container runtimes' state files
/// all use it.)
public enum WholeFile {
    /// Everything left to read on `fd`; nil on a read error (errno says which).
    public static func bytes(of fd: Int32, expecting: Int = 0) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(expecting)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// The file at `path`, opened with `flags` besides O_RDONLY|O_CLOEXEC (O_NOFOLLOW); nil if it
    /// cannot be opened or read, with errno saying why.
    public static func bytes(atPath path: String, flags: Int32 = 0, expecting: Int = 0) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | flags)
        guard fd >= 0 else { return nil }
        let result = bytes(of: fd, expecting: expecting)
        let error = errno
        close(fd)
        errno = error
        return result
    }

    /// The file at `path` as text (UTF-8, invalid bytes replaced).
    public static func text(atPath path: String, flags: Int32 = 0) -> String? {
        bytes(atPath: path, flags: flags).map { String(decoding: $0, as: UTF8.self) }
    }
}
