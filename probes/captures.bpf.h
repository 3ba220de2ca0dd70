// SPDX-License-Identifier: GPL-2.0
/* captures.bpf.h — appending one capture (struct cgt_capture and its bytes) to the record being
 * built: from user memory, kernel strings, or the program's own small structs. Every offset is
 * masked so the verifier sees it inside the scratch buffer. */
#ifndef CGT_CAPTURES_BPF_H
#define CGT_CAPTURES_BPF_H

#include "maps.bpf.h"


/* Append one capture at `off`; returns the new end of the record.
 * `max` bounds the copy; `str` selects a NUL-terminated read. */
static __always_inline __u32 put_capture(void *rec, __u32 off, __u8 arg, __u8 kind, __u16 index,
					 const void *src, __u32 max, bool str, __u16 flags)
{
	struct cgt_capture *cap;
	long n;

	if (off > CGT_REC_MAX - sizeof(struct cgt_capture) - CGT_CAP_MAX) {
		count(CGT_CNT_TRUNC);
		return off;
	}
	off &= CGT_REC_MAX - 1;
	cap = rec + off;
	if (max > CGT_CAP_MAX)
		max = CGT_CAP_MAX;
	/* (a compare the verifier sees: clang merged it into the small-copy test below otherwise) */
	barrier_var(max);

	if (str) {
		n = bpf_probe_read_user_str((void *)(cap + 1), max, src);
		if (n > 0)
			n -= 1; /* drop the NUL */
	} else if (max <= sizeof(__u64)) {
		/* A word or less (dd's byte, an int out-parameter): read and stored as one word, not
		 * the eight of the stack buffer below (this function's perf samples on a dd storm:
		 * 50 against 35). */
		__u64 word = 0;
		__u32 len = max;

		barrier_var(len);
		if (len > sizeof(word))
			len = sizeof(word);
		n = bpf_probe_read_user(&word, len, src) ? -1 : (long)len;
		*(__u64 *)(cap + 1) = word;
	} else if (max <= sizeof(__u64) * 8) {
		/* A small copy goes through the stack: the kernel's usercopy hardening checks a heap
		 * destination (the per-CPU scratch) at every copy, and a stack one at once (~2 % of a
		 * traced dd's time). The words past `max` are the zeros copied along. */
		__u64 small[8] = {};
		__u32 len = max;

		barrier_var(len);  /* (and a compare of its own, which the verifier sees) */
		if (len > sizeof(small))
			len = sizeof(small);
		n = bpf_probe_read_user(small, len, src) ? -1 : (long)len;
		for (__u32 k = 0; k < 8; k++)
			((__u64 *)(cap + 1))[k] = small[k];
	} else {
		/* (long): with a __u32 operand the -1 would turn into 4294967295 */
		n = bpf_probe_read_user((void *)(cap + 1), max, src) ? -1 : (long)max;
	}
	cap->arg = arg;
	cap->kind = kind;
	cap->index = index;
	cap->flags = flags;
	if (n < 0) {
		cap->flags |= CGT_CAPF_FAULT;
		n = 0;
	}
	n &= CGT_CAP_MAX * 2 - 1;
	cap->len = n;
	return off + sizeof(*cap) + ((n + 7) & ~7);
}

/* What put_user_global packs into one argument (a global function takes at most five); the
 * capture's index (an argv element's) in bits 16-31. */
#define CGT_PUT(arg, kind, str, flags) \
	((__u64)(arg) | (__u64)(kind) << 8 | (__u64)(flags) << 32 | (__u64)(str) << 48)
#define CGT_PUT_AT(arg, kind, str, flags, index) \
	(CGT_PUT(arg, kind, str, flags) | (__u64)((index) & 0xffff) << 16)

/* put_capture behind a call: the verifier checks it once instead of at each of the dozen places
 * enter_arg and exit_arg copy an argument, and to them the offset it returns is any number, so
 * no path multiplies by the sizes of captures before it (btf_sys_enter took 50 ms to verify when
 * they were inlined into a bpf_loop callback, 7 ms since). */
__noinline int put_user_global(struct scratch *s, __u32 off, __u64 what, __u64 src, __u32 max)
{
	if (!s)
		return off;
	return put_capture(s->data, off, what & 0xff, (what >> 8) & 0xff, (what >> 16) & 0xffff,
			   (const void *)src, max, (what >> 48) & 1, (what >> 32) & 0xffff);
}

/* Put a small value as a capture (e.g. an element count). */
static __always_inline __u32 put_u32(void *rec, __u32 off, __u8 arg, __u8 kind, __u32 value)
{
	struct cgt_capture *cap;

	if (off > CGT_REC_MAX - sizeof(struct cgt_capture) - 8)
		return off;
	off &= CGT_REC_MAX - 1;
	cap = rec + off;
	cap->arg = arg;
	cap->kind = kind;
	cap->len = 4;
	cap->flags = 0;
	cap->index = 0;
	*(__u32 *)(cap + 1) = value;
	*((__u32 *)(cap + 1) + 1) = 0;
	return off + sizeof(*cap) + 8;
}

/* Bytes of strings and buffers to copy: -s, plus one so that the reader can tell truncation. */
static __always_inline __u32 string_copy_limit(void)
{
	return cfg.string_limit + 2;
}

static __always_inline __u32 min_u32(__u64 a, __u32 b)
{
	return a < b ? (__u32)a : b;
}

/* Append a NUL-terminated kernel string (a dentry name) as a capture. */
static __always_inline __u32 put_kernel_str(void *rec, __u32 off, __u8 arg, __u8 kind, __u16 index, const void *src)
{
	struct cgt_capture *cap;
	long n;

	if (off > CGT_REC_MAX - sizeof(struct cgt_capture) - 256) {
		count(CGT_CNT_TRUNC);
		return off;
	}
	off &= CGT_REC_MAX - 1;
	cap = rec + off;
	n = bpf_probe_read_kernel_str((void *)(cap + 1), 256, src);
	if (n > 0)
		n -= 1;
	else
		n = 0;
	n &= 255;
	cap->arg = arg;
	cap->kind = kind;
	cap->index = index;
	cap->flags = 0;
	cap->len = n;
	return off + sizeof(*cap) + ((n + 7) & ~7);
}

/* Append a small struct of the program's own (a multiple of 8 bytes, size known when inlined). */
static __always_inline __u32 put_small(void *rec, __u32 off, __u8 arg, __u8 kind, const void *src, __u32 size)
{
	struct cgt_capture *cap;

	if (off > CGT_REC_MAX - sizeof(struct cgt_capture) - size)
		return off;
	off &= CGT_REC_MAX - 1;
	cap = rec + off;
	cap->arg = arg;
	cap->kind = kind;
	cap->len = size;
	cap->flags = 0;
	cap->index = 0;
	__builtin_memcpy((void *)(cap + 1), src, size);
	return off + sizeof(*cap) + size;
}

#endif /* CGT_CAPTURES_BPF_H */
