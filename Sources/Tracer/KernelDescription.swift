import BTF
import Beautifiers
import Loader
import Syscalls

#if canImport(Glibc)
import Glibc
#endif

/// What the running kernel says about its syscalls, read once at start-up: argument names and C
/// types from its tracepoint formats (tracefs), and the layouts of the structs and enums those
/// arguments use that no hand decoder covers (BTF). Hand-written formats win wherever they exist.
public struct KernelDescription {
    public let formats: SyscallFormats
    /// The layouts from BTF the formats use.
    public let types: KernelTypes
    /// Syscalls whose arguments the kernel declares differently from the build's table.
    public let changed: [String]
    /// Structs and enums decoded from BTF.
    public var btfStructs: Int { types.records.count }
    public var btfEnums: Int { types.enums.count }
    /// Why a source was not used (no tracefs, no BTF), for --debug.
    public let notes: [String]
    /// Milliseconds spent reading tracefs, reading BTF, and resolving its layouts.
    public let timings: (tracefs: Double, btf: Double, layouts: Double)

    /// The BTF file of the running kernel.
    public static let vmlinuxBTF = "/sys/kernel/btf/vmlinux"

    /// The syscall table as the running kernel declares it: what `describe` starts from, and
    /// what the options are parsed against.
    public struct Table: Sendable {
        public let table: SyscallTable
        let changed: [String]
        let notes: [String]
        let tracefsMs: Double
        /// Where the boot caches are (the syscalls' cache file's directory), for the layouts'
        /// cache; nil without a cache, or for a table passed in (a test's, which the layouts'
        /// key does not describe).
        let cacheDirectory: String?
    }

    /// Reads tracefs and BTF; falls back to the build's table (and addresses for structs without
    /// a hand decoder) for whatever cannot be read. A syscall the build's table lacks gets its
    /// number from the kernel's own table (KernelSyscallNumbering). `table` and `cachePath`:
    /// tests pass a table with syscalls removed, and no cache.
    public static func read(arch: Arch = .current, btfPath: String = vmlinuxBTF, table builtIn: SyscallTable? = nil,
                            cachePath: String? = KernelSyscalls.cachePath) -> KernelDescription {
        describe(readTable(arch: arch, table: builtIn, cachePath: cachePath), btfPath: btfPath)
    }

    /// `read`'s first half: the syscalls' numbers, names and declarations.
    public static func readTable(arch: Arch = .current, table builtIn: SyscallTable? = nil,
                                 cachePath: String? = KernelSyscalls.cachePath) -> Table {
        var notes: [String] = []
        var table = builtIn ?? SyscallTable.forArch(arch)  // built in any case: not part of the cost measured
        let t0 = now()
        let unnumbered = table
        let kernel = KernelSyscalls.readRunningKernel(cachePath: cachePath, relevant: table.differing) { kept in
            let unknown = Set(unnumbered.unknownEvents(kept))
            guard !unknown.isEmpty else { return [:] }
            guard let numbers = KernelSyscallNumbering.read(arch: arch) else {
                notes.append("no syscall numbers from the kernel's sys_call_table: \(unknown.count) syscalls print as syscall_0x…")
                return [:]
            }
            var out: [String: Int] = [:]
            for (number, name) in numbers where unknown.contains(name) { out[name] = number }
            return out
        }
        var changed: [String] = []
        if let kernel {
            if !kernel.declarations.isEmpty {
                (table, changed) = table.merging(kernelArguments: kernel.declarations, numbers: kernel.numbers)
            }
        } else {
            notes.append("no syscall tracepoints in tracefs: using the built-in \(arch.rawValue) table")
        }
        return Table(table: table, changed: changed, notes: notes, tracefsMs: now() - t0,
                     cacheDirectory: builtIn == nil ? cachePath.flatMap(BootCache.directory(of:)) : nil)
    }

    /// `read`'s second half: the layouts from BTF (or from this boot's cache of them beside the
    /// syscalls': KernelLayoutCache), and the formats.
    public static func describe(_ t: Table, btfPath: String = vmlinuxBTF) -> KernelDescription {
        describe(t, btfPath: btfPath, cacheDirectory: t.cacheDirectory)
    }

    /// `describe`, with the layouts' cache in `cacheDirectory` (nil: none).
    public static func describe(_ t: Table, btfPath: String = vmlinuxBTF, cacheDirectory: String?) -> KernelDescription {
        var notes = t.notes
        _ = SyscallFormats.overrides.count  // the hand formats are built in any case
        var t0 = now()
        var types = KernelTypes()
        var btfMs = 0.0, layoutMs = 0.0
        let cache = cacheDirectory.flatMap { directory in
            KernelLayoutCache.header(btfPath: btfPath, table: t).map {
                (path: KernelLayoutCache.path(directory: directory, btfPath: btfPath), header: $0)
            }
        }
        if let cache, let cached = KernelLayoutCache.read(cache.path, header: cache.header) {
            types = cached
            layoutMs = now() - t0
            notes.append("struct layouts from this boot's cache (\(cache.path))")
        } else {
            do {
                let btf = try BTFFile.shared(path: btfPath)
                btfMs = now() - t0
                t0 = now()
                types = KernelTypes(for: t.table, btf: btf)
                layoutMs = now() - t0
                if let cache { KernelLayoutCache.write(cache.path, header: cache.header, types) }
            } catch {
                notes.append("BTF: \(error.description): structs without a hand decoder print as addresses")
            }
        }
        return KernelDescription(formats: SyscallFormats(table: t.table, types: types), types: types, changed: t.changed,
                                 notes: notes, timings: (t.tracefsMs, btfMs, layoutMs))
    }

    /// --debug: one line on what was read and what it cost.
    public var summary: String {
        func ms(_ v: Double) -> String { String(Int((v * 10).rounded())) .paddedTenths }
        var s = "cgtrace: kernel: tracefs \(ms(timings.tracefs)) ms (\(changed.count) declarations differ from the build's"
        s += changed.isEmpty ? ")" : ": " + changed.prefix(8).joined(separator: ", ") + (changed.count > 8 ? ", …)" : ")")
        s += "; BTF read \(ms(timings.btf)) ms, layouts \(ms(timings.layouts)) ms (\(btfStructs) structs, \(btfEnums) enums)"
        return ([s] + notes.map { "cgtrace: kernel: " + $0 }).joined(separator: "\n")
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }
}

private extension String {
    /// "123" (tenths) → "12.3".
    var paddedTenths: String {
        let digits = count < 2 ? String(repeating: "0", count: 2 - count) + self : self
        return digits.dropLast() + "." + digits.suffix(1)
    }
}

/// `KernelDescription.describe` on a thread of its own. The layouts and the formats built from
/// them are first needed for the probes' copy specs (TraceSession.kernelSpecsBesideLoad), which
/// are written after the verifier has run: until then they are made beside the probe load,
/// whose first milliseconds (the object opened and relocated, the maps made) leave the other
/// CPU free (~3.5 ms of every start here).
public final class PendingKernelDescription: @unchecked Sendable {
    /// What the options are parsed against, at once.
    public let table: SyscallTable
    private let description: Background<KernelDescription>

    public init(_ input: KernelDescription.Table, btfPath: String = KernelDescription.vmlinuxBTF) {
        table = input.table
        description = Background { KernelDescription.describe(input, btfPath: btfPath) }
    }

    /// The description, once made (waits for the thread the first time; one caller thread).
    public var value: KernelDescription { description.value }
}
