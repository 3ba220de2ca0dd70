@testable import BPFProbes
import CSpawn
import Formatters
import Loader
import WholeFiles
import XCTest

/// Pieces that start-up and the kernel configuration depend on, checked without a kernel.
final class StartupPieceTests: XCTestCase {
    func testBase64DecodesWhatBase64Writes() {
        // (base64 -w0 of "", "f", "fo", "foo", "foob", "fooba", "foobar": RFC 4648's examples)
        let cases: [(String, String)] = [("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"),
                                         ("Zm9vYg==", "foob"), ("Zm9vYmE=", "fooba"), ("Zm9vYmFy", "foobar")]
        for (encoded, plain) in cases {
            let bytes = Array(encoded.utf8).withUnsafeBufferPointer { Base64.decode($0) }
            XCTAssertEqual(bytes, Array(plain.utf8), encoded)
        }
        let all = Array("AP/+/w==".utf8).withUnsafeBufferPointer { Base64.decode($0) }
        XCTAssertEqual(all, [0x00, 0xff, 0xfe, 0xff])
    }

    /// Start-up's helper threads start with their creator's CPU left out of their affinity
    /// (with one CPU, as plain threads), then may go anywhere their creator may: CFS placing them
    /// beside the main thread cost 3–4.7 ms of start-up.
    func testHelperThreadsStartOffTheirCreatorsCPU() {
        let mine = Int(cgt_allowed_cpus())
        let allowedOnceStarted = Int(Background { cgt_allowed_cpus() }.value)
        var creator: Int32 = -1, started: Int32 = -1
        let placed = cgt_helper_last_start(&creator, &started)
        if mine >= 2 {
            XCTAssertEqual(placed, 1, "the creator's CPU left out at the start")
            XCTAssertGreaterThanOrEqual(creator, 0)
            XCTAssertNotEqual(started, creator)
        } else {
            XCTAssertEqual(placed, -1, "one CPU (or an unreadable affinity): a plain thread")
        }
        XCTAssertEqual(allowedOnceStarted, mine, "free to move once started")
        XCTAssertEqual(Int(cgt_allowed_cpus()), mine, "the creator's own affinity is left alone")
    }

    func testBase64RefusesWhatIsNotBase64() {
        for bad in ["Zm9", "Zm9v!A==", "Z=9v", "====", "Zg=a"] {
            XCTAssertNil(Array(bad.utf8).withUnsafeBufferPointer { Base64.decode($0) }, bad)
        }
    }

    /// The object's fingerprint (the CO-RE cache's key) tells apart what differs only in a tail
    /// byte, in length, or in the order of its words, and is the same for the same bytes.
    func testWordFingerprintSeesEveryByte() {
        let object = ProbeObjects.cgtrace
        XCTAssertEqual(Fingerprint.words(object), Fingerprint.words(Array(object)))
        var changed = object
        changed[changed.count - 1] ^= 1
        XCTAssertNotEqual(Fingerprint.words(object), Fingerprint.words(changed))
        XCTAssertNotEqual(Fingerprint.words([0]), Fingerprint.words([0, 0]))
        XCTAssertNotEqual(Fingerprint.words([]), Fingerprint.words([0]))
        XCTAssertNotEqual(Fingerprint.words([]), Fingerprint.words([1]), "tail and length mixed apart")
        var high = object
        high[7] ^= 0x80
        high[15] ^= 0x80
        XCTAssertNotEqual(Fingerprint.words(object), Fingerprint.words(high), "two flips of a word's top bit")
        let a: [UInt8] = Array(0..<8) + Array(8..<16), b: [UInt8] = Array(8..<16) + Array(0..<8)
        XCTAssertNotEqual(Fingerprint.words(a), Fingerprint.words(b))
        XCTAssertEqual(Set((0..<64).map { Fingerprint.words([UInt8](repeating: 7, count: $0)) }).count, 64)
    }

    func testTheEmbeddedProbesAreAnELFObject() {
        let object = ProbeObjects.cgtrace
        XCTAssertGreaterThan(object.count, 1000)
        XCTAssertEqual(Array(object.prefix(4)), [0x7f, UInt8(ascii: "E"), UInt8(ascii: "L"), UInt8(ascii: "F")])
    }

    /// The kernel skips reading the clock unless something shown needs a time.
    func testOnlyTimedOutputsAskTheKernelForTimes() {
        var format = FormatOptions()
        var plan = OutputPlan()
        XCTAssertFalse(plan.needsTimes(format), "plain strace text")
        format.showDurations = true
        XCTAssertTrue(plan.needsTimes(format), "-T")
        format = FormatOptions()
        format.timestamps = .microseconds
        XCTAssertTrue(plan.needsTimes(format), "-tt")
        format = FormatOptions()
        format.relativeTimestamps = true
        XCTAssertTrue(plan.needsTimes(format), "-r")
        format = FormatOptions()
        for change in [{ (p: inout OutputPlan) in p.json = true }, { $0.summaryOnly = true },
                       { $0.summaryWithTrace = true }, { $0.threadSummary = true }, { $0.perfettoPath = "/dev/null" }] {
            plan = OutputPlan()
            change(&plan)
            XCTAssertTrue(plan.needsTimes(format))
        }
    }
}
