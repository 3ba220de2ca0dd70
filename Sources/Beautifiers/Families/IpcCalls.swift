import CgtraceABI

/// System V IPC: message queues, semaphores, shared memory.
enum IpcCalls {
    static let resourceFlags = FlagTable([Named(0o1000, "IPC_CREAT"), Named(0o2000, "IPC_EXCL"), Named(0o4000, "IPC_NOWAIT")])
    static let shmResourceFlags = FlagTable([
        Named(0o1000, "IPC_CREAT"), Named(0o2000, "IPC_EXCL"), Named(0o4000, "SHM_HUGETLB"), Named(0o10000, "SHM_NORESERVE"),
    ])
    static let shmatFlags = FlagTable([
        Named(0o10000, "SHM_RDONLY"), Named(0o20000, "SHM_RND"), Named(0o40000, "SHM_REMAP"), Named(0o100000, "SHM_EXEC"),
    ], unknown: "SHM_???")
    static let msgctlCommands = EnumTable([
        Named(0, "IPC_RMID"), Named(1, "IPC_SET"), Named(2, "IPC_STAT"), Named(3, "IPC_INFO"),
        Named(11, "MSG_STAT"), Named(12, "MSG_INFO"), Named(13, "MSG_STAT_ANY"),
    ], unknown: "MSG_???")
    static let semctlCommands = EnumTable([
        Named(0, "IPC_RMID"), Named(1, "IPC_SET"), Named(2, "IPC_STAT"), Named(3, "IPC_INFO"),
        Named(11, "GETPID"), Named(12, "GETVAL"), Named(13, "GETALL"), Named(14, "GETNCNT"), Named(15, "GETZCNT"),
        Named(16, "SETVAL"), Named(17, "SETALL"), Named(18, "SEM_STAT"), Named(19, "SEM_INFO"), Named(20, "SEM_STAT_ANY"),
    ], unknown: "SEM_???")
    static let shmctlCommands = EnumTable([
        Named(0, "IPC_RMID"), Named(1, "IPC_SET"), Named(2, "IPC_STAT"), Named(3, "IPC_INFO"),
        Named(11, "SHM_LOCK"), Named(12, "SHM_UNLOCK"), Named(13, "SHM_STAT"), Named(14, "SHM_INFO"), Named(15, "SHM_STAT_ANY"),
    ], unknown: "SHM_???")

    /// The key: `IPC_PRIVATE` for 0, else in hex (its 32 bits).
    static let key = CustomArg { call, i, out in
        let k = UInt64(UInt32(truncatingIfNeeded: call.arg(i)))
        if k == 0 { out.constant("IPC_PRIVATE", hex: 0) } else { out.hex(k) }
    }

    /// `IPC_CREAT|0644`: the flags above the permission bits, then those as %#03o.
    static func printGetFlags(_ value: UInt64, _ table: FlagTable, _ out: ArgumentSink) {
        if out.constantStyle != .abbrev && value & ~0o777 != 0 {
            // -X raw/verbose: `0x200 /* IPC_CREAT */|0600`
            out.flags(value & ~0o777, table)
            return out.raw("|" + permissionText(value))
        }
        var names: [String] = []
        let (_, rest) = table.decompose(value & ~0o777) { names.append($0) }
        if rest != 0 { names.append(Structs.hexText(rest)) }
        var mode = value & 0o777 == 0 ? "0" : "0" + String(value & 0o777, radix: 8)
        while mode.count < 3 { mode = "0" + mode }
        out.raw((names + [mode]).joined(separator: "|"))
    }
    static let getFlags = CustomArg { call, i, out in printGetFlags(call.arg(i) & 0xffff_ffff, resourceFlags, out) }

