#if canImport(Glibc)
import Glibc
#endif

/// One CO-RE relocation of a BPF object (`.BTF.ext`, struct bpf_core_relo): which local type
/// it is about and what it asks of the kernel's.
public struct CoreRelocation: Sendable, Equatable {
    /// What is relocated (enum bpf_core_relo_kind).
    public enum Kind: UInt32, Sendable {
        case fieldByteOffset = 0, fieldByteSize, fieldExists, fieldSigned, fieldLShift, fieldRShift
        case typeIDLocal, typeIDTarget, typeExists, typeSize, enumValueExists, enumValue, typeMatches
    }
    public let kind: Kind
    /// The root type in the object's own BTF.
    public let localType: Int
}

/// A minimal kernel BTF for one BPF object's CO-RE relocations: only the kernel types that can
/// be candidates for the relocations' root types (same name up to a `___flavour` suffix, same
/// kind) and the types those reach, renumbered into a blob libbpf reads as raw BTF
/// (`btf_custom_path`). libbpf then matches each relocation against a few hundred types instead
/// of the kernel's ~125 000: on this kernel that scan was ~28 ms of every start-up.
///
/// What is kept, from how libbpf matches (facts from its documentation and behaviour):
/// - a field relocation walks members (into anonymous members too) and array elements from the
///   candidate, and compares a pointer field only as "a pointer": a candidate's members, arrays,
///   typedefs and qualifiers are kept, and a pointer whose pointee is not otherwise kept points
///   to `void`;
/// - a type relocation (exists, size, matches) and an enum value relocation compare types
///   recursively, pointers included: their candidates keep everything they reach.
/// A relocation that yields the kernel's type id (`bpf_core_type_id_kernel`) cannot be served by
/// renumbered types: such an object gets no minimal BTF.
public enum CoreBTF {
    /// The CO-RE relocations in an ELF object's `.BTF.ext`.
    public static func relocations(object: [UInt8]) throws(BTFError) -> [CoreRelocation] {
        let ext = try elfSection(".BTF.ext", in: object)
        func u32(_ o: Int) -> Int {
            Int(ext[o]) | Int(ext[o + 1]) << 8 | Int(ext[o + 2]) << 16 | Int(ext[o + 3]) << 24
        }
        guard ext.count >= 32, ext[0] == 0x9f, ext[1] == 0xeb else { throw BTFError(".BTF.ext: bad header") }
        let headerLength = u32(4)
        guard headerLength >= 32, headerLength <= ext.count else { return [] }  // no core_relo fields: none
        let start = headerLength + u32(24), length = u32(28)
        guard length > 0 else { return [] }
        guard start + length <= ext.count, length >= 4 else { throw BTFError(".BTF.ext: CO-RE section out of bounds") }
        let recordSize = u32(start)
        guard recordSize >= 16 else { throw BTFError(".BTF.ext: CO-RE record size \(recordSize)") }
        var out: [CoreRelocation] = []
        var o = start + 4
        let end = start + length
        while o + 8 <= end {
            let count = u32(o + 4)
            o += 8
            guard o + count * recordSize <= end else { throw BTFError(".BTF.ext: CO-RE records out of bounds") }
            for i in 0..<count {
                let r = o + i * recordSize
                guard let kind = CoreRelocation.Kind(rawValue: UInt32(u32(r + 12))) else {
                    throw BTFError(".BTF.ext: unknown CO-RE relocation kind \(u32(r + 12))")
                }
                out.append(CoreRelocation(kind: kind, localType: u32(r + 4)))
            }
            o += count * recordSize
        }
        return out
    }

    /// The name libbpf matches by: up to a `___flavour` suffix.
    static func essentialName(_ name: String) -> Substring {
        let utf8 = name.utf8
        var run = 0
        for i in utf8.indices {
            run = utf8[i] == UInt8(ascii: "_") ? run + 1 : 0
            // The first "___" ends the essential name (libbpf cuts at the first occurrence).
            if run == 3 { return name[..<utf8.index(i, offsetBy: -2)] }
        }
        return Substring(name)
    }

    /// Kinds libbpf takes as the same for candidates (an enum matches an enum64).
    static func kindClass(_ kind: BTFKind) -> BTFKind { kind == .enumeration64 ? .enumeration : kind }

