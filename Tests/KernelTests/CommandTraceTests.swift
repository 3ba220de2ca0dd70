import Foundation
import XCTest

/// `cgtrace -- CMD` against the real kernel, with strace as the oracle for the lines.
final class CommandTraceTests: XCTestCase {
    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    func testTrueStartsWithExecveAndEndsWithExit() throws {
        let r = try KernelTest.cgtrace([], ["/bin/true"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.trace.first?.hasPrefix("execve(\"/bin/true\", [\"/bin/true\"], 0x") ?? false,
                      "first line: \(r.trace.first ?? "none")")
        XCTAssertTrue(r.trace.first?.hasSuffix("vars */) = 0") ?? false)
        XCTAssertEqual(r.trace.suffix(2), ["exit_group(0)                           = ?", "+++ exited with 0 +++"])
    }

    func testCatOfAFileMatchesStrace() throws {
        let cmd = ["/bin/cat", "/etc/hostname"]
        let ours = try KernelTest.cgtrace([], cmd)
        let theirs = try KernelTest.strace([], cmd)
        XCTAssertEqual(ours.status, 0)
        XCTAssertEqual(ours.stdout, theirs.stdout)
        // The lines about the file itself are identical, to the byte.
        for prefix in ["openat(AT_FDCWD, \"/etc/hostname\"", "read(3, ", "close(3)"] {
            let a = ours.trace.filter { $0.hasPrefix(prefix) }.map(KernelTest.normalize)
            let b = theirs.trace.filter { $0.hasPrefix(prefix) }.map(KernelTest.normalize)
            XCTAssertFalse(b.isEmpty, "strace shows \(prefix)")
            XCTAssertEqual(a, b, "lines starting \(prefix)")
        }
        XCTAssertTrue(ours.trace.contains("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3"))
    }

    func testMissingFileIsENOENT() throws {
        let cmd = ["/bin/cat", "/nonexistent/file"]
        let ours = try KernelTest.cgtrace([], cmd)
        let theirs = try KernelTest.strace([], cmd)
        XCTAssertEqual(ours.status, 1)
        let line = "openat(AT_FDCWD, \"/nonexistent/file\", O_RDONLY) = -1 ENOENT (No such file or directory)"
        XCTAssertTrue(theirs.trace.contains(line))
        XCTAssertTrue(ours.trace.contains(line), ours.trace.joined(separator: "\n"))
        XCTAssertEqual(ours.trace.last, "+++ exited with 1 +++")
    }

    func testNonZeroExitStatusIsPassedThrough() throws {
        let r = try KernelTest.cgtrace([], ["/bin/sh", "-c", "exit 3"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.trace.last, "+++ exited with 3 +++")
    }

    func testKilledBySignal() throws {
        let r = try KernelTest.cgtrace([], ["/bin/sh", "-c", "kill -KILL $$"])
        XCTAssertEqual(r.status, 128 + 9)
        XCTAssertEqual(r.trace.last, "+++ killed by SIGKILL +++")
        let theirs = try KernelTest.strace([], ["/bin/sh", "-c", "kill -KILL $$"])
        XCTAssertEqual(theirs.trace.last, "+++ killed by SIGKILL +++")
        // The kill itself prints the same (the pid differs between runs).
        XCTAssertNotNil(killLine(theirs.trace))
        XCTAssertEqual(killLine(r.trace), killLine(theirs.trace))
    }

    /// A Ctrl-C (here a SIGINT to cgtrace alone) at any moment of the start-up: cgtrace exits
    /// 130 by itself, removes the cgroup it made for the command, and leaves no command behind.
    /// (Before, in the first ~20 ms the signal's default action killed it and left the cgroup.)
    /// From when its main code has blocked the signal: before that (the loader mapping the
    /// binary) no code of cgtrace's can act on it.
    func testInterruptedWhileStartingLeavesNothing() throws {
        let mount = try XCTUnwrap(KernelTest.cgroupMount)
        let trace = NSTemporaryDirectory() + "cgtrace-interrupted-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: trace) }
        for delayMs in [0, 1, 3, 6, 10, 15, 25] {
            let naptime = "30.\(getpid())\(delayMs)"  // a sleep no one else runs
            let p = Process()
            p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
            p.arguments = ["-o", trace, "--", "/bin/sleep", naptime]
            try p.run()
            let blocked = Date().addingTimeInterval(10)
            while KernelTest.blocksSIGINT(p.processIdentifier) == false && Date() < blocked { usleep(200) }
            usleep(UInt32(delayMs * 1000))
            kill(p.processIdentifier, SIGINT)
            let deadline = Date().addingTimeInterval(10)
            while p.isRunning && Date() < deadline { usleep(5_000) }
            XCTAssertFalse(p.isRunning, "after \(delayMs) ms")
            if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
            XCTAssertEqual(p.terminationReason, .exit, "after \(delayMs) ms: killed by its signal")
            XCTAssertEqual(p.terminationStatus, 128 + SIGINT, "after \(delayMs) ms")
            // The probes take well over a millisecond to load: a signal this early finds the
            // command not started, and it never runs (later, it is started and then signalled).
            if delayMs <= 1 {
                let lines = KernelTest.lines((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "")
                XCTAssertEqual(lines, [], "after \(delayMs) ms: the command ran")
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: mount + "/cgtrace")) ?? []
            XCTAssertFalse(left.contains { $0.hasPrefix("run-\(p.processIdentifier)-") }, "after \(delayMs) ms: \(left)")
            let sleeper = try KernelTest.run(["/usr/bin/pgrep", "-f", "sleep \(naptime)"], timeout: 10)
            XCTAssertEqual(sleeper.stdout, "", "after \(delayMs) ms: the command still runs")
            if !sleeper.stdout.isEmpty { _ = try KernelTest.run(["/usr/bin/pkill", "-f", "sleep \(naptime)"], timeout: 10) }
        }
    }

    func testPipelineFollowsForksAndExecs() throws {
        let cmd = ["/bin/sh", "-c", "cat /etc/hostname | wc -c"]
        let ours = try KernelTest.cgtrace([], cmd)
        let theirs = try KernelTest.strace([], cmd)
        XCTAssertEqual(ours.status, 0)
        XCTAssertEqual(ours.stdout, theirs.stdout)
        // The arguments of each exec; whether strace saw it complete or <unfinished ...> depends
        // on how the tasks interleaved.
        let execs = { (t: [String]) in
            t.map(KernelTest.normalize).filter { $0.hasPrefix("execve(") }.map {
                $0.replacingOccurrences(of: #"ADDR /\* \d+ vars \*/.*"#, with: "ENV", options: .regularExpression)
            }.sorted()
        }
        XCTAssertEqual(execs(ours.trace), execs(theirs.trace))
        // Three processes: sh and two children, each with its exit line, children prefixed.
        XCTAssertEqual(ours.trace.filter { $0.hasSuffix("+++ exited with 0 +++") }.count, 3)
        XCTAssertTrue(ours.trace.contains { $0.hasPrefix("[pid ") })
        XCTAssertEqual(ours.trace.last, "+++ exited with 0 +++")
    }

    func testThreadsAreTraced() throws {
        let script = "import threading; t = threading.Thread(target=lambda: open('/etc/hostname').read()); t.start(); t.join()"
        let ours = try KernelTest.cgtrace([], ["/usr/bin/python3", "-c", script])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        // The thread's own calls carry its tid and it exits on its own.
        let threadOpen = ours.trace.first { $0.contains("openat(AT_FDCWD, \"/etc/hostname\"") }
        XCTAssertNotNil(threadOpen)
        XCTAssertTrue(threadOpen?.hasPrefix("[pid ") ?? false, threadOpen ?? "")
        // The thread ends by exit(0), or, if the main thread's exit_group comes first (Python's
        // join can return before the thread has exited), killed with its group. Either way it
        // gets its own exit line, and the leader's comes last, as strace reports them.
        XCTAssertTrue(ours.trace.contains { $0.hasPrefix("[pid ") && $0.hasSuffix("+++ exited with 0 +++") })
        XCTAssertEqual(ours.trace.last, "+++ exited with 0 +++")
        XCTAssertGreaterThanOrEqual(ours.trace.filter { $0.hasSuffix("+++ exited with 0 +++") }.count, 2)
    }

    /// Calls are joined in the kernel (the entry held in its thread, written with the exit as
    /// one ring sample), yet a call that blocks shows as strace shows it: its entry goes out when
    /// its thread is switched out, before what another thread does meanwhile, and the call
    /// resumes after that. Without the switch-out hook the read would come out whole, after the
    /// write that ended it.
    func testABlockedCallShowsBeforeWhatAnotherThreadDoesMeanwhile() throws {
        let script = "import os, threading, time; r, w = os.pipe(); "
            + "t = threading.Thread(target=lambda: os.read(r, 1)); t.start(); time.sleep(0.5); "
            + "os.write(w, b'x'); t.join()"
        let ours = try KernelTest.cgtrace(["--stats", "-e", "trace=read,write"], ["/usr/bin/python3", "-c", script])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let trace = ours.trace.joined(separator: "\n")
        // (strace's column: `read(3,  <unfinished ...>`, `write(4, "x", 1)            = 1`)
        let blocked = ours.trace.firstIndex { $0.hasPrefix("[pid ") && $0.contains(" read(") && $0.hasSuffix("<unfinished ...>") }
        let wrote = ours.trace.firstIndex { $0.contains(" write(") && $0.contains("\"x\", 1)") && $0.hasSuffix(" = 1") }
        let resumed = ours.trace.firstIndex { $0.contains("<... read resumed>\"x\", 1)") && $0.hasSuffix(" = 1") }
        XCTAssertNotNil(blocked, trace)
        XCTAssertNotNil(wrote, trace)
        XCTAssertNotNil(resumed, trace)
        if let blocked, let wrote, let resumed {
            XCTAssertLessThan(blocked, wrote, trace)
            XCTAssertLessThan(wrote, resumed, trace)
        }
        // The calls that did not block (the interpreter's reads of its modules) were joined.
        let joined = ours.stderr.firstMatch(of: /joined_calls=(\d+)/).flatMap { Int($0.1) }
        XCTAssertGreaterThan(joined ?? 0, 10, ours.stderr)
    }

    /// A signal a thread sends itself is reported from inside its kill call, while the kernel
    /// still holds that call's entry: the entry goes out first, and the lines are strace's
    /// (`kill(...) = 0`, then `--- SIGUSR1 ... ---`). Before the fix the signal came first.
    func testAnIgnoredSignalSentToItselfShowsAfterTheKill() throws {
        let script = "import os, signal; signal.signal(signal.SIGUSR1, signal.SIG_IGN); "
            + "os.kill(os.getpid(), signal.SIGUSR1); os.write(1, b'x')"
        let ours = try KernelTest.cgtrace(["-e", "trace=kill,write"], ["/usr/bin/python3", "-c", script])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let theirs = try KernelTest.strace(["-e", "trace=kill,write"], ["/usr/bin/python3", "-c", script])
        let shape = { (t: [String]) -> [String] in
            t.map { KernelTest.normalize($0).replacingOccurrences(of: #"\d{2,}"#, with: "N", options: .regularExpression) }
        }
        XCTAssertEqual(shape(ours.trace), shape(theirs.trace), ours.trace.joined(separator: "\n"))
        XCTAssertEqual(ours.trace.count, 4, ours.trace.joined(separator: "\n"))
    }

    /// A thread that execs takes the process over: its execve ends with its result (whole, or
    /// `<unfinished ...>` and resumed when the other threads' ends come in between), never as a
    /// call that did not return. (The per-thread state lives in the task, which keeps it.)
    func testExecFromAThreadCompletes() throws {
        let script = "import threading, os, time; "
            + "threading.Thread(target=lambda: os.execv('/bin/true', ['true'])).start(); time.sleep(5)"
        let ours = try KernelTest.cgtrace(["-e", "trace=execve"], ["/usr/bin/python3", "-c", script])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let trace = ours.trace.joined(separator: "\n")
        let start = ours.trace.firstIndex { $0.contains("execve(\"/bin/true\"") }
        XCTAssertNotNil(start, trace)
        guard let start else { return }
        let ending = ours.trace[start...].first { $0.hasSuffix("= 0") || $0.hasSuffix("= ?") }
        XCTAssertTrue(ending?.hasSuffix("= 0") ?? false, trace)
        XCTAssertFalse(ours.trace.contains { $0.contains("execve") && $0.hasSuffix("= ?") }, trace)
        // The replaced leader ends as strace shows it, "superseded" by the thread (named by its
        // old tid), before the execve returns; the process then exits once.
        let superseded = ours.trace.firstIndex { $0.hasPrefix("+++ superseded by execve in pid ") && $0.hasSuffix(" +++") }
        XCTAssertNotNil(superseded, trace)
        if let superseded, let resumed = ours.trace.firstIndex(where: { $0.hasPrefix("<... execve resumed>") }) {
            XCTAssertLessThan(superseded, resumed, trace)
        }
        XCTAssertEqual(ours.trace.filter { $0.hasSuffix("+++ exited with 0 +++") && !$0.hasPrefix("[pid ") }.count, 1, trace)
        // Line for line as strace shows it (the leader makes no traced call here, so the
        // thread's execve is not interrupted: `<pid changed to LEADER ...>`).
        let theirs = try KernelTest.strace(["-e", "trace=execve"], ["/usr/bin/python3", "-c", script])
        let shape = { (t: [String]) -> [String] in
            guard let i = t.firstIndex(where: { $0.contains("execve(\"/bin/true\"") }) else { return [] }
            return t[i...].map {
                KernelTest.normalize($0).replacingOccurrences(of: #"pid (changed to )?\d+"#, with: "pid $1N",
                                                              options: .regularExpression)
            }
        }
        XCTAssertEqual(shape(ours.trace), shape(theirs.trace), trace)
        XCTAssertEqual(shape(ours.trace).count, 4, trace)
    }

    /// exit_group with a thread blocked in pause(): the thread's end is reported before the
    /// leader's, as strace reports them (the leader is reaped last).
    func testExitGroupEndsThreadsBeforeTheLeader() throws {
        let dir = NSTemporaryDirectory() + "cgtrace-thr-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        #include <pthread.h>
        #include <unistd.h>
        static void *work(void *a) { pause(); return a; }
        int main(void) { pthread_t t; pthread_create(&t, 0, work, 0); usleep(100000); return 0; }
        """.write(toFile: dir + "/thr.c", atomically: true, encoding: .utf8)
        let cc = try KernelTest.run(["/usr/bin/gcc", "-pthread", "-o", dir + "/thr", dir + "/thr.c"], timeout: 60)
        XCTAssertEqual(cc.status, 0, cc.stderr)
        let options = ["-e", "trace=exit_group,pause"]
        let ours = try KernelTest.cgtrace(options, [dir + "/thr"])
        let theirs = try KernelTest.strace(options, [dir + "/thr"])
        let shape = { (t: [String]) in
            t.suffix(4).map { $0.replacingOccurrences(of: #"\[pid +\d+\] "#, with: "[pid N] ", options: .regularExpression) }
        }
        XCTAssertEqual(shape(ours.trace), ["[pid N] exit_group(0)               = ?", "[pid N] <... pause resumed>)        = ?",
                                           "[pid N] +++ exited with 0 +++", "+++ exited with 0 +++"])
        // strace -f -o prefixes every line with the pid instead: compare the order of events.
        XCTAssertEqual(shape(ours.trace).map(KernelTest.normalize).map { $0.replacingOccurrences(of: "[pid N] ", with: "") },
                       theirs.trace.suffix(4).map(KernelTest.normalize))
    }

    func testUserOptionDropsPrivileges() throws {
        let r = try KernelTest.cgtrace(["-u", "nobody", "-e", "trace=execve"], ["/usr/bin/id"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("uid=65534(nobody) gid=65534("), r.stdout)
        XCTAssertFalse(r.stdout.contains("(root)"), "no group of root's is kept: \(r.stdout)")
        let unknown = try KernelTest.cgtrace(["-u", "no-such-user-here"], ["/bin/true"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr, "cgtrace: Cannot find user 'no-such-user-here'\n")
    }

    /// `cgtrace CMD 2>&1 | head`: once the reader is gone, cgtrace stops tracing quietly and
    /// lets the command finish, then exits with its status.
    func testClosedOutputPipeIsQuiet() throws {
        let r = try KernelTest.run(["/bin/bash", "-c",
            "\(KernelTest.cgtracePath) -- /usr/bin/seq 1 200000 2>&1 >/dev/null | head -c 100 >/dev/null; echo \"status=${PIPESTATUS[0]}\""],
            timeout: 60)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "status=0\n", "cgtrace exits with seq's status")
        XCTAssertFalse(r.stderr.contains("cgtrace"), r.stderr)
        XCTAssertFalse(r.stdout.contains("Fatal"), r.stdout)
    }

    /// The raw_tp fallback (kernels without tp_btf) traces exactly as tp_btf does.
    func testRawTracepointFallbackPrintsTheSame() throws {
        let cmd = ["/bin/cat", "/etc/hostname"]
        let btf = try KernelTest.cgtrace(["--attach=tp_btf"], cmd)
        let raw = try KernelTest.cgtrace(["--attach=raw_tp"], cmd)
        XCTAssertEqual(raw.status, 0, raw.stderr)
        // Identical but for what differs between any two runs: the pid and random bytes.
        let stable = { (t: [String]) in
            t.map(KernelTest.normalize).filter { !$0.hasPrefix("set_tid_address(") && !$0.hasPrefix("getrandom(") }
        }
        let differing = zip(stable(raw.trace), stable(btf.trace)).filter { $0 != $1 }
        XCTAssertEqual(stable(raw.trace).count, stable(btf.trace).count)
        XCTAssertTrue(differing.isEmpty, "first difference: \(differing.first.map { "\($0) | \($1)" } ?? "")")
        XCTAssertGreaterThan(raw.trace.count, 20)
        let debug = try KernelTest.cgtrace(["--attach=raw_tp", "--debug"], ["/bin/true"])
        XCTAssertTrue(debug.stderr.contains("cgtrace: attach mode raw_tp"), debug.stderr)
    }

    /// Both builds of the probes (lean, and whole: -y here) pass the verifier in both attach
    /// modes, with the raw syscall hooks and with per-syscall events. A per-syscall events load
    /// that fails falls back to the raw hooks without a word but under --debug: this is where
    /// such a failure shows (the verifier has rejected code clang arranged differently).
    func testEveryBuildOfTheProbesLoadsInEveryMode() throws {
        for (build, options) in [("lean", [String]()), ("whole", ["-y"])] {
            for mode in ["tp_btf", "raw_tp"] {
                for events in [false, true] {
                    let r = try KernelTest.cgtrace(options + ["--debug", "--attach=\(mode)"] + (events ? ["-e", "trace=openat"] : []),
                                                   ["/bin/true"])
                    let what = "\(build) \(mode)\(events ? " per-syscall events" : ""): \(r.stderr.suffix(600))"
                    XCTAssertEqual(r.status, 0, what)
                    XCTAssertTrue(r.stderr.contains("BPF object: \(build)"), what)
                    XCTAssertTrue(r.stderr.contains("cgtrace: attach mode \(mode)"), what)
                    XCTAssertFalse(r.stderr.contains("fallback"), what)
                    XCTAssertEqual(r.stderr.contains("hooking per-syscall events"), events, what)
                }
            }
        }
    }

    /// A short -e list hooks just those syscalls' own trace events: the same lines as the raw
    /// hooks print, and programs run only for the traced calls.
    func testPerSyscallEventsPrintTheSameAsTheRawHooks() throws {
        let cmd = ["/bin/cat", "/etc/hostname"]
        let events = try KernelTest.cgtrace(["-e", "trace=openat,read,close,newfstatat", "--debug", "--stats"], cmd)
        XCTAssertEqual(events.status, 0, events.stderr)
        XCTAssertTrue(events.stderr.contains("hooking per-syscall events for 4 calls"), events.stderr)
        // rt_sigreturn has no usable exit event: its presence keeps the raw hooks.
        let raw = try KernelTest.cgtrace(["-e", "trace=openat,read,close,newfstatat,rt_sigreturn", "--debug"], cmd)
        XCTAssertTrue(raw.stderr.contains("hooking every syscall"), raw.stderr)
        XCTAssertEqual(events.trace.map(KernelTest.normalize), raw.trace.map(KernelTest.normalize))
        XCTAssertGreaterThan(events.trace.count, 10)

        // 4000 reads and writes left out: with the events, no program runs for them (only for
        // the few openat calls, and for other processes' openat calls on this machine).
        let dd = ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=2000"]
        let storm = try KernelTest.cgtrace(["-e", "trace=openat", "--stats"], dd)
        XCTAssertEqual(storm.status, 0, storm.stderr)
        let stats = storm.stderr.split(separator: "\n").first { $0.hasPrefix("cgtrace-stats:") } ?? ""
        let runs = stats.split(separator: " ").first { $0.hasPrefix("event_sys_enter_runs=") }
            .flatMap { Int($0.split(separator: "=")[1]) } ?? -1
        XCTAssertGreaterThanOrEqual(runs, storm.trace.filter { $0.hasPrefix("openat(") }.count, String(stats))
        XCTAssertLessThan(runs, 1000, "programs ran for calls that are not traced: \(stats)")
    }

    func testTraceFilterOnlyShowsNamedCalls() throws {
        let r = try KernelTest.cgtrace(["-e", "trace=openat,close"], ["/bin/cat", "/etc/hostname"])
        XCTAssertEqual(r.status, 0)
        let calls = r.trace.filter { !$0.hasPrefix("+++") }
        XCTAssertFalse(calls.isEmpty)
        XCTAssertTrue(calls.allSatisfy { $0.hasPrefix("openat(") || $0.hasPrefix("close(") }, calls.joined(separator: "\n"))
    }

    /// Each class traces the calls strace's class traces, on the same program (compared as the
    /// set of syscall names each tracer shows).
    func testSyscallClassesMatchStrace() throws {
        let cmd = ["/bin/sh", "-c", "cat /etc/hostname > /dev/null; ls / > /dev/null"]
        for expr in ["%file", "%desc", "%memory", "%process", "%signal", "%%stat", "%creds", "!%memory,%file", "/^(open|close)"] {
            let names = { (t: [String]) -> Set<String> in
                Set(t.map(KernelTest.normalize).compactMap { line -> String? in
                    guard let paren = line.firstIndex(of: "("), !line.hasPrefix("+++"), !line.hasPrefix("---"),
                          !line.hasPrefix("<...") else { return nil }
                    return String(line[..<paren])
                })
            }
            let ours = try KernelTest.cgtrace(["-e", "trace=\(expr)"], cmd)
            let theirs = try KernelTest.strace(["-e", "trace=\(expr)"], cmd)
            XCTAssertEqual(ours.status, 0, "\(expr): \(ours.stderr)")
            XCTAssertEqual(names(ours.trace), names(theirs.trace), expr)
        }
    }

    /// -Z and -z show what strace shows; the rest never leaves the kernel.
    func testStatusFiltersMatchStraceAndStayInTheKernel() throws {
        let cmd = ["/bin/cat", "/nonexistent/file"]
        let calls = { (t: [String]) in t.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") } }
        let ours = try KernelTest.cgtrace(["-Z"], cmd)
        let theirs = try KernelTest.strace(["-Z"], cmd)
        XCTAssertEqual(calls(ours.trace), calls(theirs.trace))
        XCTAssertTrue(calls(ours.trace).allSatisfy { $0.contains(" = -1 ") })
        XCTAssertTrue(ours.trace.contains("openat(AT_FDCWD, \"/nonexistent/file\", O_RDONLY) = -1 ENOENT (No such file or directory)"))

        let ok = try KernelTest.cgtrace(["-z", "--stats"], cmd)
        XCTAssertFalse(calls(ok.trace).isEmpty)
        XCTAssertTrue(calls(ok.trace).allSatisfy { !$0.contains(" = -1 ") }, ok.trace.joined(separator: "\n"))

        // Only what is shown crossed the ring: two records per call shown, plus task records and
        // the launcher's two calls before execve (restoring the signal mask and SIGPIPE).
        let stats = ok.stderr.split(separator: "\n").first { $0.hasPrefix("cgtrace-stats:") }.map(String.init) ?? ""
        let value = { (key: String) -> Int in
            Int(stats.split(separator: " ").first { $0.hasPrefix(key + "=") }?.dropFirst(key.count + 1) ?? "") ?? -1
        }
        XCTAssertGreaterThan(value("filtered"), 5, stats)
        XCTAssertLessThanOrEqual(value("emitted"), 2 * calls(ok.trace).count + 8, stats)
    }

    func testLatencyFilterKeepsOnlySlowCalls() throws {
        let r = try KernelTest.cgtrace(["--latency", "100"], ["/bin/sh", "-c", "sleep 0.2"])
        let shown = r.trace.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
        XCTAssertTrue(shown.contains { $0.hasPrefix("clock_nanosleep(") }, r.trace.joined(separator: "\n"))
        XCTAssertTrue(shown.allSatisfy { $0.hasPrefix("clock_nanosleep(") || $0.hasPrefix("wait4(") }, shown.joined(separator: "\n"))
        let bad = try KernelTest.cgtrace(["--latency", "soon"], ["/bin/true"])
        XCTAssertEqual(bad.status, 2)
        let badStatus = try KernelTest.cgtrace(["-e", "status=sometimes"], ["/bin/true"])
        XCTAssertEqual(badStatus.status, 2)
    }

    /// -P: calls naming the path or using a descriptor opened from it, as strace -P shows them.
    func testTracePathMatchesStrace() throws {
        let cmd = ["/bin/sh", "-c", "cat /etc/hostname /etc/passwd > /dev/null; exec 5</etc/hostname; cat <&5 >/dev/null"]
        let ours = try KernelTest.cgtrace(["-P", "/etc/hostname"], cmd)
        let theirs = try KernelTest.strace(["-P", "/etc/hostname"], cmd)
        let calls = { (t: [String]) in
            t.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") }.sorted()
        }
        XCTAssertFalse(calls(ours.trace).isEmpty)
        XCTAssertEqual(calls(ours.trace), calls(theirs.trace))
        XCTAssertFalse(ours.trace.contains { $0.contains("/etc/passwd") })
    }

    /// A name filter is applied in the kernel: what it leaves out never crosses the ring.
    func testNameFilterKeepsOtherCallsInTheKernel() throws {
        let r = try KernelTest.cgtrace(["-e", "trace=openat", "--stats"], ["/bin/cat", "/etc/hostname"])
        let shown = r.trace.filter { $0.hasPrefix("openat(") }.count
        let stats = r.stderr.split(separator: "\n").first { $0.hasPrefix("cgtrace-stats:") } ?? ""
        let emitted = stats.split(separator: " ").first { $0.hasPrefix("emitted=") }.flatMap { Int($0.dropFirst(8)) } ?? -1
        XCTAssertGreaterThan(shown, 3)
        // Two records per openat, plus the exec and task-exit records.
        XCTAssertLessThanOrEqual(emitted, 2 * shown + 4, String(stats))
        XCTAssertGreaterThanOrEqual(emitted, 2 * shown)
    }

    /// -y: descriptors shown as strace -y shows them — files across mounts, the working
    /// directory of AT_FDCWD, sockets, pipes, anonymous inodes, returned fds, and still right
    /// when the call closes the descriptor.
    /// Trace lines from `start` on, with what differs between any two runs made alike: inode
    /// numbers, pids, the test's own output file; exit lines left out.
    static func descriptorLines(_ trace: [String], from start: ([String]) -> Int?) -> [String] {
        let lines = trace.map(KernelTest.normalize).map {
            $0.replacingOccurrences(of: #":\[\d+\]"#, with: ":[N]", options: .regularExpression)
              .replacingOccurrences(of: #"/tmp/cgtrace-run-[^>]*"#, with: "OUT", options: .regularExpression)
              .replacingOccurrences(of: #"pid:\d+"#, with: "pid:P", options: .regularExpression)
              .replacingOccurrences(of: #"pidfd_open\(\d+"#, with: "pidfd_open(P", options: .regularExpression)
        }
        guard let i = start(lines) else { return [] }
        return Array(lines[i...]).filter { !$0.hasPrefix("+++") }
    }

    func testDecodeFdsMatchesStrace() throws {
        let script = "import os,socket,select; os.pipe(); socket.socket(); select.epoll(); os.dup2(1,7); "
            + "open('/etc/hostname').read(); open('/proc/version').read()"
        let cmd = ["/usr/bin/python3", "-c", script]
        let options = ["-y", "-e", "trace=openat,read,close,pipe2,socket,epoll_create1,dup2"]
        let ours = try KernelTest.cgtrace(options, cmd)
        let theirs = try KernelTest.strace(options, cmd)
        XCTAssertEqual(ours.status, 0, ours.stderr)
        // From the script's own calls on (the interpreter's start-up opens differ in number).
        let tail = { (t: [String]) in Self.descriptorLines(t) { $0.lastIndex { $0.hasPrefix("socket(") } } }
        XCTAssertFalse(tail(ours.trace).isEmpty, ours.trace.joined(separator: "\n"))
        XCTAssertEqual(tail(ours.trace), tail(theirs.trace))
        XCTAssertTrue(ours.trace.contains { $0.contains("close(3</proc/version>)") || $0.contains("</proc/version>)") })
    }

    /// --decode-fds=SET shows only its parts, as strace 6.1 does: `socket` a socket's protocol
    /// and nothing for files, `dev` a device (with its path) and nothing for sockets, `pidfd` the
    /// process, `!path` everything but plain paths.
    func testDecodeFdsPartsMatchStrace() throws {
        let script = "import os,socket\nf=open('/dev/null'); f.read(); open('/etc/hostname').read()\n"
            + "s=socket.socket(socket.AF_UNIX)\ntry: s.connect('/nonexistent')\nexcept OSError: pass\n"
            + "p=os.pidfd_open(os.getpid()); os.close(p)\n"
        let cmd = ["/usr/bin/python3", "-c", script]
        for set in ["socket", "dev", "pidfd", "dev,pidfd", "!path"] {
            let options = ["--decode-fds=\(set)", "-e", "trace=read,connect,pidfd_open,close"]
            let ours = try KernelTest.cgtrace(options, cmd)
            let theirs = try KernelTest.strace(options, cmd)
            XCTAssertEqual(ours.status, 0, ours.stderr)
            // The script's own calls: from its read of /dev/null on.
            let tail = { (t: [String]) in
                Self.descriptorLines(t) { $0.firstIndex { $0.hasPrefix("read(3") && $0.contains("\"\", 8192)") } }
            }
            XCTAssertGreaterThanOrEqual(tail(ours.trace).count, 5, "\(set): \(ours.trace.joined(separator: "\n"))")
            XCTAssertEqual(tail(ours.trace), tail(theirs.trace), set)
        }
    }

    /// -yy: sockets with their protocol and endpoints, as strace -yy names them.
    func testDecodeSocketEndpointsMatchesStrace() throws {
        let script = "import os, socket\n"
            + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1); port = s.getsockname()[1]\n"
            + "if os.fork() == 0:\n"
            + "    c = socket.create_connection(('127.0.0.1', port)); c.sendall(b'ping'); c.close(); os._exit(0)\n"
            + "a, _ = s.accept(); a.recv(4); a.close(); os.wait()\n"
            + "u = socket.socket(socket.AF_UNIX); u.close()\n"
        let options = ["-yy", "-e", "trace=socket,bind,listen,accept4,connect,recvfrom,sendto,close"]
        let ours = try KernelTest.cgtrace(options, ["/usr/bin/python3", "-c", script])
        let theirs = try KernelTest.strace(options, ["/usr/bin/python3", "-c", script])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let sockets = { (t: [String]) -> [String] in
            t.map(KernelTest.normalize).filter { $0.contains("TCP:") || $0.contains("UNIX-") }.map {
                $0.replacingOccurrences(of: #":\d{4,5}\b"#, with: ":PORT", options: .regularExpression)
                  .replacingOccurrences(of: #"htons\(\d+\)"#, with: "htons(PORT)", options: .regularExpression)
                  .replacingOccurrences(of: #"\[\d+\]"#, with: "[INODE]", options: .regularExpression)
                  .replacingOccurrences(of: #" <unfinished \.\.\.>"#, with: "", options: .regularExpression)
            }.filter { !$0.hasPrefix("<...") }.sorted()
        }
        XCTAssertGreaterThan(sockets(ours.trace).count, 6)
        // Each call's name and the first descriptor it names (results differ only in timing).
        let described = { (t: [String]) -> [String] in sockets(t).compactMap(firstDescriptor) }
        XCTAssertEqual(described(ours.trace), described(theirs.trace))
    }

    /// Netlink: `ip -o addr show lo`'s requests and replies decoded as strace decodes them (the
    /// kernel marks the sockets as NETLINK_ROUTE and copies the 1100-byte RTM_NEWLINK whole,
    /// past -s), and `ss -tan`'s sock_diag.
    func testNetlinkMessagesMatchStrace() throws {
        let normalize = { (t: [String]) -> [String] in
            t.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") }.map {
                $0.replacingOccurrences(of: #"\b(nlmsg_seq|nlmsg_pid)=-?\d+"#, with: "$1=N", options: .regularExpression)
                  .replacingOccurrences(of: #"\b((?:rx|tx)_[a-z_]+|multicast|collisions|idiag_expires|idiag_[rw]queue)=\d+"#,
                                        with: "$1=N", options: .regularExpression)
                  .replacingOccurrences(of: #"htons\(\d{4,5}\)"#, with: "htons(PORT)", options: .regularExpression)
            }
        }
        let options = ["-e", "trace=sendto,sendmsg,recvmsg,recvfrom"]
        let ours = try KernelTest.cgtrace(options, ["/usr/bin/ip", "-o", "addr", "show", "lo"])
        let theirs = try KernelTest.strace(options, ["/usr/bin/ip", "-o", "addr", "show", "lo"])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let lines = normalize(ours.trace)
        XCTAssertTrue(lines.contains { $0.contains("nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("{ifa_family=AF_INET, ifa_prefixlen=8, ifa_flags=IFA_F_PERMANENT, ifa_scope=RT_SCOPE_HOST") })
        XCTAssertTrue(lines.contains { $0.contains(#"[{nla_len=8, nla_type=IFA_LOCAL}, inet_addr("127.0.0.1")]"#) })
        XCTAssertTrue(lines.contains { $0.contains(#"[{nla_len=7, nla_type=IFLA_IFNAME}, "lo"]"#) && $0.contains("IFLA_STATS64") })
        XCTAssertEqual(lines, normalize(theirs.trace))

        let ss = try KernelTest.cgtrace(options, ["/usr/bin/ss", "-tan"])
        let ssStrace = try KernelTest.strace(options, ["/usr/bin/ss", "-tan"])
        XCTAssertEqual(ss.status, 0, ss.stderr)
        let requests = { (t: [String]) in normalize(t).filter { $0.hasPrefix("sendmsg(") } }
        XCTAssertEqual(requests(ss.trace).count, 2)
        XCTAssertTrue(requests(ss.trace).allSatisfy { $0.contains("nlmsg_type=SOCK_DIAG_BY_FAMILY") && $0.contains("sdiag_protocol=IPPROTO_TCP") })
        XCTAssertEqual(requests(ss.trace), requests(ssStrace.trace))
    }

    /// IFLA_LINKINFO by the link's kind, as strace 6.1 decodes it: a bridge's IFLA_BR_*
    /// (clock_t timers with their seconds, bridge ids, boolean options), a tap's IFLA_TUN_*, a
    /// bridge port's IFLA_BRPORT_* (IFLA_INFO_SLAVE_DATA, and `bridge link`'s IFLA_PROTINFO), in
    /// replies and in a request. The links are made for the test.
    func testLinkKindsMatchStrace() throws {
        let tag = String(getpid() % 100_000)
        let bridge = "cgtb\(tag)", tap = "cgtt\(tag)", port = "cgtv\(tag)", peer = "cgtp\(tag)"
        defer {
            for link in [port, tap, bridge] { _ = try? KernelTest.run(["/usr/bin/ip", "link", "del", link], timeout: 10) }
        }
        for setup in [["link", "add", bridge, "type", "bridge"], ["tuntap", "add", "dev", tap, "mode", "tap"],
                      ["link", "add", port, "type", "veth", "peer", "name", peer], ["link", "set", port, "master", bridge]] {
            let r = try KernelTest.run(["/usr/bin/ip"] + setup, timeout: 10)
            XCTAssertEqual(r.status, 0, "ip \(setup.joined(separator: " ")): \(r.stderr)")
        }
        // Timers and counters move between the two runs; sequence numbers and port ids differ.
        let normalize = { (t: [String]) -> [String] in
            t.map(KernelTest.normalize).filter { $0.hasPrefix("recvmsg(") }.map {
                $0.replacingOccurrences(of: #"\b(nlmsg_seq|nlmsg_pid|tstamp|reachable_time)=-?\d+"#, with: "$1=N", options: .regularExpression)
                  .replacingOccurrences(of: #"(TIMER\}, )\d+( /\* [0-9.]+ s \*/)?"#, with: "$1T", options: .regularExpression)
                  .replacingOccurrences(of: #"\b((?:rx|tx)_[a-z_]+|multicast|collisions)=\d+"#, with: "$1=N", options: .regularExpression)
            }
        }
        let show = { (link: String) in ["/usr/bin/ip", "-d", "link", "show", "dev", link] }
        let cases: [(command: [String], decoded: String)] = [
            (show(bridge), "IFLA_BR_MULTI_BOOLOPT}, {optval="), (show(tap), "IFLA_TUN_TYPE}, IFF_TAP]"),
            (show(port), "IFLA_INFO_SLAVE_DATA}, [[{nla_len=5, nla_type=IFLA_BRPORT_STATE}"),
            // AF_BRIDGE messages carry the port in IFLA_PROTINFO
            (["/usr/sbin/bridge", "link", "show"], "IFLA_PROTINFO}, [[{nla_len=5, nla_type=IFLA_BRPORT_STATE}"),
        ]
        // (A reply past CGT_NETLINK_MAX bytes ends in `...` where strace prints it whole: a dump
        // of every bridge port on a busy host. Compared up to the first link's IFLA_QDISC.)
        let head = { (t: [String]) in normalize(t).map { $0.components(separatedBy: "IFLA_QDISC")[0] } }
        for (command, decoded) in cases {
            let ours = try KernelTest.cgtrace(["-s", "8000", "-e", "trace=recvmsg"], command)
            let theirs = try KernelTest.strace(["-s", "8000", "-e", "trace=recvmsg"], command)
            XCTAssertEqual(ours.status, 0, ours.stderr)
            XCTAssertTrue(normalize(ours.trace).contains { $0.contains(decoded) }, "\(command): \(ours.trace.joined(separator: "\n"))")
            XCTAssertEqual(head(ours.trace), head(theirs.trace), "\(command)")
        }
        // A request: iproute2 sends the kind without a NUL, and strace decodes the data by it.
        let made = "cgtn\(tag)"
        defer { _ = try? KernelTest.run(["/usr/bin/ip", "link", "del", made], timeout: 10) }
        let add = ["/usr/bin/ip", "link", "add", made, "type", "bridge", "stp_state", "1"]
        let ours = try KernelTest.cgtrace(["-s", "8000", "-e", "trace=sendmsg"], add)
        _ = try KernelTest.run(["/usr/bin/ip", "link", "del", made], timeout: 10)
        let theirs = try KernelTest.strace(["-s", "8000", "-e", "trace=sendmsg"], add)
        let requests = { (t: [String]) in t.map(KernelTest.normalize).filter { $0.hasPrefix("sendmsg(") }.map {
            $0.replacingOccurrences(of: #"\b(nlmsg_seq|nlmsg_pid)=-?\d+"#, with: "$1=N", options: .regularExpression)
        } }
        XCTAssertTrue(requests(ours.trace).contains { $0.contains("[{nla_len=8, nla_type=IFLA_BR_STP_STATE}, 1]") },
                      ours.trace.joined(separator: "\n"))
        XCTAssertEqual(requests(ours.trace), requests(theirs.trace))
    }

    /// -y/-yy for what strace learns from /proc and sock_diag: the fd pairs pipe2 and
    /// socketpair return, UNIX sockets' peers and bound names (abstract too), devices with their
    /// numbers, unlinked files.
    func testDecodeFdPairsUnixPeersDevicesAndDeletedFilesMatchStrace() throws {
        let dir = NSTemporaryDirectory() + "cgtrace-yy-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
            import os, socket
            if os.path.exists("\(dir)/s.sock"): os.unlink("\(dir)/s.sock")
            r, w = os.pipe(); u1, u2 = socket.socketpair()
            s = socket.socket(socket.AF_UNIX); s.bind("\(dir)/s.sock"); s.listen(1)
            c = socket.socket(socket.AF_UNIX); c.connect("\(dir)/s.sock"); a, _ = s.accept()
            a.send(b"x"); c.recv(1)
            d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind("\\0cgtrace-test-\(UUID().uuidString.prefix(8))"); d.getsockname()
            n = os.open("/dev/null", os.O_WRONLY); os.write(n, b"y")
            f = os.open("\(dir)/gone", os.O_WRONLY | os.O_CREAT, 0o600); os.unlink("\(dir)/gone"); os.write(f, b"z")
            import select; p = select.poll(); p.register(r, select.POLLIN); p.register(u1, select.POLLOUT); p.poll(0)
            os._exit(0)
            """
        for option in ["-y", "-yy"] {
            let options = [option, "-e", "trace=pipe2,socketpair,sendto,recvfrom,getsockname,write,poll"]
            let (ours, theirs) = try Self.traces(options, ["/usr/bin/python3", "-c", script])
            let calls = { (t: [String]) in
                Self.inodesLabelled(t.filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") && !$0.hasPrefix("write(2") })
            }
            XCTAssertEqual(calls(ours.trace).count, 11, ours.trace.joined(separator: "\n"))
            XCTAssertEqual(calls(ours.trace), calls(theirs.trace), option)
        }
    }

    /// cgtrace's and strace's runs of `command` with `options`; cgtrace's exit status checked.
    static func traces(_ options: [String], _ command: [String], file: StaticString = #filePath,
                       line: UInt = #line) throws -> (ours: KernelTest.Result, theirs: KernelTest.Result) {
        let ours = try KernelTest.cgtrace(options, command)
        let theirs = try KernelTest.strace(options, command)
        XCTAssertEqual(ours.status, 0, ours.stderr, file: file, line: line)
        return (ours, theirs)
    }

    /// Trace lines normalized, their inode numbers (which differ between two runs) replaced by
    /// labels in order of appearance: the pattern stays (which fd is whose peer, which passed fd
    /// is which received one).
    static func inodesLabelled(_ trace: [String]) -> [String] {
        var inodes: [String: String] = [:]
        return trace.map(KernelTest.normalize).map { line in
            var out = line
            for m in line.matches(of: /([\[>])(\d{4,})/).reversed() {
                let n = String(m.output.2)
                let label = inodes[n] ?? "INO\(inodes.count)"
                inodes[n] = label
                out.replaceSubrange(m.output.2.startIndex..<m.output.2.endIndex, with: label)
            }
            return out
        }
    }

    /// -y/-yy on the descriptors SCM_RIGHTS messages pass: the sender's fds at sendmsg's entry,
    /// the receiver's new fds at recvmsg's exit, over two control messages in one sendmsg, and
    /// past the 16 the kernel side resolves (bare, where strace still decorates them: dropped
    /// from the comparison).
    func testPassedDescriptorsMatchStrace() throws {
        let script = """
            import os, socket, struct
            r, w = os.pipe(); n = os.open("/dev/null", os.O_RDONLY); u1, u2 = socket.socketpair()
            u1.sendmsg([b"with-fds"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("ii", r, n))]); u2.recvmsg(10, 64)
            u1.sendmsg([b"two"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", w)),
                                  (socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", u1.fileno()))]); u2.recvmsg(10, 64)
            os._exit(0)
            """
        for option in ["-y", "-yy"] {
            let options = [option, "-e", "trace=sendmsg,recvmsg"]
            let (ours, theirs) = try Self.traces(options, ["/usr/bin/python3", "-c", script])
            let calls = { (t: [String]) in Self.inodesLabelled(t.filter { !$0.hasPrefix("+++") }) }
            XCTAssertEqual(calls(ours.trace).count, 4, ours.trace.joined(separator: "\n"))
            XCTAssertEqual(calls(ours.trace).filter { $0.contains("cmsg_data=[") && $0.contains("</dev/null") }.count, 2,
                           ours.trace.joined(separator: "\n"))
            XCTAssertEqual(calls(ours.trace), calls(theirs.trace), option)
        }
        // More fds than the kernel side resolves: the first 16 decorated, the rest bare.
        let many = """
            import os, socket, struct
            n = os.open("/dev/null", os.O_RDONLY); u1, u2 = socket.socketpair()
            u1.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("20i", *([n] * 20)))])
            os._exit(0)
            """
        let r = try KernelTest.cgtrace(["-y", "-e", "trace=sendmsg"], ["/usr/bin/python3", "-c", many])
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.trace.first { $0.hasPrefix("sendmsg(") } ?? ""
        let data = line.firstMatch(of: /cmsg_data=\[([^\]]*)\]/).map { String($0.output.1) } ?? ""
        let fds = data.components(separatedBy: ", ")
        XCTAssertEqual(fds.count, 20, line)
        XCTAssertEqual(fds.filter { $0.hasSuffix("</dev/null>") }.count, 16, line)
        XCTAssertEqual(Set(fds.suffix(4)).count, 1, line)
        XCTAssertFalse(fds.last?.contains("<") ?? true, line)
    }

    /// -y/-yy on every returned descriptor: dup's, fcntl F_DUPFD's, eventfd's, memfd's (a pseudo
    /// file: `/memfd:x (deleted)`), pidfd_open's (on pidfs since 6.9: `anon_inode:[pidfd]`, -yy `pid:N`).
    func testReturnedDescriptorsMatchStrace() throws {
        let script = """
            import os, fcntl
            n = os.open("/dev/null", os.O_RDONLY); os.dup(n); os.dup2(n, 20); fcntl.fcntl(n, fcntl.F_DUPFD, 30)
            fcntl.fcntl(n, fcntl.F_DUPFD_CLOEXEC, 40); os.eventfd(0); os.memfd_create("x"); os.pidfd_open(os.getpid())
            os._exit(0)
            """
        for option in ["-y", "-yy"] {
            let options = [option, "-e", "trace=openat,dup,dup2,dup3,fcntl,eventfd2,memfd_create,pidfd_open"]
            let (ours, theirs) = try Self.traces(options, ["/usr/bin/python3", "-c", script])
            // From the script's own calls on (the interpreter's start opens many files first).
            let calls = { (t: [String]) in Self.descriptorLines(t) { $0.firstIndex { $0.contains("\"/dev/null\"") } } }
            XCTAssertEqual(calls(ours.trace).count, 8, ours.trace.joined(separator: "\n"))
            XCTAssertEqual(calls(ours.trace), calls(theirs.trace), option)
        }
    }

    /// --syscall-limit (strace 6.3): tracing stops after N calls returned; the command runs on, to
    /// its own exit status, and stderr says tracing stopped (not with -q).
    func testSyscallLimitStopsTracingAndTheCommandRunsOn() throws {
        let command = ["/bin/sh", "-c", "cat /etc/hostname >/dev/null; cat /etc/hostname >/dev/null; exit 3"]
        let r = try KernelTest.cgtrace(["--syscall-limit=7", "-e", "trace=openat,read,close"], command)
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertEqual(r.trace.filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") }.count, 7, r.trace.joined(separator: "\n"))
        XCTAssertTrue(r.stderr.contains("syscall limit (7) reached"), r.stderr)
        let quiet = try KernelTest.cgtrace(["-q", "--syscall-limit=7", "-e", "trace=openat,read,close"], command)
        XCTAssertEqual(quiet.status, 3)
        XCTAssertFalse(quiet.stderr.contains("limit"), quiet.stderr)
    }

    /// -Y (strace 5.15): names beside pids, as strace 6.1 prints them for the same script.
    func testDecodePidsCommMatchesStrace() throws {
        let script = "import os, signal\npid = os.fork()\nif pid == 0:\n    signal.pause()\nos.kill(pid, signal.SIGTERM); os.waitpid(pid, 0); os.getpid()"
        let options = ["-Y", "-e", "trace=kill,getpid"]
        let ours = try KernelTest.cgtrace(options, ["/usr/bin/python3", "-c", script])
        let theirs = try KernelTest.strace(options, ["/usr/bin/python3", "-c", script])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        // strace -f -o prefixes `N<comm> `, cgtrace `[pid N<comm>] ` while several tasks run.
        let calls = { (t: [String]) -> [String] in
            t.map { KernelTest.normalize($0.replacingOccurrences(of: #"^(\[pid +\d+<[^>]*>\] |\d+<[^>]*> +)"#, with: "",
                                                                  options: .regularExpression)) }
                .filter { $0.hasPrefix("kill(") || $0.hasPrefix("getpid(") }
                .map { $0.replacingOccurrences(of: #"\d+<"#, with: "N<", options: .regularExpression) }
        }
        XCTAssertTrue(calls(ours.trace).contains("kill(N<python3>, SIGTERM) = 0"), ours.trace.joined(separator: "\n"))
        XCTAssertEqual(calls(ours.trace), calls(theirs.trace))
    }

    /// poll/ppoll and epoll: arrays in and out, results with revents, timeouts.
    func testPollAndEpollMatchStrace() throws {
        let script = "import select, os\n"
            + "r, w = os.pipe(); os.write(w, b'x')\n"
            + "p = select.poll(); p.register(r, select.POLLIN); p.register(w, select.POLLOUT); p.poll(100)\n"
            + "p2 = select.poll(); p2.register(os.pipe()[0], select.POLLIN); p2.poll(10)\n"
            + "e = select.epoll(); e.register(r, select.EPOLLIN); e.poll(0.1)\n"
        let options = ["-e", "trace=poll,ppoll,epoll_wait,epoll_pwait,epoll_ctl"]
        let ours = try KernelTest.cgtrace(options, ["/usr/bin/python3", "-c", script])
        let theirs = try KernelTest.strace(options, ["/usr/bin/python3", "-c", script])
        // CPython sets only data.fd: the upper half of epoll_data is whatever was on its stack.
        let calls = { (t: [String]) in
            t.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
                .map { $0.replacingOccurrences(of: #"u64=\d+"#, with: "u64=N", options: .regularExpression) }
        }
        XCTAssertEqual(calls(ours.trace).count, 4, ours.trace.joined(separator: "\n"))
        XCTAssertEqual(calls(ours.trace), calls(theirs.trace))
    }

    /// -X raw/verbose, -e raw=, -v: the same lines as strace with the same options.
    func testConstantStylesRawCallsAndVerboseMatchStrace() throws {
        let cmd = ["/bin/cat", "/etc/hostname"]
        for options in [["-X", "raw", "-e", "trace=openat,mmap,fstat,newfstatat"],
                        ["-X", "verbose", "-e", "trace=openat,mmap,fstat,newfstatat"],
                        ["-e", "trace=openat,read,close", "-e", "raw=openat,read"],
                        ["-v", "-e", "trace=execve,newfstatat"]] {
            let ours = try KernelTest.cgtrace(options, cmd)
            let theirs = try KernelTest.strace(options, cmd)
            XCTAssertEqual(ours.status, 0, ours.stderr)
            // Access times move; the `_` variable names the tracer.
            let lines = { (t: [String]) in
                t.map(KernelTest.normalize).map {
                    $0.replacingOccurrences(of: #"st_atime=\d+ /\* [^*]* \*/, st_atime_nsec=\d+"#, with: "ATIME", options: .regularExpression)
                      // fd 1 is the harness's output file: another file (inode, times) for each run
                      .replacingOccurrences(of: #"^(newfstatat\(1, "", )\{.*\}(, AT_EMPTY_PATH\) = 0)$"#, with: "$1{STAT}$2",
                                            options: .regularExpression)
                      .replacingOccurrences(of: #"^(execve\(.*?\], )\[".*\](\) = 0)$"#, with: "$1[ENV]$2", options: .regularExpression)
                }
            }
            XCTAssertGreaterThan(ours.trace.count, 3, "\(options)")
            let (a, b) = (lines(ours.trace), lines(theirs.trace))
            XCTAssertEqual(a.count, b.count, "\(options)")
            if let (x, y) = zip(a, b).first(where: { $0 != $1 }) { XCTFail("\(options): \(x) | \(y)") }
        }
        // -v prints the environment itself rather than `0x… /* N vars */`. (Its first string may
        // be cut at -s before its `=`: which variable comes first depends on who runs the test.)
        let verbose = try KernelTest.cgtrace(["-v", "-e", "trace=execve"], cmd)
        XCTAssertNotNil(verbose.trace.first?.range(of: #"^execve\("/bin/cat", \["/bin/cat", "/etc/hostname"\], \["[A-Za-z0-9_]+(=|"\.\.\.).*\]\) = 0$"#,
                                                   options: .regularExpression), verbose.trace.first ?? "")
        let bad = try KernelTest.run([KernelTest.cgtracePath, "-X", "fancy", "--", "/bin/true"], timeout: 30)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(KernelTest.lines(bad.stderr).first?.hasPrefix("cgtrace: invalid -X argument: 'fancy' (raw, abbrev or verbose)") ?? false, bad.stderr)
    }

    /// Vectored and message I/O, socket options and statfs: the lines strace prints.
    func testVectorMessageAndSocketOptionCallsMatchStrace() throws {
        let script = """
            import os, socket, struct
            r, w = os.pipe()
            os.writev(w, [b"hello", b"\\n", b"x" * 40]); os.readv(r, [bytearray(3), bytearray(100), bytearray(5)])
            a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", 0))
            b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            b.sendmsg([b"ping", b"!"], [], 0, a.getsockname()); a.recvmsg(100)
            u1, u2 = socket.socketpair()
            u1.sendmsg([b"with-fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", r))]); u2.recvmsg(10, 64)
            a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)
            a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 5))
            os.statvfs("/"); os.fstatvfs(r)
            """
        let options = ["-e", "trace=writev,readv,sendmsg,recvmsg,setsockopt,getsockopt,statfs,fstatfs"]
        let ours = try KernelTest.cgtrace(options, ["/usr/bin/python3", "-c", script])
        let theirs = try KernelTest.strace(options, ["/usr/bin/python3", "-c", script])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        // Ports, addresses and free-block counts differ between any two runs.
        let calls = { (t: [String]) in
            t.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
                .map { $0.replacingOccurrences(of: #"htons\(\d+\)"#, with: "htons(P)", options: .regularExpression)
                    .replacingOccurrences(of: #"f_(bfree|bavail|ffree)=\d+"#, with: "f_$1=N", options: .regularExpression) }
        }
        XCTAssertEqual(calls(ours.trace).count, 11, ours.trace.joined(separator: "\n"))
        XCTAssertEqual(calls(ours.trace), calls(theirs.trace))
    }

    /// sendmmsg and recvmmsg: each message's header and data, and at exit what went through
    /// (msg_len); Python has no binding for them, so a small C program makes the calls.
    func testMultipleMessageCallsMatchStrace() throws {
        let source = #"""
            #define _GNU_SOURCE
            #include <string.h>
            #include <sys/socket.h>
            #include <sys/uio.h>
            int main(void)
            {
                int pair[2];
                char words[3][8] = { "one", "three", "five!" }, in[3][16];
                struct iovec out_iov[3], in_iov[3];
                struct mmsghdr out[3], got[3];

                if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair))
                    return 1;
                memset(out, 0, sizeof out);
                memset(got, 0, sizeof got);
                for (int k = 0; k < 3; k++) {
                    out_iov[k].iov_base = words[k];
                    out_iov[k].iov_len = strlen(words[k]);
                    out[k].msg_hdr.msg_iov = &out_iov[k];
                    out[k].msg_hdr.msg_iovlen = 1;
                    in_iov[k].iov_base = in[k];
                    in_iov[k].iov_len = sizeof in[k];
                    got[k].msg_hdr.msg_iov = &in_iov[k];
                    got[k].msg_hdr.msg_iovlen = 1;
                }
                if (sendmmsg(pair[0], out, 3, 0) != 3)
                    return 2;
                /* two of the three messages queued: vlen 2 */
                return recvmmsg(pair[1], got, 2, MSG_DONTWAIT, NULL) == 2 ? 0 : 3;
            }
            """#
        let dir = NSTemporaryDirectory()
        let src = dir + "cgtrace-mmsg-\(UUID().uuidString).c", exe = String(src.dropLast(2))
        try source.write(toFile: src, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: src)
            try? FileManager.default.removeItem(atPath: exe)
        }
        let cc = try KernelTest.run(["/usr/bin/cc", "-O1", "-o", exe, src], timeout: 60)
        XCTAssertEqual(cc.status, 0, "cc failed: \(cc.stderr)")
        let options = ["-e", "trace=sendmmsg,recvmmsg"]
        let ours = try KernelTest.cgtrace(options, [exe])
        let theirs = try KernelTest.strace(options, [exe])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let calls = { (t: [String]) in
            t.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
        }
        XCTAssertEqual(calls(ours.trace).count, 2, ours.trace.joined(separator: "\n"))
        XCTAssertTrue(calls(ours.trace).last?.contains(#"msg_iov=[{iov_base="three", iov_len=16}]"#) ?? false,
                      ours.trace.joined(separator: "\n"))
        XCTAssertEqual(calls(ours.trace), calls(theirs.trace))
    }

    /// select: fd sets in, and the ready ones in the result with the time left.
    func testSelectMatchesStrace() throws {
        let script = "import select, os\n"
            + "r, w = os.pipe(); os.write(w, b'x'); select.select([r], [w], [], 0.5)\n"
            + "select.select([os.pipe()[0]], [], [], 0.01)\n"
        let options = ["-e", "trace=select,pselect6"]
        let ours = try KernelTest.cgtrace(options, ["/usr/bin/python3", "-c", script])
        let theirs = try KernelTest.strace(options, ["/usr/bin/python3", "-c", script])
        // The time left differs between runs.
        let calls = { (t: [String]) in
            t.map(KernelTest.normalize).filter { !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
                .map { $0.replacingOccurrences(of: #"left \{[^}]*\}"#, with: "left T", options: .regularExpression) }
        }
        XCTAssertEqual(calls(ours.trace).count, 2, ours.trace.joined(separator: "\n"))
        XCTAssertEqual(calls(ours.trace), calls(theirs.trace))
    }

    func testStringLimit() throws {
        let r = try KernelTest.cgtrace(["-s", "4"], ["/bin/cat", "/etc/hostname"])
        XCTAssertTrue(r.trace.map(KernelTest.normalize).contains("read(3, \"\\177ELF\"..., 832) = 832"), r.trace.joined(separator: "\n"))
    }
}

private func killLine(_ trace: [String]) -> String? {
    trace.first { $0.hasPrefix("kill(") }.map {
        KernelTest.normalize($0).replacingOccurrences(of: #"kill\(\d+"#, with: "kill(PID", options: .regularExpression)
    }
}

/// `close(4<TCP:[…]>) = 0` → `close(4<TCP:[…]>`.
private func firstDescriptor(_ line: String) -> String? {
    guard let close = line.firstIndex(of: ">"), line.firstIndex(of: "<") != nil else { return nil }
    return String(line[...close])
}
