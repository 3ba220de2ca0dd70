import CBPF

#if canImport(Glibc)
import Glibc
#endif

/// The ring buffer map, created on a thread of its own as soon as cgtrace knows it will trace,
/// while the main thread reads the kernel's description, makes the cgroup and opens the BPF
/// object; the load then reuses it (bpf_map__reuse_fd). The kernel zeroes and charges every
/// page of the ring at creation: ~14 ms of CPU for 64 MiB here (~4 ms for lossless mode's 16),
/// and it needs nothing else.
public enum EarlyRing {
    nonisolated(unsafe) private static var making: Background<Int32>?
    nonisolated(unsafe) private static var requested: UInt32 = 0

    /// Starts creating a ring of `bytes` (at most once per process).
    public static func start(bytes: UInt32) {
        guard making == nil else { return }
        requested = bytes
        making = Background { bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0, bytes, nil) }
    }

    /// The ring made early, if it was started with this size (once; the caller owns the
    /// descriptor). Waits for the thread.
    static func take(bytes: UInt32) -> Int32? {
        guard let ring = making else { return nil }
        making = nil
        let fd = ring.value
        guard fd >= 0 else { return nil }
        guard requested == bytes else { close(fd); return nil }
        return fd
    }
}
