import CgtraceABI

/// ioctl: the request's name and, for the terminal and file requests strace decodes, its
/// argument; the terminal attributes (struct termios, struct termio) they carry.
enum IoctlCalls {
    /// The requests decoded here, by their UAPI names (x86_64 values; Tables.ioctlRequests names
    /// them all, and a test checks that the two agree).
    enum Request: UInt32, CaseIterable {
        case TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404
        case TCGETA = 0x5405, TCSETA = 0x5406, TCSETAW = 0x5407, TCSETAF = 0x5408
        case TCSBRK = 0x5409, TCXONC = 0x540a, TCFLSH = 0x540b, TIOCEXCL = 0x540c, TIOCNXCL = 0x540d
        case TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411, TIOCSTI = 0x5412
        case TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCGSOFTCAR = 0x5419, TIOCSSOFTCAR = 0x541a
        case FIONREAD = 0x541b, TIOCCONS = 0x541d, TIOCSSERIAL = 0x541f, TIOCPKT = 0x5420, FIONBIO = 0x5421
        case TIOCNOTTY = 0x5422, TIOCSETD = 0x5423, TIOCGETD = 0x5424, TCSBRKP = 0x5425, TIOCSBRK = 0x5427
        case TIOCCBRK = 0x5428, TIOCGSID = 0x5429, TIOCVHANGUP = 0x5437, FIONCLEX = 0x5450, FIOCLEX = 0x5451
        case FIOASYNC = 0x5452, TIOCGLCKTRMIOS = 0x5456
        case TIOCGPTN = 0x8004_5430, TIOCSPTLCK = 0x4004_5431, TIOCGDEV = 0x8004_5432, TIOCGEXCL = 0x8004_5440
        case FICLONE = 0x4004_9409, FS_IOC_GETFLAGS = 0x8008_6601, FS_IOC_SETFLAGS = 0x4008_6602
    }
    static func request(_ call: CallView) -> Request? { Request(rawValue: UInt32(truncatingIfNeeded: call.arg(1))) }

    /// ioctl's third argument: an address, but a descriptor for FICLONE (strace prints it as
    /// one), and what the kernel wrote for the requests strace decodes that way: FIONREAD's and
    /// TIOCGPGRP's `[N]`, TIOCGWINSZ's struct winsize. The kernel copies 8 bytes at exit of a
    /// successful call (a plain number as the argument just fails to copy).
    ///
    /// The terminal requests that pass an int in (FIONBIO, FIOASYNC, TIOCSPGRP…) show it from the
    /// entry copy (`[1]`, even when the call fails), so the copy is made at entry and at exit.
    static let ioctlArgument = CustomArg(capture: ArgSpec(.structInOut, size: 36),
                                         atExit: true) { call, i, out in printIoctlArgument(call, i, out) }

    static func printIoctlArgument(_ call: CallView, _ i: Int, _ out: ArgumentSink) {
        let addr = call.arg(i)
        // Requests strace has no decoder for: the argument as a number, 0 as 0.
        guard let request = Self.request(call) else { return out.hex(addr) }
        /// The copy made at entry (what the caller passed) or at exit of a successful call.
        func copy(atExit: Bool, _ size: Int) -> ArraySlice<UInt8>? {
            if atExit && !call.succeeded { return nil }
            let captures = atExit ? call.exit?.captures : call.enter?.captures
            guard addr != 0, let c = captures?.first(where: { $0.arg == i }), !c.faulted, c.bytes.count >= size else { return nil }
            return c.bytes
        }
        func int(_ b: ArraySlice<UInt8>) { out.beginArray(); out.element(); out.signed(Int64(FieldReader(b).i32(0))); out.endArray() }
        func winsize(_ b: ArraySlice<UInt8>) {
            let r = FieldReader(b)
            out.beginStruct()
            for (k, name) in ["ws_row", "ws_col", "ws_xpixel", "ws_ypixel"].enumerated() {
                out.field(name); out.unsigned(UInt64(r.u16(2 * k)))
            }
            out.endStruct()
        }
        func flags(_ b: ArraySlice<UInt8>) {
            out.beginArray(); out.element(); out.flags(UInt64(FieldReader(b).u32(0)), Tables.fsInodeFlags); out.endArray()
        }
        switch request {
        case .FICLONE, .TIOCSCTTY, .TCSBRK, .TCSBRKP:  // FICLONE's fd, the others' int
            out.signed(Int64(call.int32(i)))
        case .TCXONC: out.enumeration(addr, tcxoncActions)
        case .TCFLSH: out.enumeration(addr, tcflshQueues)
        case _ where termiosSetters.contains(request):
            if let b = copy(atExit: false, 36) { termios.print(b, out, call) } else { out.pointer(addr) }
        case .TCGETS, .TIOCGLCKTRMIOS:
            if let b = copy(atExit: true, 36) { termios.print(b, out, call) } else { out.pointer(addr) }
        case .TCSETA, .TCSETAW, .TCSETAF:
            if let b = copy(atExit: false, 18) { termio.print(b, out, call) } else { out.pointer(addr) }
        case .TCGETA:
            if let b = copy(atExit: true, 18) { termio.print(b, out, call) } else { out.pointer(addr) }
        case .TIOCSWINSZ:
            if let b = copy(atExit: false, 8) { winsize(b) } else { out.pointer(addr) }
        case .TIOCGWINSZ:
            if let b = copy(atExit: true, 8) { winsize(b) } else { out.pointer(addr) }
        case .TIOCSTI:  // one character
            if let b = copy(atExit: false, 1) { out.string(b.prefix(1), truncated: false, hexOnly: false) } else { out.pointer(addr) }
        case _ where ioctlIntsIn.contains(request):
            if let b = copy(atExit: false, 4) { int(b) } else { out.pointer(addr) }
        case _ where ioctlIntsOut.contains(request):
            if let b = copy(atExit: true, 4) { int(b) } else { out.pointer(addr) }
        case .FS_IOC_SETFLAGS:
            if let b = copy(atExit: false, 4) { flags(b) } else { out.pointer(addr) }
        case .FS_IOC_GETFLAGS:
            if let b = copy(atExit: true, 4) { flags(b) } else { out.pointer(addr) }
        default:
            out.hex(addr)
        }
    }

