import XCTest
@testable import Syscalls

final class SyscallTableTests: XCTestCase {
    let table = SyscallTable.x86_64

    private func info(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> SyscallInfo {
        let number = try XCTUnwrap(table.number(named: name), "no syscall \(name)", file: file, line: line)
        return try XCTUnwrap(table[number], file: file, line: line)
    }

    private func names(_ s: SyscallInfo) -> [String] { s.args.map(\.name) }
    private func kinds(_ s: SyscallInfo) -> [ArgKind] { s.args.map(\.kind) }

    // MARK: numbers and names

    func testNumbersByName() {
        let expected: [(String, Int)] = [
            ("read", 0), ("write", 1), ("openat", 257), ("execve", 59), ("exit_group", 231),
            ("clone3", 435), ("mseal", 462), ("newfstatat", 262), ("stat", 4), ("uname", 63),
            ("umount2", 166), ("sendfile", 40), ("connect", 42), ("accept", 43),
        ]
        for (name, number) in expected {
            XCTAssertEqual(table.number(named: name), number, name)
            XCTAssertEqual(table[number]?.name, name, "\(number)")
            XCTAssertEqual(table[number]?.number, number)
        }
    }

    func testUnknownNumbersAndNames() {
        XCTAssertNil(table[-1])
        XCTAssertNil(table[400])          // the reserved hole 387…423
        XCTAssertNil(table[512])          // x32 rows are not part of the 64-bit table
        XCTAssertNil(table[100_000])
        XCTAssertNil(table.number(named: "no_such_syscall"))
        XCTAssertNil(table.number(named: "newstat"))   // entry-point names are not syscall names
    }

    func testForArchAndCurrent() {
        XCTAssertEqual(SyscallTable.forArch(.x86_64).count, table.count)
        XCTAssertEqual(table.arch, .x86_64)
    }

    func testTableIsCompleteAndConsistent() {
        let all = table.all
        XCTAssertGreaterThan(all.count, 350)
        XCTAssertEqual(table.count, all.last.map { $0.number + 1 })
        // Every number in the classic range and after the reserved hole is present.
        for n in Array(0...336) + Array(424...469) {
            XCTAssertNotNil(table[n], "missing syscall \(n)")
        }
        var seen = Set<String>()
        for s in all {
            XCTAssertFalse(s.name.isEmpty, "syscall \(s.number) has no name")
            XCTAssertTrue(seen.insert(s.name).inserted, "duplicate name \(s.name)")
            XCTAssertEqual(table.number(named: s.name), s.number)
            XCTAssertLessThanOrEqual(s.args.count, 6, s.name)
            for a in s.args {
                XCTAssertFalse(a.name.isEmpty, "\(s.name): unnamed argument")
                XCTAssertFalse(a.type.isEmpty, "\(s.name).\(a.name): no type")
            }
        }
    }

    func testArgCountsOfWellKnownSyscalls() throws {
        let expected: [String: Int] = [
            "getpid": 0, "fork": 0, "sched_yield": 0, "rt_sigreturn": 0,
            "close": 1, "exit_group": 1, "pipe2": 2, "mmap": 6, "clone": 5, "futex": 6,
            "init_module": 3, "finit_module": 3, "kexec_file_load": 5,   // from the overrides
        ]
        for (name, count) in expected {
            XCTAssertEqual(try info(name).args.count, count, name)
        }
    }

    // MARK: arguments

    func testRead() throws {
        let s = try info("read")
        XCTAssertEqual(names(s), ["fd", "buf", "count"])
        XCTAssertEqual(s.args.map(\.type), ["unsigned int", "char *", "size_t"])
        XCTAssertEqual(kinds(s), [.fd, .outBuffer, .unsigned])
    }

    func testWrite() throws {
        let s = try info("write")
        XCTAssertEqual(names(s), ["fd", "buf", "count"])
        XCTAssertEqual(kinds(s), [.fd, .inBuffer, .unsigned])
    }

    func testOpenat() throws {
        let s = try info("openat")
        XCTAssertEqual(names(s), ["dfd", "filename", "flags", "mode"])
        XCTAssertEqual(s.args[1].type, "const char *")
        XCTAssertEqual(kinds(s), [.dirfd, .path, .hex, .octal])
    }

    func testExecve() throws {
        let s = try info("execve")
        XCTAssertEqual(names(s), ["filename", "argv", "envp"])
        XCTAssertEqual(kinds(s), [.path, .stringArray, .stringArray])
        // execveat's dirfd is named `fd` in the kernel, so only its name-blind default is .fd;
        // AT_FDCWD printing for it is per-syscall knowledge (Beautifiers).
        let execveat = try info("execveat")
        XCTAssertEqual(names(execveat), ["fd", "filename", "argv", "envp", "flags"])
        XCTAssertEqual(kinds(execveat), [.fd, .path, .stringArray, .stringArray, .hex])
    }

    func testNewfstatat() throws {
        let s = try info("newfstatat")
        XCTAssertEqual(names(s), ["dfd", "filename", "statbuf", "flag"])
        XCTAssertEqual(kinds(s), [.dirfd, .path, .outStruct("stat"), .hex])
        // stat's entry point is sys_newstat; its arguments come from that tracepoint.
        XCTAssertEqual(kinds(try info("stat")), [.path, .outStruct("stat")])
    }

    func testSockets() throws {
        let connect = try info("connect")
        XCTAssertEqual(names(connect), ["fd", "uservaddr", "addrlen"])
        XCTAssertEqual(kinds(connect), [.fd, .inStruct("sockaddr"), .signed])
        XCTAssertEqual(kinds(try info("bind"))[1], .inStruct("sockaddr"))

        let accept = try info("accept")
        XCTAssertEqual(names(accept), ["fd", "upeer_sockaddr", "upeer_addrlen"])
        XCTAssertEqual(kinds(accept), [.fd, .outStruct("sockaddr"), .pointer])
    }

    func testOtherKinds() throws {
        XCTAssertEqual(kinds(try info("mmap")), [.pointer, .unsigned, .hex, .hex, .fd, .hex])
        XCTAssertEqual(kinds(try info("dup2")), [.fd, .fd])
        XCTAssertEqual(kinds(try info("poll")), [.outStruct("pollfd"), .unsigned, .signed])
        XCTAssertEqual(kinds(try info("renameat2")), [.dirfd, .path, .dirfd, .path, .hex])
        XCTAssertEqual(kinds(try info("mount")), [.path, .path, .string, .hex, .pointer])
        XCTAssertEqual(kinds(try info("rt_sigaction")),
                       [.signed, .inStruct("sigaction"), .outStruct("sigaction"), .unsigned])
        XCTAssertEqual(kinds(try info("clone3")), [.inStruct("clone_args"), .unsigned])
        XCTAssertEqual(kinds(try info("setxattr")), [.path, .string, .inBuffer, .unsigned, .hex])
        XCTAssertEqual(kinds(try info("getxattr")), [.path, .string, .outBuffer, .unsigned])
        XCTAssertEqual(kinds(try info("capget")),
                       [.inStruct("__user_cap_header_struct"), .outStruct("__user_cap_data_struct")])
        XCTAssertEqual(kinds(try info("splice")), [.fd, .pointer, .fd, .pointer, .unsigned, .hex])
        XCTAssertEqual(kinds(try info("close_range")), [.fd, .unsigned, .hex])
        XCTAssertEqual(kinds(try info("kill")), [.signed, .signed])
    }

    /// -4095…-1 is -errno (the kernel's MAX_ERRNO); mmap's high addresses and 0 are results.
    func testErrorReturnBoundary() {
        for ret: Int64 in [-1, -2, -4095] {
            XCTAssertTrue(SyscallResult.isError(ret), "\(ret)")
            XCTAssertEqual(SyscallResult.errorNumber(ret), Int(-ret))
        }
        for ret: Int64 in [0, 1, -4096, Int64.min, Int64.max, -0x7f00_0000_0000] {
            XCTAssertFalse(SyscallResult.isError(ret), "\(ret)")
            XCTAssertNil(SyscallResult.errorNumber(ret))
        }
    }

    // MARK: the classifier on its own

    func testClassifier() {
        XCTAssertEqual(ArgKind(cType: "const char __user *", name: "pathname"), .path)
        XCTAssertEqual(ArgKind(cType: "const char *const *", name: "argv"), .stringArray)
        XCTAssertEqual(ArgKind(cType: "const struct landlock_ruleset_attr *const", name: "attr"),
                       .inStruct("landlock_ruleset_attr"))
        XCTAssertEqual(ArgKind(cType: "struct stat *", name: "statbuf"), .outStruct("stat"))
        XCTAssertEqual(ArgKind(cType: "union bpf_attr *", name: "uattr"), .outStruct("bpf_attr"))
        XCTAssertEqual(ArgKind(cType: "unsigned int", name: "nfds"), .unsigned)
        XCTAssertEqual(ArgKind(cType: "int", name: "fd"), .fd)
        XCTAssertEqual(ArgKind(cType: "int", name: "group_fd"), .fd)
        XCTAssertEqual(ArgKind(cType: "unsigned int", name: "max_fd"), .unsigned)
        XCTAssertEqual(ArgKind(cType: "int", name: "dirfd"), .dirfd)
        XCTAssertEqual(ArgKind(cType: "unsigned long", name: "len"), .unsigned)
        XCTAssertEqual(ArgKind(cType: "unsigned long", name: "flags"), .hex)
        XCTAssertEqual(ArgKind(cType: "unsigned long", name: "start"), .pointer)
        XCTAssertEqual(ArgKind(cType: "uid_t", name: "uid"), .signed)
        XCTAssertEqual(ArgKind(cType: "umode_t", name: "mode"), .octal)
        XCTAssertEqual(ArgKind(cType: "int *", name: "fildes"), .pointer)
        XCTAssertEqual(ArgKind(cType: "void *", name: "uaddr"), .pointer)
    }
}

import Beautifiers
import CgtraceABI
import Decoder

/// -y on results: every call whose result is a new descriptor asks the kernel to resolve it and
/// prints it with what it refers to, whether its format came from a family's override or from
/// the declaration. `SyscallInfo.returnsDescriptor` is the one list; these tests find the calls
/// by name, apart from it, so a call missing from the list fails here.
final class ReturnedDescriptorTests: XCTestCase {
    typealias Cap = RecordBuilder.Cap

