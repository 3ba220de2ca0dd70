import CgtraceABI
import Decoder
import Formatters
import Glibc

/// The consumer alone, on one core: the records of a `dd bs=1` storm (read of 1 byte at exit,
/// write of 1 byte at entry, each call an enter and an exit record, as the kernel sends them)
/// decoded and formatted as strace text (or JSON) into /dev/null. Reproducible without the
/// kernel, so changes to the decoder and formatter can be timed alone (bench/run.py measures
/// the same thing live, from --stats).
public enum ConsumerBench {
    public struct Result: Sendable {
        public var records: Int
        public var seconds: Double
        public var recordsPerSecond: Double { Double(records) / seconds }
    }

    /// `calls` syscalls (2 records each), formatted as text, or JSON with `json`.
    public static func run(calls: Int, json: Bool = false) -> Result {
        var stream = ddStream(pairs: 512)
        var seq: UInt64 = 0
        return timed(json: json) { formatter in
            var records = 0
            while records < 2 * calls {
                for i in stream.indices {
                    // Fresh sequence and call numbers, so pairing sees a continuing stream.
                    seq += 1
                    let call = UInt32(truncatingIfNeeded: (seq + 1) / 2)
                    stream[i].withUnsafeMutableBytes { raw in
                        stamp(raw, seq: seq, call: call)
                        try? formatter.handle(bytes: UnsafeRawBufferPointer(raw))
                    }
                    records += 1
                }
            }
            return records
        }
    }

    /// The records of a saved trace (`cgtrace --write`), each decoded and formatted once, in
    /// order; only those that decode count.
    public static func run(records: [[UInt8]], json: Bool = false) -> Result {
        timed(json: json) { formatter in
            var decoded = 0
            for r in records {
                r.withUnsafeBytes { raw in
                    if (try? formatter.handle(bytes: raw)) != nil { decoded += 1 }
                }
            }
            return decoded
        }
    }

    /// The thread's CPU time for `feed` (which returns how many records it fed) and the end of
    /// the trace, through the outputs the tracer makes, into /dev/null.
    private static func timed(json: Bool, _ feed: (CallPairing) -> Int) -> Result {
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        let output = OutputFile(fd: devnull)
        var plan = OutputPlan()
        plan.json = json
        guard let outputs = try? plan.build(formats: .x86_64, format: FormatOptions(), main: output, filePrefix: nil,
                                            cgroupID: nil, errors: output) else { return Result(records: 0, seconds: 1) }
        let formatter = CallPairing(formats: .x86_64, next: outputs)
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        let records = feed(formatter)
        formatter.finish(losses: TraceLosses(lostRecords: 0, malformedRecords: 0, truncatedCaptures: 0))
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        return Result(records: records, seconds: seconds)
    }

    /// Where `stamp` writes: the header's seq, and the call counter, at the same place in
    /// cgt_sys_enter and cgt_sys_exit (from the C structs, so they follow the ABI header).
    static let seqOffset = MemoryLayout<cgt_header>.offset(of: \cgt_header.seq)!
    static let callOffset = MemoryLayout<cgt_header>.size + MemoryLayout<cgt_sys_enter>.offset(of: \cgt_sys_enter.call)!

    /// Give a syscall record of the stream a fresh seq and call number.
    @inline(__always)
    static func stamp(_ raw: UnsafeMutableRawBufferPointer, seq: UInt64, call: UInt32) {
        raw.storeBytes(of: seq.littleEndian, toByteOffset: seqOffset, as: UInt64.self)
        raw.storeBytes(of: call.littleEndian, toByteOffset: callOffset, as: UInt32.self)
    }

    static func stamp(_ record: inout [UInt8], seq: UInt64, call: UInt32) {
        record.withUnsafeMutableBytes { stamp($0, seq: seq, call: call) }
    }

    /// read(0, "\0", 1) = 1 and write(1, "\0", 1) = 1, alternating, as record bytes.
    static func ddStream(pairs: Int) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for _ in 0..<pairs {
            // read: the buffer arrives at exit (BUF_OUT_RET)
            out.append(record(CGT_REC_SYS_ENTER, body: u32(0) + u32(0) + [0, 0x7ffc_0000_1000, 1, 0, 0, 0].flatMap(u64)))
            out.append(record(CGT_REC_SYS_EXIT, body: u32(0) + u32(0) + u64(1) + u64(1) + capture(arg: 1, [0])))
            // write: the buffer is copied at entry (BUF_IN)
            out.append(record(CGT_REC_SYS_ENTER, body: u32(1) + u32(0) + [1, 0x7ffc_0000_1000, 1, 0, 0, 0].flatMap(u64)
                              + capture(arg: 1, [0])))
            out.append(record(CGT_REC_SYS_EXIT, body: u32(1) + u32(0) + u64(1) + u64(1)))
        }
        return out
    }

    static func record(_ type: cgt_record_type, body: [UInt8]) -> [UInt8] {
        u16(UInt16(type.rawValue)) + u16(UInt16(32 + body.count)) + u16(0) + u16(0) + u32(4242) + u32(4242)
            + u64(1_000_000) + u64(0) + body
    }

    static func capture(arg: UInt8, _ data: [UInt8]) -> [UInt8] {
        [arg, CaptureKind.buffer.rawValue] + u16(UInt16(data.count)) + u16(0) + u16(0) + data
            + [UInt8](repeating: 0, count: (8 - data.count % 8) % 8)
    }

    static func u16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    static func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    static func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}
