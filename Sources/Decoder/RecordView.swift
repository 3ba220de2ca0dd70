import CgtraceABI

/// A syscall entry or exit record read where it lies (in the ring, or a copy of it), without
/// building a `Record`: the outputs' direct path (`DirectCallOutput`: the strace text, JSON)
/// prints a call from two of these. Building a `Record` costs two allocations per record with captures and most of the
/// consumer's retains and releases (measured on a saved `dd bs=1` trace: 17 retains and 30
/// releases per call), which is why the consumer fell behind the probes.
///
/// A view exists only for a record the decoder accepts: `init(checking:)` is where the decoder
/// itself checks a syscall record (sizes, the fixed part, every capture inside the record), so
/// a record the view refuses is the decoder's to count as malformed.
public struct RecordView {
    public let bytes: UnsafeRawBufferPointer
    /// CGT_REC_SYS_ENTER or CGT_REC_SYS_EXIT.
    public let isEnter: Bool
    /// Where the captures start and end (the record's declared size).
    @usableFromInline let capturesStart: Int
    @usableFromInline let end: Int

    static let headerSize = MemoryLayout<cgt_header>.size
    static let captureHeaderSize = MemoryLayout<cgt_capture>.size
    static let enterSize = MemoryLayout<cgt_sys_enter>.size
    static let exitSize = MemoryLayout<cgt_sys_exit>.size

    /// nil: not a syscall entry or exit, or not one the decoder accepts.
    public init?(validating bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerSize else { return nil }
        let type = UInt32(bytes.le(UInt16.self, at: 0))
        guard type == CGT_REC_SYS_ENTER.rawValue || type == CGT_REC_SYS_EXIT.rawValue,
              let view = try? RecordView(checking: bytes) else { return nil }
        self = view
    }

    /// A syscall entry or exit record, checked as the decoder checks it: the header, the
    /// declared size against what arrived, the fixed part, every capture inside the record.
    public init(checking bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        guard bytes.count >= Self.headerSize else { throw .truncated(needed: Self.headerSize, have: bytes.count) }
        let type = bytes.le(UInt16.self, at: 0)
        let size = Int(bytes.le(UInt16.self, at: 2))
        guard size >= Self.headerSize, size <= bytes.count else { throw .badSize(declared: size, have: bytes.count) }
        let fixed: Int
        switch UInt32(type) {
        case CGT_REC_SYS_ENTER.rawValue: fixed = Self.enterSize
        case CGT_REC_SYS_EXIT.rawValue: fixed = Self.exitSize
        default: throw .unknownType(type)
        }
        guard Self.headerSize + fixed <= size else { throw .truncated(needed: Self.headerSize + fixed, have: size) }
        let start = Self.headerSize + fixed
        try Self.checkCaptures(bytes, from: start, to: size)
        self.bytes = bytes
        self.isEnter = UInt32(type) == CGT_REC_SYS_ENTER.rawValue
        self.capturesStart = start
        self.end = size
    }

    /// Every capture between `start` and `end` (a record's declared size) lies inside them.
    static func checkCaptures(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) throws(DecodeError) {
        var off = start
        while off + captureHeaderSize <= end {
            let dataStart = off + captureHeaderSize
            let len = Int(bytes.le(UInt16.self, at: off + 2))
            guard dataStart + len <= end else { throw .badCapture(offset: off) }
            off = dataStart + ((len + 7) & ~7)
        }
    }

    /// The same record at another address (a copy of its bytes, checked already).
    init(copyAt bytes: UnsafeRawBufferPointer, of other: RecordView) {
        self.bytes = bytes
        isEnter = other.isEnter
        capturesStart = other.capturesStart
        end = other.end
    }

