import Beautifiers
import Decoder
import Syscalls

/// The strace text's direct path: a call whose exit follows its entry with nothing in between,
/// printed from the two records' bytes (`RecordView`), with no `Record`, `CallView` or capture
/// array built for it. It is the same line the general path prints (`printCall`): the same
/// prefix, printers, padding and result code; DirectLineTests compare the two on every syscall
/// it takes.
///
/// Measured on a saved `dd bs=1` trace (1.6 M records): the consumer went from ~3 M to ~N M
/// records per second.
///
/// It takes the arguments that print from their register or a string or buffer copy (read,
/// write, close, lseek, getpid…: what syscall storms are made of); any other argument, a
/// capture it does not expect (-y's paths), or an option that needs more (-Y, -e raw=, -N)
/// sends the call the general way.
struct DirectCalls {
    /// By syscall number: every argument and the result print directly.
    private let eligible: [Bool]

    init(formats: SyscallFormats, options: FormatOptions) {
        // Options whose lines need what only the general path keeps.
        let optionsAllow = !options.decodePids.contains(.comm) && options.rawCalls.isEmpty && !options.argNames
        eligible = (0..<formats.table.count).map { optionsAllow && Self.printsDirectly(formats[$0]) }
    }

    func contains(_ number: Int) -> Bool { number >= 0 && number < eligible.count && eligible[number] }

    static func printsDirectly(_ format: SyscallFormat) -> Bool {
        guard format.args.count <= 6 else { return false }
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

    /// An argument whose capture the direct path prints: a string's or a buffer's.
    static func takesCapture(_ format: ArgFormat) -> Bool {
        switch format {
        case .path, .string, .inBuffer, .outBuffer, .outBufferArg: return true
        default: return false
        }
    }
}

extension StraceFormatter: DirectCallOutput {
    public func printsDirectly(number: Int) -> Bool { directCalls.contains(number) }

    public func callReturnedDirectly(enter: RecordView, exit: RecordView) -> Bool {
        let number = exit.number
        let tid = exit.tid
        guard directCalls.contains(number), !exit.killed, pending[tid] == nil, heldSignals.isEmpty || heldSignals[tid] == nil
        else { return false }
        // Calls in progress on other threads: the general path would print the first
        // `<unfinished ...>` of each; once they all show it, this call's line is all there is.
        if !pending.isEmpty, !pending.allSatisfy({ $0.printedUnfinished }) { return false }
        let format = formats[number]
        // Only the copies its printers read: -y's descriptor paths, or anything unexpected,
        // are the general path's.
        var expected = true
        let check: (RecordView.CaptureView) -> Bool = { c in
            expected = c.arg < format.args.count && DirectCalls.takesCapture(format.args[c.arg])
                && (c.kind == CaptureKind.string.rawValue || c.kind == CaptureKind.buffer.rawValue)
            return expected
        }
        enter.forEachCapture(check)
        if expected { exit.forEachCapture(check) }
        guard expected else { return false }

        // From here on the call is printed: the state changes printCall's path makes.
        observe(tid: tid, pid: exit.pid, at: exit.timestamp)
        let ret = exit.ret
        startLine(tid: tid, several: live.count > 1, at: enter.timestamp)
        line.append(contentsOf: format.nameBytes)
        line.append(UInt8(ascii: "("))
        sink.bytes.removeAll(keepingCapacity: true)
        sink.resetSeparators()
        let succeeded = !SyscallResult.isError(ret)
        for i in 0..<format.args.count {
            sink.argument("")
            let a = format.args[i]
            let raw = enter.arg(i)
            if ArgumentPrinter.printRegister(a, raw, sink) { continue }
            switch a {
            case .fd:
                sink.descriptor(Int64(Int32(truncatingIfNeeded: raw)), target: nil)
            case .dirfd:
                let fd = Int32(truncatingIfNeeded: raw)
                if fd == -100 { sink.constant("AT_FDCWD", signed: -100) } else { sink.descriptor(Int64(fd), target: nil) }
            case .path, .string:
                let c = Self.capture(i, enter: enter, exit: exit)
                ArgumentPrinter.printString(address: raw, captured: c?.bytes, faulted: c?.faulted ?? false,
                                            limit: { if case .string = a { return options.stringLimit } else { return nil } }(), sink)
            case .inBuffer(let lengthArg):
                printBuffer(i, raw, length: Int(clamping: enter.arg(lengthArg)), enter, exit)
            case .outBuffer:
                if succeeded { printBuffer(i, raw, length: Int(ret), enter, exit) } else { sink.pointer(raw) }
            case .outBufferArg(let lengthArg):
                if succeeded { printBuffer(i, raw, length: Int(clamping: enter.arg(lengthArg)), enter, exit) } else { sink.pointer(raw) }
            default:
                break  // not eligible (DirectCalls)
            }
        }
        appendSinkBytes()
        line.append(UInt8(ascii: ")"))
        padToReturnColumn()
        putReturn(ret, format.ret, nil)
        if options.showDurations, exit.enterTimestamp != 0 {
            put(TimingText.duration(Int64(bitPattern: exit.timestamp &- exit.enterTimestamp)))
        }
        endLine()
        return true
    }

    private func printBuffer(_ i: Int, _ raw: UInt64, length: Int, _ enter: RecordView, _ exit: RecordView) {
        let c = Self.capture(i, enter: enter, exit: exit)
        ArgumentPrinter.printBuffer(address: raw, length: length, captured: c?.bytes, faulted: c?.faulted ?? false,
                                    stringLimit: options.stringLimit, sink)
    }

    /// CallView.capture's choice: the exit's copy if there is one, else the entry's that did
    /// not fault (only string and buffer copies get this far).
    private static func capture(_ i: Int, enter: RecordView, exit: RecordView) -> RecordView.CaptureView? {
        var found: RecordView.CaptureView?
        exit.forEachCapture { c in
            if c.arg == i { found = c }
            return found == nil
        }
        if found == nil {
            enter.forEachCapture { c in
                if c.arg == i && !c.faulted { found = c }
                return found == nil
            }
        }
        return found
    }
}
