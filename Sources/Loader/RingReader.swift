import CBPF
import CgtraceABI

#if canImport(Glibc)
import Glibc
#endif

/// Reads the BPF ring buffer map (BPF_MAP_TYPE_RINGBUF) in place, as the kernel lays it out
/// (Documentation/bpf/ringbuf.rst): a consumer page this side writes, a producer page, then the
/// data pages. Each record starts with an 8-byte header: its length with a busy bit (still being
/// written) and a discard bit, then the page offset; records are 8-byte aligned, so a header
/// never wraps, but a record's body may: the kernel offers the data mapped twice for that; this
/// maps it once and copies the rare record that wraps (mapping and unmapping 128 MiB instead of
/// 64 cost ~7 ms of a short run).
///
/// Why not libbpf's reader: it publishes the consumer position after every record, and every
/// producer reads that position on every reservation and backlog query: the line bounced between
/// the CPUs once per record (measured: `bpf_ringbuf_query` alone 14 % of a traced dd's time).
/// This reader publishes it every `publishEvery` records (or `publishShare` of the ring) and at
/// the end of each pass. Records go to a handler passed to each pass (not stored: no retain per
/// record), without a C trampoline.
///
/// A sample holds one record, a held entry shortened (cgt_sys_enter_short), or a joined call:
/// its exit shortened (cgt_sys_return), then its held entry (see cgtrace_abi.h). The handler
/// gets whole records, made whole again in buffers of this reader's: a joined call's entry, then
/// its exit.
final class RingReader {
    /// Publish the consumer position after this many records, or this share of the ring, which
    /// ever comes first (and at the end of each pass): ~16 KiB of dd's records; large records
    /// (-s, -yy: up to 16 KiB each) in a small ring publish by size, so that producers and the
    /// lossless freezer's thaw check never see much more backlog than there is.
    static let publishEvery = 256
    static let publishShare = 32

    /// Joined calls read (samples that held an exit and its entry).
    private(set) var joinedCalls = 0
    /// The last pass read everything the producers had committed: nothing waits in the ring.
    private(set) var caughtUp = false
    /// The last pass moved on (records delivered, or discarded ones stepped over).
    private var progressed = false

