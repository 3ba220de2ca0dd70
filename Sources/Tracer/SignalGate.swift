import CSpawn
import Glibc
import Launch

/// The signals cgtrace handles itself (SIGINT, SIGTERM, SIGHUP, SIGQUIT): blocked, and collected
/// without waiting, so the main loop can flush, forward and clean up. SIGCHLD is blocked too, and
/// only wakes the loop: `wakeFD` (a signalfd) is readable while any of them waits, so the run loop
/// sleeps on it beside the ring and sees a Ctrl-C or the command's exit at once, not at its next
/// 10 ms tick (measured: `cgtrace -- true` spent ~8 ms of its ~45 waiting for that tick).
final class SignalGate {
    struct Received {
        let number: Int32
        let fromUser: Bool
    }
    private var handled = sigset_t()
    private var children = sigset_t()
    /// Readable while a handled signal or SIGCHLD is pending (-1: no signalfd, the tick only).
    let wakeFD: Int32

    init() {
        handled = HandledSignals.set
        sigemptyset(&children)
        sigaddset(&children, SIGCHLD)
        var all = handled
        sigaddset(&all, SIGCHLD)
        sigprocmask(SIG_BLOCK, &all, nil)
        signal(SIGPIPE, SIG_IGN)
        wakeFD = cgt_signal_wake_fd(&all)
    }

    deinit {
        if wakeFD >= 0 { close(wakeFD) }
    }

    /// A handled signal that came, if any. Takes pending SIGCHLDs too, which only woke the loop
    /// (it asks waitpid), so that `wakeFD` does not stay readable.
    func pending() -> Received? {
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        while sigtimedwait(&children, nil, &zero) == SIGCHLD {}
        var info = siginfo_t()
        let sig = sigtimedwait(&handled, &info, &zero)
        guard sig > 0 else { return nil }
        return Received(number: sig, fromUser: info.si_code == SI_USER || info.si_code == SI_QUEUE)
    }
}
