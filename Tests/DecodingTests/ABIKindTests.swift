import Beautifiers
import CgtraceABI
import Decoder
import Foundation
import XCTest

/// The Swift enums over the ABI's capture kinds map 1:1 to the header's constants: every
/// constant the header defines has a case with its value, and no case is left over. A kind
/// added to the header without a Swift case (or the other way round) fails here.
final class ABIKindTests: XCTestCase {
    static let headerPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../probes/include/cgtrace_abi.h").standardized.path

    /// The constants of `enum NAME { … }` in the ABI header, name → value.
    static func headerEnum(_ name: String) throws -> [String: Int] {
        let text = try String(contentsOfFile: headerPath, encoding: .utf8)
        guard let open = text.range(of: "enum \(name) {"),
              let close = text.range(of: "};", range: open.upperBound..<text.endIndex) else {
            XCTFail("enum \(name) not found in \(headerPath)")
            return [:]
        }
        var constants: [String: Int] = [:]
        // Comments first: they may hold `=` and `,`.
        var body = String(text[open.upperBound..<close.lowerBound])
        while let start = body.range(of: "/*"), let end = body.range(of: "*/", range: start.upperBound..<body.endIndex) {
            body.removeSubrange(start.lowerBound..<end.upperBound)
        }
        for entry in body.split(separator: ",") {
            let parts = entry.split(separator: "=").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard parts.count == 2, let value = Int(parts[1]) else {
                if !entry.allSatisfy(\.isWhitespace) { XCTFail("cannot read `\(entry)` in enum \(name)") }
                continue
            }
            constants[parts[0]] = value
        }
        return constants
    }

    func testCaptureKindsAreTheHeadersConstants() throws {
        let cases: [String: (CaptureKind, UInt32)] = [
            "CGT_CAP_STR": (.string, CGT_CAP_STR.rawValue),
            "CGT_CAP_BUF": (.buffer, CGT_CAP_BUF.rawValue),
            "CGT_CAP_ARGV": (.argvElement, CGT_CAP_ARGV.rawValue),
            "CGT_CAP_ARGC": (.count, CGT_CAP_ARGC.rawValue),
            "CGT_CAP_FDPATH": (.fdPath, CGT_CAP_FDPATH.rawValue),
            "CGT_CAP_FDINFO": (.fdInfo, CGT_CAP_FDINFO.rawValue),
            "CGT_CAP_SOCKINFO": (.socketInfo, CGT_CAP_SOCKINFO.rawValue),
            "CGT_CAP_UREGS": (.userRegisters, CGT_CAP_UREGS.rawValue),
            "CGT_CAP_USTACK": (.userStack, CGT_CAP_USTACK.rawValue),
            "CGT_CAP_IOV": (.iovec, CGT_CAP_IOV.rawValue),
            "CGT_CAP_MSGHDR": (.messageHeader, CGT_CAP_MSGHDR.rawValue),
            "CGT_CAP_MSGNAME": (.messageName, CGT_CAP_MSGNAME.rawValue),
            "CGT_CAP_MSGCTL": (.messageControl, CGT_CAP_MSGCTL.rawValue),
            "CGT_CAP_MSGLEN": (.messageLength, CGT_CAP_MSGLEN.rawValue),
            "CGT_CAP_NETLINK": (.netlink, CGT_CAP_NETLINK.rawValue),
        ]
        try checkMapping(header: Self.headerEnum("cgt_capture_kind"), cases: cases.mapValues { ($0.0.rawValue, $0.1) },
                         allCases: CaptureKind.allCases.map(\.rawValue))
    }

