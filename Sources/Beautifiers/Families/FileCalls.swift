import CgtraceABI

/// Files, directories and descriptors: open/stat/read/write and friends.
enum FileCalls {
    static let O_CREAT: UInt64 = 0o100
    static let O_TMPFILE: UInt64 = 0o20200000

    /// open's mode argument is meaningful (and printed) only when creating.
    static func mode(flagsArg: Int) -> ArgFormat {
        .optional(.octal, when: { c in
            let f = c.arg(flagsArg) & 0xffff_ffff
            return f & O_CREAT != 0 || f & O_TMPFILE == O_TMPFILE
        })
    }

    static let pipeFlags = FlagTable([Named(0o2000000, "O_CLOEXEC"), Named(0o4000, "O_NONBLOCK"),
                                      Named(0o40000, "O_DIRECT"), Named(0o200000, "O_NOTIFICATION_PIPE")])

    /// getcwd's result: the kernel returns the length including the NUL.
    static let cwd = CustomArg(capture: ArgFormat.outBuffer.capture, atExit: true) { call, i, out in
        guard call.succeeded, let c = call.capture(i), !c.faulted else { return out.pointer(call.arg(i)) }
        let text = c.bytes.prefix(while: { $0 != 0 })
        out.string(text, truncated: false, hexOnly: false)
    }

    /// getdents64's buffer: strace shows the address and the number of entries, which the
    /// kernel side counts (the buffer itself can be far larger than what is copied).
    static let dirents = CustomArg(
        capture: ArgSpec(.direntCount),
        atExit: true
    ) { call, i, out in
        // -v lists the entries (`[]` at the end of a directory); the kernel copies their bytes then.
        if call.verbose, call.succeeded, let ret = call.ret {
            if ret == 0 {
                out.beginArray()
                return out.endArray()
            }
            if let c = call.capture(i), !c.faulted, !c.bytes.isEmpty { return printDirents(c.bytes, total: Int(ret), call, out) }
        }
        out.pointer(call.arg(i))
        guard call.succeeded, let n = call.exitCount(i) else { return }
        out.comment("\(n) entries")
    }

    static let direntTypes = EnumTable([
        Named(0, "DT_UNKNOWN"), Named(1, "DT_FIFO"), Named(2, "DT_CHR"), Named(4, "DT_DIR"), Named(6, "DT_BLK"),
        Named(8, "DT_REG"), Named(10, "DT_LNK"), Named(12, "DT_SOCK"), Named(14, "DT_WHT"),
    ], unknown: "DT_???")

    /// struct linux_dirent64 records: `[{d_ino=…, d_off=…, d_reclen=…, d_type=DT_DIR, d_name="."}, …]`;
    /// `...` after the last whole one when the kernel copied less than the call returned.
    static func printDirents(_ bytes: ArraySlice<UInt8>, total: Int, _ call: CallView, _ out: ArgumentSink) {
        let r = FieldReader(bytes)
        out.beginArray()
        var offset = 0
        while offset + 19 <= bytes.count {
            let reclen = Int(r.u16(offset + 16))
            guard reclen >= 19, offset + reclen <= bytes.count else { break }
            out.element()
            out.beginStruct()
            out.field("d_ino"); out.unsigned(r.u64(offset))
            out.field("d_off"); out.signed(r.i64(offset + 8))
            out.field("d_reclen"); out.unsigned(UInt64(reclen))
            out.field("d_type"); out.enumeration(UInt64(bytes[bytes.startIndex + offset + 18]), direntTypes)
            let name = bytes[(bytes.startIndex + offset + 19)..<(bytes.startIndex + offset + reclen)].prefix { $0 != 0 }
            out.field("d_name"); out.string(name, truncated: false, hexOnly: false)
            out.endStruct()
            offset += reclen
        }
        if offset < total { out.ellipsis() }
        out.endArray()
    }

    // MARK: fcntl — the third argument and the result depend on the command.

