import Loader
import Syscalls

#if canImport(Glibc)
import Glibc
#endif
import WholeFiles

/// The running kernel's syscall numbers, read from its `sys_call_table` (see
/// KernelSyscallNumbers for how the table is found without data symbols). Used only when
/// tracefs declares syscalls the build's table lacks, then cached with the declarations
/// (KernelSyscalls.cachePath), so it runs once per boot at most. Measured here: 55 ms in a
/// release build (0.7 s debug), most of it the kernel producing /proc/kallsyms (5 MB of text);
/// the table sits 0x1c0 bytes into .rodata, so the first 256 KiB read finds it.
public enum KernelSyscallNumbering {
    /// Number → SYSCALL_DEFINE name; nil when kallsyms or kernel memory cannot be read (not
    /// root, kptr_restrict hiding addresses, no BPF), or the table is not found.
    public static func read(arch: Arch = .current, kallsymsPath: String = "/proc/kallsyms") -> [Int: String]? {
        // (/proc/kallsyms is ~5 MB here.)
        guard let kallsyms = WholeFile.bytes(atPath: kallsymsPath, expecting: 8 << 20) else { return nil }
        let handlers = KernelSyscallNumbers.handlers(kallsyms: kallsyms, arch: arch)
        guard let pattern = KernelSyscallNumbers.tablePattern(handlers: handlers, arch: arch),
              let start = KernelSyscallNumbers.address(of: "__start_rodata", kallsyms: kallsyms),
              let memory = try? KernelMemory() else { return nil }
        // The table is const: in .rodata, which ends where the read-only-after-init data begins
        // (an upper bound of 64 MiB where kallsyms lacks that marker).
        var end = KernelSyscallNumbers.address(of: "__end_rodata", kallsyms: kallsyms)
            ?? KernelSyscallNumbers.address(of: "__start_ro_after_init", kallsyms: kallsyms) ?? 0
        if end <= start || end - start > 64 << 20 { end = start + (64 << 20) }
        let step = UInt64(KernelMemory.chunkBytes - pattern.count)  // chunks overlap by the pattern
        var address = start
        while address < end {
            if let chunk = memory.read(at: address), let offset = KernelSyscallNumbers.find(pattern, in: chunk) {
                // Realign so that a whole table (8 KiB at most) is in one read.
                let tableAddress = address + UInt64(offset)
                guard let table = offset + KernelSyscallNumbers.maxEntries * 8 <= chunk.count
                        ? Array(chunk[offset...]) : memory.read(at: tableAddress) else { return nil }
                let numbers = KernelSyscallNumbers.mapping(table: table, handlers: handlers)
                return numbers.isEmpty ? nil : numbers
            }
            address += step
        }
        return nil
    }

}
