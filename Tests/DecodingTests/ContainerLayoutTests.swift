import Foundation
import Launch
import XCTest

/// Container and systemd-unit cgroups, found from the layouts runtimes make. Pure: the paths are
/// strings, the trees are directories in a temporary directory (no cgroup, no kernel).
final class ContainerLayoutTests: XCTestCase {
    /// A real podman id from this machine (`podman run -d …`), reused for the other runtimes.
    static let id = "7b476b926894c267174a04b0d2fa46e44981a3f9f349f1529b9d463bc64afca9"
    static let other = "26506ef6342a" + String(repeating: "0", count: 48) + "beef"

    func match(_ path: String) -> (String, String)? {
        ContainerCgroupLayout.match(relativePath: path).map { ($0.layout.runtime, $0.key) }
    }

    func assertMatch(_ path: String, _ runtime: String, _ key: String = id, line: UInt = #line) {
        let m = match(path)
        XCTAssertEqual(m?.0, runtime, path, line: line)
        XCTAssertEqual(m?.1, key, path, line: line)
    }

    /// Paths as the runtimes create them (podman's cgroupfs one seen here; the others from the
    /// runtimes' documented and observed layouts).
    func testRealLayoutsMatchTheirRuntime() {
        let id = Self.id
        // podman: cgroupfs manager (this machine), systemd manager, rootless, pods
        assertMatch("/libpod_parent/libpod-\(id)", "podman")
        assertMatch("/libpod_parent/a1b2c3d4/libpod-\(id)", "podman")
        assertMatch("/machine.slice/libpod-\(id).scope", "podman")
        assertMatch("/machine.slice/machine-libpod_pod_0f1e2d.slice/libpod-\(id).scope", "podman")
        assertMatch("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-\(id).scope", "podman")
        // docker: cgroupfs driver (this machine), systemd driver
        assertMatch("/docker/\(id)", "docker")
        assertMatch("/system.slice/docker-\(id).scope", "docker")
        // containerd and Kubernetes
        assertMatch("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7f9a3b2c_1d4e_4f5a_8b6c_0d1e2f3a4b5c.slice/cri-containerd-\(id).scope", "containerd")
        assertMatch("/kubepods/burstable/pod7f9a3b2c-1d4e-4f5a-8b6c-0d1e2f3a4b5c/\(id)", "kubernetes")
        assertMatch("/kubepods/pod7f9a3b2c-1d4e-4f5a-8b6c-0d1e2f3a4b5c/\(id)", "kubernetes")
        assertMatch("/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod0a1b.slice/cri-containerd-\(id).scope", "containerd")
        // cri-o
        assertMatch("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0a1b_2c3d.slice/crio-\(id).scope", "cri-o")
        assertMatch("/kubepods/besteffort/pod0a1b-2c3d/crio-\(id)", "cri-o")
        // systemd-nspawn: systemd escapes '-' in the machine name
        assertMatch("/machine.slice/machine-my\\x2dbox.scope", "systemd-nspawn", "my-box")
        assertMatch("/machine.slice/machine-debian.scope", "systemd-nspawn", "debian")
        // LXC 4+
        assertMatch("/lxc.payload.web", "lxc", "web")
    }

    func testMonitorsAndOtherCgroupsAreNoContainers() {
        let id = Self.id
        for path in [
            "/libpod_parent/conmon",                          // podman's conmon, cgroupfs
            "/machine.slice/libpod-conmon-\(id).scope",       // podman's conmon, systemd
            "/kubepods.slice/kubepods-pod1.slice/crio-conmon-\(id).scope",
            "/lxc.monitor.web",
            "/docker",                                        // the runtime's parent, not a container
            "/libpod_parent",
            "/system.slice/nginx.service",
            "/somewhere/\(id)",                               // a bare id outside docker/ and kubepods
            "/kubepods/burstable/\(id)",                      // not below a pod
            "/docker/\(id.prefix(63))",                       // not a whole id
            "/docker/\(id.uppercased())",                     // runtimes write ids in lowercase
            "/system.slice/docker-\(id).service",
            "/machine.slice/machine-libpod_pod_0f1e.slice",   // a podman pod's slice, not a machine
        ] {
            XCTAssertNil(ContainerCgroupLayout.match(relativePath: path), path)
        }
    }

