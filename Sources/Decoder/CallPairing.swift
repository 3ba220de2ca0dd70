import Syscalls

// The one place where a syscall's entry and exit records become one call. Every output (strace
// text, JSON lines, Perfetto, -c, the thread summary) and every filter in front of them (-P,
// the recorder's status/latency filter) sees calls through this stage, so what "the same call",
// "a lost half", "killed" and "failed" mean is decided once.
//
//     records ──▶ CallPairing ──▶ [filters] ──▶ outputs (CallOutput)
//                  entered / ended (returned, killed, exit lost, unfinished) / other records

/// Something that turns the decoded record stream into output, in arrival order, and then hears
/// once what the kernel could not deliver. The pairing stage is the one the tracer feeds.
public protocol TraceOutput: AnyObject {
    /// Taken, not borrowed: a call's entry is kept until its exit comes, and moving the record
    /// in saves a copy of its arrays per record.
    func handle(_ record: consuming Record)
    func finish(losses: TraceLosses)
}

/// What the outputs are fed by the pairing stage: calls as they start and end, and every record
/// that is not half of a call (signals, task exits, forks, execs, holes, pid namespaces).
public protocol CallOutput: AnyObject {
    /// A call began. Its entry stays with the pairing stage (`calls.entry(of:)`) until
    /// `callEnded` hands it over; the strace text needs it only if another task interrupts.
    func callEntered(_ header: RecordHeader, calls: OpenCalls)
    /// A call ended, one way or another (`CompletedCall.Ending`), with what is known of both halves.
    func callEnded(_ call: consuming CompletedCall)
    /// A call's exit came and matched its entry: most calls end so. The halves are handed over as
    /// they are; an output that formats straight from them (the strace text) saves building and
    /// moving a `CompletedCall` per call (measured: ~20 % of the text consumer). By default it
    /// is one. `exit.killed`: the task died in the call.
    func callReturned(enter: consuming SyscallEnter, exit: consuming SyscallExit, frozenNs: UInt64)
    /// A record that is not a syscall's entry or exit.
    func other(_ record: consuming Record)
    func finish(losses: TraceLosses)
}

extension CallOutput {
    public func callReturned(enter: consuming SyscallEnter, exit: consuming SyscallExit, frozenNs: UInt64) {
        let h = exit.header
        let (number, killed, start) = (exit.number, exit.killed, enter.header.timestamp)
        // (Wrapped as Optionals by `consume`: the implicit conversion copied both halves.)
        callEnded(CompletedCall(pid: h.pid, tid: h.tid, cpu: h.cpu, number: number, enter: .some(consume enter),
                                exit: .some(consume exit), ending: killed ? .killed : .returned, startNs: start,
                                endNs: h.timestamp, frozenNs: frozenNs))
    }
}

/// What tracing could not show, counted where it happened (reported, never dropped silently).
public struct TraceLosses: Sendable, Equatable {
    /// Records the kernel dropped because the ring buffer was full.
    public var lostRecords: UInt64 = 0
    /// Records that arrived but did not decode.
    public var malformedRecords: UInt64 = 0
    /// Captures cut at the record size limit.
    public var truncatedCaptures: UInt64 = 0
    /// Damaged parts of a saved trace that could not be read (replay): their records are missing.
    public var damagedParts: UInt64 = 0

    public init(lostRecords: UInt64 = 0, malformedRecords: UInt64 = 0, truncatedCaptures: UInt64 = 0, damagedParts: UInt64 = 0) {
        self.lostRecords = lostRecords
        self.malformedRecords = malformedRecords
        self.truncatedCaptures = truncatedCaptures
        self.damagedParts = damagedParts
    }

    /// Under a summary table (-c, --thread-summary): the calls in lost records are not in it.
    public var summaryFootnote: String {
        var note = ""
        if lostRecords > 0 {
            note += "!!! lost \(lostRecords) events (ring buffer full): the calls in them are not counted above\n"
        }
        if damagedParts > 0 {
            note += "!!! lost events in \(damagedParts) damaged \(damagedParts == 1 ? "part" : "parts") of the saved trace: the calls in them are not counted above\n"
        }
        return note
    }
}

