import Glibc

/// A buffered writer to a file descriptor (stderr, or the -o file). Writes in large chunks; a
/// write error (e.g. EPIPE when piped into `head`) is remembered, not fatal.
public final class OutputFile {
    public let fd: Int32
    /// (A pointer buffer: appending each line to an Array retained and released its storage and
    /// checked its uniqueness, every line.)
    private var buffer: ByteBuffer
    private let flushAt: Int
    public private(set) var failed: Int32 = 0
    private let ownsFD: Bool

    public init(fd: Int32, ownsFD: Bool = false, flushAt: Int = 1 << 16) {
        self.fd = fd
        self.ownsFD = ownsFD
        self.flushAt = flushAt
        buffer = ByteBuffer(capacity: flushAt + 4096)
    }

    /// Open (create or truncate) a file for output; honours the umask, never world-writable.
    public static func create(path: String) throws(OutputError) -> OutputFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw OutputError(path: path, errno: errno) }
        return OutputFile(fd: fd, ownsFD: true)
    }

    deinit {
        flush()
        if ownsFD { close(fd) }
    }

    @inline(__always)
    public func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushAt { flush() }
    }

    @inline(__always)
    public func write(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(bytes)
        if buffer.count >= flushAt { flush() }
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append($0) }
        if buffer.count >= flushAt { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty, failed == 0 else {
            buffer.removeAll()
            return
        }
        let raw = buffer.bytes
        var done = 0
        while done < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                failed = errno
                break
            }
            done += n
        }
        buffer.removeAll()
    }
}

public struct OutputError: Error, CustomStringConvertible {
    public let path: String
    public let errno: Int32
    public var description: String { "\(path): \(String(cString: strerror(errno)))" }
}