    /// The commands decoded here, by their UAPI names (Tables.fcntlCommands names them all; a
    /// test checks that the two agree).
    enum Command: Int32, CaseIterable {
        case F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7
        case F_GETOWN = 9, F_GETSIG = 11, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38
        case F_GETLEASE = 1025, F_DUPFD_CLOEXEC = 1030, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034
    }
    static func command(_ call: CallView) -> Command? { Command(rawValue: call.int32(1)) }
    static let lockCommands: Set<Command> = [.F_GETLK, .F_SETLK, .F_SETLKW, .F_OFD_GETLK, .F_OFD_SETLK, .F_OFD_SETLKW]
    /// The getters: strace prints no third argument for them.
    static let noArgumentCommands: Set<Command> = [.F_GETFD, .F_GETFL, .F_GETOWN, .F_GETSIG, .F_GETLEASE, .F_GETPIPE_SZ,
                                                   .F_GET_SEALS]

    /// struct flock (32 bytes): `{l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=0}`.
    static let flock = StructFormat("flock", size: 32) { b, out, call in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("l_type"); out.enumeration(UInt64(r.u16(0)), Tables.lockTypes)
        out.field("l_whence"); out.enumeration(UInt64(r.u16(2)), Tables.seekWhence)
        out.field("l_start"); out.signed(r.i64(8))
        out.field("l_len"); out.signed(r.i64(16))
        if call.exit != nil, let cmd = command(call), cmd == .F_GETLK || cmd == .F_OFD_GETLK {  // they report the holder
            out.field("l_pid"); out.signed(Int64(r.i32(24)))
        }
        out.endStruct()
    }

    static let fcntlArg = CustomArg(capture: ArgFormat.structIn(flock).capture) { call, i, out in
        switch command(call) {
        case .F_SETFD: out.flags(call.arg(2) & 0xffff_ffff, Tables.fdFlags)
        case .F_SETFL: out.flags(call.arg(2) & 0xffff_ffff, Tables.openFlags)
        case .F_ADD_SEALS: out.flags(call.arg(2) & 0xffff_ffff, Tables.fileSeals)
        case let cmd? where lockCommands.contains(cmd): ArgumentPrinter.printValue(.structIn(flock), index: i, call, out)
        default: out.signed(Int64(call.int32(2)))
        }
    }

    /// F_GETFD/F_GETFL/F_GET_SEALS results are flag sets: `0x1 (flags FD_CLOEXEC)`.
    static let fcntlResult = ReturnFormat.custom { call, value, out in
        let table: FlagTable
        let label: String
        let cmd = command(call)
        switch cmd {
        case .F_DUPFD, .F_DUPFD_CLOEXEC: return out.descriptor(value, target: call.returnedFDTarget)
        case .F_GETFD: (table, label) = (Tables.fdFlags, "flags")
        case .F_GETFL: (table, label) = (Tables.openFlags, "flags")
        case .F_GET_SEALS: (table, label) = (Tables.fileSeals, "seals")
        default: return out.signed(value)
        }
        if value == 0 && cmd != .F_GETFL { return out.signed(0) }
        out.hex(UInt64(bitPattern: value))
        // strace 6.1 names F_GETFL's flags in every -X style, F_GETFD's and the seals' by the style.
        if cmd != .F_GETFL && out.constantStyle != .abbrev {
            return out.raw(" (\(label) \(table.describe(UInt64(bitPattern: value), style: out.constantStyle)))")
        }
        var names: [String] = []
        let (_, rest) = table.decompose(UInt64(bitPattern: value)) { names.append($0) }
        var text = " (\(label) " + names.joined(separator: "|")
        if rest != 0 { text += (names.isEmpty ? "" : "|") + Structs.hexText(rest) }
        out.raw(text + ")")
    }

    // MARK: times

    static let UTIME_NOW: Int64 = (1 << 30) - 1
    static let UTIME_OMIT: Int64 = (1 << 30) - 2

    /// utimensat's two timespecs: `[UTIME_OMIT, {tv_sec=…, tv_nsec=…} /* 2023-11-14T22:13:20+0000 */]`.
    static let timesPair = StructFormat("timespec[2]", size: 32) { b, out, _ in
        let r = FieldReader(b)
        out.beginArray()
        for k in 0..<2 {
            out.element()
            let sec = r.i64(16 * k), nsec = r.i64(16 * k + 8)
            let special = nsec == UTIME_NOW ? "UTIME_NOW" : nsec == UTIME_OMIT ? "UTIME_OMIT" : nil
            // -X raw/verbose show the timespec of UTIME_NOW/UTIME_OMIT (verbose names it after).
            if let special, out.constantStyle == .abbrev { out.symbol(special); continue }
            out.beginStruct()
            out.field("tv_sec"); out.signed(sec)
            out.field("tv_nsec"); out.signed(nsec)
            out.endStruct()
            if let special {
                if out.constantStyle == .verbose { out.comment(special) }
                continue
            }
            out.comment(TimeText.iso8601(seconds: sec, nanoseconds: nsec))
        }
        out.endArray()
    }

