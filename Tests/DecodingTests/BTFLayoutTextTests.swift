import BTF
import Beautifiers
import Syscalls
import XCTest

/// The layouts' text form (BTFLayoutText), which the boot cache of layouts keeps: what it reads
/// back is what was resolved, and a damaged text is refused whole.
final class BTFLayoutTextTests: XCTestCase {
    private func fixtureTypes() throws -> KernelTypes {
        KernelTypes(for: .x86_64, btf: try BTFDecodingTests.fixture())
    }

    func testReadBackLayoutsAreTheResolvedOnes() throws {
        let types = try fixtureTypes()
        XCTAssertGreaterThan(types.records.count, 4)
        let text = BTFLayoutText.encode(records: types.records, enums: types.enums)
        let back = try XCTUnwrap(BTFLayoutText.decode(Substring(text)))
        XCTAssertEqual(BTFLayoutText.encode(records: back.records, enums: back.enums), text)
        XCTAssertEqual(Set(back.records.keys), Set(types.records.keys))
        XCTAssertEqual(Set(back.enums.keys), Set(types.enums.keys))
        for (name, record) in types.records {
            let copy = try XCTUnwrap(back.records[name])
            XCTAssertEqual(copy.size, record.size, name)
            XCTAssertEqual(copy.isUnion, record.isUnion, name)
            XCTAssertEqual(copy.fields.map(\.name), record.fields.map(\.name), name)
            XCTAssertEqual(copy.fields.map(\.offset), record.fields.map(\.offset), name)
            XCTAssertEqual(copy.fields.map(\.value.size), record.fields.map(\.value.size), name)
        }
        XCTAssertEqual(back.records["statmount"]?.field("supported_mask")?.offset, 144)
        XCTAssertEqual(back.enums["landlock_rule_type"]?.name(for: 2), "LANDLOCK_RULE_NET_PORT")
    }

    func testEveryKindOfValueAndSharedMembersRoundTrip() throws {
        let flags = BTFEnum(name: "", size: 4, signed: true, values: [("A", -1), ("B", 1 << 40)])
        let inner = BTFRecord(name: "", isUnion: true, size: 8, fields: [
            BTFField(name: "x", offset: 0, bitShift: 0, bitSize: 0, value: .integer(size: 8, signed: false)),
        ])
        let outer = BTFRecord(name: "outer", isUnion: false, size: 64, fields: [
            BTFField(name: "", offset: 0, bitShift: 0, bitSize: 0, value: .record(inner)),
            BTFField(name: "again", offset: 8, bitShift: 0, bitSize: 0, value: .record(inner)),
            BTFField(name: "bits", offset: 16, bitShift: 3, bitSize: 5, value: .integer(size: 4, signed: true)),
            BTFField(name: "ok", offset: 20, bitShift: 0, bitSize: 0, value: .boolean(size: 1)),
            BTFField(name: "kind", offset: 24, bitShift: 0, bitSize: 0, value: .enumeration(flags)),
            BTFField(name: "next", offset: 28, bitShift: 0, bitSize: 0, value: .pointer),
            BTFField(name: "grid", offset: 36, bitShift: 0, bitSize: 0,
                     value: .array(.array(.integer(size: 1, signed: false), count: 2, stride: 1), count: 3, stride: 2)),
            BTFField(name: "comm", offset: 42, bitShift: 0, bitSize: 0, value: .characters(count: 16)),
            BTFField(name: "f", offset: 58, bitShift: 0, bitSize: 0, value: .opaque(size: 4)),
        ])
        let text = BTFLayoutText.encode(records: ["outer": outer], enums: ["flags": flags])
        XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("R\t") }.count, 2, "the shared member is written once:\n\(text)")
        let back = try XCTUnwrap(BTFLayoutText.decode(Substring(text)))
        XCTAssertEqual(BTFLayoutText.encode(records: back.records, enums: back.enums), text)
        let copy = try XCTUnwrap(back.records["outer"])
        guard case .record(let a) = copy.fields[0].value, case .record(let b) = copy.fields[1].value else {
            return XCTFail("members are records")
        }
        XCTAssertTrue(a === b, "one copy of a shared member")
        XCTAssertEqual(copy.field("x")?.offset, 0)
        XCTAssertEqual(copy.fields[2].bitShift, 3)
        XCTAssertEqual(copy.fields[2].bitSize, 5)
        XCTAssertEqual(copy.fields[6].value.size, 6)
        XCTAssertEqual(back.enums["flags"]?.name(for: 1 << 40), "B")
        XCTAssertEqual(back.enums["flags"]?.name(for: -1), "A")
    }

    func testDamagedTextIsRefused() throws {
        let good = "R\tpair\ts\t8\ta:0:0:0:i4s\tb:4:0:0:i4u\nT\tpair\tr0\n"
        XCTAssertNotNil(BTFLayoutText.decode(Substring(good)))
        for bad in [
            "R\tpair\ts\t8\ta:0:0:0:i4s\tb:4:0:0:r1\nT\tpair\tr0\n",   // a member not written before it
            "R\tpair\ts\t8\ta:0:0:0:q4\n",                             // no such value
            "R\tpair\tx\t8\n",                                          // neither struct nor union
            "R\tpair\ts\teight\n",                                      // a size that is no number
            "R\tpair\ts\t8\ta:0:0:i4s\n",                              // a field short of a part
            "T\tpair\tr0\n",                                            // names a record not there
            "E\tk\t4\ts\tA=1\tB\n",                                     // an enumerator without a value
            "X\tpair\n",                                                // no such line
            "R\tpair\ts\t8\ta:0:0:0:a2,1\n",                            // an array without its element
            "R\tpair\ts\t8\n\nT\tpair\tr0\n",                          // an empty line
            "R\tpair\ts\t-8\n",                                      // a negative size
            "R\tpair\ts\t8\ta:-4:0:0:i4s\n",                         // a negative offset
            "R\tpair\ts\t8\ta:99999999999:0:0:i4s\n",                // an offset past any struct
            "R\tpair\ts\t8\ta:0:60:8:i4s\n",                         // a bitfield past its 8 bytes
            "E\tk\t-4\ts\tA=1\n",                                    // a negative enum size
            "E\tk\t16\ts\tA=1\n",                                    // an enum wider than 8 bytes
            "R\tpair\ts\t8\ta:0:0:0:" + String(repeating: "a1,1,", count: 9) + "i1u\n",  // arrays nested too deep
        ] {
            XCTAssertNil(BTFLayoutText.decode(Substring(bad)), bad)
        }
    }
}
