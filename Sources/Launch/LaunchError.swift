/// Why a trace or a recording could not start (a target that does not resolve, a command that
/// cannot be found or executed, probes the kernel refused…): one line for stderr, and the exit
/// status it maps to (see man/cgtrace.1, EXIT STATUS).
public struct LaunchError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The process exit status this error maps to.
    public let exitCode: Int32
    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
