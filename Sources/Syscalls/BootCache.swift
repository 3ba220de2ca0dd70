#if canImport(Glibc)
import Glibc
#endif
import WholeFiles

/// Files under /run/cgtrace (a tmpfs: gone at the next boot) that keep what a start would
/// otherwise read from the running kernel, for this boot and this executable: the syscalls'
/// declarations (KernelSyscalls) and the struct layouts from BTF (Tracer's KernelLayoutCache).
/// Each file's first line names the key it was made for; a file of another key, or one anyone
/// but its owner could have written, is not read.
public enum BootCache {
    public static let directory = "/run/cgtrace"

    /// This executable's identity: its build id (`build-HEX`, the linker's hash of what it
    /// linked: the same for every copy of one build, another for any other build), else its
    /// device, inode, size and modification time (`exe-…`).
    public static func executableIdentity() -> String {
        if let id = buildID { return "build-" + id }
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return "exe-unknown" }
        return "exe-\(st.st_dev):\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// The running executable's NT_GNU_BUILD_ID note, in hex, read from its ELF program headers
    /// (/proc/self/exe: a few hundred bytes, once).
    static let buildID: String? = {
        let fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        func read(_ count: Int, at offset: Int) -> [UInt8]? {
            guard count > 0, count <= 1 << 16, offset >= 0 else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            return pread(fd, &bytes, count, off_t(offset)) == count ? bytes : nil
        }
        func le(_ b: [UInt8], _ at: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) }
        }
        // ELF64, little-endian: e_phoff at 0x20, e_phentsize at 0x36, e_phnum at 0x38.
        guard let elf = read(64, at: 0), elf[0..<4] == [0x7f, 0x45, 0x4c, 0x46], elf[4] == 2, elf[5] == 1 else { return nil }
        let entry = le(elf, 0x36, 2), count = le(elf, 0x38, 2)
        guard entry >= 56, let headers = read(entry * count, at: le(elf, 0x20, 8)) else { return nil }
        for i in 0..<count where le(headers, i * entry, 4) == 4 {  // PT_NOTE: p_offset at 8, p_filesz at 32
            guard let notes = read(le(headers, i * entry + 32, 8), at: le(headers, i * entry + 8, 8)) else { continue }
            // Each note: namesz, descsz, type, then the name and the description, each padded
            // to four bytes. NT_GNU_BUILD_ID is 3, its name "GNU".
            var at = 0
            while at + 12 <= notes.count {
                let nameSize = le(notes, at, 4), descSize = le(notes, at + 4, 4), type = le(notes, at + 8, 4)
                let desc = at + 12 + (nameSize + 3) & ~3
                guard nameSize <= 256, descSize <= 256, desc + descSize <= notes.count else { break }
                if type == 3, nameSize == 4, notes[(at + 12)..<(at + 16)] == [0x47, 0x4e, 0x55, 0] {
                    let hex = Array("0123456789abcdef")
                    return String(notes[desc..<(desc + descSize)].flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] })
                }
                at = desc + (descSize + 3) & ~3
            }
        }
        return nil
    }()

    /// This boot and kernel: the boot id and the release.
    public static func bootKey() -> String? {
        guard let id = WholeFile.text(atPath: "/proc/sys/kernel/random/boot_id") else { return nil }
        var u = utsname()
        guard uname(&u) == 0 else { return nil }
        let release = withUnsafeBytes(of: u.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        return id.split(separator: "\n").first.map { "\($0) \(release)" }
    }

    /// Whether `dir` is a directory (not a link to one) that only this user can change: a cache
    /// in a directory someone else may write could be swapped under the reader, or a link to
    /// another file planted where the writer makes its temporary file.
    static func ownDirectory(_ dir: String) -> Bool {
        var st = stat()
        return lstat(dir, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR && st.st_uid == geteuid() && st.st_mode & 0o022 == 0
    }

    /// The directory part of a cache file's path.
    public static func directory(of path: String) -> String? {
        path.lastIndex(of: "/").map { String(path[..<$0]) }
    }

    /// The text after the file's first line, if that line is `header` and only the file's
    /// owner (this user) could have written it or its directory.
    public static func read(_ path: String, header: String) -> Substring? {
        guard let dir = directory(of: path), ownDirectory(dir) else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o022 == 0, let bytes = WholeFile.bytes(of: fd) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let newline = text.firstIndex(of: "\n"), text[..<newline] == header else { return nil }
        return text[text.index(after: newline)...]
    }

    /// Writes `header`, a newline and `body` (the directory made 0700 if missing, and used only
    /// if this user alone can change it; the file made new under a name no one else holds, then
    /// renamed over the old one); failures are ignored: the next start reads the kernel again.
    public static func write(_ path: String, header: String, body: String) {
        guard let dir = directory(of: path) else { return }
        if mkdir(dir, 0o700) != 0 && errno != EEXIST { return }
        guard ownDirectory(dir) else { return }
        let text = header + "\n" + body
        var name = Array((path + ".XXXXXX").utf8CString)
        let fd = name.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // (mkstemp has no flags: a command spawned meanwhile must not get it)
        let temp = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let ok = fchmod(fd, 0o644) == 0
            && (text.utf8.withContiguousStorageIfAvailable { Glibc.write(fd, $0.baseAddress, $0.count) == $0.count } ?? false)
        close(fd)
        if !ok || rename(temp, path) != 0 { unlink(temp) }
    }
}
