import BPFProbes
import CBPF
import CgtraceABI
import CRecorder
import Glibc
import Launch
import Loader

/// Why a recorder command failed, with the exit status it maps to (man/cgtrace.1, EXIT STATUS).
public struct RecorderError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let exitCode: Int32

    public init(_ description: String, exitCode: Int32 = RecorderExit.failure) {
        self.description = description
        self.exitCode = exitCode
    }
}

/// Exit statuses of `record`, `dump`, `list` and `stop`: each cause its own, so scripts can tell.
public enum RecorderExit {
    public static let failure: Int32 = 1
    public static let usage: Int32 = 2
    public static let unknownName: Int32 = 3
    public static let kernel: Int32 = 4
    public static let nameTaken: Int32 = 5
    public static let notRoot: Int32 = 6
}

/// Where recordings live: one bpffs directory per recording, root-only.
public struct RecordingStore: Sendable {
    public static let bpffsMount = "/sys/fs/bpf"
    public let root: String

    public init(root: String = RecordingStore.bpffsMount + "/cgtrace") {
        self.root = root
    }

    public func directory(_ name: String) -> String { root + "/" + name }

    /// Names are path components under bpffs and cgroupfs: letters, digits, `.`, `_`, `-`.
    public static func validate(name: String) throws(RecorderError) {
        let allowed = name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed, name.first != ".", name.first != "-" else {
            throw RecorderError("invalid recording name '\(name)' (1 to 64 letters, digits, '.', '_', '-'; not starting with '.' or '-')",
                                exitCode: RecorderExit.usage)
        }
    }

    public static func requireRoot(_ what: String) throws(RecorderError) {
        guard geteuid() == 0 else {
            throw RecorderError("\(what) needs root: recordings are pinned in bpffs, readable by root only",
                                exitCode: RecorderExit.notRoot)
        }
    }

    /// Mount bpffs at /sys/fs/bpf if nothing is mounted there, then make `root` (mode 0700).
    ///
    /// Not where a bpffs mounted now would be a container's alone, and the recording pinned in
    /// it would go with the container after `record` had said it was made:
    /// - another file system is mounted at /sys/fs/bpf: a container given the host's
    ///   /sys/fs/bpf with `-v`, on a host that has no bpffs there (a bind of sysfs);
    /// - this process is in a pid namespace of its own (a container without the host's pids);
    /// - its mount namespace is not PID 1's (unknown where /proc/1/ns cannot be read, as on
    ///   this project's VMs, whose init is a sandbox's).
    /// (A container that mounted a bpffs of its own is not told apart from the host.)
    public func prepare() throws(RecorderError) {
        let mounted = Mountinfo.current()?.type(at: Self.bpffsMount)
        if mounted != "bpf" {
            let remedy = "mount it on the host (mount -t bpf bpf \(Self.bpffsMount)) and bind it in"
            if let mounted {
                throw RecorderError("bpffs is not mounted at \(Self.bpffsMount), where a \(mounted) file system is (the host's empty "
                                    + "directory bound into a container?): a bpffs mounted over it would go, with the recording, "
                                    + "when this mount namespace does: " + remedy, exitCode: RecorderExit.kernel)
            }
            if Self.inOwnNamespace() {
                throw RecorderError("bpffs is not mounted at \(Self.bpffsMount), and one mounted in this container's namespaces "
                                    + "would go, with the recording, when the container does: " + remedy, exitCode: RecorderExit.kernel)
            }
            mkdir(Self.bpffsMount, 0o755)
            if mount("bpf", Self.bpffsMount, "bpf", 0, "mode=0700") != 0 {
                throw RecorderError("bpffs is not mounted at \(Self.bpffsMount) and cannot be mounted: \(String(cString: strerror(errno)))",
                                    exitCode: RecorderExit.kernel)
            }
        }
        if mkdir(root, 0o700) != 0 && errno != EEXIST {
            throw RecorderError("cannot create \(root): \(String(cString: strerror(errno)))", exitCode: RecorderExit.kernel)
        }
        chmod(root, 0o700)
    }

