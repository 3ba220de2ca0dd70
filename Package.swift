// swift-tools-version: 6.0
// cgtrace: an strace-compatible syscall tracer on eBPF, scoped to a cgroup.
//
// Layers, each its own module (read top to bottom to follow one event):
//   probes/            BPF C: cgtrace.bpf.c (the programs) and its .bpf.h parts; the one ABI header
//                      (target CgtraceABI)
//   BPFProbes          the compiled BPF object, embedded by the EmbedProbes plugin, and the names
//                      Swift binds in it (maps, .rodata constants, programs)
//   Loader             libbpf: open/load/attach (tp_btf → raw_tp fallback), ring buffer, maps
//   Syscalls           the syscall table per architecture (generated from kernel data)
//   WholeFiles         whole files read into memory (procfs/sysfs/tracefs give no size): the one reader
//   BTF                reads the kernel's BTF (/sys/kernel/btf/vmlinux) into plain struct/enum layouts
//   Decoder            ring-buffer bytes → typed records; CallPairing: entries and exits → calls, once, for every output
//   Beautifiers        flag/enum tables as data, struct decoders, per-family argument decoders
//   Formatters         strace text, JSON lines, Perfetto, summaries (CallOutputs), -P
//   Symbolizer         -k: unwinds the kernel's user-stack snapshots and names frames (libdw)
//   TraceFile          saved traces (--write, dump --write, replay): the versioned file format
//   Launch             what tracing and recording both start from: targets (cgroups, containers, units, pids),
//                      the command (PATH search, spawned into its cgroup; CSpawn), where its trace starts
//                      (its execve), load → copy specs → attach; LaunchError
//   Tracer             live tracing: the session's run loops, probe policy, record pump, lossless backpressure
//   Recorder           flight recorder: pinned in-kernel recordings, snapshot + replay (CRecorder: its seqlock read)
//   cgtrace            the command-line interface
//   CHermetic          the static release binary's dlopen, which loads nothing (see selfContained)
import PackageDescription

/// The consumer decodes and formats millions of records a second; dynamic exclusivity checks on
/// class properties (the sinks' buffers) cost ~13% of it (measured with perf). Release builds of
/// the hot modules skip them; debug builds and tests keep them.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// The release binary is a static executable: it loads no shared library (not libbpf, libelf,
/// libdw, zlib, the Swift runtime nor libc), so it runs on any x86-64 Linux host and in an image
/// with nothing else in it. Start-up gains too: no dynamic loader, no relocations of eleven
/// libraries, lighter forks; `cgtrace -o /dev/null -- true` 28.0 -> 25.0 ms (medians of five
/// interleaved rounds of `perf stat -r 20`), `cgtrace --bogus` 3.0 -> 1.2 ms. libdw's static
/// archive needs bz2 and lzma named after it. It is not position-independent: its own code and
/// data sit at fixed addresses, as a Go binary's do (the stack, heap and mappings are still
/// randomized); a static PIE linked with lld crashed in glibc's self-relocation here. It loads
/// no shared object either: dlopen is wrapped (Sources/CHermetic), and -u reads /etc/passwd
/// itself (a static glibc's NSS would load the host's modules; Sources/Launch/UserCredentials.swift).
let selfContained: [LinkerSetting] = [.unsafeFlags(["-static-executable", "-Xlinker", "--wrap=dlopen"], .when(configuration: .release)),
                                      .linkedLibrary("bz2", .when(configuration: .release)),
                                      .linkedLibrary("lzma", .when(configuration: .release))]

let package = Package(
    name: "cgtrace",
    products: [
        .executable(name: "cgtrace", targets: ["cgtrace"]),
        .executable(name: "cgtrace-fuzz", targets: ["cgtrace-fuzz"]),
    ],
    targets: [
        .systemLibrary(name: "CBPF", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev", "libelf-dev"])]),
        .target(name: "CgtraceABI", path: "probes", sources: ["abi.c"], publicHeadersPath: "include"),
        .plugin(name: "EmbedProbes", capability: .buildTool()),
        .target(name: "BPFProbes", plugins: ["EmbedProbes"]),
        .target(name: "Loader", dependencies: ["BTF", "CBPF", "CgtraceABI", "BPFProbes", "CSpawn", "WholeFiles"]),
        // Optimized in debug builds too: it walks ~150 000 BTF types at every start, 10x slower
        // unoptimized (the kernel tests run the debug binary, with signal-timing margins).
        .target(name: "BTF", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "WholeFiles"),
        .target(name: "Syscalls", dependencies: ["WholeFiles"]),
        .target(name: "Decoder", dependencies: ["CgtraceABI", "Syscalls"], swiftSettings: hotPath),
        .target(name: "Beautifiers", dependencies: ["BTF", "CgtraceABI", "Decoder", "Syscalls"], swiftSettings: hotPath),
        .target(name: "Formatters", dependencies: ["Decoder", "Beautifiers", "Syscalls"], swiftSettings: hotPath),
        .systemLibrary(name: "CDW", pkgConfig: "libdw", providers: [.apt(["libdw-dev", "libbz2-dev", "liblzma-dev"])]),
        .target(name: "Symbolizer", dependencies: ["CDW", "Decoder"]),
        .target(name: "CSpawn"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "TraceFile", dependencies: ["CZlib", "CgtraceABI", "Syscalls", "WholeFiles"]),
        .target(name: "Launch", dependencies: ["CSpawn", "Loader", "Decoder", "Beautifiers", "Syscalls", "CgtraceABI", "WholeFiles"]),
        .target(name: "Tracer", dependencies: ["WholeFiles", "BTF", "TraceFile", "CSpawn", "Launch", "Loader", "Decoder", "Beautifiers", "Formatters", "Syscalls", "CgtraceABI", "Symbolizer"]),
        .target(name: "CRecorder", dependencies: ["CgtraceABI"]),
        .target(name: "Recorder", dependencies: ["TraceFile", "Symbolizer", "CRecorder", "CBPF", "Launch", "Loader", "BPFProbes", "Decoder", "Beautifiers", "Formatters", "Syscalls", "CgtraceABI"]),
        .target(name: "CHermetic"),
        .executableTarget(name: "cgtrace", dependencies: ["Launch", "Tracer", "Recorder", "Formatters", "Syscalls", "CgtraceABI", "CHermetic"],
                          linkerSettings: selfContained),
        .target(name: "Fuzzing", dependencies: ["TraceFile", "CgtraceABI", "Decoder", "Beautifiers", "Formatters"]),
        .executableTarget(name: "cgtrace-fuzz", dependencies: ["Fuzzing", "Formatters", "TraceFile"]),
        .testTarget(name: "DecodingTests", dependencies: ["BTF", "TraceFile", "Decoder", "Beautifiers", "Formatters", "Syscalls", "CgtraceABI", "Fuzzing", "Recorder", "BPFProbes", "Launch", "Loader", "CBPF", "CSpawn", "WholeFiles"],
                    exclude: ["Fixtures"]),  // read by path: a BTF blob (scripts/gen-btf-fixture.sh)
        .testTarget(name: "KernelTests", dependencies: ["WholeFiles", "BTF", "Launch", "Tracer", "Loader", "Decoder", "Syscalls"]),
    ]
)
