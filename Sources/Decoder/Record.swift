import CgtraceABI

/// Why a record could not be decoded. The tracer counts these and goes on; nothing traps.
public enum DecodeError: Error, Equatable, CustomStringConvertible, Sendable {
    case truncated(needed: Int, have: Int)
    case badSize(declared: Int, have: Int)
    case unknownType(UInt16)
    case badCapture(offset: Int)

    public var description: String {
        switch self {
        case let .truncated(needed, have): return "record truncated: needs \(needed) bytes, has \(have)"
        case let .badSize(declared, have): return "record declares \(declared) bytes but \(have) arrived"
        case let .unknownType(t): return "unknown record type \(t)"
        case let .badCapture(offset): return "malformed capture at byte \(offset)"
        }
    }
}

/// The header every record starts with (struct cgt_header).
public struct RecordHeader: Sendable, Equatable {
    public var type: UInt16
    public var size: UInt16
    public var cpu: UInt16
    public var flags: UInt16 = 0
    public var pid: UInt32
    public var tid: UInt32
    public var timestamp: UInt64
    public var sequence: UInt64

    public init(type: UInt16, size: UInt16, cpu: UInt16, flags: UInt16 = 0, pid: UInt32, tid: UInt32,
                timestamp: UInt64, sequence: UInt64) {
        self.type = type
        self.size = size
        self.cpu = cpu
        self.flags = flags
        self.pid = pid
        self.tid = tid
        self.timestamp = timestamp
        self.sequence = sequence
    }
}

/// One piece of user memory the kernel copied for an argument.
public struct Capture: Sendable, Equatable {
    public var arg: Int
    /// nil: a kind this build does not know (it matches nothing).
    public var kind: CaptureKind?
    public var flags: UInt16
    public var index: Int
    public var bytes: ArraySlice<UInt8>

    public var faulted: Bool { flags & UInt16(CGT_CAPF_FAULT.rawValue) != 0 }
    public var late: Bool { flags & UInt16(CGT_CAPF_LATE.rawValue) != 0 }
    public var isString: Bool { kind == .string }
    public var isArgvElement: Bool { kind == .argvElement }
    public var isArgc: Bool { kind == .count }

    /// The value of a small integer capture (e.g. an argc count).
    public var u32: UInt32? {
        guard bytes.count >= 4 else { return nil }
        let i = bytes.startIndex
        return UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }
}

/// The six argument registers, held inline (an array per record was a measurable cost).
public struct SyscallArguments: RandomAccessCollection, Sendable, Equatable {
    public var a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0, a4: UInt64 = 0, a5: UInt64 = 0

    public init() {}

