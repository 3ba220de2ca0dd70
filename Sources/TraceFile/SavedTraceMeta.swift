import CgtraceABI
import Glibc
import Syscalls

/// The META fields every saved trace has (see TraceFileFormat).
public enum SavedTraceMeta {
    /// What wrote the trace, for which architecture and record ABI, on which kernel and host, when.
    public static func common() -> TraceFileFields {
        var meta = TraceFileFields()
        meta["writer"] = "cgtrace"
        meta["arch"] = "x86_64"
        meta["record_abi"] = String(CGT_ABI_VERSION)
        var name = utsname()
        uname(&name)
        meta["kernel"] = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        meta["host"] = withUnsafeBytes(of: name.nodename) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        meta["saved_ns"] = String(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
        return meta
    }

    /// Why this build cannot decode the records of a trace with `meta` (another architecture or
    /// record ABI), or nil if it can. `name` names the file in the message.
    public static func undecodable(_ meta: TraceFileFields, name: String) -> String? {
        if let arch = meta["arch"], arch != "x86_64" {
            return "'\(name)' was saved on \(arch); this cgtrace decodes x86_64 records"
        }
        if let abi = meta.int("record_abi"), abi != Int64(CGT_ABI_VERSION) {
            return "'\(name)' holds records of ABI \(abi); this cgtrace decodes ABI \(CGT_ABI_VERSION)"
        }
        return nil
    }

    /// The SYSCALLS section: the writer's table as (number, name), so that a reader on another
    /// kernel names the calls as the writer did.
    public static func syscalls(table: SyscallTable) -> [(Int, String)] {
        (0..<table.count).compactMap { n in table[n].map { (n, $0.name) } }
    }
}
