#pragma once
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

/* The BPF ring buffer's positions and record headers are shared with the kernel's producers:
 * read with acquire, written with release (Swift has no atomics on raw memory). */
static inline unsigned long cgt_load_acquire_ulong(const void *p)
{
	return __atomic_load_n((const unsigned long *)p, __ATOMIC_ACQUIRE);
}

static inline unsigned int cgt_load_acquire_uint(const void *p)
{
	return __atomic_load_n((const unsigned int *)p, __ATOMIC_ACQUIRE);
}

static inline void cgt_store_release_ulong(void *p, unsigned long v)
{
	__atomic_store_n((unsigned long *)p, v, __ATOMIC_RELEASE);
}
