import BTF
import Beautifiers
import Syscalls
import WholeFiles

/// The struct and enum layouts KernelDescription resolves from the kernel's BTF, kept for the
/// boot (BootCache: /run/cgtrace/layouts-HASH.txt, in BTFLayoutText's form). Resolving them
/// means reading and indexing vmlinux's ~150 000 types and finding 26: ~4 ms of CPU at every
/// start, while the verifier's two threads want both CPUs (a start that skipped it measured
/// 2.0 ms faster, eleven interleaved rounds of perf stat -r 20). Read back: well under 1 ms.
///
/// The key: this boot and executable (the kernel's BTF and the build's table cannot change
/// under them), the BTF file's path, the table's architecture, and what the kernel's
/// tracepoints changed in the table (which decides the names wanted; naming them all in the
/// key cost 0.5 ms). The executable is known by its build id, as for the syscalls' cache
/// (BootCache.executableIdentity).
enum KernelLayoutCache {
    static func path(directory: String, btfPath: String) -> String {
        directory + "/layouts-" + Fingerprint.hex(of: (BootCache.executableIdentity() + " " + btfPath).utf8) + ".txt"
    }

    static func header(btfPath: String, table: KernelDescription.Table) -> String? {
        guard let boot = BootCache.bootKey() else { return nil }
        let amended = table.changed.joined(separator: ",") + ";" + table.notes.joined(separator: ";")
        return "# cgtrace layouts \(boot) \(BootCache.executableIdentity()) btf=\(btfPath) arch=\(table.table.arch.rawValue) "
            + "table=\(Fingerprint.hex(of: amended.utf8))"
    }

    static func read(_ path: String, header: String) -> KernelTypes? {
        guard let body = BootCache.read(path, header: header), let (records, enums) = BTFLayoutText.decode(body) else { return nil }
        return KernelTypes(records: records, enums: enums)
    }

    static func write(_ path: String, header: String, _ types: KernelTypes) {
        BootCache.write(path, header: header, body: BTFLayoutText.encode(records: types.records, enums: types.enums))
    }
}
