// SPDX-License-Identifier: GPL-2.0
/* fd_resolution.bpf.h — -y/-yy: what a file descriptor refers to, read from the task's file
 * table at syscall time (paths walked dentry by dentry, sockets, pipes, pidfds, anon inodes). */
#ifndef CGT_FD_RESOLUTION_BPF_H
#define CGT_FD_RESOLUTION_BPF_H

#include "maps.bpf.h"
#include "captures.bpf.h"

/* ---- -y: what a file descriptor refers to ------------------------------------------------------- */

#define CGT_FD_WALK_MAX 64          /* path components walked (deeper paths are marked truncated) */
#define SOCKFS_MAGIC 0x534F434B
#define PIPEFS_MAGIC 0x50495045
#define ANON_INODE_FS_MAGIC 0x09041934
#define PID_FS_MAGIC 0x50494446

/* -yy, AF_UNIX: the peer's inode in the cgt_sock_info, then the bound name, if any. */
static __always_inline __u32 capture_unix_socket(void *rec, __u32 off, __u8 arg, struct sock___cgt *sk,
						 struct cgt_sock_info *s)
{
	struct unix_sock___cgt *u = (void *)sk;
	struct sock___cgt *peer = BPF_CORE_READ(u, peer);
	struct unix_address___cgt *addr = BPF_CORE_READ(u, addr);
	struct cgt_capture *cap;
	int len;

	if (peer && bpf_core_field_exists(peer->sk_ino)) {
		/* kept by the kernel even after the peer was closed, as its sock_diag reports it */
		*(__u64 *)s->remote_addr = BPF_CORE_READ(peer, sk_ino);
	} else if (peer) {
		struct socket___cgt *sock = BPF_CORE_READ(peer, sk_socket);

		if (sock) {
			struct inode___cgt *inode = (void *)sock + bpf_core_field_offset(struct socket_alloc___cgt, vfs_inode);

			*(__u64 *)s->remote_addr = BPF_CORE_READ(inode, i_ino);
		}
	}
	off = put_small(rec, off, arg, CGT_CAP_SOCKINFO, s, sizeof(*s));
	if (!addr)
		return off;
	len = BPF_CORE_READ(addr, len) - 2; /* sun_family */
	if (len <= 0 || off > CGT_REC_MAX - sizeof(*cap) - 128)
		return off;
	if (len > 108)
		len = 108;
	off &= CGT_REC_MAX - 1;
	cap = rec + off;
	if (bpf_probe_read_kernel((void *)(cap + 1), len & 127,
				  (void *)addr + bpf_core_field_offset(struct unix_address___cgt, name) + 2))
		return off;
	cap->arg = arg;
	cap->kind = CGT_CAP_FDPATH;
	cap->len = len & 127;
	cap->flags = 0;
	cap->index = 0;
	return off + sizeof(*cap) + (((len & 127) + 7) & ~7);
}

