import CgtraceABI

/// One frame of a syscall's user stack (-k), as the symbolizer resolved it. Text and JSON output
/// both render from this; nothing here is formatting.
public struct StackFrame: Sendable, Equatable {
    /// The frame's pc in the process: exact for the innermost frame, a return address above it.
    public var address: UInt64
    /// The mapped file the pc lies in, nil when no known mapping holds it.
    public var module: String?
    /// The pc as an address of the module's own ELF image (pc minus load bias), strace's `[0x…]`.
    public var moduleAddress: UInt64
    /// The nearest symbol at or below the pc, nil when the module has none there.
    public var symbol: String?
    /// pc minus the symbol's value.
    public var symbolOffset: UInt64

    public init(address: UInt64, module: String?, moduleAddress: UInt64, symbol: String?, symbolOffset: UInt64) {
        self.address = address
        self.module = module
        self.moduleAddress = moduleAddress
        self.symbol = symbol
        self.symbolOffset = symbolOffset
    }
}

/// The user registers the kernel saved at a syscall's entry (struct cgt_user_regs).
public struct UserRegisters: Sendable, Equatable {
    public var ip: UInt64, sp: UInt64, bp: UInt64, bx: UInt64
    public var r12: UInt64, r13: UInt64, r14: UInt64, r15: UInt64

    public init(ip: UInt64, sp: UInt64, bp: UInt64, bx: UInt64, r12: UInt64, r13: UInt64, r14: UInt64, r15: UInt64) {
        self.ip = ip
        self.sp = sp
        self.bp = bp
        self.bx = bx
        self.r12 = r12
        self.r13 = r13
        self.r14 = r14
        self.r15 = r15
    }
}

/// What an unwinder needs of one syscall: registers, and the stack bytes from `registers.sp` up.
public struct StackSnapshot: Sendable, Equatable {
    public var registers: UserRegisters
    public var stack: ArraySlice<UInt8>

    /// The 8-byte little-endian word at `address`, if the snapshot holds it.
    public func word(at address: UInt64) -> UInt64? {
        guard address >= registers.sp else { return nil }
        let (distance, overflow) = (address - registers.sp).addingReportingOverflow(8)
        guard !overflow, distance <= UInt64(stack.count) else { return nil }
        let start = stack.startIndex + Int(distance - 8)
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(stack[start + i]) << (8 * UInt64(i)) }
        return value
    }
}

extension SyscallEnter {
    /// The -k captures of this call: nil without -k, or when the registers did not fit the record.
    public var stackSnapshot: StackSnapshot? {
        let marker = CaptureSlot.stack
        guard let regs = captures.first(where: { $0.arg == marker && $0.kind == .userRegisters }),
              regs.bytes.count >= 64 else { return nil }
        let b = regs.bytes
        func word(_ i: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(b[b.startIndex + 8 * i + k]) << (8 * UInt64(k)) }
            return v
        }
        let registers = UserRegisters(ip: word(0), sp: word(1), bp: word(2), bx: word(3),
                                      r12: word(4), r13: word(5), r14: word(6), r15: word(7))
        let stack = captures.first(where: { $0.arg == marker && $0.kind == .userStack })?.bytes ?? []
        return StackSnapshot(registers: registers, stack: stack)
    }
}

/// A CGT_REC_MAP record: a file mapped executable in a traced process (-k).
///
/// Not a `Record` case: only the symbolizer wants it, and the formatters need not know it exists.
/// `MappingRecord.decode` returns nil for any other record type.
public struct MappingRecord: Sendable, Equatable {
    public var header: RecordHeader
    public var start: UInt64
    public var end: UInt64
    /// File offset of `start`, in bytes.
    public var fileOffset: UInt64
    public var inode: UInt64
    public var device: UInt32
    /// The first mapping of a freshly exec'ed image: the process's earlier mappings are gone.
    public var startsImage: Bool
    /// The file's absolute path as the kernel's dentries spell it ("" when it had none).
    public var path: String

    public static let recordType = UInt16(CGT_REC_MAP.rawValue)

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> MappingRecord? {
        let headerSize = MemoryLayout<cgt_header>.size
        guard bytes.count >= headerSize else { throw .truncated(needed: headerSize, have: bytes.count) }
        guard bytes.le(UInt16.self, at: 0) == recordType else { return nil }
        let header = RecordHeader(
            type: recordType, size: bytes.le(UInt16.self, at: 2), cpu: bytes.le(UInt16.self, at: 4),
            flags: bytes.le(UInt16.self, at: 6), pid: bytes.le(UInt32.self, at: 8), tid: bytes.le(UInt32.self, at: 12),
            timestamp: bytes.le(UInt64.self, at: 16), sequence: bytes.le(UInt64.self, at: 24))
        let size = Int(header.size)
        guard size >= headerSize, size <= bytes.count else { throw .badSize(declared: size, have: bytes.count) }
        let body = headerSize
        let fixed = MemoryLayout<cgt_map>.size
        guard body + fixed <= size else { throw .truncated(needed: body + fixed, have: size) }
        // Components arrive leaf first (index 0), up to the root.
        let components = try RecordParser.captures(bytes, checking: body + fixed, to: size)
            .filter { $0.kind == .fdPath }.sorted { $0.index > $1.index }
        let path = components.isEmpty ? "" : "/" + components.map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "/")
        return MappingRecord(
            header: header,
            start: bytes.le(UInt64.self, at: body),
            end: bytes.le(UInt64.self, at: body + 8),
            fileOffset: bytes.le(UInt64.self, at: body + 16),
            inode: bytes.le(UInt64.self, at: body + 24),
            device: bytes.le(UInt32.self, at: body + 32),
            startsImage: bytes.le(UInt32.self, at: body + 36) & CGT_MAPF_EXEC.rawValue != 0,
            path: path)
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> MappingRecord? {
        try RecordParser.withBytes(of: bytes, decode)
    }
}
