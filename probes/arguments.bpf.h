// SPDX-License-Identifier: GPL-2.0
/* arguments.bpf.h — the per-argument copies a call's spec asks for (struct cgt_arg_spec): the
 * in-parameters at entry (enter_arg), the out-parameters at exit (exit_arg), and the walks they
 * use over argv arrays and getdents64 output. */
#ifndef CGT_ARGUMENTS_BPF_H
#define CGT_ARGUMENTS_BPF_H

#include "maps.bpf.h"
#include "captures.bpf.h"
#include "fd_resolution.bpf.h"

struct argv_walk {
	void *rec;
	const char *const *argv;
	__u32 off;
	__u32 count;
	__u32 keep;   /* elements whose strings are copied */
	__u8 arg;
};

/* One bpf_loop step over a NULL-terminated string array: verified once, not per element. Its
 * copy goes through put_user_global: put_capture inlined here had the verifier walk the
 * callback's ~450 instructions at every start. */
static long argv_step(__u32 i, void *ctx)
{
	struct argv_walk *w = ctx;
	const char *p = NULL;

	if (bpf_probe_read_user(&p, sizeof(p), &w->argv[i]) || !p)
		return 1;
	if (i < w->keep)
		w->off = put_user_global(w->rec, w->off, CGT_PUT_AT(w->arg, CGT_CAP_ARGV, 1, 0, i), (__u64)p,
					 string_copy_limit());
	w->count++;
	return 0;
}

static __always_inline __u32 capture_argv(void *rec, __u32 off, __u8 arg, const char *const *argv, bool strings)
{
	struct argv_walk w = {
		.rec = rec,
		.argv = argv,
		.off = off,
		.count = 0,
		.keep = !strings ? 0 : cfg.verbose || cfg.string_limit >= CGT_ARGV_MAX ? CGT_ARGV_MAX : cfg.string_limit,
		.arg = arg,
	};

	if (!argv)
		return off;
	bpf_loop(4096, argv_step, &w, 0);
	return put_u32(rec, w.off, arg, CGT_CAP_ARGC, w.count);
}

struct dirent_walk {
	const void *buf;
	__u32 len;
	__u32 off;
	__u32 count;
};

/* One bpf_loop step over getdents64 output: struct linux_dirent64 has d_reclen at byte 16. */
static long dirent_step(__u32 i, void *ctx)
{
	struct dirent_walk *w = ctx;
	__u16 reclen = 0;

	if (w->off + 19 > w->len)
		return 1;
	if (bpf_probe_read_user(&reclen, sizeof(reclen), w->buf + w->off + 16) || reclen == 0)
		return 1;
	w->off += reclen;
	w->count++;
	return 0;
}

/* The argument kinds copied at entry and at exit (one bit per enum cgt_arg_capture; the vector
 * kinds go through capture_vector, -y's CGT_ARG_FD is tested on its own). */
#define KIND(k) (1u << (k))
#define KINDS_AT_ENTRY (KIND(CGT_ARG_STR_IN) | KIND(CGT_ARG_BUF_IN) | KIND(CGT_ARG_STRUCT_IN) |	\
			KIND(CGT_ARG_STRUCT_INOUT) | KIND(CGT_ARG_ARRAY_INOUT) |		\
			KIND(CGT_ARG_STRUCT_IN_LEN) | KIND(CGT_ARG_ARGV) | KIND(CGT_ARG_ARGC))
#define KINDS_AT_EXIT (KIND(CGT_ARG_STRUCT_OUT) | KIND(CGT_ARG_STRUCT_INOUT) | KIND(CGT_ARG_ARRAY_INOUT) | \
		       KIND(CGT_ARG_ARRAY_OUT_RET) | KIND(CGT_ARG_BUF_OUT_RET) | KIND(CGT_ARG_BUF_OUT_ARG) | \
		       KIND(CGT_ARG_DIRENT_COUNT) | KIND(CGT_ARG_STRUCT_OUT_LENPTR))

/* Which of the call's arguments have a kind in `kinds`, one bit each, found without a branch:
 * tested one by one, each argument's test forked the verifier's walk of the rest of the loop
 * (~900 instructions walked per program at every start; the kinds are all below 32). */
static __always_inline __u32 args_of_kinds(const struct cgt_syscall_spec *spec, __u32 kinds)
{
	__u32 mask = 0;

	for (__u32 i = 0; i < CGT_MAX_ARGS; i++)
		mask |= ((kinds >> (spec->args[i].capture & 31)) & 1) << i;
	return mask;
}

/* Bytes of an in/out array argument: its length argument's low 32 bits (an unsigned int count)
 * times the element size, capped. The same at entry and at exit. */
static __always_inline __u32 array_bytes(const struct thread_state *ts, struct cgt_arg_spec a)
{
	return min_u32((ts->args[a.len_arg & 7] & 0xffffffff) * a.size, CGT_CAP_MAX);
}

/* The capture just written at `before` faulted (memory not paged in yet): argument `i` is read
 * again at exit, after the kernel's own copy has paged it in. */