    /// The record's own bytes (its declared size), e.g. to keep a copy.
    public var recordBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[0..<end]) }

    public var cpu: UInt16 { bytes.le(UInt16.self, at: 4) }
    public var flags: UInt16 { bytes.le(UInt16.self, at: 6) }
    public var pid: UInt32 { bytes.le(UInt32.self, at: 8) }
    public var tid: UInt32 { bytes.le(UInt32.self, at: 12) }
    public var timestamp: UInt64 { bytes.le(UInt64.self, at: 16) }
    /// The syscall number and the thread's call counter (both halves carry them).
    public var number: Int { Int(bytes.le(UInt32.self, at: Self.headerSize)) }
    public var call: UInt32 { bytes.le(UInt32.self, at: Self.headerSize + 4) }
    /// An exit whose task was killed before the call returned to it.
    public var killed: Bool { flags & UInt16(CGT_HDRF_KILLED.rawValue) != 0 }

    /// An entry's argument register `i`; 0 outside 0..<6 (as `CallView.arg`).
    public func arg(_ i: Int) -> UInt64 {
        guard i >= 0, i < Int(CGT_MAX_ARGS) else { return 0 }
        return bytes.le(UInt64.self, at: Self.headerSize + 8 + 8 * i)
    }
    /// An exit's return value.
    public var ret: Int64 { Int64(bitPattern: bytes.le(UInt64.self, at: Self.headerSize + 8)) }
    /// An exit's copy of its entry's stamp (moved past frozen time in lossless mode).
    public var enterTimestamp: UInt64 { bytes.le(UInt64.self, at: Self.headerSize + 16) }

    /// One capture, in place.
    public struct CaptureView {
        public let arg: Int
        /// The raw cgt_capture_kind (`CaptureKind(rawValue:)`).
        public let kind: UInt8
        public let flags: UInt16
        /// An array element's position (CGT_CAP_ARGV).
        public let index: Int
        public let bytes: UnsafeRawBufferPointer
        /// Where `bytes` start in the record.
        @usableFromInline let offset: Int
        public var faulted: Bool { flags & UInt16(CGT_CAPF_FAULT.rawValue) != 0 }

        @inlinable
        init(arg: Int, kind: UInt8, flags: UInt16, index: Int, bytes: UnsafeRawBufferPointer, offset: Int) {
            (self.arg, self.kind, self.flags, self.index, self.bytes, self.offset) = (arg, kind, flags, index, bytes, offset)
        }

        /// The capture as decoded records hold it, its bytes copied.
        public var decoded: Capture {
            Capture(arg: arg, kind: CaptureKind(rawValue: kind), flags: flags, index: index, bytes: ArraySlice(bytes))
        }
    }

    /// The captures in record order.
    @inlinable
    public var captures: Captures { Captures(bytes, from: capturesStart, to: end) }

    /// A record's captures (checked by `checkCaptures`), walked in place (no closure context,
    /// no array). Inlinable: the direct paths walk a call's captures two or three times, and a
    /// call to `next` per capture, its view returned through memory, was ~7 % of the JSON
    /// consumer.
    public struct Captures: Sequence, IteratorProtocol {
        @usableFromInline let bytes: UnsafeRawBufferPointer
        @usableFromInline var offset: Int
        @usableFromInline let end: Int

        @inlinable
        init(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
            self.bytes = bytes
            offset = start
            self.end = end
        }

        @inlinable
        public mutating func next() -> CaptureView? {
            let b = bytes
            let header = MemoryLayout<cgt_capture>.size
            guard offset + header <= end else { return nil }
            let dataStart = offset + header
            let len = Int(b.le(UInt16.self, at: offset + 2))
            let c = CaptureView(arg: Int(b[offset]), kind: b[offset + 1], flags: b.le(UInt16.self, at: offset + 4),
                                index: Int(b.le(UInt16.self, at: offset + 6)),
                                bytes: UnsafeRawBufferPointer(rebasing: b[dataStart..<(dataStart + len)]), offset: dataStart)
            offset = dataStart + ((len + 7) & ~7)
            return c
        }
    }
}

/// An output that can print a call straight from its two records (see `RecordView`). The
/// pairing stage offers it every call whose exit follows its entry with nothing in between;
/// the output says no (and changes nothing) when the call needs more than it can do that way,
/// and the records then take the general path, in the order they came.
///
/// A class to inherit, not a protocol: the pairing stage calls it through an unmanaged
/// reference, without the retain and release per record that calling a protocol existential
/// stored in a property cost (~9 % of the consumer in a dd storm's profile).
open class DirectCallOutput {
    public init() {}
    /// Whether calls of this syscall may be printed directly at all (asked before an entry is
    /// held back to wait for its exit). None by default.
    open func printsDirectly(number: Int) -> Bool { false }
    /// Whether any syscall prints directly (with -Y, -e raw= or -N the strace text prints none:
    /// records are then not looked at twice).
    open var printsAnyDirectly: Bool { false }
    /// Print the call, or return false without a trace of having been asked. (Never offered an
    /// exit whose task was killed: that call ends `= ?`, the general path's.)
    open func callReturnedDirectly(enter: RecordView, exit: RecordView) -> Bool { false }
    /// Whether `callReturnedDirectly` takes every call it is offered (a summary that only
    /// counts): a fan-out asks such outputs after the one that may refuse (`FanOut`).
    open var neverRefuses: Bool { false }
}

/// One entry record kept back, copied, until the next record shows whether its exit follows.
/// One buffer, sized once for the largest record (`size` is 16 bits): no allocation per call.
/// A noncopyable struct over a pointer, not a class: the pairing stage touches it for every
/// record, and a class reference was retained and released each time.
struct HeldEntry: ~Copyable {
    private let storage: UnsafeMutableRawPointer
    private let capacity: Int
    /// The record held (its view points into `storage`), nil when none is.
    private(set) var view: RecordView?

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(byteCount: max(capacity, 8), alignment: 8)
    }

    deinit { storage.deallocate() }

    /// Keep a copy of `record` (false if it does not fit).
    mutating func hold(_ record: RecordView) -> Bool {
        let b = record.recordBytes
        guard b.count <= capacity else { return false }
        storage.copyMemory(from: b.baseAddress!, byteCount: b.count)
        view = RecordView(copyAt: UnsafeRawBufferPointer(start: storage, count: b.count), of: record)
        return true
    }

    /// Forget the held record, handing it back (its bytes stay valid until the next `hold`).
    mutating func take() -> RecordView? {
        defer { view = nil }
        return view
    }
}
