@testable import BPFProbes
import Formatters
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

    func testBase64RefusesWhatIsNotBase64() {
        for bad in ["Zm9", "Zm9v!A==", "Z=9v", "====", "Zg=a"] {
            XCTAssertNil(Array(bad.utf8).withUnsafeBufferPointer { Base64.decode($0) }, bad)
        }
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
