import CgtraceABI
import Decoder
import Syscalls

/// A call's arguments printed straight from its two records (`RecordView`), for the outputs'
/// direct paths (the strace text's, JSON's): no `Record`, `CallView` or capture array is built.
/// It covers the formats that print from a register or a string or buffer copy, with the same
/// printers `printValue` uses for them, so the text is the same; `printsFromRecords` says which
/// syscalls those are, `takenCaptures` which records qualify.
extension ArgumentPrinter {
    /// Every argument and the result of calls of this format print from the records alone.
    public static func printsFromRecords(_ format: SyscallFormat) -> Bool {
        guard format.args.count <= Int(CGT_MAX_ARGS) else { return false }
        switch format.ret {
        case .signed, .hex, .fd, .octal, .none: break
        case .custom: return false
        }
        return format.args.allSatisfy { a in
            switch a {
            case .signed, .int, .unsigned, .uint, .hex, .octal, .pointer, .flags, .intFlags, .enumeration, .intEnum,
                 .fd, .dirfd, .path, .string, .inBuffer, .outBuffer, .outBufferArg:
                return true
            case .structIn, .structOut, .argv, .envp, .optional, .custom:
                return false
            }
        }
    }

    /// Whether every copy the records carry is one these printers read (nil: the call is the
    /// general path's), and whether -y's copies of descriptors are among them. Taken: a
    /// string's or a buffer's copy of an argument that prints one, and at entry -y's resolution
    /// of a descriptor argument; not: -y's resolution of a returned descriptor, a kind this
    /// build does not know. Known from the one walk over the copies, so a call without -y's
    /// looks for none while printing (that look cost plain text ~7 % of the consumer).
    public static func takenCaptures(_ format: SyscallFormat, enter: RecordView, exit: RecordView) -> Bool? {
        let plan = format.recordPlan
        func printed(_ c: RecordView.CaptureView) -> Bool {
            c.arg < plan.count && plan.printsCapture(c.arg)
                && (c.kind == CaptureKind.string.rawValue || c.kind == CaptureKind.buffer.rawValue)
        }
        func descriptor(_ c: RecordView.CaptureView) -> Bool {
            c.arg < plan.count && (plan.kind(c.arg) == .fd || plan.kind(c.arg) == .dirfd) && DescriptorTargets.describes(c.kind)
        }
        var descriptors = false
        for c in enter.captures where !printed(c) {
            guard descriptor(c) else { return nil }
            descriptors = true
        }
        for c in exit.captures where !printed(c) { return nil }
        return descriptors
    }

    /// All the arguments of a call that returned, as `printArguments(format, call, part: .all)`
    /// prints them (for a format `printsFromRecords` accepts, records `takenCaptures` takes).
    /// `descriptors`: -y's texts of descriptor arguments (nil: none shown; pass it only for
    /// records with such copies, `takenCaptures`).
    public static func printArguments(_ format: SyscallFormat, enter: RecordView, exit: RecordView, stringLimit: Int,
                                      descriptors: DescriptorTargets? = nil, to out: ArgumentSink) {
        let ret = exit.ret
        let succeeded = !SyscallResult.isError(ret)
        let named = out.wantsArgumentNames
        let plan = format.recordPlan
        for i in 0..<plan.count {
            out.argument(!named ? "" : i < format.argNames.count ? format.argNames[i] : "arg\(i)")
            let raw = enter.arg(i)
            let kind = plan.kind(i)
            if printPlain(kind, raw, out) { continue }
            switch kind {
            case .register: _ = printRegister(format.args[i], raw, out)
            case .fd:
                out.descriptor(Int64(Int32(truncatingIfNeeded: raw)), target: descriptors?.target(i, enter: enter))
            case .dirfd:
                let fd = Int32(truncatingIfNeeded: raw)
                let target = descriptors?.target(i, enter: enter)
                if fd == -100 {
                    out.currentDirectory(target: target)
                } else {
                    out.descriptor(Int64(fd), target: target)
                }
            case .path, .string:
                let c = capture(i, enter: enter, exit: exit)
                let limit: Int? = kind == .string ? stringLimit : nil
                printString(address: raw, captured: c?.bytes, faulted: c?.faulted ?? false, limit: limit, out)
            case .inBuffer:
                printBuffer(i, raw, length: Int(clamping: enter.arg(plan.lengthArgument(i))), enter, exit, stringLimit, out)
            case .outBuffer:
                if succeeded { printBuffer(i, raw, length: Int(ret), enter, exit, stringLimit, out) } else { out.pointer(raw) }
            case .outBufferArg:
                if succeeded {
                    printBuffer(i, raw, length: Int(clamping: enter.arg(plan.lengthArgument(i))), enter, exit, stringLimit, out)
                } else {
                    out.pointer(raw)
                }
            case .signed, .int, .unsigned, .uint, .hex, .octal, .pointer, .other:
                break  // printed above; or not a format printsFromRecords accepts
            }
        }
    }

