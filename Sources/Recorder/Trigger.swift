import Beautifiers
import CgtraceABI
import Formatters
import Syscalls

/// `cgtrace record --trigger SPEC`: the incidents that make a recording keep its window.
///
/// SPEC is one or more items separated by spaces or `;` (and --trigger may be repeated):
/// `signal=SIGSEGV,SIGABRT,…` (delivered with its default action, i.e. fatal), `exit=nonzero`,
/// `errno=ENOSPC,…` with optional `syscall=NAME,…`, and `oom`. Checked in the kernel; the
/// first one to happen wins.
public struct TriggerSpec: Sendable, Equatable {
    public var signals: Set<Int> = []
    public var exitNonzero = false
    public var errnos: Set<Int> = []
    /// The calls an errno trigger watches; nil: every call.
    public var syscalls: Set<Int>?
    public var oom = false
    /// --after N: records kept after the triggering one (nil: a quarter of a CPU's slots).
    public var after: UInt64?

    public init() {}

    public var isEmpty: Bool { signals.isEmpty && !exitNonzero && errnos.isEmpty && !oom }

    /// Add the items of one --trigger argument.
    public mutating func parse(_ text: String, table: SyscallTable) throws(RecorderError) {
        func bad(_ why: String) -> RecorderError {
            RecorderError("invalid --trigger '\(text)': \(why)", exitCode: RecorderExit.usage)
        }
        let items = text.split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init)
        guard !items.isEmpty else { throw bad("empty") }
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts[0]
            let values = parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : []
            if parts.count > 1 && values.isEmpty { throw bad("\(key)= needs a value") }
            switch key {
            case "signal":
                guard !values.isEmpty else { throw bad("signal= needs signal names (signal=SIGSEGV,SIGABRT)") }
                for v in values {
                    guard let n = Self.signalNumber(v) else { throw bad("unknown signal '\(v)'") }
                    signals.insert(n)
                }
            case "exit":
                guard values == ["nonzero"] else { throw bad("exit= takes 'nonzero'") }
                exitNonzero = true
            case "errno":
                guard !values.isEmpty else { throw bad("errno= needs errno names (errno=ENOSPC,EIO)") }
                for v in values {
                    guard let n = Self.errnoNumber(v) else { throw bad("unknown errno '\(v)'") }
                    errnos.insert(n)
                }
            case "syscall":
                guard !values.isEmpty else { throw bad("syscall= needs syscall names") }
                var set = syscalls ?? []
                for v in values {
                    guard let n = table.number(named: v) else { throw bad("unknown syscall '\(v)'") }
                    set.insert(n)
                }
                syscalls = set
            case "oom":
                guard values.isEmpty else { throw bad("oom takes no value") }
                oom = true
            default:
                throw bad("unknown trigger '\(key)' (signal=, exit=nonzero, errno=, syscall=, oom)")
            }
        }
    }

    /// After every --trigger was parsed: syscall= only narrows errno=.
    public func validate() throws(RecorderError) {
        if syscalls != nil && errnos.isEmpty {
            throw RecorderError("--trigger syscall= narrows an errno= trigger; give errno= too", exitCode: RecorderExit.usage)
        }
    }

    /// `SIGSEGV`, `SEGV` or a number.
    public static func signalNumber(_ text: String) -> Int? {
        if let n = Int(text) { return (1...64).contains(n) ? n : nil }
        let name = text.uppercased().hasPrefix("SIG") ? text.uppercased() : "SIG" + text.uppercased()
        return (1...64).first { Tables.signalName($0) == name }
    }

    /// `ENOSPC` or a number.
    public static func errnoNumber(_ text: String) -> Int? {
        if let n = Int(text) { return (1...255).contains(n) ? n : nil }
        return (1...255).first { Tables.errnoNames.name(for: UInt64($0)) == text.uppercased() }
    }

    /// The kernel's settings (.rodata `trigger_cfg`).
    public func kernelConfig(slotsPerCPU: UInt32) -> cgt_trigger_config {
        var c = cgt_trigger_config()
        guard !isEmpty else { return c }
        var kinds: UInt32 = 0
        if !signals.isEmpty { kinds |= 1 << CGT_TRIG_SIGNAL.rawValue }
        if exitNonzero { kinds |= 1 << CGT_TRIG_EXIT.rawValue }
        if !errnos.isEmpty { kinds |= 1 << CGT_TRIG_ERRNO.rawValue }
        if oom { kinds |= 1 << CGT_TRIG_OOM.rawValue }
        c.kinds = kinds
        c.after = after ?? Self.defaultAfter(slotsPerCPU: slotsPerCPU)
        for s in signals { c.signals |= 1 << UInt64(s - 1) }
        withUnsafeMutableBytes(of: &c.errnos) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for e in errnos { words[e / 64] |= 1 << UInt64(e % 64) }
        }
        withUnsafeMutableBytes(of: &c.syscalls) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            if let syscalls {
                for n in syscalls where n < Int(CGT_MAX_SYSCALLS) { words[n / 64] |= 1 << UInt64(n % 64) }
            } else {
                for i in words.indices { words[i] = ~0 }
            }
        }
        return c
    }

    /// A quarter of one CPU's slots: the incident's CPU keeps three quarters of what led to it
    /// even if everything after it happens on that CPU too.
    public static func defaultAfter(slotsPerCPU: UInt32) -> UInt64 { UInt64(max(slotsPerCPU / 4, 1)) }

    /// As `cgtrace list` shows what a recording waits for.
    public func description(table: SyscallTable) -> String {
        var parts: [String] = []
        if !signals.isEmpty { parts.append("signal=" + signals.sorted().map { Tables.signalName($0) }.joined(separator: ",")) }
        if exitNonzero { parts.append("exit=nonzero") }
        if !errnos.isEmpty {
            parts.append("errno=" + errnos.sorted().map { Tables.errnoNames.name(for: UInt64($0)) ?? String($0) }.joined(separator: ","))
        }
        if let syscalls {
            parts.append("syscall=" + syscalls.sorted().map { table[$0]?.name ?? String($0) }.joined(separator: ","))
        }
        if oom { parts.append("oom") }
        return parts.joined(separator: " ")
    }
}