    private let fd: Int32
    private let mask: UInt64
    private let consumerPage: UnsafeMutableRawPointer
    private let producerPages: UnsafeMutableRawPointer
    private let data: UnsafeRawPointer
    private let pageSize: Int
    private let dataBytes: Int
    /// Where a record that wraps around the data area is put together.
    private var wrapped = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 8)
    private var wrappedCapacity = 1 << 16
    /// Where a held entry and a joined call's exit are made whole (a record is at most
    /// CGT_REC_MAX bytes).
    private let entryRecord = UnsafeMutableRawPointer.allocate(byteCount: Int(CGT_REC_MAX), alignment: 8)
    private let exitRecord = UnsafeMutableRawPointer.allocate(byteCount: Int(CGT_REC_MAX), alignment: 8)

    init(fd: Int32) throws(LoaderError) {
        var info = bpf_map_info()
        var length = UInt32(MemoryLayout<bpf_map_info>.size)
        guard bpf_obj_get_info_by_fd(fd, &info, &length) == 0, info.type == BPF_MAP_TYPE_RINGBUF.rawValue,
              info.max_entries > 0, info.max_entries & (info.max_entries - 1) == 0 else {
            throw LoaderError("cannot open the ring buffer: not a ring buffer map")
        }
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        dataBytes = Int(info.max_entries)
        mask = UInt64(info.max_entries) - 1
        guard let consumer = mmap(nil, pageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
              consumer != MAP_FAILED else {
            throw LoaderError("cannot map the ring buffer: \(errnoText(errno))")
        }
        // The producer page, then the data (read-only: only the kernel writes them).
        guard let producer = mmap(nil, pageSize + dataBytes, PROT_READ, MAP_SHARED, fd, off_t(pageSize)),
              producer != MAP_FAILED else {
            let e = errno
            munmap(consumer, pageSize)
            throw LoaderError("cannot map the ring buffer: \(errnoText(e))")
        }
        // Not copied into the children cgtrace forks (the thaw watchdog, the command before its
        // exec), which never read it: fork copied its page table, ~0.35 ms each (16 MiB).
        _ = madvise(producer, pageSize + dataBytes, MADV_DONTFORK)
        self.fd = fd
        consumerPage = consumer
        producerPages = producer
        data = UnsafeRawPointer(producer + pageSize)
    }

    deinit {
        munmap(consumerPage, pageSize)
        munmap(producerPages, pageSize + dataBytes)
        wrapped.deallocate()
        entryRecord.deallocate()
        exitRecord.deallocate()
    }

    /// Wait up to `timeoutMs` for a wake-up of the ring or of `alsoWakeOn` (a descriptor the
    /// caller waits on too; -1: none), then read what is there (a wake-up or not: the probes wake
    /// the consumer only per so much backlog). Records read, or -errno.
    func poll(timeoutMs: Int32, alsoWakeOn other: Int32, _ handler: (UnsafeRawBufferPointer) -> Void,
              pairs: Pairs = RingReader.noPairs) -> Int32 {
        // (poll(2) on the map: readable while data waits, so a storm never sleeps here.)
        var watch = (pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: other, events: Int16(POLLIN), revents: 0))
        let ready = withUnsafeMutablePointer(to: &watch) {
            $0.withMemoryRebound(to: pollfd.self, capacity: 2) { Glibc.poll($0, other >= 0 ? 2 : 1, timeoutMs) }
        }
        if ready < 0 && errno == EINTR { return -EINTR }
        return consume(handler, pairs: pairs)
    }

    /// Takes a joined call's entry and exit at once (true), or leaves them to the record
    /// handler, one by one (false: it did nothing with them).
    /// (Not optional: an optional closure escapes, and calling it retained and released its
    /// context for every joined call, ~5 % of the text consumer.)
    typealias Pairs = (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool

    /// Takes no pair: every record goes to the handler.
    static func noPairs(_: UnsafeRawBufferPointer, _: UnsafeRawBufferPointer) -> Bool { false }

    /// Read the complete records in the ring up to where it stood when called, in order. One
    /// pass, not until the ring is empty: under a storm the caller gets back control (signals,
    /// the command's exit) between passes, and its next poll returns at once while data waits.
    func consume(_ handler: (UnsafeRawBufferPointer) -> Void, pairs: Pairs = RingReader.noPairs) -> Int32 {
        var consumed = UInt64(cgt_load_acquire_ulong(consumerPage))
        let start = consumed
        let produced = UInt64(cgt_load_acquire_ulong(producerPages))
        var delivered: Int32 = 0
        var unpublished = 0
        var published = consumed
        let publishBytes = UInt64(dataBytes / Self.publishShare)
        while consumed < produced {
            let header = data + Int(consumed & mask)
            let word = cgt_load_acquire_uint(header)
            // Reserved and not yet submitted: what follows waits for it.
            if word & UInt32(BPF_RINGBUF_BUSY_BIT) != 0 { break }
            let length = Int(word & ~UInt32(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT))
            if word & UInt32(BPF_RINGBUF_DISCARD_BIT) == 0 {
                let start = Int(consumed & mask) + Int(BPF_RINGBUF_HDR_SZ)
                let sample = start + length <= dataBytes ? UnsafeRawBufferPointer(start: data + start, count: length)
                                                         : wrappedSample(from: start, count: length)
                let records = Self.deliver(sample, entryBuffer: entryRecord, exitBuffer: exitRecord, handler, pairs: pairs)
                delivered &+= records
                if records == 2 { joinedCalls += 1 }
            }
            consumed += UInt64((length + Int(BPF_RINGBUF_HDR_SZ) + 7) & ~7)
            unpublished += 1
            if unpublished == Self.publishEvery || consumed - published >= publishBytes {
                cgt_store_release_ulong(consumerPage, UInt(consumed))
                unpublished = 0
                published = consumed
            }
        }
        if unpublished > 0 { cgt_store_release_ulong(consumerPage, UInt(consumed)) }
        caughtUp = consumed >= produced
        progressed = consumed != start
        return delivered
    }

    /// Hand a sample's records to `handler`: one record as it is; a held entry made whole; a
    /// joined call's entry, then its exit, both made whole (in `entryBuffer` and `exitBuffer`,
    /// CGT_REC_MAX bytes each), to `pairs` first. A sample whose parts do not fit goes
    /// whole, for the decoder to refuse (the shortened record types are none it knows). The
    /// records handed over.
    static func deliver(_ sample: UnsafeRawBufferPointer, entryBuffer: UnsafeMutableRawPointer,
                        exitBuffer: UnsafeMutableRawPointer, _ handler: (UnsafeRawBufferPointer) -> Void,
                        pairs: Pairs = RingReader.noPairs) -> Int32 {
        guard sample.count >= 8 else {
            handler(sample)
            return 1
        }
        let type = sample.loadUnaligned(as: UInt16.self)
        if type == UInt16(CGT_REC_SYS_ENTER_SHORT.rawValue), let entry = wholeEntry(sample, into: entryBuffer) {
            handler(entry)
            return 1
        }
        guard type == UInt16(CGT_REC_SYS_RETURN.rawValue), sample.count >= returnSize else {
            handler(sample)
            return 1
        }
        let ownSize = Int(sample.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        guard ownSize >= returnSize, ownSize < sample.count, exitFixed + ownSize - returnSize <= Int(CGT_REC_MAX),
              sample.loadUnaligned(fromByteOffset: ownSize, as: UInt16.self) == UInt16(CGT_REC_SYS_ENTER_SHORT.rawValue),
              let entry = wholeEntry(UnsafeRawBufferPointer(rebasing: sample[ownSize...]), into: entryBuffer) else {
            handler(sample)
            return 1
        }
        // The exit: the entry's header (pid, tid), then what the return says.
        let size = exitFixed + ownSize - returnSize
        let header = MemoryLayout<cgt_header>.size
        copyWords(to: exitBuffer, from: entry.baseAddress!, count: header / 8)
        exitBuffer.storeBytes(of: UInt16(CGT_REC_SYS_EXIT.rawValue), toByteOffset: 0, as: UInt16.self)
        exitBuffer.storeBytes(of: UInt16(size), toByteOffset: 2, as: UInt16.self)
        exitBuffer.storeBytes(of: sample.loadUnaligned(fromByteOffset: 4, as: UInt32.self), toByteOffset: 4, as: UInt32.self)  // cpu, flags
        exitBuffer.storeBytes(of: sample.loadUnaligned(fromByteOffset: 16, as: UInt64.self), toByteOffset: 16, as: UInt64.self)  // ts
        var exit = cgt_sys_exit()
        exit.nr = entry.loadUnaligned(fromByteOffset: header, as: UInt32.self)
        exit.call = entry.loadUnaligned(fromByteOffset: header + 4, as: UInt32.self)
        exit.ret = sample.loadUnaligned(fromByteOffset: 8, as: Int64.self)
        exit.enter_ts = entry.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        exitBuffer.storeBytes(of: exit, toByteOffset: header, as: cgt_sys_exit.self)
        if ownSize > returnSize {
            (exitBuffer + exitFixed).copyMemory(from: sample.baseAddress! + returnSize, byteCount: ownSize - returnSize)
        }
        let exitRecord = UnsafeRawBufferPointer(start: exitBuffer, count: size)
        if pairs(entry, exitRecord) { return 2 }
        handler(entry)
        handler(exitRecord)
        return 2
    }

    /// A held entry (cgt_sys_enter_short at the start of `short`) as the sys_enter record it
    /// stands for, in `buffer`: seq 0, the arguments it did not keep 0. nil if its sizes do not fit.
    static func wholeEntry(_ short: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawPointer) -> UnsafeRawBufferPointer? {
        guard short.count >= shortSize else { return nil }
        let size = Int(short.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        let nargs = Int(short[7])
        guard nargs <= Int(CGT_MAX_ARGS), size >= shortSize + 8 * nargs, size <= short.count,
              enterFixed + size - shortSize - 8 * nargs <= Int(CGT_REC_MAX) else { return nil }
        let captures = size - shortSize - 8 * nargs
        let whole = enterFixed + captures
        let header = MemoryLayout<cgt_header>.size
        buffer.storeBytes(of: UInt16(CGT_REC_SYS_ENTER.rawValue), toByteOffset: 0, as: UInt16.self)
        buffer.storeBytes(of: UInt16(whole), toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: short.loadUnaligned(fromByteOffset: 4, as: UInt16.self), toByteOffset: 4, as: UInt16.self)  // cpu
        buffer.storeBytes(of: UInt16(short[6]), toByteOffset: 6, as: UInt16.self)  // flags
        copyWords(to: buffer + 8, from: short.baseAddress! + 8, count: 2)  // pid, tid, ts
        buffer.storeBytes(of: UInt64(0), toByteOffset: 24, as: UInt64.self)  // seq
        copyWords(to: buffer + header, from: short.baseAddress! + 24, count: 1 + nargs)  // nr, call, args
        for k in nargs..<Int(CGT_MAX_ARGS) { buffer.storeBytes(of: UInt64(0), toByteOffset: header + 8 + 8 * k, as: UInt64.self) }
        if captures > 0 {
            (buffer + enterFixed).copyMemory(from: short.baseAddress! + shortSize + 8 * nargs, byteCount: captures)
        }
        return UnsafeRawBufferPointer(start: buffer, count: whole)
    }

    /// `count` 8-byte words, unaligned, one by one: the header and arguments of every joined
    /// call are a few words, and copyMemory's memmove call for each was ~3 % of the consumer.
    @inline(__always)
    private static func copyWords(to: UnsafeMutableRawPointer, from: UnsafeRawPointer, count: Int) {
        for k in 0..<count {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self), toByteOffset: 8 * k, as: UInt64.self)
        }
    }

    static let returnSize = MemoryLayout<cgt_sys_return>.size
    static let shortSize = MemoryLayout<cgt_sys_enter_short>.size
    static let enterFixed = MemoryLayout<cgt_header>.size + MemoryLayout<cgt_sys_enter>.size
    static let exitFixed = MemoryLayout<cgt_header>.size + MemoryLayout<cgt_sys_exit>.size

    /// A sample whose body runs past the end of the data area, put together from both ends.
    private func wrappedSample(from start: Int, count: Int) -> UnsafeRawBufferPointer {
        if count > wrappedCapacity {
            wrapped.deallocate()
            wrappedCapacity = count
            wrapped = .allocate(byteCount: count, alignment: 8)
        }
        let offset = start % dataBytes  // (a header in the last 8 bytes: the body starts at 0)
        let first = min(count, dataBytes - offset)
        wrapped.copyMemory(from: data + offset, byteCount: first)
        (wrapped + first).copyMemory(from: data, byteCount: count - first)
        return UnsafeRawBufferPointer(start: wrapped, count: count)
    }

    /// Read until the ring is empty (or its next record is still being written). A pass that
    /// only stepped over discarded records (two CPUs reporting one hole) is progress too.
    func drain(_ handler: (UnsafeRawBufferPointer) -> Void, pairs: Pairs = RingReader.noPairs) -> Int32 {
        var total: Int32 = 0
        repeat {
            total &+= max(consume(handler, pairs: pairs), 0)
        } while progressed
        return total
    }
}
