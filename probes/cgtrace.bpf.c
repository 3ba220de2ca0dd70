// SPDX-License-Identifier: GPL-2.0
/* cgtrace.bpf.c — the kernel side of cgtrace.
 *
 * sys_enter/sys_exit on the raw syscall tracepoints, filtered by cgroup in the kernel. For each
 * traced syscall we write one record at entry (arguments + in-parameters: paths, strings, argv,
 * structs) and one at exit (return value + out-parameters the kernel filled in). What to copy for
 * each argument of each syscall is data, written by userspace into `syscall_specs`.
 *
 * Each hook exists twice: `tp_btf/…` (preferred) and `raw_tp/…` (fallback). Userspace loads one
 * set, chosen by trying; both call the same handlers.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "kernel_types.h"
#include "cgtrace_abi.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load; constant for the verifier, so unused paths cost nothing. */
const volatile struct cgt_config cfg = {};
const volatile struct cgt_target targets[CGT_MAX_TARGETS] = {};
/* Flight recorder triggers (see cgtrace_abi.h); all zero, and every use is dead code. */
const volatile struct cgt_trigger_config trigger_cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* resized by userspace before load */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CGT_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct cgt_syscall_spec);
} syscall_specs SEC(".maps");

/* Per-thread state: the syscall counter and the syscall in flight (for exit-time captures). */
struct thread_state {
	__u32 call;
	__u32 nr;
	__u64 enter_ts;
	__u64 args[CGT_MAX_ARGS];
	__u32 late;   /* bit i: argument i's string failed at entry, re-read it at exit */
	__u32 active; /* a traced syscall is in flight */
	__u32 frozen; /* the call was interrupted only by the cgroup freezer: its restart is the same call */
	__u32 pad;
};

/* In the task itself (task-local storage): found without hashing, freed with the task, and a
 * thread that execs keeps its own. An LRU hash by tid cost ~40 ns more per call, and its
 * preallocation a few ms of start-up. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct thread_state);
} threads SEC(".maps");

/* The tids that have made a traced call, for the one hook that asks about a task other than the
 * current one (a signal ignored by its target: raw_tp has no trusted pointer to look it up by). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} traced_tids SEC(".maps");

/* Processes traced by pid (-p), and their descendants as they fork. Allocated as used: most
 * runs never follow pids, and preallocating 64 K entries took milliseconds at start-up. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} traced_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CGT_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Where a record is assembled before it is copied to the ring: twice the largest record, so
 * that a masked offset plus a maximal capture always stays inside (what the verifier checks). */
struct scratch {
	__u8 data[2 * CGT_REC_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

/* Entry records held until the call's outcome is known (status/latency filters only). Not
 * preallocated: only threads that make calls take an entry, and it goes when they exit. */
struct deferred_entry {
	__u32 size;
	__u32 pad;
	__u8 data[CGT_REC_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct deferred_entry);
} deferred SEC(".maps");

/* Per-CPU record sequence numbers. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cpu_seq SEC(".maps");

/* What was dropped since a record last got through (see struct cgt_lost). One entry for all
 * CPUs, so that the marker lands at the very next record in the stream whichever CPU writes it:
 * read on every record (a cache line that stays shared while nothing is lost), written only
 * when the ring is full. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgt_lost);
} pending_loss SEC(".maps");

/* Flight recorder: per-CPU overwrite storage (see cgtrace_abi.h). One slot while live tracing;
 * `cgtrace record` sets ncpus * slots before load. Mmapable so a dump reads it in place. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgt_slot);
} recorder_slots SEC(".maps");

/* Flight recorder: what a trigger saw, and whether overwriting has stopped (pinned). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgt_trigger_state);
} trigger_state SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);
	if (c)
		*c += 1;
}

static __always_inline struct cgt_trigger_state *trigger(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&trigger_state, &zero);
}

/* A triggered recording that has stopped overwriting: count the event, store nothing. */
static __always_inline bool recording_stopped(void)
{
	struct cgt_trigger_state *st;

	if (!trigger_cfg.kinds)
		return false;
	st = trigger();
	if (!st || !st->stopped)
		return false;
	__sync_fetch_and_add(&st->dropped, 1);
	return true;
}

static __always_inline bool traced_cgroup(void);

/* Whether to record the current task's event. A stopped recording skips its syscalls and
 * signals here; task exit, fork and exec use traced_cgroup() and keep their bookkeeping
 * (traced_tids, -p's traced_pids) for after a rearm, their records dropped in record_to_slot. */
static __always_inline bool traced_task(void)
{
	/* a .rodata constant: without triggers this is the plain cgroup check */
	if (trigger_cfg.kinds)
		return traced_cgroup() && !recording_stopped();
	return traced_cgroup();
}

static __always_inline bool traced_cgroup(void)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	/* cgtrace may sit inside a traced cgroup (--cgroup /) or below a traced pid: never itself. */
	if (pid == cfg.self_pid)
		return false;
	if (cfg.follow_pids && bpf_map_lookup_elem(&traced_pids, &pid))
		return true;
	for (__u32 i = 0; i < CGT_MAX_TARGETS; i++) {
		if (i >= cfg.ntargets)
			break;
		__u64 id = targets[i].descendants
			? bpf_get_current_ancestor_cgroup_id(targets[i].level)
			: bpf_get_current_cgroup_id();
		if (id == targets[i].cgroup_id)
			return true;
	}
	return false;
}

/* The current task will not return to user space from this call: SIGKILL (bit 8) is queued.
 * The kernel also queues SIGKILL when any fatal signal hits an untraced process (its group exit
 * code is then that signal); under ptrace that shortcut is not taken and strace sees the call
 * return, so such a call is not reported as killed. */
static __always_inline bool killed_before_return(bool btf)
{
	struct task_struct___cgt *task;
	unsigned long set;
	int code;

	if (btf) {
		/* BTF-typed task: plain loads (the verifier makes them fault-safe), no helper calls. */
		task = (void *)bpf_get_current_task_btf();
		set = task->pending.signal.sig[0];
	} else {
		task = (void *)bpf_get_current_task();
		set = BPF_CORE_READ(task, pending.signal.sig[0]);
	}
	if (!(set & (1UL << 8)))
		return false;
	code = btf ? task->signal->group_exit_code : BPF_CORE_READ(task, signal, group_exit_code);
	return !(code > 0 && code < 0x80 && code != 9);
}

/* The cgroup freezer (cgroup.freeze, what cgtrace's lossless mode writes) stops a task on its way
 * back to user space; one asleep in a call is woken for that, and the call returns a restart code
 * the program never sees: after the thaw the kernel enters it again (or restart_syscall). strace
 * would not see that either. Recognised by no signal being queued (a signal that interrupts a
 * call is still pending at sys_exit) and the freezer's job-control bit, or lossless mode. */
#define CGT_NR_RESTART_SYSCALL 219      /* x86_64 */
#define CGT_JOBCTL_TRAP_FREEZE (1UL << 23)
enum { FROZEN_AWAITING_RESTART = 1, FROZEN_VIA_RESTART_SYSCALL = 2 };

static __always_inline bool interrupted_by_freezer(long ret, bool btf)
{
	struct task_struct___cgt *task;
	unsigned long jobctl, own, shared;

	/* ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK */
	if (ret != -512 && ret != -513 && ret != -514 && ret != -516)
		return false;
	if (btf) {
		task = (void *)bpf_get_current_task_btf();
		jobctl = task->jobctl;
		own = task->pending.signal.sig[0];
		shared = task->signal->shared_pending.signal.sig[0];
	} else {
		task = (void *)bpf_get_current_task();
		jobctl = BPF_CORE_READ(task, jobctl);
		own = BPF_CORE_READ(task, pending.signal.sig[0]);
		shared = BPF_CORE_READ(task, signal, shared_pending.signal.sig[0]);
	}
	/* The freezer's bit is cleared at the thaw, which may come before this exit runs (a short
	 * freeze): in lossless mode a restart with no signal queued is the freezer's too. */
	return !own && !shared && ((jobctl & CGT_JOBCTL_TRAP_FREEZE) || cfg.freeze_bytes);
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

static __always_inline void *scratch_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch_map, &zero);
}

