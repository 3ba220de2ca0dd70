import CgtraceABI

/// prctl and arch_prctl: what follows prctl's option depends on it, as strace prints each.
enum PrctlCalls {
    /// The options decoded here, by their UAPI names (Tables.prctlOptions names them all; a test
    /// checks that the two agree).
    enum Option: Int32, CaseIterable {
        case PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4
        case PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8, PR_SET_FPEMU = 10, PR_SET_FPEXC = 12
        case PR_GET_TIMING = 13, PR_SET_TIMING = 14, PR_SET_NAME = 15, PR_GET_NAME = 16, PR_SET_ENDIAN = 20
        case PR_GET_SECCOMP = 21, PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_GET_SECUREBITS = 27
        case PR_GET_TIMERSLACK = 30, PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37
        case PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47
    }
    static func option(_ call: CallView) -> Option? { Option(rawValue: call.int32(0)) }

    enum PrctlShape { case none, one, four }

    /// How many arguments strace shows after the option: none (PR_GET_DUMPABLE), one (the
    /// options with a single meaningful argument), or all four (the rest).
    static func prctlShape(_ option: Option?) -> PrctlShape {
        switch option {
        case .PR_GET_DUMPABLE, .PR_GET_KEEPCAPS, .PR_GET_TIMING, .PR_GET_SECCOMP, .PR_GET_SECUREBITS, .PR_GET_TIMERSLACK:
            return .none
        case .PR_SET_PDEATHSIG, .PR_GET_PDEATHSIG, .PR_SET_DUMPABLE, .PR_SET_NAME, .PR_GET_NAME, .PR_CAPBSET_READ,
             .PR_CAPBSET_DROP, .PR_SET_CHILD_SUBREAPER, .PR_GET_CHILD_SUBREAPER:
            return .one
        case .PR_SET_KEEPCAPS, .PR_SET_FPEMU, .PR_SET_FPEXC, .PR_SET_TIMING, .PR_SET_ENDIAN: return .one  // a number
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
        let given = option(call)
        switch given {
        case .PR_SET_PDEATHSIG: ProcessCalls.signal.print(call, i, out)
        case .PR_GET_PDEATHSIG, .PR_GET_CHILD_SUBREAPER:
            guard call.succeeded, let after, after.bytes.count >= 4 else { return out.pointer(raw) }
            let v = FieldReader(after.bytes).i32(0)
            out.beginArray(); out.element()
            if given == .PR_GET_PDEATHSIG { out.signal(Int64(v)) } else { out.signed(Int64(v)) }
            out.endArray()
        case .PR_SET_DUMPABLE: out.enumeration(raw, suidDumpModes)
        case .PR_SET_NAME:
            guard let before else { return out.pointer(raw) }
            out.string(before.bytes.prefix { $0 != 0 }, truncated: false, hexOnly: false)
        case .PR_GET_NAME:
            guard call.succeeded, let after else { return out.pointer(raw) }
            out.string(after.bytes.prefix { $0 != 0 }, truncated: false, hexOnly: false)
        case .PR_CAPBSET_READ, .PR_CAPBSET_DROP: out.enumeration(raw, Tables.capabilities)
        case .PR_SET_CHILD_SUBREAPER, .PR_SET_NO_NEW_PRIVS, .PR_SET_KEEPCAPS, .PR_SET_FPEMU, .PR_SET_FPEXC,
             .PR_SET_TIMING, .PR_SET_ENDIAN:
            out.unsigned(raw)
        case .PR_CAP_AMBIENT: out.enumeration(raw, capAmbientOps)
        default: out.hex(raw)
        }
    }

    static let capAmbientOps = EnumTable([
        Named(1, "PR_CAP_AMBIENT_IS_SET"), Named(2, "PR_CAP_AMBIENT_RAISE"), Named(3, "PR_CAP_AMBIENT_LOWER"),
        Named(4, "PR_CAP_AMBIENT_CLEAR_ALL"),
    ], unknown: "PR_CAP_AMBIENT_???")

    /// prctl's third argument: PR_CAP_AMBIENT's capability (for IS_SET/RAISE/LOWER), else hex.
    static let prctlThird = CustomArg { call, i, out in
        // PR_CAP_AMBIENT_IS_SET, _RAISE and _LOWER name a capability
        if option(call) == .PR_CAP_AMBIENT && (1...3).contains(call.arg(1)) { return out.enumeration(call.arg(i), Tables.capabilities) }
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
        if option(call) == .PR_GET_SECUREBITS && value != 0 {
            out.hex(UInt64(bitPattern: value))
            if out.constantStyle == .raw { return }
            return out.raw(" (\(securebits.describe(UInt64(bitPattern: value))))")
        }
        out.signed(value)
        if option(call) == .PR_GET_DUMPABLE, let name = suidDumpModes.name(for: UInt64(bitPattern: value)) { out.raw(" (\(name))") }
    }

    static let formats: [String: CallFormat] = [
        "prctl": CallFormat([.intEnum(Tables.prctlOptions),
                             .optional(.custom(prctlArgument), when: { prctlShape(option($0)) != .none }),
                             .optional(.custom(prctlThird), when: { prctlShape(option($0)) == .four }),
                             .optional(.hex, when: { prctlShape(option($0)) == .four }),
                             .optional(.hex, when: { prctlShape(option($0)) == .four })], ret: prctlResult),
        "arch_prctl": CallFormat([.intEnum(Tables.archPrctlCodes), .pointer]),
    ]
}
