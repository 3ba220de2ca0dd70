import CgtraceABI

/// Scheduling: policies and attributes, CPU affinity, nice values and I/O priorities.
enum SchedCalls {
    // MARK: CPU affinity

    /// A CPU mask written by the kernel (the result is its size in bytes): `[0 1]`.
    static let cpuSet = CustomArg(capture: ArgFormat.outBuffer.capture, atExit: true) { call, i, out in
        guard call.succeeded, let c = call.capture(i), !c.faulted else { return out.pointer(call.arg(i)) }
        var cpus: [String] = []
        for (byteIndex, byte) in c.bytes.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 { cpus.append(String(byteIndex * 8 + bit)) }
        }
        out.raw("[" + cpus.joined(separator: " ") + "]")
    }

    /// strace's CPU mask size: it probes the kernel from 128 bytes up, and 128 is enough here.
    static let cpusetSize = 128

    /// sched_setaffinity's mask, read at entry: the CPUs set in the first min(size, 128) bytes,
    /// then `...` when the caller's mask is longer than that (rounded to longs).
    static let cpuSetIn = CustomArg(capture: ArgSpec(.structInLength, lengthArg: 1, size: cpusetSize)) { call, i, out in
        let length = UInt64(UInt32(truncatingIfNeeded: call.arg(1)))
        guard call.arg(i) != 0 else { return out.pointer(0) }
        if length == 0 { return out.raw("[]") }
        let kept = min(length, UInt64(cpusetSize))
        guard let c = call.capture(i), !c.faulted, UInt64(c.bytes.count) >= kept else { return out.pointer(call.arg(i)) }
        var cpus: [String] = []
        for (byteIndex, byte) in c.bytes.prefix(Int(kept)).enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 { cpus.append(String(byteIndex * 8 + bit)) }
        }
        if (kept + 7) / 8 * 8 < length { cpus.append("...") }
        out.raw("[" + cpus.joined(separator: " ") + "]")
    }

    // MARK: policies and attributes

    static let SCHED_FLAG_KEEP_POLICY: UInt64 = 0x8, SCHED_FLAG_KEEP_PARAMS: UInt64 = 0x10
    static let schedAttrFlags = FlagTable([
        Named(0x1, "SCHED_FLAG_RESET_ON_FORK"), Named(0x2, "SCHED_FLAG_RECLAIM"), Named(0x4, "SCHED_FLAG_DL_OVERRUN"),
        Named(SCHED_FLAG_KEEP_POLICY, "SCHED_FLAG_KEEP_POLICY"), Named(SCHED_FLAG_KEEP_PARAMS, "SCHED_FLAG_KEEP_PARAMS"), Named(0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
        Named(0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
    ], unknown: "SCHED_FLAG_???")

    /// struct sched_attr (48 bytes, 56 with the utilization clamps): the fields its size covers;
    /// for sched_setattr the policy and parameters only when the flags do not say to keep them.
    static func printSchedAttr(_ b: ArraySlice<UInt8>, size: Int, declared: Int, isSet: Bool, _ out: ArgumentSink) {
        let r = FieldReader(b)
        out.beginStruct()
        out.field("size"); out.unsigned(UInt64(r.u32(0)))
        if size >= 48 {
            let policy = r.u32(4), flags = r.u64(8)
            if !isSet || Int32(bitPattern: policy) < 0 || flags & (SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS) == 0 {
                out.field("sched_policy"); out.enumeration(UInt64(policy), Tables.schedPolicies)
            }
            out.field("sched_flags"); out.flags(flags, schedAttrFlags)
            if !isSet || flags & SCHED_FLAG_KEEP_PARAMS == 0 {
                out.field("sched_nice"); out.signed(Int64(r.i32(16)))
                out.field("sched_priority"); out.unsigned(UInt64(r.u32(20)))
                out.field("sched_runtime"); out.unsigned(r.u64(24))
                out.field("sched_deadline"); out.unsigned(r.u64(32))
                out.field("sched_period"); out.unsigned(r.u64(40))
            }
            if size >= 56 {
                out.field("sched_util_min"); out.unsigned(UInt64(r.u32(48)))
                out.field("sched_util_max"); out.unsigned(UInt64(r.u32(52)))
            }
        }
        if declared > size { out.ellipsis() }
        out.endStruct()
    }
    static let schedAttrOut = CustomArg(capture: ArgSpec(.structOut, size: 56),
                                        atExit: true) { call, i, out in
        let usize = Int(UInt32(truncatingIfNeeded: call.arg(2)))
        guard usize != 0, call.succeeded, let c = call.exit?.captures.first(where: { $0.arg == i && !$0.faulted }), c.bytes.count >= 4 else {
            return out.pointer(call.arg(i))
        }
        let read = min(usize, 56, c.bytes.count)
        let written = Int(FieldReader(c.bytes).u32(0))
        printSchedAttr(c.bytes, size: min(written, read), declared: written, isSet: false, out)
    }
    static let schedAttrIn = CustomArg(capture: ArgSpec(.structIn, size: 56)) { call, i, out in
        guard call.arg(i) != 0, let c = call.capture(i), !c.faulted, c.bytes.count >= 4 else { return out.pointer(call.arg(i)) }
        var usize = Int(FieldReader(c.bytes).u32(0))
        if usize == 0 { usize = 48 }
        let size = min(usize, 56, c.bytes.count)
        printSchedAttr(c.bytes, size: size, declared: usize, isSet: true, out)
    }

    /// sched_getscheduler's result names the policy: `0 (SCHED_OTHER)`.
    static let schedulerResult = ReturnFormat.custom { _, value, out in
        out.signed(value)
        if let name = Tables.schedPolicies.name(for: UInt64(bitPattern: value)) { out.raw(" (\(name))") }
    }

    // MARK: I/O priorities

    static let ioprioWho = EnumTable([
        Named(1, "IOPRIO_WHO_PROCESS"), Named(2, "IOPRIO_WHO_PGRP"), Named(3, "IOPRIO_WHO_USER"),
    ], unknown: "IOPRIO_WHO_???")
    static let ioprioClasses = EnumTable([
        Named(0, "IOPRIO_CLASS_NONE"), Named(1, "IOPRIO_CLASS_RT"), Named(2, "IOPRIO_CLASS_BE"), Named(3, "IOPRIO_CLASS_IDLE"),
    ], unknown: "IOPRIO_CLASS_???")

    /// `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 7)`: the class is the bits above 13, the data below.
    static func ioprioText(_ value: UInt32, style: ConstantStyle = .abbrev) -> String {
        let cls = UInt64(value >> 13), data = Int32(bitPattern: value & 0x1fff)
        // -X verbose (strace 6.1): the class as `0x3 /* IOPRIO_CLASS_IDLE */` inside the remark too.
        let clsText = style == .verbose
            ? "\(Structs.hexText(cls)) /* \(ioprioClasses.describe(cls)) */"
            : ioprioClasses.describe(cls)
        return "IOPRIO_PRIO_VALUE(\(clsText), \(data))"
    }

    static let ioprioValue = CustomArg { call, i, out in
        let v = UInt32(truncatingIfNeeded: call.arg(i))
        switch out.constantStyle {
        case .abbrev: out.raw(ioprioText(v))
        case .raw: out.signed(Int64(Int32(bitPattern: v)))
        case .verbose: out.signed(Int64(Int32(bitPattern: v))); out.comment(ioprioText(v, style: .verbose))
        }
    }

    /// ioprio_get's result: `0 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0))`.
    static let ioprioResult = ReturnFormat.custom { _, value, out in
        out.signed(value)
        if out.constantStyle != .raw { out.raw(" (\(ioprioText(UInt32(truncatingIfNeeded: value), style: out.constantStyle)))") }
    }

    static let formats: [String: CallFormat] = [
        "getpriority": CallFormat([.intEnum(Tables.priorityWhich), .int]),
        "setpriority": CallFormat([.intEnum(Tables.priorityWhich), .int, .int]),
        "sched_getscheduler": CallFormat([.int], ret: schedulerResult),
        "sched_getattr": CallFormat([.int, .custom(schedAttrOut), .uint, .uint]),
        "sched_setattr": CallFormat([.int, .custom(schedAttrIn), .uint]),
        "sched_getaffinity": CallFormat([.int, .unsigned, .custom(cpuSet)]),
        "sched_yield": CallFormat([]),
        "sched_setaffinity": CallFormat([.int, .uint, .custom(cpuSetIn)]),
        "sched_get_priority_max": CallFormat([.enumeration(Tables.schedPolicies)]),
        "sched_get_priority_min": CallFormat([.enumeration(Tables.schedPolicies)]),
        "sched_setscheduler": CallFormat([.int, .enumeration(Tables.schedPolicies), .structIn(Structs.intOut)]),
        "sched_setparam": CallFormat([.int, .structIn(Structs.intOut)]),
        "sched_getparam": CallFormat([.int, .structOut(Structs.intOut)]),
        "sched_rr_get_interval": CallFormat([.int, .structOut(Structs.timespec)]),
        "ioprio_set": CallFormat([.enumeration(ioprioWho), .int, .custom(ioprioValue)]),
        "ioprio_get": CallFormat([.enumeration(ioprioWho), .int], ret: ioprioResult),
    ]
}
