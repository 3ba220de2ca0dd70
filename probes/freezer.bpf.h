// SPDX-License-Identifier: GPL-2.0
/* freezer.bpf.h — lossless mode's cgroup freezer, seen from sys_exit: a call interrupted only to
 * freeze its task is restarted by the kernel after the thaw, and stays one call. */
#ifndef CGT_FREEZER_BPF_H
#define CGT_FREEZER_BPF_H

#include "maps.bpf.h"

/* The cgroup freezer (cgroup.freeze, what cgtrace's lossless mode writes) stops a task on its way
 * back to user space; one asleep in a call is woken for that, and the call returns a restart code
 * the program never sees: after the thaw the kernel enters it again (or restart_syscall). strace
 * would not see that either. Recognised by no signal being queued (a signal that interrupts a
 * call is still pending at sys_exit) and the freezer's job-control bit, or lossless mode. */
#define CGT_NR_RESTART_SYSCALL 219      /* x86_64 */
#define CGT_JOBCTL_TRAP_FREEZE (1UL << 23)
enum { FROZEN_AWAITING_RESTART = 1, FROZEN_VIA_RESTART_SYSCALL = 2 };

/* `task`: the current one, as bpf_get_current_task_btf() gave it. */
static __always_inline bool interrupted_by_freezer(struct task_struct___cgt *task, long ret, bool btf)
{
	unsigned long jobctl, own, shared;

	/* ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK */
	if (ret != -512 && ret != -513 && ret != -514 && ret != -516)
		return false;
	if (btf) {
		jobctl = task->jobctl;
		own = task->pending.signal.sig[0];
		/* Not task->signal->…: a pointer loaded through a trusted one costs the verifier a
		 * name search of the kernel's BTF per visit (~13 % of start-up); this path is rare. */
		shared = BPF_CORE_READ(task, signal, shared_pending.signal.sig[0]);
	} else {
		jobctl = BPF_CORE_READ(task, jobctl);
		own = BPF_CORE_READ(task, pending.signal.sig[0]);
		shared = BPF_CORE_READ(task, signal, shared_pending.signal.sig[0]);
	}
	/* The freezer's bit is cleared at the thaw, which may come before this exit runs (a short
	 * freeze): in lossless mode a restart with no signal queued is the freezer's too. */
	return !own && !shared && ((jobctl & CGT_JOBCTL_TRAP_FREEZE) || cfg.freeze_bytes);
}

#endif /* CGT_FREEZER_BPF_H */