    private static func printBuffer(_ i: Int, _ raw: UInt64, length: Int, _ enter: RecordView, _ exit: RecordView,
                                    _ stringLimit: Int, _ out: ArgumentSink) {
        let c = capture(i, enter: enter, exit: exit)
        printBuffer(address: raw, length: length, captured: c?.bytes, faulted: c?.faulted ?? false,
                    stringLimit: stringLimit, out)
    }

    /// CallView.capture's choice: the exit's copy if there is one, else the entry's that did
    /// not fault (only string and buffer copies get this far).
    private static func capture(_ i: Int, enter: RecordView, exit: RecordView) -> RecordView.CaptureView? {
        for c in exit.captures where c.arg == i { return c }
        for c in enter.captures where c.arg == i && !c.faulted { return c }
        return nil
    }
}

/// A format's arguments as the direct paths print them: a plain kind per argument (and the
/// argument that gives a buffer's length), so that printing a call from its records copies no
/// `ArgFormat`. That enum is indirect: each copy retained and released its box, and the copies
/// with the argument loop were ~12 % of the text consumer. Kinds that need a table (flags,
/// enums) go to `printRegister` with the format itself.
public struct RecordPlan: Sendable {
    /// How one argument prints.
    public enum Kind: UInt8, Sendable {
        /// A register in decimal, as a long.
        case signed
        /// A register in decimal, as an int.
        case int
        /// A register in decimal, unsigned long.
        case unsigned
        /// A register in decimal, unsigned int.
        case uint
        /// A register in hex.
        case hex
        /// A register in octal (strace's `%#03o`).
        case octal
        /// An address, or NULL.
        case pointer
        /// Another register-only format (flags, enums): `printRegister`.
        case register
        /// A descriptor.
        case fd
        /// A descriptor or AT_FDCWD.
        case dirfd
        /// A path copied at entry.
        case path
        /// A string copied at entry, cut at the string limit.
        case string
        /// Bytes copied at entry, their length another argument.
        case inBuffer
        /// Bytes copied at exit, their length the result.
        case outBuffer
        /// Bytes copied at exit, their length another argument.
        case outBufferArg
        /// Anything else: not printed from records.
        case other

        /// The kind of a format printed as a number or an address; nil for any other.
        init?(plain format: ArgFormat) {
            switch format {
            case .signed: self = .signed
            case .int: self = .int
            case .unsigned: self = .unsigned
            case .uint: self = .uint
            case .hex: self = .hex
            case .octal: self = .octal
            case .pointer: self = .pointer
            default: return nil
            }
        }
    }

