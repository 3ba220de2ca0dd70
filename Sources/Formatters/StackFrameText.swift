import Decoder

extension StackFrame {
    /// strace -k's frame text: `/usr/lib/…/libc.so.6(__open64+0x51) [0xf8011]`; `FILE() [0x…]`
    /// when the file has no symbol there; `?() [0x…]` (the absolute pc) when no mapped file holds it.
    public var straceText: String {
        let address = "[0x" + String(moduleAddress, radix: 16) + "]"
        guard let module else { return "?() " + address }
        guard let symbol else { return module + "() " + address }
        return module + "(" + symbol + "+0x" + String(symbolOffset, radix: 16) + ") " + address
    }
}
