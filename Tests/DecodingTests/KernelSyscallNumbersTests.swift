import Syscalls
import XCTest

/// The kernel's own numbering (KernelSyscallNumbers): kallsyms text and sys_call_table bytes in,
/// number → name out. Built from a small made-up kernel, so it runs anywhere.
final class KernelSyscallNumbersTests: XCTestCase {
    /// Addresses of a pretend kernel: four leading handlers, a gap, one syscall the build lacks.
    static let kallsyms = """
        ffffffff81000000 T _stext
        ffffffff81000100 T __x64_sys_read
        ffffffff81000110 t __pfx___x64_sys_write
        ffffffff81000120 T __x64_sys_write
        ffffffff81000200 T __x64_sys_open
        ffffffff81000300 T __x64_sys_close
        ffffffff81000400 T __x64_sys_ni_syscall
        ffffffff81000500 T __x64_sys_newstat
        ffffffff81000600 T __x64_sys_brand_new
        ffffffff81000680 W __x64_sys_init_module
        ffffffff81000700 T __ia32_sys_read
        ffffffff81000800 d some_data
        ffffffff82400000 D __start_rodata
        ffffffffc0001000 t __x64_sys_fake\t[module]

        """

    static func entries(_ addresses: [UInt64]) -> [UInt8] {
        addresses.flatMap { a in withUnsafeBytes(of: a.littleEndian) { Array($0) } }
    }

    func testHandlersAreTheArchitecturesSyscallSymbols() {
        let handlers = KernelSyscallNumbers.handlers(kallsyms: Array(Self.kallsyms.utf8), arch: .x86_64)
        XCTAssertEqual(handlers[0xffffffff81000100], "read")
        XCTAssertEqual(handlers[0xffffffff81000120], "write")
        XCTAssertEqual(handlers[0xffffffff81000500], "newstat")
        XCTAssertNil(handlers[0xffffffff81000110], "__pfx_ padding is not a handler")
        XCTAssertNil(handlers[0xffffffff81000700], "the ia32 entry is another table's")
        XCTAssertEqual(handlers[0xffffffffc0001000], "fake")
        XCTAssertEqual(handlers[0xffffffff81000680], "init_module", "a weak COND_SYSCALL handler")
        XCTAssertEqual(handlers.count, 9)
        XCTAssertEqual(KernelSyscallNumbers.address(of: "__start_rodata", kallsyms: Array(Self.kallsyms.utf8)), 0xffffffff82400000)
        XCTAssertNil(KernelSyscallNumbers.address(of: "__start_rodat", kallsyms: Array(Self.kallsyms.utf8)))
    }

    func testTheTableIsFoundByItsLeadingHandlersAndMapsNumbersToNames() throws {
        let handlers = KernelSyscallNumbers.handlers(kallsyms: Array(Self.kallsyms.utf8), arch: .x86_64)
        let pattern = try XCTUnwrap(KernelSyscallNumbers.tablePattern(handlers: handlers, arch: .x86_64))
        XCTAssertEqual(pattern.count, 32)
        // Other read-only data first (one copy of read's address alone, misaligned bytes of the
        // pattern), then the table: read write open close ni newstat brand_new, then other data.
        var memory = Self.entries([0x1234, 0xffffffff81000100, 0])
        memory += [0, 0, 0, 0] + pattern + [0, 0, 0, 0]
        let tableOffset = memory.count
        memory += Self.entries([0xffffffff81000100, 0xffffffff81000120, 0xffffffff81000200, 0xffffffff81000300,
                                0xffffffff81000400, 0xffffffff81000500, 0xffffffff81000600, 0xffffffff81000680, 0xdead_beef, 0xffffffff81000100])
        XCTAssertEqual(KernelSyscallNumbers.find(pattern, in: memory), tableOffset)
        let numbers = KernelSyscallNumbers.mapping(table: Array(memory[tableOffset...]), handlers: handlers)
        XCTAssertEqual(numbers, [0: "read", 1: "write", 2: "open", 3: "close", 5: "newstat", 6: "brand_new", 7: "init_module"])
        XCTAssertNil(KernelSyscallNumbers.find(pattern, in: Array(memory[..<tableOffset])))
    }

    func testArm64HandlersAndPattern() throws {
        let text = """
            ffff800080010000 T __arm64_sys_io_setup
            ffff800080010100 T __arm64_sys_io_destroy
            ffff800080010200 T __arm64_sys_io_submit
            ffff800080010300 T __arm64_sys_io_cancel
            ffff800080010400 T __x64_sys_read

            """
        let handlers = KernelSyscallNumbers.handlers(kallsyms: Array(text.utf8), arch: .arm64)
        XCTAssertEqual(Set(handlers.values), ["io_setup", "io_destroy", "io_submit", "io_cancel"])
        let pattern = try XCTUnwrap(KernelSyscallNumbers.tablePattern(handlers: handlers, arch: .arm64))
        XCTAssertEqual(KernelSyscallNumbers.mapping(table: pattern, handlers: handlers),
                       [0: "io_setup", 1: "io_destroy", 2: "io_submit", 3: "io_cancel"])
        XCTAssertNil(KernelSyscallNumbers.tablePattern(handlers: handlers, arch: .x86_64))
    }

    /// A syscall the build does not know joins the table with the kernel's number and the
    /// tracepoint's declaration; the build's own names and numbers are never replaced.
    func testAnUnknownSyscallJoinsTheTableByTheKernelsNumber() {
        let base = SyscallTable.x86_64.removing(["cachestat"])
        XCTAssertNil(base[451])
        let kernel: [String: [ArgDeclaration]] = [
            "cachestat": [ArgDeclaration(name: "fd", type: "unsigned int"), ArgDeclaration(name: "cstat_range", type: "struct cachestat_range *"),
                          ArgDeclaration(name: "cstat", type: "struct cachestat *"), ArgDeclaration(name: "flags", type: "unsigned int")],
            "getpid": [],
            "clashing": [ArgDeclaration(name: "fd", type: "int")],
        ]
        XCTAssertEqual(Set(base.differing(kernel).keys), ["cachestat", "clashing"])
        XCTAssertEqual(base.unknownEvents(kernel), ["cachestat", "clashing"])
        let (table, changed) = base.merging(kernelArguments: kernel, numbers: ["cachestat": 451, "clashing": 39])
        XCTAssertEqual(changed, ["cachestat"])
        XCTAssertEqual(table[451]?.name, "cachestat")
        XCTAssertEqual(table[451]?.args.map(\.name), ["fd", "cstat_range", "cstat", "flags"])
        XCTAssertEqual(table.number(named: "cachestat"), 451)
        XCTAssertEqual(table[39]?.name, "getpid", "a number the build has keeps its name")
        XCTAssertNil(table.number(named: "clashing"))
    }
}
