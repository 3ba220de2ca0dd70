// Files, descriptors, paths, mounts, polling and notification.
// Values are the x86_64 Linux UAPI values; names and print order follow strace 6.1.

extension Tables {
    /// The access-mode field of open flags (`O_ACCMODE` bits); all four values are named.
    public static let openAccessModes = EnumTable([
        Named(0, "O_RDONLY"),
        Named(1, "O_WRONLY"),
        Named(2, "O_RDWR"),
        Named(3, "O_ACCMODE"),
    ], unknown: "O_???")

    /// Entries shared by the tables that follow.
    private static let openModeFlagNames: [Named] = [
        Named(0x40, "O_CREAT"),
        Named(0x80, "O_EXCL"),
        Named(0x100, "O_NOCTTY"),
        Named(0x200, "O_TRUNC"),
        Named(0x400, "O_APPEND"),
        Named(0x800, "O_NONBLOCK"),
        Named(0x101000, "O_SYNC"),
        Named(0x100000, "__O_SYNC"),
        Named(0x1000, "O_DSYNC"),
        Named(0x4000, "O_DIRECT"),
        Named(0x8000, "O_LARGEFILE"),
        Named(0x20000, "O_NOFOLLOW"),
        Named(0x40000, "O_NOATIME"),
        Named(0x80000, "O_CLOEXEC"),
        Named(0x200000, "O_PATH"),
        Named(0x410000, "O_TMPFILE"),
        Named(0x400000, "__O_TMPFILE"),
        Named(0x10000, "O_DIRECTORY"),
        Named(0x2000, "FASYNC"),
    ]

    /// open/openat/openat2 flags and F_GETFL/F_SETFL values: the access mode first, then the flags.
    /// Kernel values are used, so `O_LARGEFILE` is 0x8000 (glibc's x86_64 headers define it as 0, but the
    /// kernel value is what arrives and strace names it: `O_RDONLY|O_LARGEFILE`). `O_SYNC` (two bits) is
    /// listed before `O_DSYNC`, and `O_TMPFILE` (`__O_TMPFILE|O_DIRECTORY`) before `O_DIRECTORY`, as strace
    /// prints them. Value 0 prints `O_RDONLY` (from the field).
    public static let openFlags = FlagTable(
        openModeFlagNames,
        field: (mask: 0x3, values: openAccessModes),
        unknown: "O_???")

    /// The open flags without the access-mode field, as strace prints pipe2 flags
    /// (`pipe2([3, 4], O_NONBLOCK|O_CLOEXEC)`; 0 prints `0`, not `O_RDONLY`).
    public static let openModeFlags = FlagTable(
        openModeFlagNames,
        unknown: "O_???")

    /// dup3 flags: strace prints them with the open flags (no access mode), so `O_CLOEXEC`,
    /// and even `O_CREAT` for 0x40; 0 prints `0`. The same table as `openModeFlags`.
    public static let dup3Flags = openModeFlags

    /// Entries shared by the tables that follow.
    private static let atFlagNames: [Named] = [
        Named(0x100, "AT_SYMLINK_NOFOLLOW"),
        Named(0x200, "AT_REMOVEDIR"),
        Named(0x400, "AT_SYMLINK_FOLLOW"),
        Named(0x800, "AT_NO_AUTOMOUNT"),
        Named(0x1000, "AT_EMPTY_PATH"),
        Named(0x8000, "AT_RECURSIVE"),
    ]

    /// *at() flags (unlinkat, linkat, fchownat, newfstatat, utimensat, execveat, …).
    /// `AT_REMOVEDIR` and `AT_EACCESS` share 0x200: this table names it `AT_REMOVEDIR`;
    /// faccessat2 uses `faccessatFlags`. 0 prints `0`.
    public static let atFlags = FlagTable(
        atFlagNames,
        unknown: "AT_???")

    /// faccessat2 flags (0x200 is `AT_EACCESS` here). 0 prints `0`.
    public static let faccessatFlags = FlagTable(
        [
            Named(0x100, "AT_SYMLINK_NOFOLLOW"),
            Named(0x200, "AT_EACCESS"),
            Named(0x1000, "AT_EMPTY_PATH"),
        ],
        unknown: "AT_???")

