import CgtraceABI
import Decoder

/// Little-endian field reads from captured struct bytes; out-of-range reads give 0.
public struct FieldReader {
    public let bytes: ArraySlice<UInt8>
    public init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    public func u64(_ off: Int) -> UInt64 { value(off, 8) }
    public func u32(_ off: Int) -> UInt32 { UInt32(truncatingIfNeeded: value(off, 4)) }
    public func u16(_ off: Int) -> UInt16 { UInt16(truncatingIfNeeded: value(off, 2)) }
    public func i64(_ off: Int) -> Int64 { Int64(bitPattern: u64(off)) }
    public func i32(_ off: Int) -> Int32 { Int32(bitPattern: u32(off)) }

    /// A NUL-terminated char array field of `max` bytes.
    public func cString(_ off: Int, max: Int) -> ArraySlice<UInt8> {
        let start = bytes.startIndex + off
        guard start < bytes.endIndex else { return [] }
        let end = min(start + max, bytes.endIndex)
        let field = bytes[start..<end]
        return field[..<(field.firstIndex(of: 0) ?? end)]
    }

    func value(_ off: Int, _ size: Int) -> UInt64 {
        let start = bytes.startIndex + off
        guard off >= 0, start + size <= bytes.endIndex else { return 0 }
        var v: UInt64 = 0
        for i in (0..<size).reversed() { v = v << 8 | UInt64(bytes[start + i]) }
        return v
    }
}

/// Struct printers, by the kernel's struct name (as the syscall table's C types name them).
/// Layouts are x86_64's; offsets are from the kernel's UAPI definitions.
public enum Structs {
    public static let byName: [String: StructFormat] = [
        "stat": stat, "timespec": timespec, "__kernel_timespec": timespec, "__kernel_old_timespec": timespec,
        "rlimit64": rlimit, "rlimit": rlimit, "new_utsname": utsname, "timeval": timeval,
        "__kernel_old_timeval": timeval, "timezone": timezone, "sysinfo": sysinfo,
    ]

    /// struct stat (x86_64, 144 bytes), abbreviated as strace prints it without -v.
    public static let stat = StructFormat("stat", size: 144) { b, out, call in
        let r = FieldReader(b)
        let mode = r.u32(24)
        if call.verbose { return printStatVerbose(r, out) }
        out.beginStruct()
        out.field("st_mode")
        printFileMode(UInt64(mode), out)
        let type = mode & 0o170000
        if type == 0o020000 || type == 0o060000 {
            out.field("st_rdev")
            let rdev = r.u64(40)
            printDevice(rdev, out)
        } else {
            out.field("st_size")
            out.signed(r.i64(48))
        }
        out.ellipsis()
        out.endStruct()
    }

    /// -v: every field of struct stat, times with their date in a comment, as strace -v.
    static func printStatVerbose(_ r: FieldReader, _ out: ArgumentSink) {
        let mode = r.u32(24)
        let dev = r.u64(0)
        out.beginStruct()
        out.field("st_dev"); printDevice(dev, out)
        out.field("st_ino"); out.unsigned(r.u64(8))
        out.field("st_mode"); printFileMode(UInt64(mode), out)
        out.field("st_nlink"); out.unsigned(r.u64(16))
        out.field("st_uid"); out.unsigned(UInt64(r.u32(28)))
        out.field("st_gid"); out.unsigned(UInt64(r.u32(32)))
        out.field("st_blksize"); out.signed(r.i64(56))
        out.field("st_blocks"); out.signed(r.i64(64))
        let type = mode & 0o170000
        if type == 0o020000 || type == 0o060000 {
            let rdev = r.u64(40)
            out.field("st_rdev"); printDevice(rdev, out)
        } else {
            out.field("st_size"); out.signed(r.i64(48))
        }
        for (name, offset) in [("st_atime", 72), ("st_mtime", 88), ("st_ctime", 104)] {
            let seconds = r.i64(offset), nanoseconds = r.i64(offset + 8)
            out.field(name); out.signed(seconds)
            out.comment(TimeText.iso8601(seconds: seconds, nanoseconds: nanoseconds))
            out.field(name + "_nsec"); out.signed(nanoseconds)
        }
        out.endStruct()
    }

