import Beautifiers
import Decoder
import Syscalls

/// A log2 latency histogram: bucket k counts durations in [2^k, 2^(k+1)) ns (bucket 0 also 0 ns).
public struct Log2Histogram: Sendable, Equatable {
    public private(set) var buckets: [Int] = []

    public init() {}

    public static func bucket(_ ns: UInt64) -> Int { ns <= 1 ? 0 : 63 - ns.leadingZeroBitCount }

    public mutating func add(_ ns: UInt64) {
        let b = Self.bucket(ns)
        if buckets.count <= b { buckets += Array(repeating: 0, count: b + 1 - buckets.count) }
        buckets[b] += 1
    }

    /// `512ns`, `4us`, `2ms`, `1s`: a power of two in the largest unit it reaches.
    public static func label(_ k: Int) -> String {
        let v = UInt64(1) << UInt64(k)
        if v >= 1_000_000_000 { return "\(v / 1_000_000_000)s" }
        if v >= 1_000_000 { return "\(v / 1_000_000)ms" }
        if v >= 1000 { return "\(v / 1000)us" }
        return "\(v)ns"
    }
}

/// `--thread-summary`: per thread, the calls it made with count, errors, total/min/avg/max
/// latency, then each call's latency distribution in log2 buckets (perf trace -s, plus the
/// histograms). Threads in order of first appearance; calls by total time, most first.
/// Calls come the general way or straight from their records (`EveryCallDirectly`), as -c's
/// table does.
public final class ThreadSummary: EveryCallDirectly, CallOutput {
    struct Row {
        var stats = SyscallStats()
        var histogram = Log2Histogram()
    }
    struct Thread {
        var pid: UInt32
        var rows: [Int: Row] = [:]
    }

    private let formats: SyscallFormats
    private let names: TaskNames
    private let output: OutputFile
    private var threads: [UInt32: Thread] = [:]
    private var order: [UInt32] = []
    private var comms: [UInt32: String] = [:]

    public init(formats: SyscallFormats, names: TaskNames, output: OutputFile) {
        self.formats = formats
        self.names = names
        self.output = output
        super.init()
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {}

    public func other(_ record: consuming Record) {
        names.observe(record)
        let h = record.header
        if case .exec = record { comms[h.tid] = names.name(pid: h.pid, tid: h.tid) }
    }

    public func callEnded(_ c: consuming CompletedCall) {
        guard c.ending == .returned, c.exit != nil, let d = c.durationNs else { return }
        add(pid: c.pid, tid: c.tid, number: c.number, durationNs: d, failed: c.failed)
    }

    /// The call as `callEnded` counts it, from its records.
    override public func callReturnedDirectly(enter: RecordView, exit: RecordView) -> Bool {
        if let d = CompletedCall.durationNs(enter: enter, exit: exit) {
            add(pid: exit.pid, tid: exit.tid, number: enter.number, durationNs: d, failed: SyscallResult.isError(exit.ret))
        }
        return true
    }

    private func add(pid: UInt32, tid: UInt32, number: Int, durationNs d: UInt64, failed: Bool) {
        if threads[tid] == nil {
            threads[tid] = Thread(pid: pid)
            order.append(tid)
        }
        if comms[tid] == nil { comms[tid] = names.name(pid: pid, tid: tid) }
        var row = threads[tid]!.rows[number] ?? Row()
        row.stats.add(durationNs: d, failed: failed)
        row.histogram.add(d)
        threads[tid]!.rows[number] = row
    }

    public func finish(losses: TraceLosses) {
        output.write(report())
        output.write(losses.summaryFootnote)
        output.flush()
    }

    public func report() -> String {
        var text = ""
        for tid in order {
            guard let t = threads[tid] else { continue }
            let rows = t.rows.sorted { $0.value.stats.totalNs != $1.value.stats.totalNs
                ? $0.value.stats.totalNs > $1.value.stats.totalNs : $0.key < $1.key }
            let calls = rows.reduce(0) { $0 + $1.value.stats.calls }
            let errors = rows.reduce(0) { $0 + $1.value.stats.errors }
            let total = rows.reduce(UInt64(0)) { $0 + $1.value.stats.totalNs }
            text += "\n \(comms[tid] ?? "?") \(t.pid)/\(tid): \(calls) calls, \(errors) errors, \(ms(total)) ms in syscalls\n\n"
            text += "   syscall                calls   errors    total ms      min us      avg us      max us\n"
            text += "   --------------------  -------  -------  ----------  ----------  ----------  ----------\n"
            for (nr, r) in rows {
                let s = r.stats
                text += "   " + padRight(formats[nr].name, 20)
                text += "  " + pad(String(s.calls), 7) + "  " + pad(String(s.errors), 7)
                text += "  " + pad(ms(s.totalNs), 10) + "  " + pad(us(s.minNs), 10)
                text += "  " + pad(us(s.totalNs / UInt64(max(s.calls, 1))), 10) + "  " + pad(us(s.maxNs), 10) + "\n"
            }
            text += "\n   latency (log2 buckets: [low, 2×low))\n"
            for (nr, r) in rows {
                text += "   \(formats[nr].name):\n"
                let most = r.histogram.buckets.max() ?? 1
                for (k, n) in r.histogram.buckets.enumerated() where n > 0 {
                    let bar = String(repeating: "@", count: max(1, n * 30 / max(most, 1)))
                    text += "     " + pad(Log2Histogram.label(k), 6) + " … " + padRight(Log2Histogram.label(k + 1), 6)
                    text += pad(String(n), 8) + " |" + bar + "\n"
                }
            }
        }
        return text.isEmpty ? "cgtrace: no syscalls returned in the traced tasks\n" : text
    }

    private func ms(_ ns: UInt64) -> String { decimals(ns, per: 1_000_000, places: 3) }
    private func us(_ ns: UInt64) -> String { decimals(ns, per: 1000, places: 3) }

    private func decimals(_ ns: UInt64, per unit: UInt64, places: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let v = (ns * scale + unit / 2) / unit
        var frac = String(v % scale)
        while frac.count < places { frac = "0" + frac }
        return "\(v / scale).\(frac)"
    }

    private func padRight(_ s: String, _ width: Int) -> String { TextLayout.leftAligned(s, width: width) }
    private func pad(_ s: String, _ width: Int) -> String { TextLayout.rightAligned(s, width: width) }
}
