import Decoder

/// Signal names and sets as strace prints them.
public enum SignalSets {
    /// `SIGCHLD`; real-time signals as strace names them (`SIGRTMIN`, `SIGRT_1`, …).
    public static func name(_ sig: UInt32) -> String { Tables.signalName(Int(sig)) }

    /// A signal set: `[]`, `[CHLD]`, or, when most signals are set, the complement `~[RTMIN RT_1]`.
    /// `bytes` is a kernel sigset (bit n-1 for signal n).
    public static func printSet(_ bytes: ArraySlice<UInt8>, _ out: ArgumentSink) {
        let nsig = min(bytes.count * 8, 64)
        var members: [UInt32] = []
        for sig in 1...UInt32(max(nsig, 1)) where nsig > 0 {
            let bit = Int(sig - 1)
            let byte = bytes[bytes.startIndex + bit / 8]
            if byte & (1 << (bit % 8)) != 0 { members.append(sig) }
        }
        // strace lists the complement once two thirds or more of the signals are in the set.
        let complement = nsig > 0 && members.count * 3 >= nsig * 2
        let shown = complement
            ? (1...UInt32(nsig)).filter { !members.contains($0) }
            : members
        // -X raw: numbers; verbose: `2 /* INT */` (strace 6.1's forms).
        let names = shown.map { sig -> String in
            guard let name = Tables.signalSetName(Int(sig)) else { return String(sig) }
            switch out.constantStyle {
            case .abbrev: return name
            case .raw: return String(sig)
            case .verbose: return "\(sig) /* \(name) */"
            }
        }
        out.raw((complement ? "~[" : "[") + names.joined(separator: " ") + "]")
    }
}

/// The `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, …} ---` line's body.
public enum SignalInfoPrinter {
    public static func signalName(_ sig: Int32) -> String { Tables.signalName(Int(sig)) }

    public static func printLine(_ s: SignalDelivery, to out: ArgumentSink) {
        out.raw(signalName(s.signo) + " ")
        printInfo(ArraySlice(s.siginfo), errno: s.errno, to: out)
    }

    /// A siginfo as strace's printsiginfo prints it: `{si_signo=SIGCHLD, si_code=CLD_EXITED, …}`,
    /// `{}` when si_signo is 0 (waitid with WNOHANG and nothing to reap).
    public static func printInfo(_ bytes: ArraySlice<UInt8>, errno: Int32, to out: ArgumentSink) {
        let r = FieldReader(bytes)
        let signo = Int32(r.i32(0))
        let code = r.i32(8)
        out.beginStruct()
        if signo == 0 { return out.endStruct() }
        out.field("si_signo"); out.signal(Int64(signo))
        out.field("si_code"); printCode(signo: signo, code: code, out)
        if errno != 0 {
            out.field("si_errno"); out.errno(Int64(errno))
        }
        // The union starts at offset 16. Codes <= 0 come from user space (SI_FROMUSER): what
        // follows depends on the code; the kernel's own codes depend on the signal.
        if code <= 0 {
            switch code {
            case 0, -6:  // SI_USER, SI_TKILL
                printSource(r, out)
            case -2:  // SI_TIMER: the POSIX timer, its overrun and value
                out.field("si_timerid"); out.hex(UInt64(r.u32(16)))
                out.field("si_overrun"); out.signed(Int64(r.i32(20)))
                printValue(r, out)
            case -5:  // SI_SIGIO
                out.field("si_band"); out.signed(r.i64(16))
                out.field("si_fd"); out.signed(Int64(r.i32(24)))
            default:  // SI_QUEUE, SI_MESGQ, SI_ASYNCIO…: the sender, and the value when its pointer is set
                printSource(r, out)
                if r.u64(24) != 0 { printValue(r, out) }
            }
        } else if signo == 17 {  // SIGCHLD
            out.field("si_pid"); out.pid(Int64(r.i32(16)))
            out.field("si_uid"); out.unsigned(UInt64(r.u32(20)))
            out.field("si_status")
            if code == 1 { out.signed(Int64(r.i32(24))) } else { out.signal(Int64(r.i32(24))) }
            out.field("si_utime"); printTicks(r.i64(32), out)
            out.field("si_stime"); printTicks(r.i64(40), out)
        } else if [4, 5, 7, 8, 11].contains(signo) {  // ILL TRAP BUS FPE SEGV: a fault address
            out.field("si_addr"); out.pointer(r.u64(16))
        } else if signo == 29 {  // SIGIO/SIGPOLL
            out.field("si_band"); out.signed(r.i64(16))
            out.field("si_fd"); out.signed(Int64(r.i32(24)))
        }
        out.endStruct()
    }

    /// The sender: `si_pid=…, si_uid=…`.
    static func printSource(_ r: FieldReader, _ out: ArgumentSink) {
        out.field("si_pid"); out.pid(Int64(r.i32(16)))
        out.field("si_uid"); out.unsigned(UInt64(r.u32(20)))
    }

    /// A sigval: `si_int=…, si_ptr=…` (the same 8 bytes read two ways).
    static func printValue(_ r: FieldReader, _ out: ArgumentSink) {
        out.field("si_int"); out.signed(Int64(r.i32(24)))
        out.field("si_ptr"); out.pointer(r.u64(24))
    }

    /// Clock ticks (USER_HZ, 100 on Linux), with seconds beside them as strace writes them.
    static func printTicks(_ ticks: Int64, _ out: ArgumentSink) {
        out.signed(ticks)
        guard ticks > 0 else { return }
        let hundredths = ticks % 100
        out.comment("\(ticks / 100).\(hundredths < 10 ? "0" : "")\(hundredths) s")
    }

    static func printCode(signo: Int32, code: Int32, _ out: ArgumentSink) {
        if let name = Tables.siCodeName(signal: Int(signo), code: code) {
            return out.constant(name, hex: UInt64(UInt32(bitPattern: code)))
        }
        out.hex(UInt64(UInt32(bitPattern: code)))
    }
}
