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

/// The timing texts strace puts on its lines.
public enum TimingText {
    /// `N.NNNNNN` from nanoseconds, microseconds truncated as strace truncates them.
    public static func secondsMicros(_ ns: Int64) -> String {
        let v = max(ns, 0)
        return "\(v / 1_000_000_000)." + zeroPadded(Int((v % 1_000_000_000) / 1000), 6)
    }

    /// The line-leading stamp for -t/-tt/-ttt (with its trailing space), or "" for none.
    public static func timestamp(_ style: TimestampStyle, wallNs: Int64) -> String {
        switch style {
        case .none: return ""
        case .epoch: return secondsMicros(wallNs) + " "
        case .seconds, .microseconds:
            var t = time_t(wallNs / 1_000_000_000)
            var tm = Glibc.tm()
            guard localtime_r(&t, &tm) != nil else { return secondsMicros(wallNs) + " " }
            var text = zeroPadded(Int(tm.tm_hour), 2) + ":" + zeroPadded(Int(tm.tm_min), 2) + ":"
                + zeroPadded(Int(tm.tm_sec), 2)
            if style == .microseconds { text += "." + zeroPadded(Int((wallNs % 1_000_000_000) / 1000), 6) }
            return text + " "
        }
    }

    /// -r: `%6ld.%06ld ` alone, `(+%6ld.%06ld) ` after a -t stamp.
    public static func relative(_ deltaNs: Int64, afterTimestamp: Bool) -> String {
        let v = max(deltaNs, 0)
        let text = spacePadded(String(v / 1_000_000_000), 6) + "." + zeroPadded(Int((v % 1_000_000_000) / 1000), 6)
        return afterTimestamp ? "(+" + text + ") " : text + " "
    }

    /// -T: ` <0.000123>`.
    public static func duration(_ ns: Int64) -> String { " <" + secondsMicros(ns) + ">" }

    static func zeroPadded(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func spacePadded(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
