// SPDX-License-Identifier: GPL-2.0
/* recorder.bpf.h — the flight recorder's kernel side: triggers (the first condition that holds
 * stops overwriting after a countdown) and the per-CPU overwrite slots records go to instead of
 * the ring when `cfg.record_slots` is set. Every use sits behind a .rodata constant: without
 * `cgtrace record` the verifier drops it all. */
#ifndef CGT_RECORDER_BPF_H
#define CGT_RECORDER_BPF_H

#include "maps.bpf.h"

static __always_inline struct cgt_trigger_state *trigger(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&trigger_state, &zero);
}

/* A triggered recording that has stopped overwriting: count the event, store nothing. */
static __always_inline bool recording_stopped(void)
{
	struct cgt_trigger_state *st;

	if (!TRIGGER_KINDS)
		return false;
	st = trigger();
	if (!st || !st->stopped)
		return false;
	__sync_fetch_and_add(&st->dropped, 1);
	return true;
}

/* A trigger condition held for the record `h` (NULL: for no record of ours, the OOM victim):
 * the first one wins, notes why and where, and starts the countdown of records to keep. */
static __always_inline void fire_trigger(struct cgt_header *h, __u32 kind, __u32 pid, __u32 tid, __s32 value, __u32 nr)
{
	struct cgt_trigger_state *st = trigger();

	if (!st || st->fired || __sync_val_compare_and_swap(&st->fired, 0, kind) != 0)
		return;
	st->pid = pid;
	st->tid = tid;
	st->value = value;
	st->nr = nr;
	st->ts = h ? h->ts : bpf_ktime_get_ns();
	st->seq = h ? h->seq : CGT_SEQ_WRITING;
	st->cpu = h ? h->cpu : bpf_get_smp_processor_id();
	st->left = trigger_cfg.after;
	if (h)
		h->flags |= CGT_HDRF_TRIGGER;
	if (!trigger_cfg.after) {
		st->stop_ts = st->ts;
		st->stopped = 1;
	}
}

/* After a trigger: one more record stored; the last one to keep stops overwriting. */
static __always_inline void count_down(struct cgt_header *h)
{
	struct cgt_trigger_state *st = trigger();

	if (!st || !st->fired || st->stopped || (h->flags & CGT_HDRF_TRIGGER))
		return;
	if (__sync_fetch_and_add(&st->left, -1) == 1) {
		st->stop_ts = bpf_ktime_get_ns();
		st->stopped = 1;
	}
}

static __always_inline bool bit_set(const volatile __u64 *bits, __u32 n, __u32 limit)
{
	if (n >= limit)
		return false;
	return (bits[n / 64] >> (n % 64)) & 1;
}

/* Flight recorder: overwrite this CPU's oldest slot. No wake-up, no reader: nothing else runs. */
static __always_inline void record_to_slot(struct cgt_header *h, __u32 size)
{
	__u64 seq = h->seq;
	__u32 key = (__u32)h->cpu * cfg.record_slots + (__u32)(seq % cfg.record_slots);
	volatile __u64 *commit;
	void *slot;
	__u32 n;

	if (TRIGGER_KINDS && seq == CGT_SEQ_WRITING) {
		struct cgt_trigger_state *st = trigger();

		if (st)
			__sync_fetch_and_add(&st->dropped, 1);
		return;
	}
	slot = bpf_map_lookup_elem(&recorder_slots, &key);
	if (!slot) {
		count(CGT_CNT_LOST);
		return;
	}
	commit = &((struct cgt_header *)slot)->seq;
	*commit = CGT_SEQ_WRITING;
	h->seq = CGT_SEQ_WRITING;
	n = size < CGT_SLOT_SIZE ? size : CGT_SLOT_SIZE;
	bpf_probe_read_kernel(slot, n, h);
	*commit = seq;
	h->seq = seq;
	count(CGT_CNT_EMITTED);
	if (TRIGGER_KINDS)
		count_down(h);
}

#endif /* CGT_RECORDER_BPF_H */
