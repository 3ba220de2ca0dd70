import XCTest
import Beautifiers

/// The symbol tables against facts: numeric values from the x86_64 UAPI headers, and the text
/// strace 6.1 printed for the same values on this architecture.
final class TablesTests: XCTestCase {
    /// The names `decompose` reports, joined as strace joins them, and the unnamed rest.
    private func split(_ table: FlagTable, _ value: UInt64) -> (String, UInt64) {
        var names: [String] = []
        let (count, rest) = table.decompose(value) { names.append($0) }
        XCTAssertEqual(count, names.count)
        return (names.joined(separator: "|"), rest)
    }

    // MARK: open flags

    func testOpenFlagsDecompose() {
        // openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC): O_CLOEXEC is 02000000.
        XCTAssertEqual(split(Tables.openFlags, 0o2000000).0, "O_RDONLY|O_CLOEXEC")
        XCTAssertEqual(split(Tables.openFlags, 0o2000000).1, 0)
        // O_WRONLY 01 | O_CREAT 0100 | O_TRUNC 01000 = 0x241.
        XCTAssertEqual(split(Tables.openFlags, 0x241).0, "O_WRONLY|O_CREAT|O_TRUNC")
        XCTAssertEqual(split(Tables.openFlags, 0).0, "O_RDONLY")
    }

    func testOpenFlagsAsStracePrintsThem() {
        let t = Tables.openFlags
        // The kernel's O_LARGEFILE (0100000) is named although glibc's x86_64 value is 0.
        XCTAssertEqual(t.describe(0x8000), "O_RDONLY|O_LARGEFILE")
        XCTAssertEqual(t.describe(0x8000 | 0o2 | 0o2000000), "O_RDWR|O_LARGEFILE|O_CLOEXEC")
        // O_TMPFILE is __O_TMPFILE (020000000) | O_DIRECTORY (0200000) and wins over O_DIRECTORY.
        XCTAssertEqual(t.describe(0o20200000 | 0o2), "O_RDWR|O_TMPFILE")
        XCTAssertEqual(t.describe(0o200000), "O_RDONLY|O_DIRECTORY")
        // O_SYNC is __O_SYNC (04000000) | O_DSYNC (010000).
        XCTAssertEqual(t.describe(0o4010000 | 1), "O_WRONLY|O_SYNC")
        XCTAssertEqual(t.describe(0o10000 | 1), "O_WRONLY|O_DSYNC")
        XCTAssertEqual(t.describe(3), "O_ACCMODE")
        XCTAssertEqual(
            t.describe(0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x4000 | 0x20000 | 0x40000 | 0x200000 | 0x2000 | 1),
            "O_WRONLY|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_DIRECT|O_NOFOLLOW|O_NOATIME|O_PATH|FASYNC")
    }

    func testUnknownLeftoverBit() {
        // openat(…, O_RDONLY|O_CREAT|0x40000000, 0644)
        let (names, rest) = split(Tables.openFlags, 0x4000_0040)
        XCTAssertEqual(names, "O_RDONLY|O_CREAT")
        XCTAssertEqual(rest, 0x4000_0000)
        XCTAssertEqual(Tables.openFlags.describe(0x4000_0040), "O_RDONLY|O_CREAT|0x40000000")
        // Nothing named at all: the value in hex with the family's comment.
        XCTAssertEqual(Tables.atFlags.describe(0x10000), "0x10000 /* AT_??? */")
        XCTAssertEqual(Tables.accessModes.describe(8), "0x8 /* ?_OK */")
        XCTAssertEqual(Tables.renameFlags.describe(8), "0x8 /* RENAME_?? */")
        XCTAssertEqual(Tables.setnsTypes.describe(1), "0x1 /* CLONE_NEW??? */")
    }

    func testPipe2AndDup3UseTheOpenFlagsWithoutAccessMode() {
        XCTAssertEqual(Tables.openModeFlags.describe(0), "0")
        XCTAssertEqual(Tables.openModeFlags.describe(0o4000 | 0o40000 | 0o2000000), "O_NONBLOCK|O_DIRECT|O_CLOEXEC")
        XCTAssertEqual(Tables.dup3Flags.describe(0o2000000), "O_CLOEXEC")
        XCTAssertEqual(Tables.dup3Flags.describe(0x40), "O_CREAT")
    }

    // MARK: *at flags and access modes