static __always_inline void fill_header(struct cgt_header *h, __u16 type, __u64 now)
{
	__u32 zero = 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 *seq = bpf_map_lookup_elem(&cpu_seq, &zero);

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
	if (trigger_cfg.kinds) {
		struct cgt_trigger_state *st = trigger();

		if (st && st->stopped) {
			h->seq = CGT_SEQ_WRITING;
			return;
		}
	}
	/* atomic: a program preempted between read and increment must not share its seq with the
	 * next one on this CPU (the flight recorder places records by seq) */
	if (seq)
		h->seq = __sync_fetch_and_add(seq, 1);
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

/* Copy a finished record to the ring. Wake the consumer only when enough has piled up: a
 * wake-up per record costs about 3× in throughput; the consumer also polls on a short timer. */
static __always_inline void record_to_slot(struct cgt_header *h, __u32 size);

/* The ring was full: count the record for the marker the next record will carry. The count is
 * atomic (it says exactly how much was lost); the times and the list of threads are kept as well
 * as CPUs racing each other allow. `counters` keeps the exact total too. */
static __always_inline void note_loss(struct cgt_lost *l, const struct cgt_header *h)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 tid = h->tid, n = l->ntids, cpu = h->cpu < 63 ? h->cpu : 63;
	bool known = false;

	count(CGT_CNT_LOST);
	if (__sync_fetch_and_add(&l->records, 1) == 0)
		l->first_ts = now;
	l->last_ts = now;
	if (!(l->cpus & (1ULL << cpu)))
		__sync_fetch_and_or(&l->cpus, 1ULL << cpu);
	for (__u32 i = 0; i < CGT_LOST_TIDS; i++)
		if (i < n && l->tids[i] == tid)
			known = true;
	if (known)
		return;
	if (n >= CGT_LOST_TIDS) {
		l->more_tids = 1;
		return;
	}
	l->tids[n & (CGT_LOST_TIDS - 1)] = tid;
	l->ntids = n + 1;
}

struct lost_record {
	struct cgt_header h;
	struct cgt_lost l;
};

static __always_inline void ring_output(void *rec, __u32 size, __u64 flags)
{
	__u32 zero = 0;
	struct cgt_lost *l = bpf_map_lookup_elem(&pending_loss, &zero);
	struct lost_record *gap;

	/* Written in place in the ring: the BPF stack has no room left for it under -yy -k. The
	 * count is taken with an exchange, so two CPUs never report the same drops. No record may
	 * pass its hole's marker: without room for the marker, this record is dropped too. */
	if (l && l->records) {
		gap = bpf_ringbuf_reserve(&events, sizeof(*gap), 0);
		if (!gap) {
			note_loss(l, rec);
			return;
		}
		__u64 records = __sync_lock_test_and_set(&l->records, 0);

		fill_header(&gap->h, CGT_REC_LOST, bpf_ktime_get_ns());
		gap->h.size = sizeof(*gap);
		gap->l.records = records;
		gap->l.first_ts = l->first_ts;
		gap->l.last_ts = l->last_ts;
		gap->l.cpus = __sync_lock_test_and_set(&l->cpus, 0);
		gap->l.ntids = l->ntids < CGT_LOST_TIDS ? l->ntids : CGT_LOST_TIDS;
		gap->l.more_tids = l->more_tids;
		__builtin_memcpy(gap->l.tids, l->tids, sizeof(gap->l.tids));
		l->ntids = 0;
		l->more_tids = 0;
		if (records) {
			bpf_ringbuf_submit(gap, 0);
			count(CGT_CNT_EMITTED);
		} else {
			bpf_ringbuf_discard(gap, 0);  /* another CPU reported them first */
		}
	}
	if (bpf_ringbuf_output(&events, rec, size, flags)) {
		if (l)
			note_loss(l, rec);
		else
			count(CGT_CNT_LOST);
	} else {
		count(CGT_CNT_EMITTED);
	}
}

