import BTF
import CBPF

#if canImport(Glibc)
import Glibc
#endif
import WholeFiles

/// The minimal kernel BTF for the BPF object's CO-RE relocations (BTF/CoreBTF.swift), kept on
/// disk per kernel build and object, handed to libbpf as `btf_custom_path`. libbpf then
/// relocates against a few hundred types instead of scanning the kernel's ~125 000 (~28 ms of
/// every start here). Making it adds 10–20 ms to a start, once per kernel build and cgtrace build:
/// ~40 KB, 526 of the kernel's 125 850 types for this object.
///
/// The file is raw BTF whose last string is a marker, `cgtrace-core-btf KEY tp=IDS fnv=HASH`:
/// KEY says which kernel and object it is for (the vmlinux BTF's size, the kernel release and
/// version string, a hash of the object); IDS are the kernel BTF ids of the object's tp_btf
/// attach points (`sys_enter:1234,…`, what TypedTracepoints would otherwise look up in the
/// kernel's BTF at every start: 1.0-1.7 ms of the main thread's, waiting for the kernel
/// description's thread to map and index it); HASH covers the rest of the file and IDS.
/// Anything else (another key, a bad hash, a file anyone but its owner could have written) is
/// made again; a file libbpf or the kernel still rejects falls back to the full BTF
/// (ProbeSession.load). Nothing here can fail a start.
///
/// One file per object (its hash is in the name), so that two cgtrace builds run in turn (an
/// upgrade beside the old one, a benchmark of two builds) do not make each other's file again
/// at every start: with one file for all, each start of either paid the 10–20 ms. Files of
/// other objects made over a week ago are removed when one is made.
public enum CoreBTFCache {
    /// Where the file lives: /var/cache/cgtrace for root, else $XDG_CACHE_HOME/cgtrace (or
    /// ~/.cache/cgtrace).
    public static var defaultDirectory: String? {
        if geteuid() == 0 { return "/var/cache/cgtrace" }
        if let xdg = getenv("XDG_CACHE_HOME"), xdg.pointee != 0 { return String(cString: xdg) + "/cgtrace" }
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) + "/.cache/cgtrace" }
        return nil
    }

    /// The file's name for an object: `vmlinux-core-HASH.btf`.
    public static func fileName(for object: [UInt8]) -> String { fileName(objectHash: Fingerprint.words(object)) }
    static func fileName(objectHash: UInt64) -> String { filePrefix + "-" + Fingerprint.hex(objectHash) + fileSuffix }
    static let filePrefix = "vmlinux-core", fileSuffix = ".btf"
    static let markerPrefix = "cgtrace-core-btf "
    /// Other objects' files unused this long are removed when a file is made.
    static let unusedFor: Int = 7 * 24 * 3600

    /// An open, checked cache file: pass `path` to libbpf, then close.
    public struct Handle {
        public let fd: Int32
        /// /proc/self/fd/N: libbpf reads the very file that was checked.
        public var path: String { "/proc/self/fd/\(fd)" }
        /// Made by this call (a miss), not read back.
        public let made: Bool
        /// Where it is in the cache directory.
        public let file: String
        /// The tp_btf attach points' kernel BTF ids, by tracepoint name (TypedTracepoints).
        public let tracepoints: [String: UInt32]
        public func close() { _ = Glibc.close(fd) }
        /// Throws the file away (libbpf rejected it): the next start makes it again.
        public func discard() { unlink(file) }
    }

    /// The checked cache file for `object`, made first if missing or stale; nil when it cannot
    /// be had (no kernel BTF, an object without CO-RE relocations, an unwritable directory).
    public static func open(object: [UInt8], directory: String, vmlinux: String = "/sys/kernel/btf/vmlinux") -> Handle? {
        let objectHash = Fingerprint.words(object)
        guard let key = key(objectHash: objectHash, vmlinux: vmlinux) else { return nil }
        let path = directory + "/" + fileName(objectHash: objectHash)
        if let (fd, ids) = openChecked(path, key: key) { return Handle(fd: fd, made: false, file: path, tracepoints: ids) }
        guard let blob = make(object: object, vmlinux: vmlinux, key: key), write(blob, to: path, directory: directory),
              let (fd, ids) = openChecked(path, key: key) else { return nil }
        removeUnused(in: directory, keeping: path)
        return Handle(fd: fd, made: true, file: path, tracepoints: ids)
    }

    /// Removes the other objects' files made more than `unusedFor` ago. (Reading a file back does
    /// not touch it: a build still in use whose file goes that way makes it again, 10–20 ms once.)
    static func removeUnused(in directory: String, keeping: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        let now = time(nil)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let path = directory + "/" + name
            guard name.hasPrefix(filePrefix), name.hasSuffix(fileSuffix), path != keeping else { continue }
            var st = stat()
            if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, now - st.st_mtim.tv_sec > unusedFor {
                unlink(path)
            }
        }
    }

    /// Which kernel build and object a file is for.
    static func key(object: [UInt8], vmlinux: String) -> String? {
        key(objectHash: Fingerprint.words(object), vmlinux: vmlinux)
    }

    static func key(objectHash: UInt64, vmlinux: String) -> String? {
        var st = stat()
        guard stat(vmlinux, &st) == 0,
              let release = firstLine("/proc/sys/kernel/osrelease"), let version = firstLine("/proc/sys/kernel/version") else { return nil }
        let fields = ["btf=\(st.st_size)", "release=\(release)", "version=\(version)", "object=\(Fingerprint.hex(objectHash))"]
        // The marker is one string: no NUL, and spaces only as separators of these fields.
        return fields.map { $0.replacingSpaces }.joined(separator: " ")
    }

    /// The minimal BTF with its marker; nil if it cannot be made.
    static func make(object: [UInt8], vmlinux: String, key: String) -> [UInt8]? {
        do {
            let kernel = try BTFFile(path: vmlinux)
            let local = try BTFFile.load(objectOrRaw: object)
            let relocations = try CoreBTF.relocations(object: object)
            guard !relocations.isEmpty else { return nil }
            let ids = tracepointText(try tracepointIDs(kernel: kernel, object: object))
            return try CoreBTF.minimal(kernel: kernel, local: local, relocations: relocations) { body in
                marker(key: key, tracepoints: ids, body: body)
            }
        } catch {
            return nil
        }
    }

    /// The marker string for `body` (the file without it).
    static func marker(key: String, tracepoints: String, body: [UInt8]) -> String {
        markerPrefix + key + " tp=" + tracepoints + " fnv=" + Fingerprint.hex(of: body + Array(tracepoints.utf8))
    }

    /// The kernel's attach ids for the object's `tp_btf/NAME` programs (those it has).
    static func tracepointIDs(kernel: BTFFile, object: [UInt8]) throws(BTFError) -> [String: UInt32] {
        let prefix = TypedTracepoints.sectionPrefix
        let names = try elfSectionNames(in: object).filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        return TypedTracepoints.attachIDs(of: names, in: kernel)
    }

    /// `sys_enter:1234,sys_exit:1235`, sorted by name.
    static func tracepointText(_ ids: [String: UInt32]) -> String {
        ids.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }

    /// The ids `tracepointText` wrote; nil if it is not such a list.
    static func parseTracepoints(_ text: Substring) -> [String: UInt32]? {
        var ids: [String: UInt32] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let id = UInt32(parts[1]), id > 0 else { return nil }
            ids[String(parts[0])] = id
        }
        return ids
    }

    /// The file's descriptor and tracepoint ids if it is this key's, intact, and only its owner
    /// could have written it.
    static func openChecked(_ path: String, key: String) -> (Int32, [String: UInt32])? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o022 == 0, st.st_size < 64 << 20,
              let bytes = WholeFile.bytes(of: fd), let ids = verify(bytes, key: key) else {
            Glibc.close(fd)
            return nil
        }
        return (fd, ids)
    }

    /// The tracepoint ids of `bytes` if it is raw BTF whose last string is this key's marker
    /// with the hash of the rest; nil otherwise.
    static func verify(_ bytes: [UInt8], key: String) -> [String: UInt32]? {
        func u32(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24 }
        guard bytes.count >= 24, bytes[0] == 0x9f, bytes[1] == 0xeb, u32(4) == 24 else { return nil }
        let stringsStart = 24 + u32(16), stringsLength = u32(20)
        guard stringsLength >= 2, stringsStart + stringsLength == bytes.count, bytes[bytes.count - 1] == 0 else { return nil }
        // The last string: after the NUL before the final one.
        var markerStart = bytes.count - 1
        while markerStart > stringsStart && bytes[markerStart - 1] != 0 { markerStart -= 1 }
        guard markerStart > stringsStart else { return nil }
        let marker = String(decoding: bytes[markerStart..<(bytes.count - 1)], as: UTF8.self)
        let head = markerPrefix + key + " tp="
        guard marker.hasPrefix(head) else { return nil }
        // The ids run to the next space (then `fnv=`); the key's spaces are all in `head`.
        let text = marker.dropFirst(head.count).prefix { $0 != " " }
        guard let ids = parseTracepoints(text) else { return nil }
        // The body as it was hashed: without the marker, the header's string length without it.
        var body = Array(bytes[..<markerStart])
        let bodyStrings = UInt32(stringsLength - (bytes.count - markerStart))
        withUnsafeBytes(of: bodyStrings.littleEndian) { for i in 0..<4 { body[20 + i] = $0[i] } }
        return marker == Self.marker(key: key, tracepoints: String(text), body: body) ? ids : nil
    }

    /// Writes the file atomically (a temporary file renamed over it); false on any failure.
    static func write(_ blob: [UInt8], to path: String, directory: String) -> Bool {
        var prefix = ""
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { return false }
        }
        let temp = path + ".\(getpid())"
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return false }
        let ok = blob.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) == $0.count }
        Glibc.close(fd)
        if !ok || rename(temp, path) != 0 { unlink(temp); return false }
        return true
    }

    static func firstLine(_ path: String) -> String? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        return WholeFile.bytes(of: fd).flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").first.map(String.init) }
    }

}

