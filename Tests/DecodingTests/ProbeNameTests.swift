import BPFProbes
import CBPF
import CgtraceABI
@testable import Loader
import XCTest

/// The names the Loader and the Recorder bind in the BPF object by string (BPFProbes'
/// ProbeNames) exist in the embedded object, with the sizes the Swift side writes and reads.
/// The object is only opened (libbpf parses the ELF and its BTF), never loaded: no root, no
/// kernel, a few milliseconds. LeanProbeNameTests checks the lean build the same way.
class ProbeNameTests: XCTestCase {
    private var object: OpaquePointer!
    private var bytes: [UInt8] = []
    /// The build of the object checked.
    class var embedded: [UInt8] { ProbeObjects.cgtrace }

    override func setUpWithError() throws {
        libbpf_set_print { _, _, _ in 0 }
        bytes = Self.embedded
        var opts = bpf_object_open_opts()
        opts.sz = MemoryLayout<bpf_object_open_opts>.size
        let opened: OpaquePointer? = bytes.withUnsafeBytes { raw in
            "cgtrace".withCString { name in
                opts.object_name = name
                return bpf_object__open_mem(raw.baseAddress, raw.count, &opts)
            }
        }
        let object = try XCTUnwrap(opened, "bpf_object__open_mem failed: errno \(errno)")
        XCTAssertEqual(libbpf_get_error(UnsafeRawPointer(object)), 0)
        self.object = object
    }

    override func tearDown() {
        if let object { bpf_object__close(object) }
        object = nil
    }

    private func map(_ name: String) -> OpaquePointer? { bpf_object__find_map_by_name(object, name) }

    func testEveryMapTheSwiftSideBindsExistsWithItsValueLayout() throws {
        for probeMap in ProbeMap.allCases {
            XCTAssertNotNil(map(probeMap.rawValue), "no map \(probeMap.rawValue) in the BPF object")
        }
        // What Swift reads or writes as whole values: the C struct of the ABI header.
        let valueSizes: [ProbeMap: Int] = [
            .syscallSpecs: MemoryLayout<cgt_syscall_spec>.size,
            .pendingLoss: MemoryLayout<cgt_lost>.size,
            .triggerState: MemoryLayout<cgt_trigger_state>.size,
            .recorderSlots: Int(CGT_SLOT_SIZE),
            .counters: MemoryLayout<UInt64>.size,
            .cpuSeq: MemoryLayout<UInt64>.size,
            .tracedPids: MemoryLayout<UInt8>.size,
        ]
        for (probeMap, size) in valueSizes {
            let m = try XCTUnwrap(map(probeMap.rawValue))
            XCTAssertEqual(Int(bpf_map__value_size(m)), size, "value size of \(probeMap.rawValue)")
        }
        XCTAssertEqual(bpf_map__max_entries(try XCTUnwrap(map(ProbeMap.syscallSpecs.rawValue))), UInt32(CGT_MAX_SYSCALLS))
        XCTAssertEqual(bpf_map__max_entries(try XCTUnwrap(map(ProbeMap.counters.rawValue))), CGT_CNT_MAX.rawValue)
        XCTAssertEqual(bpf_map__type(try XCTUnwrap(map(ProbeMap.events.rawValue))), BPF_MAP_TYPE_RINGBUF)
        // The recorder pins these and a dump opens them again by the same names.
        XCTAssertEqual(Set(ProbeSession.pinnedMaps).subtracting(ProbeMap.allCases), [])
    }

    func testEveryReadOnlyConstantExistsWithTheSizeTheLoaderWrites() throws {
        var rodata: OpaquePointer?
        var m = bpf_object__next_map(object, nil)
        while let current = m {
            if String(cString: bpf_map__name(current)).hasSuffix(ProbeConstant.section) { rodata = current }
            m = bpf_object__next_map(object, current)
        }
        XCTAssertNotNil(rodata, "no \(ProbeConstant.section) map")
        let btf = try XCTUnwrap(bpf_object__btf(object))
        // The loader's own lookup.
        let offsets = ProbeSession.dataSectionOffsets(btf: btf, section: ProbeConstant.section)
        let sizes: [ProbeConstant: Int] = [
            .config: MemoryLayout<cgt_config>.size,
            .targets: Int(CGT_MAX_TARGETS) * MemoryLayout<cgt_target>.stride,
            .triggerConfig: MemoryLayout<cgt_trigger_config>.size,
        ]
        XCTAssertEqual(Set(sizes.keys), Set(ProbeConstant.allCases))
        let varKind: Int32 = BTF_KIND_VAR
        for constant in ProbeConstant.allCases {
            XCTAssertNotNil(offsets[constant.rawValue], "no \(constant.rawValue) in \(ProbeConstant.section)")
            let id = btf__find_by_name_kind(btf, constant.rawValue, UInt32(varKind))
            XCTAssertGreaterThan(id, 0, "no BTF variable \(constant.rawValue)")
            guard id > 0, let variable = btf__type_by_id(btf, UInt32(id)) else { continue }
            XCTAssertEqual(btf__resolve_size(btf, variable.pointee.type), Int64(sizes[constant]!),
                           "size of \(constant.rawValue) in the object vs the Swift import of cgtrace_abi.h")
        }
    }