static __always_inline void submit(void *rec, __u32 size)
{
	struct cgt_header *h = rec;
	__u64 flags = BPF_RB_NO_WAKEUP, avail;

	size = (size + 7) & ~7u;
	if (size > CGT_REC_MAX)
		size = CGT_REC_MAX;
	h->size = size;
	if (cfg.record_slots) {
		/* a .rodata constant: the verifier drops the branch not taken */
		record_to_slot(h, size);
		return;
	}
	/* Wake when this record carries the backlog across a multiple of wakeup_bytes, not
	 * whenever the backlog is above it: a consumer running behind would otherwise be sent
	 * an interrupt with every record (measured: 7 % of the traced task's time on a storm).
	 * Two CPUs racing past the same multiple can both miss it; the next multiple, or the
	 * consumer's 10 ms timer, catches up. */
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	if (avail / cfg.wakeup_bytes != (avail + size) / cfg.wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	/* Lossless mode: past the watermark, wake the freezer thread until the freeze takes hold
	 * (the tasks stop on their way back to user space: a few records, not a storm of IPIs). */
	if (cfg.freeze_bytes && avail + size > cfg.freeze_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	ring_output(rec, size, flags);
}

/* A syscall record's time. Reading the clock is ~40 ns here (a VM's TSC), twice per call:
 * skipped when nothing shown needs it (plain strace text). */
static __always_inline __u64 call_time(void)
{
	return cfg.untimed ? 0 : bpf_ktime_get_ns();
}

static __always_inline bool deferring(void)
{
	return cfg.status_filter || cfg.min_latency_ns;
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
	if (cfg.record_slots) {
		record_to_slot((struct cgt_header *)d->data, size);
		return;
	}
	ring_output(d->data, size, 0);
}

/* Flight recorder: overwrite this CPU's oldest slot. No wake-up, no reader: nothing else runs. */
static __always_inline void record_to_slot(struct cgt_header *h, __u32 size)
{
	__u64 seq = h->seq;
	__u32 key = (__u32)h->cpu * cfg.record_slots + (__u32)(seq % cfg.record_slots);
	volatile __u64 *commit;
	void *slot;
	__u32 n;

	if (trigger_cfg.kinds && seq == CGT_SEQ_WRITING) {
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
	if (trigger_cfg.kinds)
		count_down(h);
}

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

	if (str) {
		n = bpf_probe_read_user_str((void *)(cap + 1), max, src);
		if (n > 0)
			n -= 1; /* drop the NUL */
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

/* What put_user_global packs into one argument (a global function takes at most five). */
#define CGT_PUT(arg, kind, str, flags) \
	((__u64)(arg) | (__u64)(kind) << 8 | (__u64)(flags) << 32 | (__u64)(str) << 48)

/* put_capture behind a call: the verifier checks it once instead of at each of the dozen places
 * enter_arg and exit_arg copy an argument, and to them the offset it returns is any number, so
 * no path multiplies by the sizes of captures before it (btf_sys_enter took 50 ms to verify when
 * they were inlined into a bpf_loop callback, 7 ms since). */
__noinline int put_user_global(struct scratch *s, __u32 off, __u64 what, __u64 src, __u32 max)
{
	if (!s)
		return off;
	return put_capture(s->data, off, what & 0xff, (what >> 8) & 0xff, 0, (const void *)src, max,
			   (what >> 48) & 1, (what >> 32) & 0xffff);
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


/* ---- -y: what a file descriptor refers to ------------------------------------------------------- */

#define CGT_FD_WALK_MAX 64          /* path components walked (deeper paths are marked truncated) */
#define SOCKFS_MAGIC 0x534F434B
#define PIPEFS_MAGIC 0x50495045
#define ANON_INODE_FS_MAGIC 0x09041934
#define PID_FS_MAGIC 0x50494446

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
	if (cfg.fd_paths >= 2 && ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000))
		info.rdev = BPF_CORE_READ(file, f_inode, i_rdev);
	w.dentry = BPF_CORE_READ(file, f_path.dentry);
	if ((mode & 0170000) == 0140000 || magic == SOCKFS_MAGIC) {
		info.kind = CGT_FD_SOCKET;
		if (cfg.fd_paths >= 2)
			w.off = capture_socket(rec, w.off, arg, file);
	} else if (magic == PIPEFS_MAGIC) {
		info.kind = CGT_FD_PIPE;
	} else if (magic == PID_FS_MAGIC) {
		struct pid___cgt *pid = BPF_CORE_READ(file, f_inode, i_private);

		info.kind = CGT_FD_PIDFD;
		/* -yy shows the process (strace: `pid:N`), -y only what the fd is */
		info.ino = cfg.fd_paths >= 2 && pid ? BPF_CORE_READ(pid, numbers[0].nr) : 0;
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

struct argv_walk {
	void *rec;
	const char *const *argv;
	__u32 off;
	__u32 count;
	__u32 keep;   /* elements whose strings are copied */
	__u8 arg;
};

/* One bpf_loop step over a NULL-terminated string array: verified once, not per element. */
static long argv_step(__u32 i, void *ctx)
{
	struct argv_walk *w = ctx;
	const char *p = NULL;

	if (bpf_probe_read_user(&p, sizeof(p), &w->argv[i]) || !p)
		return 1;
	if (i < w->keep)
		w->off = put_capture(w->rec, w->off, w->arg, CGT_CAP_ARGV, i, p, string_copy_limit(), true, 0);
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

/* The per-argument work of one record, as bpf_loop callbacks: the verifier checks the body once
 * instead of once per argument, which keeps the programs far below its instruction budget. */
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

	if (bpf_probe_read_user(v, sizeof(v), (const void *)(w->iov + 16 * (__u64)i)))
		return 1;
	moved = v[1] < w->budget ? v[1] : w->budget;
	off = put_iov_element(w->s, w->off, w->arg | (i << 8), v[0],
			      (v[1] & ((1ULL << 48) - 1)) | ((__u64)min_u32(moved, cfg.string_limit) << 48));
	if (off < 0)
		return 1;
	w->off = off;
	w->budget -= moved;
	return 0;
}

/* `count` elements (at most CGT_IOV_MAX) of the iovec array at `iov`, showing at most `budget`
 * bytes of data in all. Returns the new end of the record. */
__noinline int capture_iovec(struct scratch *s, __u32 off, __u32 arg, __u64 iov, __u64 count_and_budget)
{
	struct iov_walk w = { .s = s, .iov = iov, .budget = count_and_budget >> 16, .off = off, .arg = arg };
	__u32 count = count_and_budget & 0xffff;

	if (!s || !iov)
		return off;
	bpf_loop(count < CGT_IOV_MAX ? count : CGT_IOV_MAX, iov_step, &w, 0);
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
	off = put_small(s->data, off, arg, CGT_CAP_MSGHDR, &m, sizeof(m));
	if (m.name && m.namelen)
		off = put_capture(s->data, off, arg, CGT_CAP_MSGNAME, 0, (const void *)m.name,
				  m.namelen < 128 ? m.namelen : 128, false, 0);
	if (m.control && m.controllen)
		off = put_capture(s->data, off, arg, CGT_CAP_MSGCTL, 0, (const void *)m.control,
				  m.controllen < CGT_MSGCTL_MAX ? m.controllen : CGT_MSGCTL_MAX, false, 0);
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

static long mmsg_step(__u32 k, void *ctx)
{
	struct mmsg_walk *w = ctx;
	__u64 msg = w->vec + 64 * (__u64)k;
	__u32 len = 0;

	if (w->mode >= 2 && bpf_probe_read_user(&len, sizeof(len), (const void *)(msg + 56)))
		return 1;
	if (w->mode != 2)
		w->off = capture_msghdr(w->s, w->off, CGT_ARG_ELEMENT0 + k, msg,
					w->mode == 0 ? 1ULL << 47 : w->mode == 3 ? len : 0);
	if (w->mode >= 2 && w->s)
		w->off = put_u32(w->s->data, w->off, CGT_ARG_ELEMENT0 + k, CGT_CAP_MSGLEN, len);
	return 0;
}

static __always_inline __u32 capture_mmsg(struct scratch *rec, __u32 off, __u64 vec, __u64 count, __u32 mode)
{
	struct mmsg_walk w = { .s = rec, .vec = vec, .off = off, .mode = mode };

	if (!vec)
		return off;
	bpf_loop(count < CGT_MMSG_MAX ? count : CGT_MMSG_MAX, mmsg_step, &w, 0);
	return w.off;
}

/* The one iovec or msghdr argument a call has (CGT_SC_VECTOR names it): called once, after
 * the per-argument loop rather than inside its callback, where an unknown-valued return from a
 * global function kept the verifier from pruning and doubled its work. At entry (`at_exit`
 * false) in-parameters with their data, out-parameters without; at exit, out-parameters with
 * `ret` bytes of data. */
static __always_inline __u32 capture_vector(struct scratch *rec, __u32 off, struct thread_state *ts,
					    struct cgt_syscall_spec *spec, long ret, bool at_exit)
{
	__u32 a = (spec->flags >> CGT_SC_VECTOR_ARG_SHIFT) & 7;
	struct cgt_arg_spec arg;
	__u64 p, count;

	if (a >= CGT_MAX_ARGS)
		return off;
	arg = spec->args[a];
	p = ts->args[a];
	count = arg.len_arg < CGT_MAX_ARGS ? ts->args[arg.len_arg & 7] & 0xffff : 0;
	switch (arg.capture) {
	case CGT_ARG_IOV_IN:          /* writev: every element's data, each up to -s */
		return at_exit ? off : capture_iovec(rec, off, a, p, count | ((1ULL << 47) << 16));
	case CGT_ARG_MSGHDR_IN:       /* sendmsg */
		return at_exit ? off : capture_msghdr(rec, off, a, p, 1ULL << 47);
	case CGT_ARG_IOV_OUT_RET:     /* readv: the elements at entry (for a failure), the data read at exit */
		return capture_iovec(rec, off, a, p, count | ((at_exit ? (__u64)ret : 0) << 16));
	case CGT_ARG_MSGHDR_OUT_RET:  /* recvmsg: the header as given (msg_namelen in), then as filled */
		return capture_msghdr(rec, off, a, p, at_exit ? ret : 0);
	case CGT_ARG_MMSG_IN:         /* sendmmsg: the messages at entry, what was sent of each at exit */
		return capture_mmsg(rec, off, p, at_exit ? ret : count, at_exit ? 2 : 0);
	case CGT_ARG_MMSG_OUT_RET:    /* recvmmsg: the headers at entry, the messages received at exit */
		return capture_mmsg(rec, off, p, at_exit ? ret : count, at_exit ? 3 : 1);
	default:
		return off;
	}
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

static __always_inline bool kind_in(__u32 kinds, __u8 kind)
{
	return kind < 32 && ((kinds >> kind) & 1);
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
		if (cfg.fd_paths)
			off = capture_fd_global(s, off, i, (int)ts->args[i]);
		return off;
	}
	if (a.capture == CGT_ARG_NONE || !p)
		return off;
	switch (a.capture) {
	case CGT_ARG_STR_IN:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_STR, 1, 0), (__u64)p,
				      a.size ? a.size : string_copy_limit());
		if (off > before &&
		    (((struct cgt_capture *)((void *)s->data + (before & (CGT_REC_MAX - 1))))->flags & CGT_CAPF_FAULT))
			ts->late |= 1u << i;
		break;
	case CGT_ARG_BUF_IN:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
					      min_u32(ts->args[a.len_arg & 7], cfg.string_limit));
		break;
	case CGT_ARG_STRUCT_IN:
	case CGT_ARG_STRUCT_INOUT:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
				      a.size);
		break;
	case CGT_ARG_ARRAY_INOUT:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
					      min_u32((ts->args[a.len_arg & 7] & 0xffffffff) * a.size, CGT_CAP_MAX));
		break;
	case CGT_ARG_STRUCT_IN_LEN:
		if (a.len_arg < CGT_MAX_ARGS)
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
					      min_u32(ts->args[a.len_arg & 7], a.size));
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
			off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
					      min_u32((ts->args[a.len_arg & 7] & 0xffffffff) * a.size, CGT_CAP_MAX));
		break;
	case CGT_ARG_ARRAY_OUT_RET:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
				      min_u32((__u64)ret * a.size, CGT_CAP_MAX));
		break;
	case CGT_ARG_BUF_OUT_RET:
		off = put_user_global(s, off, CGT_PUT(i, CGT_CAP_BUF, 0, 0), (__u64)p,
				      min_u32(ret, a.size ? a.size : cfg.string_limit));
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

