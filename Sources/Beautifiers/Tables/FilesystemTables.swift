// Filesystems: statfs's f_type (the superblock magic, linux/magic.h) and f_flags (ST_*).
// Names as strace 6.1 prints them (ext3 and ext4 share EXT2_SUPER_MAGIC).

extension Tables {
    public static let filesystemMagic = EnumTable([
        Named(0xadf5, "ADFS_SUPER_MAGIC"), Named(0xadff, "AFFS_SUPER_MAGIC"), Named(0x5346414f, "AFS_SUPER_MAGIC"),
        Named(0x6b414653, "AFS_FS_MAGIC"), Named(0x0187, "AUTOFS_SUPER_MAGIC"), Named(0x00c36400, "CEPH_SUPER_MAGIC"),
        Named(0x73757245, "CODA_SUPER_MAGIC"), Named(0x28cd3d45, "CRAMFS_MAGIC"), Named(0x64626720, "DEBUGFS_MAGIC"),
        Named(0x73636673, "SECURITYFS_MAGIC"), Named(0xf97cff8c, "SELINUX_MAGIC"), Named(0x43415d53, "SMACK_MAGIC"),
        Named(0x858458f6, "RAMFS_MAGIC"), Named(0x01021994, "TMPFS_MAGIC"), Named(0x958458f6, "HUGETLBFS_MAGIC"),
        Named(0x73717368, "SQUASHFS_MAGIC"), Named(0xf15f, "ECRYPTFS_SUPER_MAGIC"), Named(0x414a53, "EFS_SUPER_MAGIC"),
        Named(0xe0f5e1e2, "EROFS_SUPER_MAGIC_V1"), Named(0xef53, "EXT2_SUPER_MAGIC"), Named(0xabba1974, "XENFS_SUPER_MAGIC"),
        Named(0x9123683e, "BTRFS_SUPER_MAGIC"), Named(0x3434, "NILFS_SUPER_MAGIC"), Named(0xf2f52010, "F2FS_SUPER_MAGIC"),
        Named(0xf995e849, "HPFS_SUPER_MAGIC"), Named(0x9660, "ISOFS_SUPER_MAGIC"), Named(0x72b6, "JFFS2_SUPER_MAGIC"),
        Named(0x58465342, "XFS_SUPER_MAGIC"), Named(0x6165676c, "PSTOREFS_MAGIC"), Named(0xde5e81e4, "EFIVARFS_MAGIC"),
        Named(0x00c0ffee, "HOSTFS_SUPER_MAGIC"), Named(0x794c7630, "OVERLAYFS_SUPER_MAGIC"), Named(0x65735546, "FUSE_SUPER_MAGIC"),
        Named(0x137f, "MINIX_SUPER_MAGIC"), Named(0x138f, "MINIX_SUPER_MAGIC2"), Named(0x2468, "MINIX2_SUPER_MAGIC"),
        Named(0x2478, "MINIX2_SUPER_MAGIC2"), Named(0x4d5a, "MINIX3_SUPER_MAGIC"), Named(0x4d44, "MSDOS_SUPER_MAGIC"),
        Named(0x2011bab0, "EXFAT_SUPER_MAGIC"), Named(0x564c, "NCP_SUPER_MAGIC"), Named(0x6969, "NFS_SUPER_MAGIC"),
        Named(0x7461636f, "OCFS2_SUPER_MAGIC"), Named(0x9fa1, "OPENPROM_SUPER_MAGIC"), Named(0x002f, "QNX4_SUPER_MAGIC"),
        Named(0x68191122, "QNX6_SUPER_MAGIC"), Named(0x52654973, "REISERFS_SUPER_MAGIC"), Named(0x517b, "SMB_SUPER_MAGIC"),
        Named(0xff534d42, "CIFS_SUPER_MAGIC"), Named(0xfe534d42, "SMB2_SUPER_MAGIC"), Named(0x27e0eb, "CGROUP_SUPER_MAGIC"),
        Named(0x63677270, "CGROUP2_SUPER_MAGIC"), Named(0x7655821, "RDTGROUP_SUPER_MAGIC"), Named(0x74726163, "TRACEFS_MAGIC"),
        Named(0x01021997, "V9FS_MAGIC"), Named(0x62646576, "BDEVFS_MAGIC"), Named(0x64646178, "DAXFS_MAGIC"),
        Named(0x42494e4d, "BINFMTFS_MAGIC"), Named(0x1cd1, "DEVPTS_SUPER_MAGIC"), Named(0x6c6f6f70, "BINDERFS_SUPER_MAGIC"),
        Named(0xbad1dea, "FUTEXFS_SUPER_MAGIC"), Named(0x50495045, "PIPEFS_MAGIC"), Named(0x9fa0, "PROC_SUPER_MAGIC"),
        Named(0x534f434b, "SOCKFS_MAGIC"), Named(0x62656572, "SYSFS_MAGIC"), Named(0x9fa2, "USBDEVICE_SUPER_MAGIC"),
        Named(0x11307854, "MTD_INODE_FS_MAGIC"), Named(0x09041934, "ANON_INODE_FS_MAGIC"), Named(0x73727279, "BTRFS_TEST_MAGIC"),
        Named(0x6e736673, "NSFS_MAGIC"), Named(0xcafe4a11, "BPF_FS_MAGIC"), Named(0x5a3c69f0, "AAFS_MAGIC"),
        Named(0x5a4f4653, "ZONEFS_MAGIC"), Named(0x15013346, "UDF_SUPER_MAGIC"), Named(0x444d4142, "DMA_BUF_MAGIC"),
        Named(0x454d444d, "DEVMEM_MAGIC"), Named(0x5345434d, "SECRETMEM_MAGIC"), Named(0x50494446, "PID_FS_MAGIC"),
        Named(0x5346544e, "NTFS_SB_MAGIC"), Named(0xa501fcf5, "VXFS_SUPER_MAGIC"), Named(0x3153464a, "JFS_SUPER_MAGIC"),
        Named(0x01161970, "GFS2_MAGIC"),
    ])

    /// statfs's f_flags, in strace's order (ST_VALID first).
    public static let statfsFlags = FlagTable([
        Named(0x20, "ST_VALID"), Named(0x1, "ST_RDONLY"), Named(0x2, "ST_NOSUID"), Named(0x4, "ST_NODEV"),
        Named(0x8, "ST_NOEXEC"), Named(0x10, "ST_SYNCHRONOUS"), Named(0x40, "ST_MANDLOCK"), Named(0x80, "ST_WRITE"),
        Named(0x100, "ST_APPEND"), Named(0x200, "ST_IMMUTABLE"), Named(0x400, "ST_NOATIME"), Named(0x800, "ST_NODIRATIME"),
        Named(0x1000, "ST_RELATIME"), Named(0x2000, "ST_NOSYMFOLLOW"),
    ])
}