static __always_inline void reread_if_faulted(struct scratch *s, struct thread_state *ts, __u32 before,
					      __u32 off, __u32 i)
{
	if (off > before &&
	    (((struct cgt_capture *)((void *)s->data + (before & (CGT_REC_MAX - 1))))->flags & CGT_CAPF_FAULT))
		ts->late |= 1u << i;
}

/* In-parameter `i` of the call in flight, appended at `off`; returns the new end. Called only
 * for the arguments that have something to copy (most have none: a bpf_loop over all six cost
 * ~100 ns per call). A global function: the verifier checks it once. */
__noinline int enter_arg(struct scratch *s, struct thread_state *ts, struct cgt_syscall_spec *spec,
			 __u32 i, __u32 off)
{
	struct cgt_arg_spec a;
	const void *p;
	__u32 before = off;

	if (!s || !ts || !spec || i >= CGT_MAX_ARGS)
		return off;
	a = spec->args[i];
	p = (const void *)ts->args[i];
	if (a.capture == CGT_ARG_FD) {
		/* fd 0 is a real descriptor: not the "NULL pointer" the other kinds skip. */
		if (CFG_FD_PATHS)
			off = capture_fd_global(s, off, i, (int)ts->args[i]);
		return off;
	}
	if (a.capture == CGT_ARG_NONE || !p)
		return off;
	switch (a.capture) {
	case CGT_ARG_STR_IN:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_STR, 1, 0), (__u64)p,
				      a.size ? a.size : string_copy_limit());
		reread_if_faulted(s, ts, before, off, i);
		break;
	case CGT_ARG_BUF_IN:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
					      min_u32(ts->args[a.len_arg & 7], data_copy_limit(ts)));
		break;
	case CGT_ARG_STRUCT_IN:
	case CGT_ARG_STRUCT_INOUT:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
				      a.size);
		break;
	case CGT_ARG_ARRAY_INOUT:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p, array_bytes(ts, a));
		break;
	case CGT_ARG_STRUCT_IN_LEN:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
					      min_u32(ts->args[a.len_arg & 7], a.size));
		/* A constant never touched yet (iptables' netlink sockaddr in .rodata) is not paged in
		 * at entry: read it again at exit, as strings are. */
		reread_if_faulted(s, ts, before, off, i);
		break;
	case CGT_ARG_ARGV:
		off = capture_argv(s, off, i, p, true);
		break;
	case CGT_ARG_ARGC:
		off = capture_argv(s, off, i, p, false);
		break;
	default:
		break;
	}
	return off;
}

/* Out-parameter `i` (packed with `off` as i << 32 | off), or the late re-read of a string that
 * faulted at entry, at exit; returns the new end of the record. */
__noinline int exit_arg(struct scratch *s, struct thread_state *ts, struct cgt_syscall_spec *spec,
			__u64 arg_off, long ret)
{
	__u32 i = arg_off >> 32, off = (__u32)arg_off;
	struct cgt_arg_spec a;
	const void *p;

	if (!s || !ts || !spec || i >= CGT_MAX_ARGS)
		return off;
	a = spec->args[i];
	p = (const void *)ts->args[i];
	if (!p)
		return off;
	if (ts->late & (1u << i)) {
		if (a.capture == CGT_ARG_STRUCT_IN_LEN && a.len_arg < CGT_MAX_ARGS)
			return put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, CGT_CAPF_LATE), (__u64)p,
					       min_u32(ts->args[a.len_arg & 7], a.size));
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_STR, 1, CGT_CAPF_LATE), (__u64)p,
				      a.size ? a.size : string_copy_limit());
		return off;
	}
	if (ret < 0)
		return off;
	switch (a.capture) {
	case CGT_ARG_STRUCT_OUT:
	case CGT_ARG_STRUCT_INOUT:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
				      a.size);
		break;
	case CGT_ARG_ARRAY_INOUT:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p, array_bytes(ts, a));
		break;
	case CGT_ARG_ARRAY_OUT_RET:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
				      min_u32((__u64)ret * a.size, CGT_CAP_MAX));
		break;
	case CGT_ARG_BUF_OUT_RET:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
				      min_u32(ret, a.size ? a.size : data_copy_limit(ts)));
		break;
	case CGT_ARG_BUF_OUT_ARG:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
					      min_u32(ts->args[a.len_arg & 7], cfg.string_limit));
		break;
	case CGT_ARG_DIRENT_COUNT: {
		struct dirent_walk d = { .buf = p, .len = ret, .off = 0, .count = 0 };

		bpf_loop(8192, dirent_step, &d, 0);
		off = put_u32(s, off, i, CGT_CAP_ARGC, d.count);
		/* -v lists the entries: their bytes too (a directory's first 8 KiB of them) */
		if (cfg.verbose)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p, min_u32(ret, CGT_CAP_MAX));
		break;
	}
	case CGT_ARG_STRUCT_OUT_LENPTR:
		if (a.len_arg < CGT_MAX_ARGS) {
			int len = 0;

			bpf_probe_read_user(&len, sizeof(len), (void *)ts->args[a.len_arg & 7]);
			if (len > 0)
				off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
						      min_u32(len, a.size));
		}
		break;
	default:
		break;
	}
	return off;
}

#endif /* CGT_ARGUMENTS_BPF_H */