    /// The sync-type field of statx flags (mask `AT_STATX_SYNC_TYPE`).
    public static let statxSyncTypes = EnumTable([
        Named(0x0, "AT_STATX_SYNC_AS_STAT"),
        Named(0x2000, "AT_STATX_FORCE_SYNC"),
        Named(0x4000, "AT_STATX_DONT_SYNC"),
        Named(0x6000, "AT_STATX_SYNC_TYPE"),
    ], unknown: "AT_STATX_???")

    /// statx flags: the sync type first (0 prints `AT_STATX_SYNC_AS_STAT`), then the *at flags,
    /// e.g. `AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW`.
    public static let statxFlags = FlagTable(
        atFlagNames,
        field: (mask: 0x6000, values: statxSyncTypes),
        unknown: "AT_???", fieldApart: true)

    /// access/faccessat mode: `F_OK` is the zero name, then `R_OK|W_OK|X_OK`.
    public static let accessModes = FlagTable(
        [
            Named(0x4, "R_OK"),
            Named(0x2, "W_OK"),
            Named(0x1, "X_OK"),
        ],
        zero: "F_OK",
        unknown: "?_OK")

    /// fcntl commands. strace 6.1 also names 12–14 `F_GETLK64`/`F_SETLK64`/`F_SETLKW64` on
    /// x86_64 (the kernel accepts them there); it does not name the read/write-hint commands (1035+).
    public static let fcntlCommands = EnumTable([
        Named(0, "F_DUPFD"),
        Named(1, "F_GETFD"),
        Named(2, "F_SETFD"),
        Named(3, "F_GETFL"),
        Named(4, "F_SETFL"),
        Named(5, "F_GETLK"),
        Named(6, "F_SETLK"),
        Named(7, "F_SETLKW"),
        Named(8, "F_SETOWN"),
        Named(9, "F_GETOWN"),
        Named(10, "F_SETSIG"),
        Named(11, "F_GETSIG"),
        Named(12, "F_GETLK64"),
        Named(13, "F_SETLK64"),
        Named(14, "F_SETLKW64"),
        Named(15, "F_SETOWN_EX"),
        Named(16, "F_GETOWN_EX"),
        Named(17, "F_GETOWNER_UIDS"),
        Named(36, "F_OFD_GETLK"),
        Named(37, "F_OFD_SETLK"),
        Named(38, "F_OFD_SETLKW"),
        Named(1024, "F_SETLEASE"),
        Named(1025, "F_GETLEASE"),
        Named(1026, "F_NOTIFY"),
        Named(1029, "F_CANCELLK"),
        Named(1030, "F_DUPFD_CLOEXEC"),
        Named(1031, "F_SETPIPE_SZ"),
        Named(1032, "F_GETPIPE_SZ"),
        Named(1033, "F_ADD_SEALS"),
        Named(1034, "F_GET_SEALS"),
    ], unknown: "F_???")

    /// F_GETFD/F_SETFD flags; 0 prints `0`.
    public static let fdFlags = FlagTable(
        [
            Named(0x1, "FD_CLOEXEC"),
        ],
        unknown: "FD_???")

    /// struct flock l_type, and the F_SETLEASE/F_GETLEASE argument.
    public static let lockTypes = EnumTable([
        Named(0, "F_RDLCK"),
        Named(1, "F_WRLCK"),
        Named(2, "F_UNLCK"),
        Named(4, "F_EXLCK"),
        Named(8, "F_SHLCK"),
    ], unknown: "F_???")

    /// F_ADD_SEALS/F_GET_SEALS bits.
    public static let fileSeals = FlagTable(
        [
            Named(0x1, "F_SEAL_SEAL"),
            Named(0x2, "F_SEAL_SHRINK"),
            Named(0x4, "F_SEAL_GROW"),
            Named(0x8, "F_SEAL_WRITE"),
            Named(0x10, "F_SEAL_FUTURE_WRITE"),
        ],
        unknown: "F_SEAL_???")

    /// F_NOTIFY argument bits.
    public static let dnotifyFlags = FlagTable(
        [
            Named(0x1, "DN_ACCESS"),
            Named(0x2, "DN_MODIFY"),
            Named(0x4, "DN_CREATE"),
            Named(0x8, "DN_DELETE"),
            Named(0x10, "DN_RENAME"),
            Named(0x20, "DN_ATTRIB"),
            Named(0x80000000, "DN_MULTISHOT"),
        ],
        unknown: "DN_???")

