import Beautifiers
import CgtraceABI
import Loader

extension ProbeSession {
    /// Load the probes with `options`, write every syscall's copy spec (`specs`: what the kernel
    /// copies at entry and exit, SyscallFormats.kernelSpecs), let `prepare` fill maps, then
    /// attach. Live tracing and the recorder both start this way; on failure nothing stays
    /// loaded. `specs` is asked for once the programs are loaded (a live run makes them
    /// meanwhile on another thread).
    public static func loadAndAttach(_ options: ProbeOptions, specs: () -> [cgt_syscall_spec],
                                     prepare: (ProbeSession) throws(LoaderError) -> Void = { _ throws(LoaderError) in })
        throws(LoaderError) -> ProbeSession {
        let session = try ProbeSession(options: options)
        do {
            try session.setSyscallSpecs(specs())
            try prepare(session)
            try session.attach()
        } catch {
            session.close()
            throw error
        }
        return session
    }
}