/// One syscall as the outputs see it: whatever is known of its entry and exit.
public struct CompletedCall {
    public enum Ending: String, Sendable {
        /// Entry and exit both seen (or only the exit, if the entry record was lost).
        case returned
        /// The task died before the call returned to it (exit_group, a fatal signal).
        case killed
        /// Still in progress when tracing stopped.
        case unfinished
        /// Its exit record was lost (ring buffer full): the thread's next record came instead.
        case exitLost = "exit_lost"
    }

    public var pid: UInt32
    public var tid: UInt32
    public var cpu: UInt16
    public var number: Int
    public var enter: SyscallEnter?
    public var exit: SyscallExit?
    public var ending: Ending
    /// Monotonic ns when the call started (0 if unknown) and when it ended or was abandoned.
    public var startNs: UInt64
    public var endNs: UInt64
    /// The stamp of the record that ended the call here (its exit, the thread's next entry, its
    /// task's exit; the last record seen for a call still open at the end). The strace text
    /// dates the lines it prints then by it.
    public var observedNs: UInt64
    /// The entry record was lost: only the exit (and its out-parameters) is known. (Stored:
    /// testing `enter == nil` copied the entry, arrays and all, for every JSON event.)
    public let enterLost: Bool
    /// -k: the entry's stack has frames.
    public let hasStack: Bool

    public init(pid: UInt32, tid: UInt32, cpu: UInt16, number: Int, enter: consuming SyscallEnter?, exit: consuming SyscallExit?,
                ending: Ending, startNs: UInt64, endNs: UInt64, observedNs: UInt64? = nil, frozenNs: UInt64 = 0) {
        self.pid = pid
        self.tid = tid
        self.cpu = cpu
        self.number = number
        // Switched on, consumed: `enter == nil` copied the entry, arrays and all.
        switch consume enter {
        case .some(let e):
            enterLost = false
            hasStack = !e.stack.isEmpty
            self.enter = e
        case .none:
            enterLost = true
            hasStack = false
            self.enter = nil
        }
        self.exit = exit
        self.ending = ending
        self.startNs = startNs
        self.endNs = endNs
        self.observedNs = observedNs ?? endNs
        self.frozenNs = frozenNs
    }

    /// What is known of a call whose halves an output keeps apart (moved into its printers'
    /// view instead): `enter` and `exit` are nil here without meaning the entry was lost.
    public init(pid: UInt32, tid: UInt32, cpu: UInt16, number: Int, enterLost: Bool, hasStack: Bool, ending: Ending,
                startNs: UInt64, endNs: UInt64, frozenNs: UInt64) {
        self.pid = pid
        self.tid = tid
        self.cpu = cpu
        self.number = number
        self.enterLost = enterLost
        self.hasStack = hasStack
        self.enter = nil
        self.exit = nil
        self.ending = ending
        self.startNs = startNs
        self.endNs = endNs
        self.observedNs = endNs
        self.frozenNs = frozenNs
    }

    /// Time the traced cgroup spent frozen during the call (lossless mode): not the call's.
    public var frozenNs: UInt64 = 0

    public var durationNs: UInt64? { Self.duration(startNs: startNs, endNs: endNs, frozenNs: frozenNs) }

    /// A call's time less what its cgroup spent frozen; nil when its start is unknown.
    public static func duration(startNs: UInt64, endNs: UInt64, frozenNs: UInt64) -> UInt64? {
        startNs == 0 || endNs < startNs ? nil : endNs - startNs - min(frozenNs, endNs - startNs)
    }

    /// The frozen time in a call: lossless mode moves the exit's copy of the entry's stamp
    /// (`enter_ts`) past the time its cgroup was frozen, so it is the difference of the two.
    public static func frozenNs(enterStamp: UInt64, exitsEnterStamp: UInt64) -> UInt64 {
        exitsEnterStamp > enterStamp ? exitsEnterStamp - enterStamp : 0
    }

    /// `durationNs` of the call whose records these are (the direct paths' calls).
    public static func durationNs(enter: RecordView, exit: RecordView) -> UInt64? {
        let start = enter.timestamp
        return duration(startNs: start, endNs: exit.timestamp,
                        frozenNs: frozenNs(enterStamp: start, exitsEnterStamp: exit.enterTimestamp))
    }

    /// It returned a failure (-errno). A call without a return (killed, lost, unfinished) did not.
    public var failed: Bool { ending == .returned && exit.map { SyscallResult.isError($0.ret) } == true }
}

