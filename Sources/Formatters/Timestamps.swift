import Glibc

/// Records are stamped with CLOCK_MONOTONIC nanoseconds (bpf_ktime_get_ns). Wall time is
/// derived from one CLOCK_REALTIME − CLOCK_MONOTONIC offset taken when tracing starts, so a clock
/// step during the trace does not reorder lines, and every output of a run agrees on the time.
public struct WallClock: Sendable {
    /// Nanoseconds to add to a monotonic stamp to get nanoseconds since the epoch.
    public var offsetNs: Int64

    public init(offsetNs: Int64) { self.offsetNs = offsetNs }

    /// Sample the offset now (midpoint of two monotonic reads around the realtime read).
    public static func sample() -> WallClock {
        var a = timespec(), r = timespec(), b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        clock_gettime(CLOCK_REALTIME, &r)
        clock_gettime(CLOCK_MONOTONIC, &b)
        let mono = (nanoseconds(a) + nanoseconds(b)) / 2
        return WallClock(offsetNs: nanoseconds(r) - mono)
    }

    public func wallNs(_ monotonicNs: UInt64) -> Int64 { Int64(clamping: monotonicNs) &+ offsetNs }

    static func nanoseconds(_ t: timespec) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec) }
}

/// strace's -t, -tt, -ttt.
public enum TimestampStyle: Int, Sendable, Comparable {
    case none = 0
    case seconds        // -t    `12:34:56 ` (local time)
    case microseconds   // -tt   `12:34:56.123456 `
    case epoch          // -ttt  `1700000000.123456 `

    public static func < (a: TimestampStyle, b: TimestampStyle) -> Bool { a.rawValue < b.rawValue }
}

/// The timing texts strace puts on its lines, as Strings (for the few places that want one);
/// the text output writes them into its line with `TimingWriter`.
public enum TimingText {
    /// `N.NNNNNN` from nanoseconds, microseconds truncated as strace truncates them.
    public static func secondsMicros(_ ns: Int64) -> String { text { $0.appendSecondsMicros(ns) } }

    /// The line-leading stamp for -t/-tt/-ttt (with its trailing space), or "" for none.
    public static func timestamp(_ style: TimestampStyle, wallNs: Int64) -> String {
        var writer = TimingWriter()
        return text { writer.appendTimestamp(style, wallNs: wallNs, to: &$0) }
    }

    /// -r: `%6ld.%06ld ` alone, `(+%6ld.%06ld) ` after a -t stamp.
    public static func relative(_ deltaNs: Int64, afterTimestamp: Bool) -> String {
        text { TimingWriter.appendRelative(deltaNs, afterTimestamp: afterTimestamp, to: &$0) }
    }

    /// -T: ` <0.000123>`.
    public static func duration(_ ns: Int64) -> String { text { TimingWriter.appendDuration(ns, to: &$0) } }

    private static func text(_ write: (inout ByteBuffer) -> Void) -> String {
        var b = ByteBuffer(capacity: 32)
        write(&b)
        return String(decoding: b.bytes, as: UTF8.self)
    }
}

/// Writes the timing texts into a line. Built as Strings, with localtime_r for every -t/-tt
/// stamp, they cost the text consumer ~330–520 ns per record with `-tt -T` (against ~180 ns
/// without): a dd storm under `--drop` lost a fifth to a third of its records. The local time
/// of day is now looked up once per second.
public struct TimingWriter {
    /// The second `clock` holds `HH:MM:SS` for (nil: none yet, or localtime_r failed for it).
    private var second: Int64?
    private var clock: UInt64 = 0

    public init() {}

    /// The line-leading stamp for -t/-tt/-ttt, with its trailing space (nothing for none).
    public mutating func appendTimestamp(_ style: TimestampStyle, wallNs: Int64, to out: inout ByteBuffer) {
        switch style {
        case .none: return
        case .epoch:
            out.appendSecondsMicros(wallNs)
        case .seconds, .microseconds:
            let s = wallNs / 1_000_000_000
            guard localTime(s) else {
                out.appendSecondsMicros(wallNs)
                break
            }
            withUnsafeBytes(of: clock) { out.append($0) }
            if style == .microseconds {
                out.append(UInt8(ascii: "."))
                out.appendZeroPadded(UInt64(clamping: (wallNs % 1_000_000_000) / 1000), width: 6)
            }
        }
        out.append(UInt8(ascii: " "))
    }

    /// `clock` holds second `s`'s local `HH:MM:SS`.
    private mutating func localTime(_ s: Int64) -> Bool {
        if s == second { return true }
        var t = time_t(s)
        var tm = Glibc.tm()
        guard localtime_r(&t, &tm) != nil else { return false }
        var text = ByteBuffer(capacity: 8)
        text.appendZeroPadded(UInt64(clamping: tm.tm_hour), width: 2)
        text.append(UInt8(ascii: ":"))
        text.appendZeroPadded(UInt64(clamping: tm.tm_min), width: 2)
        text.append(UInt8(ascii: ":"))
        text.appendZeroPadded(UInt64(clamping: tm.tm_sec), width: 2)
        withUnsafeMutableBytes(of: &clock) { $0.copyMemory(from: text.bytes) }
        second = s
        return true
    }

    /// -r: `%6ld.%06ld ` alone, `(+%6ld.%06ld) ` after a -t stamp.
    public static func appendRelative(_ deltaNs: Int64, afterTimestamp: Bool, to out: inout ByteBuffer) {
        let v = UInt64(max(deltaNs, 0))
        if afterTimestamp { out.appendASCII("(+") }
        let seconds = v / 1_000_000_000
        out.append(repeating: UInt8(ascii: " "), count: 6 - DigitText.decimalCount(seconds))
        out.appendDecimal(seconds)
        out.append(UInt8(ascii: "."))
        out.appendZeroPadded((v % 1_000_000_000) / 1000, width: 6)
        out.appendASCII(afterTimestamp ? ") " : " ")
    }

    /// -T: ` <0.000123>`.
    public static func appendDuration(_ ns: Int64, to out: inout ByteBuffer) {
        out.appendASCII(" <")
        out.appendSecondsMicros(ns)
        out.append(UInt8(ascii: ">"))
    }
}

extension ByteBuffer {
    /// `N.NNNNNN` from nanoseconds (negative: 0), microseconds truncated as strace truncates them.
    mutating func appendSecondsMicros(_ ns: Int64) { appendFixed(max(ns, 0) / 1000, scale: 6) }
}
