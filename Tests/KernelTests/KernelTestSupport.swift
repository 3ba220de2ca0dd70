import Foundation
import XCTest

/// Running cgtrace and strace on real commands, for tests that load real BPF programs.
///
/// These tests need root (CAP_BPF, CAP_PERFMON, the cgroup tree). Outside CI a machine without
/// them skips; in CI (`CI=true`) a missing capability is a failure, never a skip.
enum KernelTest {
    static func requireRoot(file: StaticString = #filePath, line: UInt = #line) throws {
        if geteuid() == 0 { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("kernel tests must run as root in CI", file: file, line: line)
        }
        throw XCTSkip("kernel tests need root")
    }

    /// The cgtrace executable built beside the tests ($CGTRACE_BINARY overrides).
    static var cgtracePath: String {
        if let path = ProcessInfo.processInfo.environment["CGTRACE_BINARY"] { return path }
        let bundle = Bundle(for: BundleMarker.self).bundleURL
        let candidates = [bundle.appendingPathComponent("cgtrace"),
                          bundle.deletingLastPathComponent().appendingPathComponent("cgtrace")]
        return (candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]).path
    }

    struct Result {
        let pid: Int32
        let status: Int32
        let stdout: String
        let stderr: String
        /// Lines of the trace file (-o).
        let trace: [String]
    }

    /// Run cgtrace with `-o tracefile` and the given options, then the command.
    static func cgtrace(_ options: [String] = [], _ command: [String], timeout: TimeInterval = 60) throws -> Result {
        let tracePath = NSTemporaryDirectory() + "cgtrace-test-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: tracePath) }
        let r = try run([cgtracePath, "-o", tracePath] + options + ["--"] + command, timeout: timeout)
        let text = (try? String(contentsOfFile: tracePath, encoding: .utf8)) ?? ""
        return Result(pid: r.pid, status: r.status, stdout: r.stdout, stderr: r.stderr, trace: lines(text))
    }

    /// The same command under strace -f, the oracle.
    static func strace(_ options: [String] = [], _ command: [String], timeout: TimeInterval = 60) throws -> Result {
        let tracePath = NSTemporaryDirectory() + "strace-test-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: tracePath) }
        let r = try run(["/usr/bin/strace", "-f", "-o", tracePath] + options + ["--"] + command, timeout: timeout)
        let text = (try? String(contentsOfFile: tracePath, encoding: .utf8)) ?? ""
        // strace -f -o prefixes every line with the pid; cgtrace -o (without -f) prefixes
        // `[pid N]` only while several tasks run. Keep the line itself; notes about strace go.
        let trace = lines(text).map {
            $0.replacingOccurrences(of: #"^\d+ +"#, with: "", options: .regularExpression)
        }.filter { !$0.hasPrefix("strace: ") }
        return Result(pid: r.pid, status: r.status, stdout: r.stdout, stderr: r.stderr, trace: trace)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func run(_ argv: [String], timeout: TimeInterval) throws -> (pid: Int32, status: Int32, stdout: String, stderr: String) {
        // Output goes to files, not pipes: nothing to drain concurrently, nothing to deadlock.
        let base = NSTemporaryDirectory() + "cgtrace-run-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        p.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        p.standardError = FileHandle(forWritingAtPath: base + ".err")
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            throw NSError(domain: "KernelTest", code: 1, userInfo: [NSLocalizedDescriptionKey: "timed out: \(argv)"])
        }
        p.waitUntilExit()
        let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        return (p.processIdentifier, p.terminationStatus, out, err)
    }

    /// Replace `[pid  123]` prefixes, hex addresses and the padding before ` = ` (which
    /// depends on the prefix's width) so lines of two runs compare.
    static func normalize(_ line: String) -> String {
        var s = line
        s = s.replacingOccurrences(of: #"\) +="#, with: ") =", options: .regularExpression)
        s = s.replacingOccurrences(of: #"^\[pid +\d+\] "#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: #"0x[0-9a-f]{6,}"#, with: "ADDR", options: .regularExpression)
        return s
    }

    /// The cgroup v2 mount, from mountinfo (as cgtrace finds it).
    static var cgroupMount: String? {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            if let dash = f.firstIndex(of: "-"), dash + 1 < f.count, f[dash + 1] == "cgroup2" { return String(f[4]) }
        }
        return nil
    }
}

private final class BundleMarker {}

/// What the flight-recorder tests share: the CLI run as a user runs it, and the recordings and
/// cgroups a test makes, stopped and removed after it whatever happened.
class RecorderTestCase: XCTestCase {
    var recordings: [String] = []
    var cgroups: [String] = []

    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    override func tearDown() {
        for name in recordings { _ = try? cli(["stop", name]) }
        for path in cgroups.reversed() { rmdir(path) }
    }

    func cli(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try KernelTest.run([KernelTest.cgtracePath] + args, timeout: 60)
        return (r.status, r.stdout, r.stderr)
    }

    /// A recording name of the test's own, stopped at the end.
    func newName() -> String {
        let name = "test-" + UUID().uuidString.prefix(8).lowercased()
        recordings.append(name)
        return name
    }

    /// A fresh cgroup, removed at the end.
    func newCgroup() throws -> String {
        let path = (KernelTest.cgroupMount ?? "/sys/fs/cgroup") + "/cgtrace-rectest-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        cgroups.append(path)
        return path
    }
}

extension KernelTest {
    /// Whether process `pid`'s main thread blocks SIGINT (/proc/PID/status SigBlk); nil when gone.
    static func blocksSIGINT(_ pid: Int32) -> Bool? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return nil }
        return mask & (1 << (UInt64(SIGINT) - 1)) != 0
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Validate JSON lines against man/cgtrace-json.schema.json with jsonschema (python3):
    /// scripts/validate-json.py says `N events valid` or names the first bad line.
    static func assertValidJSON(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let path = NSTemporaryDirectory() + "cgtrace-json-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let schema = repoRoot.appendingPathComponent("man/cgtrace-json.schema.json").path
        let script = repoRoot.appendingPathComponent("scripts/validate-json.py").path
        let v = try run(["/usr/bin/env", "python3", script, schema, path], timeout: 120)
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr, file: file, line: line)
        XCTAssertTrue(v.stdout.hasSuffix("events valid\n"), v.stdout, file: file, line: line)
    }
}
