/* The reader's side of the flight recorder's per-slot seqlock (see cgtrace_abi.h). In C because
 * it needs ordered loads around a copy from memory the kernel writes concurrently. */
#include "cgt_slot_read.h"
#include "cgtrace_abi.h"
#include <string.h>

size_t cgt_slot_read(const void *slot, size_t slot_size, void *dst, uint64_t *seq)
{
	const struct cgt_header *h = slot;
	const uint64_t *commit = (const uint64_t *)&h->seq;
	uint64_t before, after;
	size_t size;

	before = __atomic_load_n(commit, __ATOMIC_ACQUIRE);
	if (before == CGT_SEQ_WRITING)
		return 0;
	size = __atomic_load_n(&h->size, __ATOMIC_RELAXED);
	if (__atomic_load_n(&h->type, __ATOMIC_RELAXED) == 0 || size < sizeof(*h))
		return 0; /* never written */
	if (size > slot_size)
		size = slot_size;
	memcpy(dst, slot, size);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	after = __atomic_load_n(commit, __ATOMIC_RELAXED);
	if (after != before)
		return 0;
	*seq = before;
	return size;
}