/* ---- -k: user stacks ---------------------------------------------------------------------
 *
 * The kernel's own user-stack walk (bpf_get_stack) follows frame pointers, and the C library
 * here is built without them: its syscall wrappers use %rbp as a scratch register (__open64
 * does), so the walk ends at the first frame. Instead we copy what a DWARF unwinder needs (the
 * registers and the top of the stack, as perf's --call-graph=dwarf does) and userspace unwinds
 * with libdw's CFI. Unwinding needs to know which file is mapped where; a process may be gone
 * before userspace reads /proc/PID/maps, so the kernel reports each executable file mapping as it
 * appears (CGT_REC_MAP). Everything here is behind cfg.stack_bytes: without -k the verifier
 * removes it. */

#define CGT_NR_MMAP     9     /* x86_64, like the pt_regs this program reads */
#define CGT_PROT_EXEC   4
#define CGT_MAP_ANON    0x20
#define CGT_AT_BASE     7     /* auxv: where the program interpreter is loaded */
#define CGT_STACK_CHUNK 512

struct stack_copy {
	void *rec;
	const void *sp;
	__u32 data;   /* record offset of the copy */
	__u32 limit;  /* bytes wanted */
	__u32 done;
};

/* One chunk of user stack per step, until the limit or the end of the mapping. */
static long stack_step(__u32 i, void *ctx)
{
	struct stack_copy *c = ctx;

	if (c->done + CGT_STACK_CHUNK > c->limit)
		return 1;
	if (bpf_probe_read_user(c->rec + ((c->data + c->done) & (CGT_REC_MAX - 1)), CGT_STACK_CHUNK,
				c->sp + c->done))
		return 1;
	c->done += CGT_STACK_CHUNK;
	return 0;
}

static __always_inline __u32 capture_user_stack(struct pt_regs___cgt *regs, void *rec, __u32 off)
{
	const __u32 regs_size = sizeof(struct cgt_capture) + sizeof(struct cgt_user_regs);
	struct cgt_user_regs *u;
	struct cgt_capture *cap;
	struct stack_copy c;

	if (off > CGT_REC_MAX - regs_size - sizeof(struct cgt_capture) - CGT_STACK_CHUNK)
		return off;
	off &= CGT_REC_MAX - 1;
	cap = rec + off;
	cap->arg = CGT_ARG_STACK;
	cap->kind = CGT_CAP_UREGS;
	cap->len = sizeof(*u);
	cap->flags = 0;
	cap->index = 0;
	u = (void *)(cap + 1);
	u->ip = BPF_CORE_READ(regs, ip);
	u->sp = BPF_CORE_READ(regs, sp);
	u->bp = BPF_CORE_READ(regs, bp);
	u->bx = BPF_CORE_READ(regs, bx);
	u->r12 = BPF_CORE_READ(regs, r12);
	u->r13 = BPF_CORE_READ(regs, r13);
	u->r14 = BPF_CORE_READ(regs, r14);
	u->r15 = BPF_CORE_READ(regs, r15);
	off += regs_size;

	cap = rec + (off & (CGT_REC_MAX - 1));
	c.rec = rec;
	c.sp = (const void *)u->sp;
	c.data = off + sizeof(*cap);
	c.limit = CGT_REC_MAX - c.data;
	if (c.limit > cfg.stack_bytes)
		c.limit = cfg.stack_bytes;
	c.done = 0;
	bpf_loop(CGT_REC_MAX / CGT_STACK_CHUNK, stack_step, &c, 0);
	cap->arg = CGT_ARG_STACK;
	cap->kind = CGT_CAP_USTACK;
	cap->len = c.done & (CGT_REC_MAX - 1);
	cap->flags = c.done < c.limit ? CGT_CAPF_TRUNCATED : 0;
	cap->index = 0;
	return c.data + c.done;
}

struct vm_area_struct;

struct vma_found {
	__u64 start, end, pgoff;
	struct file___cgt *file;
};

static long vma_found_cb(struct task_struct *task, struct vm_area_struct *vma, void *ctx)
{
	struct vm_area_struct___cgt *v = (void *)vma;
	struct vma_found *f = ctx;

	f->start = BPF_CORE_READ(v, vm_start);
	f->end = BPF_CORE_READ(v, vm_end);
	f->pgoff = BPF_CORE_READ(v, vm_pgoff) << 12;
	f->file = BPF_CORE_READ(v, vm_file);
	return 0;
}

