import Beautifiers
import Decoder

/// The strace text's direct path: a call whose exit follows its entry with nothing in between,
/// printed from the two records' bytes (`RecordView`), with no `Record`, `CallView` or capture
/// array built for it. It is the same line the general path prints (`printCall`): the same
/// prefix, printers (`ArgumentPrinter.printArguments(_:enter:exit:…)`), padding and result
/// code. Every FormatterHarness test runs its records both ways; DirectLineTests draws them at
/// random for every syscall this path takes.
///
/// Measured on a saved `dd bs=1` trace (1.6 M records): the consumer went from ~3.1 M to
/// ~4.9 M records per second; live, a 5 s dd storm under `--drop` lost 0 records, not 57 %.
///
/// It takes the syscalls whose arguments print from their register or a string or buffer copy
/// (read, write, close, lseek, pread64, dup2…: what syscall storms are made of), with -y's
/// copies of descriptor arguments (`DescriptorTargets`). A copy it does not expect (-y's of a
/// returned descriptor), or an option that needs more (-Y, -e raw=, -N), sends the call the
/// general way.
struct DirectCalls {
    /// By syscall number: its format, if every argument and the result print directly. Unmanaged
    /// (`table` keeps them): looking a format up retained and released it for every call.
    private let formats: [Unmanaged<SyscallFormat>?]
    private let table: SyscallFormats

    /// `enabled`: false when the output's options need what only the general path keeps.
    init(formats table: SyscallFormats, enabled: Bool = true) {
        self.table = table
        formats = (0..<table.table.count).map { n in
            guard enabled, let f = table.kept(n), ArgumentPrinter.printsFromRecords(f) else { return nil }
            return Unmanaged.passUnretained(f)
        }
    }

    /// The strace text's: -Y's names, -e raw= and -N are the general path's.
    init(formats table: SyscallFormats, options: FormatOptions) {
        self.init(formats: table, enabled: !options.decodePids.contains(.comm) && options.rawCalls.isEmpty && !options.argNames)
    }

    func contains(_ number: Int) -> Bool { number >= 0 && number < formats.count && formats[number] != nil }

    var isEmpty: Bool { !formats.contains { $0 != nil } }

    /// The format of a call that prints directly, for the time of `body`: its syscall does,
    /// and its records carry only copies the printers read (`ArgumentPrinter.takenCaptures`).
    /// nil: the call is the general path's.
    /// `body` is also told whether the entry carries -y's copies of descriptors.
    @inline(__always) func withFormat<R>(enter: RecordView, exit: RecordView, _ body: (SyscallFormat, Bool) -> R) -> R? {
        let number = exit.number
        guard number >= 0 && number < formats.count, let f = formats[number] else { return nil }
        return f._withUnsafeGuaranteedRef { format in
            ArgumentPrinter.takenCaptures(format, enter: enter, exit: exit).map { body(format, $0) }
        }
    }
}

extension StraceFormatter {
    /// `callReturnedDirectly`'s work (an override must be declared in the class itself).
    func printDirectly(enter: RecordView, exit: RecordView) -> Bool {
        directCalls.withFormat(enter: enter, exit: exit) { print($0, enter: enter, exit: exit, descriptors: $1) } ?? false
    }

    private func print(_ format: SyscallFormat, enter: RecordView, exit: RecordView, descriptors: Bool) -> Bool {
        let tid = exit.tid
        guard pending[tid] == nil, heldSignals.isEmpty || heldSignals[tid] == nil else { return false }
        // Calls in progress on other threads: the general path would print the first
        // `<unfinished ...>` of each; once they all show it, this call's line is all there is.
        if !pending.isEmpty, !pending.allSatisfy({ $0.printedUnfinished }) { return false }

        // From here on the call is printed, with the state changes the general path makes.
        observe(tid: tid, pid: exit.pid, at: exit.timestamp)
        startLine(tid: tid, several: live.count > 1, at: enter.timestamp)
        format.nameBytes.withUnsafeBufferPointer { line.append($0) }
        line.append(UInt8(ascii: "("))
        // The sink writes on the line itself, lent to it and taken back (no copy of its bytes).
        swap(&line, &sink.bytes)
        sink.resetSeparators()
        ArgumentPrinter.printArguments(format, enter: enter, exit: exit, stringLimit: options.stringLimit,
                                       descriptors: descriptors ? descriptorTargets : nil, to: sink)
        swap(&line, &sink.bytes)
        line.append(UInt8(ascii: ")"))
        padToReturnColumn()
        putPlainReturn(exit.ret, format.ret)
        if options.showDurations, exit.enterTimestamp != 0 {
            TimingWriter.appendDuration(Int64(bitPattern: exit.timestamp &- exit.enterTimestamp), to: &line)
        }
        endLine()
        return true
    }
}
