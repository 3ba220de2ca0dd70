import CgtraceABI

/// What a capture holds: enum cgt_capture_kind in probes/include/cgtrace_abi.h, one case per
/// constant with the same value (DecodingTests' ABIKindTests compare both with the header).
/// A kind this build does not know decodes as nil and matches nothing.
public enum CaptureKind: UInt8, CaseIterable, Sendable {
    /// CGT_CAP_STR: a NUL-terminated string (the NUL not included).
    case string = 1
    /// CGT_CAP_BUF: raw bytes.
    case buffer = 2
    /// CGT_CAP_ARGV: one element of a string array; `Capture.index` is its position.
    case argvElement = 3
    /// CGT_CAP_ARGC: a __u32 count, the elements of a string array (or getdents' records at exit).
    case count = 4
    /// CGT_CAP_FDPATH: -y, one path component of what an fd refers to; index 0 is the last.
    case fdPath = 5
    /// CGT_CAP_FDINFO: -y, struct cgt_fd_info about that fd, after its components.
    case fdInfo = 6
    /// CGT_CAP_SOCKINFO: -yy, struct cgt_sock_info about a socket fd.
    case socketInfo = 7
    /// CGT_CAP_UREGS: -k, struct cgt_user_regs at syscall entry (arg CGT_ARG_STACK).
    case userRegisters = 8
    /// CGT_CAP_USTACK: -k, user stack bytes from the stack pointer upwards (arg CGT_ARG_STACK).
    case userStack = 9
    /// CGT_CAP_IOV: element `index` of an iovec array: iov_base, iov_len, then its first bytes.
    case iovec = 10
    /// CGT_CAP_MSGHDR: a struct msghdr.
    case messageHeader = 11
    /// CGT_CAP_MSGNAME: a msghdr's msg_name (at most a sockaddr_storage).
    case messageName = 12
    /// CGT_CAP_MSGCTL: a msghdr's msg_control (at most CGT_MSGCTL_MAX bytes).
    case messageControl = 13
    /// CGT_CAP_MSGLEN: a __u32, an mmsghdr's msg_len (arg CGT_ARG_ELEMENT0 + its index).
    case messageLength = 14
    /// CGT_CAP_NETLINK: struct cgt_netlink_info (arg 0), the call's socket is AF_NETLINK.
    case netlink = 15
}

/// The `arg` of captures that belong to no argument register: the result, the fds a call
/// writes, array elements and the -k stack (the CGT_ARG_RETURN… constants of the header).
public enum CaptureSlot {
    /// CGT_ARG_RETURN: the returned fd, resolved at exit.
    @inlinable public static var returnValue: Int { Int(CGT_ARG_RETURN) }
    /// CGT_ARG_PAIR0: the first of the two fds pipe/socketpair write into an int[2], at exit.
    @inlinable public static var pairFirst: Int { Int(CGT_ARG_PAIR0) }
    /// CGT_ARG_PAIR1: the second of them.
    @inlinable public static var pairSecond: Int { Int(CGT_ARG_PAIR1) }
    /// CGT_ARG_ELEMENT0 + k: element k of an array (poll's pollfds, sendmmsg's messages).
    @inlinable public static func element(_ k: Int) -> Int { Int(CGT_ARG_ELEMENT0) + k }
    /// CGT_FD_ELEMENTS: how many of poll's elements the kernel resolves under -y.
    @inlinable public static var resolvedElements: Int { Int(CGT_FD_ELEMENTS) }
    /// CGT_ARG_CMSG_FD0 + k: the k-th fd the SCM_RIGHTS messages of a sendmsg/recvmsg carry.
    @inlinable public static func messageFD(_ k: Int) -> Int { Int(CGT_ARG_CMSG_FD0) + k }
    /// CGT_CMSG_FDS: how many of them the kernel resolves under -y.
    @inlinable public static var resolvedMessageFDs: Int { Int(CGT_CMSG_FDS) }
    /// CGT_ARG_STACK: -k's registers and stack bytes.
    @inlinable public static var stack: Int { Int(CGT_ARG_STACK) }
}