/* Report the file mapping that contains `addr` in the current process (CGT_REC_MAP). */
static __always_inline void report_mapping(__u64 addr, __u32 flags)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct vma_found f = {};
	struct file___cgt *file;
	struct fd_walk w = {};
	struct cgt_map *m;
	void *rec;

	if (bpf_find_vma(task, addr, vma_found_cb, &f, 0) || !f.file)
		return;
	file = f.file;
	rec = scratch_buf();
	if (!rec)
		return;
	fill_header(rec, CGT_REC_MAP, bpf_ktime_get_ns());
	m = rec + sizeof(struct cgt_header);
	m->start = f.start;
	m->end = f.end;
	m->pgoff = f.pgoff;
	m->ino = BPF_CORE_READ(file, f_inode, i_ino);
	m->dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
	m->flags = flags;
	/* The path as -y walks it: FDPATH components, leaf first. */
	w.rec = rec;
	w.dentry = BPF_CORE_READ(file, f_path.dentry);
	w.mnt = (void *)BPF_CORE_READ(file, f_path.mnt) - bpf_core_field_offset(struct mount___cgt, mnt);
	w.off = sizeof(struct cgt_header) + sizeof(*m);
	bpf_loop(CGT_FD_WALK_MAX, fd_walk_step, &w, 0);
	submit(rec, w.off);
}

struct auxv_walk {
	unsigned long *auxv;
	__u64 base;
};

static long auxv_step(__u32 i, void *ctx)
{
	struct auxv_walk *a = ctx;
	unsigned long pair[2];

	if (bpf_probe_read_kernel(pair, sizeof(pair), a->auxv + 2 * i) || pair[0] == 0)
		return 1;
	if (pair[0] == CGT_AT_BASE) {
		a->base = pair[1];
		return 1;
	}
	return 0;
}

/* After an exec: the program's text and the interpreter (ld.so), mapped by the kernel itself. */
static __always_inline void report_exec_mappings(void)
{
	struct task_struct___cgtk *task = (void *)bpf_get_current_task();
	struct mm_struct___cgt *mm = BPF_CORE_READ(task, mm);
	struct auxv_walk a = {};

	if (!mm)
		return;
	report_mapping(BPF_CORE_READ(mm, start_code), CGT_MAPF_EXEC);
	a.auxv = (void *)mm + bpf_core_field_offset(struct mm_struct___cgt, saved_auxv);
	bpf_loop(32, auxv_step, &a, 0);
	if (a.base)
		report_mapping(a.base, 0);
}

/* A successful file mmap with PROT_EXEC (how ld.so maps a library's text). */
static __always_inline void note_exec_mmap(struct pt_regs___cgt *regs, long ret)
{
	if (ret < 0 && ret >= -4095)
		return;
	if (!(BPF_CORE_READ(regs, dx) & CGT_PROT_EXEC) || (BPF_CORE_READ(regs, r10) & CGT_MAP_ANON))
		return;
	report_mapping(ret, 0);
}

/* ---- pid namespaces: a container's tasks as the container numbers them ---------------------- */

/* Read `pid`'s number at namespace depth `level` (pid->numbers[level].nr, located through
 * CO-RE) into `out` (the record itself: no stack). */
static __always_inline void read_pid_number(__u32 *out, struct pid___cgt *pid, __u32 level)
{
	__u64 at = bpf_core_field_offset(struct pid___cgt, numbers) +
		   (__u64)(level & 63) * bpf_core_type_size(struct upid___cgt) +
		   bpf_core_field_offset(struct upid___cgt, nr);

	bpf_probe_read_kernel(out, sizeof(*out), (void *)pid + at);
}

/* Tell userspace `task`'s pids in its own pid namespace, unless that is the initial one (then
 * they are the header's pids and nothing is sent: no cost outside containers). A function of
 * its own, built in the scratch buffer: inlined, its reads' temporaries took the syscall
 * programs' combined stack past the 512-byte limit with -yy. Callers use the scratch buffer
 * only after this returns. */
static __noinline void report_pidns(struct task_struct___cgt *task)
{
	struct pid___cgt *pid = BPF_CORE_READ(task, thread_pid);
	__u32 level = BPF_CORE_READ(pid, level);
	struct cgt_header *h;
	struct cgt_pidns *n;

	if (!pid || !level)
		return;
	h = scratch_buf();
	if (!h)
		return;
	fill_header(h, CGT_REC_PIDNS, bpf_ktime_get_ns());
	n = (void *)(h + 1);
	n->tid = BPF_CORE_READ(task, pid);
	n->pid = BPF_CORE_READ(task, tgid);
	n->level = level;
	read_pid_number(&n->ns_tid, pid, level);
	read_pid_number(&n->ns_pid, BPF_CORE_READ(task, group_leader, thread_pid), level);
	n->pad = 0;
	submit(h, sizeof(*h) + sizeof(*n));
}

/* `btf`: the tp_btf programs pass a BTF-typed pt_regs that may be read with plain loads; the
 * raw_tp fallback must read it with bpf_probe_read_kernel (BPF_CORE_READ). A constant after
 * inlining, so each program keeps only its own way. */
/* `regs` NULL: a per-syscall trace event (sys_enter_NAME) is the hook and `event_args` holds
 * the arguments; nothing else of the registers is needed there (those runs have no -k and do
 * not trace rt_sigreturn). */
