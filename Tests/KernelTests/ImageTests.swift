import Foundation
import Glibc
import XCTest

/// The container image recipe under real podman: scripts/build-image.sh makes a root filesystem
/// from the files scripts/install.sh installs (no registry, no base image), the Containerfile
/// builds the image from it, and that image, run privileged in the host's pid and cgroup
/// namespaces, traces a second container by name, records it, and dumps the recording after it
/// exited.
///
/// The binary installed is $CGTRACE_STATIC_BINARY (scripts/test.sh passes the release build, a
/// static executable: the image holds nothing else), else the one built beside the tests (the
/// image then carries the libraries ldd lists, the Swift runtime's too). Needs podman, runc and busybox-static (scripts/setup.sh).
final class ImageTests: XCTestCase {
    private let id = String(UUID().uuidString.prefix(8)).lowercased()
    private var containers: [String] = []
    private var images: [String] = []
    private var recordings: [String] = []
    private var temp = ""
    private var tracer: pid_t = 0

    override func setUpWithError() throws {
        try KernelTest.requireRoot()
        for tool in ["/usr/bin/podman", "/usr/sbin/runc", "/bin/busybox"] where !FileManager.default.isExecutableFile(atPath: tool) {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("\(tool) is missing: run scripts/setup.sh (podman, runc, busybox-static)")
            }
            throw XCTSkip("\(tool) is missing (scripts/setup.sh installs it)")
        }
        temp = NSTemporaryDirectory() + "cgtrace-image-\(id)"
        for dir in ["", "/context", "/busybox/bin", "/share", "/out"] {
            try FileManager.default.createDirectory(atPath: temp + dir, withIntermediateDirectories: true)
        }
    }

    override func tearDown() {
        if tracer > 0 && Podman.poll(tracer) == nil {
            kill(tracer, SIGKILL)
            _ = waitpid(tracer, nil, 0)
        }
        for name in containers.reversed() { _ = try? Podman.run(["rm", "-f", "-t", "0", name], timeout: 60) }
        for image in images.reversed() { _ = try? Podman.run(["rmi", "-f", image], timeout: 60) }
        for name in recordings where FileManager.default.fileExists(atPath: "/sys/fs/bpf/cgtrace/" + name) {
            _ = try? KernelTest.run([KernelTest.cgtracePath, "stop", name], timeout: 30)
        }
        if !temp.isEmpty { try? FileManager.default.removeItem(atPath: temp) }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Limits podman may set on this machine: the hard RLIMIT_NOFILE is 20000, and podman 4.3 lowers
    /// its own RLIMIT_NPROC to 32768 before starting the runtime, so its default for containers
    /// (1048576) would need CAP_SYS_RESOURCE, which a test runner may not have.
    static var limits: [String] {
        var nproc = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &nproc)
        let processes = min(nproc.rlim_max, 32768)
        return ["--ulimit", "nofile=20000:20000", "--ulimit", "nproc=\(processes):\(processes)"]
    }

    /// What the Containerfile's header says to run it with; podman's state, read-only, for
    /// --container NAME (the image has no podman to ask).
    static let podmanState = "/var/lib/containers/storage/overlay-containers"
    static let privileged = ["--privileged", "--pid", "host", "--cgroupns", "host",
                             "-v", "/sys/fs/bpf:/sys/fs/bpf", "-v", "/sys/kernel/btf:/sys/kernel/btf:ro",
                             "-v", "/sys/fs/cgroup:/sys/fs/cgroup", "-v", "\(podmanState):\(podmanState):ro", "--network", "none"]

    @discardableResult
    private func podman(_ args: [String], timeout: TimeInterval = 180, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try Podman.run(args, timeout: timeout)
        XCTAssertEqual(r.status, 0, "podman \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r.stdout
    }

    private func runScript(_ script: String, _ args: [String], binary: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try KernelTest.run(["/usr/bin/env", "CGTRACE_BINARY=\(binary)", Self.repository + "/scripts/" + script] + args, timeout: 120)
        return (r.status, r.stdout, r.stderr)
    }

    /// The cgtrace image, built from the installed files by the Containerfile.
    private func buildCgtraceImage() throws -> String {
        let binary = ProcessInfo.processInfo.environment["CGTRACE_STATIC_BINARY"] ?? KernelTest.cgtracePath
        let made = try runScript("build-image.sh", [temp + "/context/cgtrace-rootfs.tar"], binary: binary)
        XCTAssertEqual(made.status, 0, made.stderr)
        try FileManager.default.copyItem(atPath: Self.repository + "/Containerfile", toPath: temp + "/context/Containerfile")
        let tag = "localhost/cgtrace-imagetest-\(id)"
        images.append(tag)
        try podman(["build", "-q", "-t", tag, "-f", temp + "/context/Containerfile", temp + "/context"])
        return tag
    }

    /// A busybox image for the traced containers, imported from a rootfs tarball.
    private func buildBusyboxImage() throws -> String {
        let root = temp + "/busybox"
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        for applet in ["sh", "cat", "sleep", "true"] {
            try FileManager.default.createSymbolicLink(atPath: root + "/bin/" + applet, withDestinationPath: "busybox")
        }
        let tar = try KernelTest.run(["/bin/tar", "--numeric-owner", "-C", root, "-cf", temp + "/busybox.tar", "."], timeout: 60)
        XCTAssertEqual(tar.status, 0, tar.stderr)
        let tag = "localhost/cgtrace-imagetest-bb-\(id)"
        images.append(tag)
        try podman(["import", "-q", temp + "/busybox.tar", tag])
        return tag
    }

    /// A container that opens /share/marker-ID every 0.1 s until /share/stop-NAME exists; its
    /// cgroup relative to the cgroup v2 mount (from its pid, as the test's own check).
    private func startWorkload(_ name: String, image: String) throws -> String {
        containers.append(name)
        try podman(["--runtime", "runc", "run", "-d", "--name", name, "--network", "none"] + Self.limits
                   + ["-v", temp + "/share:/share", image,
                      "sh", "-c", "while [ ! -e /share/stop-\(name) ]; do cat /share/marker-\(id); sleep 0.1; done"])
        let pid = try podman(["inspect", "--format", "{{.State.Pid}}", name]).trimmingCharacters(in: .whitespacesAndNewlines)
        let cgroups = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
        guard let line = cgroups.split(separator: "\n").first(where: { $0.hasPrefix("0::/") }) else {
            throw XCTSkip("no cgroup v2 line in /proc/\(pid)/cgroup: \(cgroups)")
        }
        return String(line.dropFirst(4))
    }

    private func cgtraceImage(_ image: String, _ args: [String], extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        try Podman.run(["--runtime", "runc", "run", "--rm"] + Self.limits + Self.privileged + extra + [image] + args, timeout: 180)
    }

    private func waitUntil(_ seconds: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    func testImageFromInstalledFilesTracesRecordsAndDumpsAnotherContainer() throws {
        let image = try buildCgtraceImage()
        let busybox = try buildBusyboxImage()
        let marker = "/share/marker-\(id)"
        try "hello\n".write(toFile: temp + marker, atomically: true, encoding: .utf8)
        let openLine = #"openat(AT_FDCWD, "\#(marker)", O_RDONLY) = 3"#

        // Live: the image traces the workload until its container exits and its cgroup goes.
        let web = "cgtrace-imagetest-web-\(id)"
        let cgroup = try startWorkload(web, image: busybox)
        let tracerName = "cgtrace-imagetest-tracer-\(id)"
        containers.append(tracerName)
        let errors = temp + "/tracer.err"
        tracer = try Podman.start(["--runtime", "runc", "run", "--rm", "--name", tracerName] + Self.limits + Self.privileged
                                  + ["-v", temp + "/out:/out", image, "--debug", "-o", "/out/trace.txt", "--container", web],
                                  stdout: "/dev/null", stderr: errors)
        let attached = waitUntil(120) {
            ((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "").contains("cgtrace: attach mode")
        }
        let tracerErrors = { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }
        XCTAssertTrue(attached, "the image's cgtrace attaches: \(tracerErrors())")
        usleep(1_500_000)  // the workload opens the marker ~10 times a second
        _ = FileManager.default.createFile(atPath: temp + "/share/stop-\(web)", contents: nil)
        var status: Int32?
        XCTAssertTrue(waitUntil(120) { status = Podman.poll(tracer); return status != nil },
                      "the trace ends when the container's cgroup is removed")
        XCTAssertEqual(status, 0, tracerErrors())
        XCTAssertTrue(tracerErrors().contains("/\(cgroup) was removed\n"), tracerErrors())
        let trace = KernelTest.lines((try? String(contentsOfFile: temp + "/out/trace.txt", encoding: .utf8)) ?? "")
        XCTAssertTrue(trace.contains { KernelTest.normalize($0) == openLine }, trace.suffix(20).joined(separator: "\n"))
        XCTAssertTrue(trace.map(KernelTest.normalize).contains { $0.hasPrefix(#"execve("/proc/self/exe", ["cat", "\#(marker)"], ADDR /* "#) && $0.hasSuffix(" = 0") },
                      "busybox's cat, exec'd by the container's shell")
        XCTAssertEqual(trace.last.map(KernelTest.normalize), "+++ exited with 0 +++", "the container's shell exits last")

        // Flight recorder: record from the image, let the container exit, dump from the image.
        let db = "cgtrace-imagetest-db-\(id)"
        let dbCgroup = try startWorkload(db, image: busybox)
        let recording = "imagetest-\(id)"
        recordings.append(recording)
        // Pinned in the host's bpffs through the bind mount, so the host must have one mounted (a
        // systemd host does at boot; a fresh machine here may not, and the image's cgtrace then
        // refuses to mount one of its own). Left mounted, as `cgtrace record` on the host leaves it.
        let bpffs = try KernelTest.run(["/bin/sh", "-c", "grep -q ' /sys/fs/bpf bpf ' /proc/mounts || mount -t bpf -o mode=0700 bpf /sys/fs/bpf"],
                                       timeout: 30)
        XCTAssertEqual(bpffs.status, 0, bpffs.stderr)
        let record = try cgtraceImage(image, ["record", recording, "--container", db])
        XCTAssertEqual(record.status, 0, record.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/sys/fs/bpf/cgtrace/" + recording), "pinned in the host's bpffs: " + record.stdout + record.stderr)
        usleep(1_500_000)
        _ = FileManager.default.createFile(atPath: temp + "/share/stop-\(db)", contents: nil)
        XCTAssertEqual(try podman(["wait", db]).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let mount = KernelTest.cgroupMount ?? "/sys/fs/cgroup"
        XCTAssertTrue(waitUntil(30) { !FileManager.default.fileExists(atPath: mount + "/" + dbCgroup) }, "the container's cgroup is gone")

        let list = try cgtraceImage(image, ["list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains(recording), list.stdout)
        let dump = try cgtraceImage(image, ["dump", recording])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let dumped = KernelTest.lines(dump.stdout)
        XCTAssertTrue(dumped.map(KernelTest.normalize).contains(openLine), dumped.suffix(20).joined(separator: "\n"))
        XCTAssertEqual(dumped.last.map(KernelTest.normalize), "+++ exited with 0 +++")
        let stop = try cgtraceImage(image, ["stop", recording])
        XCTAssertEqual(stop.status, 0, stop.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/sys/fs/bpf/cgtrace/" + recording), "stop unpins it on the host")
    }
}

/// podman, started through posix_spawn and reaped with waitpid. (With Foundation's Process, a
/// `podman run -d` stayed a zombie the Process never noticed: isRunning stayed true.)
enum Podman {
    /// Start podman with `args`, its stdout and stderr going to the files named.
    static func start(_ args: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = (["/usr/bin/podman"] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/podman", &actions, nil, argv, environ)
        guard rc == 0 else {
            throw NSError(domain: "Podman", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "posix_spawn podman: \(String(cString: strerror(rc)))"])
        }
        return pid
    }

    /// Its exit status once it has exited, nil while it runs.
    static func poll(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Run podman to the end (killed after `timeout` seconds): status, stdout, stderr.
    static func run(_ args: [String], timeout: TimeInterval) throws -> (status: Int32, stdout: String, stderr: String) {
        let base = NSTemporaryDirectory() + "cgtrace-podman-\(UUID().uuidString)"
        defer { unlink(base + ".out"); unlink(base + ".err") }
        let pid = try start(args, stdout: base + ".out", stderr: base + ".err")
        let deadline = Date().addingTimeInterval(timeout)
        var status = poll(pid)
        while status == nil && Date() < deadline {
            usleep(20_000)
            status = poll(pid)
        }
        if status == nil {
            kill(pid, SIGKILL)
            _ = waitpid(pid, nil, 0)
            throw NSError(domain: "Podman", code: 1, userInfo: [NSLocalizedDescriptionKey: "timed out: podman \(args)"])
        }
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (status!, read(base + ".out"), read(base + ".err"))
    }
}
