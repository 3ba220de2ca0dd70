import Foundation
import XCTest

/// The flight recorder against the real kernel: `cgtrace record/dump/list/stop` as a user runs
/// them, each invocation a separate process.
final class RecorderTests: RecorderTestCase {
    /// Run a shell command inside `cgroup` (it moves itself in first), pinned to CPU 0 so that
    /// every record lands in one CPU's slots, and wait for it.
    private func runIn(_ cgroup: String, _ command: String) throws {
        let r = try KernelTest.run(["/usr/bin/taskset", "-c", "0", "/bin/sh", "-c",
                                    "echo $$ > \(cgroup)/cgroup.procs && \(command)"], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    private func dump(_ name: String, _ options: [String] = []) throws -> [String] {
        let r = try cli(["dump", name] + options)
        XCTAssertEqual(r.status, 0, r.stderr)
        return KernelTest.lines(r.stdout)
    }

    /// The pinned links' program ids, as bpftool reports them.
    private func programIDs(_ name: String) throws -> [String] {
        let dir = "/sys/fs/bpf/cgtrace/\(name)"
        let links = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("link-") }
        return try links.map { link in
            let r = try KernelTest.run(["/usr/sbin/bpftool", "link", "show", "pinned", dir + "/" + link], timeout: 10)
            guard let m = r.stdout.range(of: #"prog (\d+)"#, options: .regularExpression) else {
                throw NSError(domain: "RecorderTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "no prog id in: \(r.stdout)"])
            }
            return String(r.stdout[m].dropFirst(5))
        }
    }

    func testDumpAfterTheWorkloadExitedShowsItsCallsDecoded() throws {
        let cgroup = try newCgroup()
        let name = newName()
        let rec = try cli(["record", name, "--cgroup", cgroup])
        XCTAssertEqual(rec.status, 0, rec.stderr)  // the CLI is gone: the kernel records alone
        try runIn(cgroup, "exec /bin/cat /etc/hostname")
        // Another cgtrace run in between (live tracing loads its own programs) changes nothing.
        let live = try KernelTest.cgtrace([], ["/bin/true"])
        XCTAssertEqual(live.status, 0)

        let lines = try dump(name)
        XCTAssertFalse(lines.first?.hasPrefix("--- ") ?? true, "nothing overwritten: \(lines.first ?? "")")
        XCTAssertTrue(lines.contains { $0.hasPrefix(#"execve("/bin/cat", ["/bin/cat", "/etc/hostname"], 0x"#) && $0.hasSuffix(" = 0") },
                      lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3"#), lines.joined(separator: "\n"))
        XCTAssertEqual(lines.last, "+++ exited with 0 +++")
        XCTAssertFalse(lines.contains { $0.contains("/bin/true") }, "the live run's command is not in this cgroup")
        XCTAssertEqual(try dump(name), lines, "a dump does not consume the recording")
        XCTAssertEqual(try dump(name, ["-e", "trace=openat"]).filter { !$0.hasPrefix("openat(") && !$0.hasPrefix("+++") }, [])
    }

    /// A Ctrl-C while `cgtrace record` is making the recording (from when it blocks the signal):
    /// either the recording is removed whole and the command never starts (status 130, one line
    /// saying so), or it was already made and stands whole. Never a half-made one.
    func testRecordInterruptedWhileStartingLeavesNothingHalfMade() throws {
        let name = newName()
        for delayMs in [0, 2, 5, 10, 20] {
            let marker = "/proc/self/cgtrace-never-\(delayMs)"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
            p.arguments = ["record", name, "--", "/bin/cat", marker]
            let err = Pipe()
            p.standardError = err
            try p.run()
            let blocked = Date().addingTimeInterval(10)
            while KernelTest.blocksSIGINT(p.processIdentifier) == false && Date() < blocked { usleep(200) }
            usleep(UInt32(delayMs * 1000))
            kill(p.processIdentifier, SIGINT)
            p.waitUntilExit()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(p.terminationReason, .exit, "after \(delayMs) ms: killed by its signal")
            let list = try cli(["list"])
            if p.terminationStatus == 128 + SIGINT {
                XCTAssertEqual(message, "cgtrace: interrupted (SIGINT): recording '\(name)' not made\n")
                XCTAssertFalse(list.stdout.contains(name), "after \(delayMs) ms: \(list.stdout)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: "/sys/fs/bpf/cgtrace/\(name)"))
            } else {
                XCTAssertEqual(p.terminationStatus, 0, "after \(delayMs) ms: \(message)")
                XCTAssertTrue(list.stdout.contains(name) && !list.stdout.contains("incomplete"), list.stdout)
                XCTAssertEqual(try cli(["stop", name]).status, 0)
            }
            if delayMs == 0 {
                XCTAssertEqual(p.terminationStatus, 128 + SIGINT, "a signal right after the block finds nothing made yet")
            }
        }
    }

    /// -p: the kernel follows a running process and what it starts, with no cgtrace process;
    /// -y at record time puts fd paths in the dump; dump takes live tracing's output options.
    func testPidRecordingWithFdPathsAndDumpOutputOptions() throws {
        let dir = NSTemporaryDirectory() + "cgtrace-rec-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A shell that waits for a go file, then reads a file we name, in a child process.
        let script = "while [ ! -e \(dir)/go ]; do sleep 0.05; done; /bin/cat \(dir)/payload >/dev/null"
        try "hello\n".write(toFile: dir + "/payload", atomically: true, encoding: .utf8)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script]
        try shell.run()
        defer { if shell.isRunning { shell.terminate() } }

        let name = newName()
        let rec = try cli(["record", name, "-y", "-p", String(shell.processIdentifier)])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        FileManager.default.createFile(atPath: dir + "/go", contents: nil)
        shell.waitUntilExit()

        let lines = try dump(name, ["-y", "-e", "trace=openat,read,close", "-T"])
        let text = lines.joined(separator: "\n")
        // The child (a fork of the -p process) was followed; the payload's fd is resolved.
        let open = lines.first { $0.contains("openat(AT_FDCWD</") && $0.contains("\"\(dir)/payload\"") }
        XCTAssertNotNil(open, text)
        XCTAssertNotNil(open?.range(of: #"= 3</.*/payload> <0\.\d{6}>$"#, options: .regularExpression), open ?? text)
        XCTAssertTrue(lines.contains { $0.contains("read(3<\(dir)/payload>, \"hello\\n\", ") && $0.contains(") = 6 <") }, text)
        XCTAssertFalse(lines.contains { $0.hasPrefix("execve(") || $0.hasPrefix("mmap(") }, "-e at dump time: \(text)")

        // --json: the same calls as events, decoded the same way.
        let json = try dump(name, ["--json", "-e", "trace=openat"])
        let events = json.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(events.count, json.count, "every line is JSON: \(json)")
        XCTAssertTrue(events.contains { ($0["args"] as? [String: Any])?["filename"] as? String == dir + "/payload" }, "\(json)")

        // -c: the summary table of the recorded calls.
        let summary = try dump(name, ["-c", "-e", "trace=openat,read,close"])
        XCTAssertTrue(summary.contains { $0.hasPrefix("% time") }, summary.joined(separator: "\n"))
        XCTAssertTrue(summary.contains { $0.hasSuffix(" read") }, summary.joined(separator: "\n"))

        // A recording without -y: dump -y says why there are no paths instead of showing none silently.
        let plain = newName()
        let cgroup = try newCgroup()
        XCTAssertEqual(try cli(["record", plain, "--cgroup", cgroup]).status, 0)
        let r = try cli(["dump", plain, "-y"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("was made without -y"), r.stderr)
    }

    func testOverflowKeepsExactlyTheNewestEventsAndCountsTheRest() throws {
        let cgroup = try newCgroup()
        let name = newName()
        XCTAssertEqual(try cli(["record", name, "--cgroup", cgroup, "--size", "50", "-e", "trace=write"]).status, 0)
        try runIn(cgroup, "exec /bin/dd if=/dev/zero of=/dev/null bs=1 count=200 status=none")
        // On CPU 0: the exit of the shell's `echo > cgroup.procs` write (it was moved in during
        // it), the exec, 200 × (write enter, write exit), dd's exit = 403 records.
        let list = try cli(["list"])
        let row = KernelTest.lines(list.stdout).first { $0.hasPrefix(name + " ") }?.split(separator: " ") ?? []
        XCTAssertEqual(row.count >= 5 ? Array(row[3...4]) : [], ["403", "353"], list.stdout)

        let lines = try dump(name)
        // The newest 50: dd's exit, 24 whole writes, and the exit of the write before them.
        XCTAssertEqual(lines.count, 27, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.first, "--- 353 older events overwritten ---")
        XCTAssertEqual(KernelTest.normalize(lines[1]), "<... write resumed>) = 1")
        XCTAssertEqual(lines[2..<26].map(KernelTest.normalize), Array(repeating: #"write(1, "\0", 1) = 1"#, count: 24))
        XCTAssertEqual(lines.last, "+++ exited with 0 +++")
    }

    func testTwoRecordingsStaySeparateAndStopFreesBoth() throws {
        let (cgA, cgB) = (try newCgroup(), try newCgroup())
        let (a, b) = (newName(), newName())
        XCTAssertEqual(try cli(["record", a, "--cgroup", cgA]).status, 0)
        XCTAssertEqual(try cli(["record", b, "--cgroup", cgB, "--size", "256K"]).status, 0)
        try runIn(cgA, "exec /bin/cat /etc/hostname")
        try runIn(cgB, "exec /bin/cat /etc/passwd")
        let (dumpA, dumpB) = (try dump(a), try dump(b))
        XCTAssertTrue(dumpA.contains { $0.hasPrefix(#"openat(AT_FDCWD, "/etc/hostname""#) })
        XCTAssertFalse(dumpA.contains { $0.contains("/etc/passwd") })
        XCTAssertTrue(dumpB.contains { $0.hasPrefix(#"openat(AT_FDCWD, "/etc/passwd""#) })
        XCTAssertFalse(dumpB.contains { $0.contains("/etc/hostname") })

        let ids = try programIDs(a) + programIDs(b)
        // Eight programs each: sys_enter, sys_exit, signal_deliver, signal_generate, the process
        // exit, fork and exec tracepoints, and cgroup_attach_task (the entries' cached checks).
        XCTAssertEqual(ids.count, 16)
        XCTAssertEqual(Set(ids).count, 16, "no program shared between the recordings")
        for name in [a, b] {
            let r = try cli(["stop", name])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "/sys/fs/bpf/cgtrace/\(name)"))
        }
        let loaded = try KernelTest.run(["/usr/sbin/bpftool", "prog", "list"], timeout: 10).stdout
        let listed = Set(KernelTest.lines(loaded).compactMap { $0.split(separator: ":").first.map(String.init) })
        XCTAssertTrue(listed.isDisjoint(with: ids), "still loaded: \(listed.intersection(ids))")
        XCTAssertEqual(try cli(["dump", a]).status, 3, "a stopped recording is unknown")
    }

    func testCommandRecordingRunsOnAfterTheCLIAndStartsAtItsExecve() throws {
        let name = newName()
        let rec = try cli(["record", name, "--", "/bin/sh", "-c", "sleep 0.5; exec /bin/cat /etc/hostname"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        let cgroup = (KernelTest.cgroupMount ?? "/sys/fs/cgroup") + "/cgtrace/rec-" + name
        // cgroupfs files report size 0: read them to the end rather than by their size.
        func populated() -> Bool {
            let fd = open(cgroup + "/cgroup.events", O_RDONLY)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = read(fd, &buffer, buffer.count)
            return n > 0 && String(decoding: buffer[0..<n], as: UTF8.self).contains("populated 1")
        }
        let early = populated()
        XCTAssertTrue(early, "the command outlives the CLI: \((try? dump(name))?.suffix(8) ?? [])")
        for _ in 0..<100 where populated() { usleep(50_000) }
        XCTAssertFalse(populated(), "the command finished")
        let lines = try dump(name)
        XCTAssertTrue(lines.first?.hasPrefix(#"execve("/bin/sh", ["/bin/sh", "-c", "sleep 0.5; exec /bin/cat /etc/ho"...], 0x"#) ?? false,
                      lines.first ?? "empty dump")
        XCTAssertTrue(lines.contains(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3"#))
        XCTAssertEqual(lines.last, "+++ exited with 0 +++")
        XCTAssertEqual(try cli(["stop", name]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cgroup), "stop removes the command's cgroup")
    }

    /// Netlink in a recording: small messages decoded whole, a 1100-byte RTM_NEWLINK (more
    /// than a slot holds) as what was copied whole, then `...`, never a lost capture.
    func testNetlinkMessagesInARecording() throws {
        let name = newName()
        let rec = try cli(["record", name, "-e", "trace=sendto,recvmsg", "--", "/usr/bin/ip", "-o", "addr", "show", "lo"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        var lines: [String] = []
        for _ in 0..<100 {
            lines = try dump(name)
            if lines.last?.hasPrefix("+++ exited") == true { break }
            usleep(50_000)
        }
        XCTAssertEqual(lines.last, "+++ exited with 0 +++", lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP") })
        XCTAssertTrue(lines.contains { $0.contains(#"[{nla_len=8, nla_type=IFA_LOCAL}, inet_addr("127.0.0.1")]"#) })
        let link = try XCTUnwrap(lines.first { $0.contains("nlmsg_type=RTM_NEWLINK") })
        XCTAssertTrue(link.contains(#"[{nla_len=7, nla_type=IFLA_IFNAME}, "lo"]"#) && link.contains(", ...]"), link)
        XCTAssertEqual(try cli(["stop", name]).status, 0)
    }

    func testUnsafeOrWrongUseIsAOneLineErrorWithItsOwnStatus() throws {
        let cgroup = try newCgroup()
        let name = newName()
        XCTAssertEqual(try cli(["record", name, "--cgroup", cgroup]).status, 0)
        let dir = "/sys/fs/bpf/cgtrace/\(name)"
        let mode = (try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int) ?? -1
        XCTAssertEqual(mode, 0o700, "only root can reach a recording's pins")

        let checks: [([String], Int32, String)] = [
            (["record", name, "--cgroup", cgroup], 5, "exists already"),
            (["dump", "no-such-recording"], 3, "no recording named"),
            (["stop", "no-such-recording"], 3, "no recording named"),
            (["record", "../escape", "--cgroup", cgroup], 2, "invalid recording name"),
            (["record", "x", "--size", "0", "--cgroup", cgroup], 2, "invalid --size"),
            (["record", "x", "--cgroup", "/nonexistent"], 2, "not a cgroup directory"),
        ]
        for (args, status, text) in checks {
            let r = try cli(args)
            XCTAssertEqual(r.status, status, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(text), "\(args): \(r.stderr)")
            XCTAssertEqual(KernelTest.lines(r.stderr).count, 1, r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/sys/fs/bpf/cgtrace/x"), "a failed record leaves nothing")
        // No bpffs, but the host's empty /sys/fs/bpf bound there, in a mount namespace of its own
        // (a container run with `-v /sys/fs/bpf:/sys/fs/bpf` on a host without bpffs): cgtrace
        // does not mount one there, where the recording would go with the namespace. One line
        // naming the problem and its remedy, the kernel-trouble status.
        let remedy = "mount it on the host (mount -t bpf bpf /sys/fs/bpf) and bind it in"
        let bound = try KernelTest.run(["/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                                        "umount /sys/fs/bpf 2>/dev/null; mount --bind /sys/fs/bpf /sys/fs/bpf && exec \"$0\" record x --cgroup \"$1\"",
                                        KernelTest.cgtracePath, cgroup], timeout: 30)
        XCTAssertEqual(bound.status, 4, bound.stderr)
        XCTAssertEqual(KernelTest.lines(bound.stderr), ["cgtrace: bpffs is not mounted at /sys/fs/bpf, where a sysfs file system is "
                                                        + "(the host's empty directory bound into a container?): a bpffs mounted over it "
                                                        + "would go, with the recording, when this mount namespace does: " + remedy])
        // Nothing mounted there, in a pid namespace of its own (a container without the host's
        // pids): the same refusal.
        let ownPids = try KernelTest.run(["/usr/bin/unshare", "-m", "-p", "-f", "--propagation", "private", "/bin/sh", "-c",
                                          "umount /sys/fs/bpf 2>/dev/null; exec \"$0\" record x --cgroup \"$1\"",
                                          KernelTest.cgtracePath, cgroup], timeout: 30)
        XCTAssertEqual(ownPids.status, 4, ownPids.stderr)
        XCTAssertEqual(KernelTest.lines(ownPids.stderr), ["cgtrace: bpffs is not mounted at /sys/fs/bpf, and one mounted in this "
                                                          + "container's namespaces would go, with the recording, when the container does: " + remedy])
        let nobody = try KernelTest.run(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                         KernelTest.cgtracePath, "dump", name], timeout: 30)
        XCTAssertEqual(nobody.status, 6, nobody.stderr)
        XCTAssertEqual(KernelTest.lines(nobody.stderr), ["cgtrace: cgtrace dump needs root: recordings are pinned in bpffs, readable by root only"])
    }
}