/* -yy: the socket behind a file, as a cgt_sock_info capture. */
static __always_inline __u32 capture_socket(void *rec, __u32 off, __u8 arg, struct file___cgt *file)
{
	struct socket___cgt *sock = BPF_CORE_READ(file, private_data);
	struct sock___cgt *sk;
	struct cgt_sock_info s = {};

	if (!sock || !(sk = BPF_CORE_READ(sock, sk)))
		return off;
	s.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	s.type = BPF_CORE_READ(sk, sk_type);
	s.protocol = BPF_CORE_READ(sk, sk_protocol);
	s.local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	s.remote_port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (s.family == 1 /* AF_UNIX */)
		return capture_unix_socket(rec, off, arg, sk, &s);
	if (s.family == 16 /* AF_NETLINK */) {
		struct netlink_sock___cgt *nl = (void *)sk;

		*(__u32 *)s.local_addr = BPF_CORE_READ(nl, portid);
		return put_small(rec, off, arg, CGT_CAP_SOCKINFO, &s, sizeof(s));
	}
	if (s.family == 10 /* AF_INET6 */) {
		BPF_CORE_READ_INTO(&s.local_addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&s.remote_addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		*(__u32 *)s.local_addr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		*(__u32 *)s.remote_addr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	}
	return put_small(rec, off, arg, CGT_CAP_SOCKINFO, &s, sizeof(s));
}

struct fd_walk {
	void *rec;
	struct dentry___cgt *dentry;
	struct mount___cgt *mnt;
	__u32 off;
	__u32 depth;
	__u8 arg;
	bool done;
};

/* One step up: a component of this mount, or a hop from a mount's root to where it is mounted. */
static long fd_walk_step(__u32 i, void *ctx)
{
	struct fd_walk *w = ctx;
	/* Locals, not w->…, inside BPF_CORE_READ: it would make relocations for our own struct. */
	struct mount___cgt *mnt = w->mnt;
	struct dentry___cgt *dentry = w->dentry;
	struct dentry___cgt *parent;

	if (dentry == BPF_CORE_READ(mnt, mnt.mnt_root)) {
		struct mount___cgt *up = BPF_CORE_READ(mnt, mnt_parent);

		if (up == mnt) {
			w->done = true;
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		return 0;
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	if (!parent || parent == dentry) {
		/* A pseudo file's dentry is its own parent but not its mount's root (memfd_create's
		 * `memfd:NAME`): the kernel's d_path shows `/NAME`. */
		if (parent == dentry && w->depth == 0)
			w->off = put_kernel_str(w->rec, w->off, w->arg, CGT_CAP_FDPATH, 0,
						BPF_CORE_READ(dentry, d_name.name));
		w->done = true;
		return 1;
	}
	w->off = put_kernel_str(w->rec, w->off, w->arg, CGT_CAP_FDPATH, w->depth, BPF_CORE_READ(dentry, d_name.name));
	w->depth++;
	w->dentry = parent;
	return 0;
}

/* The file behind `fd` of the current task, as captures: its path components (leaf first)
 * and a cgt_fd_info. Done at syscall time, so it stays right after the fd is closed. */
static __always_inline __u32 capture_fd(void *rec, __u32 off, __u8 arg, long fd)
{
	struct task_struct___files *task = (void *)bpf_get_current_task();
	struct fdtable___cgt *fdt = BPF_CORE_READ(task, files, fdt);
	struct file___cgt **fds, *file = NULL;
	struct cgt_fd_info info = {};
	struct fd_walk w = { .rec = rec, .off = off, .arg = arg };
	unsigned long magic;
	unsigned short mode;

	if ((int)fd == -100) {
		/* AT_FDCWD: the working directory (strace shows AT_FDCWD</dir>). */
		info.kind = CGT_FD_FILE;
		w.dentry = BPF_CORE_READ(task, fs, pwd.dentry);
		w.mnt = (void *)BPF_CORE_READ(task, fs, pwd.mnt) - bpf_core_field_offset(struct mount___cgt, mnt);
		bpf_loop(CGT_FD_WALK_MAX, fd_walk_step, &w, 0);
		info.flags = w.done ? 0 : CGT_FDF_TRUNCATED;
		goto done;
	}
	if (fd < 0 || !fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return off;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return off;
	mode = BPF_CORE_READ(file, f_inode, i_mode);
	magic = BPF_CORE_READ(file, f_inode, i_sb, s_magic);
	info.ino = BPF_CORE_READ(file, f_inode, i_ino);
	info.mode = mode;
	if (CFG_FD_PATHS >= 2 && ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000))
		info.rdev = BPF_CORE_READ(file, f_inode, i_rdev);
	w.dentry = BPF_CORE_READ(file, f_path.dentry);
	if ((mode & 0170000) == 0140000 || magic == SOCKFS_MAGIC) {
		info.kind = CGT_FD_SOCKET;
		if (CFG_FD_PATHS >= 2)
			w.off = capture_socket(rec, w.off, arg, file);
	} else if (magic == PIPEFS_MAGIC) {
		info.kind = CGT_FD_PIPE;
	} else if (magic == PID_FS_MAGIC) {
		struct pid___cgt *pid = BPF_CORE_READ(file, f_inode, i_private);

		info.kind = CGT_FD_PIDFD;
		/* -yy shows the process (strace: `pid:N`), -y only what the fd is */
		info.ino = CFG_FD_PATHS >= 2 && pid ? BPF_CORE_READ(pid, numbers[0].nr) : 0;
	} else if (magic == ANON_INODE_FS_MAGIC) {
		info.kind = CGT_FD_ANON;
		struct dentry___cgt *anon = w.dentry;

		w.off = put_kernel_str(rec, w.off, arg, CGT_CAP_FDPATH, 0, BPF_CORE_READ(anon, d_name.name));
	} else {
		info.kind = CGT_FD_FILE;
		w.mnt = (void *)BPF_CORE_READ(file, f_path.mnt) - bpf_core_field_offset(struct mount___cgt, mnt);
		struct dentry___cgt *leaf = w.dentry;

		/* Unhashed: unlinked, or a pseudo file (memfd), which d_path also calls deleted; a
		 * filesystem's root is unhashed too, but is no pseudo file. */
		struct mount___cgt *leaf_mnt = w.mnt;

		if (!BPF_CORE_READ(leaf, d_hash.pprev) &&
		    (BPF_CORE_READ(leaf, d_parent) != leaf || leaf != BPF_CORE_READ(leaf_mnt, mnt.mnt_root)))
			info.flags |= CGT_FDF_DELETED;
		bpf_loop(CGT_FD_WALK_MAX, fd_walk_step, &w, 0);
		if (!w.done)
			info.flags |= CGT_FDF_TRUNCATED;
	}
done:
	return put_small(rec, w.off, arg, CGT_CAP_FDINFO, &info, sizeof(info));
}

/* capture_fd as a global function: the verifier checks the walk once per program, not again at
 * every call site (inlined at three, it doubled the programs' load time). */
__noinline int capture_fd_global(struct scratch *s, __u32 off, __u32 arg, long fd)
{
	if (!s)
		return off;
	return capture_fd(s->data, off, arg, fd);
}

/* CGT_SC_NETLINK: if argument 0 is an AF_NETLINK socket, a CGT_CAP_NETLINK capture with its
 * protocol and port id, and ts->netlink set so that its data is copied whole; with or without
 * -y. Ten kernel reads (fd table, inode mode, socket, family): measured ~105 ns per entry of
 * these six calls (event_sys_enter on a UDP sendto/recvfrom loop, bpf_stats: 400 ns/run
 * against 295 without the check). */
__noinline int capture_netlink_global(struct scratch *s, __u32 off, struct thread_state *ts, long fd)
{
	struct task_struct___files *task = (void *)bpf_get_current_task();
	struct fdtable___cgt *fdt = BPF_CORE_READ(task, files, fdt);
	struct file___cgt **fds, *file = NULL;
	struct socket___cgt *sock;
	struct sock___cgt *sk;
	struct cgt_netlink_info info = {};
	struct cgt_capture *cap;

	if (!s || !ts)
		return off;
	ts->netlink = 0;
	if (fd < 0 || !fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return off;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return off;
	if ((BPF_CORE_READ(file, f_inode, i_mode) & 0170000) != 0140000)
		return off;
	sock = BPF_CORE_READ(file, private_data);
	if (!sock || !(sk = BPF_CORE_READ(sock, sk)) || BPF_CORE_READ(sk, __sk_common.skc_family) != 16 /* AF_NETLINK */)
		return off;
	info.protocol = BPF_CORE_READ(sk, sk_protocol);
	info.portid = BPF_CORE_READ((struct netlink_sock___cgt *)sk, portid);
	ts->netlink = 1;
	if (off > CGT_REC_MAX - sizeof(*cap) - sizeof(info))
		return off;
	/* put_small's bound, kept: inlined here the compiler drops the mask (the test above
	 * implies it) and reloads `off` unbounded from the stack. */
	barrier_var(off);
	off &= CGT_REC_MAX - 1;
	cap = (void *)s->data + off;
	cap->arg = 0;
	cap->kind = CGT_CAP_NETLINK;
	cap->len = sizeof(info);
	cap->flags = 0;
	cap->index = 0;
	__builtin_memcpy((void *)(cap + 1), &info, sizeof(info));
	return off + sizeof(*cap) + sizeof(info);
}

/* Bytes of a netlink socket's data to copy: whole messages, up to what a record (or a flight
 * recorder's slot) holds. */
static __always_inline __u32 netlink_copy_limit(void)
{
	if (CFG_RECORD_SLOTS)
		return cfg.string_limit > CGT_NETLINK_RECORDED_MAX ? cfg.string_limit : CGT_NETLINK_RECORDED_MAX;
	return CGT_NETLINK_MAX;
}

/* Bytes of a send/recv call's data to copy: -s, or a netlink socket's messages whole. */
static __always_inline __u32 data_copy_limit(struct thread_state *ts)
{
	return ts->netlink ? netlink_copy_limit() : cfg.string_limit;
}

/* -y: each fd of poll's pollfd array (8-byte elements, the fd first). */
struct pollfd_walk {
	struct scratch *s;
	__u64 fds;
	__u32 off;
};

static long pollfd_step(__u32 k, void *ctx)
{
	struct pollfd_walk *w = ctx;
	int fd;

	if (bpf_probe_read_user(&fd, sizeof(fd), (const void *)(w->fds + 8 * (__u64)k)))
		return 1;
	w->off = capture_fd_global(w->s, w->off, CGT_ARG_ELEMENT0 + k, fd);
	return 0;
}

static __always_inline __u32 capture_pollfds(struct scratch *rec, __u32 off, struct thread_state *ts)
{
	struct pollfd_walk w = { .s = rec, .fds = ts->args[0], .off = off };
	__u64 n = ts->args[1] & 0xffffffff;

	if (!w.fds)
		return off;
	bpf_loop(n < CGT_FD_ELEMENTS ? n : CGT_FD_ELEMENTS, pollfd_step, &w, 0);
	return w.off;
}

/* -y: the fds of the SCM_RIGHTS messages in a msghdr's control data, at most CGT_CMSG_FDS of
 * them. Each step of the walk reads the next header or the next fd of the current SCM_RIGHTS
 * message, into cmsg_fds_map (CGT_CMSG_HEADERS more steps than fds: headers of other messages
 * before them use up steps too); the fds are resolved after the walk, one frame up.
 * (Resolved from the walk's callback, the chain of frames from the program down to the fd
 * walk's own callback had 528-544 bytes of stack with -yy, over the verifier's 512; a plain
 * loop instead of bpf_loop took 85 k instructions to verify.) */
#define CGT_CMSG_HEADERS 8

struct cmsg_walk {
	struct cmsg_fds *out;
	__u64 control;  /* msg_control and msg_controllen, read together from the msghdr */
	__u64 len;
	__u32 at;       /* the next cmsghdr's offset */
	__u32 data;     /* the current SCM_RIGHTS message's next fd's offset */
	__u32 left;     /* its fds not read yet */
	__u32 fds;      /* fds read so far */
};

struct cmsghdr_user {
	__u64 len;
	__s32 level;
	__s32 type;
};

static long cmsg_fd_step(__u32 k, void *ctx)
{
	struct cmsg_walk *w = ctx;
	struct cmsghdr_user h;
	int fd;

	if (w->left) {
		if (w->fds >= CGT_CMSG_FDS ||
		    bpf_probe_read_user(&fd, sizeof(fd), (const void *)(w->control + w->data)))
			return 1;
		w->out->fd[w->fds & (CGT_CMSG_FDS - 1)] = fd;
		w->fds += 1;
		w->left -= 1;
		w->data += sizeof(fd);
		return 0;
	}
	/* the next header, aligned as the kernel's CMSG_NXTHDR aligns it (8 bytes) */
	if (w->at + sizeof(h) > w->len || bpf_probe_read_user(&h, sizeof(h), (const void *)(w->control + w->at)))
		return 1;
	if (h.len < sizeof(h))
		return 1;
	/* A message longer than the rest of the control data (a sendmsg the kernel refuses): its
	 * fds up to the end, as the decoder prints them; then the walk ends. */
	if (h.len > w->len - w->at)
		h.len = w->len - w->at;
	if (h.level == 1 /* SOL_SOCKET */ && h.type == 1 /* SCM_RIGHTS */) {
		w->data = w->at + sizeof(h);
		w->left = (h.len - sizeof(h)) / sizeof(fd);
	}
	w->at += (h.len + 7) & ~7u;
	return 0;
}

/* Read the fds into `out`; returns how many. A global function: the verifier walks it once per
 * program. */
__noinline int read_cmsg_fds(struct cmsg_fds *out, __u64 msg)
{
	struct cmsg_walk w = { .out = out };

	/* msg_control and msg_controllen: a msghdr's bytes 32-47 */
	if (!out || !msg || bpf_probe_read_user(&w.control, 2 * sizeof(__u64), (const void *)(msg + 32)))
		return 0;
	if (!w.control || w.len < sizeof(struct cmsghdr_user))
		return 0;
	/* (the kernel takes at most INT_MAX; the offsets are 32 bits) */
	if (w.len > 1 << 30)
		w.len = 1 << 30;
	bpf_loop(CGT_CMSG_FDS + CGT_CMSG_HEADERS, cmsg_fd_step, &w, 0);
	return w.fds;
}

/* The msghdr at `msg`: resolve the fds its SCM_RIGHTS messages carry (with -y only). */
static __always_inline __u32 capture_cmsg_fds(struct scratch *s, __u32 off, __u64 msg)
{
	__u32 zero = 0;
	struct cmsg_fds *fds = bpf_map_lookup_elem(&cmsg_fds_map, &zero);
	int n;

	if (!fds)
		return off;
	n = read_cmsg_fds(fds, msg);
	for (__u32 k = 0; k < CGT_CMSG_FDS; k++)
		if (k < n)
			off = capture_fd_global(s, off, CGT_ARG_CMSG_FD0 + k, fds->fd[k]);
	return off;
}

#endif /* CGT_FD_RESOLUTION_BPF_H */