    static let fadviseAdvice = EnumTable([
        Named(0, "POSIX_FADV_NORMAL"), Named(1, "POSIX_FADV_RANDOM"), Named(2, "POSIX_FADV_SEQUENTIAL"),
        Named(3, "POSIX_FADV_WILLNEED"), Named(4, "POSIX_FADV_DONTNEED"), Named(5, "POSIX_FADV_NOREUSE"),
    ], unknown: "POSIX_FADV_???")

    /// STATX_ATTR_* (include/uapi/linux/stat.h), in strace's order.
    static let statxAttributes = FlagTable([
        Named(0x4, "STATX_ATTR_COMPRESSED"), Named(0x10, "STATX_ATTR_IMMUTABLE"), Named(0x20, "STATX_ATTR_APPEND"),
        Named(0x40, "STATX_ATTR_NODUMP"), Named(0x800, "STATX_ATTR_ENCRYPTED"), Named(0x1000, "STATX_ATTR_AUTOMOUNT"),
        Named(0x2000, "STATX_ATTR_MOUNT_ROOT"), Named(0x100000, "STATX_ATTR_VERITY"), Named(0x200000, "STATX_ATTR_DAX"),
    ])

    /// struct statx (256 bytes), abbreviated as strace prints it without -v.
    /// With -v every field, in strace 6.1's order; the birth time, mount id and direct-I/O
    /// alignments only when the kernel says (stx_mask) it filled them.
    static let statx = StructFormat("statx", size: 256) { b, out, call in
        let r = FieldReader(b)
        let mask = r.u32(0)
        out.beginStruct()
        out.field("stx_mask"); out.flags(UInt64(mask), Tables.statxMask)
        if call.verbose { out.field("stx_blksize"); out.unsigned(UInt64(r.u32(4))) }
        out.field("stx_attributes"); out.flags(r.u64(8), statxAttributes)
        if call.verbose {
            out.field("stx_nlink"); out.unsigned(UInt64(r.u32(16)))
            out.field("stx_uid"); out.unsigned(UInt64(r.u32(20)))
            out.field("stx_gid"); out.unsigned(UInt64(r.u32(24)))
        }
        out.field("stx_mode"); Structs.printFileMode(UInt64(r.u16(28)), out)
        if call.verbose { out.field("stx_ino"); out.unsigned(r.u64(32)) }
        out.field("stx_size"); out.unsigned(r.u64(40))
        guard call.verbose else {
            out.ellipsis()
            return out.endStruct()
        }
        out.field("stx_blocks"); out.unsigned(r.u64(48))
        out.field("stx_attributes_mask"); out.flags(r.u64(56), statxAttributes)
        func time(_ name: String, _ offset: Int) {
            let sec = r.i64(offset), nsec = Int64(r.u32(offset + 8))
            out.field(name)
            out.beginStruct()
            out.field("tv_sec"); out.signed(sec)
            out.field("tv_nsec"); out.signed(nsec)
            out.endStruct()
            // (strace 6.1 leaves the date out of a zero time: the unset times of /lost+found.)
            if sec != 0 || nsec != 0 { out.comment(TimeText.iso8601(seconds: sec, nanoseconds: nsec)) }
        }
        time("stx_atime", 64)
        if mask & 0x800 != 0 { time("stx_btime", 80) }  // STATX_BTIME
        time("stx_ctime", 96)
        time("stx_mtime", 112)
        out.field("stx_rdev_major"); out.unsigned(UInt64(r.u32(128)))
        out.field("stx_rdev_minor"); out.unsigned(UInt64(r.u32(132)))
        out.field("stx_dev_major"); out.unsigned(UInt64(r.u32(136)))
        out.field("stx_dev_minor"); out.unsigned(UInt64(r.u32(140)))
        if mask & 0x1000 != 0 { out.field("stx_mnt_id"); out.hex(r.u64(144)) }  // STATX_MNT_ID
        if mask & 0x2000 != 0 {  // STATX_DIOALIGN
            out.field("stx_dio_mem_align"); out.unsigned(UInt64(r.u32(152)))
            out.field("stx_dio_offset_align"); out.unsigned(UInt64(r.u32(156)))
        }
        out.endStruct()
    }

