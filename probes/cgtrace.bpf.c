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
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct thread_state);
} threads SEC(".maps");

/* Processes traced by pid (-p), and their descendants as they fork. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
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

/* Per-CPU record sequence numbers. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cpu_seq SEC(".maps");

/* Flight recorder: per-CPU overwrite storage (see cgtrace_abi.h). One slot while live tracing;
 * `cgtrace record` sets ncpus * slots before load. Mmapable so a dump reads it in place. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgt_slot);
} recorder_slots SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);
	if (c)
		*c += 1;
}

static __always_inline bool traced_task(void)
{
	if (cfg.follow_pids) {
		__u32 pid = bpf_get_current_pid_tgid() >> 32;
		if (bpf_map_lookup_elem(&traced_pids, &pid))
			return true;
	}
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
static __always_inline bool killed_before_return(void)
{
	struct task_struct___cgt *task = (void *)bpf_get_current_task();
	unsigned long set = BPF_CORE_READ(task, pending.signal.sig[0]);
	int code;

	if (!(set & (1UL << 8)))
		return false;
	code = BPF_CORE_READ(task, signal, group_exit_code);
	return !(code > 0 && code < 0x80 && code != 9);
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
	/* atomic: a program preempted between read and increment must not share its seq with the
	 * next one on this CPU (the flight recorder places records by seq) */
	if (seq)
		h->seq = __sync_fetch_and_add(seq, 1);
}

/* Copy a finished record to the ring. Wake the consumer only when enough has piled up: a
 * wake-up per record costs about 3× in throughput; the consumer also polls on a short timer. */
static __always_inline void record_to_slot(struct cgt_header *h, __u32 size);

static __always_inline void submit(void *rec, __u32 size)
{
	struct cgt_header *h = rec;
	__u64 flags = BPF_RB_NO_WAKEUP;

	size = (size + 7) & ~7u;
	if (size > CGT_REC_MAX)
		size = CGT_REC_MAX;
	h->size = size;
	if (cfg.record_slots) {
		/* a .rodata constant: the verifier drops the branch not taken */
		record_to_slot(h, size);
		return;
	}
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg.wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	if (bpf_ringbuf_output(&events, rec, size, flags))
		count(CGT_CNT_LOST);
	else
		count(CGT_CNT_EMITTED);
}

/* Flight recorder: overwrite this CPU's oldest slot. No wake-up, no reader: nothing else runs. */
static __always_inline void record_to_slot(struct cgt_header *h, __u32 size)
{
	__u64 seq = h->seq;
	__u32 key = (__u32)h->cpu * cfg.record_slots + (__u32)(seq % cfg.record_slots);
	volatile __u64 *commit;
	void *slot;
	__u32 n;

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
		.keep = strings ? (cfg.string_limit < CGT_ARGV_MAX ? cfg.string_limit : CGT_ARGV_MAX) : 0,
		.arg = arg,
	};

	if (!argv)
		return off;
	bpf_loop(4096, argv_step, &w, 0);
	return put_u32(rec, w.off, arg, CGT_CAP_ARGC, w.count);
}

/* The per-argument work of one record, as bpf_loop callbacks: the verifier checks the body once
 * instead of once per argument, which keeps the programs far below its instruction budget. */
struct arg_walk {
	void *rec;
	struct thread_state *ts;
	struct cgt_syscall_spec *spec;
	long ret;
	__u32 off;
};

/* In-parameters, at entry. */
static long enter_arg_step(__u32 i, void *ctx)
{
	struct arg_walk *w = ctx;
	struct cgt_arg_spec a;
	const void *p;
	__u32 before = w->off;

	if (i >= CGT_MAX_ARGS)
		return 1;
	a = w->spec->args[i];
	p = (const void *)w->ts->args[i];
	if (a.capture == CGT_ARG_NONE || !p)
		return 0;
	switch (a.capture) {
	case CGT_ARG_STR_IN:
		w->off = put_capture(w->rec, w->off, i, CGT_CAP_STR, 0, p,
				     a.size ? a.size : string_copy_limit(), true, 0);
		if (w->off > before &&
		    (((struct cgt_capture *)(w->rec + (before & (CGT_REC_MAX - 1))))->flags & CGT_CAPF_FAULT))
			w->ts->late |= 1u << i;
		break;
	case CGT_ARG_BUF_IN:
		if (a.len_arg < CGT_MAX_ARGS)
			w->off = put_capture(w->rec, w->off, i, CGT_CAP_BUF, 0, p,
					     min_u32(w->ts->args[a.len_arg & 7], cfg.string_limit), false, 0);
		break;
	case CGT_ARG_STRUCT_IN:
		w->off = put_capture(w->rec, w->off, i, CGT_CAP_BUF, 0, p, a.size, false, 0);
		break;
	case CGT_ARG_STRUCT_IN_LEN:
		if (a.len_arg < CGT_MAX_ARGS)
			w->off = put_capture(w->rec, w->off, i, CGT_CAP_BUF, 0, p,
					     min_u32(w->ts->args[a.len_arg & 7], a.size), false, 0);
		break;
	case CGT_ARG_ARGV:
		w->off = capture_argv(w->rec, w->off, i, p, true);
		break;
	case CGT_ARG_ARGC:
		w->off = capture_argv(w->rec, w->off, i, p, false);
		break;
	default:
		break;
	}
	return 0;
}

