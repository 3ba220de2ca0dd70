// SPDX-License-Identifier: GPL-2.0
/* vectors.bpf.h — iovec arrays, msghdrs and mmsghdr arrays (writev, readv, sendmsg, recvmsg,
 * sendmmsg, recvmmsg): the one vector argument a call has, as CGT_SC_VECTOR names it. */
#ifndef CGT_VECTORS_BPF_H
#define CGT_VECTORS_BPF_H

#include "maps.bpf.h"
#include "captures.bpf.h"

/* ---- iovec arrays and msghdrs (writev, readv, sendmsg, recvmsg) ----------------------------
 *
 * Global (non-static, not inlined) functions: the verifier checks each once on its own, with
 * only its argument types known, rather than once for every path into the per-argument
 * callbacks, which are close to its one-million-instruction budget. */

struct iov_walk {
	struct scratch *s;
	__u64 iov;     /* user address of the iovec array */
	__u64 budget;  /* bytes of data the call moved that remain to be shown (readv: its return) */
	__u32 off;
	__u32 limit;   /* bytes of data copied per element: -s, or CGT_NETLINK_MAX */
	__u8 arg;
};

/* One element, as its own global function so that the bpf_loop callback around it stays tiny
 * (the verifier walks a callback several times over; it checks a global function once). Puts a
 * CGT_CAP_IOV capture holding iov_base and iov_len, then the first `n` bytes of the data. */
__noinline int put_iov_element(struct scratch *s, __u32 off, __u32 arg_index, __u64 base, __u64 len_n)
{
	struct cgt_capture *cap;
	__u32 n = len_n >> 48, index = arg_index >> 8;

	if (!s || off > CGT_REC_MAX - sizeof(*cap) - 16 - CGT_CAP_MAX) {
		count(CGT_CNT_TRUNC);
		return -1;
	}
	off &= CGT_REC_MAX - 1;
	n &= CGT_CAP_MAX - 1;
	cap = (void *)s->data + off;
	cap->arg = arg_index & 0xff;
	cap->kind = CGT_CAP_IOV;
	cap->index = index;
	cap->flags = 0;
	((__u64 *)(cap + 1))[0] = base;
	((__u64 *)(cap + 1))[1] = len_n & ((1ULL << 48) - 1);
	if (n && bpf_probe_read_user((void *)(cap + 1) + 16, n, (const void *)base)) {
		cap->flags |= CGT_CAPF_FAULT;
		n = 0;
	}
	cap->len = 16 + n;
	return off + sizeof(*cap) + ((16 + n + 7) & ~7u);
}

static long iov_step(__u32 i, void *ctx)
{
	struct iov_walk *w = ctx;
	__u64 v[2]; /* iov_base, iov_len */
	__u64 moved;
	int off;

	if (i >= CGT_IOV_MAX)
		return 1;
	if (bpf_probe_read_user(v, sizeof(v), (const void *)(w->iov + 16 * (__u64)i)))
		return 1;
	moved = v[1] < w->budget ? v[1] : w->budget;
	off = put_iov_element(w->s, w->off, w->arg | (i << 8), v[0],
			      (v[1] & ((1ULL << 48) - 1)) | ((__u64)min_u32(moved, w->limit) << 48));
	if (off < 0)
		return 1;
	w->off = off;
	w->budget -= moved;
	return 0;
}

/* `count` elements (at most CGT_IOV_MAX) of the iovec array at `iov`, showing at most `budget`
 * bytes of data in all. `arg` is the argument's index, with CGT_IOV_NETLINK for a netlink
 * socket's (whose elements are copied whole, netlink_copy_limit()). Returns the new end of the record. */
#define CGT_IOV_NETLINK (1u << 16)
__noinline int capture_iovec(struct scratch *s, __u32 off, __u32 arg, __u64 iov, __u64 count_and_budget)
{
	struct iov_walk w = { .s = s, .iov = iov, .budget = count_and_budget >> 16, .off = off, .arg = arg & 0xff,
			      .limit = (arg & CGT_IOV_NETLINK) ? netlink_copy_limit() : cfg.string_limit };
	__u32 count = count_and_budget & 0xffff;

	if (!s || !iov)
		return off;
	/* The bound is the callback's (i >= CGT_IOV_MAX): clamped here, the count was a constant
	 * on one path and not on the other, and the verifier walked the callback for each. */
	bpf_loop(count, iov_step, &w, 0);
	return w.off;
}

/* struct msghdr as x86_64 lays it out. */
struct msghdr_user {
	__u64 name;
	__u32 namelen;
	__u32 pad;
	__u64 iov;
	__u64 iovlen;
	__u64 control;
	__u64 controllen;
	__u32 flags;
	__u32 pad2;
};

/* The msghdr at `msg` (CGT_CAP_MSGHDR), its name (CGT_CAP_MSGNAME) and its iovecs, showing at
 * most `budget` bytes of data. */
__noinline int capture_msghdr(struct scratch *s, __u32 off, __u32 arg, __u64 msg, __u64 budget)
{
	struct msghdr_user m;
	__u64 count;

	if (!s || !msg || bpf_probe_read_user(&m, sizeof(m), (const void *)msg))
		return off;
	off = put_small(s->data, off, arg & 0xff, CGT_CAP_MSGHDR, &m, sizeof(m));
	/* (through put_user_global, checked once per program: put_capture inlined here twice was
	 * ~300 more instructions for the verifier to walk in each syscall program) */
	if (m.name && m.namelen)
		off = put_user_global(s, off, CGT_PUT(arg & 0xff, CGT_CAP_MSGNAME, 0, 0), m.name,
				      m.namelen < 128 ? m.namelen : 128);
	if (m.control && m.controllen)
		off = put_user_global(s, off, CGT_PUT(arg & 0xff, CGT_CAP_MSGCTL, 0, 0), m.control,
				      m.controllen < CGT_MSGCTL_MAX ? m.controllen : CGT_MSGCTL_MAX);
	count = m.iovlen < CGT_IOV_MAX ? m.iovlen : CGT_IOV_MAX;
	if (budget > (1ULL << 47))
		budget = 1ULL << 47;
	return capture_iovec(s, off, arg, m.iov, count | (budget << 16));
}

