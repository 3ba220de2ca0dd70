import CgtraceABI
import Decoder
import Syscalls

/// What a decoder sees of one syscall: its entry and exit records (either may be missing when
/// a record was lost or the call is still in progress) and the output settings.
public struct CallView {
    public let enter: SyscallEnter?
    public let exit: SyscallExit?
    public let stringLimit: Int
    /// -v: structures unabbreviated (every stat field, the environment's strings).
    public let verbose: Bool
    /// --decode-fds=SET: which of what the kernel resolved about descriptors is shown.
    public let fdDetails: FdDetails
    /// -yy: the sockets' texts the trace printed first (nil: each from its own call).
    public let sockets: SocketTextCache?

    public init(enter: consuming SyscallEnter?, exit: consuming SyscallExit?, stringLimit: Int, verbose: Bool = false,
                fdDetails: FdDetails = .all, sockets: SocketTextCache? = nil) {
        self.enter = enter
        self.exit = exit
        self.stringLimit = stringLimit
        self.verbose = verbose
        self.fdDetails = fdDetails
        self.sockets = sockets
    }

    public var number: Int { enter?.number ?? exit?.number ?? -1 }

    public func arg(_ i: Int) -> UInt64 {
        guard let enter, i >= 0, i < enter.args.count else { return 0 }
        return enter.args[i]
    }

    /// The argument as a C `int` (registers are not sign-extended: AT_FDCWD arrives as 4294967196).
    public func int32(_ i: Int) -> Int32 { Int32(truncatingIfNeeded: arg(i)) }

    /// The capture of argument `i`: the exit-time copy if there is one (out-parameters, late
    /// re-reads of strings that faulted at entry), else the entry-time copy.
    public func capture(_ i: Int) -> Capture? {
        Self.first(exit?.captures) { $0.arg == i && $0.kind != .count }
            ?? Self.first(enter?.captures) { $0.arg == i && $0.kind != .argvElement && $0.kind != .count && !$0.faulted }
    }

    /// The first of `captures` that `matches`, searched through a pointer so that only the match
    /// is copied: `first(where:)` copied every capture it passed (a retain and release of its
    /// bytes) for every argument printed.
    @inline(__always)
    static func first(_ captures: [Capture]?, _ matches: (borrowing Capture) -> Bool) -> Capture? {
        captures?.withUnsafeBufferPointer { b in
            for j in b.indices where matches(b[j]) { return b[j] }
            return nil
        }
    }

    public func argvElements(_ i: Int) -> [Capture] {
        enter?.captures.filter { $0.arg == i && $0.isArgvElement } ?? []
    }

    public func argvCount(_ i: Int) -> Int? {
        Self.first(enter?.captures) { $0.arg == i && $0.kind == .count }?.u32.map(Int.init)
    }

    /// A count the kernel computed at exit for argument `i` (e.g. getdents64's entries).
    public func exitCount(_ i: Int) -> Int? {
        Self.first(exit?.captures) { $0.arg == i && $0.kind == .count }?.u32.map(Int.init)
    }

    public var ret: Int64? { exit?.ret }

    /// -y: what the returned file descriptor refers to.
    public var returnedFDTarget: String? { fdTarget(CaptureSlot.returnValue) }

    /// -y: what file descriptor argument `i` (or a `CaptureSlot`: the returned fd, pipe's pair, poll's elements) referred
    /// to when the call ran, as strace writes it inside `<…>`; nil when not resolved.
    public func fdTarget(_ i: Int) -> String? {
        // Fds the call produced (its return, pipe's pair) were resolved at exit; the others,
        // arguments and poll's array elements, at entry.
        let atExit = i == CaptureSlot.returnValue || i == CaptureSlot.pairFirst || i == CaptureSlot.pairSecond
        return Self.fdTarget(i, captures: atExit ? exit?.captures : enter?.captures, shown: fdDetails, sockets: sockets)
    }

