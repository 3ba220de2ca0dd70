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
 *
 * This file is what each hook does (the on_… handlers) and the list of programs; the machinery
 * they share is in the .bpf.h parts included below, each including the parts it uses. The
 * object is one compilation unit, as before the split: the parts are static functions and
 * global (verified-once) functions of this one program set, not separate objects.
 *
 * Program names are `<set><hook>` (btf_sys_enter, raw_fork, event_sys_exit): the loader picks
 * a set by prefix and a hook by suffix (Sources/BPFProbes/ProbeNames.swift).
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

#include "maps.bpf.h"        /* .rodata constants, maps, per-thread state */
#include "recorder.bpf.h"    /* flight recorder: triggers, overwrite slots */
#include "scope.bpf.h"       /* which tasks are traced */
#include "signals.bpf.h"     /* killed calls, the fatal-signal shortcut */
#include "freezer.bpf.h"     /* lossless mode: calls restarted after a freeze */
#include "output.bpf.h"      /* record headers, ring buffer, loss marking, held entries */
#include "threads.bpf.h"     /* a thread's state: its task storage, or its CPU's slot */
#include "captures.bpf.h"    /* appending captures to a record */
#include "fd_resolution.bpf.h" /* -y/-yy: what an fd refers to */
#include "vectors.bpf.h"     /* iovecs, msghdrs, mmsghdrs */
#include "arguments.bpf.h"   /* per-argument copies at entry and exit */
#include "stacks.bpf.h"      /* -k: user stacks and executable mappings */
#include "pidns.bpf.h"       /* pids as a container numbers them */

/* bench/probe_costs.py builds cut-down probes to time each layer of a traced call; cgtrace's own
 * builds never define this. 1: the syscall hooks return at once; 2: they stop once the thread's
 * state says which call is in flight (no record); 3: everything but the user-memory copies. */
#ifndef CGT_COST_STOP
#define CGT_COST_STOP 0
#endif

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
	__u32 tid, nr = id, off;
	bool holds;
	struct task_struct___cgt *task = (void *)bpf_get_current_task_btf();
	__u64 now, pid_tgid = current_pid_tgid(task);
	void *rec;

	if (CGT_COST_STOP == 1)
		return 0;
	if (!traced_current_task(task, pid_tgid >> 32))
		return 0;
	/* Calls left out by -e cost no task storage; restart_syscall may be the resumption of a
	 * traced call (below), whatever -e says of it. */
	if (nr < CGT_MAX_SYSCALLS) {
		spec = bpf_map_lookup_elem(&syscall_specs, &nr);
		if (spec && !(spec->flags & CGT_SC_TRACE) && nr != CGT_NR_RESTART_SYSCALL)
			return 0;
	}
	ts = current_thread_state(task, true);
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
	/* An entry still held belongs to a call whose exit never joined it: it goes first. */
	if (cfg.join_calls && ts->held_size)
		flush_held(ts);

	tid = (__u32)pid_tgid;
	if (!ts->call) {
		traced_tid_add(tid);
		/* first traced call of this task: it may have run before tracing began */
		report_pidns(task);
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

	if (CGT_COST_STOP == 2)
		return 0;
	/* An entry to be held is written into its thread by hold_entry, from these values: its
	 * header and arguments are put in the scratch record only if it has to go out whole. */
	holds = cfg.join_calls && !deferring() && !(spec && (spec->flags & CGT_SC_ENTRY_NOW));
	if (!holds)
		write_entry_head(rec, ts, now, pid_tgid);
	off = sizeof(struct cgt_header) + sizeof(struct cgt_sys_enter);

	ts->netlink = 0;
	if (spec && (spec->flags & CGT_SC_NETLINK))
		off = capture_netlink_global(rec, off, ts, (int)ts->args[0]);
	if (spec) {
		__u32 copied = args_of_kinds(spec, KINDS_AT_ENTRY | (CFG_FD_PATHS ? KIND(CGT_ARG_FD) : 0));

		for (__u32 i = 0; i < CGT_MAX_ARGS && CGT_COST_STOP != 3; i++)
			if (copied & (1u << i))
				off = enter_arg(rec, ts, spec, i, off);
		/* rt_sigreturn takes no argument: what strace shows is the mask it restores. */
		if (regs && spec->args[0].capture == CGT_ARG_SIGFRAME_MASK) {
			unsigned long sp = btf ? regs->sp : BPF_CORE_READ(regs, sp);
			off = put_capture(rec, off, 0, CGT_CAP_BUF, 0,
					  (const void *)(sp + CGT_SIGFRAME_MASK_OFFSET), 8, false, 0);
		}
	}
	if (spec && (spec->flags & CGT_SC_VECTOR))
		off = capture_vector(rec, off, ts, spec, 0);
	if (CFG_FD_PATHS && spec && (spec->flags & CGT_SC_POLLFDS))
		off = capture_pollfds(rec, off, ts);
	if (CFG_STACK_BYTES && regs)
		off = capture_user_stack(regs, rec, off);
	if (deferring()) {
		stash_entry(rec, off, tid);
		return 0;
	}
	if (holds) {
		__u32 nargs = spec ? (spec->flags >> CGT_SC_NARGS_SHIFT) & 7 : 0;

		if (hold_entry(ts, rec, off, nargs ? nargs - 1 : CGT_MAX_ARGS, now, pid_tgid))
			return 0;
		write_entry_head(rec, ts, now, pid_tgid);
	}
	submit(rec, off);
	return 0;
}