/// The calls in progress, per thread, as the pairing stage holds them.
public final class OpenCalls {
    fileprivate var calls = PendingCalls<SyscallEnter>()

    /// The entry of `tid`'s call in progress (a copy: for the rare lines that need it early).
    public func entry(of tid: UInt32) -> SyscallEnter? { calls[tid] }

    /// Whether `tid` has a call in progress. (Its fields read in place: calling a method of
    /// `calls` copied the whole generic struct, entries and dictionary retained, per call.)
    func hasCall(_ tid: UInt32) -> Bool {
        calls.slotKey == tid || (!calls.others.isEmpty && calls.others.index(forKey: tid) != nil)
    }
}

/// Pairs each thread's entry and exit records into calls and hands them to `next`.
///
/// Pairing is by the per-thread call counter the probes stamp on both halves (and the syscall
/// number), so a lost record shows as a call with one side missing, never as two calls glued
/// together:
/// - an entry while the thread's previous call is open: that call's exit was lost (`exitLost`);
/// - an exit that does not match the open entry: the entry is `exitLost`, the exit a call whose
///   entry is unknown (`enterLost`, or call 0: it began before tracing did);
/// - a task's exit with a call open: the call was `killed`, as is an exit the kernel flags killed;
/// - at the end, calls still open are `unfinished`, or `exitLost` if a hole since the call began
///   names their thread (its exit was in the hole).
/// A new thread's first record is the return of the clone that made it; that call is the
/// parent's (as strace shows it), so it is no call of its own and nothing is emitted.
public final class CallPairing: TraceOutput {
    public let open = OpenCalls()
    private let next: CallOutput
    private let isForkLike: (Int) -> Bool
    /// The newest stamp seen: calls still open at the end end then.
    private var lastTime: UInt64 = 0
    /// Calls that returned (or whose task died in them) so far: what strace's --syscall-limit counts.
    public private(set) var returnedCalls = 0
    /// Threads a hole names whose call was open and entered before the hole's last drop: that
    /// call's exit was in the hole if nothing of theirs comes after it (a hole at the very end:
    /// `exitLost`, not `unfinished`).
    private var holed: Set<UInt32> = []

    /// `next`, if it prints calls straight from their records (the strace text or JSON alone).
    /// (Unmanaged: `next` keeps it alive.)
    private let direct: Unmanaged<DirectCallOutput>?
    /// The entry kept back while the direct path waits to see whether its exit comes next.
    private var held: HeldEntry
    /// Held entries that did not decode when they went the general way (never expected: a held
    /// record passed the decoder's checks; counted, not dropped silently).
    public private(set) var malformedHeld = 0
    /// Calls printed by the direct path (--stats reports them).
    public private(set) var directCalls = 0
    /// Syscalls the output keeps refusing (-y's descriptor paths ride on every fd argument):
    /// not held back for a while, instead of copied, refused and decoded every time.
    private var refusals = DirectRefusals()

    public init(isForkLike: @escaping (Int) -> Bool, next: CallOutput) {
        self.isForkLike = isForkLike
        self.next = next
        direct = (next as? DirectCallOutput).map { Unmanaged.passUnretained($0) }
        // (No buffer where nothing prints directly: replays, dumps, the other outputs.)
        held = HeldEntry(capacity: direct == nil ? 0 : 1 << 16)
    }


    /// Whether `handle(direct:)` can take records at all.
    public var takesRecordBytes: Bool { direct?._withUnsafeGuaranteedRef { $0.printsAnyDirectly } ?? false }

    /// The direct path: a record as it lies in the ring. Returns true if it was taken (an entry
    /// held back, or a call printed with its held entry); false if the caller must decode it
    /// and `handle` it (any held entry went ahead of it, decoded, so the order is kept).
    ///
    /// Only the commonest case goes direct: a thread's exit right after its entry. Everything
    /// else (another task's record in between, a hole, a call the output cannot print
    /// directly) is the general path's, which decides what strace shows.
    public func handle(direct bytes: UnsafeRawBufferPointer) -> Bool {
        guard let direct, let record = RecordView(validating: bytes) else {
            release()
            return false
        }
        if record.isEnter {
            release()
            // (Other threads' calls may be open: the output decides whether they are in the way.)
            // (A thread a hole names goes the general way until it is heard from again.)
            guard mayOffer(record), !refusals.skips(record.number),
                  direct._withUnsafeGuaranteedRef({ $0.printsDirectly(number: record.number) }) else { return false }
            return held.hold(record)
        }
        guard let enter = held.view else { return false }
        if Self.closes(enter, record) {
            guard direct._withUnsafeGuaranteedRef({ $0.callReturnedDirectly(enter: enter, exit: record) }) else {
                refusals.refused(record.number)
                release()
                return false
            }
            _ = held.take()
            printedDirectly(enter, record)
            return true
        }
        release()
        return false
    }

