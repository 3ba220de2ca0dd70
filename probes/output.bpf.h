// SPDX-License-Identifier: GPL-2.0
/* output.bpf.h — getting a finished record out: its header (sequence numbers), the ring buffer
 * with its wake-up policy, loss marking (the gap marker the next record carries), the flight
 * recorder's slots instead of the ring, and entry records held back for the status/latency
 * filters until the call's outcome is known. */
#ifndef CGT_OUTPUT_BPF_H
#define CGT_OUTPUT_BPF_H

#include "maps.bpf.h"
#include "recorder.bpf.h"

static __always_inline void *scratch_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch_map, &zero);
}

/* `pid_tgid`: the current task's, as bpf_get_current_pid_tgid() says (fill_header asks it). */
static __always_inline void fill_header_of(struct cgt_header *h, __u16 type, __u64 now, __u64 pid_tgid)
{
	__u32 zero = 0;
	__u64 *seq;

	h->type = type;
	h->size = 0;
	h->cpu = bpf_get_smp_processor_id();
	h->flags = 0;
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ts = now;
	h->seq = 0;
	/* A record begun after a trigger stopped the recording (its task passed traced_task()
	 * before): it takes no seq, and record_to_slot drops it. */
	if (TRIGGER_KINDS) {
		struct cgt_trigger_state *st = trigger();

		if (st && st->stopped) {
			h->seq = CGT_SEQ_WRITING;
			return;
		}
	}
	/* Only the flight recorder places records by seq; live tracing needs none. The locked add
	 * made each record wait for its stores to reach the cache: with the shift below and joined
	 * calls, ~15 % of a traced dd's time (2 CPUs, dd's own time, medians of 13 interleaved runs). */
	if (!CFG_RECORD_SLOTS)
		return;
	seq = bpf_map_lookup_elem(&cpu_seq, &zero);
	/* atomic: a program preempted between read and increment must not share its seq with the
	 * next one on this CPU */
	if (seq)
		h->seq = __sync_fetch_and_add(seq, 1);
}

static __always_inline void fill_header(struct cgt_header *h, __u16 type, __u64 now)
{
	fill_header_of(h, type, now, bpf_get_current_pid_tgid());
}

/* The ring was full: count the record for the marker the next record will carry. The count is
 * atomic (it says exactly how much was lost); the times and the list of threads are kept as well
 * as CPUs racing each other allow. `counters` keeps the exact total too.
 *
 * A global function: the verifier checks it once per program. Inlined, its loop over the
 * threads was checked at each of the three places ring_output drops a record, in each submit:
 * ~15 % of the instructions the verifier walked for the syscall programs (log level 2). */
__noinline int note_loss(struct cgt_lost *l, __u32 tid, __u32 cpu, __u32 records)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 n;
	bool known = false;

	count_n(CGT_CNT_LOST, records);
	if (!l)
		return 0;
	n = l->ntids;
	cpu = cpu < CGT_LOST_CPU_LAST ? cpu : CGT_LOST_CPU_LAST;
	if (__sync_fetch_and_add(&l->records, records) == 0)
		l->first_ts = now;
	l->last_ts = now;
	if (!(l->cpus & (1ULL << cpu)))
		__sync_fetch_and_or(&l->cpus, 1ULL << cpu);
	for (__u32 i = 0; i < CGT_LOST_TIDS; i++)
		if (i < n && l->tids[i] == tid)
			known = true;
	if (known)
		return 0;
	if (n >= CGT_LOST_TIDS) {
		l->more_tids = 1;
		return 0;
	}
	l->tids[n & (CGT_LOST_TIDS - 1)] = tid;
	l->ntids = n + 1;
	return 0;
}

struct lost_record {
	struct cgt_header h;
	struct cgt_lost l;
};

/* A hole is open: write its marker, if the ring has room again. 1: the record that comes next
 * (`records` of thread `tid` on `cpu`) may follow it; 0: that record is dropped into the hole
 * too, and counted. Written in place in the ring: the BPF stack has no room left for it under
 * -yy -k. The count is taken with an exchange, so two CPUs never report the same drops. No
 * record may pass its hole's marker: without room for the marker, the record is dropped too.
 *
 * A global function: the verifier checks it once per program, not at every place a record is
 * written (inlined, it was most of each such place's instructions). */
