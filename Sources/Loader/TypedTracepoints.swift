import BTF
import CBPF

#if canImport(Glibc)
import Glibc
#endif

/// The tp_btf programs' attach points: for `tp_btf/NAME`, the kernel BTF id of the typedef
/// `btf_trace_NAME`, which the kernel takes at load (attach_btf_id).
///
/// libbpf finds these itself, but to do so it reads the whole kernel BTF (5.4 MB here, in 4 KiB
/// reads of sysfs), parses it, and searches it by name once per program: ~8 ms of every start
/// on the test machine (perf: libbpf's vmlinux parse and page faults between the CO-RE cache
/// and the verifier). The BTF module finds all of them in one pass over the file the kernel
/// description mapped already (BTFFile.shared), and a program handler hands the ids to
/// libbpf's load.
///
/// The handler is libbpf's documented hook for a section (libbpf_register_prog_handler), made
/// to replace its built-in `tp_btf+`. The programs open as raw tracepoints and become tracing
/// programs in the handler's load callback: libbpf loads the kernel BTF at load for any tracing
/// program not attached to another program, attach id known or not (libbpf 1.1.2,
/// prog_needs_vmlinux_btf), and a raw tracepoint program needs none.
enum TypedTracepoints {
    static let sectionPrefix = "tp_btf/"

    /// Attach ids by tracepoint name, filled before each load (use, find, while the objects are
    /// opened) and only read by the handler's load callback, which may run on the split load's
    /// second thread: every write happens before the loads start.
    nonisolated(unsafe) private static var ids: [String: UInt32] = [:]

    /// Takes attach ids found before, in the kernel BTF this process runs on (CoreBTFCache):
    /// `find` then looks up only those it lacks.
    static func use(_ known: [String: UInt32]) {
        ids.merge(known) { _, cached in cached }
    }

    /// Forgets every id: the next `find` looks them all up in the kernel BTF (after a load
    /// with cached ids failed).
    static func forget() {
        ids = [:]
    }

    /// Registers the handler for `tp_btf/…` sections (once per process, before any object is
    /// opened: libbpf binds a program to its handler at open).
    static func registerHandler() {
        _ = registration
    }

    private static let registration: Int32 = {
        var opts = libbpf_prog_handler_opts()
        opts.sz = MemoryLayout<libbpf_prog_handler_opts>.size
        opts.prog_prepare_load_fn = { program, load, _ in
            guard let program, let load, let section = bpf_program__section_name(program) else { return -EINVAL }
            let name = String(cString: section)
            guard name.hasPrefix(TypedTracepoints.sectionPrefix),
                  let id = TypedTracepoints.ids[String(name.dropFirst(TypedTracepoints.sectionPrefix.count))] else { return -ESRCH }
            _ = bpf_program__set_type(program, BPF_PROG_TYPE_TRACING)
            load.pointee.expected_attach_type = BPF_TRACE_RAW_TP
            load.pointee.attach_btf_id = id
            load.pointee.attach_btf_obj_fd = 0  // vmlinux
            load.pointee.attach_prog_fd = 0
            return 0
        }
        opts.prog_attach_fn = { program, _, link in
            guard let program, let link else { return -EINVAL }
            // What libbpf's own tp_btf handler does (a BPF_TRACE_RAW_TP link).
            guard let made = bpf_program__attach_trace(program) else { return -errno }
            let error = libbpf_get_error(UnsafeRawPointer(made))
            if error != 0 { return Int32(error) }
            link.pointee = made
            return 0
        }
        return libbpf_register_prog_handler("tp_btf+", BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_TRACE_RAW_TP, &opts)
    }()

    /// Finds the attach ids of `object`'s autoloaded tp_btf programs in the kernel BTF at
    /// `vmlinux`. Throws (a mode error: the loader then tries raw_tp) when the handler could not
    /// be registered, the BTF cannot be read, or the kernel lacks one of the tracepoints.
    static func find(for object: OpaquePointer, vmlinux: String = "/sys/kernel/btf/vmlinux") throws(LoaderError) {
        guard registration >= 0 else {
            throw LoaderError("cannot register the tp_btf program handler: \(errnoText(-registration))")
        }
        var wanted: Set<String> = []
        var program = bpf_object__next_program(object, nil)
        while let p = program {
            defer { program = bpf_object__next_program(object, p) }
            guard bpf_program__autoload(p), let section = bpf_program__section_name(p) else { continue }
            let name = String(cString: section)
            if name.hasPrefix(sectionPrefix) { wanted.insert(String(name.dropFirst(sectionPrefix.count))) }
        }
        if wanted.isEmpty || wanted.allSatisfy({ ids[$0] != nil }) { return }
        let btf: BTFFile
        do { btf = try BTFFile.shared(path: vmlinux) } catch {  // as the kernel description read it
            throw LoaderError("cannot read the kernel BTF \(vmlinux): \(error.description)")
        }
        let found = attachIDs(of: wanted, in: btf)
        for name in wanted {
            guard let id = found[name] else {
                throw LoaderError("the kernel has no BTF for tracepoint \(name)")
            }
            ids[name] = id
        }
    }

    /// The attach ids of the tracepoints `names` (`sys_enter`) in a kernel BTF: its typedefs
    /// `btf_trace_NAME`, for those it has.
    static func attachIDs(of names: some Collection<String>, in btf: BTFFile) -> [String: UInt32] {
        let found = btf.find(Set(names.map { "btf_trace_" + $0 }), kinds: [.typedef])
        var ids: [String: UInt32] = [:]
        for name in names { if let id = found["btf_trace_" + name] { ids[name] = UInt32(id) } }
        return ids
    }
}
