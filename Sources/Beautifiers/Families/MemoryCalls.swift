/// Address space: mmap, mprotect, brk, madvise…
enum MemoryCalls {
    static let formats: [String: CallFormat] = [
        "mmap": CallFormat([.pointer, .unsigned, .flags(Tables.mmapProt), .flags(Tables.mmapFlags), .fd, .hex], ret: .hex),
        "mprotect": CallFormat([.pointer, .unsigned, .flags(Tables.mmapProt)]),
        "pkey_mprotect": CallFormat([.pointer, .unsigned, .flags(Tables.mmapProt), .int]),
        "munmap": CallFormat([.pointer, .unsigned]),
        "brk": CallFormat([.pointer], ret: .hex),
        "madvise": CallFormat([.pointer, .unsigned, .intEnum(Tables.madviseAdvice)]),
        "mremap": CallFormat([.pointer, .unsigned, .unsigned, .flags(Tables.mremapFlags), .pointer], ret: .hex),
        "msync": CallFormat([.pointer, .unsigned, .intFlags(Tables.msyncFlags)]),
        "mlock": CallFormat([.pointer, .unsigned]),
        "munlock": CallFormat([.pointer, .unsigned]),
        "mlock2": CallFormat([.pointer, .unsigned, .intFlags(Tables.mlockFlags)]),
        "mlockall": CallFormat([.intFlags(Tables.mlockallFlags)]),
        "memfd_create": CallFormat([.string, .intFlags(Tables.memfdFlags)], ret: .fd),
        "membarrier": CallFormat([.intEnum(Tables.membarrierCommands), .uint, .int]),
    ]
}
