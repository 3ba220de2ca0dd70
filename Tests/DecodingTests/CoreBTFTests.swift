import BPFProbes
@testable import BTF
import XCTest

/// The minimal kernel BTF for CO-RE (BTF/CoreBTF.swift), on a made-up kernel: which types are
/// kept, how pointers out of the kept set are cut, and the probes' own relocations.
final class CoreBTFTests: XCTestCase {
    /// Writes raw BTF: types as (name, kind, info's vlen/flag, size-or-type, extra words).
    struct Blob {
        var strings: [UInt8] = [0]
        var types: [UInt8] = []
        var count = 0
        mutating func name(_ s: String) -> UInt32 {
            if s.isEmpty { return 0 }
            let o = UInt32(strings.count)
            strings += Array(s.utf8) + [0]
            return o
        }
        mutating func word(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { types += $0 } }
        @discardableResult
        mutating func add(_ name: String, _ kind: BTFKind, vlen: Int = 0, _ sizeOrType: UInt32, _ extra: [UInt32] = []) -> UInt32 {
            word(self.name(name)); word(UInt32(kind.rawValue) << 24 | UInt32(vlen)); word(sizeOrType)
            for w in extra { word(w) }
            count += 1
            return UInt32(count)
        }
        mutating func member(_ name: String) -> UInt32 { self.name(name) }
        var bytes: [UInt8] {
            var out: [UInt8] = []
            for v: UInt32 in [0x0001_eb9f, 24, 0, UInt32(types.count), UInt32(types.count), UInt32(strings.count)] {
                withUnsafeBytes(of: v.littleEndian) { out += $0 }
            }
            return out + types + strings
        }
    }

    /// A kernel: int; task_struct { pid; mm *; anonymous struct { flags } }; mm_struct; an
    /// unrelated struct; a typedef to a pointer to a function prototype.
    static func kernel() throws -> BTFFile {
        var k = Blob()
        let int = k.add("int", .int, 4, [0x0100_0020])                               // 1
        let mm = k.add("mm_struct", .structure, vlen: 1, 8, [k.member("users"), int, 0]) // 2
        let mmPointer = k.add("", .pointer, mm)                                       // 3
        let anon = k.add("", .structure, vlen: 1, 4, [k.member("flags"), int, 0])     // 4
        k.add("task_struct", .structure, vlen: 3, 24,                                 // 5
              [k.member("pid"), int, 0, k.member("mm"), mmPointer, 64, k.member(""), anon, 128])
        k.add("unrelated", .structure, vlen: 1, 4, [k.member("x"), int, 0])           // 6
        let proto = k.add("", .functionProto, vlen: 1, int, [k.member("a"), mm])      // 7
        let protoPointer = k.add("", .pointer, proto)                                 // 8
        k.add("handler_t", .typedef, protoPointer)                                    // 9
        return try BTFFile(bytes: k.bytes)
    }

    /// The object's side: task_struct___cgt { pid } and handler_t.
    static func local() throws -> BTFFile {
        var l = Blob()
        let int = l.add("int", .int, 4, [0x0100_0020])
        l.add("task_struct___cgt", .structure, vlen: 1, 4, [l.member("pid"), int, 0])  // 2
        let proto = l.add("", .functionProto, vlen: 0, int)
        let pointer = l.add("", .pointer, proto)
        l.add("handler_t", .typedef, pointer)                                           // 5
        return try BTFFile(bytes: l.bytes)
    }

    func testFieldRelocationsKeepTheCandidateAndCutItsPointers() throws {
        let kernel = try Self.kernel()
        let out = try BTFFile(bytes: try CoreBTF.minimal(kernel: kernel, local: try Self.local(),
                                                         relocations: [.init(kind: .fieldByteOffset, localType: 2)]))
        // int, the anonymous struct, task_struct, and task_struct's pointer (now to void).
        XCTAssertEqual(out.typeCount - 1, 4)
        let task = try XCTUnwrap(out.find(["task_struct"], kinds: [.structure])["task_struct"])
        let members = out.members(task)
        XCTAssertEqual(members.map(\.name), ["pid", "mm", ""])
        XCTAssertEqual(members.map(\.bitOffset), [0, 64, 128])
        XCTAssertEqual(out.kind(members[1].type), .pointer)
        XCTAssertEqual(out.referenced(members[1].type), 0, "mm_struct is not kept: the pointer is to void")
        XCTAssertEqual(out.members(members[2].type).map(\.name), ["flags"])
        XCTAssertEqual(out.size(task), 24)
        XCTAssertTrue(out.find(["unrelated", "mm_struct"], kinds: [.structure]).isEmpty)
    }

    func testATypeRelocationOnAPointerKeepsWhatItReaches() throws {
        let out = try BTFFile(bytes: try CoreBTF.minimal(kernel: try Self.kernel(), local: try Self.local(),
                                                         relocations: [.init(kind: .typeExists, localType: 5)]))
        // handler_t → pointer → prototype (int, mm_struct) → mm_struct's int.
        XCTAssertEqual(out.find(["handler_t"], kinds: [.typedef]).count, 1)
        XCTAssertEqual(out.find(["mm_struct"], kinds: [.structure]).count, 1)
        XCTAssertTrue(out.find(["task_struct"], kinds: [.structure]).isEmpty)
    }

    func testTheKernelsTypeIDCannotBeServedAndNoRelocationsGiveNoTypes() throws {
        XCTAssertThrowsError(try CoreBTF.minimal(kernel: try Self.kernel(), local: try Self.local(),
                                                 relocations: [.init(kind: .typeIDTarget, localType: 2)]))
        let empty = try CoreBTF.minimal(kernel: try Self.kernel(), local: try Self.local(), relocations: []) { _ in "note" }
        let out = try BTFFile(bytes: empty)
        XCTAssertEqual(out.typeCount, 1)
        XCTAssertEqual(Array(empty.suffix(5)), Array("note".utf8) + [0], "the marker is the last string")
    }

    func testEssentialNames() {
        XCTAssertEqual(CoreBTF.essentialName("task_struct___cgt"), "task_struct")
        XCTAssertEqual(CoreBTF.essentialName("sock___cgt___2"), "sock")
        XCTAssertEqual(CoreBTF.essentialName("__u64"), "__u64")
        XCTAssertEqual(CoreBTF.essentialName("a__b"), "a__b")
    }

    /// The embedded probes: field offsets, existence and sizes of structs, nothing that needs
    /// the kernel's own type ids (which a minimal BTF renumbers).
    func testTheProbesRelocationsAreOnesAMinimalBTFServes() throws {
        let relocations = try CoreBTF.relocations(object: ProbeObjects.cgtrace)
        XCTAssertGreaterThan(relocations.count, 50)
        XCTAssertFalse(relocations.contains { $0.kind == .typeIDTarget })
        let local = try BTFFile.load(objectOrRaw: ProbeObjects.cgtrace)
        XCTAssertTrue(relocations.contains { local.name($0.localType).hasPrefix("task_struct") })
    }
}
