/// Column and number layout for the summary tables, the CLI's help and `list`, without
/// Foundation (whose String(format:) and padding(toLength:) would load it, and ICU, into every
/// run).
public enum TextLayout {
    /// `text` followed by spaces up to `width` characters (unchanged when already that long).
    public static func leftAligned(_ text: String, width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Spaces, then `text`, up to `width` characters (unchanged when already that long).
    public static func rightAligned(_ text: String, width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `value` rounded to `places` decimals (0 to 3), e.g. 1.25 → "1.3" with one place.
    public static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        guard places > 0 else { return String(scaled) }
        var fraction = String(scaled % scale)
        while fraction.count < places { fraction = "0" + fraction }
        return "\(scaled / scale).\(fraction)"
    }

    /// A number of at least two digits, as in a clock: 7 → "07".
    public static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    /// `text` without leading and trailing spaces and tabs.
    public static func trimmed<S: StringProtocol>(_ text: S) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !blank($0) }),
              let last = text.lastIndex(where: { !blank($0) }) else { return "" }
        return String(text[first...last])
    }
}