static __always_inline int on_sys_enter(struct pt_regs___cgt *regs, const __u64 *event_args, long id, bool btf)
{
	struct cgt_syscall_spec *spec = NULL;
	struct thread_state *ts;
	struct cgt_sys_enter *e;
	__u32 tid, nr = id, off;
	__u64 now;
	void *rec;

	if (!traced_task())
		return 0;
	/* Calls left out by -e cost no task storage; restart_syscall may be the resumption of a
	 * traced call (below), whatever -e says of it. */
	if (nr < CGT_MAX_SYSCALLS) {
		spec = bpf_map_lookup_elem(&syscall_specs, &nr);
		if (spec && !(spec->flags & CGT_SC_TRACE) && nr != CGT_NR_RESTART_SYSCALL)
			return 0;
	}
	ts = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return 0;
	/* The call the freezer interrupted starts again after the thaw: still the same call. */
	if (ts->frozen) {
		bool same = ts->active && (nr == ts->nr || nr == CGT_NR_RESTART_SYSCALL);

		ts->frozen = same && nr != ts->nr ? FROZEN_VIA_RESTART_SYSCALL : 0;
		if (same)
			return 0;
	}
	if (spec && !(spec->flags & CGT_SC_TRACE))
		return 0;

	tid = (__u32)bpf_get_current_pid_tgid();
	if (!ts->call) {
		__u8 yes = 1;

		bpf_map_update_elem(&traced_tids, &tid, &yes, BPF_ANY);
		/* first traced call of this task: it may have run before tracing began */
		report_pidns((struct task_struct___cgt *)bpf_get_current_task_btf());
	}
	rec = scratch_buf();
	if (!rec)
		return 0;

	now = call_time();
	ts->call += 1;
	ts->nr = nr;
	ts->enter_ts = now;
	ts->late = 0;
	ts->active = 1;
	if (!regs) {
		for (int i = 0; i < CGT_MAX_ARGS; i++)
			ts->args[i] = event_args[i];
	} else if (btf) {
		ts->args[0] = regs->di;
		ts->args[1] = regs->si;
		ts->args[2] = regs->dx;
		ts->args[3] = regs->r10;
		ts->args[4] = regs->r8;
		ts->args[5] = regs->r9;
	} else {
		ts->args[0] = BPF_CORE_READ(regs, di);
		ts->args[1] = BPF_CORE_READ(regs, si);
		ts->args[2] = BPF_CORE_READ(regs, dx);
		ts->args[3] = BPF_CORE_READ(regs, r10);
		ts->args[4] = BPF_CORE_READ(regs, r8);
		ts->args[5] = BPF_CORE_READ(regs, r9);
	}

	fill_header(rec, CGT_REC_SYS_ENTER, now);
	e = rec + sizeof(struct cgt_header);
	e->nr = nr;
	e->call = ts->call;
	for (int i = 0; i < CGT_MAX_ARGS; i++)
		e->args[i] = ts->args[i];
	off = sizeof(struct cgt_header) + sizeof(*e);

	if (spec) {
		for (__u32 i = 0; i < CGT_MAX_ARGS; i++) {
			__u8 kind = spec->args[i].capture;

			if (kind_in(KINDS_AT_ENTRY, kind) || (kind == CGT_ARG_FD && cfg.fd_paths))
				off = enter_arg(rec, ts, spec, i, off);
		}
		/* rt_sigreturn takes no argument: what strace shows is the mask it restores. */
		if (regs && spec->args[0].capture == CGT_ARG_SIGFRAME_MASK) {
			unsigned long sp = btf ? regs->sp : BPF_CORE_READ(regs, sp);
			off = put_capture(rec, off, 0, CGT_CAP_BUF, 0,
					  (const void *)(sp + CGT_SIGFRAME_MASK_OFFSET), 8, false, 0);
		}
	}
	if (spec && (spec->flags & CGT_SC_VECTOR))
		off = capture_vector(rec, off, ts, spec, 0, false);
	if (cfg.fd_paths && spec && (spec->flags & CGT_SC_POLLFDS))
		off = capture_pollfds(rec, off, ts);
	if (cfg.stack_bytes && regs)
		off = capture_user_stack(regs, rec, off);
	if (deferring()) {
		stash_entry(rec, off, tid);
		return 0;
	}
	submit(rec, off);
	return 0;
}

/* `regs` NULL: a per-syscall trace event (sys_exit_NAME) gave `event_nr`. */
static __always_inline int on_sys_exit(struct pt_regs___cgt *regs, long event_nr, long ret, bool btf)
{
	struct cgt_syscall_spec *spec = NULL;
	struct thread_state *ts;
	struct cgt_sys_exit *x;
	__u32 tid, nr, off;
	void *rec;

	/* A call whose entry was traced is finished whatever happened since (the task may even
	 * have left the cgroup): only other exits need the cgroup check. Tasks never traced have
	 * no storage, so the lookup costs them little; the check it saves is ~45 ns per call. */
	ts = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	if (!(ts && ts->active) && !traced_task())
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	nr = !regs ? event_nr : btf ? regs->orig_ax : BPF_CORE_READ(regs, orig_ax);
	/* Before the -e filter: stacks need every executable mapping, traced call or not. */
	if (cfg.stack_bytes && regs && nr == CGT_NR_MMAP)
		note_exec_mmap(regs, ret);
	/* rt_sigreturn restores the interrupted context, orig_ax = -1 included: the syscall in
	 * flight is the one this exit belongs to. */
	if (nr == (__u32)-1) {
		/* Otherwise an rt_sigreturn whose entry was filtered out or came before we attached:
		 * nothing says what it was, and strace would not show it either. */
		if (!ts || !ts->active)
			return 0;
		nr = ts->nr;
	}
	if (ts && ts->active) {
		if (interrupted_by_freezer(ret, btf)) {
			/* No record: the program never sees this return, the kernel restarts the call. */
			ts->frozen = FROZEN_AWAITING_RESTART;
			return 0;
		}
		if (ts->frozen == FROZEN_VIA_RESTART_SYSCALL && nr == CGT_NR_RESTART_SYSCALL)
			nr = ts->nr;
		ts->frozen = 0;
	}
	if (nr < CGT_MAX_SYSCALLS) {
		spec = bpf_map_lookup_elem(&syscall_specs, &nr);
		if (spec && !(spec->flags & CGT_SC_TRACE))
			return 0;
	}
	/* A task's first record may be a return (a call it was blocked in when tracing began):
	 * its pids in its namespace, before that. (A fork's child has them already: the repeats,
	 * here and at its first entry, cost two small records per new task, in containers only.) */
	if (!ts)
		report_pidns((struct task_struct___cgt *)bpf_get_current_task_btf());
	rec = scratch_buf();
	if (!rec)
		return 0;

	fill_header(rec, CGT_REC_SYS_EXIT, call_time());
	if (killed_before_return(btf))
		((struct cgt_header *)rec)->flags |= CGT_HDRF_KILLED;
	x = rec + sizeof(struct cgt_header);
	x->nr = nr;
	x->ret = ret;
	x->call = 0;
	x->enter_ts = 0;
	off = sizeof(struct cgt_header) + sizeof(*x);

	if (ts && ts->active && ts->nr == nr) {
		x->call = ts->call;
		x->enter_ts = ts->enter_ts;
		ts->active = 0;
		if (spec) {
			for (__u32 i = 0; i < CGT_MAX_ARGS; i++)
				if ((ts->late & (1u << i)) ||
				    (ret >= 0 && kind_in(KINDS_AT_EXIT, spec->args[i].capture)))
					off = exit_arg(rec, ts, spec, (__u64)i << 32 | off, ret);
			if ((spec->flags & CGT_SC_VECTOR) && ret >= 0)
				off = capture_vector(rec, off, ts, spec, ret, true);
		}
	}
	if (cfg.fd_paths && spec && (spec->flags & CGT_SC_RET_FD) && ret >= 0)
		off = capture_fd_global(rec, off, CGT_ARG_RETURN, ret);
	if (cfg.fd_paths && spec && (spec->flags & CGT_SC_RET_FDPAIR) && ret == 0 && ts) {
		__u32 a = (spec->flags >> CGT_SC_FDPAIR_ARG_SHIFT) & 7;
		int fds[2];

		if (a < CGT_MAX_ARGS && !bpf_probe_read_user(fds, sizeof(fds), (const void *)ts->args[a])) {
			off = capture_fd_global(rec, off, CGT_ARG_PAIR0, fds[0]);
			off = capture_fd_global(rec, off, CGT_ARG_PAIR1, fds[1]);
		}
	}
	if (deferring()) {
		__u32 status = killed_before_return(btf) ? CGT_STATUS_UNFINISHED
			     : ret < 0 && ret >= -4095 ? CGT_STATUS_FAILED : CGT_STATUS_SUCCESSFUL;
		__u64 took = x->enter_ts ? ((struct cgt_header *)rec)->ts - x->enter_ts : 0;
		bool keep = (!cfg.status_filter || (cfg.status_filter & status)) &&
			    (!cfg.min_latency_ns || took >= cfg.min_latency_ns);

		release_entry(tid, keep);
		if (!keep) {
			count(CGT_CNT_FILTERED);
			return 0;
		}
	}
	if ((trigger_cfg.kinds & (1u << CGT_TRIG_ERRNO)) && ret < 0 && ret >= -255 &&
	    bit_set(trigger_cfg.errnos, -ret, 256) && bit_set(trigger_cfg.syscalls, nr, CGT_MAX_SYSCALLS))
		fire_trigger(rec, CGT_TRIG_ERRNO, ((struct cgt_header *)rec)->pid, tid, -ret, nr);
	submit(rec, off);
	return 0;
}

