import CgtraceABI
import Decoder
import Syscalls

/// A call's arguments printed straight from its two records (`RecordView`), for the outputs'
/// direct paths (the strace text's, JSON's): no `Record`, `CallView` or capture array is built.
/// It covers the formats that print from a register or a string or buffer copy, with the same
/// printers `printValue` uses for them, so the text is the same; `printsFromRecords` says which
/// syscalls those are, `takesCaptures` which records qualify.
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

    /// Whether every copy the records carry is one these printers read: a string's or a
    /// buffer's, of an argument that prints one. Anything else (-y's descriptor paths, a kind
    /// this build does not know) is the general path's.
    public static func takesCaptures(_ format: SyscallFormat, enter: RecordView, exit: RecordView) -> Bool {
        func printed(_ c: RecordView.CaptureView) -> Bool {
            c.arg < format.args.count && printsCapture(format.args[c.arg])
                && (c.kind == CaptureKind.string.rawValue || c.kind == CaptureKind.buffer.rawValue)
        }
        for c in enter.captures where !printed(c) { return false }
        for c in exit.captures where !printed(c) { return false }
        return true
    }

    private static func printsCapture(_ format: ArgFormat) -> Bool {
        switch format {
        case .path, .string, .inBuffer, .outBuffer, .outBufferArg: return true
        default: return false
        }
    }

    /// All the arguments of a call that returned, as `printArguments(format, call, part: .all)`
    /// prints them (for a format `printsFromRecords` accepts, records `takesCaptures` accepts).
    public static func printArguments(_ format: SyscallFormat, enter: RecordView, exit: RecordView, stringLimit: Int,
                                      to out: ArgumentSink) {
        let ret = exit.ret
        let succeeded = !SyscallResult.isError(ret)
        let named = out.wantsArgumentNames
        for i in 0..<format.args.count {
            out.argument(!named ? "" : i < format.argNames.count ? format.argNames[i] : "arg\(i)")
            let a = format.args[i]
            let raw = enter.arg(i)
            if printRegister(a, raw, out) { continue }
            switch a {
            case .fd:
                out.descriptor(Int64(Int32(truncatingIfNeeded: raw)), target: nil)
            case .dirfd:
                let fd = Int32(truncatingIfNeeded: raw)
                if fd == -100 { out.constant("AT_FDCWD", signed: -100) } else { out.descriptor(Int64(fd), target: nil) }
            case .path, .string:
                let c = capture(i, enter: enter, exit: exit)
                let limit: Int? = if case .string = a { stringLimit } else { nil }
                printString(address: raw, captured: c?.bytes, faulted: c?.faulted ?? false, limit: limit, out)
            case .inBuffer(let lengthArg):
                printBuffer(i, raw, length: Int(clamping: enter.arg(lengthArg)), enter, exit, stringLimit, out)
            case .outBuffer:
                if succeeded { printBuffer(i, raw, length: Int(ret), enter, exit, stringLimit, out) } else { out.pointer(raw) }
            case .outBufferArg(let lengthArg):
                if succeeded {
                    printBuffer(i, raw, length: Int(clamping: enter.arg(lengthArg)), enter, exit, stringLimit, out)
                } else {
                    out.pointer(raw)
                }
            default:
                break  // not a format printsFromRecords accepts
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
