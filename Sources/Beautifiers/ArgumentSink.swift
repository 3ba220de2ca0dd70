/// Where decoded values go. Decoders describe a value once (a number, a flag set, a string, a
/// struct…) and each output format renders it its own way: the strace text formatter writes
/// `O_RDONLY|O_CLOEXEC`, the JSON formatter writes `["O_RDONLY","O_CLOEXEC"]`.
///
/// Separators are the sink's business: decoders call `field`/`element` before each item and the
/// sink inserts `, ` (text) or `,` (JSON) as needed.
public protocol ArgumentSink: AnyObject {
    /// The next argument of a syscall (its name, for formats that key by name).
    func argument(_ name: String)
    /// The next field of a struct.
    func field(_ name: String)
    /// The next element of an array.
    func element()

    func signed(_ value: Int64)
    func unsigned(_ value: UInt64)
    func hex(_ value: UInt64)
    func octal(_ value: UInt64)
    /// A file descriptor and, with -y, what it refers to (`3</etc/hostname>`).
    func descriptor(_ fd: Int64, target: String?)
    /// A *at() call's AT_FDCWD and, with -y, the directory it stands for (`AT_FDCWD</tmp>`).
    func currentDirectory(target: String?)
    /// A process or thread id: `1234`, with -Y `1234<sh>`.
    func pid(_ value: Int64)
    /// An address: `NULL` or `0x…`.
    func pointer(_ value: UInt64)
    /// A symbolic constant (`AT_FDCWD`, `SIGCHLD`, `SEEK_SET`).
    func symbol(_ name: String)
    /// A flag set: names joined by `|`, then unnamed bits as hex; `zero` when there is nothing.
    func flags(_ names: [String], rest: UInt64, zero: String)
    /// Bytes shown as a quoted string, cut at `limit` with `...` after when there were more.
    func string(_ bytes: ArraySlice<UInt8>, truncated: Bool, hexOnly: Bool)
    /// The same for bytes in place: a capture still in its record, or a slice's storage.
    func string(in bytes: UnsafeRawBufferPointer, truncated: Bool, hexOnly: Bool)
    /// Text that means itself in every format (e.g. `8192*1024`, `~[RTMIN RT_1]`).
    func raw(_ text: String)
    /// A remark: `/* 39 vars */`.
    func comment(_ text: String)
    /// More exists than is shown: `...` as one more item of the current struct or array.
    func ellipsis()

    /// -X: how named constants print in this sink.
    var constantStyle: ConstantStyle { get }
    /// Whether `argument(_:)` uses the names it is given (the strace text only with -N): when
    /// not, callers pass "" and save fetching (and retaining) each name.
    var wantsArgumentNames: Bool { get }

    func beginStruct()
    func endStruct()
    func beginArray()
    func endArray()
}

/// -X: how named constants print. strace's default abbreviates (`O_RDONLY|O_CLOEXEC`); raw
/// prints the number (`0x80000`); verbose both (`0x80000 /* O_RDONLY|O_CLOEXEC */`).
public enum ConstantStyle: String, Sendable, CaseIterable {
    case abbrev, raw, verbose
}

/// Convenience: the constructs most decoders use.
extension ArgumentSink {
    /// Sinks that render text may pick a -X style; the others see names (JSON keeps its typed
    /// values).
    public var constantStyle: ConstantStyle { .abbrev }

    public var wantsArgumentNames: Bool { true }

    /// A named constant whose number is `value` (`AT_FDCWD` is -100): by name, number or both.
    public func constant(_ name: String, signed value: Int64) {
        switch constantStyle {
        case .abbrev: symbol(name)
        case .raw: signed(value)
        case .verbose: signed(value); comment(name)
        }
    }

    /// A named constant strace prints in hex under -X raw/verbose (`0x1 /* SIG_IGN */`,
    /// `0 /* IPC_PRIVATE */`, `0xffffffff /* FUTEX_BITSET_MATCH_ANY */`).
    public func constant(_ name: String, hex value: UInt64) {
        switch constantStyle {
        case .abbrev: symbol(name)
        case .raw: hex(value)
        case .verbose: hex(value); comment(name)
        }
    }

