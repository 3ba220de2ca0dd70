import Beautifiers
import CgtraceABI
import Decoder
import Formatters

/// Feeds random and mutated records to the decoder and the strace formatter: whatever the kernel
/// side could send (or a corrupted buffer could hold), nothing may trap.
///
/// Half of the inputs are well-formed records with random field values (so they get past the
/// parser and exercise every decoder), the rest are those records mutated: bytes flipped,
/// lengths changed, truncated, or plain noise. Deterministic for a seed.
public struct RecordFuzzer {
    public struct Report: Sendable {
        public var inputs = 0
        public var decoded = 0
        public var rejected = 0
        public init() {}
    }

    private var rng: SplitMix64
    private let formats: SyscallFormats

    public init(seed: UInt64, formats: SyscallFormats = .x86_64) {
        rng = SplitMix64(seed: seed)
        self.formats = formats
    }

    /// Which formatter the inputs go to.
    public enum Format: Sendable {
        case text, json, perfetto
    }

    /// Run `count` inputs through RecordParser and a formatter (strace text by default) writing
    /// to `output`. Deterministic for a seed, so two builds' outputs can be compared byte for byte.
    public mutating func run(count: Int, output: OutputFile, format: Format = .text) -> Report {
        var options = FormatOptions()
        options.stringLimit = Int(rng.next() % 64)
        // No /proc lookups for task names: the output depends on the seed alone.
        let context = EventContext(formats: formats, clock: WallClock(offsetNs: 0),
                                   names: TaskNames(procRoot: "/nonexistent"), cgroupID: 7,
                                   stringLimit: options.stringLimit)
        let output: CallOutput = switch format {
        case .text: StraceFormatter(formats: formats, options: options, output: output)
        case .json: JSONLinesFormatter(context: context, output: output)
        case .perfetto: PerfettoWriter(context: context, output: output)
        }
        let formatter = CallPairing(formats: formats, next: output)
        var report = Report()
        for _ in 0..<count {
            var bytes = wellFormedRecord()
            if rng.next() & 1 == 0 { mutate(&bytes) }
            report.inputs += 1
            do {
                let record = try RecordParser.decode(bytes)
                report.decoded += 1
                formatter.handle(record)
            } catch {
                report.rejected += 1
            }
        }
        formatter.finish(losses: TraceLosses(lostRecords: 1))
        return report
    }

    // MARK: Inputs

    public mutating func wellFormedRecord() -> [UInt8] {
        let type = UInt16(1 + rng.next() % 6)
        var body: [UInt8] = []
        switch UInt32(type) {
        case CGT_REC_SYS_ENTER.rawValue, CGT_REC_SYS_EXIT.rawValue:
            // Mostly real syscall numbers, sometimes anything.
            let nr = rng.next() % 8 == 0 ? UInt32(truncatingIfNeeded: rng.next()) : UInt32(rng.next() % 470)
            append(&body, nr)
            append(&body, UInt32(rng.next() % 4))  // call: few values, so enters and exits pair
            if type == UInt16(CGT_REC_SYS_ENTER.rawValue) {
                for _ in 0..<6 { append(&body, interestingValue()) }
            } else {
                append(&body, interestingValue())  // ret
                append(&body, rng.next())           // enter_ts
            }
            for _ in 0..<Int(rng.next() % 4) { appendCapture(&body) }
        case CGT_REC_SIGNAL.rawValue:
            append(&body, UInt32(rng.next() % 70))
            append(&body, UInt32(truncatingIfNeeded: rng.next()))
            append(&body, UInt32(truncatingIfNeeded: interestingValue()))
            append(&body, UInt32(0))
            body += randomBytes(Int(CGT_SIGINFO_SIZE))
        case CGT_REC_EXIT.rawValue:
            append(&body, UInt32(truncatingIfNeeded: rng.next()))
            append(&body, UInt32(rng.next() % 2))
        default:
            append(&body, UInt32(rng.next() % 8 + 1000))
            append(&body, UInt32(rng.next() % 8 + 1000))
            body += randomBytes(16)
        }
        var header: [UInt8] = []
        append(&header, type)
        append(&header, UInt16(truncatingIfNeeded: 32 + body.count))
        append(&header, UInt16(rng.next() % 2))                     // cpu
        append(&header, UInt16(rng.next() % 4 == 0 ? 1 : 0))       // flags (killed)
        append(&header, UInt32(1000 + rng.next() % 4))              // pid
        append(&header, UInt32(1000 + rng.next() % 8))              // tid
        append(&header, rng.next())                                 // ts
        append(&header, rng.next())                                 // seq
        return header + body
    }

    /// Capture kinds 1… up to one past the last the decoder knows.
    static let kindsAndOnePast = UInt64(CaptureKind.allCases.map(\.rawValue).max()! + 1)

    mutating func appendCapture(_ body: inout [UInt8]) {
        let len = Int(rng.next() % 80)
        // arg: the six arguments, the return value and the fd pair (7-9), array elements
        // (CGT_ARG_ELEMENT0 + k), and out of range; kind: every capture kind and one past them.
        body.append(UInt8(rng.next() % 34))
        body.append(UInt8(1 + rng.next() % Self.kindsAndOnePast))
        append(&body, UInt16(len))
        append(&body, UInt16(rng.next() % 8))     // flags
        append(&body, UInt16(rng.next() % 70))    // index
        body += randomBytes(len)
        body += [UInt8](repeating: 0, count: (8 - len % 8) % 8)
    }

    mutating func mutate(_ bytes: inout [UInt8]) {
        switch rng.next() % 5 {
        case 0:  // flip some bytes
            for _ in 0..<(1 + Int(rng.next() % 8)) where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
        case 1:  // truncate
            bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
        case 2:  // lie about the size
            if bytes.count >= 4 { bytes[2] = UInt8(truncatingIfNeeded: rng.next()); bytes[3] = UInt8(truncatingIfNeeded: rng.next()) }
        case 3:  // extend with garbage
            bytes += randomBytes(Int(rng.next() % 64))
        default:  // noise
            bytes = randomBytes(Int(rng.next() % 200))
        }
    }

    mutating func interestingValue() -> UInt64 {
        switch rng.next() % 6 {
        case 0: return 0
        case 1: return UInt64(bitPattern: -Int64(rng.next() % 4096))  // errno range
        case 2: return 4294967196                                       // AT_FDCWD as a register
        case 3: return UInt64.max
        case 4: return rng.next() % 64
        default: return rng.next()
        }
    }

    mutating func randomBytes(_ n: Int) -> [UInt8] {
        (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    func append<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// A small, fast, seedable generator (SplitMix64), so runs are reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