    /// flock(2) operation bits.
    public static let flockOperations = FlagTable(
        [
            Named(0x1, "LOCK_SH"),
            Named(0x2, "LOCK_EX"),
            Named(0x4, "LOCK_NB"),
            Named(0x8, "LOCK_UN"),
            Named(0x20, "LOCK_MAND"),
            Named(0xc0, "LOCK_RW"),
            Named(0x40, "LOCK_READ"),
            Named(0x80, "LOCK_WRITE"),
        ],
        unknown: "LOCK_???")

    /// lseek whence.
    public static let seekWhence = EnumTable([
        Named(0, "SEEK_SET"),
        Named(1, "SEEK_CUR"),
        Named(2, "SEEK_END"),
        Named(3, "SEEK_DATA"),
        Named(4, "SEEK_HOLE"),
    ], unknown: "SEEK_???")

    /// The file-type field of a mode (`S_IFMT` bits). strace prints a mode as
    /// `S_IFREG|0644`: the type name (only when the type bits are non-zero and known), then the set-id
    /// bits from `fileModeSpecialBits`, then the remaining bits in octal (`%#03o`, e.g. `0644`, `000`).
    /// With type bits that are unknown it prints the whole mode in octal; mknod with no type prints just
    /// the octal.
    public static let fileTypes = EnumTable([
        Named(0x8000, "S_IFREG"),
        Named(0xc000, "S_IFSOCK"),
        Named(0x1000, "S_IFIFO"),
        Named(0xa000, "S_IFLNK"),
        Named(0x4000, "S_IFDIR"),
        Named(0x6000, "S_IFBLK"),
        Named(0x2000, "S_IFCHR"),
    ], unknown: "")

    /// The set-user-ID, set-group-ID and sticky bits, printed after the file type.
    public static let fileModeSpecialBits = FlagTable(
        [
            Named(0x800, "S_ISUID"),
            Named(0x400, "S_ISGID"),
            Named(0x200, "S_ISVTX"),
        ])

    /// statx mask / stx_mask. `STATX_ALL` (0xfff) and `STATX_BASIC_STATS` (0x7ff) come first, so
    /// they are printed in place of their bits (e.g. `STATX_ALL|STATX_MNT_ID`). 0 prints `0`.
    public static let statxMask = FlagTable(
        [
            Named(0xfff, "STATX_ALL"),
            Named(0x7ff, "STATX_BASIC_STATS"),
            Named(0x1, "STATX_TYPE"),
            Named(0x2, "STATX_MODE"),
            Named(0x4, "STATX_NLINK"),
            Named(0x8, "STATX_UID"),
            Named(0x10, "STATX_GID"),
            Named(0x20, "STATX_ATIME"),
            Named(0x40, "STATX_MTIME"),
            Named(0x80, "STATX_CTIME"),
            Named(0x100, "STATX_INO"),
            Named(0x200, "STATX_SIZE"),
            Named(0x400, "STATX_BLOCKS"),
            Named(0x800, "STATX_BTIME"),
            Named(0x1000, "STATX_MNT_ID"),
            Named(0x2000, "STATX_DIOALIGN"),
        ],
        unknown: "STATX_???")

    /// renameat2 flags; 0 prints `0`.
    public static let renameFlags = FlagTable(
        [
            Named(0x1, "RENAME_NOREPLACE"),
            Named(0x2, "RENAME_EXCHANGE"),
            Named(0x4, "RENAME_WHITEOUT"),
        ],
        unknown: "RENAME_??")

    /// close_range flags; 0 prints `0`.
    public static let closeRangeFlags = FlagTable(
        [
            Named(0x2, "CLOSE_RANGE_UNSHARE"),
            Named(0x4, "CLOSE_RANGE_CLOEXEC"),
        ],
        unknown: "CLOSE_RANGE_???")

