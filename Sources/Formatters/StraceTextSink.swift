import Beautifiers

/// Renders decoded values in strace's syntax into a byte buffer.
public final class StraceTextSink: ArgumentSink {
    /// The rendering (a pointer buffer: as an Array, its uniqueness and capacity checks and the
    /// retains around them were ~20 % of the text consumer).
    public var bytes = ByteBuffer(capacity: 512)
    /// -X: names, numbers or both for named constants.
    public var constantStyle = ConstantStyle.abbrev
    /// Per nesting level, a bit: nothing printed yet at this level (no separator needed). Bit
    /// `depth` is the innermost level. (An array of Bool here was re-made for every line and
    /// checked for uniqueness at every separator: ~4 % of the text consumer.) Levels past 63
    /// share the last bit, which only strace-impossible nesting would reach.
    private var firstBits: UInt64 = 1
    private var depth = 0

    public init() {}

    /// Start a fresh argument list (keeps the bytes).
    public func resetSeparators() {
        firstBits = 1
        depth = 0
    }

    /// Something has already been printed at the outer level.
    public var printedAny: Bool { firstBits & 1 == 0 }

    @inline(__always) func put(_ s: StaticString) {
        bytes.appendASCII(s)
    }

    /// (Named apart from `put`: with both overloads, literals took the String one, made a String
    /// and went through withUTF8; measured at ~5 % of the consumer, most of it `", "`.)
    @inline(__always) func putString(_ s: String) {
        // One contiguous copy; appending the UTF-8 view went element by element.
        var s = s
        s.withUTF8 { bytes.append($0) }
    }

    @inline(__always) private func separator() {
        let bit: UInt64 = 1 << UInt64(min(depth, 63))
        if firstBits & bit != 0 {
            firstBits &= ~bit
        } else {
            put(", ")
        }
    }

    @inline(__always) private func enterLevel() {
        depth += 1
        firstBits |= 1 << UInt64(min(depth, 63))
    }

    @inline(__always) private func leaveLevel() {
        if depth > 0 { depth -= 1 }
    }

    /// -N: `name=` before each argument.
    public var argNames = false
    public var wantsArgumentNames: Bool { argNames }
    /// -Y: a pid's command name, if known.
    public var pidComm: ((Int64) -> String?)?

    public func argument(_ name: String) {
        separator()
        if argNames && !name.isEmpty {
            putString(ArgumentNames.manual(name))
            put("=")
        }
    }

    public func pid(_ value: Int64) {
        bytes.appendDecimal(value)
        if let pidComm, value > 0, let comm = pidComm(value) { putString("<\(comm)>") }
    }

    public func field(_ name: String) {
        separator()
        putString(name)
        put("=")
    }

    public func element() { separator() }

    public func signed(_ value: Int64) { bytes.appendDecimal(value) }
    public func unsigned(_ value: UInt64) { bytes.appendDecimal(value) }

    /// strace's `%#x`: 0 prints as `0`.
    public func hex(_ value: UInt64) {
        if value == 0 { return put("0") }
        put("0x")
        bytes.appendHexDigits(value)
    }

    /// strace's `%#03o`: a leading 0 and at least three digits (`000`, `022`, `0644`).
    public func octal(_ value: UInt64) {
        var digits = String(value, radix: 8)
        if value != 0 { digits = "0" + digits }
        while digits.count < 3 { digits = "0" + digits }
        putString(digits)
    }

    public func descriptor(_ fd: Int64, target: String?) {
        bytes.appendDecimal(fd)
        guard let target else { return }
        put("<")
        if target.hasSuffix(" (deleted)") {
            // strace: 3</tmp/x>(deleted)
            putString(String(target.dropLast(10)))
            put(">(deleted)")
        } else {
            putString(target)
            put(">")
        }
    }

    public func pointer(_ value: UInt64) {
        if value == 0 { put("NULL") } else { hex(value) }
    }

    public func symbol(_ name: String) { putString(name) }

    public func flags(_ names: [String], rest: UInt64, zero: String) {
        if names.isEmpty && rest == 0 {
            putString(zero)
            return
        }
        for (i, n) in names.enumerated() {
            if i > 0 { put("|") }
            putString(n)
        }
        if rest != 0 {
            if !names.isEmpty { put("|") }
            hex(rest)
        }
    }

    public func string(_ value: ArraySlice<UInt8>, truncated: Bool, hexOnly: Bool) {
        value.withUnsafeBytes { string(in: $0, truncated: truncated, hexOnly: hexOnly) }
    }

    public func string(in value: UnsafeRawBufferPointer, truncated: Bool, hexOnly: Bool) {
        bytes.appendWritten(atMost: Quoting.maxQuotedCount(value.count)) { Quoting.writeQuoted(value, hexOnly: hexOnly, to: $0) }
        if truncated { put("...") }
    }

    public func raw(_ text: String) { putString(text) }

    public func comment(_ text: String) {
        put(" /* ")
        putString(text)
        put(" */")
    }

    /// `...` as one more item of the struct or array.
    public func ellipsis() {
        separator()
        put("...")
    }

    public func beginStruct() {
        put("{")
        enterLevel()
    }

    public func endStruct() {
        leaveLevel()
        put("}")
    }

    public func beginArray() {
        put("[")
        enterLevel()
    }

    public func endArray() {
        leaveLevel()
        put("]")
    }
}
