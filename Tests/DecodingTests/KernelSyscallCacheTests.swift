import Foundation
@testable import Syscalls
import XCTest

/// The per-boot cache of the kernel's tracepoint declarations: read back only for the same boot
/// and kernel, and only when no one but its owner could have written it.
final class KernelSyscallCacheTests: XCTestCase {
    var dir = ""

    override func setUp() {
        dir = NSTemporaryDirectory() + "cgtrace-cache-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Declarations, and a number from the kernel's table for one the build lacks.
    let events = KernelSyscalls.RunningKernel(declarations: [
        "cachestat": [ArgDeclaration(name: "fd", type: "unsigned int"),
                      ArgDeclaration(name: "cstat_range", type: "struct cachestat_range *")],
        "getpid": [],
    ], numbers: ["cachestat": 451])

    func testRoundTripForTheSameBootOnly() throws {
        let path = dir + "/syscalls.tsv"
        KernelSyscalls.writeCache(path, key: "boot-a 6.18", events)
        XCTAssertEqual(KernelSyscalls.readCache(path, key: "boot-a 6.18"), events)
        XCTAssertNil(KernelSyscalls.readCache(path, key: "boot-b 6.18"), "another boot's declarations")
        // Only its owner may have written it.
        XCTAssertEqual(chmod(path, 0o666), 0)
        XCTAssertNil(KernelSyscalls.readCache(path, key: "boot-a 6.18"))
        // A corrupt line makes the whole file unusable (tracefs is read again).
        XCTAssertEqual(chmod(path, 0o644), 0)
        try ("# cgtrace syscalls boot-a 6.18\ncachestat\tunsigned int\n").write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertNil(KernelSyscalls.readCache(path, key: "boot-a 6.18"))
        try ("# cgtrace syscalls boot-a 6.18\n#nr\tx451\tcachestat\n").write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertNil(KernelSyscalls.readCache(path, key: "boot-a 6.18"), "a number that is not one")
    }

    /// A directory anyone else may change is neither read nor written: the file could be swapped
    /// under the reader, or a link planted where the writer makes its temporary file.
    func testADirectoryOthersCanWriteIsNotTrusted() {
        let path = dir + "/syscalls.tsv"
        KernelSyscalls.writeCache(path, key: "boot-a 6.18", events)
        XCTAssertEqual(KernelSyscalls.readCache(path, key: "boot-a 6.18"), events)
        XCTAssertEqual(chmod(dir, 0o777), 0)
        XCTAssertNil(KernelSyscalls.readCache(path, key: "boot-a 6.18"))
        KernelSyscalls.writeCache(dir + "/other.tsv", key: "boot-a 6.18", events)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/other.tsv"))
        XCTAssertEqual(chmod(dir, 0o700), 0)
        XCTAssertEqual(KernelSyscalls.readCache(path, key: "boot-a 6.18"), events)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["syscalls.tsv"], "no temporary file left")
    }

    func testAnEmptyDifferenceIsStillACacheHit() {
        let path = dir + "/syscalls.tsv"
        KernelSyscalls.writeCache(path, key: "boot-a 6.18", .init(declarations: [:]))
        XCTAssertEqual(KernelSyscalls.readCache(path, key: "boot-a 6.18"), .init(declarations: [:]))
    }

    func testOnlyDeclarationsThatDifferFromTheTableOrAreNewAreKept() {
        let kernel: [String: [ArgDeclaration]] = [
            "newstat": [ArgDeclaration(name: "filename", type: "const char *"), ArgDeclaration(name: "statbuf", type: "struct stat *")],
            "close": [ArgDeclaration(name: "fd", type: "int")],
            "not_a_syscall_here": [],
        ]
        // close's fd is unsigned int; the table lacks not_a_syscall_here (it needs the kernel's number)
        XCTAssertEqual(Set(SyscallTable.x86_64.differing(kernel).keys), ["close", "not_a_syscall_here"])
    }

    /// One file per executable: two builds run in turn read their own back.
    func testEachExecutableHasAFileOfItsOwn() {
        let a = KernelSyscalls.cacheFile("/run/cgtrace/syscalls.tsv", identity: "exe-1:2:3:4.5")
        let b = KernelSyscalls.cacheFile("/run/cgtrace/syscalls.tsv", identity: "exe-1:9:3:4.5")
        XCTAssertTrue(a.hasPrefix("/run/cgtrace/syscalls-") && a.hasSuffix(".tsv"), a)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, KernelSyscalls.cacheFile("/run/cgtrace/syscalls.tsv", identity: "exe-1:2:3:4.5"))
    }

    func testTheRunningBootHasAKey() throws {
        let key = try XCTUnwrap(BootCache.bootKey())
        XCTAssertEqual(key.split(separator: " ").count, 2, key)
        // The test binary is linked with a build id, as cgtrace is (readelf -n shows the same).
        let identity = BootCache.executableIdentity()
        XCTAssertTrue(identity.hasPrefix("build-"), identity)
        XCTAssertEqual(identity.count, "build-".count + 40, "a SHA-1: \(identity)")
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let readelf = Process()
        readelf.executableURL = URL(fileURLWithPath: "/usr/bin/readelf")
        readelf.arguments = ["-n", exe]
        let pipe = Pipe()
        readelf.standardOutput = pipe
        try readelf.run()
        let notes = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        readelf.waitUntilExit()
        XCTAssertTrue(notes.contains("Build ID: " + identity.dropFirst("build-".count)), notes)
    }
}
