import Glibc

/// Time stamps as strace writes them in comments: local time with the UTC offset,
/// `2023-11-14T22:13:20+0000`, with `.NNNNNNNNN` nanoseconds when there are any.
public enum TimeText {
    public static func iso8601(seconds: Int64, nanoseconds: Int64) -> String {
        var t = time_t(seconds)
        var tm = Glibc.tm()
        guard localtime_r(&t, &tm) != nil else { return "\(seconds)" }
        var date = [CChar](repeating: 0, count: 64)
        var zone = [CChar](repeating: 0, count: 16)
        strftime(&date, date.count, "%Y-%m-%dT%H:%M:%S", &tm)
        strftime(&zone, zone.count, "%z", &tm)
        func text(_ buffer: [CChar]) -> String {
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        var stamp = text(date)
        if nanoseconds != 0 {
            var ns = String(nanoseconds)
            while ns.count < 9 { ns = "0" + ns }
            stamp += "." + ns
        }
        return stamp + text(zone)
    }
}