    func testAtFlags() {
        XCTAssertEqual(split(Tables.atFlags, 0x100).0, "AT_SYMLINK_NOFOLLOW")
        XCTAssertEqual(Tables.atFlags.describe(0x200), "AT_REMOVEDIR")
        XCTAssertEqual(Tables.atFlags.describe(0x400 | 0x1000 | 0x8000), "AT_SYMLINK_FOLLOW|AT_EMPTY_PATH|AT_RECURSIVE")
        // faccessat2: the same 0x200 is AT_EACCESS.
        XCTAssertEqual(Tables.faccessatFlags.describe(0x100 | 0x200 | 0x1000), "AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH")
        XCTAssertEqual(Tables.faccessatFlags.describe(0), "0")
        // statx: sync type first, AT_STATX_FORCE_SYNC is 0x2000.
        XCTAssertEqual(Tables.statxFlags.describe(0x100), "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW")
        XCTAssertEqual(Tables.statxFlags.describe(0x2000 | 0x800 | 0x1000), "AT_STATX_FORCE_SYNC|AT_NO_AUTOMOUNT|AT_EMPTY_PATH")
        XCTAssertEqual(Tables.statxFlags.describe(0x4000), "AT_STATX_DONT_SYNC")
    }

    func testAccessModes() {
        XCTAssertEqual(Tables.accessModes.describe(0), "F_OK")
        XCTAssertEqual(Tables.accessModes.describe(7), "R_OK|W_OK|X_OK")
        XCTAssertEqual(Tables.accessModes.describe(4), "R_OK")
    }

    // MARK: memory

    func testMmapProt() {
        XCTAssertEqual(split(Tables.mmapProt, 3).0, "PROT_READ|PROT_WRITE")
        XCTAssertEqual(Tables.mmapProt.describe(0), "PROT_NONE")
        XCTAssertEqual(Tables.mmapProt.describe(5), "PROT_READ|PROT_EXEC")
        XCTAssertEqual(Tables.mmapProt.describe(0x11), "PROT_READ|0x10")
        XCTAssertEqual(Tables.mmapProt.describe(0x0100_0001), "PROT_READ|PROT_GROWSDOWN")
    }

    func testMmapFlags() {
        // MAP_PRIVATE 0x02, MAP_ANONYMOUS 0x20, MAP_FIXED 0x10, MAP_DENYWRITE 0x0800.
        XCTAssertEqual(split(Tables.mmapFlags, 0x22).0, "MAP_PRIVATE|MAP_ANONYMOUS")
        XCTAssertEqual(split(Tables.mmapFlags, 0x812).0, "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE")
        XCTAssertEqual(split(Tables.mmapFlags, 0x812).1, 0)
        XCTAssertEqual(Tables.mmapFlags.describe(0x01), "MAP_SHARED")
        // strace 6.1 names type 0 MAP_FILE: mmap(NULL, 4096, PROT_NONE, MAP_FILE, -1, 0).
        XCTAssertEqual(Tables.mmapFlags.describe(0), "MAP_FILE")
        XCTAssertEqual(
            Tables.mmapFlags.describe(0x03 | 0x20 | 0x40 | 0x4000 | 0x8000 | 0x10000 | 0x100 | 0x1000 | 0x2000 | 0x20000 | 0x40000 | 0x80000 | 0x100000),
            "MAP_SHARED_VALIDATE|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE")
        XCTAssertEqual(Tables.mmapFlags.describe(0x80_0022), "MAP_PRIVATE|MAP_ANONYMOUS|0x800000")
        XCTAssertEqual(Tables.mmapHugeShift, 26)
        XCTAssertNil(Tables.mmapTypes.name(for: 0xf))
    }

