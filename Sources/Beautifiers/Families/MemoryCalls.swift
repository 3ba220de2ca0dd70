import CgtraceABI

/// Address space: mmap, mprotect, brk, madvise…, NUMA policies.
enum MemoryCalls {
    // MARK: NUMA memory policies

    static let mpolModes = EnumTable([
        Named(0, "MPOL_DEFAULT"), Named(1, "MPOL_PREFERRED"), Named(2, "MPOL_BIND"), Named(3, "MPOL_INTERLEAVE"),
        Named(4, "MPOL_LOCAL"), Named(5, "MPOL_PREFERRED_MANY"),
    ], unknown: "MPOL_???")
    static let mpolModeFlags = FlagTable([
        Named(1 << 15, "MPOL_F_STATIC_NODES"), Named(1 << 14, "MPOL_F_RELATIVE_NODES"), Named(1 << 13, "MPOL_F_NUMA_BALANCING"),
    ], unknown: "MPOL_???")
    static let getMempolicyFlags = FlagTable([
        Named(1, "MPOL_F_NODE"), Named(2, "MPOL_F_ADDR"), Named(4, "MPOL_F_MEMS_ALLOWED"),
    ], unknown: "MPOL_???")
    static let mbindFlags = FlagTable([
        Named(1, "MPOL_MF_STRICT"), Named(2, "MPOL_MF_MOVE"), Named(4, "MPOL_MF_MOVE_ALL"),
    ], unknown: "MPOL_???")

    /// A policy mode with its flags: `MPOL_BIND|MPOL_F_STATIC_NODES`; an unknown mode with flags
    /// prints as flags with the rest in hex, without flags as `0x9 /* MPOL_??? */`.
    static func printMode(_ value: UInt64, _ out: ArgumentSink) {
        let flagMask: UInt64 = 0xe000
        let mode = value & ~flagMask
        if value & flagMask == 0 { return out.enumeration(mode, mpolModes) }
        guard let name = mpolModes.name(for: mode) else { return out.flags(value, mpolModeFlags) }
        var names = [name]
        _ = mpolModeFlags.decompose(value & flagMask) { names.append($0) }
        out.flags(names, rest: 0, zero: "0")
    }

    /// set_mempolicy's mode is an int; mbind's an unsigned long.
    static let intMode = CustomArg { call, i, out in printMode(UInt64(UInt32(truncatingIfNeeded: call.arg(i))), out) }
    static let longMode = CustomArg { call, i, out in printMode(call.arg(i), out) }

    /// The most node-mask bytes kept (4096 nodes).
    static let nodemaskMax = 512

    /// A node mask of `maxnode` bits as strace shows it: (maxnode - 1) bits rounded up to longs,
    /// each as %#018lx (`0000000000000000`, `0x00000000000001`), `...` past -s of them.
    static func printNodemask(_ call: CallView, _ i: Int, maxnode: UInt64, _ bytes: ArraySlice<UInt8>?, _ out: ArgumentSink) {
        let addr = call.arg(i)
        let (sum, overflow) = maxnode.addingReportingOverflow(62)
        let count = overflow ? 0 : sum / 64
        if count < maxnode / 64 || (maxnode != 0 && count == 0) { return out.pointer(addr) }
        guard addr != 0 else { return out.pointer(0) }
        if count == 0 { out.beginArray(); return out.endArray() }
        guard let bytes, UInt64(bytes.count) >= min(count, UInt64(call.stringLimit)) * 8 else { return out.pointer(addr) }
        let r = FieldReader(bytes)
        out.beginArray()
        for k in 0..<Int(min(count, UInt64(bytes.count / 8))) {
            if k == call.stringLimit { out.ellipsis(); break }
            out.element(); out.raw(Structs.hexPadded(r.u64(8 * k), width: 16))
        }
        out.endArray()
    }

    /// A node mask read at entry (set_mempolicy, mbind): the length argument counts bits, so
    /// capturing that many bytes (capped) covers the mask.
    static func nodemaskIn(maxnodeArg: Int) -> CustomArg {
        CustomArg(capture: ArgSpec(.structInLength, lengthArg: maxnodeArg, size: nodemaskMax)) { call, i, out in
            let c = call.capture(i)
            printNodemask(call, i, maxnode: call.arg(maxnodeArg), c.flatMap { $0.faulted ? nil : $0.bytes }, out)
        }
    }

    /// get_mempolicy's node mask, written by the kernel (a fixed-size copy at exit).
    static let nodemaskOut = CustomArg(capture: ArgSpec(.structOut, size: nodemaskMax), atExit: true) { call, i, out in
        guard call.succeeded else { return out.pointer(call.arg(i)) }
        let c = call.exit?.captures.first { $0.arg == i && !$0.faulted }
        printNodemask(call, i, maxnode: call.arg(2), c?.bytes, out)
    }

    /// get_mempolicy's mode, written back: `[MPOL_DEFAULT]`.
    static let modeOut = StructFormat("int mode", size: 4) { b, out, _ in
        out.beginArray(); out.element()
        out.enumeration(UInt64(FieldReader(b).u32(0)), mpolModes)
        out.endArray()
    }

    static let formats: [String: CallFormat] = [
        "set_mempolicy": CallFormat([.custom(intMode), .custom(nodemaskIn(maxnodeArg: 2)), .unsigned]),
        "get_mempolicy": CallFormat([.structOut(modeOut), .custom(nodemaskOut), .unsigned, .pointer, .flags(getMempolicyFlags)]),
        "mbind": CallFormat([.pointer, .unsigned, .custom(longMode), .custom(nodemaskIn(maxnodeArg: 4)), .unsigned,
                             .intFlags(mbindFlags)]),
        "mmap": CallFormat([.pointer, .unsigned, .flags(Tables.mmapProt), .flags(Tables.mmapFlags), .fd, .hex], ret: .hex),
        "mprotect": CallFormat([.pointer, .unsigned, .flags(Tables.mmapProt)]),
        "pkey_mprotect": CallFormat([.pointer, .unsigned, .flags(Tables.mmapProt), .int]),
        "munmap": CallFormat([.pointer, .unsigned]),
        "brk": CallFormat([.pointer], ret: .hex),
        "madvise": CallFormat([.pointer, .unsigned, .intEnum(Tables.madviseAdvice)]),
        "mremap": CallFormat([.pointer, .unsigned, .unsigned, .flags(Tables.mremapFlags),
                              .optional(.pointer, when: { $0.arg(3) & 3 == 3 })], ret: .hex),  // MREMAP_MAYMOVE|MREMAP_FIXED
        "msync": CallFormat([.pointer, .unsigned, .intFlags(Tables.msyncFlags)]),
        "mlock": CallFormat([.pointer, .unsigned]),
        "munlock": CallFormat([.pointer, .unsigned]),
        "mlock2": CallFormat([.pointer, .unsigned, .intFlags(Tables.mlockFlags)]),
        "mlockall": CallFormat([.intFlags(Tables.mlockallFlags)]),
        "memfd_create": CallFormat([.string, .intFlags(Tables.memfdFlags)]),
        "membarrier": CallFormat([.intEnum(Tables.membarrierCommands), .uint, .int]),
    ]
}