    /// sendfile's offset: `[0]`, and what the kernel advanced it to when it moved anything,
    /// `[0] => [10]`; NULL when the file's own offset is used.
    static let sendfileOffset = CustomArg(capture: ArgSpec(.structInOut, size: 8),
                                          atExit: true) { call, i, out in
        guard call.arg(i) != 0 else { return out.pointer(0) }
        guard let before = call.enter?.captures.first(where: { $0.arg == i && !$0.faulted && $0.bytes.count >= 8 }) else {
            return out.pointer(call.arg(i))
        }
        out.raw("[\(FieldReader(before.bytes).u64(0))]")
        if call.succeeded, call.ret != 0,
           let after = call.exit?.captures.first(where: { $0.arg == i && !$0.faulted && $0.bytes.count >= 8 }) {
            out.raw(" => [\(FieldReader(after.bytes).u64(0))]")
        }
    }

    /// mount(2): the type and data are strings, except that a remount ignores the type and
    /// bind/move/propagation changes ignore both (strace prints their addresses).
    static let MS_REMOUNT: UInt64 = 32, MS_BIND: UInt64 = 4096, MS_MOVE: UInt64 = 8192
    static let MS_PROPAGATION: UInt64 = 0x20000 | 0x40000 | 0x80000 | 0x100000  // UNBINDABLE PRIVATE SLAVE SHARED
    static func mountFlags(_ c: CallView) -> UInt64 {
        let f = c.arg(3)
        return f & 0xffff_0000 == 0xc0ed_0000 ? f & ~0xffff_0000 : f  // MS_MGC_VAL in the upper half
    }
    static func mountIgnoresData(_ c: CallView) -> Bool {
        mountFlags(c) & MS_REMOUNT == 0 && mountFlags(c) & (MS_BIND | MS_MOVE | MS_PROPAGATION) != 0
    }
    static let mountType = CustomArg(capture: ArgFormat.string.capture) { call, i, out in
        if mountFlags(call) & MS_REMOUNT != 0 || mountIgnoresData(call) { return out.pointer(call.arg(i)) }
        ArgumentPrinter.printValue(.string, index: i, call, out)
    }
    static let mountData = CustomArg(capture: ArgFormat.string.capture) { call, i, out in
        if mountIgnoresData(call) { return out.pointer(call.arg(i)) }
        ArgumentPrinter.printValue(.string, index: i, call, out)
    }
    static let mountFlagsArg = CustomArg { call, i, out in
        let f = call.arg(i)
        guard f & 0xffff_0000 == 0xc0ed_0000 else { return out.flags(f, Tables.mountFlags) }
        if out.constantStyle == .raw { out.hex(0xc0ed_0000) } else { out.symbol("MS_MGC_VAL") }
        let rest = f & ~0xffff_0000
        if rest != 0 { out.raw("|"); out.flags(rest, Tables.mountFlags) }
    }

    /// listxattr's list: the names the call returned (NUL-separated, as a string cut at -s); the
    /// address for a size-0 query or a failure.
    static let xattrList = CustomArg(capture: ArgFormat.outBuffer.capture, atExit: true) { call, i, out in
        guard call.arg(2) != 0, call.succeeded else { return out.pointer(call.arg(i)) }
        ArgumentPrinter.printValue(.outBuffer, index: i, call, out)
    }

