import Foundation
import XCTest

/// The transient cgroup: created per run, removed after, also when cgtrace is interrupted or
/// was killed.
final class CgroupLifecycleTests: XCTestCase {
    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    private var runsDirectory: String {
        (KernelTest.cgroupMount ?? "/sys/fs/cgroup") + "/cgtrace"
    }

    private func runCgroups() -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: runsDirectory))?.filter { $0.hasPrefix("run-") } ?? [])
    }

    /// The run directories of one cgtrace process (other runs may go on concurrently).
    private func runCgroups(of pid: Int32) -> Set<String> {
        runCgroups().filter { $0.hasPrefix("run-\(pid)-") }
    }

    func testCgroupIsRemovedAfterTheRun() throws {
        let r = try KernelTest.cgtrace([], ["/bin/true"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(runCgroups(of: r.pid), [])
    }

    func testCommandRunsInItsOwnCgroup() throws {
        let r = try KernelTest.cgtrace(["-e", "trace=none_such_call_is_rejected"], ["/bin/true"])
        XCTAssertEqual(r.status, 2, "an unknown syscall name is a usage error")
        let ok = try KernelTest.cgtrace(["-e", "trace=openat"], ["/bin/cat", "/proc/self/cgroup"])
        XCTAssertTrue(ok.stdout.contains("/cgtrace/run-"), ok.stdout)
    }

    func testStaleCgroupFromAKilledRunIsRemoved() throws {
        // What a SIGKILLed cgtrace leaves: its run directory, named after a pid that is gone.
        try FileManager.default.createDirectory(atPath: runsDirectory, withIntermediateDirectories: true)
        let stale = runsDirectory + "/run-999999999-0"
        try? FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
        XCTAssertTrue(FileManager.default.fileExists(atPath: stale))
        let r = try KernelTest.cgtrace([], ["/bin/true"])
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "the next run removes it")
    }

    func testKilledCgtraceLeavesNoProgramAttachedAndNextRunWorks() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        p.arguments = ["-o", "/dev/null", "--", "/bin/sleep", "30"]
        try p.run()
        usleep(700_000)
        kill(p.processIdentifier, SIGKILL)
        // Its cgroup and the orphaned sleep stay behind (stopped here, for the machine's sake;
        // the directory itself is what the next run must cope with).
        usleep(100_000)
        XCTAssertFalse(runCgroups(of: p.processIdentifier).isEmpty)
        for dir in runCgroups(of: p.processIdentifier) {
            let procs = (try? String(contentsOfFile: runsDirectory + "/" + dir + "/cgroup.procs", encoding: .utf8)) ?? ""
            for pid in procs.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        }
        p.waitUntilExit()
        // Its links died with it (nothing is pinned): the next run traces normally, and removes
        // the stale directory.
        let r = try KernelTest.cgtrace([], ["/bin/true"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.trace.last, "+++ exited with 0 +++")
        XCTAssertEqual(runCgroups(of: p.processIdentifier), [])
    }

    func testSigtermStopsTheCommandAndRemovesTheCgroup() throws {
        try checkForwarded(SIGTERM, name: "SIGTERM")
    }

    func testSighupStopsTheCommandAndRemovesTheCgroup() throws {
        try checkForwarded(SIGHUP, name: "SIGHUP")
    }

    /// A signal sent to cgtrace by a process (not the terminal) is forwarded to the command; the
    /// command dies of it, cgtrace exits with 128+N, removes its cgroup and ends the trace.
    private func checkForwarded(_ signal: Int32, name: String) throws {
        let trace = NSTemporaryDirectory() + "cgtrace-signal-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        p.arguments = ["-o", trace, "--", "/bin/sleep", "30"]
        try p.run()
        usleep(700_000)
        kill(p.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(p.isRunning, "cgtrace exits after \(name)")
        XCTAssertEqual(p.terminationStatus, 128 + signal, "sleep was killed by the forwarded \(name)")
        XCTAssertEqual(runCgroups(of: p.processIdentifier), [])
        let lines = KernelTest.lines((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "")
        XCTAssertEqual(lines.last, "+++ killed by \(name) +++")
    }
}