/* Out-parameters (and late re-reads of strings that faulted at entry), at exit. */
static long exit_arg_step(__u32 i, void *ctx)
{
	struct arg_walk *w = ctx;
	struct cgt_arg_spec a;
	const void *p;
	long ret = w->ret;

	if (i >= CGT_MAX_ARGS)
		return 1;
	a = w->spec->args[i];
	p = (const void *)w->ts->args[i];
	if (!p)
		return 0;
	if (w->ts->late & (1u << i)) {
		w->off = put_capture(w->rec, w->off, i, CGT_CAP_STR, 0, p,
				     a.size ? a.size : string_copy_limit(), true, CGT_CAPF_LATE);
		return 0;
	}
	if (ret < 0)
		return 0;
	switch (a.capture) {
	case CGT_ARG_STRUCT_OUT:
		w->off = put_capture(w->rec, w->off, i, CGT_CAP_BUF, 0, p, a.size, false, 0);
		break;
	case CGT_ARG_BUF_OUT_RET:
		w->off = put_capture(w->rec, w->off, i, CGT_CAP_BUF, 0, p,
				     min_u32(ret, a.size ? a.size : cfg.string_limit), false, 0);
		break;
	case CGT_ARG_BUF_OUT_ARG:
		if (a.len_arg < CGT_MAX_ARGS)
			w->off = put_capture(w->rec, w->off, i, CGT_CAP_BUF, 0, p,
					     min_u32(w->ts->args[a.len_arg & 7], cfg.string_limit), false, 0);
		break;
	case CGT_ARG_DIRENT_COUNT: {
		struct dirent_walk d = { .buf = p, .len = ret, .off = 0, .count = 0 };

		bpf_loop(8192, dirent_step, &d, 0);
		w->off = put_u32(w->rec, w->off, i, CGT_CAP_ARGC, d.count);
		break;
	}
	case CGT_ARG_STRUCT_OUT_LENPTR:
		if (a.len_arg < CGT_MAX_ARGS) {
			int len = 0;

			bpf_probe_read_user(&len, sizeof(len), (void *)w->ts->args[a.len_arg & 7]);
			if (len > 0)
				w->off = put_capture(w->rec, w->off, i, CGT_CAP_BUF, 0, p,
						     min_u32(len, a.size), false, 0);
		}
		break;
	default:
		break;
	}
	return 0;
}

static __always_inline int on_sys_enter(struct pt_regs___cgt *regs, long id)
{
	struct cgt_syscall_spec *spec = NULL;
	struct thread_state *ts, fresh = {};
	struct cgt_sys_enter *e;
	__u32 tid, nr = id, off;
	__u64 now;
	void *rec;

	if (!traced_task())
		return 0;
	if (nr < CGT_MAX_SYSCALLS) {
		spec = bpf_map_lookup_elem(&syscall_specs, &nr);
		if (spec && !(spec->flags & CGT_SC_TRACE))
			return 0;
	}

	tid = (__u32)bpf_get_current_pid_tgid();
	ts = bpf_map_lookup_elem(&threads, &tid);
	if (!ts) {
		bpf_map_update_elem(&threads, &tid, &fresh, BPF_NOEXIST);
		ts = bpf_map_lookup_elem(&threads, &tid);
		if (!ts)
			return 0;
	}
	rec = scratch_buf();
	if (!rec)
		return 0;

	now = bpf_ktime_get_ns();
	ts->call += 1;
	ts->nr = nr;
	ts->enter_ts = now;
	ts->late = 0;
	ts->active = 1;
	ts->args[0] = BPF_CORE_READ(regs, di);
	ts->args[1] = BPF_CORE_READ(regs, si);
	ts->args[2] = BPF_CORE_READ(regs, dx);
	ts->args[3] = BPF_CORE_READ(regs, r10);
	ts->args[4] = BPF_CORE_READ(regs, r8);
	ts->args[5] = BPF_CORE_READ(regs, r9);

	fill_header(rec, CGT_REC_SYS_ENTER, now);
	e = rec + sizeof(struct cgt_header);
	e->nr = nr;
	e->call = ts->call;
	for (int i = 0; i < CGT_MAX_ARGS; i++)
		e->args[i] = ts->args[i];
	off = sizeof(struct cgt_header) + sizeof(*e);

	if (spec) {
		struct arg_walk w = { .rec = rec, .ts = ts, .spec = spec, .ret = 0, .off = off };

		bpf_loop(CGT_MAX_ARGS, enter_arg_step, &w, 0);
		off = w.off;
		/* rt_sigreturn takes no argument: what strace shows is the mask it restores. */
		if (spec->args[0].capture == CGT_ARG_SIGFRAME_MASK) {
			unsigned long sp = BPF_CORE_READ(regs, sp);
			off = put_capture(rec, off, 0, CGT_CAP_BUF, 0,
					  (const void *)(sp + CGT_SIGFRAME_MASK_OFFSET), 8, false, 0);
		}
	}
	submit(rec, off);
	return 0;
}