    /// A signal number: `SIGCHLD`, or under -X raw `17`, verbose `17 /* SIGCHLD */`; numbers
    /// outside 1…64 as numbers.
    public func signal(_ sig: Int64) {
        guard sig > 0 && sig <= 64 else { return signed(sig) }
        constant(Tables.signalName(Int(sig)), signed: sig)
    }

    /// A value strace abbreviates as text (`8192*1024`): the text, the number under -X raw, both
    /// under verbose (`8388608 /* 8192*1024 */`).
    public func abbreviated(_ text: String, unsigned value: UInt64) {
        switch constantStyle {
        case .abbrev: raw(text)
        case .raw: unsigned(value)
        case .verbose: unsigned(value); comment(text)
        }
    }

    /// An errno value: `EPIPE`, `32`, or `32 /* EPIPE */`.
    public func errno(_ value: Int64) {
        guard value > 0, let name = Tables.errnoNames.name(for: UInt64(value)) else { return signed(value) }
        constant(name, signed: value)
    }

    /// A process or thread id (-Y shows its command name in the text output).
    public func pid(_ value: Int64) { signed(value) }

    /// Formats that do not show fd targets print the number.
    public func descriptor(_ fd: Int64, target: String?) { signed(fd) }

    /// The name, and the directory after it as strace -y shows it.
    public func currentDirectory(target: String?) {
        constant("AT_FDCWD", signed: -100)
        if let target { raw("<\(target)>") }
    }

    /// Flags by name; when nothing matches, the value with the family's `/* X_??? */` remark.
    public func flags(_ value: UInt64, _ table: FlagTable) {
        if constantStyle != .abbrev, table.fieldApart, let field = table.field,
           field.values.name(for: value & field.mask) != nil {
            let rest = value & ~field.mask
            let withoutField = FlagTable(table.flags, unknown: table.unknown)
            // strace 6.1 under -X raw prints a zero field as nothing: statx's `|0x900`.
            if constantStyle == .raw && value & field.mask == 0 && rest != 0 {
                raw("|")
                return hex(rest)
            }
            enumeration(value & field.mask, field.values)
            guard rest != 0 else { return }
            raw("|")
            return flags(rest, withoutField)
        }
        var names: [String] = []
        let (_, rest) = table.decompose(value) { names.append($0) }
        switch constantStyle {
        case .abbrev: break
        case .raw: return hex(value)
        case .verbose:
            hex(value)
            let text = names + (rest != 0 && !names.isEmpty ? [Structs.hexText(rest)] : [])
            if !text.isEmpty {
                comment(text.joined(separator: "|"))
            } else if value == 0, let zero = table.zero {
                comment(zero)
            } else if value != 0 && !table.unknown.isEmpty {
                comment(table.unknown)
            }
            return
        }
        flags(names, rest: rest, zero: table.zero ?? "0")
        if names.isEmpty && rest != 0 && !table.unknown.isEmpty { comment(table.unknown) }
    }

    /// An enumerated value: its name, or the number with a `/* FAMILY_??? */` comment.
    public func enumeration(_ value: UInt64, _ table: EnumTable, unknownAsHex: Bool = true) {
        if constantStyle != .abbrev {
            if unknownAsHex { hex(value) } else { signed(Int64(bitPattern: value)) }
            // verbose: the name, or the family's `/* CAP_??? */` for a value without one
            if constantStyle == .verbose, let name = table.name(for: value) ?? (table.unknown.isEmpty ? nil : table.unknown) {
                comment(name)
            }
            return
        }
        if let name = table.name(for: value) {
            symbol(name)
        } else {
            if unknownAsHex { hex(value) } else { signed(Int64(bitPattern: value)) }
            if !table.unknown.isEmpty { comment(table.unknown) }
        }
    }
}
