// Memory mapping and locking.
// Values are the x86_64 Linux UAPI values; names and print order follow strace 6.1.

extension Tables {
    /// mmap/mprotect prot: `PROT_NONE` is the zero name.
    public static let mmapProt = FlagTable(
        [
            Named(0x1, "PROT_READ"),
            Named(0x2, "PROT_WRITE"),
            Named(0x4, "PROT_EXEC"),
            Named(0x8, "PROT_SEM"),
            Named(0x1000000, "PROT_GROWSDOWN"),
            Named(0x2000000, "PROT_GROWSUP"),
        ],
        zero: "PROT_NONE",
        unknown: "PROT_???")

    /// The mapping-type field of mmap flags (`MAP_TYPE`, 0xf). Type 0 is named `MAP_FILE`, as
    /// strace 6.1 prints it (`mmap(NULL, 4096, PROT_NONE, MAP_FILE, -1, 0)`); an unknown type prints
    /// `0xf /* MAP_??? */` and the flags follow it.
    public static let mmapTypes = EnumTable([
        Named(1, "MAP_SHARED"),
        Named(2, "MAP_PRIVATE"),
        Named(3, "MAP_SHARED_VALIDATE"),
        Named(0, "MAP_FILE"),
    ], unknown: "MAP_???")

    /// mmap flags: the type field first, then the flags, e.g. `MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE`.
    /// The huge-page size bits (`mmapHugeShift`, `mmapHugeMask`) must be removed before decomposing;
    /// strace prints them last, after any leftover hex, as `|21<<MAP_HUGE_SHIFT`. (`MAP_UNINITIALIZED`
    /// shares bit 26 with that field, so strace never prints it and this table leaves it out.)
    public static let mmapFlags = FlagTable(
        [
            Named(0x10, "MAP_FIXED"),
            Named(0x20, "MAP_ANONYMOUS"),
            Named(0x40, "MAP_32BIT"),
            Named(0x4000, "MAP_NORESERVE"),
            Named(0x8000, "MAP_POPULATE"),
            Named(0x10000, "MAP_NONBLOCK"),
            Named(0x100, "MAP_GROWSDOWN"),
            Named(0x800, "MAP_DENYWRITE"),
            Named(0x1000, "MAP_EXECUTABLE"),
            Named(0x2000, "MAP_LOCKED"),
            Named(0x20000, "MAP_STACK"),
            Named(0x40000, "MAP_HUGETLB"),
            Named(0x80000, "MAP_SYNC"),
            Named(0x100000, "MAP_FIXED_NOREPLACE"),
        ],
        field: (mask: 0xf, values: mmapTypes),
        unknown: "MAP_???")

    /// madvise advice (an enumeration, not flags).
    public static let madviseAdvice = EnumTable([
        Named(0, "MADV_NORMAL"),
        Named(1, "MADV_RANDOM"),
        Named(2, "MADV_SEQUENTIAL"),
        Named(3, "MADV_WILLNEED"),
        Named(4, "MADV_DONTNEED"),
        Named(8, "MADV_FREE"),
        Named(9, "MADV_REMOVE"),
        Named(10, "MADV_DONTFORK"),
        Named(11, "MADV_DOFORK"),
        Named(12, "MADV_MERGEABLE"),
        Named(13, "MADV_UNMERGEABLE"),
        Named(14, "MADV_HUGEPAGE"),
        Named(15, "MADV_NOHUGEPAGE"),
        Named(16, "MADV_DONTDUMP"),
        Named(17, "MADV_DODUMP"),
        Named(18, "MADV_WIPEONFORK"),
        Named(19, "MADV_KEEPONFORK"),
        Named(20, "MADV_COLD"),
        Named(21, "MADV_PAGEOUT"),
        Named(22, "MADV_POPULATE_READ"),
        Named(23, "MADV_POPULATE_WRITE"),
        Named(24, "MADV_DONTNEED_LOCKED"),
        Named(25, "MADV_COLLAPSE"),
        Named(100, "MADV_HWPOISON"),
        Named(101, "MADV_SOFT_OFFLINE"),
    ], unknown: "MADV_???")

    /// mremap flags; 0 prints `0`.
    public static let mremapFlags = FlagTable(
        [
            Named(0x1, "MREMAP_MAYMOVE"),
            Named(0x2, "MREMAP_FIXED"),
            Named(0x4, "MREMAP_DONTUNMAP"),
        ],
        unknown: "MREMAP_???")

    /// msync flags (`MS_SYNC` listed first); 0 prints `0`.
    public static let msyncFlags = FlagTable(
        [
            Named(0x4, "MS_SYNC"),
            Named(0x1, "MS_ASYNC"),
            Named(0x2, "MS_INVALIDATE"),
        ],
        unknown: "MS_???")

    /// mlock2 flags; 0 prints `0`.
    public static let mlockFlags = FlagTable(
        [
            Named(0x1, "MLOCK_ONFAULT"),
        ],
        unknown: "MLOCK_???")

    /// mlockall flags.
    public static let mlockallFlags = FlagTable(
        [
            Named(0x1, "MCL_CURRENT"),
            Named(0x2, "MCL_FUTURE"),
            Named(0x4, "MCL_ONFAULT"),
        ],
        unknown: "MCL_???")

    /// memfd_create flags. Like mmap, the huge-page size (bits 26–31) is removed first and printed
    /// last as `|21<<MFD_HUGE_SHIFT`. 0 prints `0`.
    public static let memfdFlags = FlagTable(
        [
            Named(0x1, "MFD_CLOEXEC"),
            Named(0x2, "MFD_ALLOW_SEALING"),
            Named(0x4, "MFD_HUGETLB"),
        ],
        unknown: "MFD_???")

    /// membarrier cmd argument.
    public static let membarrierCommands = EnumTable([
        Named(0, "MEMBARRIER_CMD_QUERY"),
        Named(1, "MEMBARRIER_CMD_GLOBAL"),
        Named(2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
        Named(4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
        Named(8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
        Named(16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
        Named(32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
        Named(64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
        Named(128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
        Named(256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
    ], unknown: "MEMBARRIER_CMD_???")

    /// The bit set returned by `membarrier(MEMBARRIER_CMD_QUERY, 0)`, printed as `0x3ff (MEMBARRIER_CMD_GLOBAL|…|0x200)`.
    public static let membarrierQueryResult = FlagTable(
        [
            Named(0x1, "MEMBARRIER_CMD_GLOBAL"),
            Named(0x2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
            Named(0x4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
            Named(0x8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
            Named(0x10, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
            Named(0x20, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
            Named(0x40, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
            Named(0x80, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
            Named(0x100, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
        ],
        zero: "MEMBARRIER_CMD_QUERY",
        unknown: "MEMBARRIER_CMD_???")
}

extension Tables {
    /// mmap's huge-page size field: `(flags >> mmapHugeShift) & mmapHugeMask`, printed by strace
    /// last as `|<n><<MAP_HUGE_SHIFT` when non-zero.
    public static let mmapHugeShift: UInt64 = 26
    public static let mmapHugeMask: UInt64 = 0x3f
    /// memfd_create's huge-page size field, printed as `|<n><<MFD_HUGE_SHIFT`.
    public static let memfdHugeShift: UInt64 = 26
    public static let memfdHugeMask: UInt64 = 0x3f
}
