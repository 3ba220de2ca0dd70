import Foundation
import Launch
import XCTest

/// Misuse and security: clear errors, no more captured than asked, files that are not shared.
final class ReliabilityTests: XCTestCase {
    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    func testOutputFileHonoursUmaskAndIsNeverWorldWritable() throws {
        let path = NSTemporaryDirectory() + "cgtrace-umask-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try KernelTest.run(["/bin/sh", "-c", "umask 077; exec \(KernelTest.cgtracePath) -o \(path) -- /bin/true"], timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600, "0644 less umask 077")
        let open = NSTemporaryDirectory() + "cgtrace-umask0-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: open) }
        _ = try KernelTest.run(["/bin/sh", "-c", "umask 000; exec \(KernelTest.cgtracePath) -o \(open) -- /bin/true"], timeout: 30)
        XCTAssertEqual(stat(open, &st), 0)
        XCTAssertEqual(st.st_mode & 0o002, 0, "never world-writable, even with umask 000")
    }

    /// Traced processes that exit start no RCU-tasks-trace grace period (probes/threads.bpf.h):
    /// one would send every task running then, traced or not, the slow way out of each syscall
    /// tracepoint for the rest of its life. Counted by the grace-period kthread's switches (about
    /// five per grace period here) while a traced shell runs ten short children, from well after
    /// cgtrace's own start (whose libbpf feature probes free BTF objects: one grace period about
    /// 0.3 s in). Deleting each exiting thread's task storage made three grace periods (15
    /// switches) in this second.
    func testTracedExitsStartNoRCUTasksTraceGracePeriods() throws {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let kthread = try XCTUnwrap(procs.first { pid in
            Int(pid) != nil && (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("rcu_tasks_trace") == true
        }, "no RCU-tasks-trace kthread to watch")
        let counts = NSTemporaryDirectory() + "cgtrace-gp-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: counts) }
        let switches = "grep ^voluntary_ctxt_switches /proc/\(kthread)/status | tr -dc 0-9"
        let script = "sleep 1.5; a=$(\(switches)); for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; sleep 0.1; done; "
            + "b=$(\(switches)); echo $((b - a)) > \(counts)"
        let r = try KernelTest.cgtrace([], ["/bin/sh", "-c", script], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.trace.filter { $0.contains("execve(\"/bin/true\"") }.count, 10)
        let moved = try XCTUnwrap(Int(String(contentsOfFile: counts, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // At most one grace period's worth, from anything else on the machine.
        XCTAssertLessThanOrEqual(moved, 5, "the grace-period kthread switched \(moved) times while traced children exited")
    }

    /// A sustained storm (about 6 s of dd bs=1, millions of calls) must not grow cgtrace's own
    /// heap: after warming up, its anonymous memory stays within a few MiB. (The ring buffer's
    /// pages are the kernel's, mapped shared; they are sized once and are not counted here.)
    func testMemoryStaysFlatThroughASustainedStorm() throws {
        let cgtrace = Process()
        cgtrace.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        cgtrace.arguments = ["-o", "/dev/null", "--", "/bin/sh", "-c",
                             "timeout 6 dd if=/dev/zero of=/dev/null bs=1 2>/dev/null; true"]
        cgtrace.standardError = FileHandle.nullDevice
        try cgtrace.run()
        var samples: [(at: Double, kib: Int)] = []
        let start = Date()
        while cgtrace.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(cgtrace.processIdentifier)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
               let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                samples.append((Date().timeIntervalSince(start), kib))
            }
            usleep(250_000)
        }
        XCTAssertEqual(cgtrace.terminationStatus, 0)
        // Warm-up: the first 2 s (start-up, buffers reaching their working size).
        let warm = samples.filter { $0.at >= 2 }
        XCTAssertGreaterThan(warm.count, 8, "the storm ran for its 6 s: \(samples)")
        guard let first = warm.first?.kib, let peak = warm.map(\.kib).max() else { return }
        XCTAssertLessThan(peak - first, 4096, "heap grew from \(first) KiB to \(peak) KiB during the storm: \(samples)")
    }

    /// A program the verifier refuses (the probes built with a deliberate fault and loaded via
    /// CGTRACE_BPF_OBJECT): one line naming the failure and exit 4; with --debug, the tail of
    /// the verifier's log, which says what it refused.
    func testVerifierRejectionIsOneLineAndDebugShowsTheLog() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let dir = NSTemporaryDirectory() + "cgtrace-verifier-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let object = dir + "/rejected.o"
        let cc = try KernelTest.run(["/usr/bin/env", "clang", "-target", "bpf", "-g", "-O2", "-D__TARGET_ARCH_x86",
                                     "-DCGT_TEST_VERIFIER_REJECT", "-I/usr/include/x86_64-linux-gnu",
                                     "-I\(root)/probes/include", "-I\(root)/probes", "-Wno-default-const-init-var-unsafe",
                                     "-c", "\(root)/probes/cgtrace.bpf.c", "-o", object], timeout: 120)
        XCTAssertEqual(cc.status, 0, cc.stderr)
        // Only tp_btf: the fault is in that mode's program (raw_tp would load).
        let run = { (extra: [String]) in
            try KernelTest.run(["/usr/bin/env", "CGTRACE_BPF_OBJECT=\(object)", KernelTest.cgtracePath, "--attach", "tp_btf"]
                               + extra + ["--", "/bin/true"], timeout: 60)
        }
        let plain = try run([])
        XCTAssertEqual(plain.status, 4, plain.stderr)
        XCTAssertEqual(KernelTest.lines(plain.stderr).count, 1, plain.stderr)
        XCTAssertTrue(plain.stderr.hasPrefix("cgtrace: cannot load the BPF programs (tp_btf: "), plain.stderr)
        XCTAssertTrue(plain.stderr.contains("(--debug shows the verifier log)"), plain.stderr)
        let debug = try run(["--debug"])
        XCTAssertEqual(debug.status, 4)
        XCTAssertTrue(debug.stderr.contains("invalid mem access 'map_value_or_null'"), String(debug.stderr.suffix(2000)))
        // The embedded object still loads: the fault exists only in that build.
        XCTAssertEqual(try KernelTest.cgtrace(["--attach", "tp_btf"], ["/bin/true"]).status, 0)
    }

    /// No cgroup v2 hierarchy (a private mount namespace without it): one line saying so and
    /// how to mount one, exit 4.
    func testNoCgroupV2IsOneLine() throws {
        let r = try KernelTest.run(["/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                                    "for m in $(awk '$3==\"cgroup2\"{print $2}' /proc/mounts); do umount -l $m; done; exec \"$0\" -- /bin/true",
                                    KernelTest.cgtracePath], timeout: 30)
        XCTAssertEqual(r.status, 4, r.stderr)
        XCTAssertEqual(KernelTest.lines(r.stderr), ["cgtrace: no cgroup v2 hierarchy is mounted (mount -t cgroup2 none /sys/fs/cgroup)"])
    }

    func testMissingCapabilitiesAreNamed() {
        let line = { (mask: String) in "Name:\tx\nCapEff:\t\(mask)\nCapBnd:\t0\n" }
        XCTAssertEqual(Privileges.missingCapabilities(status: line("0000000000000000")), ["CAP_BPF", "CAP_PERFMON"])
        XCTAssertEqual(Privileges.missingCapabilities(status: line("0000008000000000")), ["CAP_PERFMON"])  // CAP_BPF only
        XCTAssertEqual(Privileges.missingCapabilities(status: line("000000c000000000")), [])               // both
        XCTAssertEqual(Privileges.missingCapabilities(status: line("0000000000200000")), [])               // CAP_SYS_ADMIN
    }

    func testNoBTFIsNamed() {
        XCTAssertThrowsError(try Privileges.checkBTF(path: "/nonexistent/vmlinux")) { error in
            XCTAssertTrue("\(error)".hasPrefix("this kernel has no BTF (/nonexistent/vmlinux is missing)"))
        }
    }

    func testUnprivilegedRunIsAOneLineError() throws {
        let r = try KernelTest.run(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                    KernelTest.cgtracePath, "--", "/bin/true"], timeout: 30)
        XCTAssertEqual(r.status, 4)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertEqual(r.stderr, "cgtrace: tracing needs root: missing CAP_BPF and CAP_PERFMON (run as root, or grant them)\n")
    }

