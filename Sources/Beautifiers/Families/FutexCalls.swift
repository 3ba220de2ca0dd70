import CgtraceABI

/// futex: which arguments mean something depends on the operation.
enum FutexCalls {
    enum FutexCommand: Int32 {
        case wait = 0, wake, fd, requeue, cmpRequeue, wakeOp, lockPI, unlockPI, trylockPI
        case waitBitset, wakeBitset, waitRequeuePI, cmpRequeuePI, lockPI2
    }
    static func futexCommand(_ c: CallView) -> FutexCommand? { FutexCommand(rawValue: c.int32(1) & 0x7f) }
    static func futexShows(_ commands: Set<FutexCommand>) -> @Sendable (CallView) -> Bool {
        { c in futexCommand(c).map(commands.contains) ?? true }
    }
    static let futexTimeout = ArgFormat.optional(.structIn(Structs.timespec),
                                                 when: futexShows([.wait, .waitBitset, .lockPI, .lockPI2, .waitRequeuePI]))
    static let futexVal2 = ArgFormat.optional(.uint, when: futexShows([.requeue, .cmpRequeue, .wakeOp, .cmpRequeuePI]))
    /// Argument 5: a bitset for the *_BITSET operations, a comparison value for the requeues.
    static let futexVal3 = CustomArg { c, _, out in
        let v = UInt32(truncatingIfNeeded: c.arg(5))
        switch futexCommand(c) {
        case .waitBitset, .wakeBitset:
            if v == UInt32.max { out.constant("FUTEX_BITSET_MATCH_ANY", hex: UInt64(v)) } else { out.hex(UInt64(v)) }
        case .wakeOp: out.hex(UInt64(v))
        default: out.signed(Int64(Int32(bitPattern: v)))
        }
    }
    static let futex: [ArgFormat] = [
        .pointer,
        .intEnum(Tables.futexOps),
        .optional(.int, when: { futexCommand($0).map { ![.unlockPI, .trylockPI, .lockPI, .lockPI2].contains($0) } ?? true }),
        // Argument 3 is a timeout for the waits and a count (val2) for the requeues.
        .optional(.custom(CustomArg(capture: ArgFormat.structIn(Structs.timespec).capture) { c, i, out in
            let f = futexTimeout.shownIn(c) ? futexTimeout : futexVal2
            ArgumentPrinter.printValue(f, index: i, c, out)
        }), when: { futexTimeout.shownIn($0) || futexVal2.shownIn($0) }),
        .optional(.pointer, when: futexShows([.requeue, .cmpRequeue, .wakeOp, .waitRequeuePI, .cmpRequeuePI])),
        .optional(.custom(futexVal3), when: futexShows([.waitBitset, .wakeBitset, .cmpRequeue, .wakeOp, .cmpRequeuePI])),
    ]

    static let formats: [String: CallFormat] = [
        "futex": CallFormat(futex),
    ]
}