    /// splice/tee/vmsplice flags; 0 prints `0`.
    public static let spliceFlags = FlagTable(
        [
            Named(0x1, "SPLICE_F_MOVE"),
            Named(0x2, "SPLICE_F_NONBLOCK"),
            Named(0x4, "SPLICE_F_MORE"),
            Named(0x8, "SPLICE_F_GIFT"),
        ],
        unknown: "SPLICE_F_???")

    /// mount flags. strace first strips the old magic: when `flags & 0xffff0000 == 0xc0ed0000`
    /// it prints `MS_MGC_VAL` (see `mountMagicValue`), then `|` and these flags if any remain
    /// (`MS_MGC_VAL|MS_REMOUNT`). 0 prints `0`.
    public static let mountFlags = FlagTable(
        [
            Named(0x1, "MS_RDONLY"),
            Named(0x2, "MS_NOSUID"),
            Named(0x4, "MS_NODEV"),
            Named(0x8, "MS_NOEXEC"),
            Named(0x10, "MS_SYNCHRONOUS"),
            Named(0x20, "MS_REMOUNT"),
            Named(0x40, "MS_MANDLOCK"),
            Named(0x80, "MS_DIRSYNC"),
            Named(0x100, "MS_NOSYMFOLLOW"),
            Named(0x400, "MS_NOATIME"),
            Named(0x800, "MS_NODIRATIME"),
            Named(0x1000, "MS_BIND"),
            Named(0x2000, "MS_MOVE"),
            Named(0x4000, "MS_REC"),
            Named(0x8000, "MS_SILENT"),
            Named(0x10000, "MS_POSIXACL"),
            Named(0x20000, "MS_UNBINDABLE"),
            Named(0x40000, "MS_PRIVATE"),
            Named(0x80000, "MS_SLAVE"),
            Named(0x100000, "MS_SHARED"),
            Named(0x200000, "MS_RELATIME"),
            Named(0x400000, "MS_KERNMOUNT"),
            Named(0x800000, "MS_I_VERSION"),
            Named(0x1000000, "MS_STRICTATIME"),
            Named(0x2000000, "MS_LAZYTIME"),
            Named(0x4000000, "MS_SUBMOUNT"),
            Named(0x8000000, "MS_NOREMOTELOCK"),
            Named(0x10000000, "MS_NOSEC"),
            Named(0x20000000, "MS_BORN"),
            Named(0x40000000, "MS_ACTIVE"),
            Named(0x80000000, "MS_NOUSER"),
        ],
        unknown: "MS_???")

    /// umount2 flags; 0 prints `0`.
    public static let umountFlags = FlagTable(
        [
            Named(0x1, "MNT_FORCE"),
            Named(0x2, "MNT_DETACH"),
            Named(0x4, "MNT_EXPIRE"),
            Named(0x8, "UMOUNT_NOFOLLOW"),
        ],
        unknown: "MNT_???")

    /// poll/ppoll events and revents; 0 prints `0`.
    public static let pollEvents = FlagTable(
        [
            Named(0x1, "POLLIN"),
            Named(0x2, "POLLPRI"),
            Named(0x4, "POLLOUT"),
            Named(0x8, "POLLERR"),
            Named(0x10, "POLLHUP"),
            Named(0x20, "POLLNVAL"),
            Named(0x40, "POLLRDNORM"),
            Named(0x80, "POLLRDBAND"),
            Named(0x100, "POLLWRNORM"),
            Named(0x200, "POLLWRBAND"),
            Named(0x400, "POLLMSG"),
            Named(0x1000, "POLLREMOVE"),
            Named(0x2000, "POLLRDHUP"),
            Named(0x8000, "POLL_BUSY_LOOP"),
        ],
        unknown: "POLL???")

    /// epoll_event.events; `EPOLLET` is the top bit. 0 prints `0`.
    public static let epollEvents = FlagTable(
        [
            Named(0x1, "EPOLLIN"),
            Named(0x2, "EPOLLPRI"),
            Named(0x4, "EPOLLOUT"),
            Named(0x8, "EPOLLERR"),
            Named(0x10, "EPOLLHUP"),
            Named(0x20, "EPOLLNVAL"),
            Named(0x40, "EPOLLRDNORM"),
            Named(0x80, "EPOLLRDBAND"),
            Named(0x100, "EPOLLWRNORM"),
            Named(0x200, "EPOLLWRBAND"),
            Named(0x400, "EPOLLMSG"),
            Named(0x2000, "EPOLLRDHUP"),
            Named(0x10000000, "EPOLLEXCLUSIVE"),
            Named(0x20000000, "EPOLLWAKEUP"),
            Named(0x40000000, "EPOLLONESHOT"),
            Named(0x80000000, "EPOLLET"),
        ],
        unknown: "EPOLL???")

