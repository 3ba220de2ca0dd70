import BTF
import CgtraceABI
import Decoder
import Syscalls

/// Structs and enums decoded from the running kernel's BTF, for the arguments no hand decoder
/// covers (cachestat's `struct cachestat_range`, statmount's `struct statmount`, …). Layouts
/// are resolved once at start-up (`KernelTypes`); printing walks those plain tables.
///
/// The output follows strace's conventions: `{off=0, len=4096}`, nested structs in braces,
/// arrays in brackets, `char[]` as strings, enums by their enumerator names, fields named like
/// flags or masks in hex, pointers as addresses.
public enum BTFStructs {
    /// Most bytes copied for one BTF-decoded struct (or array element): struct statmount, the
    /// largest target, is 512 bytes.
    public static let captureLimit = 1024

    /// Array elements shown before `...` (the same bound strace's -s puts on arrays).
    static func elementLimit(_ call: CallView) -> Int { max(call.stringLimit, 1) }

    /// A printer for one struct from BTF.
    public static func format(_ record: BTFRecord) -> StructFormat {
        StructFormat(record.name, size: min(record.size, captureLimit)) { bytes, out, call in
            printRecord(record, bytes, at: 0, out, call)
        }
    }

    /// Values printed for one argument at most: a malformed layout (zero-sized fields nested
    /// deep) could otherwise ask for an exponential number.
    static let valueBudget = 4096

    /// What is left of `valueBudget` while one argument prints.
    final class Budget {
        var remaining = valueBudget
        /// Takes one value; false once the budget is spent.
        func take() -> Bool {
            remaining -= 1
            return remaining >= 0
        }
    }

    /// A struct's fields as `{name=value, …}`; fields past the captured bytes end it with `...`.
    /// An extensible struct that starts with its own `size` (mnt_id_req; perf_event_attr after
    /// its `type`) shows only the fields the caller's size covers.
    public static func printRecord(_ record: BTFRecord, _ bytes: ArraySlice<UInt8>, at base: Int, _ out: ArgumentSink, _ call: CallView) {
        var bytes = bytes
        if let size = record.fields.prefix(2).first(where: { $0.name == "size" && $0.offset < 8 && $0.bitSize == 0 }),
           case .integer(let width, _) = size.value, width == 4 || width == 8 {
            let declared = Int(clamping: FieldReader(bytes).value(base + size.offset, width))
            if declared >= width, base + declared < bytes.count { bytes = bytes.prefix(base + declared) }
        }
        printRecord(record, bytes, at: base, out, call, Budget())
    }

    static func printRecord(_ record: BTFRecord, _ bytes: ArraySlice<UInt8>, at base: Int, _ out: ArgumentSink, _ call: CallView,
                            _ budget: Budget) {
        out.beginStruct()
        printFields(record, bytes, at: base, out, call, budget)
        out.endStruct()
    }

    static func printFields(_ record: BTFRecord, _ bytes: ArraySlice<UInt8>, at base: Int, _ out: ArgumentSink, _ call: CallView,
                            _ budget: Budget) {
        for f in record.fields {
            guard budget.take() else { return out.ellipsis() }
            let start = base + f.offset
            let size = f.bitSize > 0 ? (f.bitShift + f.bitSize + 7) / 8 : f.value.size
            if start + size > bytes.count {
                // The caller passed (or the kernel copied) less than the whole struct.
                if start < bytes.count || f.value.size > 0 { out.ellipsis() }
                return
            }
            if isPadding(f.name), isZero(bytes, start, size) { continue }
            // A flexible array member (statmount's `char str[]`) has no bytes of its own.
            if f.bitSize == 0, size == 0 { continue }
            if f.name.isEmpty, case .record(let inner) = f.value {
                // An anonymous struct: its fields read as the outer struct's own. An anonymous
                // union (perf_event_attr's sample_period/sample_freq): its first member, the
                // others being other names for the same bytes.
                if inner.isUnion, let member = inner.fields.first {
                    printFields(BTFRecord(name: inner.name, isUnion: false, size: inner.size, fields: [member]),
                                bytes, at: start, out, call, budget)
                } else {
                    printFields(inner, bytes, at: start, out, call, budget)
                }
                continue
            }
            out.field(f.name)
            if f.bitSize > 0 {
                let word = FieldReader(bytes).value(start, min(8, max(size, 1)))
                let v = (word >> UInt64(f.bitShift)) & (f.bitSize >= 64 ? ~0 : (1 << UInt64(f.bitSize)) - 1)
                printScalar(f.value, v, name: f.name, out)
            } else {
                printValue(f.value, bytes, at: start, name: f.name, out, call, budget)
            }
        }
    }