    func testOtherMemoryFamilies() {
        XCTAssertEqual(Tables.madviseAdvice.name(for: 4), "MADV_DONTNEED")
        XCTAssertEqual(Tables.madviseAdvice.name(for: 14), "MADV_HUGEPAGE")
        XCTAssertEqual(Tables.madviseAdvice.describe(999), "0x3e7 /* MADV_??? */")
        XCTAssertEqual(Tables.mremapFlags.describe(7), "MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP")
        // MS_ASYNC 1, MS_INVALIDATE 2, MS_SYNC 4.
        XCTAssertEqual(Tables.msyncFlags.describe(6), "MS_SYNC|MS_INVALIDATE")
        XCTAssertEqual(Tables.msyncFlags.describe(8), "0x8 /* MS_??? */")
        XCTAssertEqual(Tables.mlockallFlags.describe(0x107), "MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT|0x100")
        XCTAssertEqual(Tables.memfdFlags.describe(7), "MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB")
        XCTAssertEqual(Tables.membarrierCommands.name(for: 0), "MEMBARRIER_CMD_QUERY")
        XCTAssertEqual(Tables.membarrierCommands.describe(0x4000), "0x4000 /* MEMBARRIER_CMD_??? */")
        XCTAssertEqual(
            Tables.membarrierQueryResult.describe(0x3ff),
            "MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_GLOBAL_EXPEDITED|MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ|0x200")
    }

    // MARK: processes

    func testCloneFlagsWithExitSignal() {
        // clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, …)
        let raw: UInt64 = 0x0120_0011
        XCTAssertEqual(Tables.cloneFlags.describe(raw & ~Tables.cloneExitSignalMask), "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID")
        XCTAssertEqual(Tables.signalName(Int(raw & Tables.cloneExitSignalMask)), "SIGCHLD")
        // flags=CLONE_VM|CLONE_PIDFD|CLONE_THREAD|CLONE_NEWPID|SIGRT_8 (0x20011100 | 40)
        XCTAssertEqual(Tables.cloneFlags.describe(0x2001_1100), "CLONE_VM|CLONE_PIDFD|CLONE_THREAD|CLONE_NEWPID")
        XCTAssertEqual(Tables.signalName(40), "SIGRT_8")
        XCTAssertEqual(Tables.clone3Flags.describe(0x2_0000_0000), "CLONE_INTO_CGROUP")
        XCTAssertEqual(Tables.unshareFlags.describe(0x80), "CLONE_NEWTIME")
        XCTAssertEqual(Tables.unshareFlags.describe(1), "0x1 /* CLONE_??? */")
        XCTAssertEqual(Tables.setnsTypes.describe(0x4000_0000), "CLONE_NEWNET")
    }

    func testWaitOptions() {
        // wait4(-1, NULL, WNOHANG|WSTOPPED|WCONTINUED|__WALL|0x100, NULL): WUNTRACED == WSTOPPED == 2.
        XCTAssertEqual(Tables.waitOptions.describe(1 | 2 | 8 | 0x4000_0000 | 0x100), "WNOHANG|WSTOPPED|WCONTINUED|__WALL|0x100")
        // List order, not bit order: WEXITED (4) before WSTOPPED (2).
        XCTAssertEqual(Tables.waitOptions.describe(1 | 4 | 2 | 0x0100_0000), "WNOHANG|WEXITED|WSTOPPED|WNOWAIT")
        XCTAssertEqual(Tables.waitOptions.describe(0), "0")
    }

    func testProcessEnumerations() {
        XCTAssertEqual(Tables.rlimitResources.name(for: 7), "RLIMIT_NOFILE")
        XCTAssertEqual(Tables.rlimitResources.name(for: 3), "RLIMIT_STACK")
        XCTAssertEqual(Tables.rlimitResources.describe(99), "0x63 /* RLIMIT_??? */")
        XCTAssertEqual(Tables.prctlOptions.name(for: 15), "PR_SET_NAME")
        XCTAssertEqual(Tables.prctlOptions.name(for: 0x5961_6d61), "PR_SET_PTRACER")
        XCTAssertEqual(Tables.prctlOptions.describe(0), "0 /* PR_??? */")
        XCTAssertEqual(Tables.archPrctlCodes.name(for: 0x1002), "ARCH_SET_FS")
        XCTAssertEqual(Tables.archPrctlCodes.name(for: 0x1003), "ARCH_GET_FS")
        XCTAssertEqual(Tables.clockIds.name(for: 0), "CLOCK_REALTIME")
        XCTAssertEqual(Tables.clockIds.name(for: 4), "CLOCK_MONOTONIC_RAW")
        XCTAssertEqual(Tables.clockIds.name(for: 11), "CLOCK_TAI")
        XCTAssertEqual(Tables.clockIds.describe(0xffff_fffe), "0xfffffffe /* CLOCK_??? */")
        XCTAssertEqual(Tables.timerFlags.describe(1), "TIMER_ABSTIME")
        XCTAssertEqual(Tables.getrandomFlags.describe(7), "GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE")
        XCTAssertEqual(Tables.capabilities.name(for: 0), "CAP_CHOWN")
        XCTAssertEqual(Tables.capabilities.name(for: 21), "CAP_SYS_ADMIN")
        XCTAssertEqual(Tables.capabilities.name(for: 40), "CAP_CHECKPOINT_RESTORE")
        XCTAssertEqual(Tables.schedPolicies.name(for: 0), "SCHED_OTHER")
        XCTAssertEqual(Tables.schedPolicies.describe(0x4000_0001), "0x40000001 /* SCHED_??? */")
        XCTAssertEqual(Tables.priorityWhich.name(for: 2), "PRIO_USER")
        XCTAssertEqual(Tables.itimerWhich.name(for: 2), "ITIMER_PROF")
        XCTAssertEqual(Tables.waitidTypes.name(for: 0), "P_ALL")
    }

