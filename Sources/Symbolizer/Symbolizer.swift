import CDW
import Decoder
import Glibc

/// Turns the stack snapshots of -k into symbolized frames, with libdw.
///
/// The kernel copies the registers and the top of the user stack at each traced syscall (the C
/// library has no frame pointers, so only a CFI unwinder gets past its syscall wrappers). Here
/// libdwfl unwinds that copy: for each process image we keep a `Dwfl` whose modules are the files
/// the kernel reported mapped executable (CGT_REC_MAP, sent at exec and at each PROT_EXEC mmap, so
/// a process that is already gone still symbolizes), and whose memory is the current snapshot.
///
/// Caching: a process image's `Dwfl` (ELF, CFI and symbol tables of its files) lives as long as
/// the image; program headers and resolved symbols are cached per file across processes.
public final class Symbolizer {
    /// Frames beyond this many are not shown (an unwinder can also loop on corrupt stacks).
    public let maxFrames: Int
    private var images: [UInt32: ProcessImage] = [:]
    private var files: [String: BinaryFile] = [:]
    private let callbacks: UnsafeMutablePointer<Dwfl_Callbacks>
    private let threadCallbacks: UnsafeMutablePointer<Dwfl_Thread_Callbacks>

    /// Whether a process never reported by the kernel is looked up in /proc. A replay of a
    /// saved trace says no: that pid is another process now, or none.
    public var readsLiveProcesses = true
    /// Told of every process whose mappings were read from /proc (for a saved trace, so that a
    /// replay can use the same ones).
    public var onLiveMappings: ((UInt32, [SavedMapping]) -> Void)?

