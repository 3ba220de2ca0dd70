import PackagePlugin
import Foundation

/// Compiles the BPF programs in `probes/` with the toolchain's clang and embeds the objects in
/// the target as base64 constants, so `cgtrace` is one self-contained binary.
///
/// Every `.c`, `.h` and `.sh` under `probes/` is an input, so a change to one of the `.bpf.h` parts
/// that `cgtrace.bpf.c` includes (or to the ABI header) rebuilds the object.
///
/// Only the final Swift file is declared as output: any other declared output would become a
/// resource of the target.
@main
struct EmbedProbes: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let probes = context.package.directoryURL.appending(path: "probes")
        let inputs = try FileManager.default.subpathsOfDirectory(atPath: probes.path())
            .filter { $0.hasSuffix(".c") || $0.hasSuffix(".h") || $0.hasSuffix(".sh") }
            .map { probes.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "ProbeObjects+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Compiling BPF probes",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [
                    probes.appending(path: "embed.sh").path(),
                    try context.tool(named: "clang").url.path(),
                    try context.tool(named: "llvm-objcopy").url.path(),
                    probes.path(),
                    output.path(),
                ],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
