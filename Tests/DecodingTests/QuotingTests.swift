import Beautifiers
import XCTest

/// strace's string escaping. Expected strings were taken from strace 6.1, e.g.
///   strace -e trace=write -s 100 printf '\0001\n\0\001\1778\t\v\f\r"\\\200\377x\033[0m\n'
///   → write(1, "\0001\n\0\1\1778\t\v\f\r\"\\\200\377x\33[0m\n", 21) = 21
///   strace -e trace=write printf 'a\0b\0019\0010\n'   → write(1, "a\0b\19\0010\n", 8) = 8
///   strace -xx -e trace=write printf 'ab\n'          → write(1, "\x61\x62\x0a", 3) = 3
final class QuotingTests: XCTestCase {
    private func q(_ bytes: [UInt8], hexOnly: Bool = false) -> String {
        var out: [UInt8] = []
        Quoting.appendQuoted(ArraySlice(bytes), hexOnly: hexOnly, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func q(_ text: String) -> String { q(Array(text.utf8)) }

    func testEmpty() {
        XCTAssertEqual(q([]), #""""#)
        XCTAssertEqual(q([], hexOnly: true), #""""#)
    }

    func testPrintableASCIIStaysAsIs() {
        let printable = (0x20...0x7e).map { UInt8($0) }.filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        XCTAssertEqual(q(printable), "\"" + String(decoding: printable, as: UTF8.self) + "\"")
        XCTAssertEqual(q("hello, world"), #""hello, world""#)
        XCTAssertEqual(q(" "), #"" ""#)
    }

    func testQuoteAndBackslash() {
        XCTAssertEqual(q(#"say "hi""#), #""say \"hi\"""#)
        XCTAssertEqual(q(#"a\b"#), #""a\\b""#)
        XCTAssertEqual(q(#"\""#), #""\\\"""#)
    }

    func testCEscapes() {
        XCTAssertEqual(q([0x09, 0x0a, 0x0b, 0x0c, 0x0d]), #""\t\n\v\f\r""#)
        XCTAssertEqual(q("line\n"), #""line\n""#)
    }

    func testOtherControlBytesAreMinimalOctal() {
        XCTAssertEqual(q([0]), #""\0""#)
        XCTAssertEqual(q([0, 0x0a]), #""\0\n""#)
        XCTAssertEqual(q([1]), #""\1""#)
        XCTAssertEqual(q([0x07, 0x08]), #""\7\10""#)
        XCTAssertEqual(q([0x1b]) , #""\33""#)
        XCTAssertEqual(q([0x7f]), #""\177""#)
        XCTAssertEqual(q([0x1b, 0x5b, 0x30, 0x6d]), #""\33[0m""#)
    }

    func testOctalBeforeAnOctalDigitUsesThreeDigits() {
        // printf '\0001\n'  → "\0001\n"
        XCTAssertEqual(q([0, UInt8(ascii: "1"), 0x0a]), #""\0001\n""#)
        // printf 'a\0b\0019\0010\n'  → "a\0b\19\0010\n": '9' is not an octal digit, '0' is.
        XCTAssertEqual(q([UInt8(ascii: "a"), 0, UInt8(ascii: "b"), 1, UInt8(ascii: "9"), 1, UInt8(ascii: "0"), 0x0a]),
                       #""a\0b\19\0010\n""#)
        XCTAssertEqual(q([0, UInt8(ascii: "7")]), #""\0007""#)
        XCTAssertEqual(q([0, UInt8(ascii: "8")]), #""\08""#)
        XCTAssertEqual(q([0x1b, UInt8(ascii: "0")]), #""\0330""#)
        XCTAssertEqual(q([0x7f, UInt8(ascii: "8")]), #""\1778""#)
        // An escape that follows is not a digit.
        XCTAssertEqual(q([0, 0]), #""\0\0""#)
    }

    func testRealELFHeader() {
        // read(3, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832) = 832
        let elf: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0,
                            3, 0, 0x3e, 0, 1, 0, 0, 0, 0x10, 0x74, 2, 0, 0, 0, 0, 0]
        XCTAssertEqual(q(elf), #""\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0""#)
    }

    func testHighBytesAreOctal() {
        // strace prints bytes >= 0x80 in octal, UTF-8 or not: "\200\377x"
        XCTAssertEqual(q([0x80, 0xff, UInt8(ascii: "x")]), #""\200\377x""#)
        XCTAssertEqual(q(Array("é".utf8)), #""\303\251""#)
        XCTAssertEqual(q([0xc3, UInt8(ascii: "1")]), #""\3031""#)
    }

    func testStraceSample() {
        let bytes: [UInt8] = [0, UInt8(ascii: "1"), 0x0a, 0, 1, 0x7f, UInt8(ascii: "8"), 0x09, 0x0b, 0x0c, 0x0d,
                              UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x80, 0xff, UInt8(ascii: "x"),
                              0x1b, UInt8(ascii: "["), UInt8(ascii: "0"), UInt8(ascii: "m"), 0x0a]
        XCTAssertEqual(q(bytes), #""\0001\n\0\1\1778\t\v\f\r\"\\\200\377x\33[0m\n""#)
    }

    func testHexOnly() {
        // strace -xx: every byte as \xNN, lower case
        XCTAssertEqual(q(Array("ab\n".utf8), hexOnly: true), #""\x61\x62\x0a""#)
        XCTAssertEqual(q([0, 0x80, 0xff, 0xAB, UInt8(ascii: "\"")], hexOnly: true), #""\x00\x80\xff\xab\x22""#)
    }

    func testQuotedConvenience() {
        XCTAssertEqual(Quoting.quoted("a\"b\n"), #""a\"b\n""#)
        XCTAssertEqual(Quoting.quoted("ab", hexOnly: true), #""\x61\x62""#)
    }

    func testSliceWithNonZeroStartIndex() {
        let all: [UInt8] = [UInt8(ascii: "x"), UInt8(ascii: "x"), 0, UInt8(ascii: "1"), 0, UInt8(ascii: "5")]
        var out: [UInt8] = []
        Quoting.appendQuoted(all[2..<5], to: &out)   // [0, "1", 0]: the "5" after the slice is not looked at
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #""\0001\0""#)
    }

    func testAppendsToExistingBuffer() {
        var out = Array("read(3, ".utf8)
        Quoting.appendQuoted(ArraySlice([UInt8(ascii: "h"), 0x0a]), to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"read(3, "h\n""#)
    }
}