    public init(maxFrames: Int = 64) {
        self.maxFrames = maxFrames
        elf_version(UInt32(EV_CURRENT))
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: Dwfl_Callbacks(
            find_elf: dwfl_build_id_find_elf,
            find_debuginfo: dwfl_standard_find_debuginfo,
            section_address: dwfl_offline_section_address,
            debuginfo_path: nil))
        threadCallbacks = .allocate(capacity: 1)
        threadCallbacks.initialize(to: Dwfl_Thread_Callbacks(
            next_thread: { _, _, _ in 0 },
            get_thread: { _, _, arg, threadArg in
                // Every tid is "the thread of the current snapshot".
                threadArg?.pointee = arg
                return true
            },
            memory_read: { _, address, result, arg in
                guard let arg, let result else { return false }
                let state = Unmanaged<UnwindState>.fromOpaque(arg).takeUnretainedValue()
                guard let word = state.snapshot?.word(at: address) else { return false }
                result.pointee = word
                return true
            },
            set_initial_registers: { thread, arg in
                guard let thread, let arg else { return false }
                let state = Unmanaged<UnwindState>.fromOpaque(arg).takeUnretainedValue()
                guard let r = state.snapshot?.registers else { return false }
                // DWARF register numbers on x86_64: 3 rbx, 6 rbp, 7 rsp, 12–15 r12–r15. The
                // others are left undefined: the syscall clobbered them or CFI never needs them.
                var bx = r.bx
                var bpsp = [r.bp, r.sp]
                var high = [r.r12, r.r13, r.r14, r.r15]
                guard dwfl_thread_state_registers(thread, 3, 1, &bx),
                      dwfl_thread_state_registers(thread, 6, 2, &bpsp),
                      dwfl_thread_state_registers(thread, 12, 4, &high) else { return false }
                dwfl_thread_state_register_pc(thread, r.ip)
                return true
            },
            detach: nil,
            thread_detach: nil))
    }

    deinit {
        images.removeAll()
        callbacks.deallocate()
        threadCallbacks.deallocate()
    }

    // MARK: What the kernel tells

    /// A file mapped executable in process `header.pid`.
    public func noteMapping(_ m: MappingRecord) {
        let pid = m.header.pid
        if m.startsImage || images[pid] == nil { images[pid] = ProcessImage() }
        guard !m.path.isEmpty, let image = images[pid] else { return }
        image.add(MappedFile(path: m.path, start: m.start, fileOffset: m.fileOffset, inode: m.inode))
    }

    /// A new process starts with a copy of its parent's mappings.
    public func noteFork(parent: UInt32, child: UInt32) {
        guard parent != child, let from = images[parent] else { return }
        let image = ProcessImage()
        for f in from.mapped { image.add(f) }
        images[child] = image
    }

    /// Process `pid` is, for now, a copy of live process `source` (e.g. the tracer's own child
    /// between clone and exec: its execve's stack is in the tracer's mappings).
    public func adoptMappings(pid: UInt32, from source: UInt32) {
        let image = ProcessImage()
        let files = Self.procMappings(pid: source)
        for f in files { image.add(f) }
        images[pid] = image
        onLiveMappings?(pid, files.map(SavedMapping.init))
    }

    /// Process `pid`'s mappings as a saved trace recorded them (replay).
    public func adoptMappings(pid: UInt32, files: [SavedMapping]) {
        let image = ProcessImage()
        for f in files { image.add(MappedFile(path: f.path, start: f.start, fileOffset: f.fileOffset, inode: f.inode)) }
        images[pid] = image
    }

    /// The process is gone: its image will not be needed again.
    public func processExited(_ pid: UInt32) {
        images[pid] = nil
    }

    // MARK: Unwinding

    /// The frames of one syscall of process `pid`, innermost first.
    public func frames(pid: UInt32, snapshot: StackSnapshot) -> [StackFrame] {
        let image: ProcessImage
        if let known = images[pid] {
            image = known
        } else {
            // Not seen at exec (the kernel's reports were lost, or it predates tracing): read
            // the live mappings while the process still exists.
            image = ProcessImage()
            if readsLiveProcesses {
                let files = Self.procMappings(pid: pid)
                for f in files { image.add(f) }
                onLiveMappings?(pid, files.map(SavedMapping.init))
            }
            images[pid] = image
        }
        let pcs = unwind(image: image, pid: pid, snapshot: snapshot)
        return pcs.map { resolve(pc: $0.pc, exact: $0.exact, image: image) }
    }

    private func unwind(image: ProcessImage, pid: UInt32, snapshot: StackSnapshot) -> [(pc: UInt64, exact: Bool)] {
        let fallback = [(pc: snapshot.registers.ip, exact: true)]
        guard let dwfl = dwflFor(image, pid: pid) else { return fallback }
        image.state.snapshot = snapshot
        image.state.pcs.removeAll(keepingCapacity: true)
        image.state.limit = maxFrames
        defer { image.state.snapshot = nil }
        let arg = Unmanaged.passUnretained(image.state).toOpaque()
        // The return value says why the walk ended (end of CFI, of the copied stack, …): every
        // frame found until then is good, so only an empty walk falls back to the pc.
        _ = dwfl_getthread_frames(dwfl, pid_t(bitPattern: pid), { frame, arg in
            guard let frame, let arg else { return Int32(DWARF_CB_ABORT) }
            let state = Unmanaged<UnwindState>.fromOpaque(arg).takeUnretainedValue()
            var pc: Dwarf_Addr = 0
            var activation = false
            guard dwfl_frame_pc(frame, &pc, &activation) else { return Int32(DWARF_CB_ABORT) }
            // A zero return address marks the outermost frame (e.g. past a signal trampoline).
            if pc == 0 && !state.pcs.isEmpty { return Int32(DWARF_CB_ABORT) }
            state.pcs.append((pc, activation))
            return state.pcs.count >= state.limit ? Int32(DWARF_CB_ABORT) : Int32(DWARF_CB_OK)
        }, arg)
        return image.state.pcs.isEmpty ? fallback : image.state.pcs
    }

    /// The image's Dwfl, with every file reported so far, attached to the snapshot callbacks.
    private func dwflFor(_ image: ProcessImage, pid: UInt32) -> OpaquePointer? {
        if image.dwfl == nil {
            guard let d = dwfl_begin(callbacks) else { return nil }
            image.dwfl = d
        }
        guard let dwfl = image.dwfl else { return nil }
        if !image.unreported.isEmpty {
            dwfl_report_begin_add(dwfl)
            for f in image.unreported {
                guard let bias = file(f.path, inode: f.inode)?.bias(start: f.start, fileOffset: f.fileOffset) else { continue }
                _ = dwfl_report_elf(dwfl, f.path, f.path, -1, bias, true)
            }
            dwfl_report_end(dwfl, nil, nil)
            image.unreported.removeAll()
        }
        if !image.attached {
            // The architecture comes from the first module: attach once one is there.
            guard dwfl_attach_state(dwfl, nil, pid_t(bitPattern: pid), threadCallbacks,
                                    Unmanaged.passUnretained(image.state).toOpaque()) else { return nil }
            image.attached = true
        }
        return dwfl
    }

    private func resolve(pc: UInt64, exact: Bool, image: ProcessImage) -> StackFrame {
        // A return address may be one past a call that ends its function (a call to a noreturn
        // function): look up the call instruction's byte, and show the return address.
        let lookup = exact || pc == 0 ? pc : pc - 1
        guard let dwfl = image.dwfl, let module = dwfl_addrmodule(dwfl, lookup) else {
            return StackFrame(address: pc, module: nil, moduleAddress: pc, symbol: nil, symbolOffset: 0)
        }
        var bias: Dwarf_Addr = 0
        var low: Dwarf_Addr = 0
        let name = dwfl_module_info(module, nil, &low, nil, nil, nil, nil, nil).map { String(cString: $0) }
        // The module's load bias: ELF addresses are pc − bias (strace prints that in brackets).
        var probe = lookup
        if dwfl_module_relocate_address(module, &probe) >= 0 { bias = lookup &- probe }
        let relative = pc &- bias
        let key = lookup &- bias
        // The file's own symbol tables name the frame, as strace -k does (see `FunctionSymbols`).
        let cache = name.flatMap { files[$0] ?? file($0, inode: 0) }
        if let hit = cache?.symbols[key] {
            return StackFrame(address: pc, module: name, moduleAddress: relative, symbol: hit.name,
                              symbolOffset: hit.offset &+ (pc &- lookup))
        }
        var symbol: String?
        var offset: UInt64 = 0
        if let found = cache?.functions.nearest(atOrBelow: key) {
            (symbol, offset) = (found.name, key &- found.value)
        } else if cache == nil {
            // A file that cannot be read here: what libdw knows of the module.
            var off: GElf_Off = 0
            var sym = GElf_Sym()
            symbol = dwfl_module_addrinfo(module, lookup, &off, &sym, nil, nil, nil).map { String(cString: $0) }
            offset = UInt64(off)
        }
        cache?.symbols[key] = (symbol, offset)
        return StackFrame(address: pc, module: name, moduleAddress: relative, symbol: symbol,
                          symbolOffset: symbol == nil ? 0 : offset &+ (pc &- lookup))
    }

    private func file(_ path: String, inode: UInt64) -> BinaryFile? {
        if let f = files[path], f.inode == inode || inode == 0 { return f }
        guard let f = BinaryFile(path: path, inode: inode) else { return nil }
        files[path] = f
        return f
    }

    /// Executable file mappings of a live process, from /proc/PID/maps.
    static func procMappings(pid: UInt32) -> [MappedFile] {
        guard let fp = fopen("/proc/\(pid)/maps", "r") else { return [] }
        defer { fclose(fp) }
        var result: [MappedFile] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, fp) > 0, let line {
            // start-end perms offset dev inode path
            let fields = String(cString: line).split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1].contains("x") else { continue }
            var path = Substring(fields[5])
            while path.last == "\n" || path.last == " " { path = path.dropLast() }
            while path.first == " " { path = path.dropFirst() }
            let range = fields[0].split(separator: "-")
            guard path.hasPrefix("/"), range.count == 2, let start = UInt64(range[0], radix: 16),
                  let offset = UInt64(fields[2], radix: 16), let inode = UInt64(fields[4]) else { continue }
            result.append(MappedFile(path: String(path), start: start, fileOffset: offset, inode: inode))
        }
        return result
    }
}

