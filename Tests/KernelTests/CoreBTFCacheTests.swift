import BTF
import Foundation
@testable import Loader
import WholeFiles
import XCTest

/// The minimal kernel BTF for CO-RE (Loader/CoreBTFCache.swift): it relocates the probes exactly
/// as the full vmlinux BTF does, and a stale, corrupt or rejected cache never fails a start.
final class CoreBTFCacheTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        try KernelTest.requireRoot()
        dir = NSTemporaryDirectory() + "cgtrace-core-btf-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    var options: ProbeOptions {
        var o = ProbeOptions()
        o.coreBTFDirectory = dir
        return o
    }

    /// Both builds of the object: the lean one (these options) and the whole one (-y's).
    var bothBuilds: [ProbeOptions] {
        var whole = options
        whole.fdPaths = 1
        return [options, whole]
    }

    func testTheMinimalBTFRelocatesEveryProgramAsTheFullOne() throws {
        for options in bothBuilds { try relocatesAsTheFullOne(options) }
    }

    func relocatesAsTheFullOne(_ options: ProbeOptions) throws {
        let object = try ProbeSession.objectBytes(options)
        let made = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        defer { made.close() }
        XCTAssertTrue(made.made)
        let minimal = try BTFFile(path: made.path)
        let full = try BTFFile(path: "/sys/kernel/btf/vmlinux")
        XCTAssertLessThan(minimal.typeCount * 50, full.typeCount, "a small part of the kernel's types")
        XCTAssertEqual(minimal.find(["task_struct", "pt_regs"], kinds: [.structure]).count, 2)
        // The instructions compared are relocated ones: task_struct.files's offset on this kernel is in them.
        let task = try XCTUnwrap(full.find(["task_struct"], kinds: [.structure])["task_struct"])
        let files = try XCTUnwrap(full.members(task).first { $0.name == "files" }).bitOffset / 8
        for mode in [AttachMode.tpBTF, .rawTP] {
            let expected = try ProbeSession.relocatedInstructions(options: options, mode: mode, coreBTF: nil)
            XCTAssertTrue(expected.values.contains { $0.contains { Int(Int32(truncatingIfNeeded: $0 >> 32)) == files } })
            let actual = try ProbeSession.relocatedInstructions(options: options, mode: mode, coreBTF: made.path)
            XCTAssertFalse(expected.isEmpty)
            XCTAssertEqual(Set(actual.keys), Set(expected.keys))
            for (name, insns) in expected {
                XCTAssertEqual(actual[name]?.count, insns.count, "\(mode) \(name)")
                let differ = zip(insns, actual[name] ?? []).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
                XCTAssertTrue(differ.isEmpty, "\(mode) \(name): instructions \(differ.prefix(5)) differ")
            }
        }
        // Read back (no remaking) on the next start.
        let again = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        again.close()
        XCTAssertFalse(again.made)
        XCTAssertEqual(again.tracepoints, made.tracepoints)
    }

    /// The file carries the tp_btf programs' attach ids, as the kernel BTF has them, so that a
    /// start does not look them up there; an edited id list is a corrupt file.
    func testTheCacheCarriesTheAttachPointsIDs() throws {
        let object = try ProbeSession.objectBytes(options)
        let made = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        made.close()
        let full = try BTFFile(path: "/sys/kernel/btf/vmlinux")
        let hooks = ["sys_enter", "sys_exit", "sched_switch", "sched_process_fork", "sched_process_exec",
                     "sched_process_exit", "signal_deliver", "signal_generate", "mark_victim", "cgroup_attach_task"]
        let expected = full.find(Set(hooks.map { "btf_trace_" + $0 }), kinds: [.typedef])
        XCTAssertEqual(expected.count, hooks.count, "this kernel has every hook")
        XCTAssertEqual(made.tracepoints, Dictionary(uniqueKeysWithValues: hooks.map { ($0, UInt32(expected["btf_trace_" + $0]!)) }))
        // Two ids swapped, the rest intact: made again, with the right ones.
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: made.file)).map { $0 }
        let enter = Array("sys_enter:\(made.tracepoints["sys_enter"]!)".utf8)
        let exit = Array("sys_exit:\(made.tracepoints["sys_exit"]!)".utf8)
        let swappedEnter = Array("sys_enter:\(made.tracepoints["sys_exit"]!)".utf8)
        let swappedExit = Array("sys_exit:\(made.tracepoints["sys_enter"]!)".utf8)
        XCTAssertEqual(enter.count, swappedEnter.count, "ids of the same length, for an edit in place")
        for (from, to) in [(enter, swappedEnter), (exit, swappedExit)] {
            let at = try XCTUnwrap((0...(bytes.count - from.count)).first { Array(bytes[$0..<$0 + from.count]) == from })
            bytes.replaceSubrange(at..<at + from.count, with: to)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: made.file))
        let again = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        again.close()
        XCTAssertTrue(again.made, "an edited id list fails the hash")
        XCTAssertEqual(again.tracepoints, made.tracepoints)
    }

    func testAStaleOrCorruptCacheIsMadeAgain() throws {
        let object = try ProbeSession.objectBytes(options)
        let path = dir + "/" + CoreBTFCache.fileName(for: object)
        CoreBTFCache.open(object: object, directory: dir)?.close()
        let good = try XCTUnwrap(FileManager.default.contents(atPath: path))
        // One flipped byte in a member offset: still well-formed BTF, wrong numbers.
        var corrupt = good
        corrupt[good.count / 3] ^= 0x40
        try corrupt.write(to: URL(fileURLWithPath: path))
        var h = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        h.close()
        XCTAssertTrue(h.made, "a corrupt file is made again")
        XCTAssertEqual(FileManager.default.contents(atPath: path), good)
        // Another object (another cgtrace build): a file of its own, beside this one's, which
        // each reads back from then on (two builds run in turn do not remake each other's).
        var other = object
        other.append(0)
        h = try XCTUnwrap(CoreBTFCache.open(object: other, directory: dir))
        h.close()
        XCTAssertTrue(h.made, "another object's file is made")
        XCTAssertNotEqual(h.file, path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), good, "this object's file is left as it was")
        for o in [object, other] {
            h = try XCTUnwrap(CoreBTFCache.open(object: o, directory: dir))
            h.close()
            XCTAssertFalse(h.made, "each object's file is read back")
        }
        // Another object's file made over a week ago goes when a file is made.
        let otherFile = h.file
        let longAgo = timespec(tv_sec: time(nil) - CoreBTFCache.unusedFor - 60, tv_nsec: 0)
        var times = [longAgo, longAgo]
        XCTAssertEqual(utimensat(AT_FDCWD, otherFile, &times, 0), 0)
        try FileManager.default.removeItem(atPath: path)
        h = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        h.close()
        XCTAssertTrue(h.made)
        XCTAssertFalse(FileManager.default.fileExists(atPath: otherFile), "made over a week ago: removed")
        // Truncated, and writable by others: made again.
        try Data(good.prefix(100)).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(CoreBTFCache.openChecked(path, key: try XCTUnwrap(CoreBTFCache.key(object: object, vmlinux: "/sys/kernel/btf/vmlinux"))))
        try good.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, 0o666), 0)
        h = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        h.close()
        XCTAssertTrue(h.made)
        // An unwritable place: no cache, and loading still works (full BTF).
        var o = options
        o.coreBTFDirectory = "/proc/cgtrace-no-such-dir"
        XCTAssertNil(CoreBTFCache.open(object: object, directory: "/proc/cgtrace-no-such-dir"))
        let session = try ProbeSession(options: o)
        session.close()
    }

    /// A file that passes every check but that libbpf cannot relocate with (its types are not
    /// the kernel's): the load falls back to the full BTF and the file is thrown away.
    func testARejectedCacheFallsBackToTheFullBTFAndTraces() throws {
        let object = try ProbeSession.objectBytes(options)
        let key = try XCTUnwrap(CoreBTFCache.key(object: object, vmlinux: "/sys/kernel/btf/vmlinux"))
        // Minimal BTF for no relocations (no types) under the right key.
        let empty = try CoreBTF.minimal(kernel: try BTFFile(path: "/sys/kernel/btf/vmlinux"),
                                        local: try BTFFile.load(objectOrRaw: object), relocations: []) { body in
            CoreBTFCache.marker(key: key, tracepoints: "", body: body)
        }
        XCTAssertTrue(CoreBTFCache.write(empty, to: dir + "/" + CoreBTFCache.fileName(for: object), directory: dir))
        let h = try XCTUnwrap(CoreBTFCache.open(object: object, directory: dir))
        h.close()
        XCTAssertFalse(h.made, "it passes the checks")
        let session = try ProbeSession(options: options)
        XCTAssertEqual(session.mode, .tpBTF)
        session.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/" + CoreBTFCache.fileName(for: object)), "thrown away")
        // And the command-line tool traces with its own cache (made or read back).
        let r = try KernelTest.cgtrace([], ["/bin/true"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.trace.last, "+++ exited with 0 +++")
    }
}