static __always_inline int on_signal_deliver(int sig, void *info, struct k_sigaction___cgt *ka)
{
	struct {
		struct cgt_header h;
		struct cgt_signal s;
	} r = {};

	if (!traced_task())
		return 0;
	fill_header(&r.h, CGT_REC_SIGNAL, bpf_ktime_get_ns());
	r.s.signo = sig;
	if (info) {
		bpf_probe_read_kernel(r.s.siginfo, sizeof(r.s.siginfo), info);
		r.s.errno_ = *(__s32 *)(r.s.siginfo + 4);
		r.s.code = *(__s32 *)(r.s.siginfo + 8);
	}
	/* fatal: delivered with its default action (SIG_DFL), as a crash's SIGSEGV or abort's SIGABRT */
	if ((trigger_cfg.kinds & (1u << CGT_TRIG_SIGNAL)) && sig > 0 && sig <= 64 &&
	    ((trigger_cfg.signals >> (sig - 1)) & 1) && ka && !BPF_CORE_READ(ka, sa.sa_handler))
		fire_trigger(&r.h, CGT_TRIG_SIGNAL, r.h.pid, r.h.tid, sig, 0);
	submit(&r, sizeof(r));
	return 0;
}

/* A signal dropped when generated because its target ignores it (SIGCHLD by default). Without
 * ptrace it is never delivered, so signal_deliver never fires; strace (under which the kernel
 * queues ignored signals) shows it. Reported here, from the sender, as the target's. */
/* The kernel's fatal-signal shortcut (complete_signal): a signal that will kill an untraced
 * process (default action terminate or core dump, not blocked) is turned into SIGKILL for the
 * whole group at once, and no signal_deliver event follows for it. strace, whose ptrace disables
 * the shortcut, shows `--- SIGTERM {…} ---` before `+++ killed by SIGTERM +++`: report it from
 * here, where the signal is sent. */
static __always_inline bool fatal_shortcut(int sig, struct task_struct___cgt *target)
{
	struct sighand_struct___cgt *sighand;
	__u64 bit = 1ULL << ((sig - 1) & 63);
	void *handler = (void *)1;
	__u32 size;

	if (sig <= 0 || sig > 64 || sig == 9 /* SIGKILL: strace shows no line for it */)
		return false;
	/* default action ignore (SIGCHLD, SIGCONT, SIGURG, SIGWINCH) or stop */
	if (sig == 17 || sig == 18 || sig == 23 || sig == 28 || (sig >= 19 && sig <= 22))
		return false;
	/* default action core dump (SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
	 * SIGXCPU, SIGXFSZ, SIGSYS): complete_signal takes no shortcut for these, they are
	 * delivered (signal_deliver reports them) */
	if ((sig >= 3 && sig <= 8) || sig == 11 || sig == 24 || sig == 25 || sig == 31)
		return false;
	if (BPF_CORE_READ(target, blocked.sig[0]) & bit)
		return false;
	sighand = BPF_CORE_READ(target, sighand);
	if (!sighand)
		return false;
	size = bpf_core_type_size(struct k_sigaction___cgt);
	bpf_probe_read_kernel(&handler, sizeof(handler),
			      (void *)sighand + bpf_core_field_offset(struct sighand_struct___cgt, action) +
			      (__u64)(sig - 1) * size + bpf_core_field_offset(struct k_sigaction___cgt, sa.sa_handler));
	return handler == NULL; /* SIG_DFL */
}

static __always_inline int on_signal_ignored(int sig, void *info, struct task_struct___cgt *target, int result)
{
	struct {
		struct cgt_header h;
		struct cgt_signal s;
	} r = {};
	__u32 tid;

	if (!target)
		return 0;
	/* TRACE_SIGNAL_IGNORED (1): never delivered; DELIVERED (0): only the fatal shortcut */
	if (result != 1 && !(result == 0 && fatal_shortcut(sig, target)))
		return 0;
	tid = BPF_CORE_READ(target, pid);
	/* Only for tasks we trace: they have made a traced call. */
	if (!bpf_map_lookup_elem(&traced_tids, &tid))
		return 0;
	fill_header(&r.h, CGT_REC_SIGNAL, bpf_ktime_get_ns());
	r.h.pid = BPF_CORE_READ(target, tgid);
	r.h.tid = tid;
	r.s.signo = sig;
	if ((unsigned long)info > 4096) {  /* not SEND_SIG_NOINFO / SEND_SIG_PRIV */
		bpf_probe_read_kernel(r.s.siginfo, sizeof(r.s.siginfo), info);
		r.s.errno_ = *(__s32 *)(r.s.siginfo + 4);
		r.s.code = *(__s32 *)(r.s.siginfo + 8);
	} else {
		*(__s32 *)r.s.siginfo = sig;
	}
	/* result 0 here is the fatal shortcut: the signal kills its target with no delivery */
	if ((trigger_cfg.kinds & (1u << CGT_TRIG_SIGNAL)) && result == 0 && ((trigger_cfg.signals >> ((sig - 1) & 63)) & 1))
		fire_trigger(&r.h, CGT_TRIG_SIGNAL, r.h.pid, r.h.tid, sig, 0);
	submit(&r, sizeof(r));
	return 0;
}

static __always_inline int on_task_exit(struct task_struct___cgt *task)
{
	struct {
		struct cgt_header h;
		struct cgt_task_exit x;
	} r = {};
	__u32 tid;

	if (!traced_cgroup())
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	fill_header(&r.h, CGT_REC_EXIT, bpf_ktime_get_ns());
	r.x.exit_code = BPF_CORE_READ(task, exit_code);
	r.x.group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;
	/* A call still held when its thread ends never returned: `unfinished`. */
	if (deferring()) {
		release_entry(tid, cfg.status_filter & CGT_STATUS_UNFINISHED);
		bpf_map_delete_elem(&deferred, &tid);
	}
	if ((trigger_cfg.kinds & (1u << CGT_TRIG_EXIT)) && r.x.group_dead && r.x.exit_code)
		fire_trigger(&r.h, CGT_TRIG_EXIT, r.h.pid, tid, r.x.exit_code, 0);
	submit(&r, sizeof(r));
	bpf_task_storage_delete(&threads, bpf_get_current_task_btf());
	bpf_map_delete_elem(&traced_tids, &tid);
	if (cfg.follow_pids && r.x.group_dead) {
		__u32 pid = r.h.pid;
		bpf_map_delete_elem(&traced_pids, &pid);
	}
	return 0;
}

