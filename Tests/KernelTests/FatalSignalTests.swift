import Foundation
import XCTest

/// A core-dumping signal is delivered, not turned into the fatal shortcut's SIGKILL: strace
/// shows it once, and so must cgtrace (it used to report it from both places).
final class FatalSignalTests: XCTestCase {
    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    func testSegfaultAndAbortAreShownOnceAsByStrace() throws {
        for (program, signal) in [("import ctypes; ctypes.string_at(0)", "SIGSEGV"), ("import os; os.abort()", "SIGABRT")] {
            let command = ["/usr/bin/python3", "-c", program]
            let ours = try KernelTest.cgtrace([], command)
            let theirs = try KernelTest.strace([], command)
            let lines = { (trace: [String]) in trace.filter { $0.hasPrefix("--- \(signal) ") || $0.hasPrefix("+++ killed by") } }
            XCTAssertEqual(lines(ours.trace).count, 2, ours.trace.suffix(5).joined(separator: "\n"))
            let normal = { (line: String) in
                KernelTest.normalize(line).replacingOccurrences(of: #"si_pid=\d+"#, with: "si_pid=PID", options: .regularExpression)
            }
            XCTAssertEqual(lines(ours.trace).map(normal), lines(theirs.trace).map(normal))
        }
    }
}