/// A file mapped into a process: where, and which part of it.
/// A file mapping as a saved trace keeps it.
public struct SavedMapping: Sendable, Equatable {
    public var path: String
    public var start: UInt64
    public var fileOffset: UInt64
    public var inode: UInt64

    public init(path: String, start: UInt64, fileOffset: UInt64, inode: UInt64) {
        self.path = path
        self.start = start
        self.fileOffset = fileOffset
        self.inode = inode
    }

    init(_ f: MappedFile) { self.init(path: f.path, start: f.start, fileOffset: f.fileOffset, inode: f.inode) }
}

struct MappedFile {
    var path: String
    var start: UInt64
    var fileOffset: UInt64
    var inode: UInt64
}

/// One process image (from an exec to the next exec or the exit).
final class ProcessImage {
    var dwfl: OpaquePointer?
    var attached = false
    private(set) var mapped: [MappedFile] = []
    var unreported: [MappedFile] = []
    private var paths: Set<String> = []
    let state = UnwindState()

    /// A file once: libdwfl places a whole module from one of its mappings.
    func add(_ f: MappedFile) {
        guard paths.insert(f.path).inserted else { return }
        mapped.append(f)
        unreported.append(f)
    }

    deinit {
        if let dwfl { dwfl_end(dwfl) }
    }
}

/// What libdwfl's callbacks see while one snapshot is unwound (through their context pointer).
final class UnwindState {
    var snapshot: StackSnapshot?
    var pcs: [(pc: UInt64, exact: Bool)] = []
    var limit = 64
}

