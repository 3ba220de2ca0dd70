import Foundation
import Loader
import XCTest

/// -k against the real kernel: stacks unwound through glibc (no frame pointers there) into a
/// program built for the test, and symbolized after the process is gone.
final class StackTraceTests: XCTestCase {
    static let source = """
        #include <fcntl.h>
        #include <unistd.h>
        __attribute__((noinline)) int open_settings(const char *path) { return open(path, O_RDONLY); }
        __attribute__((noinline, noreturn)) void quit_now(int code) { _exit(code); }
        int main(void) { quit_now(open_settings("/etc/hostname") < 0); }
        """

    var directory = ""
    var program = ""

    override func setUpWithError() throws {
        try KernelTest.requireRoot()
        directory = NSTemporaryDirectory() + "cgtrace-stack-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.source.write(toFile: directory + "/prog.c", atomically: true, encoding: .utf8)
        program = directory + "/prog"
        let cc = try KernelTest.run(["/usr/bin/cc", "-g", "-O1", "-fno-omit-frame-pointer", "-o", program,
                                     directory + "/prog.c"], timeout: 120)
        XCTAssertEqual(cc.status, 0, "cc: \(cc.stderr)")
    }

    override func tearDown() {
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The ` > ` lines after the first line that starts with `prefix`.
    func frames(after prefix: String, in trace: [String]) -> [String] {
        guard let i = trace.firstIndex(where: { $0.hasPrefix(prefix) }) else { return [] }
        return Array(trace[(i + 1)...].prefix { $0.hasPrefix(" > ") })
    }

    func testOpenatStackNamesTheCallerAndMain() throws {
        let r = try KernelTest.cgtrace(["-k", "-e", "trace=openat"], [program])
        XCTAssertEqual(r.status, 0, r.stderr)
        let stack = frames(after: "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = ", in: r.trace)
        let text = r.trace.joined(separator: "\n")
        // Innermost: the C library's wrapper; then, through CFI, the program's own functions.
        XCTAssertTrue(stack.first?.contains("libc.so.6(") ?? false, text)
        XCTAssertTrue(stack.contains { $0.hasPrefix(" > \(program)(open_settings+0x") }, text)
        XCTAssertTrue(stack.contains { $0.hasPrefix(" > \(program)(main+0x") }, text)
        XCTAssertLessThan(stack.firstIndex { $0.contains("(open_settings+") } ?? .max,
                          stack.firstIndex { $0.contains("(main+") } ?? .min, "callee before caller")
        // Every frame reads `FILE(SYMBOL+0xOFF) [0xADDR]` or `FILE() [0xADDR]`.
        for line in stack {
            XCTAssertNotNil(line.range(of: #"^ > /\S+\((\S+\+0x[0-9a-f]+)?\) \[0x[0-9a-f]+\]$"#, options: .regularExpression), line)
        }
        // -e: only the traced calls are printed, and only they carry stacks.
        let calls = r.trace.filter { !$0.hasPrefix(" > ") && !$0.hasPrefix("+++") }
        XCTAssertFalse(calls.isEmpty)
        XCTAssertTrue(calls.allSatisfy { $0.hasPrefix("openat(") }, text)
    }

    /// strace 6.1 (libunwind) names frames from each file's own symbol tables: a stripped libc's
    /// exported aliases (`__open64`, `__libc_start_main`), never the debug file's (`__open`,
    /// `__libc_start_main@@GLIBC_2.34`), and the nearest symbol below an address past a local
    /// function (`__libc_init_first+0x…`). The same frames, byte for byte.
    func testFramesAreNamedAsStraceNamesThem() throws {
        let strace = try KernelTest.strace(["-k", "-e", "trace=openat"], [program])
        let ours = try KernelTest.cgtrace(["-k", "-e", "trace=openat"], [program])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let line = "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = "
        let expected = frames(after: line, in: strace.trace)
        XCTAssertGreaterThanOrEqual(expected.count, 4, strace.trace.joined(separator: "\n"))
        XCTAssertEqual(frames(after: line, in: ours.trace), expected)
    }

    /// The program's last call is exit_group from quit_now: it is gone long before the tracer
    /// reads that record (the consumer wakes every 10 ms), so /proc/PID/maps cannot help;
    /// the kernel's reports of its mappings must.
    func testProcessThatIsGoneStillSymbolizes() throws {
        let r = try KernelTest.cgtrace(["-k", "-e", "trace=exit_group"], [program])
        XCTAssertEqual(r.status, 0, r.stderr)
        let stack = frames(after: "exit_group(0)", in: r.trace)
        let text = r.trace.joined(separator: "\n")
        XCTAssertTrue(stack.contains { $0.hasPrefix(" > \(program)(quit_now+0x") }, text)
        XCTAssertTrue(stack.contains { $0.hasPrefix(" > \(program)(main+0x") }, text)
    }

    /// --json -k: the same frames, as an array of objects on the syscall event.
    func testJSONCarriesFramesAsAnArray() throws {
        let r = try KernelTest.cgtrace(["--json", "-k", "-e", "trace=openat"], [program])
        XCTAssertEqual(r.status, 0, r.stderr)
        let events = r.trace.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        guard let open = events.first(where: { ($0["args"] as? [String: Any])?["filename"] as? String == "/etc/hostname" }) else {
            return XCTFail("no openat of /etc/hostname: \(r.trace.joined(separator: "\n"))")
        }
        let frames = open["stack"] as? [[String: Any]] ?? []
        let symbols = frames.compactMap { $0["symbol"] as? String }
        XCTAssertNotNil(frames.first?["module"] as? String, "\(frames)")
        XCTAssertTrue(symbols.contains("open_settings"), "\(frames)")
        XCTAssertLessThan(symbols.firstIndex(of: "open_settings") ?? .max, symbols.firstIndex(of: "main") ?? .min)
        XCTAssertTrue(frames.allSatisfy { ($0["address"] as? Int ?? 0) > 0 && $0["module_address"] is Int }, "\(frames)")
    }

    func testWithoutKThereAreNoFrames() throws {
        let r = try KernelTest.cgtrace(["-e", "trace=openat"], [program])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.trace.contains { $0.hasPrefix("openat(AT_FDCWD, \"/etc/hostname\"") })
        XCTAssertFalse(r.trace.contains { $0.hasPrefix(" > ") }, r.trace.joined(separator: "\n"))
    }

    /// The stack code must pass the verifier in the fallback attach mode too.
    func testStackCaptureLoadsInEveryAttachMode() throws {
        for mode in AttachMode.allCases {
            var options = ProbeOptions()
            options.modes = [mode]
            options.stackBytes = 8192
            do {
                let session = try ProbeSession(options: options)
                XCTAssertEqual(session.mode, mode)
                session.close()
            } catch {
                XCTFail("\(mode.rawValue) with stacks: \(error.description)")
            }
        }
    }
}
