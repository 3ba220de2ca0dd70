/* The few kernel structures the probes read, declared by hand for CO-RE.
 *
 * `preserve_access_index` makes every field access a relocation that libbpf resolves against the
 * running kernel's BTF, so only the names matter here, not offsets. The `___cgt` suffix is a CO-RE
 * "flavor": libbpf matches `task_struct___cgt` to the kernel's `task_struct`. Declaring these by hand
 * (rather than a 3 MB vmlinux.h) keeps the build fast and independent of the build host's kernel. */
#pragma once

struct pt_regs___cgt {
	unsigned long r10, r9, r8, dx, si, di, orig_ax, sp;
} __attribute__((preserve_access_index));

typedef struct { int counter; } atomic_t___cgt;

struct signal_struct___cgt {
	atomic_t___cgt live;
	int group_exit_code;
} __attribute__((preserve_access_index));

struct sigpending___cgt {
	struct { unsigned long sig[1]; } signal;
} __attribute__((preserve_access_index));

struct task_struct___cgt {
	struct sigpending___cgt pending;
	int pid;
	int tgid;
	int exit_code;
	struct signal_struct___cgt *signal;
	char comm[16];
} __attribute__((preserve_access_index));

