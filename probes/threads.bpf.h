// SPDX-License-Identifier: GPL-2.0
/* threads.bpf.h — where a thread's state (struct thread_state) lives: in its task storage, and,
 * when calls are joined, in its CPU's slot (cpu_threads) while it runs there.
 *
 * A thread's first syscall hook after it was switched in moves its state from the task storage
 * into the slot; its switch-out (on_switch_out) sends its held entry and puts the state back.
 * In between, its calls find it with one inlined per-CPU lookup and a compare instead of two
 * task-storage lookups per call (helper calls, each with calls and returns of its own, which
 * this kernel's return-thunk mitigation makes dear): dd's own time under trace 254 against 264
 * ms (200 k blocks, medians of eleven interleaved runs; untraced 92 ms). A thread that blocks in
 * every call pays two copies of 88 bytes per call instead, beside the lookups it made anyway.
 *
 * The slot names the task running on its CPU, or none: every switch-out empties it. That holds
 * because the switch-out hook is attached before the syscall hooks and detached after them; a
 * switch-out it missed would leave that thread an older copy of its state (a call paired with
 * the wrong exit). Each use still compares the slot's task with the current one. Without joined
 * calls (-k, the status and latency filters, the flight recorder) the switch-out hook is not
 * loaded and the slot is not used. */
#ifndef CGT_THREADS_BPF_H
#define CGT_THREADS_BPF_H

#include "maps.bpf.h"
#include "output.bpf.h"

/* What moves between the task storage and the slot: everything before the held entry, which
 * the switch-out sends first (so a stored state holds none). */
#define THREAD_STATE_MOVED_WORDS (offsetof(struct thread_state, held) / 8)
_Static_assert(offsetof(struct thread_state, held) % 8 == 0, "the moved part is whole words");

static __always_inline void move_thread_state(struct thread_state *to, const struct thread_state *from)
{
	__u64 *t = (__u64 *)to;
	const __u64 *f = (const __u64 *)from;

	for (__u32 k = 0; k < THREAD_STATE_MOVED_WORDS; k++)
		t[k] = f[k];
	to->held_size = 0;
}

/* The current thread's state (`task`: the current task). `create`: make it if the thread has
 * none (a traced entry); otherwise NULL for a thread never traced. */
static __always_inline struct thread_state *current_thread_state(struct task_struct___cgt *task, bool create)
{
	struct thread_state *stored;
	struct cpu_thread *c;
	__u32 zero = 0;

	if (!cfg.join_calls)
		return bpf_task_storage_get(&threads, (struct task_struct *)task, 0,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	c = bpf_map_lookup_elem(&cpu_threads, &zero);
	if (!c)
		return NULL;
	if (c->task == (__u64)task)
		return &c->ts;
	stored = bpf_task_storage_get(&threads, (struct task_struct *)task, 0,
				      create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (!stored)
		return NULL;
	/* Switched in: the state comes to this CPU until the thread leaves it. */
	move_thread_state(&c->ts, stored);
	c->task = (__u64)task;
	/* A stored state with no call counted yet says "traced" to on_signal_ignored, which looks
	 * at the task storage of a thread that may be running (the slot keeps the true count). */
	if (!stored->call)
		stored->call = 1;
	return &c->ts;
}

/* The slot, if the current task (`task`) owns it. */
static __always_inline struct cpu_thread *owned_slot(struct task_struct___cgt *task)
{
	__u32 zero = 0;
	struct cpu_thread *c;

	if (!cfg.join_calls)
		return NULL;
	c = bpf_map_lookup_elem(&cpu_threads, &zero);
	return c && c->task == (__u64)task ? c : NULL;
}

/* flush_held for the current task, before a record of its own that is not a syscall's. (Only
 * the slot holds entries: the switch-out sent the stored state's.) */
static __always_inline void flush_current(void)
{
	struct cpu_thread *c = owned_slot((void *)bpf_get_current_task_btf());

	if (c && c->ts.held_size)
		flush_held(&c->ts);
}

/* The current thread leaves its CPU (sched_switch runs in the task being switched out): its held
 * entry goes out, so that it shows while the call waits, and its state back into its task
 * storage. A task never traced finds the slot empty: no helper call. */
static __always_inline void leave_cpu(void)
{
	__u32 zero = 0;
	struct cpu_thread *c = bpf_map_lookup_elem(&cpu_threads, &zero);
	struct task_struct___cgt *task;
	struct thread_state *stored;

	if (!c || !c->task)
		return;
	task = (void *)bpf_get_current_task_btf();
	if (c->task == (__u64)task) {
		if (c->ts.held_size)
			flush_held(&c->ts);
		stored = bpf_task_storage_get(&threads, (struct task_struct *)task, 0, 0);
		if (stored)
			move_thread_state(stored, &c->ts);
	}
	c->task = 0;
}

/* The current thread ends: its slot is free, its task_struct may be reused, and its stored state
 * says "not traced" to on_signal_ignored (a signal sent to it now is not its). The storage goes
 * with the task_struct, freed at once then. Deleted here, it was freed after an RCU-tasks-trace
 * grace period, which each traced exit started: every task running at that moment then takes
 * the slow way out of every syscall tracepoint for the rest of its life (a full barrier and a
 * call, rcu_read_unlock_trace_special: 2-4 % of a traced dd's samples when a process had exited
 * before it began; measured gone without the delete). */
static __always_inline void forget_current_thread(void)
{
	struct task_struct___cgt *task = (void *)bpf_get_current_task_btf();
	struct cpu_thread *c = owned_slot(task);
	struct thread_state *stored;

	if (c)
		c->task = 0;
	stored = bpf_task_storage_get(&threads, (struct task_struct *)task, 0, 0);
	if (stored) {
		stored->call = 0;
		stored->active = 0;
	}
}

#endif /* CGT_THREADS_BPF_H */