    /// Whether this process is known to be in a pid namespace other than the first (the kernel
    /// numbers it PROC_PID_INIT_INO, 0xEFFFFFFC), or in a mount namespace other than PID 1's.
    static func inOwnNamespace() -> Bool {
        func namespace(_ path: String) -> String? {
            var buffer = [CChar](repeating: 0, count: 64)
            let n = readlink(path, &buffer, buffer.count - 1)
            return n > 0 ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        }
        if let pid = namespace("/proc/self/ns/pid"), pid != "pid:[\(0xEFFF_FFFC as UInt32)]" { return true }
        guard let mine = namespace("/proc/self/ns/mnt"), let initial = namespace("/proc/1/ns/mnt") else { return false }
        return mine != initial
    }

    /// The recordings present, by name.
    public func names() -> [String] {
        guard let dir = opendir(root) else { return [] }
        defer { closedir(dir) }
        var result: [String] = []
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if name != "." && name != ".." { result.append(name) }
        }
        return result.sorted()
    }

    public func exists(_ name: String) -> Bool {
        var st = stat()
        return stat(directory(name), &st) == 0
    }

    /// Unpin everything of a recording and remove its directory. Once the last pin of a link is
    /// gone its program detaches, and with the programs go the maps they held.
    public func remove(_ name: String) throws(RecorderError) {
        let dir = directory(name)
        guard let d = opendir(dir) else {
            throw RecorderError("cannot open \(dir): \(String(cString: strerror(errno)))")
        }
        var files: [String] = []
        while let entry = readdir(d) {
            let n = entryName(entry)
            if n != "." && n != ".." { files.append(n) }
        }
        closedir(d)
        let programs = files.filter { $0.hasPrefix("link-") }.compactMap { Self.programID(linkPin: dir + "/" + $0) }
        for f in files where unlink(dir + "/" + f) != 0 {
            throw RecorderError("cannot unpin \(dir)/\(f): \(String(cString: strerror(errno)))")
        }
        if rmdir(dir) != 0 {
            throw RecorderError("cannot remove \(dir): \(String(cString: strerror(errno)))")
        }
        // The kernel frees a detached program after an RCU grace period: wait for that, so that
        // what runs after `stop` (bpftool prog list, a new recording) no longer sees them.
        for _ in 0..<300 {
            if programs.allSatisfy({ !Self.programExists($0) }) { return }
            usleep(10_000)
        }
        throw RecorderError("recording '\(name)' is unpinned but its programs are still loaded (ids \(programs.map(String.init).joined(separator: ", "))): something else holds them")
    }

    /// The program a pinned link runs.
    static func programID(linkPin path: String) -> UInt32? {
        let fd = bpf_obj_get(path)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = bpf_link_info()
        var len = UInt32(MemoryLayout<bpf_link_info>.size)
        guard bpf_obj_get_info_by_fd(fd, &info, &len) == 0 else { return nil }
        return info.prog_id
    }

    static func programExists(_ id: UInt32) -> Bool {
        let fd = bpf_prog_get_fd_by_id(id)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }
}

func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
}

/// A recording's pinned maps, opened for reading (list, dump).
public final class PinnedRecording {
    public let name: String
    public let info: cgt_recording_info
    private let slotsFD: Int32
    private let seqFD: Int32
    private let countersFD: Int32
    /// -1 in recordings made before triggers existed.
    private let triggerFD: Int32

    public init(store: RecordingStore, name: String) throws(RecorderError) {
        self.name = name
        let dir = store.directory(name)
        guard store.exists(name) else {
            throw RecorderError("no recording named '\(name)' (cgtrace list shows them)", exitCode: RecorderExit.unknownName)
        }
        func open(_ file: String) throws(RecorderError) -> Int32 {
            let fd = bpf_obj_get(dir + "/" + file)
            if fd < 0 {
                let e = errno
                if e == ENOENT {
                    throw RecorderError("recording '\(name)' is incomplete (\(file) is missing; cgtrace stop \(name) removes it)")
                }
                throw RecorderError("cannot open \(dir)/\(file): \(String(cString: strerror(e)))",
                                    exitCode: e == EACCES || e == EPERM ? RecorderExit.notRoot : RecorderExit.failure)
            }
            return fd
        }
        let infoFD = try open("info")
        defer { close(infoFD) }
        var key: UInt32 = 0
        var info = cgt_recording_info()
        guard bpf_map_lookup_elem(infoFD, &key, &info) == 0 else {
            throw RecorderError("cannot read \(dir)/info: \(String(cString: strerror(errno)))")
        }
        guard info.abi_version == UInt32(CGT_ABI_VERSION), info.slot_size == UInt32(CGT_SLOT_SIZE) else {
            throw RecorderError("recording '\(name)' was made by another cgtrace version (ABI \(info.abi_version)); stop it and record again")
        }
        self.info = info
        // Pinned under their map names (ProbeSession.pin).
        slotsFD = try open(ProbeMap.recorderSlots.rawValue)
        seqFD = try open(ProbeMap.cpuSeq.rawValue)
        countersFD = try open(ProbeMap.counters.rawValue)
        triggerFD = bpf_obj_get(dir + "/" + ProbeMap.triggerState.rawValue)
    }