private extension String {
    var replacingSpaces: String { String(map { $0 == " " || $0 == "\0" ? "_" : $0 }) }
}

extension ProbeSession {
    /// Every autoloaded program's instructions as relocated for `mode`, against the minimal BTF
    /// at `coreBTF` or (nil) the full one; map references are zeroed (their descriptors differ
    /// from load to load). For tests: the minimal BTF must relocate exactly as the full one.
    public static func relocatedInstructions(options: ProbeOptions, mode: AttachMode, coreBTF: String?)
        throws(LoaderError) -> [String: [UInt64]] {
        let bytes = try objectBytes(options)
        let object = try loadOne(bytes: bytes, mode: mode, options: options, coreBTF: coreBTF)
        defer { bpf_object__close(object) }
        var out: [String: [UInt64]] = [:]
        var program = bpf_object__next_program(object, nil)
        while let p = program {
            defer { program = bpf_object__next_program(object, p) }
            guard bpf_program__autoload(p), let insns = bpf_program__insns(p) else { continue }
            let raw = UnsafeRawPointer(insns).assumingMemoryBound(to: UInt64.self)
            var words = Array(UnsafeBufferPointer(start: raw, count: bpf_program__insn_cnt(p)))
            for i in words.indices where words[i] & 0xff == 0x18 && (words[i] >> 12) & 0xf != 0 {
                words[i] &= 0x0000_0000_ffff_ffff  // ld_imm64 of a map: the descriptor goes
            }
            out[String(cString: bpf_program__name(p))] = words
        }
        return out
    }
}
