import CBPF

#if canImport(Glibc)
import Glibc
#endif

/// The ring buffer map, created on a thread of its own as soon as cgtrace knows it will trace,
/// while the main thread reads the kernel's description, makes the cgroup and opens the BPF
/// object; the load then reuses it (bpf_map__reuse_fd). The kernel zeroes and charges every
/// page of the ring at creation: ~14 ms of CPU for 64 MiB here (~4 ms for lossless mode's 16), the largest single part of
/// start-up after the verifier, and it needs nothing else.
public enum EarlyRing {
    nonisolated(unsafe) private static var thread: pthread_t?
    nonisolated(unsafe) private static var requested: UInt32 = 0
    nonisolated(unsafe) private static var madeFD: Int32 = -1

    /// Starts creating a ring of `bytes` (at most once per process).
    public static func start(bytes: UInt32) {
        guard thread == nil else { return }
        requested = bytes
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { _ in
            EarlyRing.madeFD = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0, EarlyRing.requested, nil)
            return nil
        }, nil)
        if rc == 0 { thread = t }
    }

    /// The ring made early, if it was started with this size (once; the caller owns the
    /// descriptor). Waits for the thread.
    static func take(bytes: UInt32) -> Int32? {
        guard let t = thread else { return nil }
        pthread_join(t, nil)
        thread = nil
        let fd = madeFD
        madeFD = -1
        guard fd >= 0 else { return nil }
        guard requested == bytes else { close(fd); return nil }
        return fd
    }
}
