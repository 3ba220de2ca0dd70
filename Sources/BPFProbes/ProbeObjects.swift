import Foundation

/// The compiled BPF objects, embedded at build time by the EmbedProbes plugin from `probes/`.
public enum ProbeObjects {
    /// The ELF object of `probes/cgtrace.bpf.c`.
    public static var cgtrace: [UInt8] { decode(cgtraceBase64) }

    private static func decode(_ text: StaticString) -> [UInt8] {
        let string = text.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        guard let data = Data(base64Encoded: string) else {
            preconditionFailure("embedded BPF object is not valid base64 (build problem)")
        }
        return [UInt8](data)
    }
}