    static let fallocModes = FlagTable([
        Named(0x1, "FALLOC_FL_KEEP_SIZE"), Named(0x2, "FALLOC_FL_PUNCH_HOLE"), Named(0x4, "FALLOC_FL_NO_HIDE_STALE"),
        Named(0x8, "FALLOC_FL_COLLAPSE_RANGE"), Named(0x10, "FALLOC_FL_ZERO_RANGE"), Named(0x20, "FALLOC_FL_INSERT_RANGE"),
        Named(0x40, "FALLOC_FL_UNSHARE_RANGE"),
    ], unknown: "FALLOC_FL_???")
    static let syncFileRangeFlags = FlagTable([
        Named(1, "SYNC_FILE_RANGE_WAIT_BEFORE"), Named(2, "SYNC_FILE_RANGE_WRITE"), Named(4, "SYNC_FILE_RANGE_WAIT_AFTER"),
    ], unknown: "SYNC_FILE_RANGE_???")
    static let resolveFlags = FlagTable([
        Named(0x1, "RESOLVE_NO_XDEV"), Named(0x2, "RESOLVE_NO_MAGICLINKS"), Named(0x4, "RESOLVE_NO_SYMLINKS"),
        Named(0x8, "RESOLVE_BENEATH"), Named(0x10, "RESOLVE_IN_ROOT"), Named(0x20, "RESOLVE_CACHED"),
    ], unknown: "RESOLVE_???")

    /// openat2's struct open_how (24 bytes): flags as open's, the mode when creating or set, the
    /// RESOLVE_* flags; the address when the size is below 24.
    static let openHow = CustomArg(capture: ArgSpec(.structIn, size: 24)) { call, i, out in
        guard call.arg(i) != 0, call.arg(3) >= 24, let c = call.capture(i), !c.faulted, c.bytes.count >= 24 else {
            return out.pointer(call.arg(i))
        }
        let r = FieldReader(c.bytes)
        let flags = r.u64(0), mode = r.u64(8)
        out.beginStruct()
        out.field("flags"); out.flags(flags, Tables.openFlags)
        if flags & (O_CREAT | O_TMPFILE) != 0 || mode != 0 { out.field("mode"); out.octal(mode) }
        out.field("resolve"); out.flags(r.u64(16), resolveFlags)
        out.endStruct()
    }

    /// mknod's mode (an unsigned short to strace) and, for devices only, the device number.
    static func mknod(modeArg: Int) -> [ArgFormat] {
        [.custom(CustomArg { call, i, out in Structs.printFileMode(call.arg(i) & 0xffff, out) }),
         .optional(.custom(CustomArg { call, i, out in Structs.printDevice(call.arg(i) & 0xffff_ffff, out) }),
                   when: { c in [0o020000, 0o060000].contains(c.arg(modeArg) & 0o170000) })]
    }