/// What a fired trigger recorded (the pinned `trigger_state`), as text and JSON.
public struct TriggerReport: Sendable {
    public var state: cgt_trigger_state

    public init?(_ state: cgt_trigger_state) {
        guard state.fired != 0 else { return nil }
        self.state = state
    }

    public var kind: String {
        switch state.fired {
        case CGT_TRIG_SIGNAL.rawValue: "signal"
        case CGT_TRIG_EXIT.rawValue: "exit"
        case CGT_TRIG_ERRNO.rawValue: "errno"
        case CGT_TRIG_OOM.rawValue: "oom"
        default: "unknown"
        }
    }

    /// `SIGSEGV delivered to pid 4242`, `pid 4242 exited with 1`, `write failed with ENOSPC in pid 4242`.
    public func reason(formats: SyscallFormats) -> String {
        let who = state.pid == state.tid ? "pid \(state.pid)" : "pid \(state.pid) (tid \(state.tid))"
        switch state.fired {
        case CGT_TRIG_SIGNAL.rawValue:
            return "\(Tables.signalName(Int(state.value))) delivered to \(who)"
        case CGT_TRIG_EXIT.rawValue:
            let status = UInt32(bitPattern: state.value)
            let sig = Int(status & 0x7f)
            return sig != 0 ? "\(who) killed by \(Tables.signalName(sig))" : "\(who) exited with \((status >> 8) & 0xff)"
        case CGT_TRIG_ERRNO.rawValue:
            let name = Tables.errnoNames.name(for: UInt64(state.value)) ?? String(state.value)
            return "\(formats[Int(state.nr)].name) failed with \(name) in \(who)"
        case CGT_TRIG_OOM.rawValue:
            return "the OOM killer chose \(who)"
        default:
            return "trigger \(state.fired) in \(who)"
        }
    }

    /// `triggered at 05:31:02.123456: SIGSEGV delivered to pid 4242; kept 1024 events after it, 37 later not recorded`
    public func text(formats: SyscallFormats, clock: WallClock, after: UInt64) -> String {
        let at = TimingText.timestamp(.microseconds, wallNs: clock.wallNs(state.ts)).trimmingSuffixSpace
        var line = "triggered at \(at): \(reason(formats: formats))"
        if state.stopped != 0 {
            line += "; kept \(after) events after it, then stopped"
            if state.dropped > 0 { line += " (\(state.dropped) later events not recorded)" }
        } else {
            line += "; recording \(max(state.left, 0)) more events before overwriting stops"
        }
        return line
    }

    /// One JSON object (no newline).
    public func json(formats: SyscallFormats, clock: WallClock, after: UInt64) -> String {
        var o = "{\"type\":\"trigger\",\"reason\":\"\(kind)\",\"pid\":\(state.pid),\"tid\":\(state.tid)"
        let wall = clock.wallNs(state.ts)
        o += ",\"ts\":\(TimingText.timestamp(.epoch, wallNs: wall).trimmingSuffixSpace)"
        switch state.fired {
        case CGT_TRIG_SIGNAL.rawValue: o += ",\"signal\":\"\(Tables.signalName(Int(state.value)))\""
        case CGT_TRIG_EXIT.rawValue: o += ",\"status\":\(UInt32(bitPattern: state.value))"
        case CGT_TRIG_ERRNO.rawValue:
            o += ",\"errno\":\"\(Tables.errnoNames.name(for: UInt64(state.value)) ?? String(state.value))\",\"syscall\":\"\(formats[Int(state.nr)].name)\""
        default: break
        }
        o += ",\"stopped\":\(state.stopped != 0),\"kept_after\":\(after),\"not_recorded\":\(state.dropped)}"
        return o
    }
}

extension String {
    var trimmingSuffixSpace: String { hasSuffix(" ") ? String(dropLast()) : self }
}