    /// epoll_ctl op.
    public static let epollCtlOps = EnumTable([
        Named(1, "EPOLL_CTL_ADD"),
        Named(2, "EPOLL_CTL_DEL"),
        Named(3, "EPOLL_CTL_MOD"),
    ], unknown: "EPOLL_CTL_???")

    /// epoll_create1 flags; 0 prints `0`.
    public static let epollCreateFlags = FlagTable(
        [
            Named(0x80000, "EPOLL_CLOEXEC"),
        ],
        unknown: "EPOLL_???")

    /// eventfd2 flags, e.g. `EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK`; 0 prints `0`.
    public static let eventfdFlags = FlagTable(
        [
            Named(0x1, "EFD_SEMAPHORE"),
            Named(0x80000, "EFD_CLOEXEC"),
            Named(0x800, "EFD_NONBLOCK"),
        ],
        unknown: "EFD_???")

    /// timerfd_create / timerfd_settime flags; 0 prints `0`.
    public static let timerfdFlags = FlagTable(
        [
            Named(0x1, "TFD_TIMER_ABSTIME"),
            Named(0x2, "TFD_TIMER_CANCEL_ON_SET"),
            Named(0x80000, "TFD_CLOEXEC"),
            Named(0x800, "TFD_NONBLOCK"),
        ],
        unknown: "TFD_???")

    /// signalfd4 flags; 0 prints `0`.
    public static let signalfdFlags = FlagTable(
        [
            Named(0x80000, "SFD_CLOEXEC"),
            Named(0x800, "SFD_NONBLOCK"),
        ],
        unknown: "SFD_???")

    /// inotify_init1 flags; 0 prints `0`.
    public static let inotifyInitFlags = FlagTable(
        [
            Named(0x800, "IN_NONBLOCK"),
            Named(0x80000, "IN_CLOEXEC"),
        ],
        unknown: "IN_???")

    /// inotify_add_watch mask and inotify_event.mask. Only single bits are named, so
    /// `IN_ALL_EVENTS`, `IN_MOVE` and `IN_CLOSE` print as their parts.
    public static let inotifyMask = FlagTable(
        [
            Named(0x1, "IN_ACCESS"),
            Named(0x2, "IN_MODIFY"),
            Named(0x4, "IN_ATTRIB"),
            Named(0x8, "IN_CLOSE_WRITE"),
            Named(0x10, "IN_CLOSE_NOWRITE"),
            Named(0x20, "IN_OPEN"),
            Named(0x40, "IN_MOVED_FROM"),
            Named(0x80, "IN_MOVED_TO"),
            Named(0x100, "IN_CREATE"),
            Named(0x200, "IN_DELETE"),
            Named(0x400, "IN_DELETE_SELF"),
            Named(0x800, "IN_MOVE_SELF"),
            Named(0x2000, "IN_UNMOUNT"),
            Named(0x4000, "IN_Q_OVERFLOW"),
            Named(0x8000, "IN_IGNORED"),
            Named(0x1000000, "IN_ONLYDIR"),
            Named(0x2000000, "IN_DONT_FOLLOW"),
            Named(0x4000000, "IN_EXCL_UNLINK"),
            Named(0x10000000, "IN_MASK_CREATE"),
            Named(0x20000000, "IN_MASK_ADD"),
            Named(0x40000000, "IN_ISDIR"),
            Named(0x80000000, "IN_ONESHOT"),
        ],
        unknown: "IN_???")
}

extension Tables {
    /// The old mount magic, printed as `MS_MGC_VAL` when `flags & mountMagicMask == mountMagicValue`.
    public static let mountMagicValue: UInt64 = 0xc0ed_0000
    public static let mountMagicMask: UInt64 = 0xffff_0000
    /// The file-type bits of a mode (S_IFMT).
    public static let fileTypeMask: UInt64 = 0o170000
}
