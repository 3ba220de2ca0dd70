// SPDX-License-Identifier: GPL-2.0
/* pidns.bpf.h — containers: a task's pids as its own pid namespace numbers them (CGT_REC_PIDNS). */
#ifndef CGT_PIDNS_BPF_H
#define CGT_PIDNS_BPF_H

#include "maps.bpf.h"
#include "output.bpf.h"

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

#endif /* CGT_PIDNS_BPF_H */
