import Decoder
import Formatters
import Glibc
import Launch

/// Where the trace is written: stderr or -o FILE, -ff files, the structured outputs, -P.
extension TraceSession {
    /// The main output stream: -o FILE, else stderr.
    func openOutput() throws(LaunchError) -> OutputFile {
        guard let path = options.outputPath else { return OutputFile(fd: 2) }
        do {
            return try OutputFile.create(path: path)
        } catch {
            throw LaunchError("can't open '\(path)': \(String(cString: strerror(error.errno)))", exitCode: 2)
        }
    }

    /// The outputs the options ask for; -ff leaves the -o name as a prefix, not a file.
    func makeOutputs(format: FormatOptions, cgroupID: UInt64) throws(LaunchError) -> CallPairing {
        let plan = options.outputs
        let split = plan.perTaskFiles && options.outputPath != nil
        if split, let prefix = options.outputPath {
            // The files are created as tasks appear; a prefix whose directory cannot take them
            // is a usage error now, not a stream of failures later.
            let slash = prefix.lastIndex(of: "/")
            let dir = slash.map { $0 == prefix.startIndex ? "/" : String(prefix[..<$0]) } ?? "."
            if access(dir, W_OK | X_OK) != 0 {
                throw LaunchError("can't create '\(prefix).PID' files: \(dir): \(String(cString: strerror(errno)))", exitCode: 2)
            }
        }
        let main: OutputFile? = split ? nil : try openOutput()
        mainOutput = main
        do {
            let outputs = try plan.build(formats: formats, format: format, main: main, filePrefix: options.outputPath,
                                         cgroupID: cgroupID, errors: errorOutput)
            let filtered = options.paths.isEmpty ? outputs : PathFilter(paths: options.paths, formats: formats, next: outputs)
            return CallPairing(formats: formats, next: filtered)
        } catch {
            throw LaunchError("can't open '\(error.path)': \(String(cString: strerror(error.errno)))", exitCode: 2)
        }
    }
}
