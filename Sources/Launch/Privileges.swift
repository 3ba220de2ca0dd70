import Glibc
import WholeFiles

/// What tracing needs from the kernel and the process, checked up front so the error says which
/// thing is missing rather than failing later with EPERM.
public enum Privileges {
    static let CAP_SYS_ADMIN = 21, CAP_PERFMON = 38, CAP_BPF = 39

    /// Capabilities that are missing from the effective set: loading tracing programs needs
    /// CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN, which implies both). Empty when all is well.
    public static func missingCapabilities(status given: String? = nil) -> [String] {
        guard let status = given ?? WholeFile.text(atPath: "/proc/self/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(String(line.dropFirst("CapEff:".count).filter { !$0.isWhitespace }), radix: 16) else {
            return ["CAP_BPF", "CAP_PERFMON"]
        }
        func has(_ cap: Int) -> Bool { mask & (1 << UInt64(cap)) != 0 }
        if has(CAP_SYS_ADMIN) { return [] }
        return [(CAP_BPF, "CAP_BPF"), (CAP_PERFMON, "CAP_PERFMON")].filter { !has($0.0) }.map(\.1)
    }

    /// The kernel's own type information, which CO-RE programs are relocated against.
    public static func checkBTF(path: String = "/sys/kernel/btf/vmlinux") throws(LaunchError) {
        if access(path, R_OK) != 0 {
            throw LaunchError("this kernel has no BTF (\(path) is missing): its BPF programs cannot be "
                              + "relocated (a kernel built with CONFIG_DEBUG_INFO_BTF=y is needed)", exitCode: 4)
        }
    }
}