    func testFutexOps() {
        // FUTEX_PRIVATE_FLAG is 128, FUTEX_CLOCK_REALTIME 256.
        XCTAssertEqual(Tables.futexOps.name(for: 0x81), "FUTEX_WAKE_PRIVATE")
        XCTAssertEqual(Tables.futexOps.name(for: 0x80), "FUTEX_WAIT_PRIVATE")
        XCTAssertEqual(Tables.futexOps.name(for: 1), "FUTEX_WAKE")
        XCTAssertEqual(Tables.futexOps.name(for: 0x100), "FUTEX_WAIT|FUTEX_CLOCK_REALTIME")
        XCTAssertEqual(Tables.futexOps.name(for: 9 | 0x80 | 0x100), "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME")
        XCTAssertEqual(Tables.futexOps.describe(0x63 | 0x80), "0xe3 /* FUTEX_??? */")
    }

    // MARK: files, polling, notification

    func testFileFamilies() {
        XCTAssertEqual(Tables.fcntlCommands.name(for: 1030), "F_DUPFD_CLOEXEC")
        XCTAssertEqual(Tables.fcntlCommands.name(for: 4), "F_SETFL")
        XCTAssertEqual(Tables.fcntlCommands.name(for: 12), "F_GETLK64")
        XCTAssertEqual(Tables.fcntlCommands.name(for: 36), "F_OFD_GETLK")
        XCTAssertEqual(Tables.fcntlCommands.name(for: 1033), "F_ADD_SEALS")
        XCTAssertEqual(Tables.fcntlCommands.describe(1234), "0x4d2 /* F_??? */")
        XCTAssertEqual(Tables.fdFlags.describe(1), "FD_CLOEXEC")
        XCTAssertEqual(Tables.fileSeals.describe(9), "F_SEAL_SEAL|F_SEAL_WRITE")
        XCTAssertEqual(Tables.lockTypes.name(for: 0), "F_RDLCK")
        XCTAssertEqual(Tables.seekWhence.name(for: 0), "SEEK_SET")
        XCTAssertEqual(Tables.seekWhence.name(for: 4), "SEEK_HOLE")
        XCTAssertEqual(Tables.seekWhence.describe(99), "0x63 /* SEEK_??? */")
        XCTAssertEqual(Tables.fileTypes.name(for: 0o100000), "S_IFREG")
        XCTAssertEqual(Tables.fileTypes.name(for: 0o040000), "S_IFDIR")
        XCTAssertEqual(Tables.fileTypes.name(for: 0o020000), "S_IFCHR")
        XCTAssertEqual(Tables.fileTypeMask, 0o170000)
        XCTAssertEqual(Tables.fileModeSpecialBits.describe(0o4000), "S_ISUID")
        XCTAssertEqual(Tables.statxMask.describe(0xfff), "STATX_ALL")
        XCTAssertEqual(Tables.statxMask.describe(0x1fff), "STATX_ALL|STATX_MNT_ID")
        XCTAssertEqual(Tables.statxMask.describe(0x7ff), "STATX_BASIC_STATS")
        XCTAssertEqual(Tables.statxMask.describe(0x173f),
                       "STATX_TYPE|STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_ATIME|STATX_INO|STATX_SIZE|STATX_BLOCKS|STATX_MNT_ID")
        XCTAssertEqual(Tables.renameFlags.describe(5), "RENAME_NOREPLACE|RENAME_WHITEOUT")
        XCTAssertEqual(Tables.closeRangeFlags.describe(6), "CLOSE_RANGE_UNSHARE|CLOSE_RANGE_CLOEXEC")
        XCTAssertEqual(Tables.spliceFlags.describe(15), "SPLICE_F_MOVE|SPLICE_F_NONBLOCK|SPLICE_F_MORE|SPLICE_F_GIFT")
        XCTAssertEqual(Tables.mountFlags.describe(1 | 2 | 4 | 0x1000 | 0x4000), "MS_RDONLY|MS_NOSUID|MS_NODEV|MS_BIND|MS_REC")
        XCTAssertEqual(Tables.mountFlags.describe(0x20), "MS_REMOUNT")
        XCTAssertEqual(Tables.umountFlags.describe(3), "MNT_FORCE|MNT_DETACH")
    }

