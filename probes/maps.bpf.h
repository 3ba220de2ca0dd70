// SPDX-License-Identifier: GPL-2.0
/* maps.bpf.h — what userspace sets and reads: the load-time constants (.rodata), every map, and
 * the per-thread state the maps hold. Loader and Recorder bind the constants and maps by name:
 * the names they use are in Sources/BPFProbes/ProbeNames.swift, and ProbeNameTests checks them
 * against this object. */
#ifndef CGT_MAPS_BPF_H
#define CGT_MAPS_BPF_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "kernel_types.h"
#include "cgtrace_abi.h"

/* Set by userspace before load; constant for the verifier, so unused paths cost nothing. */
const volatile struct cgt_config cfg = {};
const volatile struct cgt_target targets[CGT_MAX_TARGETS] = {};
/* Flight recorder triggers (see cgtrace_abi.h); all zero, and every use is dead code. */
const volatile struct cgt_trigger_config trigger_cfg = {};

/* The constants the code reads through these names are those a lean build (-DCGT_LEAN) holds at
 * zero: -y's descriptor paths, -k's stacks, the status and latency filters that hold entries
 * back (deferring), the flight recorder's slots and triggers. probes/embed.sh builds the object
 * both ways and the loader takes the lean one when the options use none of them
 * (ProbeOptions.fitsLeanObject). Zero in .rodata, the verifier only walks around that code, but
 * the kernel still takes it in, checks its control flow and removes it, and libbpf relocates
 * it: 43 % of sys_enter's loaded instructions. Left out at compile time: ~9 ms less CPU and
 * ~4 ms less wall time for `cgtrace -- true` here (tenth session). */
#ifdef CGT_LEAN
#define CFG_FD_PATHS 0
#define CFG_STACK_BYTES 0
#define CFG_STATUS_FILTER 0
#define CFG_MIN_LATENCY_NS 0
#define TRIGGER_KINDS 0
#define CFG_RECORD_SLOTS 0
#else
#define CFG_FD_PATHS cfg.fd_paths
#define CFG_STACK_BYTES cfg.stack_bytes
#define CFG_STATUS_FILTER cfg.status_filter
#define CFG_MIN_LATENCY_NS cfg.min_latency_ns
#define TRIGGER_KINDS trigger_cfg.kinds
#define CFG_RECORD_SLOTS cfg.record_slots
#endif

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
	__u32 netlink; /* the call's socket is AF_NETLINK (CGT_SC_NETLINK): its data is copied up to
			* CGT_NETLINK_MAX, not -s */
	/* cfg.join_calls: the entry record of the call in flight, not sent yet (held_size bytes, 0:
	 * none). It is only ever in the CPU's slot (cpu_threads): the switch-out sends it before
	 * the state goes back to the task storage. Only the thread's own hooks touch it (its
	 * syscalls, its switch-out, its other records), and they do not run at once: the syscall
	 * hooks run with preemption off. (But for a signal sent from an interrupt while the thread
	 * runs, as a timer's: signal_generate may then flush the entry in the middle of a syscall
	 * hook, which sends it twice if it lands between the two statements of submit_joined that
	 * take it. Not guarded: an atomic exchange would cost every call.) */
	__u32 held_size;
	__u32 pad;
	__u64 held[CGT_JOIN_ENTRY_MAX / 8];
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

/* cfg.join_calls: the state of the traced thread running on this CPU, held here from its first
 * syscall hook after it was switched in until it is switched out (threads.bpf.h). A thread
 * that keeps its CPU, as a syscall storm's does, then makes no task-storage lookup per call:
 * one inlined per-CPU lookup instead of two helper calls. */
struct cpu_thread {
	__u64 task;              /* the thread whose state `ts` is (its task_struct); 0: none */
	struct thread_state ts;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_thread);
} cpu_threads SEC(".maps");

/* The last task on this CPU that the cgroup check found traced, and the scope generation it was
 * found in (scope_gen). A task's entries then skip the check (bpf_get_current_ancestor_cgroup_id,
 * ~3.7 % of a traced dd's time) while it keeps the CPU. scope_gen moves on whenever a task in scope
 * exits (its task_struct may be reused) or any task changes cgroups, so a stale entry never
 * matches. (The kernel fires cgroup_attach_task once a move is done: a task moved out of scope
 * may have a few more calls traced in the microseconds between, on a CPU that still has it.) */
struct scope_cache {
	__u64 task;
	__u64 gen;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scope_cache);
} scope_cache SEC(".maps");

__u64 scope_gen SEC(".bss");

/* The tids that have made a traced call, for the hooks that ask about a task other than the
 * current one (a signal ignored by its target, an OOM victim) where they cannot look its task
 * storage up: raw_tp has no trusted pointer to it. Unused (one entry) with cfg.tids_by_task: its
 * 64 K buckets took 0.55-0.78 ms to make at every start. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} traced_tids SEC(".maps");

/* A task's first traced call, and its end: kept in traced_tids where the map is used. */
static __always_inline void traced_tid_add(__u32 tid)
{
	__u8 yes = 1;

	if (!cfg.tids_by_task)
		bpf_map_update_elem(&traced_tids, &tid, &yes, BPF_ANY);
}

static __always_inline void traced_tid_remove(__u32 tid)
{
	if (!cfg.tids_by_task)
		bpf_map_delete_elem(&traced_tids, &tid);
}

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

/* -y: the fds a msghdr's SCM_RIGHTS messages carry, read before they are resolved (the
 * scratch is at the 32 KiB limit of a per-CPU value). */
struct cmsg_fds {
	__s32 fd[CGT_CMSG_FDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cmsg_fds);
} cmsg_fds_map SEC(".maps");

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

static __always_inline void count_n(__u32 which, __u32 n)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);
	if (c)
		*c += n;
}

static __always_inline void count(__u32 which)
{
	count_n(which, 1);
}

#endif /* CGT_MAPS_BPF_H */
