import Foundation
import Launch
import XCTest

/// Real containers under real runtimes: podman (runc) and docker (a dockerd of the test's own),
/// traced by id prefix and by name, recorded, and dumped after they exited. Each test makes its
/// own image from busybox-static (no registry) and removes every container, image and daemon it
/// made, whatever happens. A runtime missing here is a skip; in CI (CI=true) a failure.
final class ContainerTests: XCTestCase {
    private var cleanups: [() -> Void] = []
    private var scratch = ""
    private let tag = "cgt\(getpid())"

    override func setUpWithError() throws {
        try KernelTest.requireRoot()
        scratch = NSTemporaryDirectory() + "cgtrace-containers-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for cleanup in cleanups.reversed() { cleanup() }
        cleanups = []
        if !scratch.isEmpty { try? FileManager.default.removeItem(atPath: scratch) }
    }

    // MARK: Helpers

    private func require(_ tool: String) throws -> String {
        for dir in ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin"] {
            let path = dir + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("\(tool) is not installed (scripts/setup.sh installs it)")
        }
        throw XCTSkip("\(tool) is not installed (scripts/setup.sh installs it)")
    }

    /// Run a tool to completion; its output, or a test failure with its stderr. (Not through
    /// Foundation's Process: it did not notice `podman run -d` exit, leaving it a zombie, while
    /// conmon held the output files. ExternalTool waits for the exit itself.)
    @discardableResult
    private func sh(_ argv: [String], timeout: TimeInterval = 60,
                    file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let outcome = ExternalTool.run(argv, timeout: timeout)
        guard case .exited(0, let out, _) = outcome else {
            XCTFail("\(argv.joined(separator: " ")): \(outcome)", file: file, line: line)
            throw NSError(domain: "ContainerTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(outcome)"])
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A root file system of busybox-static and the applets the containers use, as a tarball.
    private func rootfsTarball() throws -> String {
        let busybox = try require("busybox")
        let root = scratch + "/rootfs"
        for dir in ["bin", "etc", "tmp", "proc", "sys", "dev"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: busybox, toPath: root + "/bin/busybox")
        for applet in ["sh", "cat", "sleep", "true"] {
            try FileManager.default.createSymbolicLink(atPath: root + "/bin/" + applet, withDestinationPath: "busybox")
        }
        try "root:x:0:0:root:/:/bin/sh\n".write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        let tarball = scratch + "/rootfs.tar"
        try sh(["/bin/tar", "-C", root, "-cf", tarball, "."])
        return tarball
    }

    /// The container's loop: read /etc/hostname (an openat the tests look for), fork a child
    /// now and then (so the trace has several tasks and pid prefixes), end on SIGTERM.
    private let loop = "trap 'exit 0' TERM; while :; do cat /etc/hostname >/dev/null; sleep 0.1; done"

    /// Run cgtrace with `arguments` for `seconds` from its first trace line (or from 15 s, if none
    /// comes), then SIGINT it: its trace lines and stderr. (Timed from the start, a name's
    /// lookup by the runtimes' CLIs on a busy machine once took the whole time, and the SIGINT
    /// found cgtrace still starting.)
    private func traceFor(_ seconds: Double, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, lines: [String], stderr: String) {
        let trace = scratch + "/trace-\(UUID().uuidString.prefix(8))"
        let err = trace + ".err"
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        p.arguments = ["-o", trace] + arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        let firstLine = Date().addingTimeInterval(15)
        while p.isRunning && Date() < firstLine,
              ((try? FileManager.default.attributesOfItem(atPath: trace))?[.size] as? Int ?? 0) == 0 {
            usleep(20_000)
        }
        let start = Date()
        while p.isRunning && Date().timeIntervalSince(start) < seconds { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGINT) }
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: trace, encoding: .utf8)) ?? ""
        return (p.terminationStatus, KernelTest.lines(text), (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// The checks every runtime gets: by id prefix, by name (with pids as the container sees
    /// them), an unknown name's error, then record, stop the container, dump after it exited.
    private func traceAndRecord(id: String, name: String, runtime: String, environment: [String: String],
                                stop: () throws -> Void) throws {
        // containerd's ids are names users choose: no prefix matching for them.
        let query = id.count == 64 ? String(id.prefix(10)) : id
        let byID = try traceFor(1.5, ["--container", query, "-e", "trace=openat"], environment: environment)
        XCTAssertEqual(byID.status, 0, byID.stderr)
        XCTAssertTrue(byID.lines.contains { $0.contains(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY"#) },
                      "\(runtime) by id:\n" + byID.lines.joined(separator: "\n"))

        let byName = try traceFor(1.5, ["--container", name, "--decode-pids=pidns", "-e", "trace=openat,wait4"], environment: environment)
        XCTAssertEqual(byName.status, 0, byName.stderr)
        XCTAssertTrue(byName.lines.contains { $0.contains(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY"#) },
                      "\(runtime) by name:\n" + byName.lines.joined(separator: "\n"))
        // The container's init (its sh) is pid 1 in its namespace; the cats it starts are small numbers too.
        XCTAssertTrue(byName.lines.contains { $0.hasPrefix("[pid     1] wait4(") }, byName.lines.joined(separator: "\n"))

        let json = try traceFor(1.2, ["--container", name, "--json", "-e", "trace=openat"], environment: environment)
        XCTAssertTrue(json.lines.contains { $0.contains(#""ns_pid":"#) && $0.contains(#""/etc/hostname""#) },
                      json.lines.prefix(5).joined(separator: "\n"))
        // Valid against the schema, ns_pid and ns_tid included.
        try KernelTest.assertValidJSON(json.lines)

        let unknown = try KernelTest.run([KernelTest.cgtracePath, "--container", "no-such-\(tag)"], timeout: 30)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("cgtrace: no container 'no-such-\(tag)': asked "), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("\(runtime) (") && unknown.stderr.contains("lxc.payload.NAME (lxc)"), unknown.stderr)

        // The flight recorder, by name; dumped once the container is gone.
        let recording = "ctr-\(tag)-\(runtime)"
        cleanups.append { _ = try? KernelTest.run([KernelTest.cgtracePath, "stop", recording], timeout: 30) }
        let record = try KernelTest.run([KernelTest.cgtracePath, "record", recording, "--container", name, "-e", "trace=openat,wait4"],
                                        timeout: 30)
        XCTAssertEqual(record.status, 0, record.stderr)
        let list = try KernelTest.run([KernelTest.cgtracePath, "list"], timeout: 30)
        XCTAssertTrue(list.stdout.contains("container \(name) (\(runtime)"), list.stdout)
        // A live trace of the container, which ends by itself when the container does.
        let liveErr = scratch + "/live-\(runtime).err"
        _ = FileManager.default.createFile(atPath: liveErr, contents: nil)
        let live = Process()
        live.executableURL = URL(fileURLWithPath: KernelTest.cgtracePath)
        live.arguments = ["-o", "/dev/null", "--container", name]
        live.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        live.standardError = FileHandle(forWritingAtPath: liveErr)
        try live.run()
        usleep(800_000)
        try stop()
        let liveDeadline = Date().addingTimeInterval(10)
        while live.isRunning && Date() < liveDeadline { usleep(20_000) }
        if live.isRunning {
            kill(live.processIdentifier, SIGINT)
            XCTFail("live trace of \(runtime) did not end with its container")
        }
        live.waitUntilExit()
        let ended = (try? String(contentsOfFile: liveErr, encoding: .utf8)) ?? ""
        XCTAssertTrue(ended.hasPrefix("cgtrace: container \(name) (\(runtime)") && ended.contains(") ended: its cgroup /"), ended)
        XCTAssertEqual(live.terminationStatus, 0)
        let dump = try KernelTest.run([KernelTest.cgtracePath, "dump", recording, "--decode-pids=pidns"], timeout: 30)
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let dumped = KernelTest.lines(dump.stdout)
        XCTAssertTrue(dumped.contains { $0.contains(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY"#) }, dumped.joined(separator: "\n"))
        XCTAssertTrue(dumped.contains { $0.hasPrefix("[pid     1] ") }, dumped.joined(separator: "\n"))
        // The container's end: its init killed or exited.
        XCTAssertTrue(dumped.contains { $0.hasSuffix("+++ exited with 0 +++") || $0.hasSuffix("+++ killed by SIGKILL +++") },
                      dumped.suffix(5).joined(separator: "\n"))
        let stopped = try KernelTest.run([KernelTest.cgtracePath, "stop", recording], timeout: 30)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
    }

    /// Remove a runtime's parent cgroup after the test if the test's container made it (rmdir
    /// fails harmlessly while it is in use).
    private func removeCgroupAfterwards(_ relative: String) {
        guard let mount = KernelTest.cgroupMount, !FileManager.default.fileExists(atPath: mount + "/" + relative) else { return }
        cleanups.append { rmdir(mount + "/" + relative) }
    }

    // MARK: podman

    /// Wait up to 30 s for a daemon the test started to answer `CLI version`; false (with its
    /// log's tail as the failure) if it exits or does not answer.
    private func waitForDaemon(_ cli: [String], _ daemon: Process, name: String, log: String) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while true {
            if case .exited(0, _, _) = ExternalTool.run(cli + ["version"], timeout: 10) { return true }
            guard daemon.isRunning, Date() < deadline else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                XCTFail("\(name) did not start:\n" + text.suffix(2000))
                return false
            }
            usleep(200_000)
        }
    }

    func testPodmanContainerByIdPrefixAndName() throws {
        let podman = try require("podman")
        _ = try require("runc")
        let tarball = try rootfsTarball()
        let image = "localhost/cgtrace-test-\(tag):1"
        let name = "cgtrace-test-\(tag)"
        removeCgroupAfterwards("libpod_parent")
        cleanups.append { _ = ExternalTool.run([podman, "image", "rm", "-f", image], timeout: 60) }
        try sh([podman, "import", tarball, image])
        cleanups.append { _ = ExternalTool.run([podman, "rm", "-f", "-t", "0", name], timeout: 60) }
        // runc: crun refuses this machine's hybrid cgroup layout. The ulimits stay within the
        // hard limits the test runs with (raising them needs CAP_SYS_RESOURCE).
        var limits = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
        let nofile = min(limits.rlim_max, 20000)
        let id = try sh([podman, "--runtime", "runc", "run", "-d", "--name", name, "--network", "none",
                         "--ulimit", "nofile=\(nofile):\(nofile)", "--ulimit", "nproc=1024:1024",
                         image, "sh", "-c", loop])
        XCTAssertEqual(id.count, 64, id)
        let cgroup = try sh([podman, "container", "inspect", "--format", "{{.State.CgroupPath}}", name])
        XCTAssertTrue(cgroup.contains("libpod-\(id)"), cgroup)
        try traceAndRecord(id: id, name: name, runtime: "podman", environment: [:]) {
            try sh([podman, "rm", "-f", "-t", "0", name])
        }
    }

    // MARK: docker

    func testDockerContainerByIdPrefixAndName() throws {
        let dockerd = try require("dockerd")
        let docker = try require("docker")
        let tarball = try rootfsTarball()
        // A daemon of the test's own: its own socket, data root and state, stopped at the end.
        let home = scratch + "/docker"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let socket = "unix://\(home)/docker.sock"
        removeCgroupAfterwards("docker")
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: dockerd)
        daemon.arguments = ["--storage-driver", "vfs", "--iptables=false", "--ip-masq=false", "--bridge=none",
                            "--exec-opt", "native.cgroupdriver=cgroupfs", "--data-root", home + "/root",
                            "--exec-root", home + "/exec", "--pidfile", home + "/docker.pid", "-H", socket]
        _ = FileManager.default.createFile(atPath: home + "/dockerd.log", contents: nil)
        daemon.standardOutput = FileHandle(forWritingAtPath: home + "/dockerd.log")
        daemon.standardError = daemon.standardOutput
        try daemon.run()
        cleanups.append {
            daemon.terminate()  // SIGTERM: dockerd stops its containers and its containerd
            let deadline = Date().addingTimeInterval(20)
            while daemon.isRunning && Date() < deadline { usleep(50_000) }
            if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) }
            daemon.waitUntilExit()
        }
        let cli = [docker, "-H", socket]
        // cgtrace asks `docker inspect` for names: it finds this daemon through DOCKER_HOST.
        setenv("DOCKER_HOST", socket, 1)
        cleanups.append { unsetenv("DOCKER_HOST") }
        guard waitForDaemon(cli, daemon, name: "dockerd", log: home + "/dockerd.log") else { return }
        let image = "cgtrace-test-\(tag):1"
        let name = "cgtrace-test-\(tag)"
        cleanups.append { _ = ExternalTool.run(cli + ["image", "rm", "-f", image], timeout: 60) }
        try sh(cli + ["import", tarball, image])
        cleanups.append { _ = ExternalTool.run(cli + ["rm", "-f", name], timeout: 60) }
        let id = try sh(cli + ["run", "-d", "--name", name, "--network", "none", image, "sh", "-c", loop])
        XCTAssertEqual(id.count, 64, id)
        if let mount = KernelTest.cgroupMount {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(mount)/docker/\(id)"), "no cgroup docker/\(id)")
        }
        try traceAndRecord(id: id, name: name, runtime: "docker", environment: ["DOCKER_HOST": socket]) {
            try sh(cli + ["rm", "-f", name])
        }
    }

    // MARK: containerd (ctr)

    /// containerd's own CLI: a containerd of the test's own, a container run from a root file
    /// system directory (`ctr run --rootfs`, no image), its cgroup at /default/ID.
    func testContainerdCtrContainerByName() throws {
        let containerd = try require("containerd")
        let ctr = try require("ctr")
        let home = scratch + "/containerd"
        let rootfs = home + "/rootfs"
        try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
        try sh(["/bin/tar", "-C", rootfs, "-xf", try rootfsTarball()])
        let socket = home + "/containerd.sock"
        try """
        version = 2
        root = "\(home)/root"
        state = "\(home)/state"
        [grpc]
          address = "\(socket)"
        [ttrpc]
          address = "\(socket).ttrpc"
        """.write(toFile: home + "/config.toml", atomically: true, encoding: .utf8)
        removeCgroupAfterwards("default")
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: containerd)
        daemon.arguments = ["--config", home + "/config.toml"]
        _ = FileManager.default.createFile(atPath: home + "/containerd.log", contents: nil)
        daemon.standardOutput = FileHandle(forWritingAtPath: home + "/containerd.log")
        daemon.standardError = daemon.standardOutput
        try daemon.run()
        cleanups.append {
            daemon.terminate()
            let deadline = Date().addingTimeInterval(20)
            while daemon.isRunning && Date() < deadline { usleep(50_000) }
            if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) }
            daemon.waitUntilExit()
        }
        setenv("CONTAINERD_ADDRESS", socket, 1)
        cleanups.append { unsetenv("CONTAINERD_ADDRESS") }
        let cli = [ctr, "--address", socket]
        guard waitForDaemon(cli, daemon, name: "containerd", log: home + "/containerd.log") else { return }
        let name = "cgtrace-test-\(tag)"
        // The task's shim outlives containerd unless the task and container are deleted.
        let remove = {
            _ = ExternalTool.run(cli + ["task", "kill", "-s", "SIGKILL", name], timeout: 30)
            // Deleting a task fails until it has stopped (or when there is none: then at once).
            for _ in 0..<50 {
                if case .exited(0, _, _) = ExternalTool.run(cli + ["task", "delete", name], timeout: 30) { break }
                if case .exited(_, _, let err) = ExternalTool.run(cli + ["task", "delete", name], timeout: 30),
                   err.contains("not found") { break }
                usleep(100_000)
            }
            _ = ExternalTool.run(cli + ["container", "delete", name], timeout: 30)
        }
        cleanups.append(remove)
        try sh(cli + ["run", "-d", "--rootfs", rootfs, name, "/bin/sh", "-c", loop])
        if let mount = KernelTest.cgroupMount {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(mount)/default/\(name)"), "no cgroup default/\(name)")
        }
        try traceAndRecord(id: name, name: name, runtime: "containerd", environment: ["CONTAINERD_ADDRESS": socket]) {
            remove()
        }
    }
}
