import CgtraceABI
import Decoder

/// Builds record bytes exactly as the BPF programs write them (probes/include/cgtrace_abi.h,
/// probes/cgtrace.bpf.c): little-endian, `cgt_header` first, `size` covering the whole record and
/// rounded up to a multiple of 8, captures as `cgt_capture` + data + zero padding to 8 bytes.
enum RecordBuilder {
    // Sizes of the C structs, from the ABI module itself.
    static let headerSize = MemoryLayout<cgt_header>.size          // 32
    static let enterSize = MemoryLayout<cgt_sys_enter>.size        // 56
    static let exitSize = MemoryLayout<cgt_sys_exit>.size          // 24
    static let captureHeaderSize = MemoryLayout<cgt_capture>.size  // 8
    static let signalSize = MemoryLayout<cgt_signal>.size          // 64
    static let taskExitSize = MemoryLayout<cgt_task_exit>.size     // 8
    static let forkSize = MemoryLayout<cgt_fork>.size              // 24
    static let execSize = MemoryLayout<cgt_exec>.size              // 24
    static let siginfoSize = Int(CGT_SIGINFO_SIZE)                 // 48

    static let typeEnter = UInt16(CGT_REC_SYS_ENTER.rawValue)
    static let typeExit = UInt16(CGT_REC_SYS_EXIT.rawValue)
    static let typeSignal = UInt16(CGT_REC_SIGNAL.rawValue)
    static let typeTaskExit = UInt16(CGT_REC_EXIT.rawValue)
    static let typeFork = UInt16(CGT_REC_FORK.rawValue)
    static let typeExec = UInt16(CGT_REC_EXEC.rawValue)
    static let typePidns = UInt16(CGT_REC_PIDNS.rawValue)
    static let pidnsSize = MemoryLayout<cgt_pidns>.size            // 24

    /// sys_exit header flag: SIGKILL is pending, the call never returns to the task.
    static let killedFlag = UInt16(CGT_HDRF_KILLED.rawValue)

    /// One capture to append after a syscall record's fixed part.
    struct Cap {
        var arg: UInt8
        var kind: CaptureKind
        var flags: UInt16 = 0
        var index: UInt16 = 0
        var data: [UInt8] = []
        /// Override the `len` field (to build malformed captures); nil: data.count.
        var lenOverride: UInt16? = nil

        static let fault = UInt16(CGT_CAPF_FAULT.rawValue)
        static let truncatedFlag = UInt16(CGT_CAPF_TRUNCATED.rawValue)
        static let lateFlag = UInt16(CGT_CAPF_LATE.rawValue)

        /// A NUL-terminated string read (the NUL is not included, as bpf_probe_read_user_str minus one).
        static func string(_ arg: Int, _ text: String, flags: UInt16 = 0) -> Cap {
            Cap(arg: UInt8(arg), kind: .string, flags: flags, data: Array(text.utf8))
        }
        static func string(_ arg: Int, bytes: [UInt8], flags: UInt16 = 0) -> Cap {
            Cap(arg: UInt8(arg), kind: .string, flags: flags, data: bytes)
        }
        /// Raw bytes (buffers and structs).
        static func buffer(_ arg: Int, _ bytes: [UInt8]) -> Cap {
            Cap(arg: UInt8(arg), kind: .buffer, data: bytes)
        }
        static func buffer(_ arg: Int, _ text: String) -> Cap { buffer(arg, Array(text.utf8)) }
        /// A read of user memory that failed: FAULT set, len 0.
        static func faulted(_ arg: Int, kind: CaptureKind = .string, late: Bool = false) -> Cap {
            Cap(arg: UInt8(arg), kind: kind, flags: fault | (late ? lateFlag : 0))
        }
        /// One element of a string array (execve argv).
        static func argv(_ arg: Int, index: Int, _ text: String) -> Cap {
            Cap(arg: UInt8(arg), kind: .argvElement, index: UInt16(index), data: Array(text.utf8))
        }
        /// The element count of a string array: a __u32 in an 8-byte slot, len 4 (put_u32).
        static func argc(_ arg: Int, _ count: UInt32) -> Cap {
            var w = ByteWriter()
            w.u32(count)
            return Cap(arg: UInt8(arg), kind: .count, data: w.bytes)
        }
    }

    /// Little-endian byte appender.
    struct ByteWriter {
        var bytes: [UInt8] = []
        mutating func u8(_ v: UInt8) { bytes.append(v) }
        mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
        mutating func zeros(_ n: Int) { bytes.append(contentsOf: repeatElement(0, count: n)) }
        mutating func pad8() { zeros((8 - bytes.count % 8) % 8) }
        /// A fixed-size char array (comm): the text, cut at `size`, NUL-padded.
        mutating func chars(_ text: String, size: Int) {
            let b = Array(text.utf8.prefix(size))
            bytes.append(contentsOf: b)
            zeros(size - b.count)
        }
    }

