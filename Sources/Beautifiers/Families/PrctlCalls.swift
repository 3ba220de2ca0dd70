import CgtraceABI

/// prctl and arch_prctl: what follows prctl's option depends on it, as strace prints each.
enum PrctlCalls {
    enum PrctlShape { case none, one, four }

    /// How many arguments strace shows after the option: none (PR_GET_DUMPABLE), one (the
    /// options with a single meaningful argument), or all four (the rest).
    static func prctlShape(_ option: Int32) -> PrctlShape {
        switch option {
        case 3, 7, 13, 21, 27, 30: return .none               // GET_DUMPABLE, KEEPCAPS, TIMING, SECCOMP, SECUREBITS, TIMERSLACK
        case 1, 2, 4, 15, 16, 23, 24, 36, 37: return .one     // PDEATHSIG, DUMPABLE, NAME, CAPBSET_*, CHILD_SUBREAPER
        case 8, 10, 12, 14, 20: return .one                   // SET_KEEPCAPS, FPEMU, FPEXC, TIMING, ENDIAN: a number
        default: return .four
        }
    }

    static let suidDumpModes = EnumTable([Named(0, "SUID_DUMP_DISABLE"), Named(1, "SUID_DUMP_USER"), Named(2, "SUID_DUMP_ROOT")])

    /// prctl's second argument: a name, a signal, a capability, a value, or what the kernel
    /// wrote back (the name for PR_GET_NAME, `[SIGKILL]` for PR_GET_PDEATHSIG). The kernel
    /// copies 16 bytes (TASK_COMM_LEN) at entry and exit; for a plain number the copy fails and
    /// nothing is printed from it.
    static let prctlArgument = CustomArg(capture: ArgSpec(.structInOut, size: 16)) { call, i, out in
        let raw = call.arg(i)
        let before = call.enter?.captures.first { $0.arg == i && !$0.faulted }
        let after = call.exit?.captures.first { $0.arg == i && !$0.faulted }
        switch call.int32(0) {
        case 1: ProcessCalls.signal.print(call, i, out)                                    // PR_SET_PDEATHSIG
        case 2, 37:                                                           // PR_GET_PDEATHSIG, PR_GET_CHILD_SUBREAPER
            guard call.succeeded, let after, after.bytes.count >= 4 else { return out.pointer(raw) }
            let v = FieldReader(after.bytes).i32(0)
            out.beginArray(); out.element()
            if call.int32(0) == 2 { out.signal(Int64(v)) } else { out.signed(Int64(v)) }
            out.endArray()
        case 4: out.enumeration(raw, suidDumpModes)                           // PR_SET_DUMPABLE
        case 15:                                                              // PR_SET_NAME
            guard let before else { return out.pointer(raw) }
            out.string(before.bytes.prefix { $0 != 0 }, truncated: false, hexOnly: false)
        case 16:                                                              // PR_GET_NAME
            guard call.succeeded, let after else { return out.pointer(raw) }
            out.string(after.bytes.prefix { $0 != 0 }, truncated: false, hexOnly: false)
        case 23, 24: out.enumeration(raw, Tables.capabilities)                // PR_CAPBSET_READ/DROP
        case 36, 38, 8, 10, 12, 14, 20: out.unsigned(raw)                     // CHILD_SUBREAPER, NO_NEW_PRIVS, KEEPCAPS…
        case 47: out.enumeration(raw, capAmbientOps)                          // PR_CAP_AMBIENT
        default: out.hex(raw)
        }
    }

    static let capAmbientOps = EnumTable([
        Named(1, "PR_CAP_AMBIENT_IS_SET"), Named(2, "PR_CAP_AMBIENT_RAISE"), Named(3, "PR_CAP_AMBIENT_LOWER"),
        Named(4, "PR_CAP_AMBIENT_CLEAR_ALL"),
    ], unknown: "PR_CAP_AMBIENT_???")

    /// prctl's third argument: PR_CAP_AMBIENT's capability (for IS_SET/RAISE/LOWER), else hex.
    static let prctlThird = CustomArg { call, i, out in
        if call.int32(0) == 47 && (1...3).contains(call.arg(1)) { return out.enumeration(call.arg(i), Tables.capabilities) }
        out.hex(call.arg(i))
    }

    static let securebits = FlagTable([
        Named(0x1, "SECBIT_NOROOT"), Named(0x2, "SECBIT_NOROOT_LOCKED"), Named(0x4, "SECBIT_NO_SETUID_FIXUP"),
        Named(0x8, "SECBIT_NO_SETUID_FIXUP_LOCKED"), Named(0x10, "SECBIT_KEEP_CAPS"), Named(0x20, "SECBIT_KEEP_CAPS_LOCKED"),
        Named(0x40, "SECBIT_NO_CAP_AMBIENT_RAISE"), Named(0x80, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"),
    ])

    /// PR_GET_DUMPABLE's result names the mode: `1 (SUID_DUMP_USER)`; PR_GET_SECUREBITS's is hex
    /// with the bits named, `0x10 (SECBIT_KEEP_CAPS)`, or plain 0.
    static let prctlResult = ReturnFormat.custom { call, value, out in
        if call.int32(0) == 27 && value != 0 {
            out.hex(UInt64(bitPattern: value))
            if out.constantStyle == .raw { return }
            return out.raw(" (\(securebits.describe(UInt64(bitPattern: value))))")
        }
        out.signed(value)
        if call.int32(0) == 3, let name = suidDumpModes.name(for: UInt64(bitPattern: value)) { out.raw(" (\(name))") }
    }

    static let formats: [String: CallFormat] = [
        "prctl": CallFormat([.intEnum(Tables.prctlOptions),
                             .optional(.custom(prctlArgument), when: { prctlShape($0.int32(0)) != .none }),
                             .optional(.custom(prctlThird), when: { prctlShape($0.int32(0)) == .four }),
                             .optional(.hex, when: { prctlShape($0.int32(0)) == .four }),
                             .optional(.hex, when: { prctlShape($0.int32(0)) == .four })], ret: prctlResult),
        "arch_prctl": CallFormat([.intEnum(Tables.archPrctlCodes), .pointer]),
    ]
}
