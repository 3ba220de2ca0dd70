import Foundation
import XCTest

/// --json, the timing options, -c/-C/-S/-w, --thread-summary, --perfetto and -ff on real
/// commands, with strace as the oracle where strace has the option.
final class OutputFormatTests: XCTestCase {
    override func setUpWithError() throws {
        try KernelTest.requireRoot()
    }

    private func temporary(_ suffix: String) -> String {
        NSTemporaryDirectory() + "cgtrace-out-\(UUID().uuidString)\(suffix)"
    }

    private func jsonObjects(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        lines.compactMap { text in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                XCTFail("not a JSON object: \(text)", file: file, line: line)
                return nil
            }
            return obj
        }
    }

    // MARK: --json

    /// -y with --json: what each descriptor refers to is in `fd_paths`, keyed by the value's
    /// path as the text shows it between < and > (a *at() call's AT_FDCWD's directory, a returned
    /// descriptor's as `ret`, a pipe's pair by element); the values stay numbers and names
    /// (AT_FDCWD printed as an array of its name and directory before). Without -y, none.
    func testJSONWithDecodedDescriptorsNamesTheirPaths() throws {
        let cmd = ["/bin/sh", "-c", "cat /etc/hostname; echo x | cat"]
        let r = try KernelTest.cgtrace(["--json", "-f", "-y"], cmd)
        XCTAssertEqual(r.status, 0, r.stderr)
        try KernelTest.assertValidJSON(r.trace)
        let events = jsonObjects(r.trace)
        let paths = { (e: [String: Any]?) in e?["fd_paths"] as? [String: String] }
        let args = { (e: [String: Any]?) in e?["args"] as? [String: Any] }
        let at = try XCTUnwrap(events.firstIndex { ($0["syscall"] as? String) == "openat" && (args($0)?["filename"] as? String) == "/etc/hostname" })
        let open: [String: Any]? = events[at]
        XCTAssertEqual(args(open)?["dfd"] as? String, "AT_FDCWD")
        XCTAssertEqual(paths(open)?["ret"], "/etc/hostname")
        XCTAssertEqual(paths(open)?["dfd"], FileManager.default.currentDirectoryPath)
        let fd = try XCTUnwrap(open?["ret"] as? Int)
        // (cat copies with copy_file_range when its output is a file: its close names the fd)
        let close = events[at...].first { ($0["syscall"] as? String) == "close" && (args($0)?["fd"] as? Int) == fd
            && ($0["pid"] as? Int) == (open?["pid"] as? Int) }
        XCTAssertEqual(paths(close), ["fd": "/etc/hostname"])
        let pipe = events.first { ($0["syscall"] as? String) == "pipe2" || ($0["syscall"] as? String) == "pipe" }
        let ends = try XCTUnwrap(paths(pipe), "\(String(describing: pipe))")
        XCTAssertEqual(ends.count, 2)
        XCTAssertTrue(ends.allSatisfy { $0.key.hasSuffix("[0]") || $0.key.hasSuffix("[1]") }, "\(ends)")
        XCTAssertTrue(ends.values.allSatisfy { $0.hasPrefix("pipe:[") }, "\(ends)")
        // A descriptor returned through a decoded result (fcntl F_DUPFD's) and by dup2.
        let dup2 = events.first { ($0["syscall"] as? String) == "dup2" }
        XCTAssertEqual(paths(dup2)?["ret"]?.hasPrefix("pipe:["), true, "\(String(describing: dup2))")
        let dupfd = try KernelTest.cgtrace(["--json", "-y"], ["/usr/bin/python3", "-c",
            "import os, fcntl; fcntl.fcntl(os.open('/etc/hostname', os.O_RDONLY), fcntl.F_DUPFD, 10)"])
        XCTAssertEqual(dupfd.status, 0, dupfd.stderr)
        let fcntl = jsonObjects(dupfd.trace).last { ($0["syscall"] as? String) == "fcntl" && (args($0)?["cmd"] as? String) == "F_DUPFD" }
        XCTAssertEqual(paths(fcntl), ["fd": "/etc/hostname", "ret": "/etc/hostname"], "\(String(describing: fcntl))")
        // The same calls without -y: no paths, the same values.
        let plain = try KernelTest.cgtrace(["--json", "-f"], cmd)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let plainEvents = jsonObjects(plain.trace)
        XCTAssertFalse(plainEvents.contains { $0["fd_paths"] != nil })
        let plainOpen = plainEvents.first { ($0["syscall"] as? String) == "openat" && (args($0)?["filename"] as? String) == "/etc/hostname" }
        XCTAssertEqual(args(plainOpen)?["dfd"] as? String, "AT_FDCWD")
    }

    func testJSONValidatesAgainstTheSchemaAndJqFindsFailedOpens() throws {
        // A caught signal (a fatal one ends the task before delivery shows).
        let cmd = ["/bin/sh", "-c", "cat /etc/hostname /nonexistent/a; trap : USR1; kill -USR1 $$; exit 4"]
        let r = try KernelTest.cgtrace(["--json", "-f"], cmd)
        XCTAssertEqual(r.status, 4, r.stderr)
        // The schema check is jsonschema's, on this real output.
        try KernelTest.assertValidJSON(r.trace)
        let path = temporary(".jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (r.trace.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        // The README's filter: every failed openat's path, in one obvious jq expression.
        let jq = try KernelTest.run(["/usr/bin/jq", "-r", "select(.syscall==\"openat\" and .errno!=null) | .args.filename", path], timeout: 30)
        XCTAssertEqual(jq.status, 0, jq.stderr)
        XCTAssertTrue(jq.stdout.split(separator: "\n").contains("/nonexistent/a"), jq.stdout)

        let events = jsonObjects(r.trace)
        let failed = events.first { ($0["syscall"] as? String) == "openat" && ($0["errno"] as? String) == "ENOENT"
            && (($0["args"] as? [String: Any])?["filename"] as? String) == "/nonexistent/a" }
        XCTAssertNotNil(failed)
        XCTAssertEqual(failed?["ret"] as? Int, -1)
        XCTAssertEqual(failed?["comm"] as? String, "cat")
        XCTAssertEqual((failed?["args"] as? [String: Any])?["flags"] as? [String], ["O_RDONLY"])
        XCTAssertNotNil(failed?["duration_ns"] as? Int)
        // The typed decoding: execve's argv is an array, envp's count a remark.
        let execve = events.first { ($0["syscall"] as? String) == "execve" }
        // argv as an array; its long third element cut at -s 32, and the cut is said.
        let argv = (execve?["args"] as? [String: Any])?["argv"] as? [String]
        XCTAssertEqual(argv?.prefix(2), ["/bin/sh", "-c"])
        XCTAssertEqual(argv?.last, String(cmd[2].prefix(32)))
        XCTAssertEqual(execve?["truncated"] as? [String], ["argv[2]"])
        XCTAssertEqual((execve?["remarks"] as? [String: String])?["envp"]?.hasSuffix("vars"), true)
        // The signal and the exit are events too.
        let signal = events.first { ($0["type"] as? String) == "signal" && ($0["signal"] as? String) == "SIGUSR1" }
        XCTAssertEqual(signal?["signal"] as? String, "SIGUSR1")
        XCTAssertEqual((signal?["siginfo"] as? [String: Any])?["si_code"] as? String, "SI_USER")
        let exit = events.last { ($0["type"] as? String) == "exit" }
        XCTAssertEqual(exit?["exit_code"] as? Int, 4)
        XCTAssertEqual(exit?["group_dead"] as? Bool, true)
        // Wall-clock stamps are now-ish and never go backwards within a thread.
        let now = Date().timeIntervalSince1970
        var lastByThread: [Int: Double] = [:]
        for e in events where (e["type"] as? String) != "lost" {
            guard let ts = e["ts"] as? Double, let tid = e["tid"] as? Int else { return XCTFail("no ts/tid: \(e)") }
            XCTAssertLessThan(abs(ts - now), 120)
            XCTAssertGreaterThanOrEqual(ts, lastByThread[tid] ?? 0, "\(e)")
            lastByThread[tid] = ts
        }
    }

    // MARK: timing

    func testTimestampFormatsMatchStrace() throws {
        let cmd = ["/bin/cat", "/etc/hostname"]
        let cases: [([String], String)] = [
            (["-t"], #"^\d\d:\d\d:\d\d (openat|read|close|execve|\+\+\+)"#),
            (["-tt"], #"^\d\d:\d\d:\d\d\.\d{6} (openat|read|close|execve|\+\+\+)"#),
            (["-ttt"], #"^\d{10}\.\d{6} (openat|read|close|execve|\+\+\+)"#),
            (["-r"], #"^ {0,5}\d+\.\d{6} (openat|read|close|execve|\+\+\+)"#),
            (["-t", "-r"], #"^\d\d:\d\d:\d\d \(\+ {0,5}\d+\.\d{6}\) (openat|read|close|execve|\+\+\+)"#),
        ]
        for (options, pattern) in cases {
            let ours = try KernelTest.cgtrace(options + ["-e", "trace=openat,read,close,execve"], cmd)
            let theirs = try KernelTest.strace(options + ["-e", "trace=openat,read,close,execve"], cmd)
            XCTAssertFalse(ours.trace.isEmpty)
            for (who, lines) in [("cgtrace", ours.trace), ("strace", theirs.trace)] {
                for l in lines {
                    XCTAssertNotNil(l.range(of: pattern, options: .regularExpression), "\(who) \(options): \(l)")
                }
            }
            // After the stamp, the line is strace's line.
            let strip = { (l: String) in l.replacingOccurrences(of: pattern.replacingOccurrences(of: #" (openat|read|close|execve|\+\+\+)"#, with: " "), with: "", options: .regularExpression) }
            let a = ours.trace.map(strip).filter { $0.hasPrefix("openat(AT_FDCWD, \"/etc/hostname\"") }
            let b = theirs.trace.map(strip).filter { $0.hasPrefix("openat(AT_FDCWD, \"/etc/hostname\"") }
            XCTAssertEqual(a, b, "\(options)")
        }
        // -ttt is the wall clock.
        let r = try KernelTest.cgtrace(["-ttt"], ["/bin/true"])
        let stamp = Double(r.trace.first?.split(separator: " ").first ?? "") ?? 0
        XCTAssertLessThan(abs(stamp - Date().timeIntervalSince1970), 60)
    }

    func testSyscallTimesAfterEachResult() throws {
        let r = try KernelTest.cgtrace(["-T"], ["/bin/sleep", "0.2"])
        let sleep = r.trace.first { $0.hasPrefix("clock_nanosleep(") }
        XCTAssertNotNil(sleep, r.trace.joined(separator: "\n"))
        guard let sleep, let m = sleep.range(of: #" = 0 <(\d+\.\d{6})>$"#, options: .regularExpression) else {
            return XCTFail("no <duration>: \(sleep ?? "")")
        }
        let seconds = Double(sleep[m].split(separator: "<")[1].dropLast()) ?? 0
        XCTAssertGreaterThanOrEqual(seconds, 0.19)
        XCTAssertLessThan(seconds, 2)
        for l in r.trace where l.contains(") ") && !l.hasSuffix("= ?") && !l.hasPrefix("+++") {
            XCTAssertNotNil(l.range(of: #" <\d+\.\d{6}>$"#, options: .regularExpression), l)
        }
        XCTAssertEqual(r.trace.suffix(2).first, "exit_group(0)                           = ?")
    }

    // MARK: summaries

    func testSummaryTableHasStracesLayoutAndCounts() throws {
        let cmd = ["/bin/cat", "/etc/hostname", "/nonexistent/a", "/nonexistent/b"]
        let ours = try KernelTest.cgtrace(["-c"], cmd)
        let theirs = try KernelTest.strace(["-c"], cmd)
        XCTAssertEqual(ours.status, 1)
        let header = "% time     seconds  usecs/call     calls    errors syscall"
        XCTAssertEqual(ours.trace.first, header)
        XCTAssertEqual(theirs.trace.first, header)
        XCTAssertEqual(ours.trace[1], theirs.trace[1], "the rule under the header")
        XCTAssertEqual(ours.trace.last?.hasSuffix(" total"), true)
        XCTAssertFalse(ours.trace.contains { $0.hasPrefix("openat(") }, "-c shows no trace")
        let row = #"^ *\d+\.\d\d +\d+\.\d{6} +\d+ +\d+ +(\d+)? [a-z_0-9]+$"#
        for l in ours.trace.dropFirst(2) where !l.hasPrefix("---") {
            XCTAssertNotNil(l.range(of: row, options: .regularExpression), l)
        }
        // The calls and errors of the deterministic calls are strace's.
        func counts(_ lines: [String], _ name: String) -> [String] {
            guard let l = lines.first(where: { $0.hasSuffix(" " + name) }) else { return [] }
            let f = l.split(separator: " ")
            return f.count == 6 ? [String(f[3]), String(f[4])] : [String(f[3])]
        }
        for name in ["openat", "read", "execve", "write"] {
            XCTAssertEqual(counts(ours.trace, name), counts(theirs.trace, name), name)
        }
        XCTAssertGreaterThanOrEqual(Int(counts(ours.trace, "openat").last ?? "") ?? 0, 2, "the two failed opens")
        // The totals add up.
        let rows = ours.trace.dropFirst(2).prefix { !$0.hasPrefix("---") }
        let calls = rows.compactMap { Int($0.split(separator: " ")[3]) }.reduce(0, +)
        XCTAssertEqual(ours.trace.last.flatMap { Int($0.split(separator: " ")[3]) }, calls)
        XCTAssertEqual(ours.trace.last?.hasPrefix("100.00 "), true)
    }

    func testSummaryWithTraceAndSortOrders() throws {
        let cmd = ["/bin/cat", "/etc/hostname"]
        let both = try KernelTest.cgtrace(["-C", "-w", "-S", "calls"], cmd)
        guard let headerAt = both.trace.firstIndex(of: "% time     seconds  usecs/call     calls    errors syscall") else {
            return XCTFail("no table: \(both.trace)")
        }
        XCTAssertTrue(both.trace[..<headerAt].contains { $0.hasPrefix("openat(AT_FDCWD, \"/etc/hostname\"") })
        XCTAssertEqual(both.trace[headerAt - 1], "+++ exited with 0 +++", "the table follows the trace")
        let rows = both.trace[(headerAt + 2)...].prefix { !$0.hasPrefix("---") }
        let calls = rows.map { Int($0.split(separator: " ")[3]) ?? 0 }
        XCTAssertEqual(calls, calls.sorted(by: >), "-S calls: most calls first")
        let byName = try KernelTest.cgtrace(["-c", "-S", "name"], cmd)
        let names = byName.trace.dropFirst(2).prefix { !$0.hasPrefix("---") }.map { String($0.split(separator: " ").last!) }
        XCTAssertEqual(names, names.sorted())
        XCTAssertGreaterThan(names.count, 5)
        let bad = try KernelTest.run([KernelTest.cgtracePath, "-c", "-S", "bogus", "true"], timeout: 30)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("invalid sortby: 'bogus'"), bad.stderr)
    }

    func testThreadSummaryHasLatencyHistograms() throws {
        let r = try KernelTest.cgtrace(["-c", "--thread-summary"], ["/bin/sleep", "0.05"])
        let text = r.trace.joined(separator: "\n")
        guard let head = r.trace.firstIndex(where: { $0.hasPrefix(" sleep ") && $0.contains(" calls, ") }) else {
            return XCTFail("no thread heading: \(text)")
        }
        XCTAssertNotNil(r.trace[head].range(of: #"^ sleep (\d+)/\1: \d+ calls, \d+ errors, \d+\.\d{3} ms in syscalls$"#, options: .regularExpression), r.trace[head])
        let row = r.trace.first { $0.hasPrefix("   clock_nanosleep ") }
        XCTAssertNotNil(row, text)
        // 50 ms lands in the 33ms … 67ms bucket (2^25 ns … 2^26 ns).
        guard let hist = r.trace.firstIndex(of: "   clock_nanosleep:") else { return XCTFail(text) }
        XCTAssertEqual(r.trace[hist + 1].trimmingCharacters(in: .whitespaces).hasPrefix("33ms … 67ms"), true, r.trace[hist + 1])
    }

    // MARK: --perfetto

    func testPerfettoTimelineIsWellFormed() throws {
        let path = temporary(".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cmd = ["/bin/sh", "-c", "/bin/cat /etc/hostname & wait; trap : USR1; kill -USR1 $$; exit 0"]
        let r = try KernelTest.cgtrace(["--perfetto", path], cmd)
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let events = root["traceEvents"] as? [[String: Any]] else { return XCTFail("not a trace") }
        var names: [Int: String] = [:]
        var lastEnd: [Int: Double] = [:]
        var slices = 0
        for e in events {
            let ph = e["ph"] as? String
            guard let pid = e["pid"] as? Int, let tid = e["tid"] as? Int else { return XCTFail("no pid/tid: \(e)") }
            switch ph {
            case "M":
                if e["name"] as? String == "thread_name" { names[tid] = (e["args"] as? [String: Any])?["name"] as? String }
            case "X":
                // Every slice closed (a duration), named, after its track's previous one.
                guard let ts = e["ts"] as? Double, let dur = e["dur"] as? Double else { return XCTFail("open slice: \(e)") }
                XCTAssertGreaterThanOrEqual(dur, 0)
                XCTAssertGreaterThanOrEqual(ts, lastEnd[tid] ?? 0, "slices overlap or go back on \(tid): \(e)")
                lastEnd[tid] = ts + dur
                XCTAssertNotNil(names[tid], "track \(tid) named before its first slice")
                XCTAssertNotNil(names[tid]?.range(of: "^\\S+ \(pid)/\(tid)$", options: .regularExpression), names[tid] ?? "")
                XCTAssertNotNil((e["args"] as? [String: Any])?["args"])
                slices += 1
            case "i":
                XCTAssertNotNil(e["ts"] as? Double)
            default:
                XCTFail("unexpected phase: \(e)")
            }
        }
        XCTAssertGreaterThan(slices, 50)
        XCTAssertTrue(names.values.contains { $0.hasPrefix("cat ") }, "\(names)")
        XCTAssertGreaterThanOrEqual(Set(names.keys).count, 2, "shell and cat have tracks")
        XCTAssertTrue(events.contains { $0["ph"] as? String == "i" && $0["name"] as? String == "SIGUSR1" })
        let open = events.first { $0["name"] as? String == "openat"
            && ((($0["args"] as? [String: Any])?["args"] as? [String: Any])?["filename"] as? String) == "/etc/hostname" }
        XCTAssertEqual((open?["args"] as? [String: Any])?["ret"] as? Int, 3)
    }

    // MARK: -ff

    func testFollowForksSplitsOneFilePerThread() throws {
        let prefix = temporary("")
        // `exit 0` last, so the shell forks for true instead of becoming it.
        let cmd = ["/bin/sh", "-c", "/bin/cat /etc/hostname; /bin/true; exit 0"]
        let r = try KernelTest.run([KernelTest.cgtracePath, "-ff", "-o", prefix, "--"] + cmd, timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        let dir = (prefix as NSString).deletingLastPathComponent
        let base = (prefix as NSString).lastPathComponent
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(base + ".") }
        defer { for f in files { try? FileManager.default.removeItem(atPath: dir + "/" + f) } }
        XCTAssertFalse(FileManager.default.fileExists(atPath: prefix), "-ff writes no PREFIX file itself")
        XCTAssertEqual(files.count, 3, "sh, cat, true: \(files)")
        var sawCat = false
        for f in files {
            let tid = f.dropFirst(base.count + 1)
            XCTAssertNotNil(Int(tid), f)
            let lines = KernelTest.lines(try String(contentsOfFile: dir + "/" + f, encoding: .utf8))
            XCTAssertFalse(lines.contains { $0.hasPrefix("[pid") || $0.contains("unfinished") || $0.contains("resumed") }, f)
            XCTAssertEqual(lines.last?.hasPrefix("+++ exited with 0 +++"), true, "\(f): \(lines.last ?? "")")
            if lines.contains("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3") {
                sawCat = true
                XCTAssertTrue(lines.contains { $0.hasPrefix("execve(\"/bin/cat\", [\"/bin/cat\", \"/etc/hostname\"]") }, f)
            }
        }
        XCTAssertTrue(sawCat)

        let bad = try KernelTest.run([KernelTest.cgtracePath, "-ff", "-o", "/nonexistent/dir/p", "/bin/true"], timeout: 30)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "cgtrace: can't create '/nonexistent/dir/p.PID' files: /nonexistent/dir: No such file or directory\n")
    }
}