/// What we keep per file on disk: its loadable segments and the symbols already looked up.
final class BinaryFile {
    let path: String
    let inode: UInt64
    /// PT_LOAD segments: file offset and address, both rounded down to the page.
    let segments: [(offset: UInt64, vaddr: UInt64, size: UInt64)]
    var symbols: [UInt64: (name: String?, offset: UInt64)] = [:]

    init?(path: String, inode: UInt64) {
        var st = stat()
        // A file replaced since it was mapped would place symbols wrongly: better none.
        guard stat(path, &st) == 0, inode == 0 || UInt64(st.st_ino) == inode else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let elf = elf_begin(fd, ELF_C_READ, nil) else { return nil }
        defer { elf_end(elf) }
        var count = 0
        guard elf_getphdrnum(elf, &count) == 0 else { return nil }
        let page = UInt64(max(sysconf(Int32(_SC_PAGESIZE)), 4096))
        var segments: [(offset: UInt64, vaddr: UInt64, size: UInt64)] = []
        for i in 0..<count {
            var ph = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(i), &ph) != nil, ph.p_type == PT_LOAD else { continue }
            let skew = ph.p_offset % page
            segments.append((ph.p_offset - skew, ph.p_vaddr &- skew, ph.p_filesz + skew))
        }
        guard !segments.isEmpty else { return nil }
        self.path = path
        self.inode = inode
        self.segments = segments
    }

    /// The file's function symbols, read on the first frame that needs them.
    lazy var functions: FunctionSymbols = FunctionSymbols(path: path) ?? FunctionSymbols(entries: [])

    /// The load bias of the file, given that file offset `fileOffset` is mapped at `start`.
    func bias(start: UInt64, fileOffset: UInt64) -> UInt64? {
        let seg = segments.first { fileOffset >= $0.offset && fileOffset < $0.offset + max($0.size, 1) }
            ?? segments.last { fileOffset >= $0.offset }
        guard let seg else { return nil }
        return start &- (seg.vaddr &+ (fileOffset - seg.offset))
    }
}

/// A file's function symbols, to name frames the way strace -k names them.
///
/// strace 6.1 here unwinds with libunwind, which names an address after the nearest function
/// symbol at or below it in the file's own symbol tables (.symtab and .dynsym, in section order;
/// the first of several at one address), sizes ignored and debug files never read. So a stripped
/// libc names frames by its exported aliases (`__open64`, not the debug file's `__open`;
/// `__libc_start_main`, not `__libc_start_main@@GLIBC_2.34`), and an address past a local
/// function's end takes the exported one before it (`__libc_init_first+0x8a`). cgtrace follows,
/// so `-k` lines read the same; libdw would have picked the debug file's names.
struct FunctionSymbols {
    /// Sorted by address; for one address, the symbol that comes first in the file.
    let entries: [(value: UInt64, name: String)]

    init(entries: [(value: UInt64, name: String)]) { self.entries = entries }

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let elf = elf_begin(fd, ELF_C_READ, nil) else { return nil }
        defer { elf_end(elf) }
        var found: [(value: UInt64, order: Int, name: String)] = []
        var section: OpaquePointer? = elf_nextscn(elf, nil)
        while let scn = section {
            defer { section = elf_nextscn(elf, scn) }
            var header = GElf_Shdr()
            guard gelf_getshdr(scn, &header) != nil, header.sh_type == SHT_SYMTAB || header.sh_type == SHT_DYNSYM,
                  header.sh_entsize > 0, let data = elf_getdata(scn, nil) else { continue }
            let count = Int(header.sh_size / header.sh_entsize)
            for i in 0..<count {
                var sym = GElf_Sym()
                guard gelf_getsym(data, Int32(i), &sym) != nil,
                      Int32(sym.st_info & 0xf) == STT_FUNC, sym.st_shndx != UInt16(SHN_UNDEF),
                      let name = elf_strptr(elf, Int(header.sh_link), Int(sym.st_name)) else { continue }
                found.append((sym.st_value, found.count, String(cString: name)))
            }
        }
        found.sort { $0.value != $1.value ? $0.value < $1.value : $0.order < $1.order }
        var entries: [(value: UInt64, name: String)] = []
        entries.reserveCapacity(found.count)
        for f in found where entries.last?.value != f.value { entries.append((f.value, f.name)) }
        self.entries = entries
    }

    /// The symbol whose address is the closest at or below `address`.
    func nearest(atOrBelow address: UInt64) -> (value: UInt64, name: String)? {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].value <= address { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : entries[low - 1]
    }
}
