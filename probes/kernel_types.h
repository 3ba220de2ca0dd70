/* The few kernel structures the probes read, declared by hand for CO-RE.
 *
 * `preserve_access_index` makes every field access a relocation that libbpf resolves against the
 * running kernel's BTF, so only the names matter here, not offsets. The `___cgt` suffix is a CO-RE
 * "flavor": libbpf matches `task_struct___cgt` to the kernel's `task_struct`. Declaring these by hand
 * (rather than a 3 MB vmlinux.h) keeps the build fast and independent of the build host's kernel. */
#pragma once

struct pt_regs___cgt {
	unsigned long r10, r9, r8, dx, si, di, orig_ax, sp;
	unsigned long ip, bp, bx, r12, r13, r14, r15; /* -k: where user-space unwinding starts */
} __attribute__((preserve_access_index));

typedef struct { int counter; } atomic_t___cgt;

struct sigpending___cgt {
	struct { unsigned long sig[1]; } signal;
} __attribute__((preserve_access_index));

struct signal_struct___cgt {
	atomic_t___cgt live;
	int group_exit_code;
	struct sigpending___cgt shared_pending;
} __attribute__((preserve_access_index));

/* A signal's disposition: sighand->action[sig - 1].sa.sa_handler (SIG_DFL is 0). */
struct sigaction___cgt {
	void *sa_handler;
} __attribute__((preserve_access_index));

struct k_sigaction___cgt {
	struct sigaction___cgt sa;
} __attribute__((preserve_access_index));

struct sighand_struct___cgt {
	struct k_sigaction___cgt action[64];
} __attribute__((preserve_access_index));

/* A task's pid numbers, one per pid namespace level (the initial namespace's first). */
struct upid___cgt {
	int nr;
} __attribute__((preserve_access_index));

struct pid___cgt {
	unsigned int level;
	struct upid___cgt numbers[1];
} __attribute__((preserve_access_index));

struct task_struct___cgt {
	unsigned long jobctl; /* JOBCTL_TRAP_FREEZE: the cgroup freezer has asked it to stop */
	struct sigpending___cgt pending;
	struct pid___cgt *thread_pid;
	struct task_struct___cgt *group_leader;
	int pid;
	int tgid;
	int exit_code;
	struct signal_struct___cgt *signal;
	struct sighand_struct___cgt *sighand;
	struct { unsigned long sig[1]; } blocked;
	char comm[16];
} __attribute__((preserve_access_index));


/* For -y: from a file descriptor to its path, walking dentries up through mounts. */
struct super_block___cgt {
	unsigned long s_magic;
	unsigned int s_dev;   /* -k: a mapping's device */
} __attribute__((preserve_access_index));

struct inode___cgt {
	unsigned short i_mode;
	unsigned long i_ino;
	unsigned int i_rdev;
	struct super_block___cgt *i_sb;
	void *i_private;
} __attribute__((preserve_access_index));

/* A pidfd's process: pidfs keeps its struct pid___cgt (above) in the inode's i_private;
 * numbers[0] is its pid in the initial namespace. */

struct qstr___cgt {
	const unsigned char *name;
} __attribute__((preserve_access_index));

/* d_unhashed(): an unlinked dentry is off the hash, pprev NULL. */
struct hlist_bl_node___cgt {
	void *next;
	void **pprev;
} __attribute__((preserve_access_index));

struct dentry___cgt {
	struct dentry___cgt *d_parent;
	struct qstr___cgt d_name;
	struct hlist_bl_node___cgt d_hash;
} __attribute__((preserve_access_index));

struct vfsmount___cgt {
	struct dentry___cgt *mnt_root;
} __attribute__((preserve_access_index));

/* struct mount embeds the vfsmount that files point to (container_of). */
struct mount___cgt {
	struct mount___cgt *mnt_parent;
	struct dentry___cgt *mnt_mountpoint;
	struct vfsmount___cgt mnt;
} __attribute__((preserve_access_index));

struct path___cgt {
	struct vfsmount___cgt *mnt;
	struct dentry___cgt *dentry;
} __attribute__((preserve_access_index));

/* For -yy: a socket's endpoints. The address fields sit in anonymous unions in the kernel;
 * libbpf finds them by name. */
struct in6_addr___cgt {
	union {
		unsigned char u6_addr8[16];  /* what the kernel's s6_addr macro names */
	} in6_u;
} __attribute__((preserve_access_index));

struct sock_common___cgt {
	unsigned int skc_daddr;
	unsigned int skc_rcv_saddr;
	unsigned short skc_dport;
	unsigned short skc_num;
	unsigned short skc_family;
	struct in6_addr___cgt skc_v6_daddr;
	struct in6_addr___cgt skc_v6_rcv_saddr;
} __attribute__((preserve_access_index));

struct socket___cgt;

struct sock___cgt {
	struct sock_common___cgt __sk_common;
	unsigned short sk_type;
	unsigned short sk_protocol;
	struct socket___cgt *sk_socket;
	unsigned long sk_ino;  /* newer kernels: the inode number, kept after the socket is closed */
} __attribute__((preserve_access_index));

struct socket___cgt {
	struct sock___cgt *sk;
} __attribute__((preserve_access_index));

/* A socket's inode sits right after it (SOCK_INODE): the inode number strace shows. */
struct socket_alloc___cgt {
	struct socket___cgt socket;
	struct inode___cgt vfs_inode;
} __attribute__((preserve_access_index));

/* -yy for AF_UNIX: the peer, and the bound name. */
struct unix_address___cgt {
	int len;
	struct {
		unsigned short sun_family;
		char sun_path[108];
	} name[];
} __attribute__((preserve_access_index));

struct unix_sock___cgt {
	struct unix_address___cgt *addr;
	struct sock___cgt *peer;
} __attribute__((preserve_access_index));

/* -yy, AF_NETLINK: the port id a bound netlink socket has (strace: NETLINK:[ROUTE:1234]). */
struct netlink_sock___cgt {
	__u32 portid;
} __attribute__((preserve_access_index));

struct file___cgt {
	struct path___cgt f_path;
	struct inode___cgt *f_inode;
	void *private_data;
} __attribute__((preserve_access_index));

struct fdtable___cgt {
	unsigned int max_fds;
	struct file___cgt **fd;
} __attribute__((preserve_access_index));

struct files_struct___cgt {
	struct fdtable___cgt *fdt;
} __attribute__((preserve_access_index));

struct fs_struct___cgt {
	struct path___cgt pwd;
} __attribute__((preserve_access_index));

struct task_struct___files {
	struct files_struct___cgt *files;
	struct fs_struct___cgt *fs;
} __attribute__((preserve_access_index));

struct vm_area_struct___cgt {
	unsigned long vm_start, vm_end, vm_pgoff;
	struct file___cgt *vm_file;
} __attribute__((preserve_access_index));

struct mm_struct___cgt {
	unsigned long start_code;
	unsigned long saved_auxv[2];
} __attribute__((preserve_access_index));

struct task_struct___cgtk {
	struct mm_struct___cgt *mm;
} __attribute__((preserve_access_index));