/* `ts` (which may be NULL) holds a call in flight. Tested afresh at each use: clang may otherwise
 * keep an earlier test's result in a register or on the stack and branch on that, which the
 * verifier cannot tie to `ts` being non-NULL (it then rejects the load that follows; seen with
 * the lean build when a thread's state came from two places). */
static __always_inline bool in_flight(struct thread_state *ts)
{
	barrier_var(ts);
	return ts && ts->active;
}

/* `regs` NULL: a per-syscall trace event (sys_exit_NAME) gave `event_nr`. */
static __always_inline int on_sys_exit(struct pt_regs___cgt *regs, long event_nr, long ret, bool btf)
{
	struct cgt_syscall_spec *spec = NULL;
	struct thread_state *ts;
	struct cgt_sys_exit *x;
	__u32 tid, nr, off;
	bool closes = false;  /* this exit closes the call whose entry `ts` records */
	struct task_struct___cgt *task = (void *)bpf_get_current_task_btf();
	__u64 pid_tgid = current_pid_tgid(task);
	void *rec;

	if (CGT_COST_STOP == 1)
		return 0;
	/* A call whose entry was traced is finished whatever happened since (the task may even
	 * have left the cgroup): only other exits need the cgroup check. Tasks never traced have
	 * no storage, so the lookup costs them little; the check it saves is ~45 ns per call. */
	ts = current_thread_state(task, false);
	if (!in_flight(ts) && !traced_task_of(pid_tgid >> 32))
		return 0;
	if (CGT_COST_STOP == 2) {
		if (in_flight(ts))
			ts->active = 0;
		return 0;
	}
	tid = (__u32)pid_tgid;
	nr = !regs ? event_nr : btf ? regs->orig_ax : BPF_CORE_READ(regs, orig_ax);
	/* Before the -e filter: stacks need every executable mapping, traced call or not. */
	if (CFG_STACK_BYTES && regs && nr == CGT_NR_MMAP)
		note_exec_mmap(regs, ret);
	/* rt_sigreturn restores the interrupted context, orig_ax = -1 included: the syscall in
	 * flight is the one this exit belongs to. */
	if (nr == (__u32)-1) {
		/* Otherwise an rt_sigreturn whose entry was filtered out or came before we attached:
		 * nothing says what it was, and strace would not show it either. */
		if (!in_flight(ts))
			return 0;
		nr = ts->nr;
	}
	if (in_flight(ts)) {
		if (interrupted_by_freezer(task, ret, btf)) {
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
		report_pidns(task);
	rec = scratch_buf();
	if (!rec)
		return 0;

	fill_header_of(rec, CGT_REC_SYS_EXIT, call_time(), pid_tgid);
	if (killed_before_return(task, btf))
		((struct cgt_header *)rec)->flags |= CGT_HDRF_KILLED;
	x = rec + sizeof(struct cgt_header);
	x->nr = nr;
	x->ret = ret;
	x->call = 0;
	x->enter_ts = 0;
	off = sizeof(struct cgt_header) + sizeof(*x);

	if (in_flight(ts) && ts->nr == nr) {
		closes = true;
		x->call = ts->call;
		x->enter_ts = ts->enter_ts;
		ts->active = 0;
		if (spec) {
			__u32 copied = ts->late | (ret >= 0 ? args_of_kinds(spec, KINDS_AT_EXIT) : 0);

			for (__u32 i = 0; i < CGT_MAX_ARGS && CGT_COST_STOP != 3; i++)
				if (copied & (1u << i))
					off = exit_arg(rec, ts, spec, (__u64)i << 32 | off, ret);
			if ((spec->flags & CGT_SC_VECTOR) && ret >= 0)
				off = capture_vector(rec, 1ULL << 32 | off, ts, spec, ret);
		}
	}
	if (CFG_FD_PATHS && spec && (spec->flags & CGT_SC_RET_FD) && ret >= 0)
		off = capture_fd_global(rec, off, CGT_ARG_RETURN, ret);
	if (CFG_FD_PATHS && spec && (spec->flags & CGT_SC_RET_FDPAIR) && ret == 0 && ts) {
		__u32 a = (spec->flags >> CGT_SC_FDPAIR_ARG_SHIFT) & 7;
		int fds[2];

		if (a < CGT_MAX_ARGS && !bpf_probe_read_user(fds, sizeof(fds), (const void *)ts->args[a])) {
			off = capture_fd_global(rec, off, CGT_ARG_PAIR0, fds[0]);
			off = capture_fd_global(rec, off, CGT_ARG_PAIR1, fds[1]);
		}
	}
	if (deferring()) {
		__u32 status = killed_before_return(task, btf) ? CGT_STATUS_UNFINISHED
			     : ret < 0 && ret >= -4095 ? CGT_STATUS_FAILED : CGT_STATUS_SUCCESSFUL;
		__u64 took = x->enter_ts ? ((struct cgt_header *)rec)->ts - x->enter_ts : 0;
		bool keep = (!CFG_STATUS_FILTER || (CFG_STATUS_FILTER & status)) &&
			    (!CFG_MIN_LATENCY_NS || took >= CFG_MIN_LATENCY_NS);

		release_entry(tid, keep);
		if (!keep) {
			count(CGT_CNT_FILTERED);
			return 0;
		}
	}
	if ((TRIGGER_KINDS & (1u << CGT_TRIG_ERRNO)) && ret < 0 && ret >= -255 &&
	    bit_set(trigger_cfg.errnos, -ret, 256) && bit_set(trigger_cfg.syscalls, nr, CGT_MAX_SYSCALLS))
		fire_trigger(rec, CGT_TRIG_ERRNO, ((struct cgt_header *)rec)->pid, tid, -ret, nr);
	if (cfg.join_calls && ts && ts->held_size) {
		if (closes && submit_joined(rec, off, ts))
			return 0;
		flush_held(ts);
	}
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
	flush_current();
	fill_header(&r.h, CGT_REC_SIGNAL, bpf_ktime_get_ns());
	r.s.signo = sig;
	if (info) {
		bpf_probe_read_kernel(r.s.siginfo, sizeof(r.s.siginfo), info);
		r.s.errno_ = *(__s32 *)(r.s.siginfo + 4);
		r.s.code = *(__s32 *)(r.s.siginfo + 8);
	}
	/* fatal: delivered with its default action (SIG_DFL), as a crash's SIGSEGV or abort's SIGABRT */
	if ((TRIGGER_KINDS & (1u << CGT_TRIG_SIGNAL)) && sig > 0 && sig <= 64 &&
	    ((trigger_cfg.signals >> (sig - 1)) & 1) && ka && !BPF_CORE_READ(ka, sa.sa_handler))
		fire_trigger(&r.h, CGT_TRIG_SIGNAL, r.h.pid, r.h.tid, sig, 0);
	submit(&r, sizeof(r));
	return 0;
}

/* A signal dropped when generated because its target ignores it (SIGCHLD by default). Without
 * ptrace it is never delivered, so signal_deliver never fires; strace (under which the kernel
 * queues ignored signals) shows it. Reported here, from the sender, as the target's. */
static __always_inline int on_signal_ignored(int sig, void *info, struct task_struct___cgt *target, int result,
					     bool by_task)
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
	/* Only for tasks we trace: they have made a traced call. (`by_task`: a constant after
	 * inlining, false for raw_tp, whose `target` is no pointer the verifier trusts.) */
	if (by_task) {
		struct thread_state *ts = bpf_task_storage_get(&threads, (struct task_struct *)target, 0, 0);

		if (!ts || !ts->call)
			return 0;
	} else if (!bpf_map_lookup_elem(&traced_tids, &tid)) {
		return 0;
	}
	/* A thread signalling itself (kill(getpid(), …), raise) does it from a call whose entry it
	 * may hold: the entry goes first. (A target running a call on another CPU cannot be
	 * flushed from here without a locked handover on every call: its signal can show before
	 * that call's line.) */
	if (tid == (__u32)bpf_get_current_pid_tgid())
		flush_current();
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
	if ((TRIGGER_KINDS & (1u << CGT_TRIG_SIGNAL)) && result == 0 && ((trigger_cfg.signals >> ((sig - 1) & 63)) & 1))
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

	/* A call held when its thread ends never returned: its entry shows, `unfinished` (even if
	 * the task has left the traced cgroup since the call began). */
	flush_current();
	if (!traced_cgroup())
		return 0;
	/* its task_struct may be reused by a task anywhere: no scope_cache entry names it now */
	__sync_fetch_and_add(&scope_gen, 1);
	tid = (__u32)bpf_get_current_pid_tgid();
	fill_header(&r.h, CGT_REC_EXIT, bpf_ktime_get_ns());
	r.x.exit_code = BPF_CORE_READ(task, exit_code);
	r.x.group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;
	/* A call still held when its thread ends never returned: `unfinished`. */
	if (deferring()) {
		release_entry(tid, CFG_STATUS_FILTER & CGT_STATUS_UNFINISHED);
		bpf_map_delete_elem(&deferred, &tid);
	}
	if ((TRIGGER_KINDS & (1u << CGT_TRIG_EXIT)) && r.x.group_dead && r.x.exit_code)
		fire_trigger(&r.h, CGT_TRIG_EXIT, r.h.pid, tid, r.x.exit_code, 0);
	submit(&r, sizeof(r));
	forget_current_thread();
	traced_tid_remove(tid);
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
	/* The parent's clone entry before the child is known (its records may come at once). */
	flush_current();
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
	flush_current();
	fill_header(&r.h, CGT_REC_EXEC, bpf_ktime_get_ns());
	r.x.old_tid = old_pid;
	if (old_pid != r.h.tid) {
		/* A thread exec'ed and took the leader's tid: it stays known by that one. (Its task
		 * storage follows the task, whatever its tid.) */
		traced_tid_remove(old_pid);
		traced_tid_add(r.h.tid);
	}
	bpf_get_current_comm(r.x.comm, sizeof(r.x.comm));
	submit(&r, sizeof(r));
	if (CFG_STACK_BYTES)
		report_exec_mappings();
	return 0;
}

/* cfg.join_calls: a thread switched out in the middle of a call (it blocks, or is preempted)
 * sends the call's entry now, so that it shows while the call waits and before what other
 * threads do meanwhile, as strace shows `read(0, <unfinished ...>`; and its state goes back from
 * the CPU's slot to its task storage (threads.bpf.h). Loaded only when joining; it runs at every
 * context switch on the machine, and for a task never traced finds the slot empty at once. The
 * hook runs in the task being switched out. */
static __always_inline int on_switch_out(void)
{
	leave_cpu();
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
	return on_signal_ignored(sig, info, task, result, cfg.tids_by_task);
}

/* oom:mark_victim: the OOM killer chose `task`. A trigger only; the kill itself shows as the
 * victim's SIGKILL and exit. */
static __always_inline int on_oom_victim(struct task_struct___cgt *task)
{
	__u32 tid, pid;

	if (!(TRIGGER_KINDS & (1u << CGT_TRIG_OOM)) || !task)
		return 0;
	tid = BPF_CORE_READ(task, pid);
	pid = BPF_CORE_READ(task, tgid);
	/* recorded tasks have made a recorded call (the victim is not the current task; the
	 * loader keeps traced_tids, cfg.tids_by_task 0, with this trigger) */
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

/* cgroup:cgroup_attach_task: a task (or a whole process) moved to another cgroup, anywhere on
 * the machine. Whatever scope_cache says of it may be stale now: every entry is, from here on.
 * Rare (a container starting, a shell's `echo $$ > cgroup.procs`), so nothing finer is kept. */
static __always_inline int on_cgroup_attach(void)
{
	__sync_fetch_and_add(&scope_gen, 1);
	return 0;
}

SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(btf_cgroup_attach)
{
	return on_cgroup_attach();
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_switch_out, bool preempt, struct task_struct___cgt *prev)
{
	return on_switch_out();
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
				 (struct task_struct___cgt *)ctx->args[2], (int)ctx->args[4], false);
}

SEC("raw_tp/mark_victim")
int raw_oom_victim(struct bpf_raw_tracepoint_args *ctx)
{
	return on_oom_victim((struct task_struct___cgt *)ctx->args[0]);
}

SEC("raw_tp/cgroup_attach_task")
int raw_cgroup_attach(struct bpf_raw_tracepoint_args *ctx)
{
	return on_cgroup_attach();
}

SEC("raw_tp/sched_switch")
int raw_switch_out(struct bpf_raw_tracepoint_args *ctx)
{
	return on_switch_out();
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
