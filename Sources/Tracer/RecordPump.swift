import CgtraceABI
import Decoder
import Formatters
import Glibc
import Loader
import Symbolizer
import TraceFile

/// Records from the ring to the outputs: decode, count, let a gate drop what precedes the
/// command's execve, and at the end report what was lost.
final class RecordPump {
    private unowned let session: TraceSession
    private let output: CallPairing
    private let admit: (Record) -> Bool
    /// -k: follows the processes' mappings and unwinds each call's stack copy.
    private let symbolizer: Symbolizer?
    /// --write: every record, as it came (the replay applies the same gate and decoding).
    private let saved: TraceFileWriter?
    private(set) var malformed = 0
    private(set) var records = 0
    /// Lossless mode: freezes the cgroups while the ring is too full (nil: records may drop).
    private let backpressure: Backpressure?
    /// --syscall-limit: how many calls to show before tracing stops (as the pairing stage counts
    /// them); nil for no limit.
    private let callLimit: Int?
    /// The limit was reached: later records are dropped, and the session detaches.
    private(set) var limitReached = false

    init(session: TraceSession, output: CallPairing, symbolizer: Symbolizer? = nil, backpressure: Backpressure? = nil,
         saved: TraceFileWriter? = nil,
         admit: @escaping (Record) -> Bool) {
        // (`admit` is a gate: once it has admitted a record it admits every later one.)
        self.session = session
        self.output = output
        self.symbolizer = symbolizer
        self.backpressure = backpressure
        self.saved = saved
        self.admit = admit
        outputless = output.feedsNothing
        callLimit = session.options.syscallLimit
    }

    /// The ring is empty for now: the main output writes out what it holds, so that lines show
    /// as they happen (as strace's do), not 64 KiB at a time at the end of a quiet command.
    func caughtUp() {
        session.mainOutput?.flush()
    }

    /// --write with nothing else to print: the records only go to the file, undecoded (about
    /// a third of the consumer's time on a storm; a replay decodes them).
    private let outputless: Bool

    func handle(_ bytes: UnsafeRawBufferPointer) {
        // The ring reader hands over records for as long as a pass lasts, so under a storm this
        // is where the consumer spends its time: the backlog is watched here.
        backpressure?.recordHandled()
        // Frozen time is not time spent in a call: -T, -c and JSON durations leave it out. An
        // exit's enter stamp moves past it once, in a copy on the stack (the ring's pages are
        // read-only), so that the outputs and --write see the same record.
        let exitSize = MemoryLayout<cgt_header>.size + MemoryLayout<cgt_sys_exit>.size
        if let frozen = backpressure?.intervals, frozen.total > 0, bytes.count >= exitSize,
           bytes.load(as: UInt16.self) == UInt16(CGT_REC_SYS_EXIT.rawValue) {
            let at = MemoryLayout<cgt_header>.size + MemoryLayout<cgt_sys_exit>.offset(of: \cgt_sys_exit.enter_ts)!
            withUnsafeTemporaryAllocation(byteCount: bytes.count, alignment: 8) { copy in
                copy.copyMemory(from: bytes)
                let enter = copy.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                let ts = copy.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                if enter != 0 { copy.storeBytes(of: enter &+ frozen.overlap(from: enter, to: ts), toByteOffset: at, as: UInt64.self) }
                process(UnsafeRawBufferPointer(copy))
            }
            return
        }
        process(bytes)
    }

    /// A joined call's entry and exit, as the ring reader made them whole side by side: printed
    /// at once by the pairing stage's direct path when it would print them one after the other
    /// (no copy of the entry held). False: nothing was done, `handle` them one by one. Not while
    /// records are saved, nor once the cgroups have been frozen (an exit's enter stamp then moves
    /// past the frozen time, in `handle`).
    func handlePair(_ enter: UnsafeRawBufferPointer, _ exit: UnsafeRawBufferPointer) -> Bool {
        guard direct, !limitReached, saved == nil, (backpressure?.intervals.total ?? 0) == 0,
              output.handle(directEntry: enter, exit: exit) else { return false }
        backpressure?.recordHandled()
        backpressure?.recordHandled()
        records += 2
        if let callLimit, output.returnedCalls >= callLimit { limitReached = true }
        return true
    }

