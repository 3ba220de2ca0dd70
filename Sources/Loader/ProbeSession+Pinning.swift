import BPFProbes
import CBPF
import CgtraceABI
import Glibc

/// The flight recorder's side of the loader: size the overwrite storage before load, and hand
/// the links and maps to bpffs so that they outlive this process.
extension ProbeSession {
    /// The maps a dump or `cgtrace list` reads back from a pinned recording.
    public static let pinnedMaps: [ProbeMap] = [.recorderSlots, .cpuSeq, .counters, .triggerState]

    /// Possible CPUs: the kernel's per-CPU maps and CPU numbers range over these.
    public static var possibleCPUs: Int { Int(max(libbpf_num_possible_cpus(), 1)) }

    static func sizeRecorderSlots(object: OpaquePointer, slotsPerCPU: UInt32) throws(LoaderError) {
        guard let slots = bpf_object__find_map_by_name(object, ProbeMap.recorderSlots.rawValue) else {
            throw LoaderError("the BPF object has no recorder_slots map")
        }
        let total = UInt64(slotsPerCPU) * UInt64(possibleCPUs)
        // An array map's values must fit one vmalloc'ed area; stay well inside what it allows.
        guard total * UInt64(CGT_SLOT_SIZE) <= 1 << 32 else {
            throw LoaderError("a recording of \(slotsPerCPU) events per CPU × \(possibleCPUs) CPUs does not fit in 4 GiB")
        }
        if bpf_map__set_max_entries(slots, UInt32(total)) != 0 {
            throw LoaderError("cannot size the recorder's slots: \(errnoText(errno))")
        }
    }

    /// Pin every attached link as `dir/link-PROGRAM` and the maps a reader needs as `dir/MAP`.
    /// From then on the programs stay attached with no process holding them; unpinning (see
    /// `unpinAll`) releases them. On failure nothing stays pinned.
    public func pin(in dir: String) throws(LoaderError) {
        guard let object else { throw LoaderError("the BPF object is closed") }
        var pinned: [String] = []
        func undo() { for path in pinned { unlink(path) } }
        // attach() made one link per loaded program, in loadedPrograms' order.
        let names = loadedPrograms.map { String(cString: bpf_program__name($0)) }
        guard names.count == links.count, !links.isEmpty else {
            throw LoaderError("the probes are not attached")
        }
        /// `pinOne(path)` pins one object there (libbpf's 0 or -errno).
        func pin(_ path: String, _ pinOne: (String) -> Int32) throws(LoaderError) {
            let rc = pinOne(path)
            if rc != 0 {
                undo()
                throw LoaderError("cannot pin \(path): \(errnoText(-rc))")
            }
            pinned.append(path)
        }
        for (link, name) in zip(links, names) {
            try pin(dir + "/link-" + name) { bpf_link__pin(link, $0) }
        }
        for kept in Self.pinnedMaps {
            guard let map = bpf_object__find_map_by_name(object, kept.rawValue) else {
                undo()
                throw LoaderError("the BPF object has no map \(kept.rawValue)")
            }
            try pin(dir + "/" + kept.rawValue) { bpf_map__pin(map, $0) }
        }
    }
}
