// SPDX-License-Identifier: GPL-2.0
/* stacks.bpf.h — -k: user stacks for a DWARF unwinder, and the executable file mappings it needs
 * to name frames. */
#ifndef CGT_STACKS_BPF_H
#define CGT_STACKS_BPF_H

#include "maps.bpf.h"
#include "output.bpf.h"
#include "fd_resolution.bpf.h"

/* ---- -k: user stacks ---------------------------------------------------------------------
 *
 * The kernel's own user-stack walk (bpf_get_stack) follows frame pointers, and the C library
 * here is built without them: its syscall wrappers use %rbp as a scratch register (__open64
 * does), so the walk ends at the first frame. Instead we copy what a DWARF unwinder needs (the
 * registers and the top of the stack, as perf's --call-graph=dwarf does) and userspace unwinds
 * with libdw's CFI. Unwinding needs to know which file is mapped where; a process may be gone
 * before userspace reads /proc/PID/maps, so the kernel reports each executable file mapping as it
 * appears (CGT_REC_MAP). Everything here is behind CFG_STACK_BYTES: without -k the verifier
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
	if (c.limit > CFG_STACK_BYTES)
		c.limit = CFG_STACK_BYTES;
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

#endif /* CGT_STACKS_BPF_H */