    static func printValue(_ value: BTFValue, _ bytes: ArraySlice<UInt8>, at start: Int, name: String, _ out: ArgumentSink,
                           _ call: CallView, _ budget: Budget) {
        let r = FieldReader(bytes)
        switch value {
        case .record(let inner):
            printRecord(inner, bytes, at: start, out, call, budget)
        case .characters(let count):
            let text = r.cString(start, max: count)
            let limit = call.stringLimit
            out.string(text.prefix(limit), truncated: text.count > limit, hexOnly: false)
        case .array(let element, let count, let stride):
            out.beginArray()
            let shown = min(count, elementLimit(call))
            for k in 0..<shown {
                guard budget.take() else { out.ellipsis(); break }
                out.element()
                printValue(element, bytes, at: start + k * stride, name: name, out, call, budget)
            }
            if count > shown { out.ellipsis() }
            out.endArray()
        default:
            let size = value.size
            guard size > 0, size <= 8 else { return out.raw("...") }
            printScalar(value, r.value(start, size), name: name, out)
        }
    }

    /// An integer, bool, enum or pointer field already read into `v` (zero-extended).
    static func printScalar(_ value: BTFValue, _ v: UInt64, name: String, _ out: ArgumentSink) {
        switch value {
        case .integer(let size, let signed):
            if looksLikeFlags(name) { return out.hex(v) }
            if looksLikeAddress(name) { return out.pointer(v) }
            if signed { out.signed(signExtend(v, bytes: size)) } else { out.unsigned(v) }
        case .boolean: out.unsigned(v)
        case .pointer: out.pointer(v)
        case .enumeration(let e):
            let n = e.signed ? signExtend(v, bytes: e.size) : Int64(bitPattern: v)
            if let symbol = e.name(for: n) {
                out.constant(symbol, signed: n)
            } else if e.signed {
                out.signed(n)
            } else {
                out.unsigned(v)
            }
        default: out.hex(v)
        }
    }

    static func signExtend(_ v: UInt64, bytes: Int) -> Int64 {
        guard bytes > 0, bytes < 8 else { return Int64(bitPattern: v) }
        let shift = UInt64(64 - bytes * 8)
        return Int64(bitPattern: v << shift) >> Int64(shift)
    }

    /// Flag words, masks and magic numbers print in hex, as strace prints unknown flag sets.
    static func looksLikeFlags(_ name: String) -> Bool {
        name.hasSuffix("flags") || name == "mask" || name.hasSuffix("_mask")
            || name == "magic" || name.hasSuffix("_magic")
            || name.hasPrefix("attr_") || name == "propagation"
    }

    /// 64-bit integers that carry user addresses (`uaddr`, `*_ptr`).
    static func looksLikeAddress(_ name: String) -> Bool {
        name == "addr" || name == "uaddr" || name.hasSuffix("_ptr") || name.hasSuffix("_addr")
    }

    /// Reserved words the kernel requires to be zero: left out while they are.
    static func isPadding(_ name: String) -> Bool {
        name.hasPrefix("__spare") || name.hasPrefix("__reserved") || name.hasPrefix("__pad")
            || name.hasPrefix("spare") || name == "__unused"
    }

