/// The running kernel's own syscall numbering: `sys_call_table[nr]` holds the address of the
/// syscall's handler, `__x64_sys_NAME` on x86_64 (`__arm64_sys_NAME` on arm64), and
/// /proc/kallsyms names that address. NAME is the SYSCALL_DEFINE name, the same as the entry
/// tracepoint's (`sys_enter_NAME`), so a number joins the declarations tracefs gives.
///
/// Kernels built without CONFIG_KALLSYMS_ALL (this VM's) list no data symbols, so the table's
/// own address is unknown; it is found instead by its first entries, the handlers of the
/// architecture's lowest numbers, which kallsyms does list (text symbols). This file is the pure
/// part: text and bytes in, numbers out. Reading kernel memory is the Loader's (KernelMemory).
public enum KernelSyscallNumbers {
    /// The handlers' symbol prefix.
    public static func handlerPrefix(_ arch: Arch) -> String {
        switch arch {
        case .x86_64: return "__x64_sys_"
        case .arm64: return "__arm64_sys_"
        }
    }

    /// The handlers of numbers 0–3, whose addresses in a row mark the table's start.
    public static func leadingNames(_ arch: Arch) -> [String] {
        switch arch {
        case .x86_64: return ["read", "write", "open", "close"]
        case .arm64: return ["io_setup", "io_destroy", "io_submit", "io_cancel"]
        }
    }

    /// The number of entries read after the start: more than any architecture has (x86_64
    /// ends near 470); the walk stops at the first entry that is not a handler.
    public static let maxEntries = 1024

    /// Handler addresses → syscall names, from /proc/kallsyms text (`ADDR T __x64_sys_NAME`, or W).
    /// Names are the SYSCALL_DEFINE names (`newstat`, `umount`); unimplemented slots point at
    /// `ni_syscall`, kept here so the walk continues through them.
    public static func handlers(kallsyms: [UInt8], arch: Arch) -> [UInt64: String] {
        let prefix = Array(handlerPrefix(arch).utf8)
        var out: [UInt64: String] = [:]
        kallsyms.withUnsafeBufferPointer { text in
            var lineStart = 0
            let n = text.count
            while lineStart < n {
                var lineEnd = lineStart
                while lineEnd < n && text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                // "ffffffff816dca20 T __x64_sys_read" (modules add "\t[name]"; none define syscalls)
                var i = lineStart
                var address: UInt64 = 0
                while i < lineEnd, let d = hexValue(text[i]) { address = address << 4 | UInt64(d); i += 1 }
                guard i > lineStart, i + 3 < lineEnd, text[i] == UInt8(ascii: " "),
                      Self.textTypes.contains(text[i + 1]),
                      text[i + 2] == UInt8(ascii: " ") else { continue }
                let nameStart = i + 3
                guard lineEnd - nameStart > prefix.count else { continue }
                var matches = true
                for k in 0..<prefix.count where text[nameStart + k] != prefix[k] { matches = false; break }
                guard matches, address != 0 else { continue }
                var nameEnd = nameStart + prefix.count
                while nameEnd < lineEnd && text[nameEnd] != UInt8(ascii: "\t") && text[nameEnd] != UInt8(ascii: " ") { nameEnd += 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: text[(nameStart + prefix.count)..<nameEnd]), as: UTF8.self)
                // An address with two names (an alias) keeps the first.
                if out[address] == nil { out[address] = name }
            }
        }
        return out
    }

    /// Symbol types of functions: global, local, and weak (a syscall a configuration leaves out,
    /// COND_SYSCALL, is a weak `__x64_sys_NAME` that returns -ENOSYS: `init_module` here).
    static let textTypes: [UInt8] = Array("TtWw".utf8)

    /// The address of one kallsyms symbol (e.g. `__start_rodata`), any type.
    public static func address(of symbol: String, kallsyms: [UInt8]) -> UInt64? {
        let wanted = Array(symbol.utf8)
        var found: UInt64?
        kallsyms.withUnsafeBufferPointer { text in
            var lineStart = 0
            let n = text.count
            while lineStart < n, found == nil {
                var lineEnd = lineStart
                while lineEnd < n && text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                // The name starts after "ADDR X ".
                var i = lineStart
                while i < lineEnd && text[i] != UInt8(ascii: " ") { i += 1 }
                let nameStart = i + 3
                guard nameStart + wanted.count <= lineEnd,
                      nameStart + wanted.count == lineEnd || text[nameStart + wanted.count] == UInt8(ascii: "\t") else { continue }
                var same = true
                for k in 0..<wanted.count where text[nameStart + k] != wanted[k] { same = false; break }
                guard same else { continue }
                var address: UInt64 = 0
                for j in lineStart..<(i) { guard let d = hexValue(text[j]) else { return }; address = address << 4 | UInt64(d) }
                found = address
            }
        }
        return found
    }

    /// The little-endian bytes that open the table: the leading handlers' addresses in a row;
    /// nil if kallsyms lacks one of them.
    public static func tablePattern(handlers: [UInt64: String], arch: Arch) -> [UInt8]? {
        var byName: [String: UInt64] = [:]
        for (address, name) in handlers where byName[name] == nil { byName[name] = address }
        var out: [UInt8] = []
        for name in leadingNames(arch) {
            guard let address = byName[name] else { return nil }
            withUnsafeBytes(of: address.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The offset of `pattern` in `memory`, 8-byte aligned (the table is an array of pointers).
    public static func find(_ pattern: [UInt8], in memory: [UInt8]) -> Int? {
        guard !pattern.isEmpty, memory.count >= pattern.count else { return nil }
        var offset = 0
        while offset + pattern.count <= memory.count {
            if memory[offset] == pattern[0] && memory[offset..<(offset + pattern.count)].elementsEqual(pattern) { return offset }
            offset += 8
        }
        return nil
    }

    /// Number → name from the table's bytes (starting at entry 0): entries are read until one is
    /// not a handler's address; `ni_syscall` slots (unimplemented numbers) are left out.
    public static func mapping(table: [UInt8], handlers: [UInt64: String]) -> [Int: String] {
        var out: [Int: String] = [:]
        var nr = 0
        while (nr + 1) * 8 <= table.count {
            var entry: UInt64 = 0
            for k in 0..<8 { entry |= UInt64(table[nr * 8 + k]) << (8 * UInt64(k)) }
            guard let name = handlers[entry] else { break }
            if name != "ni_syscall" { out[nr] = name }
            nr += 1
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
