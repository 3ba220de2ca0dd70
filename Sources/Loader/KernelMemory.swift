import CBPF

#if canImport(Glibc)
import Glibc
#endif

/// Reads kernel memory (read-only data such as `sys_call_table`) with a one-shot BPF program: a
/// sleepable BPF_PROG_TYPE_SYSCALL program, run by BPF_PROG_TEST_RUN, copies `chunkBytes` from
/// the address in its context into an array map with bpf_probe_read_kernel. It needs no kprobe,
/// no /proc/kcore (this VM's kernel has none) and attaches to nothing. An unmapped address fails
/// the read (-EFAULT), never the kernel.
public final class KernelMemory {
    /// Bytes copied per run (the map value's size).
    public static let chunkBytes = 256 << 10

    private let mapFD: Int32
    private let progFD: Int32

    public init() throws(LoaderError) {
        let map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "cgt_kmem", 4, UInt32(Self.chunkBytes), 1, nil)
        guard map >= 0 else { throw LoaderError("kernel memory reader: map: \(String(cString: strerror(-map)))") }
        // The program, encoded by hand (op, dst, src, off, imm), so that it needs no object file.
        //   r6 = r1                      the context: { u64 address }
        //   *(u32 *)(r10 - 4) = 0        key 0
        //   r1 = map; r2 = r10 - 4; call map_lookup_elem
        //   if r0 == 0 goto fail
        //   r1 = r0; r2 = chunkBytes; r3 = *(u64 *)(r6 + 0); call probe_read_kernel; exit
        //   fail: r0 = -1; exit
        func insn(_ code: UInt8, _ dst: UInt8 = 0, _ src: UInt8 = 0, _ off: Int16 = 0, _ imm: Int32 = 0) -> UInt64 {
            UInt64(code) | UInt64(dst & 0xf) << 8 | UInt64(src & 0xf) << 12
                | UInt64(UInt16(bitPattern: off)) << 16 | UInt64(UInt32(bitPattern: imm)) << 32
        }
        let program: [UInt64] = [
            insn(0xbf, 6, 1),                        // mov64 r6, r1
            insn(0x62, 10, 0, -4, 0),                // stw [r10-4], 0
            insn(0x18, 1, 1, 0, map), insn(0),       // ld_imm64 r1, map fd (BPF_PSEUDO_MAP_FD)
            insn(0xbf, 2, 10),                       // mov64 r2, r10
            insn(0x07, 2, 0, 0, -4),                 // add64 r2, -4
            insn(0x85, 0, 0, 0, 1),                  // call bpf_map_lookup_elem
            insn(0x15, 0, 0, 5, 0),                  // jeq r0, 0, +5
            insn(0xbf, 1, 0),                        // mov64 r1, r0
            insn(0xb7, 2, 0, 0, Int32(Self.chunkBytes)), // mov64 r2, chunkBytes
            insn(0x79, 3, 6, 0),                     // ldxdw r3, [r6+0]
            insn(0x85, 0, 0, 0, 113),                // call bpf_probe_read_kernel
            insn(0x95),                              // exit
            insn(0xb7, 0, 0, 0, -1),                 // mov64 r0, -1
            insn(0x95),                              // exit
        ]
        var opts = bpf_prog_load_opts()
        opts.sz = MemoryLayout<bpf_prog_load_opts>.size
        opts.prog_flags = UInt32(BPF_F_SLEEPABLE)
        let prog = program.withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: bpf_insn.self) {
                bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "cgt_kmem_read", "GPL", $0.baseAddress, $0.count, &opts)
            }
        }
        guard prog >= 0 else {
            close(map)
            throw LoaderError("kernel memory reader: program: \(String(cString: strerror(-prog)))")
        }
        mapFD = map
        progFD = prog
    }

    deinit {
        close(progFD)
        close(mapFD)
    }

    /// `chunkBytes` bytes from kernel address `address`; nil if any of them is unreadable.
    public func read(at address: UInt64) -> [UInt8]? {
        var context = address
        var opts = bpf_test_run_opts()
        opts.sz = MemoryLayout<bpf_test_run_opts>.size
        let status = withUnsafeMutableBytes(of: &context) { ctx -> Int32 in
            opts.ctx_in = UnsafeRawPointer(ctx.baseAddress)
            opts.ctx_size_in = UInt32(ctx.count)
            return bpf_prog_test_run_opts(progFD, &opts)
        }
        guard status == 0, Int32(bitPattern: opts.retval) == 0 else { return nil }
        var key: UInt32 = 0
        var out = [UInt8](repeating: 0, count: Self.chunkBytes)
        let found = out.withUnsafeMutableBytes { bpf_map_lookup_elem(mapFD, &key, $0.baseAddress) }
        return found == 0 ? out : nil
    }
}