    /// shmget's flags: SHM_HUGE_* sizes (bits 26–31) print as `N<<SHM_HUGE_SHIFT`.
    static let shmgetFlags = CustomArg { call, i, out in
        let value = call.arg(i) & 0xffff_ffff
        let huge = value & (0x3f << 26)
        var flags = value & ~0o777 & ~huge
        var parts: [String] = []
        if flags != 0 || huge == 0 {
            var names: [String] = []
            let (_, rest) = shmResourceFlags.decompose(flags) { names.append($0) }
            if rest != 0 { names.append(Structs.hexText(rest)) }
            if !names.isEmpty { parts.append(names.joined(separator: "|")) }
            flags = 0
        }
        if huge == 0 && out.constantStyle != .abbrev && value & ~0o777 != 0 {
            out.flags(value & ~0o777, shmResourceFlags)
            return out.raw("|" + permissionText(value))
        }
        if huge != 0 { parts.append("\(huge >> 26)<<SHM_HUGE_SHIFT") }
        var mode = value & 0o777 == 0 ? "0" : "0" + String(value & 0o777, radix: 8)
        while mode.count < 3 { mode = "0" + mode }
        out.raw((parts + [mode]).joined(separator: "|"))
    }

    /// The permission bits as strace's %#03o: `0600`, `000`.
    static func permissionText(_ value: UInt64) -> String {
        var mode = value & 0o777 == 0 ? "0" : "0" + String(value & 0o777, radix: 8)
        while mode.count < 3 { mode = "0" + mode }
        return mode
    }

    /// A *ctl command, `IPC_64|` first when that flag is set.
    static func command(_ table: EnumTable) -> CustomArg {
        CustomArg { call, i, out in
            let cmd = UInt64(UInt32(truncatingIfNeeded: call.arg(i)))
            if cmd & 0x100 != 0 { out.raw("IPC_64|") }
            out.enumeration(cmd & ~0x100, table)
        }
    }

    static let semopFlags = FlagTable([Named(0x1000, "SEM_UNDO"), Named(0x800, "IPC_NOWAIT")], unknown: "SEM_???")

    /// semop's operations: `[{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}]` (6 bytes each), `...` past -s.
    static let sembufs = CustomArg(capture: ArgSpec(.arrayInOut, lengthArg: 2, size: 6)) { call, i, out in
        let count = Int(UInt32(truncatingIfNeeded: call.arg(2)))
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard let c = call.enter?.captures.first(where: { $0.arg == i }), !c.faulted, c.bytes.count >= min(count, 1) * 6 else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(c.bytes)
        out.beginArray()
        for k in 0..<min(count, c.bytes.count / 6) {
            if k == call.stringLimit { out.ellipsis(); break }
            out.element()
            out.beginStruct()
            out.field("sem_num"); out.unsigned(UInt64(r.u16(6 * k)))
            out.field("sem_op"); out.signed(Int64(Int16(bitPattern: r.u16(6 * k + 2))))
            out.field("sem_flg"); out.flags(UInt64(r.u16(6 * k + 4)), semopFlags)
            out.endStruct()
        }
        out.endArray()
    }

    static let formats: [String: CallFormat] = [
        "semop": CallFormat([.int, .custom(sembufs), .uint]),
        "semtimedop": CallFormat([.int, .custom(sembufs), .uint, .structIn(Structs.timespec)]),
        "msgget": CallFormat([.custom(key), .custom(getFlags)]),
        "semget": CallFormat([.custom(key), .int, .custom(getFlags)]),
        "shmget": CallFormat([.custom(key), .unsigned, .custom(shmgetFlags)]),
        "msgctl": CallFormat([.int, .custom(command(msgctlCommands)), .pointer]),
        "shmctl": CallFormat([.int, .custom(command(shmctlCommands)), .pointer]),
        "semctl": CallFormat([.int, .int, .custom(command(semctlCommands)), .pointer]),
        "shmat": CallFormat([.int, .pointer, .intFlags(shmatFlags)], ret: .hex),
        "shmdt": CallFormat([.pointer]),
    ]
}