    /// `S_IFREG|0644`, `S_IFDIR|S_ISVTX|0777`, `S_IFIFO|000`, as strace's print_symbolic_mode_t:
    /// the type, the set-id and sticky bits, then the rest as C's `%#03o`; a mode whose type bits
    /// name no type prints whole in octal.
    public static func printFileMode(_ mode: UInt64, _ out: ArgumentSink) {
        guard let text = symbolicMode(mode) else { return out.octal(mode) }
        if out.constantStyle != .abbrev {
            // -X raw: the octal number; verbose: and the names in a comment.
            out.octal(mode)
            if out.constantStyle == .raw { return }
            return out.comment(text)
        }
        out.raw(text)
    }

    static func symbolicMode(_ mode: UInt64) -> String? {
        var text = ""
        let type = mode & 0o170000
        if type != 0 {
            guard let name = Tables.fileTypes.name(for: type) else { return nil }
            text = name + "|"
        }
        _ = Tables.fileModeSpecialBits.decompose(mode & 0o7000) { text += $0 + "|" }
        let rest = mode & ~UInt64(0o177000)
        var digits = rest == 0 ? "0" : "0" + String(rest, radix: 8)
        while digits.count < 3 { digits = "0" + digits }
        return text + digits
    }

    /// A device number: `makedev(0x1, 0x3)`; -X raw `0x103`, verbose both.
    static func printDevice(_ dev: UInt64, _ out: ArgumentSink) {
        switch out.constantStyle {
        case .abbrev: out.raw(makedevText(dev))
        case .raw: out.hex(dev)
        case .verbose: out.hex(dev); out.comment(makedevText(dev))
        }
    }

    /// `makedev(0xfe, 0)`: strace's %#x, so zero has no 0x.
    static func makedevText(_ dev: UInt64) -> String {
        "makedev(\(hexText(major(dev))), \(hexText(minor(dev))))"
    }

