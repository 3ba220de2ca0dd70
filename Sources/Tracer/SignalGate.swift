import Glibc

/// The signals cgtrace handles itself (SIGINT, SIGTERM, SIGHUP, SIGQUIT): blocked, and collected
/// without waiting, so the main loop can flush, forward and clean up.
final class SignalGate {
    struct Received {
        let number: Int32
        let fromUser: Bool
    }
    private var set = sigset_t()

    init() {
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&set, s) }
        sigprocmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    func pending() -> Received? {
        var info = siginfo_t()
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        let sig = sigtimedwait(&set, &info, &zero)
        guard sig > 0 else { return nil }
        return Received(number: sig, fromUser: info.si_code == SI_USER || info.si_code == SI_QUEUE)
    }
}
