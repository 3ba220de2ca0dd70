#if canImport(Glibc)
import Glibc
#endif
import WholeFiles

/// One argument as a tracepoint format declares it: its name and C type, not yet classified
/// (classifying every argument of every syscall costs more than comparing the text).
public struct ArgDeclaration: Sendable, Equatable {
    public let name: String
    public let type: String
    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// Syscall argument declarations read from the running kernel: tracefs describes each syscall's
/// entry tracepoint (`events/syscalls/sys_enter_NAME/format`) with its arguments' C types and
/// names, as the kernel's SYSCALL_DEFINE declares them.
public enum KernelSyscalls {
    /// The arguments in one `format` file: the fields after `__syscall_nr`; nil if the text is
    /// not a syscall tracepoint's format.
    public static func parseFormat(_ text: String) -> [ArgDeclaration]? {
        var args: [ArgDeclaration] = []
        var afterNr = false
        for line in text.split(separator: "\n") {
            // "\tfield:const char * filename;\toffset:16;\tsize:8;\tsigned:0;"
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard trimmed.hasPrefix("field:"), let semi = trimmed.firstIndex(of: ";") else { continue }
            let decl = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 6)..<semi]
            if decl.hasSuffix("__syscall_nr") { afterNr = true; continue }
            guard afterNr else { continue }
            // The name is the last identifier; the type is what precedes it.
            guard let nameStart = decl.lastIndex(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
            let name = String(decl[decl.index(after: nameStart)...])
            let type = decl[...nameStart].split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            // "char *" keeps its star attached as tracefs writes it: "const char *".
            guard !name.isEmpty, !type.isEmpty else { return nil }
            args.append(ArgDeclaration(name: name, type: type))
        }
        return afterNr ? args : nil
    }

