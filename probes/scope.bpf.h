// SPDX-License-Identifier: GPL-2.0
/* scope.bpf.h — which tasks are traced: the target cgroups (or -p's pids) and, for a triggered
 * recording, whether it is still recording. */
#ifndef CGT_SCOPE_BPF_H
#define CGT_SCOPE_BPF_H

#include "maps.bpf.h"
#include "recorder.bpf.h"

/* What bpf_get_current_pid_tgid() returns (tgid << 32 | pid), read from the current task, which
 * the syscall hooks fetch anyway for their task storage: one helper call fewer per hook. */
static __always_inline __u64 current_pid_tgid(struct task_struct___cgt *task)
{
	return (__u64)(__u32)task->tgid << 32 | (__u32)task->pid;
}

/* `pid`: the current task's (the syscall hooks have it already: a helper call fewer). */
static __always_inline bool traced_cgroup_of(__u32 pid)
{
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

static __always_inline bool traced_cgroup(void)
{
	return traced_cgroup_of(bpf_get_current_pid_tgid() >> 32);
}

/* Whether to record the current task's event. A stopped recording skips its syscalls and
 * signals here; task exit, fork and exec use traced_cgroup() and keep their bookkeeping
 * (traced_tids, -p's traced_pids) for after a rearm, their records dropped in record_to_slot. */
static __always_inline bool traced_task_of(__u32 pid)
{
	/* (recording_stopped is false at once without triggers: a .rodata constant) */
	return traced_cgroup_of(pid) && !recording_stopped();
}

/* traced_task_of for the current task (`task`) at a syscall's entry, through scope_cache: the
 * cgroup check only when this CPU's last traced task was another one, or scope_gen has moved. */
static __always_inline bool traced_current_task(struct task_struct___cgt *task, __u32 pid)
{
	__u32 zero = 0;
	struct scope_cache *c;
	__u64 gen;

	if (cfg.follow_pids)
		return traced_task_of(pid);
	c = bpf_map_lookup_elem(&scope_cache, &zero);
	gen = *(volatile __u64 *)&scope_gen;  /* before the check: a move during it shows after */
	if (!c || c->task != (__u64)task || c->gen != gen) {
#ifndef __TARGET_ARCH_x86
		/* x86 keeps loads in order; elsewhere (arm64) the check's loads could pass the plain
		 * one above: read it again with a full barrier (an atomic add of 0). Tasks out of
		 * scope pay it there, at every entry. */
		gen = __sync_fetch_and_add(&scope_gen, 0);
#endif
		if (!traced_cgroup_of(pid))
			return false;
		if (c) {
			c->task = (__u64)task;
			c->gen = gen;
		}
	}
	return !recording_stopped();
}

static __always_inline bool traced_task(void)
{
	return traced_task_of(bpf_get_current_pid_tgid() >> 32);
}

#endif /* CGT_SCOPE_BPF_H */
