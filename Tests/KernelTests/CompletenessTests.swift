import Foundation
@testable import Tracer
import XCTest

/// A trace is whole, or says where it is not: gap markers when the ring buffer overflows
/// (--drop), and lossless mode's back-pressure through the cgroup freezer.
final class CompletenessTests: XCTestCase {
    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    private static let lostCount = try! NSRegularExpression(pattern: #"cgtrace: (\d+) events lost"#)
    private static let marker = try! NSRegularExpression(pattern: #"^!!! lost (\d+) events? here \(ring buffer full on CPU \d+"#)

    private func firstInt(_ re: NSRegularExpression, in text: String) -> Int? {
        guard let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let r = Range(m.range(at: 1), in: text) else { return nil }
        return Int(text[r])
    }

    /// A 1 MiB ring and a storm: the kernel drops records (the debug build's consumer is far
    /// slower than dd), and each hole is a marked line where it happened whose counts add up to
    /// the total on stderr; the calls it cut in two say which half is missing.
    func testDroppedRecordsAreMarkedWhereTheyHappen() throws {
        let r = try KernelTest.cgtrace(["--drop", "--buffer-size", "1M"],
                                       ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=200000"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let total = try XCTUnwrap(firstInt(Self.lostCount, in: r.stderr), "no loss reported: \(r.stderr)")
        XCTAssertGreaterThan(total, 0)
        var marked = 0
        for (i, line) in r.trace.enumerated() {
            if let n = firstInt(Self.marker, in: line) { marked += n }
            // A half call stands right after the marker of its hole.
            if line.contains("<exit lost>") || line.contains("<entry lost>") {
                let before = r.trace[max(0, i - 3)..<i]
                XCTAssertTrue(before.contains { $0.hasPrefix("!!! lost ") }, "no marker before line \(i): \(line)")
            }
        }
        XCTAssertEqual(marked, total, "the markers' counts add up to what the kernel dropped")
        // One hole per overflow: once full, the ring takes records again only when half of it
        // (512 KiB here, thousands of dd's lines) is free, so whole stretches lie between holes
        // (resuming at the first free byte put a marker between every two or three lines).
        let markerLines = r.trace.indices.filter { r.trace[$0].hasPrefix("!!! lost ") }
        for (a, b) in zip(markerLines, markerLines.dropFirst()) {
            XCTAssertGreaterThan(b - a, 1000, "holes at lines \(a) and \(b) with only \(b - a - 1) lines between")
        }
        // (Whether a hole cuts a call depends on the half it starts and ends at: a few holes
        // may cut none. CallPairingTests cover the cut calls record by record.)
        // Never paired with the wrong half: every whole read line is dd's read of one byte.
        for line in r.trace where line.hasPrefix("read(0, ") && !line.hasSuffix("<unfinished ...>") {
            XCTAssertTrue(line.hasPrefix("read(0, \"\\0\", 1)") && line.hasSuffix("= 1"), line)
        }
    }

    /// The same in JSON: `gap` events, valid against the schema, adding up to the final `lost`.
    func testDroppedRecordsAreGapEventsInJSON() throws {
        let r = try KernelTest.cgtrace(["--json", "--drop", "--buffer-size", "1M"],
                                       ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let events = r.trace.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(events.count, r.trace.count, "every line is a JSON object")
        let gaps = events.filter { $0["type"] as? String == "gap" }
        XCTAssertFalse(gaps.isEmpty, r.stderr)
        let final = try XCTUnwrap(events.last { $0["type"] as? String == "lost" })
        XCTAssertEqual(gaps.reduce(0) { $0 + ($1["records"] as? Int ?? 0) }, final["records"] as? Int)
        // A call cut by a hole says which half is missing, and is never a read of anything but
        // dd's one byte.
        var wholeReads = 0
        for call in events where call["type"] as? String == "syscall" && call["syscall"] as? String == "read" {
            // (Cut calls, including one whose exit fell in the hole at the very end: `exit_lost`.)
            if call["state"] as? String != "returned" || call["enter_lost"] as? Bool == true { continue }
            guard (call["args"] as? [String: Any])?["fd"] as? Int == 0 else { continue }  // the loader's
            XCTAssertEqual(call["ret"] as? Int, 1, "\(call)")
            wholeReads += 1
        }
        XCTAssertGreaterThan(wholeReads, 1000)

        try KernelTest.assertValidJSON(r.trace)
    }

    /// Lossless mode (the default for a command) on the same storm and the same tiny ring: the
    /// cgroup is frozen while cgtrace catches up, nothing is lost, every one of dd's reads is there.
    func testLosslessStormKeepsEveryCall() throws {
        let count = 150_000
        let r = try KernelTest.cgtrace(["--stats", "--buffer-size", "1M"],
                                       ["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=\(count)"], timeout: 180)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(count)+0 records in"), r.stderr)
        XCTAssertFalse(r.stderr.contains("events lost"), r.stderr)
        XCTAssertTrue(r.stderr.contains(" lost=0 "), r.stderr)
        XCTAssertFalse(r.trace.contains { $0.hasPrefix("!!!") || $0.contains("lost>") })
        XCTAssertEqual(r.trace.filter { $0.hasPrefix("read(0, \"\\0\", 1)") && $0.hasSuffix("= 1") }.count, count)
        // It did freeze (this is the mechanism under test, not a fast consumer).
        let freezes = r.stderr.split(separator: " ").first { $0.hasPrefix("freezes=") }.flatMap { Int($0.dropFirst(8)) }
        XCTAssertGreaterThan(freezes ?? 0, 0, r.stderr)
    }

    /// Lossless with 16 threads storming a small ring: each thaw wakes them all at once, and they
    /// take the CPU of the consumer that thawed them. The freezer's lock inherits priority, so the
    /// real-time thread that must freeze again never waits behind that consumer (without it, an
    /// 8 MiB ring lost 7 k–175 k records a run here, a 1 MiB one more).
    func testLosslessManyThreadsKeepEveryCall() throws {
        let dir = NSTemporaryDirectory() + "cgtrace-storm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let threads = 16, pairs = 4000
        try """
        #include <fcntl.h>
        #include <pthread.h>
        #include <unistd.h>
        static void *work(void *a) {
            int in = open("/dev/zero", O_RDONLY), out = open("/dev/null", O_WRONLY);
            char c;
            for (int i = 0; i < \(pairs); i++) { read(in, &c, 1); write(out, &c, 1); }
            return a;
        }
        int main(void) {
            pthread_t t[\(threads)];
            for (int i = 0; i < \(threads); i++) pthread_create(&t[i], 0, work, 0);
            for (int i = 0; i < \(threads); i++) pthread_join(t[i], 0);
            return 0;
        }
        """.write(toFile: dir + "/storm.c", atomically: true, encoding: .utf8)
        let cc = try KernelTest.run(["/usr/bin/gcc", "-O2", "-pthread", "-o", dir + "/storm", dir + "/storm.c"], timeout: 60)
        XCTAssertEqual(cc.status, 0, cc.stderr)
        let r = try KernelTest.cgtrace(["--stats", "--buffer-size", "1M", "-e", "trace=read,write"], [dir + "/storm"], timeout: 180)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains(" lost=0 "), r.stderr)
        XCTAssertFalse(r.stderr.contains("events lost"), r.stderr)
        XCTAssertFalse(r.trace.contains { $0.hasPrefix("!!!") || $0.contains("lost>") })
        // Every read of one byte is there, whole or in two halves.
        let reads = r.trace.filter { $0.hasSuffix("= 1") && ($0.contains("read(") || $0.contains("<... read resumed>")) }
        XCTAssertEqual(reads.count, threads * pairs)
        let freezes = r.stderr.split(separator: " ").first { $0.hasPrefix("freezes=") }.flatMap { Int($0.dropFirst(8)) }
        XCTAssertGreaterThan(freezes ?? 0, 0, r.stderr)
    }

    /// The ring's size follows the mode: 4 MiB per CPU (8–64 MiB) when the cgroup is frozen
    /// instead of records dropped (what a freeze lets through grows with the CPUs writing),
    /// 64 MiB for bursts when records may drop; --buffer-size sets either. Each is the one made
    /// on a thread of its own while start-up goes on (not made twice).
    func testTheRingIsSizedByModeAndMadeEarly() throws {
        let perCPU = [1: 8, 2: 8, 3: 16, 4: 16, 5: 32, 8: 32, 9: 64, 16: 64, 64: 64, 256: 64]
        for (cpus, mib) in perCPU {
            XCTAssertEqual(TraceOptions.defaultRingBytes(lossless: true, cpus: cpus), UInt32(mib) << 20, "\(cpus) CPUs")
            XCTAssertEqual(TraceOptions.defaultRingBytes(lossless: false, cpus: cpus), 64 << 20, "\(cpus) CPUs")
        }
        let here = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let lossless = "\(TraceOptions.defaultRingBytes(lossless: true, cpus: here) >> 20) MiB"
        for (options, line) in [([], lossless), (["--drop"], "64 MiB"), (["--buffer-size", "2M"], "2 MiB"),
                                (["--drop", "--buffer-size", "4M"], "4 MiB")] {
            let r = try KernelTest.cgtrace(["--debug"] + options, ["/bin/true"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("cgtrace: ring buffer: \(line), made early\n"), "\(options): \(r.stderr)")
        }
    }

    /// The traced programs cannot tell: no signal arrives, `wait` reports no stop, and the calls
    /// the freezer interrupts (a parent in wait4, a sleeper in clock_nanosleep) are neither cut
    /// short for them nor shown twice in the trace.
    func testFrozenProgramsSeeNoSignalNoStopAndOneLinePerCall() throws {
        let program = """
        import os, signal, time
        seen = []
        for s in range(1, 32):
            if s in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD): continue
            try: signal.signal(s, lambda n, f: seen.append(n))
            except (OSError, ValueError): pass
        sleeper = os.fork()
        if sleeper == 0:
            time.sleep(1.5)
            os._exit(len(seen))
        worker = os.fork()
        if worker == 0:
            fd = os.open('/dev/zero', os.O_RDONLY)
            for _ in range(100000): os.read(fd, 1)
            os._exit(len(seen))
        stops = 0
        codes = []
        while len(codes) < 2:
            pid, status = os.waitpid(-1, os.WUNTRACED | os.WCONTINUED)
            if os.WIFSTOPPED(status) or os.WIFCONTINUED(status): stops += 1
            elif os.WIFEXITED(status): codes.append(os.WEXITSTATUS(status))
        print(f"signals={len(seen)} stops={stops} children={sum(codes)}", flush=True)
        """
        let r = try KernelTest.cgtrace(["--stats", "--buffer-size", "1M", "-f"], ["/usr/bin/python3", "-c", program], timeout: 180)
        XCTAssertEqual(r.status, 0, r.stderr)
        // (SIGCHLD comes as it would untraced; nothing else does.)
        XCTAssertEqual(r.stdout, "signals=0 stops=0 children=0\n", r.stderr)
        let freezes = r.stderr.split(separator: " ").first { $0.hasPrefix("freezes=") }.flatMap { Int($0.dropFirst(8)) }
        XCTAssertGreaterThan(freezes ?? 0, 0, r.stderr)
        XCTAssertFalse(r.trace.contains { $0.contains("ERESTART") || $0.contains("restart_syscall") },
                       r.trace.filter { $0.contains("ERESTART") || $0.contains("restart_syscall") }.joined(separator: "\n"))
        // python sleeps until a deadline: clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, …).
        // One call, returning 0: whole, or (other processes' lines came between) unfinished
        // and resumed once.
        let sleeps = r.trace.filter { $0.contains("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME") }
        XCTAssertEqual(sleeps.count, 1, sleeps.joined(separator: "\n"))
        let resumed = r.trace.filter { $0.contains("<... clock_nanosleep resumed>") }
        if sleeps.first?.hasSuffix("<unfinished ...>") == true {
            XCTAssertEqual(resumed.count, 1, resumed.joined(separator: "\n"))
            XCTAssertTrue(resumed.first?.hasSuffix("= 0") ?? false, resumed.first ?? "")
        } else {
            XCTAssertTrue(resumed.isEmpty, resumed.joined(separator: "\n"))
            XCTAssertTrue(sleeps.first?.hasSuffix("= 0") ?? false, sleeps.first ?? "")
        }
    }

    /// cgtrace killed with SIGKILL while the cgroup is frozen: its watchdog thaws it at once.
    func testKillNineWhileFrozenLeavesTheCgroupThawed() throws {
        let mount = try XCTUnwrap(KernelTest.cgroupMount)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        p.arguments = ["-o", "/dev/null", "--buffer-size", "1M", "--", "/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1"]
        p.standardError = FileHandle.nullDevice
        try p.run()
        let cgroup = "\(mount)/cgtrace/run-\(p.processIdentifier)-0"
        defer {
            // What the killed cgtrace could not clean up: its command and its cgroup.
            try? "1".write(toFile: cgroup + "/cgroup.kill", atomically: false, encoding: .utf8)
            for _ in 0..<200 where rmdir(cgroup) != 0 { usleep(10_000) }
        }
        func read(_ file: String) -> String { (try? String(contentsOfFile: "\(cgroup)/\(file)", encoding: .utf8)) ?? "" }
        var frozen = false
        let deadline = Date().addingTimeInterval(30)
        while !frozen && Date() < deadline && p.isRunning {
            frozen = read("cgroup.freeze").hasPrefix("1")
            if !frozen { usleep(500) }
        }
        XCTAssertTrue(frozen, "the storm never froze the cgroup")
        kill(p.processIdentifier, SIGKILL)
        // Reaped here: Foundation's waitUntilExit never returned for it (a zombie, on this host).
        var status: Int32 = 0
        _ = waitpid(p.processIdentifier, &status, 0)
        let killedAt = Date()
        while read("cgroup.events").contains("frozen 1") && Date().timeIntervalSince(killedAt) < 1 { usleep(1000) }
        XCTAssertEqual(read("cgroup.freeze"), "0\n")
        XCTAssertTrue(read("cgroup.events").contains("frozen 0"), read("cgroup.events"))
    }

    /// A thread's state rides on its CPU while it runs there (probes/threads.bpf.h) and goes back
    /// to its task storage when it leaves. A thread that changes CPUs in the middle of its calls
    /// keeps every call whole: one that waits while it is moved to the other CPU, and calls that
    /// move it themselves (sched_setaffinity to another CPU leaves in the call, and returns there).
    func testCallsThatChangeCPUsStayWhole() throws {
        let dir = NSTemporaryDirectory() + "cgtrace-moves-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let moves = 2000
        XCTAssertGreaterThanOrEqual(ProcessInfo.processInfo.activeProcessorCount, 2, "moving between CPUs needs two")
        try """
        #define _GNU_SOURCE
        #include <fcntl.h>
        #include <pthread.h>
        #include <sched.h>
        #include <sys/syscall.h>
        #include <unistd.h>
        static int p[2], cpus;
        static volatile int worker;
        static void pin(int tid, int cpu) {
            cpu_set_t s;
            CPU_ZERO(&s);
            CPU_SET(cpu, &s);
            if (sched_setaffinity(tid, sizeof s, &s)) _exit(3);
        }
        static void *work(void *a) {
            int zero = open("/dev/zero", O_RDONLY);
            char c;
            pin(0, 0);
            worker = syscall(SYS_gettid);
            if (read(p[0], &c, 1) != 1) _exit(4);
            for (int i = 1; i <= \(moves); i++) {
                pin(0, i % cpus);
                if (read(zero, &c, 1) != 1) _exit(5);
            }
            return a;
        }
        int main(void) {
            pthread_t t;
            cpus = sysconf(_SC_NPROCESSORS_ONLN);
            if (cpus < 2 || pipe(p)) return 2;
            pthread_create(&t, 0, work, 0);
            while (!worker) usleep(1000);
            usleep(50000);
            pin(worker, 1);
            if (write(p[1], "x", 1) != 1) return 6;
            pthread_join(t, 0);
            return 0;
        }
        """.write(toFile: dir + "/moves.c", atomically: true, encoding: .utf8)
        let cc = try KernelTest.run(["/usr/bin/gcc", "-O2", "-pthread", "-o", dir + "/moves", dir + "/moves.c"], timeout: 60)
        XCTAssertEqual(cc.status, 0, cc.stderr)
        let r = try KernelTest.cgtrace([], [dir + "/moves"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        // (fds: the pipe's 3 and 4, then the worker's /dev/zero 5)
        let worker = try XCTUnwrap(r.trace.first { $0.hasPrefix("[pid ") && $0.contains("] read(3, ") }
            .map { $0.dropFirst(5).prefix { $0 != "]" } }, "the worker's pipe read is not in the trace")
        // (its lines without their prefix and the padding before the result)
        let own = r.trace.filter { $0.hasPrefix("[pid \(worker)] ") }.map {
            $0.dropFirst("[pid \(worker)] ".count).replacingOccurrences(of: #"\)\s+= "#, with: ") = ", options: .regularExpression)
        }
        // The read it waited in, moved meanwhile: one call that returns the byte.
        let pipeRead = own.filter { $0.hasPrefix("read(3, ") || $0.hasPrefix("<... read resumed>") }
        XCTAssertTrue(pipeRead == ["read(3, \"x\", 1) = 1"]
                      || pipeRead == ["read(3,  <unfinished ...>", "<... read resumed>\"x\", 1) = 1"], "\(pipeRead)")
        // Each move, then each read on the CPU it moved to, in order: no call lost, none doubled,
        // none paired with another's half.
        var calls: [String] = []
        var unfinished: String?
        for line in own {
            if line.hasSuffix(" <unfinished ...>") {
                XCTAssertNil(unfinished, "two calls in flight: \(line)")
                unfinished = String(line.prefix { $0 != "(" })
            } else if line.hasPrefix("<... ") {
                let name = line.dropFirst(5).prefix { $0 != " " }
                XCTAssertEqual(unfinished, String(name), "\(line)")
                unfinished = nil
                calls.append(line.hasSuffix("= 0") ? "\(name)=0" : line.hasSuffix("= 1") ? "\(name)=1" : String(line))
            } else if let name = line.split(separator: "(").first {
                calls.append(line.hasSuffix("= 0") ? "\(name)=0" : line.hasSuffix("= 1") ? "\(name)=1" : String(line))
            }
        }
        let loop = calls.drop { $0 != "read=1" }.dropFirst()  // after the pipe read
        let expected = Array(repeating: ["sched_setaffinity=0", "read=1"], count: moves).flatMap { $0 }
        XCTAssertEqual(Array(loop.prefix(expected.count)), expected)
        XCTAssertEqual(own.filter { $0.hasPrefix("read(5, \"\\0\", 1) = 1") || $0.hasPrefix("<... read resumed>\"\\0\", 1) = 1") }.count,
                       moves)
    }

    /// What lossless mode refuses: -p (its cgroup holds untraced processes), a cgroup that holds
    /// cgtrace itself, --no-descendants; and both modes at once.
    func testLosslessRefusalsAreOneLine() throws {
        let pid = try KernelTest.run([KernelTest.cgtracePath, "--lossless", "-p", "1"], timeout: 30)
        XCTAssertEqual(pid.status, 2)
        XCTAssertTrue(pid.stderr.hasPrefix("cgtrace: --lossless needs cgroup targets"), pid.stderr)
        let mount = try XCTUnwrap(KernelTest.cgroupMount)
        let root = try KernelTest.run([KernelTest.cgtracePath, "--lossless", "--cgroup", mount], timeout: 30)
        XCTAssertEqual(root.status, 2)
        XCTAssertTrue(root.stderr.contains("holds cgtrace itself"), root.stderr)
        let both = try KernelTest.run([KernelTest.cgtracePath, "--lossless", "--drop", "--", "true"], timeout: 30)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("contradict"), both.stderr)
        for r in [pid, root, both] { XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr) }
    }
}
