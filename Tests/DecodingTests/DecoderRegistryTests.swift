@testable import Beautifiers
@testable import Syscalls
import XCTest

/// The tables keyed by syscall name: every name is a syscall of a table we carry (x86_64 or
/// arm64: some calls exist on one only), and no syscall is decoded by two families (the merge
/// into `SyscallFormats.overrides` would keep whichever family comes first, silently).
final class DecoderRegistryTests: XCTestCase {
    static let known = Set(SyscallTable.x86_64.all.map(\.name)).union(SyscallTable.arm64.all.map(\.name))

    func assertAllKnown<S: Sequence>(_ names: S, _ registry: String, file: StaticString = #filePath, line: UInt = #line)
        where S.Element == String {
        let unknown = Set(names).subtracting(Self.known).sorted()
        XCTAssertEqual(unknown, [], "\(registry): not a syscall on x86_64 or arm64", file: file, line: line)
    }

    func testNoSyscallIsDecodedByTwoFamilies() {
        var owner: [String: String] = [:]
        var twice: [String] = []
        for family in SyscallFormats.families {
            for name in family.formats.keys {
                if let first = owner[name] {
                    twice.append("\(name) (\(first), \(family.name))")
                } else {
                    owner[name] = family.name
                }
            }
        }
        XCTAssertEqual(twice.sorted(), [], "decoded by two families: the second is never used")
        XCTAssertEqual(owner.count, SyscallFormats.overrides.count)
        XCTAssertGreaterThan(owner.count, 100)
    }

    func testEveryFamilyNameIsASyscall() {
        for family in SyscallFormats.families {
            assertAllKnown(family.formats.keys, family.name)
        }
    }

    func testEveryNameListIsOfSyscalls() {
        assertAllKnown(SyscallFormats.pidArguments.keys, "pidArguments")
        assertAllKnown(SyscallFormats.pidReturning, "pidReturning")
        assertAllKnown(SyscallFormats.structSetters, "structSetters")
        assertAllKnown(SyscallFormats.hexReturning, "hexReturning")
        assertAllKnown(SyscallInfo.descriptorReturning, "descriptorReturning")
        for (cls, names) in SyscallClass.lists {
            assertAllKnown(names, "%\(cls.rawValue)")
        }
        assertAllKnown(SyscallClass.fileByName, "%file")
        assertAllKnown(SyscallClass.descByName, "%desc")
        assertAllKnown(SyscallClass.notDesc, "%desc exclusions")
    }

    /// A family's override is found by the name the table gives the call on each architecture
    /// that has it: an override for a call x86_64 lacks (or arm64 lacks) is dead there, not wrong.
    func testEachArchitectureFindsTheOverridesOfItsCalls() {
        for table in [SyscallTable.x86_64, SyscallTable.arm64] {
            let formats = SyscallFormats(table: table)
            let names = Set(table.all.map(\.name))
            let present = SyscallFormats.overrides.keys.filter(names.contains)
            XCTAssertFalse(present.isEmpty, "\(table.arch)")
            for name in present {
                let number = table.number(named: name)!
                XCTAssertEqual(formats[number].name, name, "\(table.arch) \(name)")
                XCTAssertEqual(formats[number].args.count, SyscallFormats.overrides[name]!.args.count, "\(table.arch) \(name)")
            }
        }
    }
}