    /// Every program belongs to a set the loader knows and hooks something it knows; every set
    /// has each of its hooks, in the section type its attach mode stands for. A program the
    /// loader did not recognise would never be loaded, silently.
    func testProgramsAreExactlyTheSetsTimesTheirHooks() {
        var found: [String: String] = [:]  // program → section
        var p = bpf_object__next_program(object, nil)
        while let program = p {
            found[String(cString: bpf_program__name(program))] = String(cString: bpf_program__section_name(program))
            p = bpf_object__next_program(object, program)
        }
        var expected: Set<String> = []
        for set in ProbeProgramSet.allCases {
            for hook in set.hooks { expected.insert(set.program(hook)) }
        }
        XCTAssertEqual(Set(found.keys).subtracting(expected), [], "programs the loader does not know")
        XCTAssertEqual(expected.subtracting(found.keys), [], "programs the loader expects, missing")
        for name in found.keys {
            XCTAssertNotNil(ProbeHook(program: name), name)
        }
        // tp_btf programs sit in tp_btf/… sections, raw_tp programs in raw_tp/… (the mode's name).
        for mode in AttachMode.allCases {
            for hook in mode.programSet.hooks {
                let name = mode.programSet.program(hook)
                XCTAssertEqual(found[name]?.hasPrefix(mode.rawValue + "/"), true, "\(name) in \(found[name] ?? "no section")")
            }
        }
        for hook in ProbeProgramSet.syscallEvents.hooks {
            XCTAssertEqual(found[ProbeProgramSet.syscallEvents.program(hook)], "tracepoint")
        }
    }

    func testHookOfAProgramName() {
        XCTAssertEqual(ProbeHook(program: "btf_sys_enter"), .sysEnter)
        XCTAssertEqual(ProbeHook(program: "raw_oom_victim"), .oomVictim)
        XCTAssertEqual(ProbeHook(program: "event_sys_exit"), .sysExit)
        XCTAssertNil(ProbeHook(program: "sys_enter"))
        XCTAssertNil(ProbeHook(program: "btf_sys_entry"))
    }
}

/// The lean build (probes/maps.bpf.h, CGT_LEAN), which most runs load: the same names, maps,
/// constants and programs.
final class LeanProbeNameTests: ProbeNameTests {
    override class var embedded: [UInt8] { ProbeObjects.cgtraceLean }

    /// It is a build of its own (smaller: the code behind -y, -k, the filters and the triggers is
    /// not in it), and the loader takes it only when the options use none of those.
    func testTheLeanBuildServesOnlyOptionsWithoutItsFeatures() {
        XCTAssertLessThan(ProbeObjects.cgtraceLean.count, ProbeObjects.cgtrace.count * 3 / 4)
        var o = ProbeOptions()
        XCTAssertTrue(o.fitsLeanObject)
        o.joinCalls = true
        o.verbose = true
        o.followPids = true
        o.freezeBytes = 1 << 20
        XCTAssertTrue(o.fitsLeanObject, "what the lean build keeps")
        let uses: [(String, (inout ProbeOptions) -> Void)] = [
            ("-y", { $0.fdPaths = 1 }), ("-k", { $0.stackBytes = 1024 }), ("-z", { $0.statusFilter = 1 }),
            ("--latency", { $0.minLatencyNs = 1 }), ("a trigger", { $0.trigger.kinds = 1 }),
            ("the recorder", { $0.recordSlots = 64 }),
        ]
        for (what, use) in uses {
            var with = ProbeOptions()
            use(&with)
            XCTAssertFalse(with.fitsLeanObject, what)
        }
    }
}