    /// Whether an entry's thread lets its call go the direct way. (Other threads' calls may be
    /// open: the output decides whether they are in the way. A thread a hole names goes the
    /// general way until it is heard from again.)
    private func mayOffer(_ enter: RecordView) -> Bool {
        (holed.isEmpty || !holed.contains(enter.tid)) && !open.hasCall(enter.tid)
    }

    /// `exit` returns from the call `enter` began, alive (a killed call ends `= ?`, the general
    /// path's).
    private static func closes(_ enter: RecordView, _ exit: RecordView) -> Bool {
        enter.tid == exit.tid && enter.call == exit.call && enter.number == exit.number && !exit.killed
    }

    /// What `handle` would have noted of a call printed straight from its two records.
    private func printedDirectly(_ enter: RecordView, _ exit: RecordView) {
        refusals.printed(exit.number)
        directCalls += 1
        let now = max(enter.timestamp, exit.timestamp)
        if now > lastTime { lastTime = now }
        returnedCalls += 1
    }

    /// A record's bytes, as the live tracer takes them without its gate and -k: the direct path
    /// first, decoded and handled otherwise (replays and dumps decode every record instead).
    public func handle(bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        if handle(direct: bytes) { return }
        handle(try RecordParser.decode(bytes))
    }

    /// A call's entry and its exit side by side (a joined call, as the ring reader makes it
    /// whole): printed at once, without holding a copy of the entry, when `handle(direct:)`
    /// given the two in turn would print them. False: nothing was done or noted, and the caller
    /// hands them on one by one.
    public func handle(directEntry enterBytes: UnsafeRawBufferPointer, exit exitBytes: UnsafeRawBufferPointer) -> Bool {
        guard let direct, held.view == nil, let enter = RecordView(validating: enterBytes), enter.isEnter,
              let exit = RecordView(validating: exitBytes), !exit.isEnter, Self.closes(enter, exit), mayOffer(enter),
              !refusals.paused(enter.number),  // (its skips are counted one by one, in `handle(direct:)`)
              direct._withUnsafeGuaranteedRef({ $0.printsDirectly(number: enter.number) && $0.callReturnedDirectly(enter: enter, exit: exit) })
        else { return false }
        printedDirectly(enter, exit)
        return true
    }

    /// A held entry goes the general way now (`finish` does this too).
    public func releaseHeldEntry() { release() }

    /// A held entry goes the general way (before whatever comes next).
    private func release() {
        guard let enter = held.take() else { return }
        do {
            handle(try RecordParser.decode(enter.recordBytes))
        } catch {
            malformedHeld += 1
        }
    }

    /// No output is fed (--write alone): the records need not be decoded at all.
    public var feedsNothing: Bool { (next as? FanOut)?.outputs.isEmpty ?? false }

