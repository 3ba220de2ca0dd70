import CgtraceABI

/// Turns the bytes of one record (as the kernel wrote them, see probes/include/cgtrace_abi.h) into
/// a `Record`. Every length is checked against what arrived; malformed input is an error value.
public enum RecordParser {
    static let headerSize = MemoryLayout<cgt_header>.size
    static let captureHeaderSize = MemoryLayout<cgt_capture>.size

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> Record {
        guard bytes.count >= headerSize else { throw .truncated(needed: headerSize, have: bytes.count) }
        let header = RecordHeader(
            type: bytes.le(UInt16.self, at: 0),
            size: bytes.le(UInt16.self, at: 2),
            cpu: bytes.le(UInt16.self, at: 4),
            flags: bytes.le(UInt16.self, at: 6),
            pid: bytes.le(UInt32.self, at: 8),
            tid: bytes.le(UInt32.self, at: 12),
            timestamp: bytes.le(UInt64.self, at: 16),
            sequence: bytes.le(UInt64.self, at: 24))
        let size = Int(header.size)
        guard size >= headerSize, size <= bytes.count else { throw .badSize(declared: size, have: bytes.count) }
        let body = headerSize

        func need(_ n: Int) throws(DecodeError) {
            if body + n > size { throw .truncated(needed: body + n, have: size) }
        }

        switch UInt32(header.type) {
        case CGT_REC_SYS_ENTER.rawValue:
            // (Checked where the direct path checks it: one set of rules for both.)
            let view = try RecordView(checking: bytes)
            var args = SyscallArguments()
            for i in 0..<Int(CGT_MAX_ARGS) { args[i] = view.arg(i) }
            return .enter(SyscallEnter(header: header, number: view.number, call: view.call, args: args,
                                       captures: captures(view.bytes, from: view.capturesStart, to: view.end)))
        case CGT_REC_SYS_EXIT.rawValue:
            let view = try RecordView(checking: bytes)
            return .exit(SyscallExit(header: header, number: view.number, call: view.call, ret: view.ret,
                                     enterTimestamp: view.enterTimestamp,
                                     captures: captures(view.bytes, from: view.capturesStart, to: view.end)))
        case CGT_REC_SIGNAL.rawValue:
            try need(MemoryLayout<cgt_signal>.size)
            let info = Array(bytes[(body + 16)..<(body + 16 + Int(CGT_SIGINFO_SIZE))])
            return .signal(SignalDelivery(
                header: header,
                signo: Int32(bitPattern: bytes.le(UInt32.self, at: body)),
                code: Int32(bitPattern: bytes.le(UInt32.self, at: body + 8)),
                errno: Int32(bitPattern: bytes.le(UInt32.self, at: body + 4)),
                siginfo: info))
        case CGT_REC_EXIT.rawValue:
            try need(MemoryLayout<cgt_task_exit>.size)
            return .taskExit(TaskExit(
                header: header,
                status: bytes.le(UInt32.self, at: body),
                groupDead: bytes.le(UInt32.self, at: body + 4) != 0))
        case CGT_REC_FORK.rawValue:
            try need(MemoryLayout<cgt_fork>.size)
            return .fork(TaskFork(
                header: header,
                childPid: bytes.le(UInt32.self, at: body),
                childTid: bytes.le(UInt32.self, at: body + 4),
                comm: cString(bytes, from: body + 8, max: 16)))
        case CGT_REC_EXEC.rawValue:
            try need(MemoryLayout<cgt_exec>.size)
            return .exec(TaskExec(
                header: header,
                oldTid: bytes.le(UInt32.self, at: body),
                comm: cString(bytes, from: body + 8, max: 16)))
        case CGT_REC_LOST.rawValue:
            try need(MemoryLayout<cgt_lost>.size)
            return .lost(lostRecords(header: header, bytes, at: body))
        case CGT_REC_PIDNS.rawValue:
            try need(MemoryLayout<cgt_pidns>.size)
            return .pidNamespace(TaskPidNamespace(
                header: header,
                tid: bytes.le(UInt32.self, at: body),
                pid: bytes.le(UInt32.self, at: body + 4),
                nsTid: bytes.le(UInt32.self, at: body + 8),
                nsPid: bytes.le(UInt32.self, at: body + 12),
                level: bytes.le(UInt32.self, at: body + 16)))
        default:
            throw .unknownType(header.type)
        }
    }

    /// A struct cgt_lost at `offset` (bounds checked by the caller): in a CGT_REC_LOST record, or
    /// the `pending_loss` map's entry read when tracing stops.
    public static func lostRecords(header: RecordHeader, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> LostRecords {
        let listed = min(Int(bytes.le(UInt32.self, at: offset + 32)), Int(CGT_LOST_TIDS))
        let mask = bytes.le(UInt64.self, at: offset + 24)
        return LostRecords(
            header: header,
            records: bytes.le(UInt64.self, at: offset),
            firstTimestamp: bytes.le(UInt64.self, at: offset + 8),
            lastTimestamp: bytes.le(UInt64.self, at: offset + 16),
            cpus: (0...LostRecords.lastCPU).filter { mask & (1 << UInt64($0)) != 0 },
            tids: (0..<listed).map { bytes.le(UInt32.self, at: offset + 40 + 4 * $0) },
            moreThreads: bytes.le(UInt32.self, at: offset + 36) != 0)
    }

    /// Convenience for tests and replay: decode from an array.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Record {
        try withBytes(of: bytes, decode)
    }

    /// Runs a decoder of raw bytes on an array's bytes (withUnsafeBytes does not pass typed
    /// errors through).
    static func withBytes<T>(of bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DecodeError) -> T) throws(DecodeError) -> T {
        do {
            return try bytes.withUnsafeBytes { raw in try body(raw) }
        } catch let error as DecodeError {
            throw error
        } catch {
            throw .badCapture(offset: 0)
        }
    }

    /// The captures after a record's fixed part, checked (`RecordView.checkCaptures`, the rule
    /// for every record that has them).
    static func captures(_ bytes: UnsafeRawBufferPointer, checking start: Int, to end: Int) throws(DecodeError) -> [Capture] {
        try RecordView.checkCaptures(bytes, from: start, to: end)
        return captures(bytes, from: start, to: end)
    }

    /// The captures of a checked record. Their bytes are copied once, into one array that
    /// every capture slices (a copy per capture was a measurable cost).
    static func captures(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> [Capture] {
        guard start + captureHeaderSize <= end else { return [] }
        let area = [UInt8](bytes[start..<end])
        var result: [Capture] = []
        for c in RecordView.Captures(bytes, from: start, to: end) {
            let dataStart = c.offset - start
            result.append(Capture(arg: c.arg, kind: CaptureKind(rawValue: c.kind), flags: c.flags, index: c.index,
                                  bytes: area[dataStart..<(dataStart + c.bytes.count)]))
        }
        return result
    }

    static func cString(_ bytes: UnsafeRawBufferPointer, from start: Int, max: Int) -> String {
        let slice = bytes[start..<(start + max)]
        let end = slice.firstIndex(of: 0) ?? slice.endIndex
        return String(decoding: slice[start..<end], as: UTF8.self)
    }
}

extension UnsafeRawBufferPointer {
    /// A little-endian integer at a byte offset the caller has bounds-checked.
    @inlinable @inline(__always)
    func le<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