    func testSystemdUnescape() {
        XCTAssertEqual(ContainerCgroupLayout.systemdUnescape("a\\x2db\\x2dc"), "a-b-c")
        XCTAssertEqual(ContainerCgroupLayout.systemdUnescape("plain"), "plain")
        XCTAssertEqual(ContainerCgroupLayout.systemdUnescape("bad\\x2"), "bad\\x2")
    }

    // MARK: Trees in a temporary directory

    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "cgtrace-layout-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    func mkdirs(_ paths: String...) throws {
        for p in paths { try FileManager.default.createDirectory(atPath: root + p, withIntermediateDirectories: true) }
    }

    /// A resolver whose CLIs answer from a table: runtime → (status, stdout, stderr), nil = not installed.
    final class Calls { var list: [[String]] = [] }

    func resolver(_ answers: [String: (Int32, String, String)] = [:], calls: Calls = Calls()) -> ContainerResolver {
        var r = ContainerResolver(hierarchy: CgroupHierarchy(mountPoint: root))
        // The daemons' sockets are this machine's business: the stubs answer regardless.
        r.runtimes = RuntimeCLI.standard.map { RuntimeCLI(runtime: $0.runtime, command: $0.command, reply: $0.reply) }
        r.runTool = { argv, _ in
            calls.list.append(argv)
            guard let answer = answers[argv[0]] else { return .notInstalled }
            return .exited(status: answer.0, stdout: answer.1, stderr: answer.2)
        }
        // Nor are the runtimes' state files.
        r.stateLookUp = { _ in [] }
        return r
    }

    /// cgtrace in an image has no runtime CLI: a name is found in the runtime's state files
    /// (mounted read-only), here as podman 4.3 and docker 20.10 write them.
    func testNamesComeFromTheRuntimesStateFilesWhenNoCLIIsInstalled() throws {
        try mkdirs("/libpod_parent/libpod-\(Self.id)", "/docker/\(Self.other)", "/state/docker/\(Self.other)")
        let storage = root + "/state/containers.json"
        let other = String(repeating: "e", count: 64)
        try #"""
        [{"id":"\#(Self.id)","names":["web"],"image":"161cbb1fd2af","metadata":"{\"image-name\":\"localhost/bb:1\",\"name\":\"web\"}","created":"2026-12-05T05:41:22.292347049Z","flags":{"MountLabel":"","ProcessLabel":""}},
         {"id":"\#(other)","names":["build-1"],"flags":null}]
        """#.write(toFile: storage, atomically: true, encoding: .utf8)
        try #"{"StreamConfig":{},"State":{"Running":true,"Pid":4242},"ID":"\#(Self.other)","Name":"/dweb","Driver":"vfs"}"#
            .write(toFile: root + "/state/docker/\(Self.other)/config.v2.json", atomically: true, encoding: .utf8)
        var r = resolver()
        r.stateLookUp = { RuntimeStateFiles.lookUp($0, storage: storage, docker: self.root + "/state/docker") }
        XCTAssertEqual(try r.resolve("web"), ContainerCgroup(runtime: "podman", key: Self.id, path: root + "/libpod_parent/libpod-\(Self.id)"))
        XCTAssertEqual(try r.resolve("dweb").path, root + "/docker/\(Self.other)")
        XCTAssertThrowsError(try r.resolve("build-1")) { error in
            XCTAssertEqual("\(error)", "'build-1' is container eeeeeeeeeeee, which has no cgroup under \(self.root) (is it running?)")
        }
        XCTAssertThrowsError(try r.resolve("nope")) { error in
            XCTAssertTrue("\(error)".hasPrefix("no container 'nope': asked podman (not installed), docker (not installed), crictl (not installed), "
                + "containerd (not installed), podman state \(storage), docker state \(self.root)/state/docker; no cgroup under "), "\(error)")
        }
        XCTAssertEqual(RuntimeStateFiles.lookUp("web", storage: root + "/none.json", docker: root + "/none").map(\.ids), [nil, nil])
    }

    func testStateFilesThatAreNotTheirJSONNameNoContainer() {
        for text in ["", "[", #"{"id":"x"}"#, #"[{"id":"x","names":["web"]"#, #"[{"id":1,"names":["web"]}]"#, #"[{"id":"x","names":"web"}]"#] {
            XCTAssertEqual(RuntimeStateFiles.ids(named: "web", containersJSON: text), [], text)
        }
        XCTAssertEqual(RuntimeStateFiles.ids(named: "w\"b", containersJSON: #"[{"id":"x","names":["w\"b"]}]"#), ["x"])
        XCTAssertNil(RuntimeStateFiles.id(named: "dweb", dockerConfig: #"{"ID":"x","Name":"dweb"}"#), "docker's names start with '/'")
    }

    func testIdPrefixesResolveWithoutAskingTheRuntimes() throws {
        try mkdirs("/libpod_parent/conmon", "/libpod_parent/libpod-\(Self.id)/container", "/docker/\(Self.other)")
        let calls = Calls()
        let r = resolver(calls: calls)
        let podman = try r.resolve("7b476b")
        XCTAssertEqual(podman, ContainerCgroup(runtime: "podman", key: Self.id, path: root + "/libpod_parent/libpod-\(Self.id)"))
        XCTAssertEqual(try r.resolve("26506EF6").path, root + "/docker/\(Self.other)")
        XCTAssertEqual(try r.resolve(Self.id).runtime, "podman")
        XCTAssertEqual(calls.list, [])
        XCTAssertEqual(r.scan().count, 2)
    }

    func testAmbiguousPrefixListsTheCandidates() throws {
        let a = "aa11" + String(repeating: "0", count: 60)
        let b = "aa22" + String(repeating: "1", count: 60)
        try mkdirs("/system.slice/docker-\(a).scope", "/kubepods.slice/kubepods-pod1.slice/cri-containerd-\(b).scope")
        XCTAssertThrowsError(try resolver().resolve("aa")) { error in
            let text = (error as? LaunchError)?.description ?? ""
            XCTAssertEqual(text, "container 'aa' is ambiguous: docker aa1100000000 (/system.slice/docker-\(a).scope), "
                + "containerd aa2211111111 (/kubepods.slice/kubepods-pod1.slice/cri-containerd-\(b).scope)")
            XCTAssertEqual((error as? LaunchError)?.exitCode, 2)
        }
    }

    func testNamesComeFromTheRuntimesCLIs() throws {
        try mkdirs("/libpod_parent/libpod-\(Self.id)", "/docker/\(Self.other)", "/machine.slice/machine-my\\x2dbox.scope",
                   "/lxc.payload.web")
        let calls = Calls()
        let r = resolver([
            "podman": (0, Self.id + "\n", ""),
            "docker": (1, "", "Error: No such container: quiet_turing\n"),
        ], calls: calls)
        XCTAssertEqual(try r.resolve("quiet_turing").path, root + "/libpod_parent/libpod-\(Self.id)")
        XCTAssertEqual(calls.list.first, ["podman", "container", "inspect", "--format", "{{.Id}}", "quiet_turing"])
        XCTAssertEqual(calls.list.map(\.first), ["podman", "docker", "crictl", "ctr"])
        XCTAssertEqual(calls.list[2], ["crictl", "ps", "--quiet", "--name", "^quiet_turing$"])
        XCTAssertEqual(calls.list[3], ["ctr", "--connect-timeout", "1s", "containers", "info", "quiet_turing"])
        // Names that cgroup names carry need no CLI.
        calls.list = []
        XCTAssertEqual(try r.resolve("my-box").runtime, "systemd-nspawn")
        XCTAssertEqual(try r.resolve("web").path, root + "/lxc.payload.web")
        XCTAssertEqual(calls.list, [])
    }

    func testANameTwoRuntimesKnowIsAmbiguous() throws {
        try mkdirs("/libpod_parent/libpod-\(Self.id)", "/docker/\(Self.other)")
        let r = resolver(["podman": (0, Self.id + "\n", ""), "docker": (0, Self.other + "\n", "")])
        XCTAssertThrowsError(try r.resolve("web")) { error in
            XCTAssertEqual("\(error)", "container 'web' is ambiguous: docker 26506ef6342a (/docker/\(Self.other)), "
                + "podman 7b476b926894 (/libpod_parent/libpod-\(Self.id))")
        }
    }

    func testACustomCgroupParentIsFoundByTheIdTheCLIGave() throws {
        try mkdirs("/mine/conmon-\(Self.id)", "/mine/ctr-\(Self.id)")
        let r = resolver(["docker": (0, Self.id + "\n", "")])
        XCTAssertEqual(try r.resolve("web"), ContainerCgroup(runtime: "docker", key: Self.id, path: root + "/mine/ctr-\(Self.id)"))
    }

    func testAContainerThatDoesNotExistSaysWhatWasAsked() throws {
        try mkdirs("/system.slice/nginx.service")
        let r = resolver([
            "podman": (125, "", "Error: no such container nope\n"),
            "docker": (1, "", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"),
        ])
        XCTAssertThrowsError(try r.resolve("nope")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("no container 'nope': asked podman (no such container nope), docker (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?), crictl (not installed), containerd (not installed); no cgroup under \(self.root) matches libpod_parent/…/libpod-ID (podman), "), text)
            XCTAssertTrue(text.contains("docker/ID (docker)") && text.contains("lxc.payload.NAME (lxc)"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    /// containerd's own containers (ctr run) are named by their id, at /NAMESPACE/ID: found from
    /// the spec `ctr containers info` prints.
    func testContainerdSpecsNameTheirCgroup() throws {
        setenv("CONTAINERD_ADDRESS", root + "/no.sock", 1)
        defer { unsetenv("CONTAINERD_ADDRESS") }
        let ctr = try XCTUnwrap(RuntimeCLI.standard.first { $0.runtime == "containerd" })
        XCTAssertEqual(ctr.missingSocket(), root + "/no.sock")

        XCTAssertEqual(RuntimeCLI.cgroupsPath(inSpec: #"{"Spec": {"linux": {"cgroupsPath": "/default/cweb", "x": 1}}}"#), "/default/cweb")
        XCTAssertEqual(RuntimeCLI.cgroupsPath(inSpec: #"{"cgroupsPath":"kubepods-besteffort-pod1.slice:cri-containerd:abc"}"#),
                       "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-abc.scope")
        XCTAssertNil(RuntimeCLI.cgroupsPath(inSpec: "{}"))
        XCTAssertNil(RuntimeCLI.cgroupsPath(inSpec: #"{"cgroupsPath": ""}"#))
        try mkdirs("/default/cweb")
        let r = resolver(["ctr": (0, #"{"ID": "cweb", "Spec": {"linux": {"cgroupsPath": "/default/cweb"}}}"#, "")])
        XCTAssertEqual(try r.resolve("cweb"), ContainerCgroup(runtime: "containerd", key: "cweb", path: root + "/default/cweb"))
        let stopped = resolver(["ctr": (0, #"{"Spec": {"linux": {"cgroupsPath": "/default/gone"}}}"#, "")])
        XCTAssertThrowsError(try stopped.resolve("gone")) {
            XCTAssertEqual("\($0)", "'gone' is containerd container gone, which has no cgroup under \(self.root) (is it running?)")
        }
    }

    func testAStoppedContainerSaysItHasNoCgroup() throws {
        let r = resolver(["podman": (0, Self.id + "\n", "")])
        XCTAssertThrowsError(try r.resolve("stopped")) { error in
            XCTAssertEqual("\(error)", "'stopped' is podman container 7b476b926894, which has no cgroup under \(self.root) (is it running?)")
        }
        XCTAssertThrowsError(try r.resolve("a/b")) { XCTAssertEqual("\($0)", "'a/b' is not a container id or name") }
    }

    func testARealCLIThatIsMissingOrSlowIsReported() {
        XCTAssertEqual(ExternalTool.run(["cgtrace-no-such-tool-\(getpid())"], timeout: 1), .notInstalled)
        XCTAssertEqual(ExternalTool.run(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: 5),
                       .exited(status: 3, stdout: "out\n", stderr: "err\n"))
        let start = Date()
        XCTAssertEqual(ExternalTool.run(["sleep", "5"], timeout: 0.2), .timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    // MARK: systemd units

    /// A tree as systemd lays it out: slices nested by their dashes, services in their slice,
    /// user units below the user's manager.
    func makeSystemdTree() throws {
        try mkdirs("/init.scope", "/system.slice/nginx.service", "/system.slice/system-getty.slice/getty@tty1.service",
                   "/system.slice/docker.socket", "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service",
                   "/user.slice/user-1000.slice/session-3.scope",
                   "/user.slice/user-1001.slice/user@1001.service/app.slice/foo.service",
                   "/system.slice/delegated.service/foo.service")
    }

    func unit(_ name: String) throws -> String {
        try SystemdUnitResolver(hierarchy: CgroupHierarchy(mountPoint: root), askSystemd: false).resolve(name)
    }

    func testUnitsAreFoundWhereSystemdPutsThem() throws {
        try makeSystemdTree()
        XCTAssertEqual(try unit("nginx"), root + "/system.slice/nginx.service")
        XCTAssertEqual(try unit("nginx.service"), root + "/system.slice/nginx.service")
        XCTAssertEqual(try unit("getty@tty1.service"), root + "/system.slice/system-getty.slice/getty@tty1.service")
        XCTAssertEqual(try unit("docker.socket"), root + "/system.slice/docker.socket")
        XCTAssertEqual(try unit("session-3.scope"), root + "/user.slice/user-1000.slice/session-3.scope")
        XCTAssertEqual(try unit("user-1000.slice"), root + "/user.slice/user-1000.slice")
        XCTAssertEqual(try unit("system-getty.slice"), root + "/system.slice/system-getty.slice")
        XCTAssertEqual(try unit("-.slice"), root)
        XCTAssertEqual(try unit("user@1000.service"), root + "/user.slice/user-1000.slice/user@1000.service")
        XCTAssertEqual(SystemdUnitResolver.slicePath("a-b-c.slice"), "a.slice/a-b.slice/a-b-c.slice")
        XCTAssertEqual(SystemdUnitResolver.unitName("foo.bar"), "foo.bar.service")
    }

    func testUnitErrorsSayWhatIsMissingOrAmbiguous() throws {
        try makeSystemdTree()
        XCTAssertThrowsError(try unit("foo")) { error in
            XCTAssertEqual("\(error)", "unit foo.service is ambiguous: /system.slice/delegated.service/foo.service, "
                + "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service, "
                + "/user.slice/user-1001.slice/user@1001.service/app.slice/foo.service (give the cgroup with --cgroup)")
        }
        XCTAssertThrowsError(try unit("absent")) { XCTAssertEqual("\($0)", "no cgroup named absent.service under \(self.root) (is it running?)") }
        XCTAssertThrowsError(try unit("machine.slice")) {
            XCTAssertEqual("\($0)", "no cgroup for machine.slice: \(self.root)/machine.slice does not exist (is the slice active?)")
        }
    }

    func testUnitsAreAskedOfSystemdWhenItRuns() throws {
        try makeSystemdTree()
        var r = SystemdUnitResolver(hierarchy: CgroupHierarchy(mountPoint: root), askSystemd: true)
        var asked: [String] = []
        r.runTool = { argv, _ in
            asked = argv
            return .exited(status: 0, stdout: argv.last == "foo.service" ? "/user.slice/user-1001.slice/user@1001.service/app.slice/foo.service\n" : "\n", stderr: "")
        }
        XCTAssertEqual(try r.resolve("foo"), root + "/user.slice/user-1001.slice/user@1001.service/app.slice/foo.service")
        XCTAssertEqual(asked, ["systemctl", "show", "--property", "ControlGroup", "--value", "foo.service"])
        XCTAssertThrowsError(try r.resolve("stopped")) {
            XCTAssertEqual("\($0)", "unit stopped.service has no cgroup (systemctl status stopped.service: is it running?)")
        }
    }
}