    static func major(_ dev: UInt64) -> UInt64 { ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff) }
    static func minor(_ dev: UInt64) -> UInt64 { (dev & 0xff) | ((dev >> 12) & ~0xff) }

    /// struct rusage: the two times, then (with -v) its fourteen counters.
    public static let rusage = StructFormat("rusage", size: 144) { b, out, call in
        let r = FieldReader(b)
        out.beginStruct()
        for (k, name) in ["ru_utime", "ru_stime"].enumerated() {
            out.field(name)
            out.beginStruct()
            out.field("tv_sec"); out.signed(r.i64(16 * k))
            out.field("tv_usec"); out.signed(r.i64(16 * k + 8))
            out.endStruct()
        }
        if call.verbose {
            let counters = ["ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap",
                            "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw"]
            for (k, name) in counters.enumerated() { out.field(name); out.signed(r.i64(32 + 8 * k)) }
        } else {
            out.ellipsis()
        }
        out.endStruct()
    }

    /// struct statfs (x86_64: every field a long but f_fsid, two ints), as strace prints it.
    public static let statfs = StructFormat("statfs", size: 120) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("f_type"); out.enumeration(r.u64(0), Tables.filesystemMagic)
        for (i, name) in ["f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree"].enumerated() {
            out.field(name); out.unsigned(r.u64(8 + 8 * i))
        }
        out.field("f_fsid")
        out.beginStruct()
        out.field("val")
        out.beginArray()
        for i in 0..<2 { out.element(); out.hex(UInt64(r.u32(56 + 4 * i))) }
        out.endArray()
        out.endStruct()
        out.field("f_namelen"); out.unsigned(r.u64(64))
        out.field("f_frsize"); out.unsigned(r.u64(72))
        let flags = r.u64(80)
        if flags & 0x20 != 0 {  // ST_VALID: the kernel filled f_flags in (always, since 2.6.36)
            out.field("f_flags"); out.flags(flags, Tables.statfsFlags)
        }
        out.endStruct()
    }

    public static let timespec = StructFormat("timespec", size: 16) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("tv_sec"); out.signed(r.i64(0))
        out.field("tv_nsec"); out.signed(r.i64(8))
        out.endStruct()
    }

    public static let timeval = StructFormat("timeval", size: 16) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("tv_sec"); out.signed(r.i64(0))
        out.field("tv_usec"); out.signed(r.i64(8))
        out.endStruct()
    }

    public static let timezone = StructFormat("timezone", size: 8) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("tz_minuteswest"); out.signed(Int64(r.i32(0)))
        out.field("tz_dsttime"); out.signed(Int64(r.i32(4)))
        out.endStruct()
    }

    /// `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`: strace writes multiples of 1024 as `N*1024`.
    public static let rlimit = StructFormat("rlimit64", size: 16) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("rlim_cur"); printRlimitValue(r.u64(0), out)
        out.field("rlim_max"); printRlimitValue(r.u64(8), out)
        out.endStruct()
    }

    static func printRlimitValue(_ v: UInt64, _ out: ArgumentSink) {
        if v == UInt64.max {
            out.abbreviated("RLIM64_INFINITY", unsigned: v)
        } else if v > 0 && v % 1024 == 0 {
            out.abbreviated("\(v / 1024)*1024", unsigned: v)
        } else {
            out.unsigned(v)
        }
    }

    /// struct new_utsname: six 65-byte strings; strace shows sysname, nodename, then `...`.
    /// `{sysname="Linux", nodename="vm", ...}`; with -v all six fields.
    public static let utsname = StructFormat("new_utsname", size: 390) { b, out, call in
        let r = FieldReader(b)
        out.beginStruct()
        let fields = call.verbose ? ["sysname", "nodename", "release", "version", "machine", "domainname"]
                                  : ["sysname", "nodename"]
        for (k, name) in fields.enumerated() {
            out.field(name); out.string(r.cString(65 * k, max: 65), truncated: false, hexOnly: false)
        }
        if !call.verbose { out.ellipsis() }
        out.endStruct()
    }

    public static let sysinfo = StructFormat("sysinfo", size: 112) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        out.field("uptime"); out.signed(r.i64(0))
        out.field("loads"); out.raw("[\(r.u64(8)), \(r.u64(16)), \(r.u64(24))]")
        out.field("totalram"); out.unsigned(r.u64(32))
        out.field("freeram"); out.unsigned(r.u64(40))
        out.field("sharedram"); out.unsigned(r.u64(48))
        out.field("bufferram"); out.unsigned(r.u64(56))
        out.field("totalswap"); out.unsigned(r.u64(64))
        out.field("freeswap"); out.unsigned(r.u64(72))
        out.field("procs"); out.unsigned(UInt64(r.u16(80)))
        out.field("totalhigh"); out.unsigned(r.u64(88))
        out.field("freehigh"); out.unsigned(r.u64(96))
        out.field("mem_unit"); out.unsigned(UInt64(r.u32(104)))
        out.endStruct()
    }

    /// Two ints written by pipe/pipe2/socketpair: `[3, 4]`.
    /// pipe/pipe2/socketpair's `[3, 4]`; with -y, `[3<pipe:[123]>, 4<pipe:[123]>]`.
    public static let fdPair = StructFormat("fd pair", size: 8, fdRole: .fdPairOut) { b, out, call in
        let r = FieldReader(b)
        out.beginArray()
        out.element(); out.descriptor(Int64(r.i32(0)), target: call.fdTarget(CaptureSlot.pairFirst))
        out.element(); out.descriptor(Int64(r.i32(4)), target: call.fdTarget(CaptureSlot.pairSecond))
        out.endArray()
    }

    /// An int the caller passes and the kernel may rewrite (socklen_t): `[16]`, or `[128 => 16]`
    /// when the call changed it; on failure only the value passed in.
    public static let intInOut = CustomArg(capture: ArgSpec(.structInOut, size: 4)) { call, i, out in
        let before = call.enter?.captures.first { $0.arg == i && !$0.faulted && $0.bytes.count >= 4 }
        let after = call.exit?.captures.first { $0.arg == i && !$0.faulted && $0.bytes.count >= 4 }
        guard let before else { return out.pointer(call.arg(i)) }
        let old = FieldReader(before.bytes).i32(0)
        out.beginArray()
        out.element()
        out.signed(Int64(old))
        if call.succeeded, let after {
            let new = FieldReader(after.bytes).i32(0)
            if new != old { out.raw(" => \(new)") }
        }
        out.endArray()
    }

    /// A gid_t array of `count` elements (getgroups' result, setgroups' argument): `[0, 4, 24]`,
    /// `...` past -s elements; the address when the count exceeds NGROUPS_MAX or the read failed.
    public static func printGroups(_ call: CallView, _ i: Int, count: Int64, _ out: ArgumentSink) {
        let addr = call.arg(i)
        guard count >= 0, count <= 65536 else { return out.pointer(addr) }
        guard addr != 0 else { return out.pointer(0) }
        if count == 0 { out.beginArray(); return out.endArray() }
        guard let c = call.capture(i), !c.faulted, c.bytes.count >= 4 else { return out.pointer(addr) }
        let r = FieldReader(c.bytes)
        out.beginArray()
        for k in 0..<min(Int(count), c.bytes.count / 4) {
            if k == call.stringLimit { out.ellipsis(); break }
            out.element()
            ProcessCalls.printID(r.u32(4 * k), out)
        }
        out.endArray()
    }

    /// struct itimerspec (timer_settime, timerfd_settime): two timespecs.
    public static let itimerspec = StructFormat("itimerspec", size: 32) { b, out, _ in
        printTimerPair(FieldReader(b), fraction: "tv_nsec", out)
    }

    /// struct itimerval (setitimer, getitimer): two timevals.
    public static let itimerval = StructFormat("itimerval", size: 32) { b, out, _ in
        printTimerPair(FieldReader(b), fraction: "tv_usec", out)
    }

    static func printTimerPair(_ r: FieldReader, fraction: String, _ out: ArgumentSink) {
        out.beginStruct()
        for (k, name) in ["it_interval", "it_value"].enumerated() {
            out.field(name)
            out.beginStruct()
            out.field("tv_sec"); out.signed(r.i64(16 * k))
            out.field(fraction); out.signed(r.i64(16 * k + 8))
            out.endStruct()
        }
        out.endStruct()
    }

    /// C's `%#x`: `0x1f`, and plain `0` for zero (the `#` flag gives zero no prefix), as strace
    /// prints hex numbers inside a text (makedev's parts, an ioctl code's fields, flag words).
    public static func hexText(_ v: UInt64) -> String { v == 0 ? "0" : "0x" + String(v, radix: 16) }

    /// C's `%#0*x`: zero-padded to `width` characters, the `0x` counting in them and absent for 0
    /// (`00000000`, `0x000001`), as strace prints netlink groups and node masks.
    public static func hexPadded(_ v: UInt64, width: Int) -> String {
        let digits = String(v, radix: 16)
        let prefix = v == 0 ? "" : "0x"
        let pad = max(0, width - prefix.count - digits.count)
        return prefix + String(repeating: "0", count: pad) + digits
    }

    /// An int behind a pointer (timer_create's timer id, a sched_param): `[0]`.
    public static let intOut = StructFormat("int", size: 4) { b, out, _ in
        out.beginArray(); out.element(); out.signed(Int64(FieldReader(b).i32(0))); out.endArray()
    }

    /// A wait status as strace shows it: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
    public static let waitStatus = StructFormat("wait status", size: 4) { b, out, _ in
        let s = FieldReader(b).u32(0)
        out.beginArray()
        out.element()
        let sig = s & 0x7f
        if sig == 0 {
            out.raw("{WIFEXITED(s) && WEXITSTATUS(s) == \((s >> 8) & 0xff)}")
        } else if sig == 0x7f {
            out.raw("{WIFSTOPPED(s) && WSTOPSIG(s) == \(SignalSets.name((s >> 8) & 0xff))}")
        } else {
            var text = "{WIFSIGNALED(s) && WTERMSIG(s) == \(SignalSets.name(sig))"
            if s & 0x80 != 0 { text += " && WCOREDUMP(s)" }
            out.raw(text + "}")
        }
        out.endArray()
    }
}