    public func handle(_ record: consuming Record) {
        // (A held entry came first.)
        if held.view != nil { release() }
        // (Each case reads its own header: `record.header` copied the whole record first.)
        switch consume record {
        case .enter(let e):
            let header = e.header
            let now = header.timestamp
            if now > lastTime { lastTime = now }
            if !holed.isEmpty { holed.remove(header.tid) }
            // A thread enters a call only after its last one returned: that exit was lost.
            if let old = open.calls.removeValue(forKey: header.tid) {
                next.callEnded(abandoned(old, of: header.tid, at: now, .exitLost))
            }
            open.calls.insert(consume e, forKey: header.tid)
            next.callEntered(header, calls: open)
        case .exit(let x):
            exited(consume x)
        case .taskExit(let t):
            let now = t.header.timestamp
            if now > lastTime { lastTime = now }
            if !holed.isEmpty { holed.remove(t.header.tid) }
            if let p = open.calls.removeValue(forKey: t.header.tid) { next.callEnded(abandoned(p, of: t.header.tid, at: now, .killed)) }
            next.other(.taskExit(t))
        case .exec(let x):
            if x.header.timestamp > lastTime { lastTime = x.header.timestamp }
            // A non-leader thread's execve completes as the leader (the kernel changes its tid).
            if x.oldTid != x.header.tid, let p = open.calls.removeValue(forKey: x.oldTid) {
                open.calls.insert(p, forKey: x.header.tid)
                if holed.remove(x.oldTid) != nil { holed.insert(x.header.tid) }
            }
            next.other(.exec(x))
        case .lost(let l):
            if l.header.timestamp > lastTime { lastTime = l.header.timestamp }
            // Only the threads it names (with more, the rest may have been blocked all along),
            // and only a call entered before its last drop (a newer one may precede the marker).
            for tid in l.tids where (open.calls[tid]?.header.timestamp ?? .max) <= l.lastTimestamp { holed.insert(tid) }
            next.other(.lost(l))
        case .damaged(let d):
            if d.header.timestamp > lastTime { lastTime = d.header.timestamp }
            // Any thread may have lost records in a damaged part of a saved trace.
            for tid in open.calls.keys { holed.insert(tid) }
            next.other(.damaged(d))
        case let other:
            if other.header.timestamp > lastTime { lastTime = other.header.timestamp }
            next.other(other)
        }
    }

    private func exited(_ x: consuming SyscallExit) {
        let tid = x.header.tid
        let now = x.header.timestamp
        if now > lastTime { lastTime = now }
        if !holed.isEmpty { holed.remove(tid) }
        if x.call == 0 && open.calls[tid] == nil && isForkLike(x.number) { return }
        returnedCalls += 1
        // (The entry bound from the removed value and moved on, never tested as an Optional:
        // `enter == nil` and its kin copied it, arrays and all, through generic value witnesses.)
        if let e = open.calls.removeValue(forKey: tid) {
            if e.call == x.call && e.number == x.number {
                let frozen = CompletedCall.frozenNs(enterStamp: e.header.timestamp, exitsEnterStamp: x.enterTimestamp)
                return next.callReturned(enter: consume e, exit: consume x, frozenNs: frozen)
            }
            next.callEnded(abandoned(e, of: tid, at: now, .exitLost))
        }
        // The entry is unknown: lost, or made before tracing began (call 0).
        let h = x.header
        let (number, killed, start) = (x.number, x.killed, x.enterTimestamp)
        next.callEnded(CompletedCall(pid: h.pid, tid: tid, cpu: h.cpu, number: number, enter: nil, exit: x,
                                     ending: killed ? .killed : .returned, startNs: start, endNs: now))
    }

    /// Calls still open end as `unfinished` (oldest first), or `exitLost` on a thread that lost
    /// records after the call began, then the outputs finish.
    public func finish(losses: TraceLosses) {
        release()
        var still: [(tid: UInt32, enter: SyscallEnter)] = []
        for tid in open.calls.keys { if let e = open.calls.removeValue(forKey: tid) { still.append((tid, e)) } }
        still.sort { $0.enter.header.timestamp != $1.enter.header.timestamp
            ? $0.enter.header.timestamp < $1.enter.header.timestamp : $0.tid < $1.tid }
        for (tid, e) in still {
            let ending: CompletedCall.Ending = holed.contains(tid) ? .exitLost : .unfinished
            next.callEnded(abandoned(e, of: tid, at: max(lastTime, e.header.timestamp), ending, observed: lastTime))
        }
        next.finish(losses: losses)
    }

    /// `tid`: the thread the call is open on now (an exec by a thread moves its call to the leader's tid).
    private func abandoned(_ e: consuming SyscallEnter, of tid: UInt32, at end: UInt64, _ ending: CompletedCall.Ending,
                           observed: UInt64? = nil) -> CompletedCall {
        let h = e.header
        return CompletedCall(pid: h.pid, tid: tid, cpu: h.cpu, number: e.number, enter: e, exit: nil,
                             ending: ending, startNs: h.timestamp, endNs: max(end, h.timestamp), observedNs: observed ?? end)
    }
}