    static func isZero(_ bytes: ArraySlice<UInt8>, _ start: Int, _ size: Int) -> Bool {
        let s = bytes.startIndex + start
        return bytes[s..<min(s + size, bytes.endIndex)].allSatisfy { $0 == 0 }
    }

    /// An enum argument: the enumerator's name, else the number.
    public static func enumArg(_ e: BTFEnum) -> ArgFormat {
        .custom(CustomArg { call, i, out in
            let raw = call.arg(i)
            let v = e.size >= 8 ? raw : raw & ((1 << UInt64(e.size * 8)) - 1)
            printScalar(.enumeration(e), v, name: "", out)
        })
    }

    /// An array of `count`-argument structs, copied at entry (futex_waitv's waiters).
    public static func arrayArg(_ record: BTFRecord, countArg: Int) -> ArgFormat {
        let stride = max(record.size, 1)
        let capture = ArgSpec(.arrayInOut, lengthArg: countArg, size: min(stride, captureLimit))
        return .custom(CustomArg(capture: capture) { call, i, out in
            let raw = call.arg(i)
            if raw == 0 { return out.pointer(0) }
            guard let c = call.capture(i), !c.faulted else { return out.pointer(raw) }
            let count = Int(UInt32(truncatingIfNeeded: call.arg(countArg)))
            let copied = c.bytes.count / stride
            let shown = min(count, copied, elementLimit(call))
            let budget = Budget()
            out.beginArray()
            for k in 0..<shown {
                out.element()
                printRecord(record, c.bytes, at: k * stride, out, call, budget)
            }
            if count > shown { out.ellipsis() }
            out.endArray()
        })
    }

    /// A struct whose size the caller passes in argument `lengthArg` (mount_setattr's `usize`):
    /// copied at entry, at most that many bytes.
    public static func sizedInArg(_ record: BTFRecord, lengthArg: Int) -> ArgFormat {
        let capture = ArgSpec(.structInLength, lengthArg: lengthArg, size: min(record.size, captureLimit))
        return .custom(CustomArg(capture: capture) { call, i, out in
            let raw = call.arg(i)
            if raw == 0 { return out.pointer(0) }
            guard let c = call.capture(i), !c.faulted, !c.bytes.isEmpty else { return out.pointer(raw) }
            printRecord(record, c.bytes, at: 0, out, call)
        })
    }
}

/// The kernel's own descriptions of the structs and enums syscall arguments use, read from BTF
/// once at start-up.
public struct KernelTypes: Sendable {
    public var records: [String: BTFRecord]
    public var enums: [String: BTFEnum]

    public init(records: [String: BTFRecord] = [:], enums: [String: BTFEnum] = [:]) {
        self.records = records
        self.enums = enums
    }

    /// The layouts `table`'s arguments need that no hand decoder covers, from `btf`.
    public init(for table: SyscallTable, btf: BTFFile) {
        let (structs, enums) = Self.wanted(table)
        self.init(records: structs.isEmpty ? [:] : btf.records(structs), enums: enums.isEmpty ? [:] : btf.enums(enums))
    }

    /// Struct and enum names that arguments of syscalls without a hand format use.
    public static func wanted(_ table: SyscallTable) -> (structs: Set<String>, enums: Set<String>) {
        var structs: Set<String> = [], enums: Set<String> = []
        for info in table.all where SyscallFormats.overrides[info.name] == nil {
            for a in info.args {
                switch a.kind {
                case .inStruct(let tag), .outStruct(let tag):
                    if Structs.byName[tag] == nil { structs.insert(tag) }
                default:
                    if let tag = enumTag(a.type) { enums.insert(tag) }
                }
            }
        }
        return (structs, enums)
    }

    /// `const enum landlock_rule_type` → `landlock_rule_type`.
    static func enumTag(_ type: String) -> String? {
        let words = type.split(separator: " ").filter { $0 != "const" && $0 != "volatile" }
        guard words.count == 2, words[0] == "enum" else { return nil }
        return String(words[1])
    }
}