    func testPollingAndNotification() {
        XCTAssertEqual(Tables.pollEvents.describe(0x2003), "POLLIN|POLLPRI|POLLRDHUP")
        XCTAssertEqual(Tables.pollEvents.describe(0x800), "0x800 /* POLL??? */")
        XCTAssertEqual(Tables.epollEvents.describe(0xd000_0001), "EPOLLIN|EPOLLEXCLUSIVE|EPOLLONESHOT|EPOLLET")
        XCTAssertEqual(Tables.epollCtlOps.name(for: 1), "EPOLL_CTL_ADD")
        XCTAssertEqual(Tables.epollCtlOps.describe(7), "0x7 /* EPOLL_CTL_??? */")
        XCTAssertEqual(Tables.epollCreateFlags.describe(0o2000000), "EPOLL_CLOEXEC")
        XCTAssertEqual(Tables.eventfdFlags.describe(0o2000000 | 0o4000 | 1), "EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK")
        XCTAssertEqual(Tables.timerfdFlags.describe(0o2000000 | 0o4000), "TFD_CLOEXEC|TFD_NONBLOCK")
        XCTAssertEqual(Tables.signalfdFlags.describe(0o2000000 | 0o4000), "SFD_CLOEXEC|SFD_NONBLOCK")
        XCTAssertEqual(Tables.inotifyInitFlags.describe(0o2000000 | 0o4000), "IN_NONBLOCK|IN_CLOEXEC")
        // IN_MOVE | IN_CLOSE | IN_DONT_FOLLOW
        XCTAssertEqual(Tables.inotifyMask.describe(0xc0 | 0x18 | 0x0200_0000),
                       "IN_CLOSE_WRITE|IN_CLOSE_NOWRITE|IN_MOVED_FROM|IN_MOVED_TO|IN_DONT_FOLLOW")
    }

    // MARK: sockets

