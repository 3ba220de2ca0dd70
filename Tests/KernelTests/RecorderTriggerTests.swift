import Foundation
import XCTest

/// Flight-recorder triggers against the real kernel: the incident and the calls before it stay
/// in the recording however much the cgroup does afterwards, with no cgtrace process running.
final class RecorderTriggerTests: RecorderTestCase {
    /// `command` in `cgroup`, on CPU 0; returns its exit status.
    @discardableResult
    private func runIn(_ cgroup: String, _ command: String) throws -> Int32 {
        let r = try KernelTest.run(["/usr/bin/taskset", "-c", "0", "/bin/sh", "-c",
                                    "echo $$ > \(cgroup)/cgroup.procs && \(command)"], timeout: 60)
        return r.status
    }

    /// 20 000 more calls in the cgroup, long after the incident (more than the whole buffer).
    private let moreActivity = "/bin/dd if=/dev/zero of=/dev/null bs=1 count=10000 status=none"

    private func dump(_ name: String, _ options: [String] = []) throws -> [String] {
        let r = try cli(["dump", name] + options)
        XCTAssertEqual(r.status, 0, r.stderr)
        return KernelTest.lines(r.stdout)
    }

    private func listRow(_ name: String) throws -> [String] {
        let list = try cli(["list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = KernelTest.lines(list.stdout)
        guard let i = lines.firstIndex(where: { $0.hasPrefix(name + " ") }) else { return [] }
        return Array(lines[i...].prefix(2))
    }

    func testSegfaultAfterTenThousandCallsStaysWithTheCallsBeforeIt() throws {
        let cgroup = try newCgroup()
        let name = newName()
        let rec = try cli(["record", name, "--cgroup", cgroup, "--trigger", "signal=SIGSEGV,SIGABRT"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        let armed = try listRow(name)
        XCTAssertTrue(armed.first?.contains(" armed ") ?? false, armed.joined(separator: "\n"))
        // A real segmentation fault: python3 reads address 0 after 10 000 getppid calls.
        let status = try runIn(cgroup, "exec python3 -c 'import os, ctypes\nfor _ in range(10000): os.getppid()\nctypes.string_at(0)'")
        XCTAssertTrue(status == 11 || status == 128 + 11, "python3 was killed by SIGSEGV: \(status)")
        XCTAssertEqual(try runIn(cgroup, moreActivity), 0)

        let row = try listRow(name)
        XCTAssertTrue(row.first?.contains(" triggered ") ?? false, row.joined(separator: "\n"))
        XCTAssertTrue(row.count == 2 && row[1].contains("SIGSEGV delivered to pid "), row.joined(separator: "\n"))

        let lines = try dump(name)
        let text = lines.joined(separator: "\n")
        guard let segv = lines.firstIndex(where: { $0.hasPrefix("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---") }) else {
            return XCTFail("no SIGSEGV in the dump:\n" + text.suffix(3000))
        }
        XCTAssertEqual(lines[segv + 1], "--- cgtrace: ^ the trigger ---")
        XCTAssertTrue(lines.contains { $0.hasPrefix("--- cgtrace: triggered at ") && $0.contains("SIGSEGV delivered to pid") }, text.prefix(2000) + "")
        // The calls just before it: python's getppid loop, kept although dd made 20 000 calls since.
        let before = lines[..<segv].filter { $0.hasPrefix("getppid()") }
        XCTAssertGreaterThan(before.count, 1000, text.prefix(3000) + "")
        XCTAssertTrue(lines[segv...].contains("+++ killed by SIGSEGV (core dumped) +++") || lines[segv...].contains("+++ killed by SIGSEGV +++"),
                      lines[segv...].prefix(10).joined(separator: "\n"))
        // After the trigger only the default quarter of a CPU's 4096 slots was kept.
        let dd = lines.filter { $0.hasPrefix("read(0, ") || $0.hasPrefix("write(1, ") }
        XCTAssertLessThan(dd.count, 1024, "dd's calls after the stop are not recorded")
    }

    func testNonzeroExitKeepsTheProcessesLastCalls() throws {
        let cgroup = try newCgroup()
        let name = newName()
        XCTAssertEqual(try cli(["record", name, "--cgroup", cgroup, "--trigger", "exit=nonzero", "--after", "50"]).status, 0)
        // A zero exit fires nothing; then a subshell exits with 3; then more activity.
        XCTAssertEqual(try runIn(cgroup, "/bin/true && (/bin/cat /etc/hostname > /dev/null; exit 3); \(moreActivity)"), 0)
        let lines = try dump(name).map(KernelTest.normalize)
        let text = lines.joined(separator: "\n")
        guard let exit = lines.firstIndex(of: "+++ exited with 3 +++") else { return XCTFail(String(text.suffix(3000))) }
        XCTAssertEqual(lines[exit + 1], "--- cgtrace: ^ the trigger ---")
        XCTAssertTrue(lines[..<exit].contains { $0.hasPrefix(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY"#) }, String(text.prefix(4000)))
        XCTAssertTrue(lines[0].contains("exited with 3") && lines[0].contains("kept 50 events after it, then stopped"), lines[0])
        // 50 records after the trigger: a few of dd's.
        XCTAssertLessThanOrEqual(lines[(exit + 2)...].count, 50, text)
    }

    func testErrnoOfOneSyscallAndRearm() throws {
        let cgroup = try newCgroup()
        let name = newName()
        XCTAssertEqual(try cli(["record", name, "--cgroup", cgroup, "--trigger", "errno=ENOSPC syscall=write", "--after", "10"]).status, 0)
        // openat failing with ENOENT is no trigger; write to /dev/full failing with ENOSPC is.
        let status = try runIn(cgroup, "/bin/cat /nonexistent 2>/dev/null; /bin/dd if=/dev/zero of=/dev/null bs=1 count=3000 status=none; /bin/dd if=/dev/zero of=/dev/full bs=1 count=1 status=none 2>/dev/null; \(moreActivity)")
        XCTAssertEqual(status, 0)
        let lines = try dump(name).map(KernelTest.normalize)
        let text = lines.joined(separator: "\n")
        guard let failed = lines.firstIndex(where: { KernelTest.normalize($0) == #"write(1, "\0", 1) = -1 ENOSPC (No space left on device)"# }) else {
            return XCTFail(String(text.suffix(3000)))
        }
        XCTAssertEqual(lines[failed + 1], "--- cgtrace: ^ the trigger ---")
        XCTAssertTrue(lines[..<failed].contains { $0.hasPrefix(#"openat(AT_FDCWD, "/dev/full", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3"#) }, String(text.suffix(3000)))
        XCTAssertTrue(lines[..<failed].filter { $0 == #"write(1, "\0", 1) = 1"# }.count > 500, "the first dd's calls")
        XCTAssertTrue(lines.contains { $0.contains("write failed with ENOSPC in pid") }, String(text.prefix(500)))

        let json = try dump(name, ["--json"])
        let objects = json.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(objects.count, json.count, "every line is JSON")
        XCTAssertTrue(objects.contains { $0["type"] as? String == "trigger" && $0["errno"] as? String == "ENOSPC" && $0["syscall"] as? String == "write" },
                      json.prefix(3).joined(separator: "\n"))
        XCTAssertEqual(objects.filter { $0["type"] as? String == "trigger_event" }.count, 1)

        // Rearmed, the recording overwrites again: the old window goes, and a new incident fires.
        let rearm = try cli(["record", "--rearm", name])
        XCTAssertEqual(rearm.status, 0, rearm.stderr)
        XCTAssertTrue(try listRow(name).first?.contains(" armed ") ?? false)
        XCTAssertEqual(try runIn(cgroup, moreActivity), 0)
        XCTAssertFalse(try dump(name).contains { $0.hasPrefix("--- cgtrace: triggered") }, "nothing fired since the rearm")
        XCTAssertEqual(try runIn(cgroup, "/bin/dd if=/dev/zero of=/dev/full bs=1 count=1 status=none 2>/dev/null; \(moreActivity)"), 0)
        XCTAssertTrue(try listRow(name).first?.contains(" triggered ") ?? false)
    }

    func testTriggerSyntaxErrorsAreOneLine() throws {
        for bad in [["--trigger", "signal=SIGNOPE"], ["--trigger", "errno=EWHAT"], ["--trigger", "syscall=write"],
                    ["--trigger", "exit=zero"], ["--after", "5"], ["--trigger", "bogus"]] {
            let r = try cli(["record", "bad-trigger", "--cgroup", "/"] + bad)
            XCTAssertEqual(r.status, 2, "\(bad): \(r.stderr)")
            XCTAssertEqual(KernelTest.lines(r.stderr).count, 1, r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/sys/fs/bpf/cgtrace/bad-trigger"))
    }
}

extension RecorderTriggerTests {
    /// The OOM killer picks a recorded process (memory limited by a v1 memory cgroup in the
    /// hybrid layout, or memory.max where v2 has the controller).
    func testOOMKillFires() throws {
        let cgroup = try newCgroup()
        let name = newName()
        var memoryJoin: String
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/cgroup.procs") {
            let mem = "/sys/fs/cgroup/memory/cgtrace-oomtest-" + UUID().uuidString.prefix(8).lowercased()
            try FileManager.default.createDirectory(atPath: mem, withIntermediateDirectories: false)
            cgroups.append(mem)
            try "64M".write(toFile: mem + "/memory.limit_in_bytes", atomically: false, encoding: .utf8)
            memoryJoin = "echo $$ > \(mem)/cgroup.procs && "
        } else {
            try "64M".write(toFile: cgroup + "/memory.max", atomically: false, encoding: .utf8)
            try "0".write(toFile: cgroup + "/memory.swap.max", atomically: false, encoding: .utf8)
            memoryJoin = ""
        }
        XCTAssertEqual(try cli(["record", name, "--cgroup", cgroup, "--trigger", "oom", "--after", "20"]).status, 0)
        XCTAssertEqual(try runIn(cgroup, memoryJoin + "(exec python3 -c 'x = bytearray(400 << 20)'); \(moreActivity)"), 0)
        let row = try listRow(name)
        XCTAssertTrue(row.count == 2 && row[1].contains("the OOM killer chose pid "), row.joined(separator: "\n"))
        let lines = try dump(name).map(KernelTest.normalize)
        XCTAssertTrue(lines.contains("--- cgtrace: the trigger (OOM kill) ---"), lines.suffix(40).joined(separator: "\n"))
        XCTAssertTrue(lines.contains("+++ killed by SIGKILL +++"), lines.suffix(40).joined(separator: "\n"))
    }
}
