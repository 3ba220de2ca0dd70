// SPDX-License-Identifier: GPL-2.0
/* signals.bpf.h — what the kernel's signal state says about a call or a signal where ptrace would
 * have seen more: a call that will never return (SIGKILL queued), and a signal that kills with no
 * delivery (the fatal-signal shortcut). */
#ifndef CGT_SIGNALS_BPF_H
#define CGT_SIGNALS_BPF_H

#include "maps.bpf.h"


/* The current task (`task`, as bpf_get_current_task_btf() gave it: the syscall hooks have it
 * already) will not return to user space from this call: SIGKILL (bit 8) is queued.
 * The kernel also queues SIGKILL when any fatal signal hits an untraced process (its group exit
 * code is then that signal); under ptrace that shortcut is not taken and strace sees the call
 * return, so such a call is not reported as killed. */
static __always_inline bool killed_before_return(struct task_struct___cgt *task, bool btf)
{
	unsigned long set;
	int code;

	/* tp_btf: plain loads (the verifier makes them fault-safe), no helper call. */
	set = btf ? task->pending.signal.sig[0] : BPF_CORE_READ(task, pending.signal.sig[0]);
	if (!(set & (1UL << 8)))
		return false;
	/* (Read with the helper in both modes: following task->signal directly makes the verifier
	 * search the kernel's BTF by name at each visit, a start-up cost; SIGKILL is rare here.) */
	code = BPF_CORE_READ(task, signal, group_exit_code);
	return !(code > 0 && code < 0x80 && code != 9);
}

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

#endif /* CGT_SIGNALS_BPF_H */
