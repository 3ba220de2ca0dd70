import CSpawn

#if canImport(Glibc)
import Glibc
#endif

/// Work done on a thread of its own while the caller goes on; `value` waits for it. Start-up
/// overlaps three things this way on its two CPUs: making the ring (EarlyRing), verifying half
/// of the programs (ProbeSession.loadConcurrently) and resolving the kernel's layouts
/// (PendingKernelDescription). The thread keeps off the CPU the caller is on
/// (CSpawn/cgt_helper_thread.h says why: 3–4.7 ms of start-up). If no thread can be made, the work
/// is done at once.
public final class Background<Value>: @unchecked Sendable {
    private var thread: pthread_t?
    private var result: Value?

    public init(_ work: @escaping () -> Value) {
        // (A C thread entry cannot name a generic type: it runs a non-generic box.)
        let start = Unmanaged.passRetained(ThreadStart { [self] in result = work() })
        var t = pthread_t()
        let rc = cgt_helper_thread_create(&t, { raw in
            Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, start.toOpaque())
        if rc == 0 {
            thread = t
        } else {
            start.release()
            result = work()
        }
    }

    /// The result, once the work is done (waits for the thread the first time; one caller
    /// thread).
    public var value: Value {
        if let t = thread {
            pthread_join(t, nil)
            thread = nil
        }
        return result!
    }
}

private final class ThreadStart {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
