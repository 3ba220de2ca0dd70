import CgtraceABI

/// Capabilities: capget, capset.
enum CapabilityCalls {
    static let _LINUX_CAPABILITY_VERSION_1: UInt32 = 0x1998_0330
    /// Versions 2 and 3 pass two 32-bit words per set (64 capabilities), version 1 one.
    static let _LINUX_CAPABILITY_VERSION_2: UInt32 = 0x2007_1026
    static let _LINUX_CAPABILITY_VERSION_3: UInt32 = 0x2008_0522
    static let capVersions = EnumTable([
        Named(UInt64(_LINUX_CAPABILITY_VERSION_1), "_LINUX_CAPABILITY_VERSION_1"),
        Named(UInt64(_LINUX_CAPABILITY_VERSION_2), "_LINUX_CAPABILITY_VERSION_2"),
        Named(UInt64(_LINUX_CAPABILITY_VERSION_3), "_LINUX_CAPABILITY_VERSION_3"),
    ], unknown: "_LINUX_CAPABILITY_VERSION_???")
    /// A capability word as flags, `1<<CAP_CHOWN|1<<CAP_KILL`: bits 0–31 and, in the second word, 32 and up.
    static let capMasks: [FlagTable] = [0, 32].map { base in
        FlagTable((0..<32).compactMap { bit in
            Tables.capabilities.name(for: UInt64(base + bit)).map { Named(1 << UInt64(bit), "1<<" + $0) }
        }, unknown: "CAP_???")
    }

    /// `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`, from the copy made at entry.
    static let capHeader = CustomArg(capture: ArgSpec(.structInOut, size: 8)) { call, i, out in
        guard call.arg(i) != 0, let c = call.enter?.captures.first(where: { $0.arg == i && !$0.faulted && $0.bytes.count >= 8 }) else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(c.bytes)
        out.beginStruct()
        out.field("version"); out.enumeration(UInt64(r.u32(0)), capVersions)
        out.field("pid"); out.signed(Int64(r.i32(4)))
        out.endStruct()
    }

    /// The three sets, each from one word (version 1) or two; strace reads the header's version
    /// again at exit for capget (a failed call shows the address).
    static func printCapData(_ call: CallView, _ i: Int, atExit: Bool, _ out: ArgumentSink) {
        let headerCaptures = atExit ? call.exit?.captures : call.enter?.captures
        let dataCaptures = atExit ? call.exit?.captures : call.enter?.captures
        guard call.arg(i) != 0, call.arg(0) != 0, !atExit || call.succeeded,
              let header = headerCaptures?.first(where: { $0.arg == 0 && !$0.faulted && $0.bytes.count >= 8 }) else {
            return out.pointer(call.arg(i))
        }
        let version = FieldReader(header.bytes).u32(0)
        let words = version == _LINUX_CAPABILITY_VERSION_2 || version == _LINUX_CAPABILITY_VERSION_3 ? 2 : 1
        guard let data = dataCaptures?.first(where: { $0.arg == i && !$0.faulted && $0.bytes.count >= 12 * words }) else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(data.bytes)
        out.beginStruct()
        for (k, name) in ["effective", "permitted", "inheritable"].enumerated() {
            out.field(name)
            let lo = UInt64(r.u32(4 * k)), hi = words > 1 ? UInt64(r.u32(12 + 4 * k)) : 0
            // Each 32-bit word its own value: under -X verbose `0xffffffff /* 1<<CAP_CHOWN|… */|0x1ff /* … */`.
            if lo != 0 || hi == 0 { out.flags(lo, capMasks[0]) }
            if lo != 0 && hi != 0 { out.raw("|") }
            if hi != 0 { out.flags(hi, capMasks[1]) }
        }
        out.endStruct()
    }
    static let capgetData = CustomArg(capture: ArgSpec(.structOut, size: 24),
                                      atExit: true) { call, i, out in printCapData(call, i, atExit: true, out) }
    static let capsetData = CustomArg(capture: ArgSpec(.structIn, size: 24)) { call, i, out in
        printCapData(call, i, atExit: false, out)
    }

    static let formats: [String: CallFormat] = [
        "capget": CallFormat([.custom(capHeader), .custom(capgetData)]),
        "capset": CallFormat([.custom(capHeader), .custom(capsetData)]),
    ]
}
