import Beautifiers
import Decoder
import Syscalls

/// strace -S: the order of the -c table's rows.
public enum SummarySort: String, Sendable, CaseIterable {
    case time, totalTime = "total-time", avgTime = "avg-time", minTime = "min-time", maxTime = "max-time"
    case calls, errors, name, nothing

    /// strace's spellings (`time` and `total-time` are the same key).
    public init?(strace text: String) {
        self.init(rawValue: text)
    }
}

/// Per-syscall counts and times, as `strace -c` keeps them.
public struct SyscallStats: Sendable {
    public var calls = 0
    public var errors = 0
    public var totalNs: UInt64 = 0
    public var minNs: UInt64 = .max
    public var maxNs: UInt64 = 0

    mutating func add(durationNs: UInt64, failed: Bool) {
        calls += 1
        if failed { errors += 1 }
        totalNs += durationNs
        minNs = min(minNs, durationNs)
        maxNs = max(maxNs, durationNs)
    }
}

/// `-c`/`-C`: the table strace prints at the end, counting every call that returned.
///
/// strace without -w sums the system CPU time of the calls; a tracer on tracepoints sees when a
/// call started and returned, not how much of that the CPU spent in it, so the seconds column is
/// always the calls' wall-clock latency (strace -w). -w is accepted and changes nothing.
///
/// Calls come the general way (`callEnded`) or straight from their records
/// (`EveryCallDirectly`): the general way alone cost -c ~260 ns of the consumer per record on a
/// dd storm, twice the text's, and its lossless runs froze dd.
public final class SyscallSummary: EveryCallDirectly, CallOutput {
    private let formats: SyscallFormats
    private let output: OutputFile
    private let sort: SummarySort
    /// By syscall number below `numbered` (a pointer: the one lookup per call), the rest in
    /// `others`; `calls` 0: none seen.
    private let byNumber: UnsafeMutablePointer<SyscallStats>
    private static let numbered = 1024
    private var others: [Int: SyscallStats] = [:]

    public init(formats: SyscallFormats, output: OutputFile, sort: SummarySort) {
        self.formats = formats
        self.output = output
        self.sort = sort
        byNumber = .allocate(capacity: Self.numbered)
        byNumber.initialize(repeating: SyscallStats(), count: Self.numbered)
        super.init()
    }

    deinit { byNumber.deallocate() }

    /// The counts so far, by syscall number.
    public var stats: [Int: SyscallStats] {
        var all = others
        for nr in 0..<Self.numbered where byNumber[nr].calls > 0 { all[nr] = byNumber[nr] }
        return all
    }

    private func add(number: Int, durationNs: UInt64, failed: Bool) {
        if number >= 0 && number < Self.numbered {
            byNumber[number].add(durationNs: durationNs, failed: failed)
        } else {
            others[number, default: SyscallStats()].add(durationNs: durationNs, failed: failed)
        }
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {}
    public func other(_ record: consuming Record) {}

    public func callEnded(_ c: consuming CompletedCall) {
        guard c.ending == .returned else { return }
        // ERESTART* returns are interruptions the call comes back from, not failures, but
        // strace counts every failed return (SyscallResult) in the errors column; so do we.
        add(number: c.number, durationNs: c.durationNs ?? 0, failed: c.failed)
    }

    /// The call as `callEnded` counts it, from its records.
    override public func callReturnedDirectly(enter: RecordView, exit: RecordView) -> Bool {
        add(number: enter.number, durationNs: CompletedCall.durationNs(enter: enter, exit: exit) ?? 0,
            failed: SyscallResult.isError(exit.ret))
        return true
    }

    public func finish(losses: TraceLosses) {
        output.write(table())
        output.write(losses.summaryFootnote)
        output.flush()
    }

    /// The table, byte for byte in strace's layout.
    public func table() -> String {
        let rows = sortedRows()
        let total = rows.reduce(into: SyscallStats()) { t, r in
            t.calls += r.1.calls
            t.errors += r.1.errors
            t.totalNs += r.1.totalNs
        }
        let nameWidth = max(16, (rows.map { formats[$0.0].name.count }.max() ?? 0) + 1)
        let rule = "------ ----------- ----------- --------- --------- " + String(repeating: "-", count: nameWidth) + "\n"
        var text = "% time     seconds  usecs/call     calls    errors syscall\n" + rule
        for (nr, s) in rows {
            text += line(s, name: formats[nr].name, totalNs: total.totalNs)
        }
        text += rule
        text += line(total, name: "total", totalNs: total.totalNs, percent: "100.00")
        return text
    }

    private func sortedRows() -> [(Int, SyscallStats)] {
        // Ties keep syscall-number order, as strace's stable sort of its table does.
        let rows = stats.sorted { $0.key < $1.key }
        func by<T: Comparable>(_ key: (SyscallStats) -> T, descending: Bool = true) -> [(Int, SyscallStats)] {
            rows.enumerated().sorted { a, b in
                let (x, y) = (key(a.element.1), key(b.element.1))
                if x != y { return descending ? x > y : x < y }
                return a.offset < b.offset
            }.map(\.element)
        }
        switch sort {
        case .time, .totalTime: return by { $0.totalNs }
        case .avgTime: return by { $0.totalNs / UInt64(max($0.calls, 1)) }
        case .minTime: return by { $0.minNs }
        case .maxTime: return by { $0.maxNs }
        case .calls: return by { $0.calls }
        case .errors: return by { $0.errors }
        case .name: return rows.sorted { formats[$0.0].name < formats[$1.0].name }
        case .nothing: return rows
        }
    }

    private func line(_ s: SyscallStats, name: String, totalNs: UInt64, percent: String? = nil) -> String {
        let pct = percent ?? TextLayout.decimal(totalNs == 0 ? 0 : Double(s.totalNs) * 100 / Double(totalNs), places: 2)
        let usecs = s.calls == 0 ? 0 : s.totalNs / UInt64(s.calls) / 1000
        return pad(pct, 6) + " " + pad(TimingText.secondsMicros(Int64(clamping: s.totalNs)), 11) + " "
            + pad(String(usecs), 11) + " " + pad(String(s.calls), 9) + " "
            + pad(s.errors == 0 ? "" : String(s.errors), 9) + " " + name + "\n"
    }

    private func pad(_ s: String, _ width: Int) -> String { TextLayout.rightAligned(s, width: width) }
}
