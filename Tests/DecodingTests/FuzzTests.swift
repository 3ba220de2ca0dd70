import Formatters
import Fuzzing
import Glibc
import XCTest

/// The short fuzz run CI does (bench/fuzz.sh does ≥ 10 M): random and mutated records through
/// the decoder and the strace formatter must never trap.
final class FuzzTests: XCTestCase {
    func testRandomAndMutatedRecordsNeverCrash() {
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        var total = RecordFuzzer.Report()
        for seed in 1...10 as ClosedRange<UInt64> {
            var fuzzer = RecordFuzzer(seed: seed)
            let r = fuzzer.run(count: 20_000, output: OutputFile(fd: devnull))
            total.inputs += r.inputs
            total.decoded += r.decoded
            total.rejected += r.rejected
        }
        XCTAssertEqual(total.inputs, 200_000)
        // Both paths were exercised: records that decode (and get formatted) and ones rejected.
        XCTAssertGreaterThan(total.decoded, 50_000)
        XCTAssertGreaterThan(total.rejected, 10_000)
        XCTAssertEqual(total.decoded + total.rejected, total.inputs)
    }

    func testSameSeedSameResult() {
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        var a = RecordFuzzer(seed: 42), b = RecordFuzzer(seed: 42)
        let ra = a.run(count: 5_000, output: OutputFile(fd: devnull))
        let rb = b.run(count: 5_000, output: OutputFile(fd: devnull))
        XCTAssertEqual(ra.decoded, rb.decoded)
        XCTAssertEqual(ra.rejected, rb.rejected)
    }
}