    func testSockets() {
        XCTAssertEqual(Tables.addressFamilies.name(for: 1), "AF_UNIX")
        XCTAssertEqual(Tables.addressFamilies.name(for: 2), "AF_INET")
        XCTAssertEqual(Tables.addressFamilies.name(for: 10), "AF_INET6")
        XCTAssertEqual(Tables.addressFamilies.name(for: 16), "AF_NETLINK")
        XCTAssertEqual(Tables.addressFamilies.describe(99), "0x63 /* AF_??? */")
        // SOCK_CLOEXEC is 02000000, SOCK_NONBLOCK 04000.
        XCTAssertEqual(Tables.socketTypes.describe(0o2000001), "SOCK_STREAM|SOCK_CLOEXEC")
        XCTAssertEqual(Tables.socketTypes.describe(0o4002), "SOCK_DGRAM|SOCK_NONBLOCK")
        XCTAssertEqual(Tables.socketTypes.describe(0x10), "0x10 /* SOCK_??? */")
        XCTAssertEqual(Tables.ipProtocols.name(for: 6), "IPPROTO_TCP")
        XCTAssertEqual(Tables.ipProtocols.name(for: 0), "IPPROTO_IP")
        XCTAssertEqual(Tables.ipProtocols.describe(200), "0xc8 /* IPPROTO_??? */")
        XCTAssertEqual(Tables.socketLevels.name(for: 1), "SOL_SOCKET")
        XCTAssertEqual(Tables.socketLevels.name(for: 6), "SOL_TCP")
        XCTAssertEqual(Tables.socketLevels.name(for: 41), "SOL_IPV6")
        XCTAssertEqual(Tables.socketLevels.describe(999), "0x3e7 /* SOL_?? */")
        XCTAssertEqual(Tables.setsockoptSocketOptions.name(for: 2), "SO_REUSEADDR")
        XCTAssertEqual(Tables.setsockoptSocketOptions.name(for: 20), "SO_RCVTIMEO_OLD")
        XCTAssertEqual(Tables.setsockoptSocketOptions.name(for: 26), "SO_ATTACH_FILTER")
        XCTAssertEqual(Tables.getsockoptSocketOptions.name(for: 26), "SO_GET_FILTER")
        XCTAssertEqual(Tables.setsockoptSocketOptions.describe(999), "0x3e7 /* SO_??? */")
        XCTAssertEqual(Tables.tcpOptions.name(for: 1), "TCP_NODELAY")
        XCTAssertEqual(Tables.tcpOptions.name(for: 13), "TCP_CONGESTION")
        XCTAssertEqual(Tables.setsockoptIpOptions.name(for: 1), "IP_TOS")
        XCTAssertEqual(Tables.getsockoptIpOptions.name(for: 99), "ARPT_SO_GET_REVISION_TARGET")
        XCTAssertEqual(Tables.ipv6Options.name(for: 26), "IPV6_V6ONLY")
        XCTAssertEqual(Tables.msgFlags.describe(0x4040), "MSG_DONTWAIT|MSG_NOSIGNAL")
        XCTAssertEqual(Tables.msgFlags.describe(0), "0")
        XCTAssertEqual(Tables.msgFlags.describe(0x200_0000), "0x2000000 /* MSG_??? */")
        XCTAssertEqual(Tables.shutdownHow.name(for: 2), "SHUT_RDWR")
        XCTAssertEqual(Tables.shutdownHow.describe(7), "0x7 /* SHUT_??? */")
    }

    // MARK: ioctl