    /// The arguments, at most CGT_MAX_ARGS of them (more: none printed this way).
    public let count: Int
    /// Each argument's `Kind`, as its raw value.
    private var kinds: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
    private var lengths: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)

    init(_ args: [ArgFormat]) {
        count = args.count <= Int(CGT_MAX_ARGS) ? args.count : 0
        let other = Kind.other.rawValue
        kinds = (other, other, other, other, other, other)
        for (i, a) in args.prefix(count).enumerated() {
            var length = 0
            let kind: Kind
            switch a {
            case .signed, .int, .unsigned, .uint, .hex, .octal, .pointer: kind = Kind(plain: a) ?? .other
            case .flags, .intFlags, .enumeration, .intEnum: kind = .register
            case .fd: kind = .fd
            case .dirfd: kind = .dirfd
            case .path: kind = .path
            case .string: kind = .string
            case .inBuffer(let l): (kind, length) = (.inBuffer, l)
            case .outBuffer: kind = .outBuffer
            case .outBufferArg(let l): (kind, length) = (.outBufferArg, l)
            case .structIn, .structOut, .argv, .envp, .optional, .custom: kind = .other
            }
            // (A length argument outside the registers reads as 0, as `RecordView.arg` does.)
            let l = UInt8(length >= 0 && length < Int(CGT_MAX_ARGS) ? length : Int(CGT_MAX_ARGS))
            withUnsafeMutableBytes(of: &kinds) { $0[i] = kind.rawValue }
            withUnsafeMutableBytes(of: &lengths) { $0[i] = l }
        }
    }

    /// Argument `i`'s kind (`i` below `count`).
    @inline(__always)
    public func kind(_ i: Int) -> Kind {
        withUnsafeBytes(of: kinds) { Kind(rawValue: $0[i]) ?? .other }
    }

    /// The argument that gives argument `i`'s buffer length.
    @inline(__always)
    public func lengthArgument(_ i: Int) -> Int {
        withUnsafeBytes(of: lengths) { Int($0[i]) }
    }

    /// Whether argument `i` prints a copy (a string's or a buffer's).
    @inline(__always)
    public func printsCapture(_ i: Int) -> Bool {
        switch kind(i) {
        case .path, .string, .inBuffer, .outBuffer, .outBufferArg: return true
        default: return false
        }
    }
}

/// -y's texts of descriptor arguments for the direct paths, as `CallView.fdTarget` makes them
/// from an entry's copies, the last few kept by those copies' bytes: a storm's calls name the
/// same few descriptors, and making the text each time (the copies decoded, the path's
/// components joined) kept `-y` at ~720–900 ns a record against ~200 without it.
public final class DescriptorTargets {
    /// What of a descriptor is shown (`CallView.fdDetails`).
    public let shown: FdDetails
    /// -yy: the sockets' texts the trace printed first (`CallView.sockets`).
    public let sockets: SocketTextCache?
    /// The cache's generation the texts below were made in: a socket's text it kept since may
    /// replace what they say.
    private var generation = 0
    private var keys: [[UInt8]] = []
    private var texts: [String?] = []
    private var next = 0
    private static let slots = 8
    /// The copies of the descriptor being looked up, as a key: kind, index, length and bytes of each.
    private var key: [UInt8] = []

    public init(shown: FdDetails, sockets: SocketTextCache? = nil) {
        self.shown = shown
        self.sockets = sockets
        key.reserveCapacity(256)
    }

    /// The text of descriptor argument `i` (nil: no copy of it, or nothing of it shown).
    public func target(_ i: Int, enter: RecordView) -> String? {
        guard !shown.isEmpty else { return nil }
        key.removeAll(keepingCapacity: true)
        for c in enter.captures where c.arg == i && Self.describes(c.kind) {
            let n = c.bytes.count
            key.append(c.kind)
            key.append(UInt8(truncatingIfNeeded: c.index))
            key.append(UInt8(truncatingIfNeeded: c.index >> 8))
            key.append(UInt8(truncatingIfNeeded: n))
            key.append(UInt8(truncatingIfNeeded: n >> 8))
            key.append(contentsOf: c.bytes)
        }
        guard !key.isEmpty else { return nil }
        if let sockets, sockets.generation != generation {
            generation = sockets.generation
            keys.removeAll(keepingCapacity: true)
            texts.removeAll(keepingCapacity: true)
            next = 0
        }
        for s in keys.indices where keys[s] == key { return texts[s] }
        var captures: [Capture] = []
        for c in enter.captures where c.arg == i && Self.describes(c.kind) { captures.append(c.decoded) }
        let text = CallView.fdTarget(i, captures: captures, shown: shown, sockets: sockets)
        if keys.count < Self.slots {
            keys.append(key)
            texts.append(text)
        } else {
            keys[next] = key
            texts[next] = text
            next = (next + 1) % Self.slots
        }
        return text
    }

    /// A copy -y makes of a descriptor: what it is, its path's components, its socket's ends.
    static func describes(_ kind: UInt8) -> Bool {
        kind == CaptureKind.fdInfo.rawValue || kind == CaptureKind.fdPath.rawValue || kind == CaptureKind.socketInfo.rawValue
    }
}