static __always_inline int on_fork(struct task_struct___cgt *child)
{
	struct {
		struct cgt_header h;
		struct cgt_fork f;
	} r = {};

	if (!traced_cgroup())
		return 0;
	fill_header(&r.h, CGT_REC_FORK, bpf_ktime_get_ns());
	r.f.child_pid = BPF_CORE_READ(child, tgid);
	r.f.child_tid = BPF_CORE_READ(child, pid);
	bpf_get_current_comm(r.f.comm, sizeof(r.f.comm));
	if (cfg.follow_pids) {
		__u32 pid = r.f.child_pid;
		__u8 one = 1;
		bpf_map_update_elem(&traced_pids, &pid, &one, BPF_ANY);
	}
	submit(&r, sizeof(r));
	report_pidns(child);
	return 0;
}

static __always_inline int on_exec(int old_pid)
{
	struct {
		struct cgt_header h;
		struct cgt_exec x;
	} r = {};

	if (!traced_cgroup())
		return 0;
	fill_header(&r.h, CGT_REC_EXEC, bpf_ktime_get_ns());
	r.x.old_tid = old_pid;
	if (old_pid != r.h.tid) {
		/* A thread exec'ed and took the leader's tid: it stays known by that one. */
		__u32 old = old_pid;
		__u8 yes = 1;

		bpf_map_delete_elem(&traced_tids, &old);
		bpf_map_update_elem(&traced_tids, &r.h.tid, &yes, BPF_ANY);
	}
	bpf_get_current_comm(r.x.comm, sizeof(r.x.comm));
	submit(&r, sizeof(r));
	if (cfg.stack_bytes)
		report_exec_mappings();
	return 0;
}

/* ---- tp_btf: typed arguments, no tracefs needed ---------------------------------------------- */

SEC("tp_btf/sys_enter")
int BPF_PROG(btf_sys_enter, struct pt_regs___cgt *regs, long id)
{
#ifdef CGT_TEST_VERIFIER_REJECT
	/* Built only by the test of cgtrace's report of a verifier rejection: a hash map value
	 * used without its NULL check, which the verifier refuses. */
	__u32 key = 0;

	if (id == -12345)
		return *(int *)bpf_map_lookup_elem(&traced_tids, &key);
#endif
	return on_sys_enter(regs, NULL, id, true);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(btf_sys_exit, struct pt_regs___cgt *regs, long ret)
{
	return on_sys_exit(regs, 0, ret, true);
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(btf_signal_deliver, int sig, void *info, struct k_sigaction___cgt *ka)
{
	return on_signal_deliver(sig, info, ka);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(btf_signal_generate, int sig, void *info, struct task_struct___cgt *task, int group, int result)
{
	return on_signal_ignored(sig, info, task, result);
}

/* oom:mark_victim: the OOM killer chose `task`. A trigger only; the kill itself shows as the
 * victim's SIGKILL and exit. */
static __always_inline int on_oom_victim(struct task_struct___cgt *task)
{
	__u32 tid, pid;

	if (!(trigger_cfg.kinds & (1u << CGT_TRIG_OOM)) || !task)
		return 0;
	tid = BPF_CORE_READ(task, pid);
	pid = BPF_CORE_READ(task, tgid);
	/* recorded tasks have made a recorded call (the victim is not the current task) */
	if (!bpf_map_lookup_elem(&traced_tids, &tid) && !bpf_map_lookup_elem(&traced_tids, &pid))
		return 0;
	fire_trigger(NULL, CGT_TRIG_OOM, pid, tid, 9, 0);
	return 0;
}

SEC("tp_btf/mark_victim")
int BPF_PROG(btf_oom_victim, struct task_struct___cgt *task)
{
	return on_oom_victim(task);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(btf_task_exit, struct task_struct___cgt *task)
{
	return on_task_exit(task);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(btf_fork, struct task_struct___cgt *parent, struct task_struct___cgt *child)
{
	return on_fork(child);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(btf_exec, struct task_struct___cgt *task, int old_pid)
{
	return on_exec(old_pid);
}

/* ---- raw_tp: the same hooks, arguments as raw u64s --------------------------------------- */

SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return on_sys_enter((struct pt_regs___cgt *)ctx->args[0], NULL, (long)ctx->args[1], false);
}

SEC("raw_tp/sys_exit")
int raw_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_sys_exit((struct pt_regs___cgt *)ctx->args[0], 0, (long)ctx->args[1], false);
}

SEC("raw_tp/signal_deliver")
int raw_signal_deliver(struct bpf_raw_tracepoint_args *ctx)
{
	return on_signal_deliver((int)ctx->args[0], (void *)ctx->args[1], (struct k_sigaction___cgt *)ctx->args[2]);
}

SEC("raw_tp/signal_generate")
int raw_signal_generate(struct bpf_raw_tracepoint_args *ctx)
{
	return on_signal_ignored((int)ctx->args[0], (void *)ctx->args[1],
				 (struct task_struct___cgt *)ctx->args[2], (int)ctx->args[4]);
}

SEC("raw_tp/mark_victim")
int raw_oom_victim(struct bpf_raw_tracepoint_args *ctx)
{
	return on_oom_victim((struct task_struct___cgt *)ctx->args[0]);
}

SEC("raw_tp/sched_process_exit")
int raw_task_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_task_exit((struct task_struct___cgt *)ctx->args[0]);
}

SEC("raw_tp/sched_process_fork")
int raw_fork(struct bpf_raw_tracepoint_args *ctx)
{
	return on_fork((struct task_struct___cgt *)ctx->args[1]);
}

SEC("raw_tp/sched_process_exec")
int raw_exec(struct bpf_raw_tracepoint_args *ctx)
{
	return on_exec((int)ctx->args[1]);
}

/* ---- per-syscall trace events: only the traced calls run a program ------------------------
 *
 * With a small -e trace= set, attaching to syscalls/sys_enter_NAME and sys_exit_NAME (one link
 * per traced call) instead of the raw sys_enter/sys_exit hooks means the calls left out run no
 * BPF at all: the kernel's own per-event check drops them. Measured on the dd storm: empty raw
 * hooks cost 1.7x, empty per-syscall events 1.1x. Layout: tracefs' format files. */

struct syscall_enter_event {
	__u64 common;        /* common_type, flags, preempt_count, pid */
	int nr;              /* __syscall_nr */
	int pad;
	__u64 args[CGT_MAX_ARGS];
};

struct syscall_exit_event {
	__u64 common;
	int nr;
	int pad;
	long ret;
};

SEC("tracepoint")
int event_sys_enter(struct syscall_enter_event *ctx)
{
	/* Copied, not loaded: the kernel refuses to attach a program whose ctx loads reach past
	 * the event's end, and sys_enter_getpid has no argument at all. Slots past a call's own
	 * arguments hold leftovers of the per-CPU event buffer, and nothing reads them. */
	__u64 args[CGT_MAX_ARGS];

	bpf_probe_read_kernel(args, sizeof(args), (void *)ctx + offsetof(struct syscall_enter_event, args));

	return on_sys_enter(NULL, args, ctx->nr, false);
}

SEC("tracepoint")
int event_sys_exit(struct syscall_exit_event *ctx)
{
	return on_sys_exit(NULL, ctx->nr, ctx->ret, false);
}