    func testArgCapturesAreTheHeadersConstants() throws {
        let cases: [String: (ArgCapture, UInt32)] = [
            "CGT_ARG_NONE": (.none, CGT_ARG_NONE.rawValue),
            "CGT_ARG_STR_IN": (.stringIn, CGT_ARG_STR_IN.rawValue),
            "CGT_ARG_BUF_IN": (.bufferIn, CGT_ARG_BUF_IN.rawValue),
            "CGT_ARG_STRUCT_IN": (.structIn, CGT_ARG_STRUCT_IN.rawValue),
            "CGT_ARG_STRUCT_OUT": (.structOut, CGT_ARG_STRUCT_OUT.rawValue),
            "CGT_ARG_BUF_OUT_RET": (.bufferOutReturned, CGT_ARG_BUF_OUT_RET.rawValue),
            "CGT_ARG_BUF_OUT_ARG": (.bufferOutArgument, CGT_ARG_BUF_OUT_ARG.rawValue),
            "CGT_ARG_ARGV": (.stringArray, CGT_ARG_ARGV.rawValue),
            "CGT_ARG_ARGC": (.arrayCount, CGT_ARG_ARGC.rawValue),
            "CGT_ARG_STRUCT_OUT_LENPTR": (.structOutLengthPointer, CGT_ARG_STRUCT_OUT_LENPTR.rawValue),
            "CGT_ARG_STRUCT_IN_LEN": (.structInLength, CGT_ARG_STRUCT_IN_LEN.rawValue),
            "CGT_ARG_DIRENT_COUNT": (.direntCount, CGT_ARG_DIRENT_COUNT.rawValue),
            "CGT_ARG_SIGFRAME_MASK": (.signalFrameMask, CGT_ARG_SIGFRAME_MASK.rawValue),
            "CGT_ARG_FD": (.fd, CGT_ARG_FD.rawValue),
            "CGT_ARG_STRUCT_INOUT": (.structInOut, CGT_ARG_STRUCT_INOUT.rawValue),
            "CGT_ARG_ARRAY_INOUT": (.arrayInOut, CGT_ARG_ARRAY_INOUT.rawValue),
            "CGT_ARG_ARRAY_OUT_RET": (.arrayOutReturned, CGT_ARG_ARRAY_OUT_RET.rawValue),
            "CGT_ARG_IOV_IN": (.iovecIn, CGT_ARG_IOV_IN.rawValue),
            "CGT_ARG_IOV_OUT_RET": (.iovecOutReturned, CGT_ARG_IOV_OUT_RET.rawValue),
            "CGT_ARG_MSGHDR_IN": (.messageIn, CGT_ARG_MSGHDR_IN.rawValue),
            "CGT_ARG_MSGHDR_OUT_RET": (.messageOutReturned, CGT_ARG_MSGHDR_OUT_RET.rawValue),
            "CGT_ARG_MMSG_IN": (.messagesIn, CGT_ARG_MMSG_IN.rawValue),
            "CGT_ARG_MMSG_OUT_RET": (.messagesOutReturned, CGT_ARG_MMSG_OUT_RET.rawValue),
        ]
        try checkMapping(header: Self.headerEnum("cgt_arg_capture"), cases: cases.mapValues { ($0.0.rawValue, $0.1) },
                         allCases: ArgCapture.allCases.map(\.rawValue))
        XCTAssertEqual(Set(ArgCapture.allCases.filter(\.isVector).map(\.rawValue)),
                       Set([CGT_ARG_IOV_IN, CGT_ARG_IOV_OUT_RET, CGT_ARG_MSGHDR_IN, CGT_ARG_MSGHDR_OUT_RET,
                            CGT_ARG_MMSG_IN, CGT_ARG_MMSG_OUT_RET].map { UInt8($0.rawValue) }))
    }

    /// `header`: the header's constants as text says; `cases`: per constant, the Swift case's raw
    /// value and the value the C compiler gives the constant; `allCases`: every Swift case.
    func checkMapping(header: [String: Int], cases: [String: (swift: UInt8, c: UInt32)], allCases: [UInt8]) throws {
        XCTAssertGreaterThan(header.count, 10, "the header's enum was not read")
        XCTAssertEqual(Set(header.keys), Set(cases.keys), "constants in the header and cases in Swift differ")
        for (name, value) in header {
            guard let mapped = cases[name] else { continue }
            XCTAssertEqual(Int(mapped.swift), value, name)
            XCTAssertEqual(Int(mapped.c), value, name)
        }
        XCTAssertEqual(allCases.count, header.count, "a Swift case without a constant, or two with one value")
        XCTAssertEqual(Set(allCases), Set(cases.values.map(\.swift)))
    }

    func testArgSpecIsTheABIStruct() {
        let spec = ArgSpec(.structInLength, lengthArg: 2, size: 128).abi
        XCTAssertEqual(spec.capture, UInt8(CGT_ARG_STRUCT_IN_LEN.rawValue))
        XCTAssertEqual(spec.len_arg, 2)
        XCTAssertEqual(spec.size, 128)
        XCTAssertEqual(ArgSpec.none.abi.capture, UInt8(CGT_ARG_NONE.rawValue))
    }
}
