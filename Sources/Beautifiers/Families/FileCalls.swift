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

    /// getdents64's buffer: strace shows the address and the number of entries.
    static let dirents = CustomArg(
        capture: cgt_arg_spec(capture: UInt8(CGT_ARG_BUF_OUT_RET.rawValue), len_arg: 0, size: UInt16(CGT_CAP_MAX)),
        atExit: true
    ) { call, i, out in
        out.pointer(call.arg(i))
        guard call.succeeded, let c = call.capture(i), !c.faulted else { return }
        var n = 0
        var off = 0
        let r = FieldReader(c.bytes)
        while off + 19 <= c.bytes.count {
            let reclen = Int(r.u16(off + 16))
            if reclen == 0 { break }
            n += 1
            off += reclen
        }
        out.comment("\(n) entries")
    }

    /// fcntl's third argument depends on the command.
    static let fcntlArg = CustomArg { call, i, out in
        switch call.int32(1) {
        case 2: out.flags(call.arg(2) & 0xffff_ffff, Tables.fdFlags)           // F_SETFD
        case 4: out.flags(call.arg(2) & 0xffff_ffff, Tables.openFlags)         // F_SETFL
        default: out.signed(Int64(call.int32(2)))
        }
    }
    static let fcntlHasArg: @Sendable (CallView) -> Bool = { c in
        ![1, 3, 9, 1025, 1032, 1034].contains(c.int32(1))  // F_GETFD F_GETFL F_GETOWN F_GETSIG F_GETPIPE_SZ F_GET_SEALS
    }

    /// struct statx (256 bytes), abbreviated as strace prints it without -v.
    static let statx = StructFormat("statx", size: 256) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("stx_mask"); out.flags(UInt64(r.u32(0)), Tables.statxMask)
        out.field("stx_attributes"); out.hex(r.u64(8))
        out.field("stx_mode"); Structs.printFileMode(UInt64(r.u16(28)), out)
        out.field("stx_size"); out.unsigned(r.u64(40))
        out.ellipsis()
        out.endStruct()
    }

    static let formats: [String: CallFormat] = [
        "statx": CallFormat([.dirfd, .path, .intFlags(Tables.statxFlags), .intFlags(Tables.statxMask), .structOut(statx)]),
        "open": CallFormat([.path, .intFlags(Tables.openFlags), mode(flagsArg: 1)], ret: .fd),
        "openat": CallFormat([.dirfd, .path, .intFlags(Tables.openFlags), mode(flagsArg: 2)], ret: .fd),
        "creat": CallFormat([.path, .octal], ret: .fd),
        "access": CallFormat([.path, .intFlags(Tables.accessModes)]),
        "faccessat": CallFormat([.dirfd, .path, .intFlags(Tables.accessModes)]),
        "faccessat2": CallFormat([.dirfd, .path, .intFlags(Tables.accessModes), .intFlags(Tables.faccessatFlags)]),
        "stat": CallFormat([.path, .structOut(Structs.stat)]),
        "lstat": CallFormat([.path, .structOut(Structs.stat)]),
        "fstat": CallFormat([.fd, .structOut(Structs.stat)]),
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
        "dup": CallFormat([.fd], ret: .fd),
        "dup2": CallFormat([.fd, .fd], ret: .fd),
        "dup3": CallFormat([.fd, .fd, .intFlags(Tables.dup3Flags)], ret: .fd),
        "pipe": CallFormat([.structOut(Structs.fdPair)]),
        "pipe2": CallFormat([.structOut(Structs.fdPair), .intFlags(pipeFlags)]),
        "fcntl": CallFormat([.fd, .intEnum(Tables.fcntlCommands), .optional(.custom(fcntlArg), when: fcntlHasArg)]),
        "ioctl": CallFormat([.fd, .intEnum(Tables.ioctlRequests), .pointer]),
        "umask": CallFormat([.octal], ret: .octal),
        "fsync": CallFormat([.fd]),
        "fdatasync": CallFormat([.fd]),
        "flock": CallFormat([.fd, .intFlags(Tables.flockOperations)]),
        "sendfile": CallFormat([.fd, .fd, .pointer, .unsigned]),
        "utimensat": CallFormat([.dirfd, .path, .pointer, .intFlags(Tables.atFlags)]),
        "close_range": CallFormat([.uint, .uint, .intFlags(Tables.closeRangeFlags)]),
    ]
}