    /// `fdTarget` from the captures of the record that resolved descriptor `i` (the direct
    /// paths hand over an entry's, copied from its bytes).
    public static func fdTarget(_ i: Int, captures: [Capture]?, shown: FdDetails, sockets: SocketTextCache? = nil) -> String? {
        // (Without -y there is no fdInfo capture: the search copies nothing then.)
        guard let info = first(captures, { $0.arg == i && $0.kind == .fdInfo }),
              info.bytes.count >= 16, let captures else { return nil }
        let r = FieldReader(info.bytes)
        let components = captures.filter { $0.arg == i && $0.kind == .fdPath }
            .sorted { $0.index > $1.index }
            .map { String(decoding: $0.bytes, as: UTF8.self) }
        // What each part of --decode-fds shows (strace 6.1): `path` every descriptor's path or
        // kind, `socket` a socket's protocol and ends, `dev` a device's numbers (with its path),
        // `pidfd` a pidfd's process; a descriptor no chosen part covers prints bare.
        switch UInt32(r.u32(0)) {
        case CGT_FD_SOCKET.rawValue:
            if shown.contains(.socket), let s = captures.first(where: { $0.arg == i && $0.kind == .socketInfo }),
               let text = SocketText.describe(s.bytes, inode: r.u64(8),
                                              unixPath: captures.first { $0.arg == i && $0.kind == .fdPath }?.bytes,
                                              cache: sockets) {
                return text
            }
            return shown.contains(.path) ? "socket:[\(r.u64(8))]" : nil
        case CGT_FD_PIPE.rawValue: return shown.contains(.path) ? "pipe:[\(r.u64(8))]" : nil
        case CGT_FD_ANON.rawValue: return shown.contains(.path) ? "anon_inode:" + (components.first ?? "") : nil
        // -yy names the process (the kernel sends its pid only then), -y what the fd is
        case CGT_FD_PIDFD.rawValue:
            if shown.contains(.pidfd) && r.u64(8) != 0 { return "pid:\(r.u64(8))" }
            return shown.contains(.path) ? "anon_inode:[pidfd]" : nil
        default:
            let flags = r.u32(4)
            // -yy: devices as `/dev/null<char 1:3>`; the kernel's dev_t is major << 20 | minor.
            let device = info.bytes.count >= 24 && r.u32(20) != 0 && shown.contains(.dev)
            guard shown.contains(.path) || device else { return nil }
            var text = (flags & CGT_FDF_TRUNCATED.rawValue != 0 ? "..." : "") + "/" + components.joined(separator: "/")
            if device {
                let mode = r.u32(16) & 0o170000, rdev = r.u32(20)
                text += "<\(mode == 0o060000 ? "block" : "char") \(rdev >> 20):\(rdev & 0xfffff)>"
            }
            // As /proc/PID/fd shows an unlinked file; the text output prints `<path>(deleted)`.
            if flags & CGT_FDF_DELETED.rawValue != 0 { text += " (deleted)" }
            return text
        }
    }

    /// The call returned without an error.
    public var succeeded: Bool {
        guard let r = exit?.ret else { return false }
        return !SyscallResult.isError(r)
    }
}

/// --decode-fds=SET (strace 5.6+): which details of a descriptor are shown. -y is `path`, -yy
/// all of them.
public struct FdDetails: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Paths, and what a descriptor is (`socket:[N]`, `pipe:[N]`, `anon_inode:[eventfd]`).
    public static let path = FdDetails(rawValue: 1)
    /// A socket's protocol and addresses (`TCP:[127.0.0.1:80->…]`).
    public static let socket = FdDetails(rawValue: 2)
    /// A device's type and numbers (`/dev/null<char 1:3>`).
    public static let dev = FdDetails(rawValue: 4)
    /// A pidfd's process (`pid:1234`).
    public static let pidfd = FdDetails(rawValue: 8)
    public static let all: FdDetails = [.path, .socket, .dev, .pidfd]

    /// How much the kernel resolves for this set (`cfg.fd_paths`): 0 nothing, 1 paths and kinds,
    /// 2 also socket ends, device numbers and pidfds' pids.
    public var kernelLevel: UInt32 { !isDisjoint(with: [.socket, .dev, .pidfd]) ? 2 : contains(.path) ? 1 : 0 }
}

