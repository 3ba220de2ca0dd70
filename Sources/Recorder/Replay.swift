import CgtraceABI
import Decoder

/// What a dump read from one CPU's slots: whole records as copied, and that CPU's next seq when
/// the copy began.
public struct CPUSlots: Sendable {
    public var cpu: Int
    /// The CPU's next seq when the snapshot began: every record with a smaller seq was written
    /// (or was being written) before the dump, and is either in `records` or overwritten.
    public var head: UInt64
    /// The whole records found, each as (slot index, bytes). A slot's bytes may be the first
    /// CGT_SLOT_SIZE of a longer record (its header still declares the full size).
    public var records: [(slot: Int, bytes: [UInt8])]

    public init(cpu: Int, head: UInt64, records: [(slot: Int, bytes: [UInt8])]) {
        self.cpu = cpu
        self.head = head
        self.records = records
    }
}

/// The records of a recording in time order, with an exact account of what is not there.
public struct Replay: Sendable {
    public var records: [Record] = []
    /// The same records' bytes (cut ones trimmed to their whole captures), for `dump --write`.
    public var rawRecords: [[UInt8]] = []
    /// Records written before the snapshot that it does not hold: overwritten by newer ones
    /// (or, in a dump racing the workload, being rewritten while read).
    public var overwritten: UInt64 = 0
    /// Records longer than a slot, shown without the captures that did not fit.
    public var cut = 0
    /// Slots whose content does not decode (never expected; counted, not hidden).
    public var malformed = 0
}

public enum ReplayBuilder {
    /// Turn per-CPU slot copies into one time-ordered stream.
    ///
    /// A record counts only if it was written before the snapshot (seq < head) and sits in the
    /// slot its seq selects on its own CPU; newer records that landed during the copy are left
    /// out, so dumping twice shows the same old events. CPUs are merged by timestamp (ties by
    /// CPU, then seq); enter and exit still pair by (tid, call) in the formatter.
    public static func build(cpus: [CPUSlots], slotsPerCPU: Int, slotSize: Int = Int(CGT_SLOT_SIZE)) -> Replay {
        var replay = Replay()
        var ordered: [(ts: UInt64, cpu: Int, seq: UInt64, record: Record, bytes: [UInt8])] = []
        for cpu in cpus {
            var kept: UInt64 = 0
            for (slot, bytes) in cpu.records {
                guard bytes.count >= MemoryLayout<cgt_header>.size else { continue }
                var bytes = bytes
                let seq = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self) }
                let recordCPU = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt16.self) }
                guard seq < cpu.head, slotsPerCPU > 0, Int(seq % UInt64(slotsPerCPU)) == slot,
                      Int(recordCPU) == cpu.cpu else { continue }
                let declared = Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2, as: UInt16.self) })
                if declared > bytes.count {
                    guard let whole = wholeCaptures(bytes) else {
                        replay.malformed += 1
                        continue
                    }
                    bytes = whole
                    replay.cut += 1
                }
                do {
                    let record = try RecordParser.decode(bytes)
                    ordered.append((record.header.timestamp, cpu.cpu, seq, record, bytes))
                    kept += 1
                } catch {
                    replay.malformed += 1
                }
            }
            replay.overwritten += cpu.head - min(kept, cpu.head)
        }
        ordered.sort { a, b in
            if a.ts != b.ts { return a.ts < b.ts }
            if a.cpu != b.cpu { return a.cpu < b.cpu }
            return a.seq < b.seq
        }
        replay.records = ordered.map(\.record)
        replay.rawRecords = ordered.map(\.bytes)
        return replay
    }

    /// A record cut at the slot's end, trimmed to the captures that arrived whole, with its size
    /// field saying so; nil when even its fixed part is incomplete.
    static func wholeCaptures(_ bytes: [UInt8]) -> [UInt8]? {
        let header = MemoryLayout<cgt_header>.size
        let type = UInt32(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt16.self) })
        let fixed: Int
        switch type {
        case CGT_REC_SYS_ENTER.rawValue: fixed = MemoryLayout<cgt_sys_enter>.size
        case CGT_REC_SYS_EXIT.rawValue: fixed = MemoryLayout<cgt_sys_exit>.size
        default: return nil // the other records are far smaller than a slot
        }
        var end = header + fixed
        guard end <= bytes.count else { return nil }
        let captureHeader = MemoryLayout<cgt_capture>.size
        while end + captureHeader <= bytes.count {
            let len = Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: end + 2, as: UInt16.self) })
            let next = end + captureHeader + ((len + 7) & ~7)
            if next > bytes.count { break }
            end = next
        }
        var trimmed = Array(bytes[0..<end])
        let size = UInt16(end)
        trimmed.withUnsafeMutableBytes { $0.storeBytes(of: size.littleEndian, toByteOffset: 2, as: UInt16.self) }
        return trimmed
    }
}