    /// The terminal ioctls that take no argument: strace prints none.
    static let ioctlsWithoutArgument: Set<Request> = [.TIOCSBRK, .TIOCCBRK, .TIOCCONS, .TIOCNOTTY, .TIOCEXCL, .TIOCNXCL,
                                                      .FIOCLEX, .FIONCLEX, .TIOCVHANGUP, .TIOCSSERIAL]
    static let tcxoncActions = EnumTable([Named(0, "TCOOFF"), Named(1, "TCOON"), Named(2, "TCIOFF"), Named(3, "TCION")],
                                         unknown: "TC???")
    static let tcflshQueues = EnumTable([Named(0, "TCIFLUSH"), Named(1, "TCOFLUSH"), Named(2, "TCIOFLUSH")], unknown: "TC???")

    /// An ioctl request: its name, or strace's `_IOC(_IOC_READ, 0x66, 0x1, 0x8)` spelling of the
    /// direction, type, number and size.
    static let ioctlRequest = CustomArg { call, i, out in
        let code = UInt32(truncatingIfNeeded: call.arg(i))
        let name = Tables.ioctlRequests.name(for: UInt64(code))
        switch out.constantStyle {
        case .raw: return out.hex(UInt64(code))
        case .verbose: out.hex(UInt64(code)); return out.comment(name ?? ioctlCodeText(code, verbose: true))
        case .abbrev: out.raw(name ?? ioctlCodeText(code, verbose: false))
        }
    }

    static func ioctlCodeText(_ code: UInt32, verbose: Bool) -> String {
        let dir = code >> 30, type = (code >> 8) & 0xff, nr = code & 0xff, size = (code >> 16) & 0x3fff
        var dirs: [String] = []
        if dir == 0 { dirs = ["_IOC_NONE"] }
        if dir & 2 != 0 { dirs.append("_IOC_READ") }
        if dir & 1 != 0 { dirs.append("_IOC_WRITE") }
        func hex(_ v: UInt32) -> String { Structs.hexText(UInt64(v)) }
        return "_IOC(\(dirs.joined(separator: "|")), \(hex(type)), \(hex(nr)), \(hex(size)))"
    }

    /// Terminal ioctls whose argument points at an int the caller passes.
    static let ioctlIntsIn: Set<Request> = [.TIOCSPGRP, .TIOCPKT, .FIONBIO, .TIOCSETD, .TIOCSSOFTCAR, .FIOASYNC, .TIOCSPTLCK]
    /// … and those whose int the kernel writes.
    static let ioctlIntsOut: Set<Request> = [.TIOCGPGRP, .TIOCOUTQ, .TIOCGSOFTCAR, .FIONREAD, .TIOCGETD, .TIOCGSID, .TIOCGPTN,
                                             .TIOCGDEV, .TIOCGEXCL]

    // MARK: terminal attributes

    static let termiosSetters: Set<Request> = [.TCSETS, .TCSETSW, .TCSETSF]