/// How one argument is captured and printed.
public indirect enum ArgFormat: Sendable {
    case signed            // long, printed in decimal
    case int               // int (32 bits), printed in decimal
    case unsigned
    case uint              // unsigned int (32 bits)
    case hex
    case octal
    case pointer
    case fd
    case dirfd
    case path
    case string
    case inBuffer(length: Int)      // bytes at entry, length from argument `length`
    case outBuffer                  // bytes at exit, length = return value
    case outBufferArg(length: Int)  // bytes at exit, length from argument `length`
    case flags(FlagTable)
    case intFlags(FlagTable)        // flags in a 32-bit int
    case enumeration(EnumTable)
    case intEnum(EnumTable)         // enum in a 32-bit int (negative values stay negative)
    case structIn(StructFormat)
    case structOut(StructFormat)
    case argv
    case envp
    /// Shown only when the condition holds (openat's mode only with O_CREAT|O_TMPFILE).
    case optional(ArgFormat, when: @Sendable (CallView) -> Bool)
    /// Anything else: its own capture and printer.
    case custom(CustomArg)

    /// Whether this argument is printed for this call (only `.optional` ones may not be).
    public func shownIn(_ call: CallView) -> Bool {
        if case .optional(_, let when) = self { return when(call) }
        return true
    }

    /// Printed when the call returns (an out-parameter), not when it starts.
    public var atExit: Bool {
        switch self {
        case .outBuffer, .outBufferArg, .structOut: return true
        case .custom(let c): return c.atExit
        case .optional(let f, _): return f.atExit
        default: return false
        }
    }

    /// What the kernel resolves under -y for this argument (see KernelFdRole).
    var fdRole: KernelFdRole {
        switch self {
        case .structIn(let s), .structOut(let s): return s.fdRole
        case .custom(let c): return c.fdRole
        case .optional(let f, _): return f.fdRole
        default: return .none
        }
    }

    /// What the kernel must copy for this argument.
    public var capture: ArgSpec {
        switch self {
        case .fd, .dirfd: return ArgSpec(.fd)  // resolved only with -y (a kernel knob)
        case .path: return ArgSpec(.stringIn, size: Int(CGT_PATH_MAX))
        case .string: return ArgSpec(.stringIn)
        case .inBuffer(let n): return ArgSpec(.bufferIn, lengthArg: n)
        case .outBuffer: return ArgSpec(.bufferOutReturned)
        case .outBufferArg(let n): return ArgSpec(.bufferOutArgument, lengthArg: n)
        case .structIn(let s): return ArgSpec(.structIn, size: s.size)
        case .structOut(let s): return ArgSpec(.structOut, size: s.size)
        case .argv: return ArgSpec(.stringArray)
        case .envp: return ArgSpec(.arrayCount)
        case .custom(let c): return c.capture
        case .optional(let f, _): return f.capture
        default: return .none
        }
    }
}

/// What the kernel does with an argument beyond copying it, under -y: resolve the fds a call
/// writes into an int[2] (pipe, socketpair), or the fds of a pollfd array (poll, ppoll).
public enum KernelFdRole: Sendable {
    case none, fdPairOut, pollfds
}

/// A struct printer: `size` bytes are captured; `print` renders them.
public struct StructFormat: Sendable {
    public let name: String
    public let size: Int
    public let fdRole: KernelFdRole
    public let print: @Sendable (_ bytes: ArraySlice<UInt8>, _ out: ArgumentSink, _ call: CallView) -> Void

    public init(_ name: String, size: Int, fdRole: KernelFdRole = .none,
                print: @escaping @Sendable (ArraySlice<UInt8>, ArgumentSink, CallView) -> Void) {
        self.name = name
        self.size = size
        self.fdRole = fdRole
        self.print = print
    }
}

public struct CustomArg: Sendable {
    public let capture: ArgSpec
    public let atExit: Bool
    public let fdRole: KernelFdRole
    public let print: @Sendable (_ call: CallView, _ index: Int, _ out: ArgumentSink) -> Void

    public init(capture: ArgSpec = .none, atExit: Bool = false, fdRole: KernelFdRole = .none,
                print: @escaping @Sendable (CallView, Int, ArgumentSink) -> Void) {
        self.capture = capture
        self.atExit = atExit
        self.fdRole = fdRole
        self.print = print
    }
}

/// How the return value prints (errors always print as `-1 ENAME (message)`).
public enum ReturnFormat: Sendable {
    case signed       // decimal
    case hex          // addresses (mmap, brk)
    case fd           // a new file descriptor
    case octal        // umask: strace's %#03o
    case none         // never returns (exit, exit_group): `= ?`
    /// The value and a remark, e.g. fcntl(F_GETFL)'s `0x8002 (flags O_RDWR|O_LARGEFILE)`.
    case custom(@Sendable (_ call: CallView, _ value: Int64, _ out: ArgumentSink) -> Void)
}

