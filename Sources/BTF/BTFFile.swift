#if canImport(Glibc)
import Glibc
#endif

/// A parse error in BTF data: one line saying what is wrong.
public struct BTFError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The kinds of BTF type records (include/uapi/linux/btf.h, BTF_KIND_*).
public enum BTFKind: UInt8, Sendable {
    case void = 0, int = 1, pointer = 2, array = 3, structure = 4, union = 5, enumeration = 6,
         forward = 7, typedef = 8, volatile = 9, const = 10, restrict = 11, function = 12,
         functionProto = 13, variable = 14, dataSection = 15, float = 16, declTag = 17,
         typeTag = 18, enumeration64 = 19
}

/// The bytes of a BTF blob: mapped from a file, or an owned copy.
final class BTFStorage: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int
    private let mapped: Bool

    init(copying bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { if let b = $0.baseAddress { p.copyMemory(from: b, byteCount: bytes.count) } }
        base = UnsafeRawPointer(p)
        count = bytes.count
        mapped = false
    }

    init(owning p: UnsafeMutableRawPointer, count: Int, mapped: Bool) {
        base = UnsafeRawPointer(p)
        self.count = count
        self.mapped = mapped
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), count) } else { base.deallocate() }
    }

    @inline(__always) subscript(_ o: Int) -> UInt8 { base.load(fromByteOffset: o, as: UInt8.self) }
    @inline(__always) func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
}

/// Raw BTF, as the kernel exports it in /sys/kernel/btf/vmlinux or a compiler writes it into an
/// object's .BTF section: a header, the type records, the string section.
///
/// Opening only indexes where each type record starts (one pass over the type section);
/// names and layouts are read on demand. The kernel's file is mapped where sysfs allows it
/// (Linux 6.16+), else read in one go. Measured on this kernel's 5.4 MB vmlinux BTF
/// (~150 000 types), release build: opening (map + index) ~1.1 ms, finding and resolving the
/// 26 structs and enums syscall arguments use ~2 ms.
public struct BTFFile: Sendable {
    let storage: BTFStorage
    /// Start of the type section and of the string section.
    let typesStart: Int
    let stringsStart: Int
    let stringsEnd: Int
    /// Where each type's record starts, by type id; id 0 is `void` and has none.
    let typeOffsets: [Int32]

    /// Number of type ids, `void` included.
    public var typeCount: Int { typeOffsets.count }

