import BTF
import Foundation
import Tracer
import XCTest

/// The boot cache of the struct layouts resolved from the running kernel's BTF: a second start
/// reads back exactly what the first resolved, and another key misses.
final class KernelLayoutCacheTests: XCTestCase {
    func testSecondDescriptionReadsTheFirstOnesLayoutsBack() throws {
        let dir = NSTemporaryDirectory() + "cgtrace-layouts-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = KernelDescription.readTable(cachePath: nil)
        let first = KernelDescription.describe(table, cacheDirectory: dir)
        XCTAssertFalse(first.notes.contains { $0.contains("cache") }, "\(first.notes)")
        XCTAssertGreaterThan(first.btfStructs, 10)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertEqual(files.count, 1, "\(files)")
        XCTAssertTrue(files[0].hasPrefix("layouts-") && files[0].hasSuffix(".txt"), files[0])

        let second = KernelDescription.describe(table, cacheDirectory: dir)
        XCTAssertTrue(second.notes.contains { $0.hasPrefix("struct layouts from this boot's cache") }, "\(second.notes)")
        XCTAssertEqual(BTFLayoutText.encode(records: second.types.records, enums: second.types.enums),
                       BTFLayoutText.encode(records: first.types.records, enums: first.types.enums))

        // Another boot's file (its first line names another boot id) is not read, and is made again.
        let path = dir + "/" + files[0]
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = String(text.split(separator: "\n")[0])
        let words = header.split(separator: " ")
        XCTAssertEqual(words.prefix(3), ["#", "cgtrace", "layouts"], header)
        let otherBoot = (words.prefix(3) + ["00000000-0000-0000-0000-000000000000"] + words.dropFirst(4)).joined(separator: " ")
        try (otherBoot + text.dropFirst(header.count)).write(toFile: path, atomically: false, encoding: .utf8)
        let stale = KernelDescription.describe(table, cacheDirectory: dir)
        XCTAssertFalse(stale.notes.contains { $0.contains("cache") }, "\(stale.notes)")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), text, "made again")

        // Another BTF file is another key; a damaged file is not read (and is made again).
        let other = KernelDescription.describe(table, btfPath: "/sys/kernel/btf/../btf/vmlinux", cacheDirectory: dir)
        XCTAssertFalse(other.notes.contains { $0.contains("cache") }, "\(other.notes)")
        try (text.split(separator: "\n")[0] + "\nR\tbroken\n").write(toFile: path, atomically: false, encoding: .utf8)
        let damaged = KernelDescription.describe(table, cacheDirectory: dir)
        XCTAssertFalse(damaged.notes.contains { $0.contains("cache") }, "\(damaged.notes)")
        XCTAssertEqual(damaged.btfStructs, first.btfStructs)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), text, "made again")
    }
}