    /// Calls that return a new descriptor, by name: open*, dup*, socket, accept*, pidfd_open and
    /// pidfd_getfd, memfd_*, eventfd*, timerfd_create, signalfd*, inotify_init*, epoll_create*,
    /// fanotify_init, the mount API's fs*/open_tree*, and the rest that make one.
    static func returnsDescriptorByName(_ name: String) -> Bool {
        let prefixes = ["open", "dup", "accept", "memfd_", "eventfd", "signalfd", "inotify_init", "epoll_create"]
        let names: Set<String> = ["creat", "socket", "pidfd_open", "pidfd_getfd", "timerfd_create", "fanotify_init",
                                  "userfaultfd", "perf_event_open", "io_uring_setup", "fsopen", "fsmount", "fspick",
                                  "landlock_create_ruleset", "bpf", "mq_open", "fcntl"]
        return names.contains(name) || prefixes.contains { name.hasPrefix($0) }
    }

    func testEveryDescriptorReturningCallResolvesItsResult() {
        for formats in [SyscallFormats.x86_64, SyscallFormats(table: .arm64)] {
            var checked = 0
            for info in formats.table.all {
                let spec = formats[info.number].kernelSpec(traced: true)
                let resolved = spec.flags & CGT_SC_RET_FD.rawValue != 0
                XCTAssertEqual(resolved, Self.returnsDescriptorByName(info.name), "\(formats.table.arch) \(info.name)")
                XCTAssertEqual(info.returnsDescriptor, Self.returnsDescriptorByName(info.name), info.name)
                if resolved { checked += 1 }
            }
            XCTAssertGreaterThan(checked, 25)
        }
    }

