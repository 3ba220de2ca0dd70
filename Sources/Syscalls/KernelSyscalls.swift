#if canImport(Glibc)
import Glibc
#endif

/// Syscall argument declarations read from the running kernel: tracefs describes each syscall's
/// entry tracepoint (`events/syscalls/sys_enter_NAME/format`) with its arguments' C types and
/// names, as the kernel's SYSCALL_DEFINE declares them.
public enum KernelSyscalls {
    /// The arguments in one `format` file: the fields after `__syscall_nr`; nil if the text is
    /// not a syscall tracepoint's format.
    public static func parseFormat(_ text: String) -> [SyscallArg]? {
        var args: [SyscallArg] = []
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
            args.append(SyscallArg(name: name, type: type))
        }
        return afterNr ? args : nil
    }

    /// Every `sys_enter_*` tracepoint's arguments under `eventsDir` (…/events/syscalls), keyed
    /// by the name after `sys_enter_`; empty if the directory cannot be read.
    public static func read(eventsDir: String) -> [String: [SyscallArg]] {
        guard let dir = opendir(eventsDir) else { return [:] }
        defer { closedir(dir) }
        var out: [String: [SyscallArg]] = [:]
        var buffer = [UInt8](repeating: 0, count: 4096)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("sys_enter_") else { continue }
            let fd = open(eventsDir + "/" + name + "/format", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            var text: [UInt8] = []
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                text.append(contentsOf: buffer[0..<n])
            }
            close(fd)
            if let args = parseFormat(String(decoding: text, as: UTF8.self)) {
                out[String(name.dropFirst("sys_enter_".count))] = args
            }
        }
        return out
    }

    /// The running kernel's syscall tracepoints: from a mounted tracefs, or one mounted for the
    /// moment on a private directory (and unmounted again); empty when neither works (no
    /// privilege, no CONFIG_FTRACE_SYSCALLS).
    public static func readRunningKernel() -> [String: [SyscallArg]] {
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