/// Several outputs fed from one pairing stage (e.g. strace text plus a Perfetto file, or -C's
/// text and table). The direct path feeds it as it feeds one output when every output prints
/// from records and at most one of them may refuse a call: that one is asked first, the
/// others (summaries, `neverRefuses`) only once it has printed. Otherwise it prints nothing
/// directly, and every call comes the general way.
public final class FanOut: DirectCallOutput, CallOutput {
    public let outputs: [CallOutput]
    /// The outputs as the direct path asks them (nil: not all of them can be).
    private let lead: Unmanaged<DirectCallOutput>?
    private let rest: [Unmanaged<DirectCallOutput>]

    public init(_ outputs: [CallOutput]) {
        self.outputs = outputs
        let direct = outputs.compactMap { $0 as? DirectCallOutput }
        if !direct.isEmpty, direct.count == outputs.count, direct.filter({ !$0.neverRefuses }).count <= 1 {
            let first = direct.firstIndex { !$0.neverRefuses } ?? 0
            lead = Unmanaged.passUnretained(direct[first])
            rest = direct.indices.filter { $0 != first }.map { Unmanaged.passUnretained(direct[$0]) }
        } else {
            (lead, rest) = (nil, [])
        }
        super.init()
    }

    override public func printsDirectly(number: Int) -> Bool {
        guard let lead else { return false }
        return lead._withUnsafeGuaranteedRef { $0.printsDirectly(number: number) }
            && rest.allSatisfy { $0._withUnsafeGuaranteedRef { $0.printsDirectly(number: number) } }
    }
    override public var printsAnyDirectly: Bool {
        guard let lead else { return false }
        return lead._withUnsafeGuaranteedRef { $0.printsAnyDirectly }
            && rest.allSatisfy { $0._withUnsafeGuaranteedRef { $0.printsAnyDirectly } }
    }
    override public var neverRefuses: Bool { lead?._withUnsafeGuaranteedRef { $0.neverRefuses } ?? false }
    override public func callReturnedDirectly(enter: RecordView, exit: RecordView) -> Bool {
        guard let lead, lead._withUnsafeGuaranteedRef({ $0.callReturnedDirectly(enter: enter, exit: exit) }) else {
            return false
        }
        for o in rest { _ = o._withUnsafeGuaranteedRef { $0.callReturnedDirectly(enter: enter, exit: exit) } }
        return true
    }

    public func callEntered(_ header: RecordHeader, calls: OpenCalls) {
        for o in outputs { o.callEntered(header, calls: calls) }
    }
    public func callEnded(_ call: consuming CompletedCall) { for o in outputs { o.callEnded(copy call) } }
    public func other(_ record: consuming Record) { for o in outputs { o.other(copy record) } }
    public func finish(losses: TraceLosses) { for o in outputs { o.finish(losses: losses) } }
}

/// A direct output that takes every call it is offered and prints none (the summaries, which
/// count): `neverRefuses`, so a `FanOut` can feed it beside the strace text or JSON.
open class EveryCallDirectly: DirectCallOutput {
    override public init() { super.init() }
    override open func printsDirectly(number: Int) -> Bool { true }
    override open var printsAnyDirectly: Bool { true }
    override open var neverRefuses: Bool { true }
}

/// Per syscall number, how often the direct output refused a call in a row. After 8, calls of
/// that syscall are not offered for the next 248 (then it is tried again: a refusal may have
/// been for the moment, another thread's call not yet shown `<unfinished ...>`).
struct DirectRefusals: ~Copyable {
    /// By syscall number (a pointer: the array it was cost a retain and a release per call).
    private let counts: UnsafeMutablePointer<UInt8>
    private static let size = 512

    init() {
        counts = .allocate(capacity: Self.size)
        counts.initialize(repeating: 0, count: Self.size)
    }

    deinit { counts.deallocate() }

    /// Whether this syscall is being skipped now (nothing counted).
    func paused(_ number: Int) -> Bool {
        number >= 0 && number < Self.size && counts[number] >= 8
    }

    /// Whether to skip this call (counting the skip).
    mutating func skips(_ number: Int) -> Bool {
        guard number >= 0 && number < Self.size, counts[number] >= 8 else { return false }
        counts[number] &+= 1  // wraps to 0 after 248 skips: offered again
        return true
    }

    mutating func refused(_ number: Int) {
        if number >= 0 && number < Self.size && counts[number] < 8 { counts[number] += 1 }
    }

    mutating func printed(_ number: Int) {
        if number >= 0 && number < Self.size && counts[number] != 0 { counts[number] = 0 }
    }
}
