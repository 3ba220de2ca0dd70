import Glibc

/// The signals cgtrace handles itself rather than die of: SIGINT, SIGTERM, SIGHUP, SIGQUIT.
/// Live tracing collects them in its run loop (Tracer's SignalGate); `cgtrace record` takes one
/// before it commits a recording; the tools cgtrace starts get their default actions back.
public enum HandledSignals {
    public static let numbers: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    public static var set: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for s in numbers { sigaddset(&set, s) }
        return set
    }

    /// Block them in the calling thread and in the threads it starts from now on, before there
    /// is anything to clean up: one that comes during start-up then waits instead of killing
    /// cgtrace by its default action. (A thread started before would take it: blocking is per
    /// thread.)
    public static func block() {
        var s = set
        sigprocmask(SIG_BLOCK, &s, nil)
    }

    /// One that came while they were blocked, taken from the pending set; nil if none did.
    public static func takePending() -> Int32? {
        var pending = sigset_t()
        sigpending(&pending)
        for s in numbers where sigismember(&pending, s) == 1 {
            var one = sigset_t()
            sigemptyset(&one)
            sigaddset(&one, s)
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&one, nil, &zero)
            return s
        }
        return nil
    }
}