    /// Flags as strace's printflags64 without a default: names, then unnamed bits in hex, and
    /// nothing at all for 0 (`c_iflag=,` in raw mode; `…|FF0|` when no other output flag is set).
    static func flagText(_ value: UInt64, _ table: FlagTable) -> String {
        var names: [String] = []
        let (_, rest) = table.decompose(value) { names.append($0) }
        if rest != 0 { names.append(Structs.hexText(rest)) }
        return names.joined(separator: "|")
    }

    /// struct termios abbreviated as strace prints it: the four flag words, then `...`. c_oflag
    /// names each delay field (`NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR`), c_cflag starts with the
    /// baud rate (and the input one when set) and the character size.
    /// -v: the line discipline and the control characters (c_cc's 19 slots, the unnamed last two
    /// by index), as strace prints them.
    static let lineDisciplines = EnumTable([Named(0, "N_TTY"), Named(1, "N_SLIP"), Named(2, "N_MOUSE"), Named(3, "N_PPP"),
                                            Named(15, "N_HCI"), Named(17, "N_SLCAN"), Named(18, "N_PPS"), Named(21, "N_GSM0710"),
                                            Named(27, "N_NULL"), Named(28, "N_MCTP")])
    static let controlCharacterNames = ["VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART",
                                        "VSTOP", "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2"]

    static let termios = StructFormat("termios", size: 36) { b, out, call in
        let r = FieldReader(b)
        // -X raw: every part as a number (`0|0|…|0x5`, `0xf|0x30|0xb0`), as strace prints them.
        // -X verbose: each part its number and names (`0 /* NL0 */|…|0x5 /* OPOST|ONLCR */`).
        let style = out.constantStyle
        let hex = Structs.hexText
        func flags(_ v: UInt64, _ t: FlagTable) -> String {
            switch style {
            case .abbrev: return flagText(v, t)
            case .raw: return hex(v)
            case .verbose:
                let names = flagText(v, t)
                return names.isEmpty ? hex(v) : "\(hex(v)) /* \(names) */"
            }
        }
        func value(_ v: UInt64, _ t: EnumTable) -> String {
            switch style {
            case .abbrev: return t.describe(v)
            case .raw: return hex(v)
            case .verbose: return t.name(for: v).map { "\(hex(v)) /* \($0) */" } ?? hex(v)
            }
        }
        let raw = style != .abbrev
        out.beginStruct()
        out.field("c_iflag"); out.raw(flags(UInt64(r.u32(0)), Tables.termInputFlags))
        var oflag = UInt64(r.u32(4))
        var parts: [String] = []
        for (mask, names) in Tables.termOutputDelays {
            parts.append(value(oflag & mask, names))
            oflag &= ~mask
        }
        out.field("c_oflag"); out.raw((parts + [flags(oflag, Tables.termOutputFlags)]).joined(separator: "|"))
        let cflag = UInt64(r.u32(8))
        var cparts = [value(cflag & 0x100f, Tables.baudRates)]
        if cflag & 0x100f_0000 != 0 {
            cparts.append(value((cflag & 0x100f_0000) >> 16, Tables.baudRates) + (raw ? "<<0x10" : "<<IBSHIFT"))
        }
        cparts.append(value(cflag & 0x30, Tables.termCharSizes))
        cparts.append(flags(cflag & ~UInt64(0x100f_103f), Tables.termControlFlags))
        out.field("c_cflag"); out.raw(cparts.joined(separator: "|"))
        out.field("c_lflag"); out.raw(flags(UInt64(r.u32(12)), Tables.termLocalFlags))
        guard call.verbose, b.count >= 36 else {
            out.ellipsis()
            return out.endStruct()
        }
        out.field("c_line"); out.enumeration(UInt64(b[b.startIndex + 16]), lineDisciplines, unknownAsHex: false)
        let cc = (0..<19).map { k -> String in
            let name = k < controlCharacterNames.count ? controlCharacterNames[k] : String(k)
            return "[\(name)]=\(hex(UInt64(b[b.startIndex + 17 + k])))"
        }
        out.field("c_cc"); out.raw("[" + cc.joined(separator: ", ") + "]")
        out.endStruct()
    }

    /// struct termio (the old TCGETA/TCSETA one): four 16-bit flag words, printed as termios's.
    static let termio = StructFormat("termio", size: 18) { b, out, call in
        let r = FieldReader(b)
        var w = [UInt8]()
        for k in 0..<4 { withUnsafeBytes(of: UInt32(r.u16(2 * k)).littleEndian) { w.append(contentsOf: $0) } }
        termios.print(ArraySlice(w + [UInt8](repeating: 0, count: 20)), out, call)
    }

    static let formats: [String: CallFormat] = [
        "ioctl": CallFormat([.fd, .custom(ioctlRequest),
                             .optional(.custom(ioctlArgument),
                                       when: { request($0).map { !ioctlsWithoutArgument.contains($0) } ?? true })]),
    ]
}
