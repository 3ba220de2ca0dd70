import CgtraceABI

/// Clocks and timers: clock_*, nanosleep, POSIX timers, timerfds, interval timers.
enum TimerCalls {
    /// The sleeps' remaining time: an out-parameter, so a call interrupted or still sleeping
    /// when its line is cut (`<unfinished ...>`) shows nothing of it yet, as strace does.
    static let remaining = CustomArg(atExit: true) { call, i, out in out.pointer(call.arg(i)) }

    // MARK: POSIX timers

    static let SIGEV_SIGNAL: Int32 = 0, SIGEV_NONE: Int32 = 1, SIGEV_THREAD: Int32 = 2, SIGEV_THREAD_ID: Int32 = 4
    static let sigevNotify = EnumTable([
        Named(UInt64(SIGEV_SIGNAL), "SIGEV_SIGNAL"), Named(UInt64(SIGEV_NONE), "SIGEV_NONE"),
        Named(UInt64(SIGEV_THREAD), "SIGEV_THREAD"), Named(UInt64(SIGEV_THREAD_ID), "SIGEV_THREAD_ID"),
    ], unknown: "SIGEV_???")

    /// struct sigevent (64 bytes): the value only when its pointer is set, the signal named when
    /// the notification is a signal, the thread id or function for the modes that have one.
    static let sigevent = StructFormat("sigevent", size: 64) { b, out, _ in
        let r = FieldReader(b)
        out.beginStruct()
        if r.u64(0) != 0 {
            out.field("sigev_value")
            out.beginStruct()
            out.field("sival_int"); out.signed(Int64(r.i32(0)))
            out.field("sival_ptr"); out.pointer(r.u64(0))
            out.endStruct()
        }
        let signo = r.i32(8), notify = r.i32(12)
        out.field("sigev_signo")
        switch notify {
        case SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID:
            out.signal(Int64(signo))
        default:
            out.unsigned(UInt64(UInt32(bitPattern: signo)))
        }
        out.field("sigev_notify"); out.enumeration(UInt64(UInt32(bitPattern: notify)), sigevNotify)
        if notify == SIGEV_THREAD_ID {
            out.field("sigev_notify_thread_id"); out.signed(Int64(r.i32(16)))
        } else if notify == SIGEV_THREAD {
            out.field("sigev_notify_function"); out.pointer(r.u64(16))
            out.field("sigev_notify_attributes"); out.pointer(r.u64(24))
        }
        out.endStruct()
    }

    static let formats: [String: CallFormat] = [
        "timer_create": CallFormat([.intEnum(Tables.clockIds), .structIn(sigevent), .structOut(Structs.intOut)]),
        "timer_settime": CallFormat([.int, .intFlags(Tables.timerFlags), .structIn(Structs.itimerspec), .structOut(Structs.itimerspec)]),
        "timer_gettime": CallFormat([.int, .structOut(Structs.itimerspec)]),
        "timer_getoverrun": CallFormat([.int]),
        "timer_delete": CallFormat([.int]),
        "timerfd_settime": CallFormat([.fd, .intFlags(Tables.timerfdFlags), .structIn(Structs.itimerspec), .structOut(Structs.itimerspec)]),
        "timerfd_gettime": CallFormat([.fd, .structOut(Structs.itimerspec)]),
        "setitimer": CallFormat([.intEnum(Tables.itimerWhich), .structIn(Structs.itimerval), .structOut(Structs.itimerval)]),
        "getitimer": CallFormat([.intEnum(Tables.itimerWhich), .structOut(Structs.itimerval)]),
        "timerfd_create": CallFormat([.intEnum(Tables.clockIds), .intFlags(Tables.timerfdFlags)]),
        "clock_gettime": CallFormat([.intEnum(Tables.clockIds), .structOut(Structs.timespec)]),
        "clock_getres": CallFormat([.intEnum(Tables.clockIds), .structOut(Structs.timespec)]),
        "clock_nanosleep": CallFormat([.intEnum(Tables.clockIds), .intFlags(Tables.timerFlags), .structIn(Structs.timespec), .custom(remaining)]),
        "nanosleep": CallFormat([.structIn(Structs.timespec), .custom(remaining)]),
        "gettimeofday": CallFormat([.structOut(Structs.timeval), .structOut(Structs.timezone)]),
    ]
}