    /// Every `sys_enter_*` tracepoint's arguments under `eventsDir` (…/events/syscalls), keyed
    /// by the name after `sys_enter_`; empty if the directory cannot be read.
    public static func read(eventsDir: String) -> [String: [ArgDeclaration]] {
        guard let dir = opendir(eventsDir) else { return [:] }
        defer { closedir(dir) }
        var out: [String: [ArgDeclaration]] = [:]
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("sys_enter_") else { continue }
            guard let text = WholeFile.bytes(atPath: eventsDir + "/" + name + "/format") else { continue }
            if let args = parseFormat(String(decoding: text, as: UTF8.self)) {
                out[String(name.dropFirst("sys_enter_".count))] = args
            }
        }
        return out
    }

    /// Where what the running boot's tracepoints declare differently from this cgtrace's
    /// built-in table is kept. Reading ~360 format files (mounting tracefs first, if needed)
    /// measured 30–100 ms here; the cache, usually empty of declarations, well under 1 ms. The
    /// declarations cannot change before the next boot (modules add no syscalls), nor the
    /// table before the executable changes: both are in the cache's key. Each executable has a
    /// file of its own (`cacheFile`), so that two cgtrace builds run in turn do not read tracefs
    /// again at each other's every start.
    public static let cachePath = BootCache.directory + "/syscalls.tsv"

    /// This executable's cache file: `syscalls-HASH.tsv` beside `cachePath`, HASH of its
    /// identity (executableIdentity).
    static func cacheFile(_ cachePath: String, identity: String) -> String {
        let stem = cachePath.hasSuffix(".tsv") ? String(cachePath.dropLast(4)) : cachePath
        return stem + "-" + Fingerprint.hex(of: identity.utf8) + ".tsv"
    }

    /// What the running kernel says that the built-in table does not: declarations that differ
    /// (or that the table lacks), keyed by event name, and the numbers of the syscalls the table
    /// lacks, from the kernel's own `sys_call_table` (KernelSyscallNumbers).
    public struct RunningKernel: Sendable, Equatable {
        public var declarations: [String: [ArgDeclaration]]
        /// Event name → number, for the event names in `declarations` the table has no number for.
        public var numbers: [String: Int]
        public init(declarations: [String: [ArgDeclaration]], numbers: [String: Int] = [:]) {
            self.declarations = declarations
            self.numbers = numbers
        }
    }

    /// The running kernel's syscall declarations that `relevant` keeps (those that differ from
    /// the built-in table, or that it lacks) and the numbers `numbering` finds for them: from the
    /// cache of this boot and executable, else from a mounted tracefs, or one mounted for the
    /// moment on a private directory (and unmounted again), then cached. `numbering` runs only on
    /// a cache miss, so its cost (reading kallsyms and kernel memory) is paid once per boot, and
    /// only on a kernel with syscalls the build does not know. nil when tracefs cannot be read
    /// (no privilege, no CONFIG_FTRACE_SYSCALLS).
    public static func readRunningKernel(cachePath: String? = cachePath,
                                         relevant: ([String: [ArgDeclaration]]) -> [String: [ArgDeclaration]],
                                         numbering: ([String: [ArgDeclaration]]) -> [String: Int] = { _ in [:] })
        -> RunningKernel? {
        let identity = BootCache.executableIdentity()
        let key = BootCache.bootKey().map { $0 + " " + identity }
        let file = cachePath.map { cacheFile($0, identity: identity) }
        if let file, let key, let cached = readCache(file, key: key) { return cached }
        let read = readTracefs()
        if read.isEmpty { return nil }
        let kept = relevant(read)
        let found = RunningKernel(declarations: kept, numbers: kept.isEmpty ? [:] : numbering(kept))
        if let file, let key { writeCache(file, key: key, found) }
        return found
    }

    /// Marks a cache line that gives a number: `#nr<TAB>NUMBER<TAB>EVENT` (no event name starts with #).
    static let numberTag: Substring = "#nr"

    /// The cache, if it is this boot's and only its owner (root) could have written it.
    static func readCache(_ path: String, key: String) -> RunningKernel? {
        guard let body = BootCache.read(path, header: "# cgtrace syscalls \(key)") else { return nil }
        var out = RunningKernel(declarations: [:])
        for line in body.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.first == Self.numberTag {
                guard fields.count == 3, let number = Int(fields[1]) else { return nil }
                out.numbers[String(fields[2])] = number
                continue
            }
            guard fields.count % 2 == 1 else { return nil }
            out.declarations[String(fields[0])] = stride(from: 1, to: fields.count, by: 2).map {
                ArgDeclaration(name: String(fields[$0 + 1]), type: String(fields[$0]))
            }
        }
        return out
    }

    /// Writes the cache (BootCache.write); failures are ignored: the next start reads tracefs
    /// again.
    static func writeCache(_ path: String, key: String, _ found: RunningKernel) {
        var text = ""
        for name in found.declarations.keys.sorted() {
            text += ([name] + found.declarations[name]!.flatMap { [$0.type, $0.name] }).joined(separator: "\t") + "\n"
        }
        for name in found.numbers.keys.sorted() {
            text += "\(numberTag)\t\(found.numbers[name]!)\t\(name)\n"
        }
        BootCache.write(path, header: "# cgtrace syscalls \(key)", body: text)
    }

    /// Every syscall tracepoint's declaration, from tracefs.
    static func readTracefs() -> [String: [ArgDeclaration]] {
        for base in ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"] {
            let dir = base + "/events/syscalls"
            if access(dir, R_OK | X_OK) == 0 { return read(eventsDir: dir) }
        }
        var template = Array("/tmp/cgtrace-tracefs-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { return [:] }
        let mountPoint = String(cString: made)
        defer { rmdir(mountPoint) }
        guard mount("nodev", mountPoint, "tracefs", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), nil) == 0 else { return [:] }
        defer { umount2(mountPoint, Int32(MNT_DETACH)) }
        return read(eventsDir: mountPoint + "/events/syscalls")
    }
}