    deinit {
        close(slotsFD)
        close(seqFD)
        close(countersFD)
        if triggerFD >= 0 { close(triggerFD) }
    }

    /// Whether `record` was given a --trigger.
    public var hasTrigger: Bool { (triggerState()?.kinds ?? 0) != 0 }

    /// What the kernel noted about a trigger (fired == 0: nothing yet).
    public func triggerState() -> cgt_trigger_state? {
        guard triggerFD >= 0 else { return nil }
        var key: UInt32 = 0
        var state = cgt_trigger_state()
        guard bpf_map_lookup_elem(triggerFD, &key, &state) == 0 else { return nil }
        return state
    }

    /// Zero the trigger state but its kinds: overwriting resumes, the next incident fires again.
    public func resetTrigger() throws(RecorderError) {
        var key: UInt32 = 0
        var state = cgt_trigger_state()
        state.kinds = triggerState()?.kinds ?? 0
        guard triggerFD >= 0, bpf_map_update_elem(triggerFD, &key, &state, UInt64(BPF_ANY)) == 0 else {
            throw RecorderError("cannot rearm '\(name)': \(String(cString: strerror(errno)))")
        }
    }

    public var slotsPerCPU: Int { Int(info.slots_per_cpu) }
    public var ncpus: Int { Int(info.ncpus) }
    public var targets: String { Self.text(info.targets) }
    public var cgroup: String { Self.text(info.cgroup) }

    static func text<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) }
    }

    /// Each CPU's next seq: how many records it has written since the recording began.
    public func heads() throws(RecorderError) -> [UInt64] {
        var key: UInt32 = 0
        var values = [UInt64](repeating: 0, count: ProbeSession.possibleCPUs)
        guard bpf_map_lookup_elem(seqFD, &key, &values) == 0 else {
            throw RecorderError("cannot read the sequence counters of '\(name)': \(String(cString: strerror(errno)))")
        }
        return values
    }

    /// Records the kernel could not store (a slot it could not address; expected to stay 0).
    public func lost() -> UInt64 {
        var key = UInt32(CGT_CNT_LOST.rawValue)
        var values = [UInt64](repeating: 0, count: ProbeSession.possibleCPUs)
        guard bpf_map_lookup_elem(countersFD, &key, &values) == 0 else { return 0 }
        return values.reduce(0, &+)
    }

    /// A snapshot of every CPU's slots, read in place while recording goes on. Each slot is
    /// taken only if whole (see cgt_slot_read); the heads are read first, so what lands during
    /// the copy is recognisably newer and left out.
    public func snapshot() throws(RecorderError) -> [CPUSlots] {
        let heads = try heads()
        let slotSize = Int(CGT_SLOT_SIZE)
        let total = ncpus * slotsPerCPU * slotSize
        let page = Int(getpagesize())
        let length = (total + page - 1) / page * page
        guard let base = mmap(nil, length, PROT_READ, MAP_SHARED, slotsFD, 0), base != MAP_FAILED else {
            throw RecorderError("cannot map the slots of '\(name)': \(String(cString: strerror(errno)))")
        }
        defer { munmap(base, length) }
        var result: [CPUSlots] = []
        var buffer = [UInt8](repeating: 0, count: slotSize)
        for cpu in 0..<min(ncpus, heads.count) {
            var records: [(slot: Int, bytes: [UInt8])] = []
            // Only slots that have been written at least once can hold anything.
            let used = Int(min(heads[cpu], UInt64(slotsPerCPU)))
            for slot in 0..<used {
                let at = base + (cpu * slotsPerCPU + slot) * slotSize
                var seq: UInt64 = 0
                let n = buffer.withUnsafeMutableBytes { cgt_slot_read(at, slotSize, $0.baseAddress, &seq) }
                if n > 0 { records.append((slot, Array(buffer[0..<n]))) }
            }
            result.append(CPUSlots(cpu: cpu, head: heads[cpu], records: records))
        }
        return result
    }
}