    /// Common header fields.
    struct Origin {
        var pid: UInt32
        var tid: UInt32
        var cpu: UInt16 = 0
        var ts: UInt64 = 1_000_000
        var seq: UInt64 = 0
        /// Header flags (enum cgt_header_flags), e.g. `killedFlag` on a sys_exit.
        var flags: UInt16 = 0

        init(pid: UInt32, tid: UInt32? = nil, cpu: UInt16 = 0, ts: UInt64 = 1_000_000, seq: UInt64 = 0,
             flags: UInt16 = 0) {
            self.pid = pid
            self.tid = tid ?? pid
            self.cpu = cpu
            self.ts = ts
            self.seq = seq
            self.flags = flags
        }
    }

    /// Writes the header with `size` 0, to be patched by `finish`.
    static func header(_ type: UInt16, _ o: Origin) -> ByteWriter {
        var w = ByteWriter()
        w.u16(type)
        w.u16(0)        // size: patched when the record is complete
        w.u16(o.cpu)
        w.u16(o.flags)
        w.u32(o.pid)
        w.u32(o.tid)
        w.u64(o.ts)
        w.u64(o.seq)
        return w
    }

    /// Round up to 8 (as submit() does) and store the size.
    static func finish(_ w: inout ByteWriter, sizeOverride: UInt16? = nil) -> [UInt8] {
        w.pad8()
        let size = sizeOverride ?? UInt16(w.bytes.count)
        w.bytes[2] = UInt8(size & 0xff)
        w.bytes[3] = UInt8(size >> 8)
        return w.bytes
    }

    static func append(_ caps: [Cap], to w: inout ByteWriter) {
        for c in caps {
            w.u8(c.arg)
            w.u8(c.kind.rawValue)
            w.u16(c.lenOverride ?? UInt16(c.data.count))
            w.u16(c.flags)
            w.u16(c.index)
            w.bytes.append(contentsOf: c.data)
            w.pad8()
        }
    }

    static func enter(_ o: Origin, nr: Int, call: UInt32, args: [UInt64], captures: [Cap] = []) -> [UInt8] {
        precondition(args.count <= Int(CGT_MAX_ARGS))
        var w = header(typeEnter, o)
        w.u32(UInt32(nr))
        w.u32(call)
        for i in 0..<Int(CGT_MAX_ARGS) { w.u64(i < args.count ? args[i] : 0) }
        append(captures, to: &w)
        return finish(&w)
    }

    static func exit(_ o: Origin, nr: Int, call: UInt32, ret: Int64, enterTs: UInt64 = 0, captures: [Cap] = []) -> [UInt8] {
        var w = header(typeExit, o)
        w.u32(UInt32(nr))
        w.u32(call)
        w.i64(ret)
        w.u64(enterTs)
        append(captures, to: &w)
        return finish(&w)
    }

    static func signal(_ o: Origin, signo: Int32, errno: Int32 = 0, code: Int32, siginfo: [UInt8]) -> [UInt8] {
        var w = header(typeSignal, o)
        w.i32(signo)
        w.i32(errno)
        w.i32(code)
        w.u32(0)  // pad
        var info = Array(siginfo.prefix(siginfoSize))
        info += repeatElement(0, count: siginfoSize - info.count)
        w.bytes.append(contentsOf: info)
        return finish(&w)
    }

    /// A kernel_siginfo for SIGCHLD (x86_64): signo, errno, code, then at 16 the _sigchld union
    /// member: pid, uid, status (int), pad, utime (long) at 32, stime (long) at 40.
    static func sigchldInfo(code: Int32, pid: Int32, uid: UInt32, status: Int32, utime: Int64 = 0, stime: Int64 = 0) -> [UInt8] {
        var w = ByteWriter()
        w.i32(17)
        w.i32(0)
        w.i32(code)
        w.u32(0)
        w.i32(pid)
        w.u32(uid)
        w.i32(status)
        w.u32(0)
        w.i64(utime)
        w.i64(stime)
        return w.bytes
    }

    /// A kernel_siginfo for a signal sent by kill(2) (_kill: pid, uid at 16).
    static func killInfo(signo: Int32, code: Int32 = 0, pid: Int32, uid: UInt32) -> [UInt8] {
        var w = ByteWriter()
        w.i32(signo)
        w.i32(0)
        w.i32(code)
        w.u32(0)
        w.i32(pid)
        w.u32(uid)
        w.zeros(siginfoSize - w.bytes.count)
        return w.bytes
    }

    /// A kernel_siginfo for a fault (_sigfault: addr at 16).
    static func faultInfo(signo: Int32, code: Int32, addr: UInt64) -> [UInt8] {
        var w = ByteWriter()
        w.i32(signo)
        w.i32(0)
        w.i32(code)
        w.u32(0)
        w.u64(addr)
        w.zeros(siginfoSize - w.bytes.count)
        return w.bytes
    }