    /// The minimal BTF for `relocations` (against the object's own BTF `local`) taken from the
    /// kernel's `kernel`, with `marker` appended as an unreferenced string (cache bookkeeping).
    public static func minimal(kernel: BTFFile, local: BTFFile, relocations: [CoreRelocation],
                               marker: (_ bodyWithoutMarker: [UInt8]) -> String = { _ in "" }) throws(BTFError) -> [UInt8] {
        // Root names, by kind class, and whether their closure follows pointers.
        var roots: [BTFKind: [Substring: Bool]] = [:]
        for r in relocations {
            switch r.kind {
            case .typeIDLocal: continue
            case .typeIDTarget: throw BTFError("a relocation asks for the kernel's type id: the full BTF is needed")
            default: break
            }
            let name = essentialName(local.name(r.localType))
            guard !name.isEmpty else { continue }  // libbpf refuses anonymous roots either way
            // Type matching compares members' pointees too. The other type relocations take a
            // struct, union or enum as compatible by name alone, but compare pointers, arrays and
            // prototypes through: a root that is one of those keeps all it reaches.
            let deep: Bool
            switch r.kind {
            case .typeMatches: deep = true
            case .typeExists, .typeSize:
                switch local.kind(local.resolved(r.localType)) {
                case .structure, .union, .enumeration, .enumeration64, .int, .float, .forward: deep = false
                default: deep = true
                }
            default: deep = false
            }
            let k = kindClass(local.kind(r.localType))
            roots[k, default: [:]][name] = (roots[k]?[name] ?? false) || deep
        }
        // One pass over the kernel's types for the candidates.
        var shallow: [Int] = [], deep: [Int] = []
        if !roots.isEmpty {
            for id in 1..<kernel.typeCount {
                guard let names = roots[kindClass(kernel.kind(id))] else { continue }
                let name = kernel.name(id)
                guard !name.isEmpty, let isDeep = names[essentialName(name)] else { continue }
                if isDeep { deep.append(id) } else { shallow.append(id) }
            }
        }
        // The closure: 0 = not kept, 1 = kept without its pointees, 2 = kept with everything.
        var kept = [UInt8](repeating: 0, count: kernel.typeCount)
        func visit(_ start: Int, level: UInt8) {
            var stack = [start]
            while let id = stack.popLast() {
                guard id > 0, id < kernel.typeCount, kept[id] < level else { continue }
                kept[id] = level
                switch kernel.kind(id) {
                case .pointer:
                    if level == 2 { stack.append(kernel.referenced(id)) }
                case .typedef, .const, .volatile, .restrict, .typeTag, .function, .variable:
                    stack.append(kernel.referenced(id))
                case .array:
                    let a = kernel.record(id) + 12
                    stack.append(Int(kernel.u32(a)))
                    stack.append(Int(kernel.u32(a + 4)))
                case .structure, .union:
                    for m in kernel.members(id) { stack.append(m.type) }
                case .functionProto:
                    stack.append(kernel.sizeOrType(id))
                    for p in kernel.parameters(id) { stack.append(p.type) }
                default: break
                }
            }
        }
        for id in deep { visit(id, level: 2) }
        for id in shallow { visit(id, level: 1) }

        // Renumber in the kernel's order and write the records with new ids and strings.
        var newID = [Int32](repeating: 0, count: kernel.typeCount)
        var next: Int32 = 1
        for id in 1..<kernel.typeCount where kept[id] != 0 { newID[id] = next; next += 1 }
        var strings: [UInt8] = [0]
        var stringOffsets: [String: UInt32] = ["": 0]
        func string(_ kernelOffset: Int) -> UInt32 {
            let s = kernel.string(at: kernelOffset)
            if let o = stringOffsets[s] { return o }
            let o = UInt32(strings.count)
            strings.append(contentsOf: s.utf8)
            strings.append(0)
            stringOffsets[s] = o
            return o
        }
        var types: [UInt8] = []
        func put(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { types.append(contentsOf: $0) } }
        func ref(_ id: Int) -> UInt32 { id > 0 && id < kernel.typeCount ? UInt32(newID[id]) : 0 }
        for id in 1..<kernel.typeCount where kept[id] != 0 {
            let r = kernel.record(id)
            let info = kernel.info(id)
            let vlen = kernel.vlen(id)
            put(string(kernel.nameOffset(id)))
            put(info)
            switch kernel.kind(id) {
            case .pointer, .typedef, .const, .volatile, .restrict, .typeTag, .function:
                put(ref(kernel.sizeOrType(id)))
            case .functionProto:
                put(ref(kernel.sizeOrType(id)))
                for p in 0..<vlen {
                    put(string(Int(kernel.u32(r + 12 + 8 * p))))
                    put(ref(Int(kernel.u32(r + 16 + 8 * p))))
                }
            case .int:
                put(UInt32(kernel.sizeOrType(id)))
                put(kernel.u32(r + 12))
            case .array:
                put(0)
                put(ref(Int(kernel.u32(r + 12))))
                put(ref(Int(kernel.u32(r + 16))))
                put(kernel.u32(r + 20))
            case .structure, .union:
                put(UInt32(kernel.sizeOrType(id)))
                for m in 0..<vlen {
                    let o = r + 12 + 12 * m
                    put(string(Int(kernel.u32(o))))
                    put(ref(Int(kernel.u32(o + 4))))
                    put(kernel.u32(o + 8))
                }
            case .enumeration:
                put(UInt32(kernel.sizeOrType(id)))
                for e in 0..<vlen {
                    put(string(Int(kernel.u32(r + 12 + 8 * e))))
                    put(kernel.u32(r + 16 + 8 * e))
                }
            case .enumeration64:
                put(UInt32(kernel.sizeOrType(id)))
                for e in 0..<vlen {
                    put(string(Int(kernel.u32(r + 12 + 12 * e))))
                    put(kernel.u32(r + 16 + 12 * e))
                    put(kernel.u32(r + 20 + 12 * e))
                }
            case .forward, .float:
                put(UInt32(kernel.sizeOrType(id)))
            case .variable, .dataSection, .declTag, .void:
                // Never reached from a relocation's candidate (variables only through a
                // datasec, which no type references).
                throw BTFError("minimal BTF: unexpected kind \(kernel.kind(id)) at \(id)")
            }
        }

        func blob(_ strings: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            for v: UInt32 in [0x0001_eb9f, 24, 0, UInt32(types.count), UInt32(types.count), UInt32(strings.count)] {
                withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
            }
            // The first word is magic (0xeb9f), version 1, flags 0.
            return out + types + strings
        }
        let body = blob(strings)
        let note = marker(body)
        guard !note.isEmpty else { return body }
        return blob(strings + Array(note.utf8) + [0])
    }
}