    public init(_ values: [UInt64]) {
        for (i, v) in values.prefix(6).enumerated() { self[i] = v }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { 6 }

    public subscript(i: Int) -> UInt64 {
        get {
            switch i {
            case 0: return a0
            case 1: return a1
            case 2: return a2
            case 3: return a3
            case 4: return a4
            case 5: return a5
            default: return 0
            }
        }
        set {
            switch i {
            case 0: a0 = newValue
            case 1: a1 = newValue
            case 2: a2 = newValue
            case 3: a3 = newValue
            case 4: a4 = newValue
            case 5: a5 = newValue
            default: break
            }
        }
    }
}

public struct SyscallEnter: Sendable, Equatable {
    public var header: RecordHeader
    public var number: Int
    public var call: UInt32
    public var args: SyscallArguments
    public var captures: [Capture]
    /// -k: the call's user stack, filled in by the tracer's symbolizer when the entry arrives
    /// (before a later exec or exit can change what the addresses mean); empty otherwise.
    public var stack: [StackFrame] = []
}

public struct SyscallExit: Sendable, Equatable {
    public var header: RecordHeader
    /// The task was killed before the call returned to it (strace shows `= ?`).
    public var killed: Bool { header.flags & UInt16(CGT_HDRF_KILLED.rawValue) != 0 }
    public var number: Int
    public var call: UInt32
    public var ret: Int64
    public var enterTimestamp: UInt64
    public var captures: [Capture]
}

public struct SignalDelivery: Sendable, Equatable {
    public var header: RecordHeader
    public var signo: Int32
    public var code: Int32
    public var errno: Int32
    /// The raw kernel_siginfo (48 bytes) for the per-signal fields.
    public var siginfo: [UInt8]
}

public struct TaskExit: Sendable, Equatable {
    public var header: RecordHeader
    /// A wait status: exit code in bits 8–15, terminating signal in 0–6, core dump in bit 7.
    public var status: UInt32
    /// This was the last thread of its process.
    public var groupDead: Bool
}

public struct TaskFork: Sendable, Equatable {
    public var header: RecordHeader
    public var childPid: UInt32
    public var childTid: UInt32
    public var comm: String
}

public struct TaskExec: Sendable, Equatable {
    public var header: RecordHeader
    public var oldTid: UInt32
    public var comm: String
}

/// A hole in the trace (struct cgt_lost): the ring buffer was full and records were dropped.
/// It arrives where the hole is, just before the first record that got through after it.
public struct LostRecords: Sendable, Equatable {
    public var header: RecordHeader
    /// How many records were dropped.
    public var records: UInt64
    /// CLOCK_MONOTONIC of the first and the last drop.
    public var firstTimestamp: UInt64
    public var lastTimestamp: UInt64
    /// The CPUs that dropped them (`lastCPU` stands for it and every CPU above it).
    public var cpus: [Int]
    /// The last CPU the kernel's mask names on its own: the bit for it counts the CPUs above too.
    public static let lastCPU = Int(CGT_LOST_CPU_LAST)
    /// Threads whose records were dropped (the first few).
    public var tids: [UInt32]
    /// Records of threads beyond `tids` were dropped too.
    public var moreThreads: Bool

    public init(header: RecordHeader, records: UInt64, firstTimestamp: UInt64, lastTimestamp: UInt64,
                cpus: [Int], tids: [UInt32], moreThreads: Bool) {
        self.header = header
        self.records = records
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.cpus = cpus
        self.tids = tids
        self.moreThreads = moreThreads
    }
}

/// A part of a saved trace that was damaged and could not be read (`cgtrace replay`): the records
/// it held, how many is not known, are missing at its place in the trace. No kernel record: the
/// replay puts it where the damage was.
public struct DamagedPart: Sendable, Equatable {
    /// Its time (the damage has none: the replay gives it a neighbour's), and no task.
    public var header: RecordHeader
    /// Where it is in the file, and how long.
    public var fileOffset: UInt64
    public var bytes: UInt64

    public init(fileOffset: Int, bytes: Int, at timestamp: UInt64) {
        header = RecordHeader(type: 0, size: 0, cpu: 0, pid: 0, tid: 0, timestamp: timestamp, sequence: 0)
        self.fileOffset = UInt64(fileOffset)
        self.bytes = UInt64(bytes)
    }
}

/// A task's pids in its own pid namespace (only for tasks outside the initial one).
public struct TaskPidNamespace: Sendable, Equatable {
    public var header: RecordHeader
    /// The task concerned, in host pids (a fork's child, or the header's own task).
    public var tid: UInt32
    public var pid: UInt32
    /// The same task as its namespace numbers it (a container's init is 1).
    public var nsTid: UInt32
    public var nsPid: UInt32
    /// Depth of that namespace below the initial one.
    public var level: UInt32
}

/// A decoded record.
public enum Record: Sendable, Equatable {
    case enter(SyscallEnter)
    case exit(SyscallExit)
    case signal(SignalDelivery)
    case taskExit(TaskExit)
    case fork(TaskFork)
    case exec(TaskExec)
    /// Records were lost here (ring buffer full).
    case lost(LostRecords)
    case pidNamespace(TaskPidNamespace)
    /// Records are missing here: the saved trace was damaged (a replay's own record).
    case damaged(DamagedPart)

    public var header: RecordHeader {
        switch self {
        case .enter(let r): return r.header
        case .exit(let r): return r.header
        case .signal(let r): return r.header
        case .taskExit(let r): return r.header
        case .fork(let r): return r.header
        case .exec(let r): return r.header
        case .lost(let r): return r.header
        case .pidNamespace(let r): return r.header
        case .damaged(let r): return r.header
        }
    }
}
