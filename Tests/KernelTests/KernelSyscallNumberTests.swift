import Foundation
import Syscalls
import Tracer
import XCTest

/// The running kernel's own syscall numbering (its sys_call_table, read with a one-shot BPF
/// program): it agrees with the build's table, and a syscall the build does not know still
/// prints by name, with arguments typed from the kernel's declaration and BTF.
final class KernelSyscallNumberTests: XCTestCase {
    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    func testTheKernelsTableNamesEveryBuiltInNumberAlike() throws {
        let start = Date()
        let kernel = try XCTUnwrap(KernelSyscallNumbering.read(), "sys_call_table not found")
        print("KernelSyscallNumbering.read: \(Int(Date().timeIntervalSince(start) * 1000)) ms, \(kernel.count) numbers")
        let table = SyscallTable.x86_64
        var matched = 0
        for info in table.all {
            // Numbers this kernel leaves unimplemented (ni_syscall: e.g. uselib, create_module) are
            // absent; every other one names the syscall's SYSCALL_DEFINE (its event name).
            guard let name = kernel[info.number] else { continue }
            XCTAssertEqual(name, table.eventName(of: info.name), "number \(info.number)")
            matched += 1
        }
        XCTAssertGreaterThan(matched, 330, "most numbers are implemented")
        XCTAssertEqual(kernel[0], "read")
        XCTAssertEqual(kernel[4], "newstat")
        XCTAssertEqual(kernel[451], "cachestat")
        for number in kernel.keys { XCTAssertNotNil(table[number], "\(number) \(kernel[number]!): the build's table lacks it") }
    }

    /// A build whose table lacks cachestat and futex_waitv (as one older than the kernel would):
    /// they are numbered by the kernel, typed by tracefs, and decoded through BTF.
    func testASyscallTheBuildLacksPrintsByNameWithTypedArguments() throws {
        let removed: Set<String> = ["cachestat", "futex_waitv"]
        let old = SyscallTable.x86_64.removing(removed)
        XCTAssertNil(old.number(named: "cachestat"))
        let kernel = KernelDescription.read(table: old, cachePath: nil)
        XCTAssertEqual(kernel.formats.table.number(named: "cachestat"), 451, kernel.summary)
        XCTAssertEqual(kernel.formats.table.number(named: "futex_waitv"), 449, kernel.summary)
        XCTAssertEqual(Set(kernel.changed).intersection(removed), removed)

        let exe = try BTFStructTraceTests.program()
        defer { try? FileManager.default.removeItem(atPath: exe) }
        let tracePath = NSTemporaryDirectory() + "cgtrace-numbers-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: tracePath) }
        var options = TraceOptions()
        options.outputPath = tracePath
        let status = try TraceSession(options: options, formats: kernel.formats).runCommand([exe])
        XCTAssertEqual(status, 0)
        let trace = KernelTest.lines(try String(contentsOfFile: tracePath, encoding: .utf8))
        XCTAssertFalse(trace.contains { $0.hasPrefix("syscall_0x") }, trace.joined(separator: "\n"))
        let cachestat = try XCTUnwrap(trace.first { $0.hasPrefix("cachestat(") }, trace.joined(separator: "\n"))
        XCTAssertTrue(cachestat.contains(", {off=0, len=4096}, {nr_cache="), cachestat)
        let futex = try XCTUnwrap(trace.first { $0.hasPrefix("futex_waitv(") }, trace.joined(separator: "\n"))
        XCTAssertTrue(futex.hasPrefix("futex_waitv([{val=1, uaddr=0x"), futex)
    }
}
