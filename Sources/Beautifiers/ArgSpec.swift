import CgtraceABI

/// How the kernel captures one argument: enum cgt_arg_capture in probes/include/cgtrace_abi.h,
/// one case per constant with the same value (DecodingTests' ABIKindTests compare both with the
/// header). `lengthArg` and `size` are ArgSpec's.
public enum ArgCapture: UInt8, CaseIterable, Sendable {
    /// CGT_ARG_NONE: nothing is copied.
    case none = 0
    /// CGT_ARG_STR_IN: a string at entry, up to `size` bytes (0: the -s limit).
    case stringIn = 1
    /// CGT_ARG_BUF_IN: bytes at entry, as many as argument `lengthArg` says, up to -s.
    case bufferIn = 2
    /// CGT_ARG_STRUCT_IN: `size` bytes at entry.
    case structIn = 3
    /// CGT_ARG_STRUCT_OUT: `size` bytes at exit, if the call succeeded.
    case structOut = 4
    /// CGT_ARG_BUF_OUT_RET: bytes at exit, as many as the call returned, up to `size` (0: -s).
    case bufferOutReturned = 5
    /// CGT_ARG_BUF_OUT_ARG: bytes at exit, as many as argument `lengthArg` says, up to -s.
    case bufferOutArgument = 6
    /// CGT_ARG_ARGV: a NULL-terminated string array at entry (execve's argv).
    case stringArray = 7
    /// CGT_ARG_ARGC: only the count of a NULL-terminated array at entry (execve's envp).
    case arrayCount = 8
    /// CGT_ARG_STRUCT_OUT_LENPTR: at exit, up to `size` bytes; the length is *(int *)arg[lengthArg].
    case structOutLengthPointer = 9
    /// CGT_ARG_STRUCT_IN_LEN: at entry, as many bytes as argument `lengthArg` says, at most `size`.
    case structInLength = 10
    /// CGT_ARG_DIRENT_COUNT: at exit, the count of linux_dirent64 records in the returned bytes
    /// (with -v, their bytes too).
    case direntCount = 11
    /// CGT_ARG_SIGFRAME_MASK: at entry, the signal mask saved in the signal frame (rt_sigreturn).
    case signalFrameMask = 12
    /// CGT_ARG_FD: -y, a descriptor argument, resolved to what it refers to at entry.
    case fd = 13
    /// CGT_ARG_STRUCT_INOUT: `size` bytes at entry and again at exit (value-result).
    case structInOut = 14
    /// CGT_ARG_ARRAY_INOUT: argument `lengthArg` elements of `size` bytes, at entry and at exit.
    case arrayInOut = 15
    /// CGT_ARG_ARRAY_OUT_RET: at exit, as many elements of `size` bytes as the call returned.
    case arrayOutReturned = 16
    /// CGT_ARG_IOV_IN: an iovec array of argument `lengthArg` elements, with their data, at entry.
    case iovecIn = 17
    /// CGT_ARG_IOV_OUT_RET: the iovec elements at entry, then at exit with the returned bytes.
    case iovecOutReturned = 18
    /// CGT_ARG_MSGHDR_IN: a struct msghdr with its name and iovecs, at entry (sendmsg).
    case messageIn = 19
    /// CGT_ARG_MSGHDR_OUT_RET: the msghdr at entry, then at exit with the returned bytes (recvmsg).
    case messageOutReturned = 20
    /// CGT_ARG_MMSG_IN: an mmsghdr array of argument `lengthArg` messages (sendmmsg).
    case messagesIn = 21
    /// CGT_ARG_MMSG_OUT_RET: the same for recvmmsg: headers at entry, the received ones at exit.
    case messagesOutReturned = 22

    /// An iovec array or a msghdr: the kernel also needs the syscall's CGT_SC_VECTOR flag.
    public var isVector: Bool {
        switch self {
        case .iovecIn, .iovecOutReturned, .messageIn, .messageOutReturned, .messagesIn, .messagesOutReturned: return true
        default: return false
        }
    }
}

/// How the kernel copies one argument (struct cgt_arg_spec), built once with its decoder and
/// turned into the ABI struct when the syscall specs are written to the kernel.
public struct ArgSpec: Sendable, Equatable {
    /// What is copied, and when.
    public let capture: ArgCapture
    /// The argument that holds a length or count, for the captures that say so.
    public let lengthArg: Int
    /// A fixed size or upper bound in bytes, for the captures that say so.
    public let size: Int

    /// `lengthArg` names an argument register (0–5); `size` fits the ABI's 16 bits.
    public init(_ capture: ArgCapture, lengthArg: Int = 0, size: Int = 0) {
        precondition(lengthArg >= 0 && lengthArg < Int(CGT_MAX_ARGS), "length argument \(lengthArg) out of range")
        precondition(size >= 0 && size <= Int(UInt16.max), "capture size \(size) out of range")
        self.capture = capture
        self.lengthArg = lengthArg
        self.size = size
    }

    /// Nothing is copied.
    public static let none = ArgSpec(.none)

    /// The ABI struct the kernel reads.
    public var abi: cgt_arg_spec {
        cgt_arg_spec(capture: capture.rawValue, len_arg: UInt8(lengthArg), size: UInt16(size))
    }
}
