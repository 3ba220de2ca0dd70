import Foundation
import XCTest

/// Tracing what already runs: cgroups, containers (by their cgroups), processes.
final class TargetTests: XCTestCase {
    private var created: [String] = []
    private var started: [Process] = []

    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    override func tearDown() {
        for p in started where p.isRunning { p.terminate() }
        for dir in created.reversed() {
            if let procs = try? String(contentsOfFile: dir + "/cgroup.procs", encoding: .utf8) {
                for pid in procs.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
            }
        }
        usleep(100_000)
        for dir in created.reversed() { rmdir(dir) }
    }

    private var mount: String { KernelTest.cgroupMount ?? "/sys/fs/cgroup" }

    /// Create a cgroup (and its parents), each removed again in tearDown.
    private func makeCgroup(_ relative: String) throws -> String {
        var path = mount
        for component in relative.split(separator: "/") {
            path += "/" + component
            if !FileManager.default.fileExists(atPath: path) {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                created.append(path)
            }
        }
        return path
    }

    /// Start a program that runs until the test ends (it is killed in tearDown), give it
    /// `settle` seconds to get going.
    private func startProgram(_ path: String, _ arguments: [String], settle: Double) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        started.append(p)
        usleep(UInt32(settle * 1_000_000))
        return p
    }

    /// A shell in `cgroup` that opens `marker` (a path naming it) every 50 ms.
    private func startLoop(in cgroup: String, marker: String) throws -> Process {
        try startProgram("/bin/sh", ["-c", "echo $$ > \(cgroup)/cgroup.procs; while true; do cat \(marker) 2>/dev/null; sleep 0.05; done"],
                         settle: 0.2)
    }

    /// Run cgtrace with `options` for `seconds`, then SIGINT it; its trace lines and status.
    private func traceFor(_ seconds: Double, _ options: [String]) throws -> (status: Int32, lines: [String], stderr: String) {
        let trace = NSTemporaryDirectory() + "cgtrace-target-\(UUID().uuidString)"
        let err = trace + ".err"
        FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: trace)
            try? FileManager.default.removeItem(atPath: err)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        p.arguments = ["-o", trace] + options
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        usleep(UInt32(seconds * 1_000_000))
        kill(p.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        XCTAssertFalse(p.isRunning, "cgtrace stops on SIGINT")
        let text = (try? String(contentsOfFile: trace, encoding: .utf8)) ?? ""
        return (p.terminationStatus, KernelTest.lines(text), (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    func testCgroupTargetIncludesSubCgroupsAndNotSiblings() throws {
        let base = "cgtrace-test-\(getpid())"
        let target = try makeCgroup(base + "/target")
        let nested = try makeCgroup(base + "/target/nested")
        let sibling = try makeCgroup(base + "/sibling")
        _ = try startLoop(in: target, marker: "/proc/version")
        _ = try startLoop(in: nested, marker: "/proc/cmdline")
        _ = try startLoop(in: sibling, marker: "/proc/uptime")

        let all = try traceFor(1.0, ["--cgroup", base + "/target", "-e", "trace=openat"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.lines.contains { $0.contains("\"/proc/version\"") }, "the target itself")
        XCTAssertTrue(all.lines.contains { $0.contains("\"/proc/cmdline\"") }, "its sub-cgroup")
        XCTAssertFalse(all.lines.contains { $0.contains("\"/proc/uptime\"") }, "not its sibling")

        let narrow = try traceFor(1.0, ["--cgroup", target, "--no-descendants", "-e", "trace=openat"])
        XCTAssertTrue(narrow.lines.contains { $0.contains("\"/proc/version\"") })
        XCTAssertFalse(narrow.lines.contains { $0.contains("\"/proc/cmdline\"") }, "--no-descendants leaves it out")

        // By id: the cgroup's inode number.
        var st = stat()
        XCTAssertEqual(stat(target, &st), 0)
        let byID = try traceFor(1.0, ["--cgroup-id", String(st.st_ino), "--no-descendants", "-e", "trace=openat"])
        XCTAssertTrue(byID.lines.contains { $0.contains("\"/proc/version\"") })
    }

    /// A call whose entry was traced is shown finished even when its task leaves the cgroup while
    /// it waits (the exit skips the cgroup check); what the task does after that is not traced.
    func testCallOfATaskThatLeavesTheCgroupFinishes() throws {
        let base = "cgtrace-test-\(getpid())-move"
        let inside = try makeCgroup(base + "/in")
        let outside = try makeCgroup(base + "/out")
        let trace = NSTemporaryDirectory() + "cgtrace-move-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let tracer = Process()
        tracer.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        tracer.arguments = ["-o", trace, "--cgroup", inside, "-e", "trace=clock_nanosleep,openat"]
        tracer.standardError = FileHandle.nullDevice
        try tracer.run()
        usleep(500_000)
        let script = "import time; time.sleep(1.0); open('/proc/version').close(); time.sleep(5)"
        let sleeper = try startProgram("/bin/sh", ["-c", "echo $$ > \(inside)/cgroup.procs; exec python3 -c \"\(script)\""],
                                       settle: 0.5)
        // Mid-sleep: out of the traced cgroup.
        try String(sleeper.processIdentifier).write(toFile: outside + "/cgroup.procs", atomically: false, encoding: .utf8)
        usleep(1_000_000)
        kill(tracer.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while tracer.isRunning && Date() < deadline { usleep(10_000) }
        let lines = KernelTest.lines((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "")
        let text = lines.joined(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("clock_nanosleep(") && $0.hasSuffix("= 0") }, text)
        XCTAssertFalse(lines.contains { $0.contains("/proc/version") }, text)
    }

    func testRemovedCgroupEndsTheTrace() throws {
        let cg = try makeCgroup("cgtrace-test-\(getpid())-gone")
        let trace = NSTemporaryDirectory() + "cgtrace-gone-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        p.arguments = ["-o", trace, "--cgroup", cg]
        let err = Pipe()
        p.standardError = err
        try p.run()
        usleep(500_000)
        XCTAssertEqual(rmdir(cg), 0)
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        XCTAssertFalse(p.isRunning, "cgtrace notices the cgroup is gone")
        XCTAssertEqual(p.terminationStatus, 0)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(message, "cgtrace: cgroup \(cg) was removed\n")
    }

    func testPidTargetFollowsNewChildrenAndStopsOnSigint() throws {
        let p = try startProgram("/bin/sh", ["-c", "while true; do cat /proc/loadavg >/dev/null; sleep 0.05; done"], settle: 0.1)
        let r = try traceFor(1.0, ["-p", String(p.processIdentifier), "-e", "trace=execve,openat"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The shell's children, forked after cgtrace attached, exec and open.
        XCTAssertTrue(r.lines.contains { $0.contains("execve(\"/usr/bin/cat\", [\"cat\", \"/proc/loadavg\"]") }, r.lines.joined(separator: "\n"))
        XCTAssertTrue(r.lines.contains { $0.contains("openat(AT_FDCWD, \"/proc/loadavg\", O_RDONLY) = 3") })
        XCTAssertTrue(p.isRunning, "the traced process goes on after cgtrace detaches")
    }

    /// Leaving a process mid-call at Ctrl-C: strace -p ends that call's line with
    /// `<detached ...>`, after the arguments known at entry (the sleep's remaining time is an
    /// out-parameter, so nothing of it yet).
    func testCallInProgressAtCtrlCIsDetached() throws {
        let p = try startProgram("/usr/bin/python3", ["-c", "import time\nwhile True: time.sleep(0.3)"], settle: 0.3)
        let r = try traceFor(1.0, ["-p", String(p.processIdentifier), "-e", "trace=clock_nanosleep"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertNotNil(r.lines.last?.range(of: #"^clock_nanosleep\(CLOCK_MONOTONIC, TIMER_ABSTIME, \{tv_sec=\d+, tv_nsec=\d+\},  <detached \.\.\.>$"#,
                                                options: .regularExpression), r.lines.joined(separator: "\n"))
        // (The sleep in progress when cgtrace attached shows only its return: `<... resumed>`.)
        XCTAssertTrue(r.lines.dropLast().filter { !$0.hasPrefix("<...") }.allSatisfy { $0.hasSuffix("NULL) = 0") },
                      r.lines.joined(separator: "\n"))
    }

    func testPidTargetEndsWhenTheProcessExits() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sleep")
        // Long enough that cgtrace (a debug build, on a loaded machine) attaches before it ends.
        p.arguments = ["2"]
        try p.run()
        let r = try KernelTest.run([KernelTest.cgtracePath, "-o", "/dev/null", "-p", String(p.processIdentifier)], timeout: 10)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stderr, "cgtrace: all traced processes have exited\n")
    }

    /// A zombie answers kill(pid, 0) but its exit is over: attaching to it is refused (it used
    /// to wait for an exit that had already happened, for ever).
    func testZombiePidIsRefused() throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { argv.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&pid, "/bin/true", nil, nil, argv, environ), 0)
        defer { var status: Int32 = 0; waitpid(pid, &status, 0) }
        // Not reaped yet: a zombie once it has exited.
        var waited = 0
        while waited < 200, (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") != true {
            usleep(10_000)
            waited += 1
        }
        let r = try KernelTest.run([KernelTest.cgtracePath, "-o", "/dev/null", "-p", String(pid)], timeout: 10)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "cgtrace: attach: pid \(pid) has exited (a zombie its parent has not reaped)\n")
    }

    func testContainerIdsResolveFromRuntimeCgroupNames() throws {
        let base = "cgtrace-test-\(getpid())-containers"
        let docker = "aa11" + String(repeating: "0", count: 56) + "d0c4"
        let cri = "aa22" + String(repeating: "1", count: 56) + "c21e"
        _ = try makeCgroup(base + "/system.slice")
        let dockerScope = try makeCgroup(base + "/system.slice/docker-\(docker).scope")
        _ = try makeCgroup(base + "/kubepods.slice")
        _ = try makeCgroup(base + "/kubepods.slice/kubepods-pod1234.slice")
        _ = try makeCgroup(base + "/kubepods.slice/kubepods-pod1234.slice/cri-containerd-\(cri).scope")
        _ = try startLoop(in: dockerScope, marker: "/proc/version")

        let r = try traceFor(1.0, ["--container", "aa11", "-e", "trace=openat"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.lines.contains { $0.contains("\"/proc/version\"") })

        let ambiguous = try KernelTest.run([KernelTest.cgtracePath, "--container", "aa"], timeout: 10)
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssertTrue(ambiguous.stderr.hasPrefix("cgtrace: container 'aa' is ambiguous: "), ambiguous.stderr)
        XCTAssertTrue(ambiguous.stderr.contains(String(docker.prefix(12))) && ambiguous.stderr.contains(String(cri.prefix(12))))

        let unknown = try KernelTest.run([KernelTest.cgtracePath, "--container", "ffffeeee"], timeout: 10)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("cgtrace: no container 'ffffeeee': asked "), unknown.stderr)
    }

    /// --unit finds a unit's cgroup where systemd puts it (this machine has no systemd: the tree
    /// is laid out as systemd lays it out), and says so when there is none.
    func testUnitTargetTracesTheUnitsCgroup() throws {
        let base = "cgtrace-test-\(getpid())-units"
        let unit = "cgtrace-test-\(getpid())"
        _ = try makeCgroup(base + "/system.slice")
        let service = try makeCgroup(base + "/system.slice/\(unit).service")
        _ = try startLoop(in: service, marker: "/proc/version")

        let r = try traceFor(1.0, ["--unit", unit, "-e", "trace=openat"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.lines.contains { $0.contains("\"/proc/version\"") }, r.lines.joined(separator: "\n"))

        let missing = try KernelTest.run([KernelTest.cgtracePath, "--unit", "no-such-\(unit)"], timeout: 10)
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "cgtrace: no cgroup named no-such-\(unit).service under \(mount) (is it running?)\n")
    }

    /// The root cgroup holds cgtrace too: its own calls (writing this very trace) stay out.
    func testCgtraceNeverTracesItself() throws {
        let trace = NSTemporaryDirectory() + "cgtrace-self-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        p.arguments = ["-o", trace, "--cgroup", "/", "-e", "trace=write,ppoll,epoll_wait,bpf"]
        try p.run()
        usleep(800_000)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        let lines = KernelTest.lines((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "")
        let own = lines.filter { $0.hasPrefix("[pid \(p.processIdentifier)]") || $0.contains("[pid  \(p.processIdentifier)]") }
        XCTAssertEqual(own, [], "cgtrace's own calls")
        XCTAssertLessThan(lines.count, 100_000, "no feedback loop")
    }

    func testBadTargetsAreOneLineErrors() throws {
        let missing = try KernelTest.run([KernelTest.cgtracePath, "--cgroup", "/no/such/cgroup"], timeout: 10)
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1)
        let pid = try KernelTest.run([KernelTest.cgtracePath, "-p", "999999999"], timeout: 10)
        XCTAssertEqual(pid.status, 2)
        XCTAssertEqual(pid.stderr, "cgtrace: attach: pid 999999999: No such process\n")
        let both = try KernelTest.run([KernelTest.cgtracePath, "-p", "1", "--", "/bin/true"], timeout: 10)
        XCTAssertEqual(both.status, 2)
    }
}
