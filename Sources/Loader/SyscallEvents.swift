import Glibc

/// The kernel's per-syscall trace events (tracefs `events/syscalls/sys_enter_NAME`), which let a
/// filtered trace hook only the syscalls it shows.
public enum SyscallEvents {
    /// Where libbpf looks for tracefs (it takes /sys/kernel/tracing whenever that path exists).
    static let tracefs = "/sys/kernel/tracing"
    static let debugfsTracing = "/sys/kernel/debug/tracing"

    /// Whether every one of `names` has its enter and exit events, mounting tracefs at
    /// /sys/kernel/tracing when nothing is mounted there. False means: use the raw hooks.
    public static func usable(_ names: [String]) -> Bool {
        guard let root = eventsRoot() else { return false }
        return names.allSatisfy { name in
            access(root + "/sys_enter_" + name + "/id", R_OK) == 0 && access(root + "/sys_exit_" + name + "/id", R_OK) == 0
        }
    }

    /// The `events/syscalls` directory libbpf will read tracepoint ids from, or nil.
    static func eventsRoot() -> String? {
        if access(tracefs, F_OK) == 0 {
            let events = tracefs + "/events/syscalls"
            if access(events, F_OK) == 0 { return events }
            // An empty mount point: tracefs is not mounted (common in containers and VMs).
            _ = mount("tracefs", tracefs, "tracefs", 0, nil)
            return access(events, F_OK) == 0 ? events : nil
        }
        let events = debugfsTracing + "/events/syscalls"
        return access(events, F_OK) == 0 ? events : nil
    }
}