    /// Data read and written by the command is copied only up to -s, in the kernel: what
    /// reaches the output is never more (the JSON shows the bytes exactly).
    func testCapturedBuffersNeverExceedTheStringLimit() throws {
        let secret = String(repeating: "S", count: 200)
        let r = try KernelTest.cgtrace(["-s", "8", "--json", "-e", "trace=write"], ["/bin/sh", "-c", "printf \(secret) > /dev/null"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let writes = r.trace.filter { $0.contains("\"syscall\":\"write\"") }
        XCTAssertFalse(writes.isEmpty)
        for line in writes {
            XCTAssertFalse(line.contains(String(repeating: "S", count: 9)), line)
            XCTAssertTrue(line.contains("\"SSSSSSSS\""), line)
        }
    }

    /// A small ring wakes the consumer before it is full: with --buffer-size 1M the wake-up comes
    /// at an eighth of it (128 KiB of backlog). Bursts of dd bs=1 (each ~0.5 MiB of records,
    /// with pauses a slow debug consumer can drain in) are all traced, in drop mode (lossless
    /// mode's freezer would hide the fault). With the wake-up fixed at 1 MiB (the whole ring) the
    /// record that would have woken the consumer did not fit, nothing was read again, and
    /// everything after the first MiB was lost (99 % of a 300 k dd).
    func testSmallRingWakesTheConsumerBeforeItIsFull() throws {
        try KernelTest.requireRoot()
        let bursts = 10, blocks = 2000
        let script = "for i in $(seq \(bursts)); do dd if=/dev/zero of=/dev/null bs=1 count=\(blocks) 2>/dev/null; sleep 0.2; done"
        let r = try KernelTest.cgtrace(["--drop", "--buffer-size", "1M"], ["/bin/sh", "-c", script], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let reads = r.trace.filter { $0.contains("read(0, \"\\0\", 1)") && $0.hasSuffix("= 1") }.count
        XCTAssertGreaterThan(reads, bursts * blocks * 95 / 100, "\(reads) of \(bursts * blocks) reads traced; \(r.stderr)")
    }

    /// Lines show while the command runs, as strace's do: a quiet trace's records are read on
    /// the consumer's timer (the probes wake it only per MiB of backlog) and written out when
    /// the ring is empty. They used to wait for the command's end (or a MiB of backlog).
    func testLinesShowWhileTheCommandRuns() throws {
        let path = NSTemporaryDirectory() + "cgtrace-live-\(getpid()).txt"
        defer { unlink(path) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        // (No exec, fork or exit between the write and the sleep: only call records.)
        p.arguments = ["-o", path, "--", "/usr/bin/python3", "-c", "import os, time; os.write(1, b'started-now\\n'); time.sleep(4)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.waitUntilExit() }
        var seen = ""
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            seen = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if seen.contains("started-now") { break }
            usleep(50_000)
        }
        XCTAssertTrue(p.isRunning, "the command ended before the check")
        let line = seen.split(separator: "\n").first { $0.hasPrefix("write(1, \"started-now\\n\", 12)") }
        XCTAssertTrue(line?.hasSuffix("= 12") == true, seen.suffix(500).description)
    }

    /// 1000 processes started at once inside the target: every one is seen to exit, or the
    /// loss is reported — never silent.
    func testForkStormIsTracedCompletely() throws {
        let r = try KernelTest.cgtrace(["-e", "trace=execve"],
                                       ["/bin/bash", "-c", "for i in $(seq 1000); do /bin/true & done; wait"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let exits = r.trace.filter { $0.hasSuffix("+++ exited with 0 +++") }.count
        let execs = r.trace.filter { $0.contains("execve(\"/bin/true\"") }.count
        if r.stderr.contains("events lost") {
            XCTAssertLessThan(exits, 1002, "a loss is reported only when something was lost")
        } else {
            XCTAssertEqual(exits, 1002, "bash, the seq of $(seq 1000), and the 1000 children")
            XCTAssertEqual(execs, 1000)
        }
    }

    func testUnwritableOutputIsAOneLineError() throws {
        let r = try KernelTest.run([KernelTest.cgtracePath, "-o", "/proc/no-such-dir/trace", "--", "/bin/true"], timeout: 30)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "cgtrace: can't open '/proc/no-such-dir/trace': No such file or directory\n")
    }

    func testCommandThatCannotRunGetsStraceStyleErrors() throws {
        let missing = try KernelTest.run([KernelTest.cgtracePath, "--", "no-such-command-here"], timeout: 30)
        XCTAssertEqual(missing.status, 127)
        XCTAssertEqual(missing.stderr, "cgtrace: Can't stat 'no-such-command-here': No such file or directory\n")
        let notExecutable = try KernelTest.run([KernelTest.cgtracePath, "--", "/etc/passwd"], timeout: 30)
        XCTAssertEqual(notExecutable.status, 126)
        XCTAssertEqual(notExecutable.stderr.split(separator: "\n").count, 1)
    }
}