    static let typeLost = UInt16(CGT_REC_LOST.rawValue)

    /// A hole's marker (struct cgt_lost): `records` dropped by `cpus`, from `tids`.
    static func lost(_ o: Origin, records: UInt64, first: UInt64, last: UInt64, cpus: UInt64 = 1, tids: [UInt32]) -> [UInt8] {
        var w = header(typeLost, o)
        w.u64(records)
        w.u64(first)
        w.u64(last)
        w.u64(cpus)
        let listed = Array(tids.prefix(Int(CGT_LOST_TIDS)))
        w.u32(UInt32(listed.count))
        w.u32(tids.count > listed.count ? 1 : 0)
        for i in 0..<Int(CGT_LOST_TIDS) { w.u32(i < listed.count ? listed[i] : 0) }
        return finish(&w)
    }

    static func taskExit(_ o: Origin, status: UInt32, groupDead: Bool = true) -> [UInt8] {
        var w = header(typeTaskExit, o)
        w.u32(status)
        w.u32(groupDead ? 1 : 0)
        return finish(&w)
    }

    static func fork(_ o: Origin, childPid: UInt32, childTid: UInt32? = nil, comm: String) -> [UInt8] {
        var w = header(typeFork, o)
        w.u32(childPid)
        w.u32(childTid ?? childPid)
        w.chars(comm, size: 16)
        return finish(&w)
    }

    /// A task's pids in its own pid namespace (`tid`/`pid` the task's host ids).
    static func pidns(_ o: Origin, tid: UInt32, pid: UInt32, nsTid: UInt32, nsPid: UInt32, level: UInt32 = 1) -> [UInt8] {
        var w = header(typePidns, o)
        w.u32(tid)
        w.u32(pid)
        w.u32(nsTid)
        w.u32(nsPid)
        w.u32(level)
        w.u32(0)
        return finish(&w)
    }

    static func exec(_ o: Origin, oldTid: UInt32, comm: String) -> [UInt8] {
        var w = header(typeExec, o)
        w.u32(oldTid)
        w.u32(0)  // pad
        w.chars(comm, size: 16)
        return finish(&w)
    }

    /// x86_64 `struct stat` (144 bytes) with the fields strace shows.
    static func statBytes(mode: UInt32, size: Int64, rdev: UInt64 = 0) -> [UInt8] {
        var w = ByteWriter()
        w.u64(0x803)     // st_dev
        w.u64(1234)      // st_ino
        w.u64(1)         // st_nlink
        w.u32(mode)      // st_mode @24
        w.u32(0)         // st_uid
        w.u32(0)         // st_gid
        w.u32(0)         // __pad0
        w.u64(rdev)      // st_rdev @40
        w.i64(size)      // st_size @48
        w.zeros(144 - w.bytes.count)
        return w.bytes
    }
}

extension RecordBuilder {
    /// A held entry as hold_entry (probes/output.bpf.h) keeps it: the sys_enter record `entry`
    /// without its seq and with only its first `nargs` arguments.
    static func shortEntry(_ entry: [UInt8], nargs: Int) -> [UInt8] {
        let captures = entry[(headerSize + enterSize)...]
        var w = ByteWriter()
        w.u16(UInt16(CGT_REC_SYS_ENTER_SHORT.rawValue))
        w.u16(UInt16(MemoryLayout<cgt_sys_enter_short>.size + 8 * nargs + captures.count))
        w.bytes += entry[4..<6]                         // cpu
        w.u8(entry[6])                                  // flags
        w.u8(UInt8(nargs))
        w.bytes += entry[8..<24]                        // pid, tid, ts
        w.bytes += entry[headerSize..<(headerSize + 8 + 8 * nargs)]  // nr, call, args
        w.bytes += captures
        return w.bytes
    }

    /// A joined call's ring sample as submit_joined writes it: the exit record cut to a
    /// cgt_sys_return over the end of its header and body, its captures, then the held entry.
    static func joined(exit: [UInt8], entry: [UInt8], nargs: Int) -> [UInt8] {
        let cut = headerSize + exitSize - MemoryLayout<cgt_sys_return>.size
        var w = ByteWriter()
        w.u16(UInt16(CGT_REC_SYS_RETURN.rawValue))
        w.u16(UInt16(exit.count - cut))
        w.bytes += exit[4..<8]                          // cpu, flags
        w.bytes += exit[(headerSize + 8)..<(headerSize + 16)]  // ret
        w.bytes += exit[16..<24]                        // ts
        w.bytes += exit[(headerSize + exitSize)...]     // the exit's captures
        return w.bytes + shortEntry(entry, nargs: nargs)
    }
}
