/// -N/--arg-names (strace 6.16): arguments are named as the manual pages name them
/// (`openat(dirfd=AT_FDCWD, pathname="/etc/hostname", flags=O_RDONLY)`). The syscall table has the
/// kernel's SYSCALL_DEFINE names; where the manual says otherwise for a name many calls share,
/// this says how.
public enum ArgumentNames {
    /// The manual's name for a kernel argument name.
    public static func manual(_ kernelName: String) -> String {
        renamed[kernelName] ?? kernelName
    }

    static let renamed: [String: String] = [
        "dfd": "dirfd", "olddfd": "olddirfd", "newdfd": "newdirfd",
        "filename": "pathname", "oldname": "oldpath", "newname": "newpath",
        "flag": "flags", "off": "offset", "len": "length", "brk": "addr",
        "ufds": "fds", "uservaddr": "addr", "umyaddr": "addr", "upeer_sockaddr": "addr",
        "upeer_addrlen": "addrlen", "usockaddr_len": "addrlen", "buff": "buf", "ubuf": "buf",
        "fildes": "fd", "tsp": "timeout",
        "oset": "oldset", "nset": "set", "oact": "oldact",
        "rqtp": "req", "rmtp": "rem", "which_clock": "clockid",
        "usig": "sig", "upid": "pid", "stat_addr": "wstatus", "ru": "rusage",
        "u_msg_ptr": "msg_ptr",
    ]
}