    static let formats: [String: CallFormat] = [
        "statx": CallFormat([.dirfd, .path, .intFlags(Tables.statxFlags), .intFlags(Tables.statxMask), .structOut(statx)]),
        "open": CallFormat([.path, .intFlags(Tables.openFlags), mode(flagsArg: 1)]),
        "openat": CallFormat([.dirfd, .path, .intFlags(Tables.openFlags), mode(flagsArg: 2)]),
        "creat": CallFormat([.path, .octal]),
        "access": CallFormat([.path, .intFlags(Tables.accessModes)]),
        "faccessat": CallFormat([.dirfd, .path, .intFlags(Tables.accessModes)]),
        "faccessat2": CallFormat([.dirfd, .path, .intFlags(Tables.accessModes), .intFlags(Tables.faccessatFlags)]),
        "stat": CallFormat([.path, .structOut(Structs.stat)]),
        "lstat": CallFormat([.path, .structOut(Structs.stat)]),
        "fstat": CallFormat([.fd, .structOut(Structs.stat)]),
        "statfs": CallFormat([.path, .structOut(Structs.statfs)]),
        "fstatfs": CallFormat([.fd, .structOut(Structs.statfs)]),
        "newfstatat": CallFormat([.dirfd, .path, .structOut(Structs.stat), .intFlags(Tables.atFlags)]),
        "close": CallFormat([.fd]),
        "read": CallFormat([.fd, .outBuffer, .unsigned]),
        "write": CallFormat([.fd, .inBuffer(length: 2), .unsigned]),
        "pread64": CallFormat([.fd, .outBuffer, .unsigned, .signed]),
        "pwrite64": CallFormat([.fd, .inBuffer(length: 2), .unsigned, .signed]),
        "lseek": CallFormat([.fd, .signed, .intEnum(Tables.seekWhence)]),
        "readlink": CallFormat([.path, .outBuffer, .unsigned]),
        "readlinkat": CallFormat([.dirfd, .path, .outBuffer, .unsigned]),
        "getcwd": CallFormat([.custom(cwd), .unsigned]),
        "getdents64": CallFormat([.fd, .custom(dirents), .unsigned]),
        "unlink": CallFormat([.path]),
        "unlinkat": CallFormat([.dirfd, .path, .intFlags(Tables.atFlags)]),
        "mkdir": CallFormat([.path, .octal]),
        "mkdirat": CallFormat([.dirfd, .path, .octal]),
        "rmdir": CallFormat([.path]),
        "chdir": CallFormat([.path]),
        "fchdir": CallFormat([.fd]),
        "rename": CallFormat([.path, .path]),
        "renameat": CallFormat([.dirfd, .path, .dirfd, .path]),
        "renameat2": CallFormat([.dirfd, .path, .dirfd, .path, .intFlags(Tables.renameFlags)]),
        "link": CallFormat([.path, .path]),
        "linkat": CallFormat([.dirfd, .path, .dirfd, .path, .intFlags(Tables.atFlags)]),
        "symlink": CallFormat([.path, .path]),
        "symlinkat": CallFormat([.path, .dirfd, .path]),
        "chmod": CallFormat([.path, .octal]),
        "fchmod": CallFormat([.fd, .octal]),
        "fchmodat": CallFormat([.dirfd, .path, .octal]),
        "chown": CallFormat([.path, .int, .int]),
        "lchown": CallFormat([.path, .int, .int]),
        "fchown": CallFormat([.fd, .int, .int]),
        "fchownat": CallFormat([.dirfd, .path, .int, .int, .intFlags(Tables.atFlags)]),
        "truncate": CallFormat([.path, .signed]),
        "ftruncate": CallFormat([.fd, .signed]),
        "dup": CallFormat([.fd]),
        "dup2": CallFormat([.fd, .fd]),
        "dup3": CallFormat([.fd, .fd, .intFlags(Tables.dup3Flags)]),
        "pipe": CallFormat([.structOut(Structs.fdPair)]),
        "pipe2": CallFormat([.structOut(Structs.fdPair), .intFlags(pipeFlags)]),
        "fcntl": CallFormat([.fd, .intEnum(Tables.fcntlCommands),
                             .optional(.custom(fcntlArg), when: { command($0).map { !noArgumentCommands.contains($0) } ?? true })],
                            ret: fcntlResult),
        "fadvise64": CallFormat([.fd, .signed, .signed, .intEnum(fadviseAdvice)]),
        "listxattr": CallFormat([.path, .custom(xattrList), .unsigned]),
        "llistxattr": CallFormat([.path, .custom(xattrList), .unsigned]),
        "flistxattr": CallFormat([.fd, .custom(xattrList), .unsigned]),
        "inotify_add_watch": CallFormat([.fd, .path, .intFlags(Tables.inotifyMask)]),
        "inotify_rm_watch": CallFormat([.fd, .int]),
        "fallocate": CallFormat([.fd, .intFlags(fallocModes), .signed, .signed]),
        "sync_file_range": CallFormat([.fd, .signed, .signed, .intFlags(syncFileRangeFlags)]),
        "openat2": CallFormat([.dirfd, .path, .custom(openHow), .unsigned]),
        "mknod": CallFormat([.path] + mknod(modeArg: 1)),
        "mknodat": CallFormat([.dirfd, .path] + mknod(modeArg: 2)),
        "umask": CallFormat([.octal], ret: .octal),
        "fsync": CallFormat([.fd]),
        "epoll_create1": CallFormat([.intFlags(Tables.epollCreateFlags)]),
        "fdatasync": CallFormat([.fd]),
        "flock": CallFormat([.fd, .intFlags(Tables.flockOperations)]),
        "sendfile": CallFormat([.fd, .fd, .custom(sendfileOffset), .unsigned]),
        "mount": CallFormat([.path, .path, .custom(mountType), .custom(mountFlagsArg), .custom(mountData)]),
        "umount2": CallFormat([.path, .intFlags(Tables.umountFlags)]),
        "utimensat": CallFormat([.dirfd, .path, .structIn(timesPair), .intFlags(Tables.atFlags)]),
        "close_range": CallFormat([.uint, .uint, .intFlags(Tables.closeRangeFlags)]),
    ]
}