    /// Calls go the pairing stage's direct path (printed from their records' bytes) once the
    /// gate is open, when the outputs can print that way and no stage needs decoded records
    /// (-k's symbolizer).
    private var direct = false

    private func process(_ bytes: UnsafeRawBufferPointer) {
        saved?.append(bytes)
        if outputless && symbolizer == nil {
            records += 1
            return
        }
        if direct && !limitReached && output.handle(direct: bytes) {
            records += 1
            if let callLimit, output.returnedCalls >= callLimit { limitReached = true }
            return
        }
        if let symbolizer, bytes.count >= 2, bytes.load(as: UInt16.self) == MappingRecord.recordType {
            // -k's reports of mapped files feed the symbolizer only; no line shows them.
            do {
                if let m = try MappingRecord.decode(bytes) { symbolizer.noteMapping(m) }
            } catch {
                malformed += 1
            }
            return
        }
        var record: Record
        do {
            record = try RecordParser.decode(bytes)
        } catch {
            malformed += 1
            if session.options.debug && malformed <= 5 {
                session.errorOutput.write("cgtrace: malformed record (\(error)): \(bytes.prefix(96).map { String($0, radix: 16) }.joined(separator: " "))\n")
            }
            return
        }
        records += 1
        if limitReached { return }
        if let symbolizer, case .fork(let f) = record { symbolizer.noteFork(parent: f.header.pid, child: f.childPid) }
        guard admit(record) else { return }
        // (The gate stays open once it has opened.)
        if !direct && symbolizer == nil && output.takesRecordBytes { direct = true }
        var processGone: UInt32?
        if let symbolizer {
            if case .enter(var e) = record, let snapshot = e.stackSnapshot {
                // Now, not when the line prints: an exec or exit in between changes the mappings.
                e.stack = symbolizer.frames(pid: e.header.pid, snapshot: snapshot)
                record = .enter(e)
            }
            if case .taskExit(let x) = record, x.groupDead { processGone = x.header.pid }
        }
        // Moved on (a use of `record` after this line made it a copy, arrays retained).
        output.handle(consume record)
        // strace counts a call once it returns (a new task's return from clone is not a call).
        if let callLimit, output.returnedCalls >= callLimit { limitReached = true }
        if let symbolizer, let processGone { symbolizer.processExited(processGone) }
    }

    /// Drain the ring, close the outputs with the loss counts, report them, detach.
    func finish(probes: ProbeSession) {
        _ = probes.drain(handle, pairs: handlePair)
        // The hole at the very end: records dropped after the last one that got through.
        if let bytes = probes.pendingLoss() {
            let header = RecordHeader(type: UInt16(CGT_REC_LOST.rawValue), size: 0, cpu: 0, pid: 0, tid: 0,
                                      timestamp: 0, sequence: 0)
            let lost = bytes.withUnsafeBytes { RecordParser.lostRecords(header: header, $0, at: 0) }
            output.handle(.lost(lost))
            // Saved as the ring would have carried it, so that a replay prints the same hole.
            if let saved {
                var record = [UInt8](repeating: 0, count: MemoryLayout<cgt_header>.size)
                let size = UInt16(record.count + bytes.count)
                record.withUnsafeMutableBytes { raw in
                    raw.storeBytes(of: UInt16(CGT_REC_LOST.rawValue), toByteOffset: 0, as: UInt16.self)
                    raw.storeBytes(of: size, toByteOffset: 2, as: UInt16.self)
                    raw.storeBytes(of: UInt16(0), toByteOffset: 4, as: UInt16.self)
                }
                saved.append(record + bytes)
            }
        }
        output.releaseHeldEntry()
        malformed += output.malformedHeld
        let counters = probes.counters()
        output.finish(losses: TraceLosses(lostRecords: counters.lost, malformedRecords: UInt64(malformed),
                                          truncatedCaptures: counters.truncated))
        if let saved {
            do {
                try saved.finish(end: TraceFileFields([("lost", String(counters.lost)), ("truncated", String(counters.truncated))]))
            } catch {
                session.errorOutput.write("cgtrace: \(error.description)\n")
            }
        }
        session.report(probes: probes, malformed: malformed)
        if session.options.stats { session.reportStatistics(probes: probes, records: records, directCalls: output.directCalls,
                                                                 backpressure: backpressure) }
        probes.close()
    }
}
