// swift-tools-version: 6.0
// cgtrace: an strace-compatible syscall tracer on eBPF, scoped to a cgroup.
//
// Layers, each its own module (read top to bottom to follow one event):
//   probes/            BPF C programs + the one ABI header (target CgtraceABI)
//   BPFProbes          the compiled BPF object, embedded by the EmbedProbes plugin
//   Loader             libbpf: open/load/attach (tp_btf → raw_tp fallback), ring buffer, maps
//   Syscalls           the syscall table per architecture (generated from kernel data)
//   Decoder            ring-buffer bytes → typed records; enter/exit pairing
//   Beautifiers        flag/enum tables as data, struct decoders, per-family argument decoders
//   Formatters         strace text, JSON lines, summaries
//   Tracer             cgroups, launching the command, the session loop
//   Recorder           flight recorder: pinned in-kernel recordings, snapshot + replay (CRecorder: its seqlock read)
//   cgtrace            the command-line interface
import PackageDescription

let package = Package(
    name: "cgtrace",
    products: [.executable(name: "cgtrace", targets: ["cgtrace"])],
    targets: [
        .systemLibrary(name: "CBPF", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev", "libelf-dev"])]),
        .target(name: "CgtraceABI", path: "probes", sources: ["abi.c"], publicHeadersPath: "include"),
        .plugin(name: "EmbedProbes", capability: .buildTool()),
        .target(name: "BPFProbes", plugins: ["EmbedProbes"]),
        .target(name: "Loader", dependencies: ["CBPF", "CgtraceABI", "BPFProbes"]),
        .target(name: "Syscalls"),
        .target(name: "Decoder", dependencies: ["CgtraceABI", "Syscalls"]),
        .target(name: "Beautifiers", dependencies: ["CgtraceABI", "Decoder", "Syscalls"]),
        .target(name: "Formatters", dependencies: ["Decoder", "Beautifiers", "Syscalls"]),
        .target(name: "CSpawn"),
        .target(name: "Tracer", dependencies: ["CSpawn", "Loader", "Decoder", "Beautifiers", "Formatters", "Syscalls", "CgtraceABI"]),
        .target(name: "CRecorder", dependencies: ["CgtraceABI"]),
        .target(name: "Recorder", dependencies: ["CRecorder", "CBPF", "CSpawn", "Tracer", "Loader", "Decoder", "Beautifiers", "Formatters", "Syscalls", "CgtraceABI"]),
        .executableTarget(name: "cgtrace", dependencies: ["Tracer", "Recorder", "Formatters", "Syscalls"]),
        .testTarget(name: "DecodingTests", dependencies: ["Decoder", "Beautifiers", "Formatters", "Syscalls", "CgtraceABI", "Recorder"]),
        .testTarget(name: "KernelTests", dependencies: ["Tracer", "Loader", "Decoder", "Syscalls"]),
    ]
)
