/* uapi-types.c — the structs and enums cgtrace decodes, for a small BTF fixture (x86_64 UAPI).
 *
 * scripts/gen-btf-fixture.sh compiles this with the toolchain's clang (-g -target bpf, with
 * x86_64's asm headers) and keeps the object's .BTF section as Tests/DecodingTests/Fixtures/uapi-types.btf: the tests read
 * layouts from it as cgtrace reads them from /sys/kernel/btf/vmlinux.
 *
 * Structs the installed (Linux 6.1) headers predate are declared below from the kernel's UAPI
 * (include/uapi/linux/mount.h, mman.h, landlock.h): field names, types and order as there.
 */
#include <linux/types.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/signal.h>
#include <asm/termbits.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <linux/time_types.h>
#include <linux/time.h>
#include <linux/resource.h>
#include <linux/utsname.h>
#include <linux/sysinfo.h>
#include <linux/eventpoll.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/futex.h>
#include <linux/mount.h>
#include <linux/times.h>
#include <linux/capability.h>
#include <linux/poll.h>
#include <linux/sem.h>
#include <asm/siginfo.h>

/* Linux 6.5 (mm/filemap.c; uapi/linux/mman.h) */
struct cachestat_range {
	__u64 off;
	__u64 len;
};

struct cachestat {
	__u64 nr_cache;
	__u64 nr_dirty;
	__u64 nr_writeback;
	__u64 nr_evicted;
	__u64 nr_recently_evicted;
};

/* Linux 6.8+ (uapi/linux/mount.h), as 6.18 has it */
struct mnt_id_req {
	__u32 size;
	__u32 mnt_ns_fd;
	__u64 mnt_id;
	__u64 param;
	__u64 mnt_ns_id;
};

struct statmount {
	__u32 size;
	__u32 mnt_opts;
	__u64 mask;
	__u32 sb_dev_major;
	__u32 sb_dev_minor;
	__u64 sb_magic;
	__u32 sb_flags;
	__u32 fs_type;
	__u64 mnt_id;
	__u64 mnt_parent_id;
	__u32 mnt_id_old;
	__u32 mnt_parent_id_old;
	__u64 mnt_attr;
	__u64 mnt_propagation;
	__u64 mnt_peer_group;
	__u64 mnt_master;
	__u64 propagate_from;
	__u32 mnt_root;
	__u32 mnt_point;
	__u64 mnt_ns_id;
	__u32 fs_subtype;
	__u32 sb_source;
	__u32 opt_num;
	__u32 opt_array;
	__u32 opt_sec_num;
	__u32 opt_sec_array;
	__u64 supported_mask;
	__u32 mnt_uidmap_num;
	__u32 mnt_uidmap;
	__u32 mnt_gidmap_num;
	__u32 mnt_gidmap;
	__u64 __spare2[43];
	char str[];
};

/* Linux 6.17 (uapi/linux/fs.h): file_getattr/file_setattr */
struct file_attr {
	__u64 fa_xflags;
	__u32 fa_extsize;
	__u32 fa_nextents;
	__u32 fa_projid;
	__u32 fa_cowextsize;
};

/* uapi/linux/landlock.h: an enum syscall argument */
enum landlock_rule_type {
	LANDLOCK_RULE_PATH_BENEATH = 1,
	LANDLOCK_RULE_NET_PORT,
};

/* A struct with a char array, a nested struct, an array, a bitfield, an enum field and an
 * anonymous union, to test
 * the generic printer's corners. */
struct cgt_fixture_nested {
	char name[8];
	struct cachestat_range range;
	__u32 counts[3];
	unsigned int low : 4, high : 12;
	enum landlock_rule_type type;
	__u64 flags;
	union {
		__u64 period;
		__u64 freq;
	};
};

/* Every type the tests look up, used so that clang emits it. */
struct cgt_fixture_all {
	struct stat a1; struct statfs a2; struct flock a3; struct statx a4;
	struct __kernel_timespec a5; struct __kernel_old_timeval a6; struct timezone a7;
	struct rlimit a8; struct rlimit64 a9; struct rusage a10; struct new_utsname a11;
	struct sysinfo a12; struct epoll_event a13; struct open_how a14; struct clone_args a15;
	struct sched_attr a16; struct futex_waitv a17; struct mount_attr a18; struct termios a19;
	struct __kernel_itimerspec a20; struct tms a21; struct __user_cap_header_struct a22;
	struct __user_cap_data_struct a23; struct cachestat_range a24; struct cachestat a25;
	struct mnt_id_req a26; struct cgt_fixture_nested a28; struct file_attr a32;
	struct pollfd a33; struct sembuf a34; struct sigevent a35;
	enum landlock_rule_type a29; struct itimerval a30; struct sigaltstack a31;
	struct statmount a27; /* last: it ends in a flexible array */
};

struct cgt_fixture_all cgt_fixture;