__noinline int mark_hole(struct cgt_lost *l, __u32 tid, __u32 cpu, __u32 records)
{
	struct lost_record *gap;
	__u64 dropped;

	if (!l)
		return 1;
	/* Reopening the ring as soon as one record fits would alternate record, hole, record:
	 * measured on a 5 s dd storm, 2.9 M marker lines among 6.6 M, which the consumer, already
	 * behind, spent its time printing (loss 76 %). */
	if (cfg.resume_bytes && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg.resume_bytes) {
		note_loss(l, tid, cpu, records);
		return 0;
	}
	gap = bpf_ringbuf_reserve(&events, sizeof(*gap), 0);
	if (!gap) {
		note_loss(l, tid, cpu, records);
		return 0;
	}
	dropped = __sync_lock_test_and_set(&l->records, 0);
	fill_header(&gap->h, CGT_REC_LOST, bpf_ktime_get_ns());
	gap->h.size = sizeof(*gap);
	gap->l.records = dropped;
	gap->l.first_ts = l->first_ts;
	gap->l.last_ts = l->last_ts;
	gap->l.cpus = __sync_lock_test_and_set(&l->cpus, 0);
	gap->l.ntids = l->ntids < CGT_LOST_TIDS ? l->ntids : CGT_LOST_TIDS;
	gap->l.more_tids = l->more_tids;
	__builtin_memcpy(gap->l.tids, l->tids, sizeof(gap->l.tids));
	l->ntids = 0;
	l->more_tids = 0;
	if (dropped) {
		bpf_ringbuf_submit(gap, 0);
		count(CGT_CNT_EMITTED);
	} else {
		bpf_ringbuf_discard(gap, 0);  /* another CPU reported them first */
	}
	return 1;
}

/* `records`: 1, or 2 for a joined call (its exit and entry in one sample); `who`: the header
 * that names the thread, for a loss marker. */
static __always_inline void ring_output(void *rec, __u32 size, __u64 flags, __u32 records,
					const struct cgt_header *who)
{
	__u32 zero = 0;
	struct cgt_lost *l = bpf_map_lookup_elem(&pending_loss, &zero);

	if (l && l->records && !mark_hole(l, who->tid, who->cpu, records))
		return;
	if (bpf_ringbuf_output(&events, rec, size, flags)) {
		note_loss(l, who->tid, who->cpu, records);
	} else {
		count_n(CGT_CNT_EMITTED, records);
	}
}

/* Write one ring sample (`records` records, `size` bytes). Wake the consumer only when enough
 * has piled up: a wake-up per record costs about 3× in throughput; the consumer also polls on a
 * short timer. */