static __always_inline int on_sys_exit(struct pt_regs___cgt *regs, long ret)
{
	struct cgt_syscall_spec *spec = NULL;
	struct thread_state *ts;
	struct cgt_sys_exit *x;
	__u32 tid, nr, off;
	void *rec;

	if (!traced_task())
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	ts = bpf_map_lookup_elem(&threads, &tid);
	nr = BPF_CORE_READ(regs, orig_ax);
	/* rt_sigreturn restores the interrupted context, orig_ax = -1 included: the syscall in
	 * flight is the one this exit belongs to. */
	if (nr == (__u32)-1 && ts && ts->active)
		nr = ts->nr;
	if (nr < CGT_MAX_SYSCALLS) {
		spec = bpf_map_lookup_elem(&syscall_specs, &nr);
		if (spec && !(spec->flags & CGT_SC_TRACE))
			return 0;
	}
	rec = scratch_buf();
	if (!rec)
		return 0;

	fill_header(rec, CGT_REC_SYS_EXIT, bpf_ktime_get_ns());
	if (killed_before_return())
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
			struct arg_walk w = { .rec = rec, .ts = ts, .spec = spec, .ret = ret, .off = off };

			bpf_loop(CGT_MAX_ARGS, exit_arg_step, &w, 0);
			off = w.off;
		}
	}
	submit(rec, off);
	return 0;
}

static __always_inline int on_signal_deliver(int sig, void *info)
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

	if (!traced_task())
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	fill_header(&r.h, CGT_REC_EXIT, bpf_ktime_get_ns());
	r.x.exit_code = BPF_CORE_READ(task, exit_code);
	r.x.group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;
	submit(&r, sizeof(r));
	bpf_map_delete_elem(&threads, &tid);
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

	if (!traced_task())
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
	return 0;
}

static __always_inline int on_exec(int old_pid)
{
	struct {
		struct cgt_header h;
		struct cgt_exec x;
	} r = {};

	if (!traced_task())
		return 0;
	fill_header(&r.h, CGT_REC_EXEC, bpf_ktime_get_ns());
	r.x.old_tid = old_pid;
	bpf_get_current_comm(r.x.comm, sizeof(r.x.comm));
	submit(&r, sizeof(r));
	return 0;
}

/* ---- tp_btf: typed arguments, no tracefs needed ---------------------------------------------- */

SEC("tp_btf/sys_enter")
int BPF_PROG(btf_sys_enter, struct pt_regs___cgt *regs, long id)
{
	return on_sys_enter(regs, id);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(btf_sys_exit, struct pt_regs___cgt *regs, long ret)
{
	return on_sys_exit(regs, ret);
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(btf_signal_deliver, int sig, void *info)
{
	return on_signal_deliver(sig, info);
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
	return on_sys_enter((struct pt_regs___cgt *)ctx->args[0], (long)ctx->args[1]);
}

SEC("raw_tp/sys_exit")
int raw_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_sys_exit((struct pt_regs___cgt *)ctx->args[0], (long)ctx->args[1]);
}

SEC("raw_tp/signal_deliver")
int raw_signal_deliver(struct bpf_raw_tracepoint_args *ctx)
{
	return on_signal_deliver((int)ctx->args[0], (void *)ctx->args[1]);
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
