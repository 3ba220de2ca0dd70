import Decoder

/// Renders arguments and return values of one call into a sink, following its `SyscallFormat`.
public enum ArgumentPrinter {
    /// Which arguments to print: strace prints in-parameters when a call starts and the rest
    /// when it returns; a complete line prints all.
    public enum Part: Sendable {
        case all
        case entry      // up to the first out-parameter
        case exit       // from the first out-parameter on
    }

    public static func printArguments(_ format: SyscallFormat, _ call: CallView, part: Part, to out: ArgumentSink) {
        let boundary = format.exitBoundary
        let range: Range<Int>
        switch part {
        case .all: range = 0..<format.args.count
        case .entry: range = 0..<boundary
        case .exit: range = boundary..<format.args.count
        }
        let named = out.wantsArgumentNames
        for i in range {
            let f = format.args[i]
            if case .optional(_, let shown) = f, !shown(call) { continue }
            out.argument(!named ? "" : i < format.argNames.count ? format.argNames[i] : "arg\(i)")
            printValue(f, index: i, call, out)
        }
    }

    public static func printValue(_ format: ArgFormat, index i: Int, _ call: CallView, _ out: ArgumentSink) {
        let raw = call.arg(i)
        if printRegister(format, raw, out) { return }
        switch format {
        case .fd: out.descriptor(Int64(call.int32(i)), target: call.fdTarget(i))
        case .dirfd:
            let fd = call.int32(i)
            if fd == -100 {
                out.currentDirectory(target: call.fdTarget(i))
            } else {
                out.descriptor(Int64(fd), target: call.fdTarget(i))
            }
        case .path:
            printString(call, i, limit: nil, out)
        case .string:
            printString(call, i, limit: call.stringLimit, out)
        case .inBuffer(let lengthArg):
            printBuffer(call, i, length: Int(clamping: call.arg(lengthArg)), out)
        case .outBuffer:
            guard call.succeeded, let ret = call.ret else { return out.pointer(raw) }
            printBuffer(call, i, length: Int(ret), out)
        case .outBufferArg(let lengthArg):
            guard call.succeeded else { return out.pointer(raw) }
            printBuffer(call, i, length: Int(clamping: call.arg(lengthArg)), out)
        case .structIn(let s), .structOut(let s):
            if raw == 0 { return out.pointer(0) }
            if format.atExit && !call.succeeded { return out.pointer(raw) }
            guard let c = call.capture(i), !c.faulted, c.bytes.count >= min(s.size, 1) else { return out.pointer(raw) }
            s.print(c.bytes, out, call)
        case .argv:
            printArgv(call, i, out)
        case .envp:
            // -v: the kernel copied the strings (and counted them); otherwise only counted.
            if call.verbose, !call.argvElements(i).isEmpty || call.argvCount(i) == 0 { return printArgv(call, i, out) }
            out.pointer(raw)
            if raw != 0, let n = call.argvCount(i) {
                out.comment("\(n) var\(n == 1 ? "" : "s")")
            }
        case .optional(let inner, _):
            printValue(inner, index: i, call, out)
        case .custom(let c):
            c.print(call, i, out)
        case .signed, .int, .unsigned, .uint, .hex, .octal, .pointer, .flags, .intFlags, .enumeration, .intEnum:
            break  // printed by printRegister
        }
    }

    /// The formats that print from the register alone (no capture, no descriptor's target):
    /// printed, true; any other format, false and nothing printed. The direct text path prints
    /// these arguments from the record's bytes with the same code.
    public static func printRegister(_ format: ArgFormat, _ raw: UInt64, _ out: ArgumentSink) -> Bool {
        if let plain = RecordPlan.Kind(plain: format) { return printPlain(plain, raw, out) }
        switch format {
        case .flags(let table): out.flags(raw, table)
        case .intFlags(let table): out.flags(UInt64(UInt32(truncatingIfNeeded: raw)), table)
        case .enumeration(let table): out.enumeration(raw, table)
        case .intEnum(let table):
            let v = Int32(truncatingIfNeeded: raw)
            if v < 0, table.name(for: UInt64(bitPattern: Int64(v))) == nil, table.name(for: UInt64(UInt32(bitPattern: v))) == nil {
                out.signed(Int64(v))
                if !table.unknown.isEmpty { out.comment(table.unknown) }
            } else {
                out.enumeration(UInt64(UInt32(bitPattern: v)), table)
            }
        default: return false
        }
        return true
    }