    func testIoctlRequests() {
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5401), "TCGETS")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5402), "SNDCTL_TMR_START or TCSETS")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5403), "SNDCTL_TMR_STOP or TCSETSW")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5413), "TIOCGWINSZ")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5414), "TIOCSWINSZ")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x540f), "TIOCGPGRP")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5410), "TIOCSPGRP")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x541b), "FIONREAD")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5421), "FIONBIO")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5450), "FIONCLEX")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x5451), "FIOCLEX")
        XCTAssertEqual(Tables.ioctlRequests.name(for: 0x802c_542a), "TCGETS2")
        XCTAssertNil(Tables.ioctlRequests.name(for: 0x1234_5678))
    }

    // MARK: signals

    func testSignalNames() {
        XCTAssertEqual(Tables.signalName(17), "SIGCHLD")
        XCTAssertEqual(Tables.signals.name(for: 17), "SIGCHLD")
        XCTAssertEqual(Tables.signalName(1), "SIGHUP")
        XCTAssertEqual(Tables.signalName(6), "SIGABRT")
        XCTAssertEqual(Tables.signalName(9), "SIGKILL")
        XCTAssertEqual(Tables.signalName(29), "SIGIO")
        XCTAssertEqual(Tables.signalName(31), "SIGSYS")
        // kill(999999, 32|34|64|65|0|-3) as strace 6.1 printed them.
        XCTAssertEqual(Tables.signalName(32), "SIGRTMIN")
        XCTAssertEqual(Tables.signalName(33), "SIGRT_1")
        XCTAssertEqual(Tables.signalName(34), "SIGRT_2")
        XCTAssertEqual(Tables.signalName(64), "SIGRT_32")
        XCTAssertEqual(Tables.signalName(65), "65")
        XCTAssertEqual(Tables.signalName(0), "0")
        XCTAssertEqual(Tables.signalName(-3), "-3")
        XCTAssertEqual(Tables.signalSetName(10), "USR1")
        XCTAssertEqual(Tables.signalSetName(35), "RT_3")
    }

    func testSignalFamilies() {
        XCTAssertEqual(Tables.sigprocmaskHow.name(for: 0), "SIG_BLOCK")
        XCTAssertEqual(Tables.sigprocmaskHow.describe(7), "0x7 /* SIG_??? */")
        // SA_RESTORER 0x04000000 | SA_RESTART 0x10000000
        XCTAssertEqual(Tables.sigactionFlags.describe(0x1400_0000), "SA_RESTORER|SA_RESTART")
        XCTAssertEqual(
            Tables.sigactionFlags.describe(0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x4000_0000 | 0x8000_0000 | 4 | 1 | 2),
            "SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT")
        XCTAssertEqual(Tables.sigaltstackFlags.describe(2), "SS_DISABLE")
        XCTAssertEqual(Tables.sigHandlerValues.name(for: 1), "SIG_IGN")
        XCTAssertEqual(Tables.siCodeName(signal: 17, code: 1), "CLD_EXITED")
        XCTAssertEqual(Tables.siCodeName(signal: 17, code: 6), "CLD_CONTINUED")
        XCTAssertEqual(Tables.siCodeName(signal: 11, code: 1), "SEGV_MAPERR")
        XCTAssertEqual(Tables.siCodeName(signal: 11, code: 2), "SEGV_ACCERR")
        XCTAssertEqual(Tables.siCodeName(signal: 13, code: 0), "SI_USER")
        XCTAssertEqual(Tables.siCodeName(signal: 11, code: 0x80), "SI_KERNEL")
        XCTAssertEqual(Tables.siCodeName(signal: 10, code: -1), "SI_QUEUE")
        XCTAssertEqual(Tables.siCodeName(signal: 10, code: -6), "SI_TKILL")
        XCTAssertEqual(Tables.siCodeName(signal: 4, code: 9), "ILL_BADIADDR")
        XCTAssertEqual(Tables.siCodeName(signal: 5, code: 1), "TRAP_BRKPT")
        XCTAssertNil(Tables.siCodeName(signal: 10, code: 3))
    }

    // MARK: errno

    func testErrno() {
        XCTAssertEqual(Tables.errnoNames.name(for: 2), "ENOENT")
        XCTAssertEqual(Tables.errnoMessage(2), "No such file or directory")
        XCTAssertEqual(Tables.errnoNames.name(for: 1), "EPERM")
        XCTAssertEqual(Tables.errnoMessage(1), "Operation not permitted")
        // Shared values print as strace prints them.
        XCTAssertEqual(Tables.errnoNames.name(for: 11), "EAGAIN")
        XCTAssertEqual(Tables.errnoMessage(11), "Resource temporarily unavailable")
        XCTAssertEqual(Tables.errnoNames.name(for: 35), "EDEADLK")
        XCTAssertEqual(Tables.errnoNames.name(for: 95), "EOPNOTSUPP")
        XCTAssertEqual(Tables.errnoNames.name(for: 38), "ENOSYS")
        XCTAssertEqual(Tables.errnoMessage(38), "Function not implemented")
        XCTAssertEqual(Tables.errnoNames.name(for: 133), "EHWPOISON")
        XCTAssertNil(Tables.errnoNames.name(for: 41))
        XCTAssertNil(Tables.errnoNames.name(for: 58))
        // Kernel-internal codes.
        XCTAssertEqual(Tables.errnoNames.name(for: 512), "ERESTARTSYS")
        XCTAssertEqual(Tables.errnoMessage(512), "To be restarted if SA_RESTART is set")
        XCTAssertEqual(Tables.errnoMessage(513), "To be restarted")
        XCTAssertEqual(Tables.errnoMessage(514), "To be restarted if no handler")
        XCTAssertEqual(Tables.errnoNames.name(for: 516), "ERESTART_RESTARTBLOCK")
        XCTAssertEqual(Tables.errnoMessage(516), "Interrupted by signal")
        XCTAssertTrue(Tables.isRestartErrno(512))
        XCTAssertFalse(Tables.isRestartErrno(515))
        XCTAssertEqual(Tables.errnoNames.name(for: 515), "ENOIOCTLCMD")
        XCTAssertEqual(Tables.errnoMessage(515), "Unknown error 515")
        XCTAssertEqual(Tables.errnoNames.name(for: 517), "EPROBE_DEFER")
        XCTAssertEqual(Tables.errnoNames.name(for: 524), "ENOTSUPP")
        XCTAssertNil(Tables.errnoNames.name(for: 520))
        // strace 6.1 names neither 519 (ENOPARAM) nor 531 (ENOGRACE): `= -1 (errno 531)`.
        XCTAssertNil(Tables.errnoNames.name(for: 519))
        XCTAssertNil(Tables.errnoNames.name(for: 531))
        XCTAssertEqual(Tables.errnoMessage(4000), "Unknown error 4000")
    }
}