static __always_inline void ring_write(void *rec, __u32 size, __u32 records, const struct cgt_header *who)
{
	__u64 flags = BPF_RB_NO_WAKEUP, avail;

	/* Wake when this sample carries the backlog across a multiple of 1 << wakeup_shift, not
	 * whenever the backlog is above it: a consumer running behind would otherwise be sent
	 * an interrupt with every record (measured: 7 % of the traced task's time on a storm).
	 * Two CPUs racing past the same multiple can both miss it; the next multiple, or the
	 * consumer's 10 ms timer, catches up. */
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	if (avail >> cfg.wakeup_shift != (avail + size) >> cfg.wakeup_shift)
		flags = BPF_RB_FORCE_WAKEUP;
	/* Lossless mode: past the watermark, wake the freezer thread until the freeze takes hold
	 * (the tasks stop on their way back to user space: a few records, not a storm of IPIs). */
	if (cfg.freeze_bytes && avail + size > cfg.freeze_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	ring_output(rec, size, flags, records, who);
}

/* Copy a finished record to the ring (or to the flight recorder's slots). */
static __always_inline void submit(void *rec, __u32 size)
{
	struct cgt_header *h = rec;

	size = (size + 7) & ~7u;
	if (size > CGT_REC_MAX)
		size = CGT_REC_MAX;
	h->size = size;
	if (CFG_RECORD_SLOTS) {
		/* a .rodata constant: the verifier drops the branch not taken */
		record_to_slot(h, size);
		return;
	}
	ring_write(rec, size, 1, rec);
}

/* Copy a held entry of `size` bytes (at most CGT_JOIN_ENTRY_MAX) in whole words, and in one of
 * two fixed lengths rather than word by word to its end: straight-line code, no branch per word
 * (a byte array's memcpy compiled to a byte per instruction, and cost more than the second ring
 * sample it saves). What it copies past the record is never sent. */
static __always_inline void copy_held(__u64 *to, const __u64 *from, __u32 size)
{
	if (size <= CGT_JOIN_ENTRY_MAX / 2) {
		for (__u32 k = 0; k < CGT_JOIN_ENTRY_MAX / 16; k++)
			to[k] = from[k];
	} else {
		for (__u32 k = 0; k < CGT_JOIN_ENTRY_MAX / 8; k++)
			to[k] = from[k];
	}
}

/* The header and body of the entry record at `rec`, for the call `ts` holds (its captures
 * follow them, written already). */
static __always_inline void write_entry_head(void *rec, struct thread_state *ts, __u64 now, __u64 pid_tgid)
{
	struct cgt_sys_enter *e = rec + sizeof(struct cgt_header);

	fill_header_of(rec, CGT_REC_SYS_ENTER, now, pid_tgid);
	e->nr = ts->nr;
	e->call = ts->call;
	for (int i = 0; i < CGT_MAX_ARGS; i++)
		e->args[i] = ts->args[i];
}

/* cfg.join_calls: keep the entry record of the call `ts` holds in its thread until the call's
 * exit, shortened (cgt_sys_enter_short: no seq, `nargs` arguments; 32 bytes fewer for a read
 * or write). Its header and arguments come from the values, not from `rec`, which holds only
 * its captures (from the end of a whole entry's body to `size`). Written into the scratch
 * record and read back, they were ~20 % of the entry program's perf samples on a dd storm
 * (309 against 238, medians of seven interleaved runs). false: too large to hold, and goes
 * now. */
static __always_inline bool hold_entry(struct thread_state *ts, void *rec, __u32 size, __u32 nargs,
				       __u64 now, __u64 pid_tgid)
{
	const __u32 full = sizeof(struct cgt_header) + sizeof(struct cgt_sys_enter);
	struct cgt_sys_enter_short *s = (void *)ts->held;
	__u64 *from = rec, *to = ts->held, *caps_to;
	__u32 caps;

	size = (size + 7) & ~7u;
	if (size < full || size > CGT_JOIN_ENTRY_MAX)
		return false;
	if (nargs > CGT_MAX_ARGS)
		nargs = CGT_MAX_ARGS;
	caps = size - full;
	to[1] = pid_tgid >> 32 | pid_tgid << 32;  /* pid, tid */
	to[2] = now;
	to[3] = ts->nr | (__u64)ts->call << 32;
	/* all six: the captures then overwrite those past nargs */
	for (__u32 k = 0; k < CGT_MAX_ARGS; k++)
		to[4 + k] = ts->args[k];
	caps_to = to + 4 + nargs;
	if (caps <= 16) {
		for (__u32 k = 0; k < 2; k++)
			caps_to[k] = from[11 + k];
	} else if (caps <= 64) {
		for (__u32 k = 0; k < 8; k++)
			caps_to[k] = from[11 + k];
	} else {
		for (__u32 k = 0; k < (CGT_JOIN_ENTRY_MAX - full) / 8; k++)
			caps_to[k] = from[11 + k];
	}
	s->type = CGT_REC_SYS_ENTER_SHORT;
	s->size = sizeof(*s) + nargs * 8 + caps;
	s->cpu = bpf_get_smp_processor_id();
	s->flags = 0;
	s->nargs = nargs;
	ts->held_size = s->size;
	return true;
}

/* Send the thread's held entry on its own: it blocks or is preempted in the call (the entry
 * shows while the call waits), or another record of the thread comes first. A global function:
 * the verifier checks it once per program; its ring write inlined at each place an entry may
 * have to go out was ~3 ms more verification at every start. */
__noinline int flush_held(struct thread_state *ts)
{
	__u32 size;

	if (!ts)
		return 0;
	size = ts->held_size;
	if (!size)
		return 0;
	ts->held_size = 0;
	if (size > CGT_JOIN_ENTRY_MAX)
		return 0;
	ring_write(ts->held, size, 1, (struct cgt_header *)ts->held);
	return 0;
}

/* The exit record at `rec` (`size` bytes) closes the call whose entry `ts` holds: write both as
 * one sample (false: they do not fit one, nothing was written), the exit shortened (cgt_sys_return, over the end of its header and body, so that
 * its captures follow it) and the entry right after it. One reservation instead of two, and 40
 * bytes fewer: with the two changes beside it, 15-20 % of a traced dd's time (see ring_write). */
static __always_inline bool submit_joined(void *rec, __u32 size, struct thread_state *ts)
{
	const __u32 cut = sizeof(struct cgt_header) + sizeof(struct cgt_sys_exit) - sizeof(struct cgt_sys_return);
	struct cgt_header *h = rec;
	struct cgt_sys_exit *x = rec + sizeof(*h);
	struct cgt_sys_return *r = rec + cut;
	__u32 held = ts->held_size;
	__u16 cpu, flags;
	__u64 ts_;
	__s64 ret;
	__u64 *to;

	size = (size + 7) & ~7u;
	if (size < sizeof(*h) + sizeof(*x) || size > CGT_REC_MAX - CGT_JOIN_ENTRY_MAX ||
	    !held || held > CGT_JOIN_ENTRY_MAX)
		return false;
	h->size = size;
	ts->held_size = 0;
	cpu = h->cpu;
	flags = h->flags;
	ts_ = h->ts;
	ret = x->ret;
	r->type = CGT_REC_SYS_RETURN;
	r->size = size - cut;
	r->cpu = cpu;
	r->flags = flags;
	r->ret = ret;
	r->ts = ts_;
	to = rec + (size & (CGT_REC_MAX - 1));
	copy_held(to, ts->held, held);
	/* (below CGT_REC_MAX by the checks above; the mask says so to the verifier) */
	ring_write(rec + cut, (size - cut + held) & (CGT_REC_MAX - 1), 2, h);
	return true;
}

/* A syscall record's time. Reading the clock is ~40 ns here (a VM's TSC), twice per call:
 * skipped when nothing shown needs it (plain strace text). */
static __always_inline __u64 call_time(void)
{
	return cfg.untimed ? 0 : bpf_ktime_get_ns();
}

static __always_inline bool deferring(void)
{
	return CFG_STATUS_FILTER || CFG_MIN_LATENCY_NS;
}

/* Hold a finished entry record for this thread instead of sending it. */
static __always_inline void stash_entry(void *rec, __u32 size, __u32 tid)
{
	struct deferred_entry *d = bpf_map_lookup_elem(&deferred, &tid);

	if (!d) {
		/* First call of this thread: make its slot (any 16 KiB will do as initial value). */
		bpf_map_update_elem(&deferred, &tid, rec, BPF_NOEXIST);
		d = bpf_map_lookup_elem(&deferred, &tid);
		if (!d)
			return;
	}
	size = (size + 7) & ~7u;
	if (size > CGT_REC_MAX - 8)
		size = CGT_REC_MAX - 8;
	((struct cgt_header *)rec)->size = size;
	bpf_probe_read_kernel(d->data, size, rec);
	d->size = size;
}

/* Send this thread's held entry record, if any, and forget it. */
static __always_inline void release_entry(__u32 tid, bool send)
{
	struct deferred_entry *d = bpf_map_lookup_elem(&deferred, &tid);
	__u32 size;

	if (!d || !d->size)
		return;
	size = d->size;
	d->size = 0;
	if (!send)
		return;
	if (size > CGT_REC_MAX - 8)
		size = CGT_REC_MAX - 8;
	if (CFG_RECORD_SLOTS) {
		record_to_slot((struct cgt_header *)d->data, size);
		return;
	}
	ring_output(d->data, size, 0, 1, (struct cgt_header *)d->data);
}

#endif /* CGT_OUTPUT_BPF_H */
