import Beautifiers
import CgtraceABI
import Loader

extension ProbeSession {
    /// Load the probes with `options`, write every syscall's copy spec (what the kernel copies at
    /// entry and exit, derived from its decoder; untraced calls send nothing), let `prepare` fill
    /// maps, then attach. Live tracing and the recorder both start this way; on failure nothing
    /// stays loaded. `formats` is asked for once the programs are loaded (a live run makes them
    /// meanwhile on another thread).
    public static func loadAndAttach(_ options: ProbeOptions, formats: () -> SyscallFormats, traced: Set<Int>?,
                                     prepare: (ProbeSession) throws(LoaderError) -> Void = { _ throws(LoaderError) in })
        throws(LoaderError) -> ProbeSession {
        let session = try ProbeSession(options: options)
        let formats = formats()
        do {
            try session.setSyscallSpecs((0..<Int(CGT_MAX_SYSCALLS)).map { nr in
                formats[nr].kernelSpec(traced: traced?.contains(nr) ?? true, verbose: options.verbose,
                                       keptArguments: formats.keptArguments(nr))
            })
            try prepare(session)
            try session.attach()
        } catch {
            session.close()
            throw error
        }
        return session
    }
}
