import Foundation
import XCTest

/// Saved traces against the real kernel: `--write` during a live run, `dump --write`, and
/// `replay`, each in its own process, compared byte for byte.
final class SavedTraceTests: XCTestCase {
    private let dir = NSTemporaryDirectory() + "cgtrace-saved-\(UUID().uuidString.prefix(8))"
    private var recordings: [String] = []

    override func setUpWithError() throws {
        try KernelTest.requireRoot()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for name in recordings { _ = try? KernelTest.run([KernelTest.cgtracePath, "stop", name], timeout: 30) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func cgtrace(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try KernelTest.run([KernelTest.cgtracePath] + args, timeout: 60)
        return (r.status, r.stdout, r.stderr)
    }

    private func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// A command with files, a pipe, a failing call and a child: enough for every decoder path
    /// the options touch.
    private let workload = ["/bin/sh", "-c", "cat /etc/hostname /etc/passwd | wc -l > /dev/null; ls /nonexistent 2>/dev/null; true"]

    func testReplayOfALiveRunEqualsTheLiveOutput() throws {
        for options in [[], ["--json"], ["-c"], ["-y"], ["-tt", "-T"], ["-f", "-e", "trace=openat,read,write", "-s", "8"], ["-Z", "-X", "raw"]] {
            let saved = dir + "/live.cgt", live = dir + "/live.txt", replayed = dir + "/replayed.txt"
            let run = try cgtrace(options + ["-o", live, "--write", saved, "--"] + workload)
            XCTAssertEqual(run.status, 0, run.stderr)
            let replay = try cgtrace(["replay", saved] + options + ["-o", replayed])
            XCTAssertEqual(replay.status, 0, replay.stderr)
            XCTAssertEqual(replay.stderr, "", "\(options)")
            XCTAssertFalse(read(live).isEmpty)
            XCTAssertEqual(read(replayed), read(live), "replay \(options)")
        }
    }

    /// A run that lost records (a 1 MiB ring, dropping): the holes and the loss note replay too.
    func testReplayShowsTheSameHolesAndLosses() throws {
        let saved = dir + "/gaps.cgt", live = dir + "/gaps.txt", replayed = dir + "/replayed.txt"
        let run = try cgtrace(["--drop", "--buffer-size", "1M", "-T", "-o", live, "--write", saved, "--",
                               "/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000", "status=none"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let replay = try cgtrace(["replay", saved, "-T", "-o", replayed])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertEqual(read(replayed), read(live))
        XCTAssertEqual(replay.stderr, run.stderr, "the same loss note")
        // (Measured: ~230000 of 200000 calls' records lost, even in a release build.)
        XCTAssertTrue(read(live).contains("!!! lost "), "the run had holes to replay")
    }

    func testWriteAloneSavesInsteadOfPrintingAndACopyReplaysIdentically() throws {
        let saved = dir + "/run.cgt", copy = dir + "/copy.cgt"
        let run = try cgtrace(["--write", saved, "--", "/bin/cat", "/etc/hostname"])
        XCTAssertEqual(run.status, 0)
        XCTAssertFalse(run.stderr.contains("openat("), "no trace text without -o: \(run.stderr)")
        try FileManager.default.copyItem(atPath: saved, toPath: copy)
        let a = try cgtrace(["replay", saved, "-tt"]), b = try cgtrace(["replay", copy, "-tt"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertTrue(a.stdout.contains(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3"#), a.stdout)
        XCTAssertTrue(a.stdout.hasSuffix("+++ exited with 0 +++\n"), a.stdout)
        // A saved trace is no larger than its text (measured: a third of it for `ls -l /usr/bin`;
        // a trace of a few dozen calls is about the size of its text, the syscall table included).
        let text = try cgtrace(["-o", dir + "/run.txt", "--write", saved, "--", "/bin/ls", "-l", "/usr/bin"])
        XCTAssertEqual(text.status, 0)
        let sizes = try [saved, dir + "/run.txt"].map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0 }
        XCTAssertLessThanOrEqual(sizes[0], sizes[1], "\(sizes)")
    }

    func testReplayOfADumpEqualsTheDumpWithItsTrigger() throws {
        let name = "test-" + UUID().uuidString.prefix(8).lowercased()
        recordings.append(name)
        let rec = try cgtrace(["record", name, "--trigger", "exit=nonzero", "--", "/bin/sh", "-c", "cat /etc/hostname; exit 4"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        usleep(500_000)
        for options in [[], ["--json"], ["-c"], ["-tt", "-T"]] {
            let saved = dir + "/dump.cgt", dumped = dir + "/dump.txt", replayed = dir + "/replayed.txt"
            let dump = try cgtrace(["dump", name, "--write", saved, "-o", dumped] + options)
            XCTAssertEqual(dump.status, 0, dump.stderr)
            let replay = try cgtrace(["replay", saved, "-o", replayed] + options)
            XCTAssertEqual(replay.status, 0, replay.stderr)
            XCTAssertEqual(read(replayed), read(dumped), "\(options)")
            if options.isEmpty {
                XCTAssertTrue(read(replayed).contains("--- cgtrace: ^ the trigger ---"), read(replayed))
                XCTAssertTrue(read(replayed).contains("exited with 4"), read(replayed))
            }
        }
        // What dump cannot do, replay does on the saved recording: -Z, -P, -ff.
        let failed = try cgtrace(["replay", dir + "/dump.cgt", "-Z"])
        let calls = KernelTest.lines(failed.stdout).map(KernelTest.normalize).filter { !$0.hasPrefix("---") && !$0.hasPrefix("+++") }
        XCTAssertFalse(calls.isEmpty)
        XCTAssertTrue(calls.allSatisfy { $0.contains(" = -1 E") }, failed.stdout)
        let touching = try cgtrace(["replay", dir + "/dump.cgt", "-P", "/etc/hostname"])
        XCTAssertTrue(KernelTest.lines(touching.stdout).map(KernelTest.normalize).contains(#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3"#),
                      touching.stdout)
        XCTAssertFalse(touching.stdout.contains("execve("), touching.stdout)
    }

    func testDamagedFilesGiveOneLineOrWhatIsIntact() throws {
        let saved = dir + "/big.cgt"
        let run = try cgtrace(["--write", saved, "--", "/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=30000", "status=none"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let whole = try Data(contentsOf: URL(fileURLWithPath: saved))
        let full = try cgtrace(["replay", saved])
        let fullLines = KernelTest.lines(full.stdout)

        // Cut short: the sections before the cut decode, the rest is said to be missing.
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.cgt"))
        let cut = try cgtrace(["replay", dir + "/cut.cgt"])
        XCTAssertEqual(cut.status, 0, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("truncated"), cut.stderr)
        XCTAssertTrue(cut.stderr.contains("END section"), cut.stderr)
        let cutLines = KernelTest.lines(cut.stdout)
        XCTAssertGreaterThan(cutLines.count, 1000)
        XCTAssertEqual(Array(cutLines.prefix(1000)), Array(fullLines.prefix(1000)))

        // A flipped byte in the middle: that section goes, the others stay.
        var flipped = whole
        flipped[whole.count / 2] ^= 0x20
        try flipped.write(to: URL(fileURLWithPath: dir + "/flipped.cgt"))
        let flip = try cgtrace(["replay", dir + "/flipped.cgt"])
        XCTAssertEqual(flip.status, 0, flip.stderr)
        XCTAssertTrue(flip.stderr.contains("damaged"), flip.stderr)
        XCTAssertTrue(flip.stdout.hasSuffix("+++ exited with 0 +++\n"), "\(flip.stderr)\(KernelTest.lines(flip.stdout).suffix(2))")
        // The output marks the hole where the damaged section was: the lines before it are the
        // intact trace's, and so are those after it (from where they match again). (The line
        // right before it may be a call the hole cut, shown `<unfinished ...>` there.)
        let flipLines = KernelTest.lines(flip.stdout)
        let marks = flipLines.indices.filter { flipLines[$0].hasPrefix("!!! lost events here (saved trace damaged: ") }
        XCTAssertEqual(marks.count, 1, flip.stderr)
        if let mark = marks.first, mark > 1000 {
            XCTAssertEqual(Array(flipLines[..<(mark - 1)]), Array(fullLines.prefix(mark - 1)))
            XCTAssertEqual(Array(flipLines[(mark + 1)...].suffix(1000)), Array(fullLines.suffix(1000)))
        } else {
            XCTFail("the hole is in the middle: \(marks)")
        }
        let flipJSON = try cgtrace(["replay", dir + "/flipped.cgt", "--json"])
        let events = KernelTest.lines(flipJSON.stdout)
        XCTAssertEqual(events.filter { $0.hasPrefix(#"{"type":"damaged","#) }.count, 1)
        XCTAssertTrue(events.last?.contains(#""damaged_parts":1"#) ?? false, events.last ?? "")
        try KernelTest.assertValidJSON(events)

        // The first RECORDS section damaged: the command's execve goes with it, and what is
        // intact is still shown, from its first record (not nothing, waiting for the execve).
        var first = whole
        var off = 16
        for _ in 0..<2 { off += 24 + (0..<4).reduce(0) { $0 | Int(whole[off + 8 + $1]) << (8 * $1) } }  // past META, SYSCALLS
        XCTAssertEqual(whole[off], 3, "a RECORDS section third")
        first[off + 24 + 100] ^= 0x20
        try first.write(to: URL(fileURLWithPath: dir + "/first.cgt"))
        let startless = try cgtrace(["replay", dir + "/first.cgt"])
        XCTAssertEqual(startless.status, 0, startless.stderr)
        XCTAssertTrue(startless.stderr.contains("the command's start (its execve) is not among the intact records"), startless.stderr)
        XCTAssertFalse(startless.stdout.contains("execve("), startless.stderr)
        XCTAssertTrue(startless.stdout.hasPrefix("!!! lost events here (saved trace damaged: "), "the hole comes first")
        XCTAssertGreaterThan(KernelTest.lines(startless.stdout).count, 1000)
        XCTAssertTrue(startless.stdout.hasSuffix("+++ exited with 0 +++\n"), startless.stderr)

        // A usage error points at replay's own options, not record's.
        let usage = try cgtrace(["replay", saved, "--bogus"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertEqual(usage.stderr, "cgtrace: unrecognized option '--bogus' (cgtrace replay -h lists the options)\n")
        let value = try cgtrace(["replay", saved, "-s", "99999"])
        XCTAssertEqual(value.status, 2)
        XCTAssertEqual(value.stderr, "cgtrace: invalid -s argument: '99999' (a number from 0 to 8000) (cgtrace replay -h lists the options)\n")

        // Another version, or not a saved trace: one line, non-zero.
        var other = whole
        other[8] = 9
        try other.write(to: URL(fileURLWithPath: dir + "/v9.cgt"))
        for (file, message) in [(dir + "/v9.cgt", "is a version 9 saved trace"), (dir + "/cut.cgt.txt", "can't open")] {
            let r = try cgtrace(["replay", file])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(KernelTest.lines(r.stderr).count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
        }
    }
}