    /// Reads a BTF file (/sys/kernel/btf/vmlinux); `map: false` reads it instead of mapping
    /// it (what kernels before 6.16 need for sysfs).
    public init(path: String, map: Bool = true) throws(BTFError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BTFError("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw BTFError("\(path): \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        if map, size > 0, let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED {
            try self.init(storage: BTFStorage(owning: m, count: size, mapped: true))
            return
        }
        // One read of the whole file (sysfs reports its size), growing if it was more.
        var capacity = max(size, 1 << 16) + 1
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        var used = 0
        while true {
            if used == capacity {
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 8)
                bigger.copyMemory(from: buffer, byteCount: used)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = Glibc.read(fd, buffer + used, capacity - used)
            if n < 0 {
                if errno == EINTR { continue }
                buffer.deallocate()
                throw BTFError("\(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            used += n
        }
        try self.init(storage: BTFStorage(owning: buffer, count: used, mapped: false))
    }

    /// The file at `path`, read (mapped and indexed) once per process and kept: at start-up the
    /// kernel description and the loader's tp_btf attach points both look things up in the
    /// kernel's BTF, ~1.1 ms to map and index each time here (the index stays: ~600 KB for
    /// vmlinux's ~150 000 types). Under a lock: the kernel's layouts are resolved on a thread of
    /// their own while the loader looks up attach points (the second caller waits for the first
    /// one's reading, which it would otherwise do again).
    public static func shared(path: String) throws(BTFError) -> BTFFile {
        pthread_mutex_lock(sharedLock)
        defer { pthread_mutex_unlock(sharedLock) }
        if let file = sharedFiles[path] { return file }
        let file = try BTFFile(path: path)
        sharedFiles[path] = file
        return file
    }

    nonisolated(unsafe) private static var sharedFiles: [String: BTFFile] = [:]
    nonisolated(unsafe) private static let sharedLock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()

    /// BTF from the `.BTF` section of an ELF object (`clang -g -target bpf -c x.c`), or raw BTF.
    public static func load(objectOrRaw bytes: [UInt8]) throws(BTFError) -> BTFFile {
        if bytes.count >= 4, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 {
            return try BTFFile(bytes: try elfSection(".BTF", in: bytes))
        }
        return try BTFFile(bytes: bytes)
    }

    public init(bytes: [UInt8]) throws(BTFError) {
        try self.init(storage: BTFStorage(copying: bytes))
    }

    init(storage bytes: BTFStorage) throws(BTFError) {
        storage = bytes
        func u32(_ o: Int) -> Int { Int(bytes.u32(o)) }
        guard bytes.count >= 24 else { throw BTFError("BTF: \(bytes.count) bytes is too short for a header") }
        guard bytes[0] == 0x9f, bytes[1] == 0xeb else {
            throw BTFError("BTF: bad magic (big-endian BTF is not supported)")
        }
        guard bytes[2] == 1 else { throw BTFError("BTF: version \(bytes[2]) (only 1 is known)") }
        let hdrLen = u32(4)
        guard hdrLen >= 24, hdrLen <= bytes.count else { throw BTFError("BTF: bad header length \(hdrLen)") }
        let typeOff = u32(8), typeLen = u32(12), strOff = u32(16), strLen = u32(20)
        typesStart = hdrLen + typeOff
        stringsStart = hdrLen + strOff
        stringsEnd = stringsStart + strLen
        guard typesStart + typeLen <= bytes.count, stringsEnd <= bytes.count, typesStart + typeLen <= Int(Int32.max) else {
            throw BTFError("BTF: sections run past the end of the data")
        }
        let typesEnd = typesStart + typeLen
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(typeLen / 16)
        var o = typesStart
        while o < typesEnd {
            guard o + 12 <= typesEnd else { throw BTFError("BTF: truncated type record at \(o)") }
            offsets.append(Int32(o))
            let info = u32(o + 4)
            let vlen = info & 0xffff
            let kind = (info >> 24) & 0x1f
            var extra = 0
            switch kind {
            case 1, 14, 17: extra = 4                  // int encoding, var linkage, decl_tag index
            case 3: extra = 12                         // btf_array
            case 4, 5, 15: extra = 12 * vlen           // members, datasec entries
            case 6, 13: extra = 8 * vlen               // enum values, func params
            case 19: extra = 12 * vlen                 // enum64 values
            case 0, 2, 7, 8, 9, 10, 11, 12, 16, 18: extra = 0
            default: throw BTFError("BTF: unknown type kind \(kind) at type \(offsets.count - 1)")
            }
            o += 12 + extra
        }
        guard o == typesEnd else { throw BTFError("BTF: type section ends inside a record") }
        typeOffsets = offsets
    }

    // MARK: raw access

    @inline(__always) func u32(_ o: Int) -> UInt32 { storage.u32(o) }

    /// The kind of type `id` (`void` for 0 or an id out of range).
    public func kind(_ id: Int) -> BTFKind {
        guard id > 0, id < typeOffsets.count else { return .void }
        return BTFKind(rawValue: UInt8((u32(Int(typeOffsets[id]) + 4) >> 24) & 0x1f)) ?? .void
    }

    func record(_ id: Int) -> Int { Int(typeOffsets[id]) }
    func nameOffset(_ id: Int) -> Int { Int(u32(record(id))) }
    func info(_ id: Int) -> UInt32 { u32(record(id) + 4) }
    func vlen(_ id: Int) -> Int { Int(info(id) & 0xffff) }
    func kindFlag(_ id: Int) -> Bool { info(id) & 0x8000_0000 != 0 }
    /// `size` for ints, structs, unions, enums, floats; `type` for the others.
    func sizeOrType(_ id: Int) -> Int { Int(u32(record(id) + 8)) }

    /// A string from the string section.
    public func string(at offset: Int) -> String {
        let start = stringsStart + offset
        guard offset >= 0, start < stringsEnd else { return "" }
        var end = start
        while end < stringsEnd, storage[end] != 0 { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(start: storage.base + start, count: end - start), as: UTF8.self)
    }

    /// Whether the string at `offset` equals `name` (no allocation).
    func string(at offset: Int, equals name: [UInt8]) -> Bool {
        let start = stringsStart + offset
        guard offset >= 0, start + name.count < stringsEnd else { return false }
        for (i, c) in name.enumerated() where storage[start + i] != c { return false }
        return storage[start + name.count] == 0
    }

    /// The name of type `id` ("" for anonymous types and `void`).
    public func name(_ id: Int) -> String {
        guard id > 0, id < typeOffsets.count else { return "" }
        return string(at: nameOffset(id))
    }

    /// Type ids of the named types of the given kinds, in one pass over the types: this is how
    /// a few structs are found among vlinux's ~130 000 types without naming them all.
    public func find(_ names: Set<String>, kinds: Set<BTFKind>) -> [String: Int] {
        // By length, to skip most comparisons without a lookup: ~150 000 types are looked at.
        let longest = names.map(\.utf8.count).max() ?? 0
        var wanted = [[(String, [UInt8])]](repeating: [], count: longest + 1)
        for n in names { wanted[n.utf8.count].append((n, Array(n.utf8))) }
        var found: [String: Int] = [:]
        let kindBits = kinds.reduce(UInt32(0)) { $0 | 1 << UInt32($1.rawValue) }
        for id in 1..<typeOffsets.count {
            let o = Int(typeOffsets[id])
            let k = (u32(o + 4) >> 24) & 0x1f
            guard kindBits & (1 << k) != 0 else { continue }
            let nameOff = Int(u32(o))
            let start = stringsStart + nameOff
            guard nameOff != 0, start < stringsEnd else { continue }
            let len = strnlen((storage.base + start).assumingMemoryBound(to: CChar.self), min(longest + 1, stringsEnd - start))
            guard len <= longest, !wanted[len].isEmpty else { continue }
            for (n, utf8) in wanted[len] where found[n] == nil && string(at: nameOff, equals: utf8) {
                // Kinds exclude FWD: a forward declaration never stands for the definition.
                found[n] = id
            }
            if found.count == names.count { break }
        }
        return found
    }

    /// Skips typedefs and qualifiers (const, volatile, restrict, type tags) down to the type
    /// they name.
    public func resolved(_ id: Int) -> Int {
        var id = id, hops = 0
        while hops < 32 {
            switch kind(id) {
            case .typedef, .const, .volatile, .restrict, .typeTag: id = sizeOrType(id); hops += 1
            default: return id
            }
        }
        return 0
    }

    /// The size in bytes of a type (0 if it has none: void, functions; or if malformed data
    /// nests arrays without end).
    public func size(_ id: Int, depth: Int = 0) -> Int {
        let id = resolved(id)
        switch kind(id) {
        case .int, .structure, .union, .enumeration, .enumeration64, .float, .dataSection: return sizeOrType(id)
        case .pointer: return 8
        case .array:
            guard depth < 16 else { return 0 }
            let a = record(id) + 12
            let (product, overflow) = size(Int(u32(a)), depth: depth + 1).multipliedReportingOverflow(by: Int(u32(a + 8)))
            return overflow ? 0 : product
        default: return 0
        }
    }

    /// The members of a struct or union: name, type id, bit offset and bitfield size (0 if not
    /// a bitfield).
    public func members(_ id: Int) -> [(name: String, type: Int, bitOffset: Int, bitSize: Int)] {
        let k = kind(id)
        guard k == .structure || k == .union else { return [] }
        let flag = kindFlag(id)
        var out: [(String, Int, Int, Int)] = []
        var m = record(id) + 12
        for _ in 0..<vlen(id) {
            let offset = Int(u32(m + 8))
            out.append((string(at: Int(u32(m))), Int(u32(m + 4)),
                        flag ? offset & 0xff_ffff : offset, flag ? offset >> 24 : 0))
            m += 12
        }
        return out
    }

    /// An int's encoding: signed, char, bool; and its bit count.
    public func intEncoding(_ id: Int) -> (signed: Bool, char: Bool, bool: Bool, bits: Int) {
        guard kind(id) == .int else { return (false, false, false, 0) }
        let e = u32(record(id) + 12)
        let enc = (e >> 24) & 0xf
        return (enc & 1 != 0, enc & 2 != 0, enc & 4 != 0, Int(e & 0xff))
    }

    /// An array's element type and element count.
    public func array(_ id: Int) -> (element: Int, count: Int)? {
        guard kind(id) == .array else { return nil }
        let a = record(id) + 12
        return (Int(u32(a)), Int(u32(a + 8)))
    }

    /// An enum's values (ENUM and ENUM64), sign-extended when the enum is signed.
    public func enumerators(_ id: Int) -> [(name: String, value: Int64)] {
        let k = kind(id)
        var out: [(String, Int64)] = []
        var e = record(id) + 12
        let signed = kindFlag(id)
        if k == .enumeration {
            for _ in 0..<vlen(id) {
                let raw = u32(e + 4)
                out.append((string(at: Int(u32(e))), signed ? Int64(Int32(bitPattern: raw)) : Int64(raw)))
                e += 8
            }
        } else if k == .enumeration64 {
            for _ in 0..<vlen(id) {
                let v = UInt64(u32(e + 4)) | UInt64(u32(e + 8)) << 32
                out.append((string(at: Int(u32(e))), Int64(bitPattern: v)))
                e += 12
            }
        }
        return out
    }

    /// A function prototype's parameters (name, type id) and return type.
    public func parameters(_ id: Int) -> [(name: String, type: Int)] {
        guard kind(id) == .functionProto else { return [] }
        var out: [(String, Int)] = []
        var p = record(id) + 12
        for _ in 0..<vlen(id) {
            out.append((string(at: Int(u32(p))), Int(u32(p + 4))))
            p += 8
        }
        return out
    }

    /// The pointee of a pointer, the target of a typedef or qualifier, a function's prototype.
    public func referenced(_ id: Int) -> Int {
        switch kind(id) {
        case .pointer, .typedef, .const, .volatile, .restrict, .typeTag, .function, .variable: return sizeOrType(id)
        default: return 0
        }
    }
}

/// The bytes of one section of a little-endian ELF64 object.
func elfSection(_ name: String, in b: [UInt8]) throws(BTFError) -> [UInt8] {
    let sections = try ELFSections(b)
    let want = Array(name.utf8)
    for i in 0..<sections.count where sections.nameMatches(i, want) {
        let h = sections.header(i)
        guard h.offset + h.size <= b.count else { throw BTFError("ELF: section \(name) runs past the end") }
        return Array(b[h.offset..<h.offset + h.size])
    }
    throw BTFError("ELF: no \(name) section (compile with -g)")
}

/// The names of the sections of a little-endian ELF64 object (a BPF object's programs are in
/// sections named after their hooks, `tp_btf/sys_enter`).
public func elfSectionNames(in b: [UInt8]) throws(BTFError) -> [String] {
    let sections = try ELFSections(b)
    return (0..<sections.count).map(sections.name)
}

/// The section header table of a little-endian ELF64 object.
private struct ELFSections {
    let b: [UInt8]
    let shoff: Int, shentsize: Int, count: Int
    let names: (name: Int, offset: Int, size: Int)

    init(_ b: [UInt8]) throws(BTFError) {
        guard b.count >= 64, b[4] == 2, b[5] == 1 else { throw BTFError("ELF: only little-endian 64-bit objects are read") }
        let shoff = Self.u64(b, 0x28), shentsize = Self.u16(b, 0x3a), count = Self.u16(b, 0x3c), shstrndx = Self.u16(b, 0x3e)
        guard shentsize >= 64, shoff > 0, shoff + count * shentsize <= b.count, shstrndx < count else {
            throw BTFError("ELF: bad section header table")
        }
        let names = Self.header(b, shoff + shstrndx * shentsize)
        guard names.offset + names.size <= b.count else { throw BTFError("ELF: bad section name table") }
        (self.b, self.shoff, self.shentsize, self.count, self.names) = (b, shoff, shentsize, count, names)
    }

    private static func u16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ o: Int) -> Int { u16(b, o) | u16(b, o + 2) << 16 }
    private static func u64(_ b: [UInt8], _ o: Int) -> Int { u32(b, o) | u32(b, o + 4) << 32 }
    /// A section header at byte `h`: its name's offset in the name table, where it is, its size.
    private static func header(_ b: [UInt8], _ h: Int) -> (name: Int, offset: Int, size: Int) {
        (u32(b, h), u64(b, h + 0x18), u64(b, h + 0x20))
    }

    func header(_ i: Int) -> (name: Int, offset: Int, size: Int) { Self.header(b, shoff + i * shentsize) }

    /// Whether section `i` is named `want` (NUL-terminated in the name table).
    func nameMatches(_ i: Int, _ want: [UInt8]) -> Bool {
        let start = names.offset + header(i).name
        guard start + want.count < names.offset + names.size else { return false }
        for (k, c) in want.enumerated() where b[start + k] != c { return false }
        return b[start + want.count] == 0
    }

    func name(_ i: Int) -> String {
        let start = names.offset + header(i).name
        let end = names.offset + names.size
        guard start < end else { return "" }
        var stop = start
        while stop < end && b[stop] != 0 { stop += 1 }
        return String(decoding: b[start..<stop], as: UTF8.self)
    }
}