    /// A register printed as a number or an address (no table): false for other kinds.
    @inline(__always)
    static func printPlain(_ kind: RecordPlan.Kind, _ raw: UInt64, _ out: ArgumentSink) -> Bool {
        switch kind {
        case .signed: out.signed(Int64(bitPattern: raw))
        case .int: out.signed(Int64(Int32(truncatingIfNeeded: raw)))
        case .unsigned: out.unsigned(raw)
        case .uint: out.unsigned(UInt64(UInt32(truncatingIfNeeded: raw)))
        case .hex: out.hex(raw)
        case .octal: out.octal(raw)
        case .pointer: out.pointer(raw)
        default: return false
        }
        return true
    }

    static func printString(_ call: CallView, _ i: Int, limit: Int?, _ out: ArgumentSink) {
        guard let c = call.capture(i) else { return printString(address: call.arg(i), captured: nil, faulted: false, limit: limit, out) }
        c.bytes.withUnsafeBytes { printString(address: call.arg(i), captured: $0, faulted: c.faulted, limit: limit, out) }
    }

    /// A string at `address` of which the kernel copied `captured` (nil: nothing; `faulted`:
    /// the read failed), shown up to `limit` bytes.
    public static func printString(address raw: UInt64, captured: UnsafeRawBufferPointer?, faulted: Bool, limit: Int?,
                                   _ out: ArgumentSink) {
        guard raw != 0 else { return out.pointer(0) }
        guard let captured, !faulted else { return out.pointer(raw) }
        if let limit, captured.count > limit {
            out.string(in: UnsafeRawBufferPointer(rebasing: captured[0..<limit]), truncated: true, hexOnly: false)
        } else {
            out.string(in: captured, truncated: false, hexOnly: false)
        }
    }

    /// Print `length` bytes of data of which the kernel kept at most -s.
    static func printBuffer(_ call: CallView, _ i: Int, length rawLength: Int, _ out: ArgumentSink, hexOnly: Bool = false) {
        guard let c = call.capture(i) else {
            return printBuffer(address: call.arg(i), length: rawLength, captured: nil, faulted: false,
                               stringLimit: call.stringLimit, hexOnly: hexOnly, out)
        }
        c.bytes.withUnsafeBytes {
            printBuffer(address: call.arg(i), length: rawLength, captured: $0, faulted: c.faulted,
                        stringLimit: call.stringLimit, hexOnly: hexOnly, out)
        }
    }

    /// `length` bytes of data at `address` of which the kernel copied `captured` (nil: nothing;
    /// `faulted`: the read failed), at most `stringLimit` (-s) of them shown.
    public static func printBuffer(address raw: UInt64, length rawLength: Int, captured: UnsafeRawBufferPointer?, faulted: Bool,
                                   stringLimit: Int, hexOnly: Bool = false, _ out: ArgumentSink) {
        let length = max(rawLength, 0)  // a kernel length is never negative; bad data may say so
        guard raw != 0 || length == 0 else { return out.pointer(raw) }
        guard let captured, !faulted else {
            if length == 0 { return out.string([], truncated: false, hexOnly: hexOnly) }
            return out.pointer(raw)
        }
        let shown = min(length, stringLimit, captured.count)
        out.string(in: UnsafeRawBufferPointer(rebasing: captured[0..<shown]), truncated: length > shown, hexOnly: hexOnly)
    }

    static func printArgv(_ call: CallView, _ i: Int, _ out: ArgumentSink) {
        let raw = call.arg(i)
        guard raw != 0 else { return out.pointer(0) }
        let elements = call.argvElements(i)
        guard let count = call.argvCount(i) else { return out.pointer(raw) }
        out.beginArray()
        for e in elements.sorted(by: { $0.index < $1.index }) {
            out.element()
            if e.faulted {
                out.pointer(0)
            } else if e.bytes.count > call.stringLimit {
                out.string(e.bytes.prefix(call.stringLimit), truncated: true, hexOnly: false)
            } else {
                out.string(e.bytes, truncated: false, hexOnly: false)
            }
        }
        if count > elements.count { out.ellipsis() }
        out.endArray()
    }
}