    /// The result prints with its target (`= 3</dev/null>`): the format says `.fd` (fcntl's own
    /// printer for F_DUPFD, F_DUPFD_CLOEXEC), not only the kernel spec.
    func testEveryDescriptorResultPrintsItsTarget() {
        let target = [Cap(arg: UInt8(CaptureSlot.returnValue), kind: .fdPath, index: 0, data: Array("null".utf8)),
                      Cap(arg: UInt8(CaptureSlot.returnValue), kind: .fdPath, index: 1, data: Array("dev".utf8)),
                      Cap(arg: UInt8(CaptureSlot.returnValue), kind: .fdInfo,
                          data: [1, 0, 0, 0] + [UInt8](repeating: 0, count: 20))]
        for table in [SyscallTable.x86_64, .arm64] {
            let names = table.all.map(\.name).filter { Self.returnsDescriptorByName($0) && $0 != "fcntl" }
            let h = FormatterHarness(formats: table.arch == .x86_64 ? .x86_64 : SyscallFormats(table: .arm64))
            for name in names { h.call(100, name, [0, 0, 0, 0, 0, 0], ret: 3, out: target) }
            h.call(100, "fcntl", [5, 0, 3], ret: 3, out: target)       // F_DUPFD
            h.call(100, "fcntl", [5, 1030, 3], ret: 4, out: target)    // F_DUPFD_CLOEXEC
            h.call(100, "fcntl", [5, 1, 0], ret: 1)                    // F_GETFD: flags
            // (the result's column padding aside)
            let lines = h.lines().map { $0.replacingOccurrences(of: " +=", with: " =", options: .regularExpression) }
            XCTAssertEqual(lines.count, names.count + 3)
            for (name, line) in zip(names, lines) {
                XCTAssertTrue(line.hasPrefix(name + "(") && line.hasSuffix(" = 3</dev/null>"), "\(table.arch): \(line)")
            }
            XCTAssertEqual(Array(lines.suffix(3)), ["fcntl(5, F_DUPFD, 3) = 3</dev/null>", "fcntl(5, F_DUPFD_CLOEXEC, 3) = 4</dev/null>",
                                                    "fcntl(5, F_GETFD) = 0x1 (flags FD_CLOEXEC)"])
        }
    }

    /// Overrides leave descriptor results to the list: one that said `.fd` itself could do so
    /// for a call the list (and so %desc, and the kernel flag's other readers) does not know.
    func testNoOverrideDeclaresADescriptorResult() {
        for (name, o) in SyscallFormats.overrides {
            if case .fd = o.ret { XCTFail("\(name): say it in SyscallInfo.descriptorReturning, not ret: .fd") }
        }
    }
}