/* sendmmsg/recvmmsg: message k of the mmsghdr array (64 bytes each: a msghdr, then msg_len).
 * The callback only calls global functions, so the verifier's walks of it stay short. */
struct mmsg_walk {
	struct scratch *s;
	__u64 vec;
	__u32 off;
	__u32 mode; /* 0: headers with data (sendmmsg, entry); 1: headers, no data (recvmmsg,
		     * entry); 2: msg_len (sendmmsg, exit); 3: data of msg_len bytes and msg_len
		     * (recvmmsg, exit) */
};

/* A message's msg_len (CGT_CAP_MSGLEN) for message k, as a global function: put_u32 inlined in
 * the callback below made the verifier walk it twice as often. */
__noinline int put_msglen(struct scratch *s, __u32 off, __u32 k, __u32 len)
{
	if (!s)
		return off;
	return put_u32(s->data, off, CGT_ARG_ELEMENT0 + (k & 0xff), CGT_CAP_MSGLEN, len);
}

static long mmsg_step(__u32 k, void *ctx)
{
	struct mmsg_walk *w = ctx;
	__u64 msg = w->vec + 64 * (__u64)k;
	__u32 len = 0;

	if (k >= CGT_MMSG_MAX)
		return 1;
	if (w->mode >= 2 && bpf_probe_read_user(&len, sizeof(len), (const void *)(msg + 56)))
		return 1;
	if (w->mode != 2)
		w->off = capture_msghdr(w->s, w->off, CGT_ARG_ELEMENT0 + k, msg,
					w->mode == 0 ? 1ULL << 47 : w->mode == 3 ? len : 0);
	if (w->mode >= 2 && w->s)
		w->off = put_msglen(w->s, w->off, k, len);
	return 0;
}

__noinline int capture_mmsg(struct scratch *rec, __u32 off, __u64 vec, __u64 count, __u32 mode)
{
	struct mmsg_walk w = { .s = rec, .vec = vec, .off = off, .mode = mode };

	if (!vec)
		return off;
	/* (bounded in the callback, as capture_iovec's; a count is at most UIO_MAXIOV, 1024) */
	bpf_loop(count & 0xffff, mmsg_step, &w, 0);
	return w.off;
}

/* The one iovec or msghdr argument a call has (CGT_SC_VECTOR names it): called once, after
 * the per-argument loop rather than inside its callback, where an unknown-valued return from a
 * global function kept the verifier from pruning and doubled its work. At entry (`at_exit`
 * false) in-parameters with their data, out-parameters without; at exit, out-parameters with
 * `ret` bytes of data. A global function: inlined, each of its cases was a path of its own
 * through the rest of the program for the verifier (~1,000 instructions walked per program,
 * ~1.3 µs each here, at every start). `off_exit`: the record's end, and 1 << 32 at exit. */
__noinline int capture_vector(struct scratch *rec, __u64 off_exit, struct thread_state *ts,
			      struct cgt_syscall_spec *spec, long ret)
{
	__u32 off = (__u32)off_exit, a;
	bool at_exit = off_exit >> 32;
	struct cgt_arg_spec arg;
	__u64 p, count;

	if (!ts || !spec)
		return off;
	a = (spec->flags >> CGT_SC_VECTOR_ARG_SHIFT) & 7;
	if (a >= CGT_MAX_ARGS)
		return off;
	arg = spec->args[a];
	p = ts->args[a];
	count = arg.len_arg < CGT_MAX_ARGS ? ts->args[arg.len_arg & 7] & 0xffff : 0;
	switch (arg.capture) {
	case CGT_ARG_IOV_IN:          /* writev: every element's data, each up to -s */
		return at_exit ? off : capture_iovec(rec, off, a, p, count | ((1ULL << 47) << 16));
	case CGT_ARG_MSGHDR_IN:       /* sendmsg; with -y the fds it passes, as the sender has them */
		if (at_exit)
			return off;
		off = capture_msghdr(rec, off, a | (ts->netlink ? CGT_IOV_NETLINK : 0), p, 1ULL << 47);
		return CFG_FD_PATHS ? capture_cmsg_fds(rec, off, p) : off;
	case CGT_ARG_IOV_OUT_RET:     /* readv: the elements at entry (for a failure), the data read at exit */
		return capture_iovec(rec, off, a, p, count | ((at_exit ? (__u64)ret : 0) << 16));
	case CGT_ARG_MSGHDR_OUT_RET:  /* recvmsg: the header as given (msg_namelen in), then as filled
				       * (with -y the fds received, as they are numbered here now) */
		off = capture_msghdr(rec, off, a | (ts->netlink ? CGT_IOV_NETLINK : 0), p, at_exit ? ret : 0);
		return CFG_FD_PATHS && at_exit ? capture_cmsg_fds(rec, off, p) : off;
	case CGT_ARG_MMSG_IN:         /* sendmmsg: the messages at entry, what was sent of each at exit */
		return capture_mmsg(rec, off, p, at_exit ? ret : count, at_exit ? 2 : 0);
	case CGT_ARG_MMSG_OUT_RET:    /* recvmmsg: the headers at entry, the messages received at exit */
		return capture_mmsg(rec, off, p, at_exit ? ret : count, at_exit ? 3 : 1);
	default:
		return off;
	}
}

#endif /* CGT_VECTORS_BPF_H */