/// The complete description of one syscall's printing. A class: it is looked up for every
/// record, and a reference costs one retain where a struct of arrays cost several.
public final class SyscallFormat: Sendable {
    public let name: String
    /// The name's bytes, ready for the text output's buffer (it starts every line).
    public let nameBytes: [UInt8]
    public let argNames: [String]
    public let args: [ArgFormat]
    public let ret: ReturnFormat
    /// The first argument shown only once the call returns (out-parameters); `args.count` if
    /// none. Known once here: every printed call asks.
    public let exitBoundary: Int
    /// The result may be a new descriptor, which -y resolves in the kernel at exit (`.fd`
    /// results, and custom ones such as fcntl's F_DUPFD).
    public let returnsDescriptor: Bool
    /// How the direct paths print each argument from the records (RecordArguments.swift).
    public let recordPlan: RecordPlan

    public init(name: String, argNames: [String], args: [ArgFormat], ret: ReturnFormat = .signed,
                returnsDescriptor: Bool? = nil) {
        self.name = name
        self.nameBytes = Array(name.utf8)
        self.argNames = argNames
        self.args = args
        self.ret = ret
        if let returnsDescriptor {
            self.returnsDescriptor = returnsDescriptor
        } else if case .fd = ret {
            self.returnsDescriptor = true
        } else {
            self.returnsDescriptor = false
        }
        self.exitBoundary = args.firstIndex(where: { $0.atExit }) ?? args.count
        self.recordPlan = RecordPlan(args)
    }

    /// Calls whose entry the kernel never holds to join it to the exit: they do not return, or
    /// they replace the program (its exec record comes in the middle of the call).
    static let entriesSentAtOnce: Set<String> = ["execve", "execveat", "exit", "exit_group"]

    /// The kernel-side capture/filter spec for this syscall.
    /// `verbose` (-v): the environment is copied string by string, as argv is.
    /// `keptArguments`: the argument registers a held entry keeps (SyscallFormats.keptArguments).
    public func kernelSpec(traced: Bool, verbose: Bool = false, keptArguments: Int = Int(CGT_MAX_ARGS)) -> cgt_syscall_spec {
        var spec = cgt_syscall_spec()
        spec.flags = traced ? CGT_SC_TRACE.rawValue : 0
        spec.flags |= UInt32(min(max(keptArguments, 0), Int(CGT_MAX_ARGS)) + 1) << CGT_SC_NARGS_SHIFT
        if returnsDescriptor { spec.flags |= CGT_SC_RET_FD.rawValue }
        if NetlinkData.socketCalls.contains(name) { spec.flags |= CGT_SC_NETLINK.rawValue }
        if Self.entriesSentAtOnce.contains(name) { spec.flags |= CGT_SC_ENTRY_NOW.rawValue }
        if let vector = args.prefix(Int(CGT_MAX_ARGS)).firstIndex(where: { $0.capture.capture.isVector }) {
            spec.flags |= CGT_SC_VECTOR.rawValue | UInt32(vector) << CGT_SC_VECTOR_ARG_SHIFT
        }
        for (i, a) in args.prefix(Int(CGT_MAX_ARGS)).enumerated() {
            switch a.fdRole {
            case .none: break
            case .fdPairOut: spec.flags |= CGT_SC_RET_FDPAIR.rawValue | UInt32(i) << CGT_SC_FDPAIR_ARG_SHIFT
            case .pollfds: spec.flags |= CGT_SC_POLLFDS.rawValue  // (the kernel knows it is argument 0)
            }
        }
        withUnsafeMutableBytes(of: &spec.args) { raw in
            let specs = raw.bindMemory(to: cgt_arg_spec.self)
            for (i, a) in args.prefix(Int(CGT_MAX_ARGS)).enumerated() {
                // -v: the environment's strings are copied as argv's are, not only counted.
                if verbose, case .envp = a { specs[i] = ArgFormat.argv.capture.abi } else { specs[i] = a.capture.abi }
            }
        }
        return spec
    }
}
