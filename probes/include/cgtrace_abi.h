/* cgtrace_abi.h — the one definition of everything that crosses the kernel/user boundary.
 *
 * Included by the BPF programs (probes/cgtrace.bpf.c) and, through the CgtraceABI module, by Swift.
 * Every record in the ring buffer (live tracing) or in the overwrite buffers (flight recorder)
 * starts with struct cgt_header and is self-describing: `size` covers the whole record, so a
 * reader can skip records it does not know. Records are 8-byte aligned.
 *
 *   sys_enter:  cgt_header | cgt_sys_enter | cgt_capture* (in-parameters read at entry)
 *   sys_exit:   cgt_header | cgt_sys_exit  | cgt_capture* (out-parameters, late re-reads)
 *   signal:     cgt_header | cgt_signal
 *   exit:       cgt_header | cgt_task_exit
 *   fork:       cgt_header | cgt_fork
 *   exec:       cgt_header | cgt_exec
 *   map:        cgt_header | cgt_map | cgt_capture* (-k: a file mapped executable; its path)
 *   lost:       cgt_header | cgt_lost (records this CPU could not write: the place of a hole)
 *   pidns:      cgt_header | cgt_pidns (a task in a pid namespace of its own: its pids there)
 *
 * Enter and exit pair by (tid, call): `call` counts the syscalls of one thread, so pairing never
 * depends on timestamps, and a record lost in between is detected rather than mismatched.
 *
 * A ring sample holds one record, or (live tracing with cgt_config.join_calls) a joined call:
 *
 *   joined:     cgt_sys_return | cgt_capture* (the exit's) | held entry
 *   held entry: cgt_sys_enter_short | __u64 args[nargs] | cgt_capture* (the entry's)
 *
 * The kernel kept the entry in its thread until the call returned, and writes both with one
 * reservation; the exit is shortened to what the entry does not say (every byte written to the
 * ring costs the traced task: ~0.8 ns here), and so is the entry (no seq, only the arguments the
 * syscall has). A held entry also goes out alone (below). Readers make both whole again
 * (sys_enter and sys_exit records, arguments past nargs 0) and hand on the entry first. An entry is
 * held only while its thread runs: it goes out alone, before anything else of the thread, when
 * the thread is switched out (the call blocks, or is preempted), forks, execs, takes a signal or
 * exits, so what other threads do meanwhile still shows as strace shows it (`<unfinished ...>`).
 */
#ifndef CGTRACE_ABI_H
#define CGTRACE_ABI_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* 3: CGT_REC_LOST, CGT_REC_PIDNS and the recorder's trigger state (a recording pinned by an
 * older cgtrace is refused by name, not misread). */
#define CGT_ABI_VERSION 3

/* Limits shared by both sides. */
#define CGT_MAX_ARGS        6
#define CGT_MAX_SYSCALLS    1024   /* size of the per-syscall spec table (x86_64 tops at ~470) */
#define CGT_REC_MAX         16384  /* largest record; the BPF scratch buffer is twice this */
#define CGT_CAP_MAX         8192   /* largest single capture (a path is at most 4096) */
#define CGT_PATH_MAX        4096
#define CGT_ARGV_MAX        64     /* argv elements captured for execve */
#define CGT_MAX_TARGETS     16     /* cgroup targets checked in the kernel */
#define CGT_SIGINFO_SIZE    48     /* sizeof(kernel_siginfo) on 64-bit */
#define CGT_JOIN_ENTRY_MAX  256    /* entry records up to this size are held to be joined to their exit */

enum cgt_record_type {
	CGT_REC_SYS_ENTER = 1,
	CGT_REC_SYS_EXIT  = 2,
	CGT_REC_SIGNAL    = 3, /* a signal is delivered to a traced task */
	CGT_REC_EXIT      = 4, /* a traced task exits (one per thread) */
	CGT_REC_FORK      = 5, /* a traced task creates a task (thread or process) */
	CGT_REC_EXEC      = 6, /* a traced task execs (old_tid tells a non-leader exec) */
	CGT_REC_MAP       = 7, /* -k: a traced process has a file mapped executable */
	CGT_REC_LOST      = 8, /* the ring was full: records dropped since the last one written */
	CGT_REC_PIDNS     = 9, /* a task's pids in its own pid namespace (containers) */
	CGT_REC_SYS_RETURN = 10, /* a joined call's exit, first in its sample (struct cgt_sys_return);
				  * never seen past the ring reader */
	CGT_REC_SYS_ENTER_SHORT = 11, /* a held entry (struct cgt_sys_enter_short); never seen past
				       * the ring reader */
};

struct cgt_header {
	__u16 type;   /* enum cgt_record_type */
	__u16 size;   /* bytes in the whole record, header included, multiple of 8 */
	__u16 cpu;
	__u16 flags;  /* enum cgt_header_flags */
	__u32 pid;    /* thread group id (what userspace calls the pid) */
	__u32 tid;
	__u64 ts;     /* CLOCK_MONOTONIC, ns */
	__u64 seq;    /* flight recorder: per-CPU record sequence number (places the record in its
		       * CPU's slots; gaps reveal overwritten records). 0 in live tracing. */
};

enum cgt_header_flags {
	/* sys_exit: SIGKILL is pending, the task dies before the call returns to user space
	 * (strace, which sees only what returns, prints `= ?`). */
	CGT_HDRF_KILLED = 1 << 0,
	/* flight recorder: this record fired the recording's trigger (cgtrace record --trigger) */
	CGT_HDRF_TRIGGER = 1 << 1,
};

struct cgt_sys_enter {
	__u32 nr;
	__u32 call;   /* per-thread syscall counter, repeated in the exit record */
	__u64 args[CGT_MAX_ARGS];
};

struct cgt_sys_exit {
	__u32 nr;
	__u32 call;
	__s64 ret;
	__u64 enter_ts; /* duration = header.ts - enter_ts, even if the enter record is gone */
};

/* A held entry: cgt_header without seq, cgt_sys_enter with only the syscall's own arguments. */
struct cgt_sys_enter_short {
	__u16 type;   /* CGT_REC_SYS_ENTER_SHORT */
	__u16 size;   /* this record with its arguments and captures */
	__u16 cpu;
	__u8  flags;  /* cgt_header's (none is defined for an entry in live tracing) */
	__u8  nargs;  /* argument registers that follow (the rest were not kept: 0) */
	__u32 pid;
	__u32 tid;
	__u64 ts;
	__u32 nr;
	__u32 call;
};

/* A joined call's exit: in place of cgt_header and cgt_sys_exit, what differs from the entry
 * that follows it in the sample (pid, tid, nr and call are the entry's; enter_ts is its ts). */
struct cgt_sys_return {
	__u16 type;   /* CGT_REC_SYS_RETURN */
	__u16 size;   /* this record with its captures, not the entry after it */
	__u16 cpu;
	__u16 flags;  /* cgt_header's */
	__s64 ret;
	__u64 ts;
};

/* What a capture holds. */
enum cgt_capture_kind {
	CGT_CAP_STR      = 1, /* a NUL-terminated string (the NUL is not included in len) */
	CGT_CAP_BUF      = 2, /* raw bytes */
	CGT_CAP_ARGV     = 3, /* one element of a string array; cgt_capture.index is its position */
	CGT_CAP_ARGC     = 4, /* data is a __u32: elements in a string array (up to the NULL) */
	CGT_CAP_FDPATH   = 5, /* -y: one path component of what an fd refers to; index 0 is the
			       * last component (the kernel walks from the file up to the root) */
	CGT_CAP_FDINFO   = 6, /* -y: struct cgt_fd_info about that fd, after its components */
	CGT_CAP_SOCKINFO = 7, /* -yy: struct cgt_sock_info about a socket fd */
	CGT_CAP_UREGS    = 8, /* -k: struct cgt_user_regs at syscall entry (arg = CGT_ARG_STACK) */
	CGT_CAP_USTACK   = 9, /* -k: user stack bytes from regs.sp upwards (arg = CGT_ARG_STACK) */
	CGT_CAP_IOV      = 10, /* element `index` of an iovec array: iov_base and iov_len (two
				* __u64), then the first bytes of its data (the rest of the capture) */
	CGT_CAP_MSGHDR   = 11, /* a struct msghdr (56 bytes, x86_64) */
	CGT_CAP_MSGNAME  = 12, /* the msghdr's msg_name: msg_namelen bytes, at most a sockaddr_storage */
	CGT_CAP_MSGCTL   = 13, /* the msghdr's msg_control: msg_controllen bytes, at most CGT_MSGCTL_MAX */
	CGT_CAP_MSGLEN   = 14, /* a __u32: an mmsghdr's msg_len (arg CGT_ARG_ELEMENT0 + its index) */
	CGT_CAP_NETLINK  = 15, /* struct cgt_netlink_info (arg 0): the call's socket is AF_NETLINK; its
				* data arguments were copied up to CGT_NETLINK_MAX, not -s */
};

/* The socket of a send/recv call, when it is AF_NETLINK: the decoder needs its protocol to name
 * message types, and strace names them only once the socket has a port id (bound). */
struct cgt_netlink_info {
	__u32 protocol;  /* socket(AF_NETLINK, type, protocol): NETLINK_ROUTE, NETLINK_SOCK_DIAG… */
	__u32 portid;    /* at entry; 0: not bound yet (the kernel binds it at the first send) */
};

/* Bytes of netlink data copied per buffer or iovec element (strace decodes whole messages; a
 * dump reply is often a few KiB, recvmsg buffers 32 KiB: what does not fit ends in `...`). */
#define CGT_NETLINK_MAX 8000
/* The same in a flight recording, whose slots keep a record's first CGT_SLOT_SIZE bytes: what
 * fits there beside the headers (a larger copy would lose the whole capture, not its tail). */
#define CGT_NETLINK_RECORDED_MAX 768

/* sendmmsg/recvmmsg: the first this many messages are copied (a resolver sends two). */
#define CGT_MMSG_MAX 4

/* Ancillary data kept per msghdr (SCM_RIGHTS with a few fds, SCM_CREDENTIALS). */
#define CGT_MSGCTL_MAX 128

/* iovec arrays: at most this many elements are copied (strace prints no more at -s 32 either). */
#define CGT_IOV_MAX 32

/* Captures about the return value (an fd returned by open, socket, …) use this arg index. */
#define CGT_ARG_RETURN 7
/* -y: the two fds a call writes into an int[2] (pipe, pipe2, socketpair), at exit. */
#define CGT_ARG_PAIR0  8
#define CGT_ARG_PAIR1  9
/* -y: the fds in poll's pollfd array, at entry: element k's captures use arg CGT_ARG_ELEMENT0 + k
 * (the first CGT_FD_ELEMENTS of them). */
#define CGT_ARG_ELEMENT0 16
#define CGT_FD_ELEMENTS  16
/* -y: the fds SCM_RIGHTS messages carry in a sendmsg's control data (at entry) or a recvmsg's
 * (at exit): the k-th fd of them all, in order, uses arg CGT_ARG_CMSG_FD0 + k (the first
 * CGT_CMSG_FDS of them). */
#define CGT_ARG_CMSG_FD0 32
#define CGT_CMSG_FDS     16

enum cgt_fd_kind {
	CGT_FD_FILE   = 1, /* a path: the components say which */
	CGT_FD_SOCKET = 2, /* socket:[ino] */
	CGT_FD_PIPE   = 3, /* pipe:[ino] */
	CGT_FD_ANON   = 4, /* anon_inode:NAME (the one component) */
	CGT_FD_PIDFD  = 5, /* a pidfd on pidfs (kernel >= 6.9): anon_inode:[pidfd]; ino holds its pid */
};

/* -yy: a socket's protocol and endpoints, read at call time. Ports in host order.
 * AF_UNIX: remote_addr's first 8 bytes are the peer socket's inode (0: no peer), and a
 * CGT_CAP_FDPATH capture (index 0) follows with the bound sun_path bytes, if bound (an abstract
 * name starts with a NUL). AF_NETLINK: local_addr's first 4 bytes are the port id (0: unbound). */
struct cgt_sock_info {
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 local_port;
	__u16 remote_port;
	__u16 pad[3];
	__u8  local_addr[16];  /* IPv4: the first 4 bytes */
	__u8  remote_addr[16];
};

struct cgt_fd_info {
	__u32 kind;  /* enum cgt_fd_kind */
	__u32 flags; /* enum cgt_fd_flags */
	__u64 ino;
	__u32 mode;  /* i_mode */
	__u32 rdev;  /* -yy: i_rdev of a device (the kernel's dev_t: major << 20 | minor), else 0 */
};

enum cgt_fd_flags {
	CGT_FDF_TRUNCATED = 1 << 0, /* more components than were walked */
	CGT_FDF_DELETED   = 1 << 1, /* the file was unlinked: strace shows <path>(deleted) */
};

/* `arg` of captures that belong to no argument (the -k stack). */
#define CGT_ARG_STACK 0xff

enum cgt_capture_flags {
	CGT_CAPF_FAULT     = 1 << 0, /* reading user memory failed; len is 0 */
	CGT_CAPF_TRUNCATED = 1 << 1, /* there was more than was copied */
	CGT_CAPF_LATE      = 1 << 2, /* an in-parameter that failed at entry, re-read at exit */
};

struct cgt_capture {
	__u8  arg;    /* argument index 0..5 */
	__u8  kind;   /* enum cgt_capture_kind */
	__u16 len;    /* data bytes that follow this header (before padding) */
	__u16 flags;  /* enum cgt_capture_flags */
	__u16 index;  /* element index for CGT_CAP_ARGV */
	/* data[len], then zero padding to a multiple of 8 */
};

struct cgt_signal {
	__u32 signo;
	__s32 errno_;
	__s32 code;
	__u32 pad;
	__u8  siginfo[CGT_SIGINFO_SIZE]; /* the kernel_siginfo as delivered */
};

struct cgt_task_exit {
	__u32 exit_code;   /* wait status: (code << 8) | termsig, 0x80 = core dumped */
	__u32 group_dead;  /* 1 when this was the last thread of its process */
};

struct cgt_fork {
	__u32 child_pid;
	__u32 child_tid;
	char  comm[16];
};

/* A hole in the trace. When the ring buffer is full the kernel counts what it drops, and the next
 * record that gets through (from any CPU) is preceded by this one: so the hole is marked where it
 * happened in the stream, with how much fell into it and whose records they were. What is still
 * counted when tracing stops is read from the map `pending_loss` (same layout). */
#define CGT_LOST_TIDS 4
#define CGT_LOST_CPU_LAST 63  /* the last bit of `cpus`: this CPU and every one above it */
struct cgt_lost {
	__u64 records;   /* records dropped */
	__u64 first_ts;  /* CLOCK_MONOTONIC of the first and the last drop */
	__u64 last_ts;
	__u64 cpus;      /* bit n: CPU n dropped records (CPUs above CGT_LOST_CPU_LAST count as it) */
	__u32 ntids;     /* distinct threads in tids */
	__u32 more_tids; /* 1: records of further threads were dropped too */
	__u32 tids[CGT_LOST_TIDS];
};

/* -k: the user registers a stack unwinder starts from (the callee-saved ones and the frame's
 * pc/sp; the others are clobbered by the call anyway). */
struct cgt_user_regs {
	__u64 ip, sp, bp, bx, r12, r13, r14, r15;
};

/* -k: a file mapping with execute permission, recorded when it appears (at exec: the program and
 * its interpreter; later: each mmap with PROT_EXEC). The path follows as CGT_CAP_ARGV captures,
 * one per component, the file's own name first (index 0), walking up to the root. */
struct cgt_map {
	__u64 start;   /* vm_start of the mapping */
	__u64 end;
	__u64 pgoff;   /* file offset of `start`, in bytes */
	__u64 ino;
	__u32 dev;     /* the kernel's dev_t: major << 20 | minor */
	__u32 flags;   /* enum cgt_map_flags */
};

enum cgt_map_flags {
	CGT_MAPF_EXEC = 1 << 0, /* the first mapping of a new program image: forget older ones */
};

struct cgt_exec {
	__u32 old_tid;     /* the tid that called execve; differs from tid when a thread exec'ed */
	__u32 pad;
	char  comm[16];
};

/* The pids a task has in its own pid namespace (a container's: its init is 1), when that is not
 * the initial one. Made once per task: for a fork's child (the header is the parent's), and at a
 * task's first traced call (for tasks that ran before tracing began). A task keeps its
 * namespace for life (setns/unshare change only its children's); a thread that execs takes
 * over its leader's numbers, as it does the leader's tid. */
struct cgt_pidns {
	__u32 tid;     /* the task concerned (host tid): the current one, or a fork's child */
	__u32 pid;     /* its thread group id (host) */
	__u32 ns_tid;  /* the same two as its own pid namespace numbers them */
	__u32 ns_pid;
	__u32 level;   /* depth of that namespace below the initial one (≥ 1) */
	__u32 pad;
};

/* ---- what userspace tells the kernel ------------------------------------------------------- */

/* How to capture one argument of one syscall (table: map `syscall_specs`, indexed by nr).
 * Every kind stays below 32: the probes test a kind as a bit of a 32-bit set (args_of_kinds,
 * which masks it with 31 rather than pay a test per argument). */
enum cgt_arg_capture {
	CGT_ARG_NONE        = 0,
	CGT_ARG_STR_IN      = 1, /* string at entry, up to `size` bytes (0: the -s string limit) */
	CGT_ARG_BUF_IN      = 2, /* bytes at entry, length from argument `len_arg`, up to -s */
	CGT_ARG_STRUCT_IN   = 3, /* `size` bytes at entry */
	CGT_ARG_STRUCT_OUT  = 4, /* `size` bytes at exit, if the call succeeded */
	CGT_ARG_BUF_OUT_RET = 5, /* bytes at exit, length = return value, up to `size` (0: -s) */
	CGT_ARG_BUF_OUT_ARG = 6, /* bytes at exit, length from argument `len_arg`, up to -s */
	CGT_ARG_ARGV        = 7, /* a NULL-terminated string array at entry (execve argv) */
	CGT_ARG_ARGC        = 8, /* only count a NULL-terminated array at entry (execve envp) */
	CGT_ARG_STRUCT_OUT_LENPTR = 9, /* at exit, up to `size` bytes; the length is *(int *)arg[len_arg] */
	CGT_ARG_STRUCT_IN_LEN = 10, /* at entry, length from argument `len_arg`, at most `size` */
	CGT_ARG_DIRENT_COUNT = 11, /* at exit: count the linux_dirent64 records in `ret` bytes (a __u32);
				    * with -v (cfg.verbose) their bytes follow, up to CGT_CAP_MAX */
	CGT_ARG_FD = 13,      /* -y: an fd argument, resolved to what it refers to at entry */
	CGT_ARG_STRUCT_INOUT = 14, /* `size` bytes at entry and again at exit (value-result, e.g. socklen) */
	CGT_ARG_ARRAY_INOUT = 15,  /* argument `len_arg` elements of `size` bytes, at entry and at exit (poll) */
	CGT_ARG_ARRAY_OUT_RET = 16, /* at exit, `ret` elements of `size` bytes (epoll_wait) */
	CGT_ARG_IOV_IN      = 17, /* an iovec array of argument `len_arg` elements, at entry (writev):
				   * CGT_CAP_IOV captures, each element's data up to -s */
	CGT_ARG_IOV_OUT_RET = 18, /* the elements at entry (no data), then at exit with `ret` bytes
				   * spread over them (readv) */
	CGT_ARG_MSGHDR_IN   = 19, /* a struct msghdr at entry (sendmsg): CGT_CAP_MSGHDR, its name, its iovecs */
	CGT_ARG_MSGHDR_OUT_RET = 20, /* the header at entry (no data), then at exit with `ret` bytes
				      * of data (recvmsg) */
	CGT_ARG_MMSG_IN     = 21, /* an mmsghdr array of argument `len_arg` messages (sendmmsg): each
				   * one's msghdr at entry with its data, its msg_len at exit; message k's
				   * captures use arg CGT_ARG_ELEMENT0 + k */
	CGT_ARG_MMSG_OUT_RET = 22, /* the same for recvmmsg: headers at entry, and at exit the `ret`
				    * messages received with their data and msg_len */
	CGT_ARG_SIGFRAME_MASK = 12, /* at entry: the signal mask saved in the signal frame at the
				     * stack pointer (rt_sigreturn), CGT_SIGFRAME_MASK_OFFSET bytes in */
};

#define CGT_SC_FDPAIR_ARG_SHIFT 8
#define CGT_SC_VECTOR_ARG_SHIFT 12
/* (flags >> CGT_SC_NARGS_SHIFT) & 7: 1 + the number of arguments the syscall takes, which a held
 * entry keeps (0: not known, all CGT_MAX_ARGS) */
#define CGT_SC_NARGS_SHIFT 16

/* x86_64: the stack pointer at rt_sigreturn points at the frame's ucontext; uc_sigmask follows
 * uc_flags, uc_link, uc_stack (24 bytes) and uc_mcontext (256 bytes). */
#define CGT_SIGFRAME_MASK_OFFSET 296

struct cgt_arg_spec {
	__u8  capture;  /* enum cgt_arg_capture */
	__u8  len_arg;  /* argument holding a length, for the kinds that say so */
	__u16 size;     /* fixed size or upper bound, for the kinds that say so */
};

enum cgt_syscall_flags {
	CGT_SC_TRACE = 1 << 0, /* emit this syscall (the -e trace= filter, applied in the kernel) */
	CGT_SC_RET_FD = 1 << 1, /* it returns an fd: with -y, resolve it at exit */
	CGT_SC_RET_FDPAIR = 1 << 2, /* it writes two fds into the int[2] of argument
				     * (flags >> CGT_SC_FDPAIR_ARG_SHIFT) & 7: with -y, resolve both */
	CGT_SC_VECTOR = 1 << 3,     /* argument (flags >> CGT_SC_VECTOR_ARG_SHIFT) & 7 is an iovec
				     * array or a msghdr (CGT_ARG_IOV_*, CGT_ARG_MSGHDR_*) */
	CGT_SC_POLLFDS = 1 << 4,    /* argument 0 is a struct pollfd array of argument 1 elements:
				     * with -y, resolve their fds at entry */
	CGT_SC_NETLINK = 1 << 5,    /* argument 0 is a socket whose data may be netlink messages: if
				     * it is AF_NETLINK, say so (CGT_CAP_NETLINK) and copy its data
				     * up to CGT_NETLINK_MAX instead of -s */
	CGT_SC_ENTRY_NOW = 1 << 6,  /* with join_calls, send the entry at once, never held: a call
				     * that does not return (exit, exit_group) or replaces the
				     * program (execve, execveat) */
};

struct cgt_syscall_spec {
	__u32 flags;
	struct cgt_arg_spec args[CGT_MAX_ARGS];
};

/* A cgroup whose tasks (and, with descendants, whose sub-cgroups' tasks) are traced. */
struct cgt_target {
	__u64 cgroup_id;
	__u32 level;        /* depth below the cgroup v2 root (root = 0) */
	__u32 descendants;  /* 1: include sub-cgroups */
};

/* Settings, written by userspace before load into the object's .rodata. */
struct cgt_config {
	__u32 string_limit;  /* -s: bytes of strings/buffers to keep (the kernel copies one more to detect truncation) */
	__u32 wakeup_shift;  /* wake the consumer each time the backlog grows by 1 << wakeup_shift
			      * bytes (a shift: a division per record cost ~2 % of a traced dd) */
	__u32 ntargets;      /* entries used in the `targets` map */
	__u32 follow_pids;   /* 1: also trace tasks in `traced_pids` (-p) */
	__u32 self_pid;      /* cgtrace's own process: never traced, whatever the targets */
	__u32 status_filter; /* enum cgt_status bits; 0: every call, as it happens */
	__u64 min_latency_ns; /* --latency: only calls that took at least this long; 0: all */
	__u32 fd_paths;      /* 1: -y, resolve fd arguments and returned fds; 2: -yy, also socket endpoints */
	__u32 stack_bytes;   /* -k: user stack bytes copied at each traced syscall's entry (0: off) */
	__u32 record_slots;  /* flight recorder: slots per CPU in `recorder_slots`; 0 = live tracing */
	__u32 verbose;       /* -v: string arrays (argv, envp) up to CGT_ARGV_MAX elements, not -s */
	__u32 untimed;       /* 1: nothing shown needs a time: records carry 0 (two clock reads fewer per call) */
	__u32 freeze_bytes;  /* lossless mode: above this backlog every record wakes the consumer's
			      * freezer thread, which freezes the traced cgroups (0: drop mode) */
	__u32 resume_bytes;  /* once the ring overflowed, records keep being dropped (and counted
			      * into the same hole) until the backlog is back under this: one hole
			      * per overflow, not one between every two records (0: resume at once) */
	__u32 join_calls;    /* 1: hold entries in their thread and write each call's exit and
			      * entry as one ring sample (live tracing, no status/latency filter) */
	__u32 tids_by_task;  /* 1: a signal's target is known traced by its task storage (tp_btf
			      * gives a trusted pointer to it), and `traced_tids` is unused */
};

/* -e status= (and -z, -Z): which outcomes to show. With a status or latency filter the kernel
 * holds each entry record per thread and emits it with the exit only if the call qualifies. */
enum cgt_status {
	CGT_STATUS_SUCCESSFUL = 1 << 0,
	CGT_STATUS_FAILED     = 1 << 1,
	CGT_STATUS_UNFINISHED = 1 << 2, /* never returned: exit, exit_group, killed */
};

/* Counters the kernel keeps (per-CPU array `counters`, one slot per kind). */
enum cgt_counter {
	CGT_CNT_LOST      = 0, /* records dropped because the ring buffer was full */
	CGT_CNT_EMITTED   = 1, /* records written */
	CGT_CNT_TRUNC     = 2, /* records cut short at CGT_REC_MAX */
	CGT_CNT_FILTERED  = 3, /* calls dropped in the kernel by a status or latency filter */
	CGT_CNT_MAX       = 4,
};

/* ---- the flight recorder (cgtrace record/dump) ----------------------------------------------
 *
 * Instead of the ring buffer, each CPU owns `record_slots` fixed-size slots in the array map
 * `recorder_slots` (key = cpu * record_slots + seq % record_slots): a CPU only ever writes its own
 * slots, so writers never contend, and the per-CPU `seq` both places a record and tells a reader
 * exactly how many were overwritten (the counter in `cpu_seq` is the next seq of that CPU).
 * A record longer than a slot keeps its first CGT_SLOT_SIZE bytes and its full `size`; the reader
 * drops the captures that did not fit and says so.
 *
 * A slot's header.seq doubles as its commit word (a per-slot seqlock): the writer stores
 * CGT_SEQ_WRITING there, copies the record (whose seq field also reads CGT_SEQ_WRITING), then
 * stores the real seq. A reader that finds the same seq before and after copying a slot has a
 * whole record. (x86-64 keeps stores in order, and the helper call orders them for the compiler.)
 */
#define CGT_SLOT_SIZE     1024
#define CGT_SEQ_WRITING   (~0ULL)

struct cgt_slot {
	__u8 data[CGT_SLOT_SIZE];
};

/* What `cgtrace record` stores about a recording, in the pinned one-entry array `info`. */
struct cgt_recording_info {
	__u32 abi_version;    /* CGT_ABI_VERSION of the cgtrace that made it */
	__u32 slot_size;      /* CGT_SLOT_SIZE */
	__u32 slots_per_cpu;
	__u32 ncpus;          /* possible CPUs: the slot array has ncpus * slots_per_cpu slots */
	__u32 string_limit;   /* -s at record time: the most any capture holds */
	__u32 command_pid;    /* `record NAME -- CMD`: CMD's pid (0 otherwise) */
	__u64 created_ns;     /* CLOCK_REALTIME at record */
	__u32 fd_paths;       /* -y (1) / -yy (2) at record time: fds were resolved in the kernel */
	__u32 trigger_after;  /* --trigger: records kept after the triggering one */
	char  targets[256];   /* what is recorded, as the user named it (for `cgtrace list`) */
	char  cgroup[256];    /* `-- CMD`: the cgroup made for it, removed by `cgtrace stop` */
};

/* ---- flight-recorder triggers (cgtrace record --trigger) ------------------------------------
 *
 * A trigger names an incident; when one happens in a recorded task the kernel notes why and
 * where in `trigger_state`, flags the record that fired it (CGT_HDRF_TRIGGER), keeps `after` more
 * records (all CPUs together, counted as they are stored) and then stops overwriting: the slots
 * keep the window around the incident until someone dumps it. Once stopped, new events take no
 * seq and are only counted (`dropped`), so seq stays dense and dumps count overwrites exactly.
 * `cgtrace record --rearm` zeroes the state and recording resumes. */
enum cgt_trigger_kind {
	CGT_TRIG_SIGNAL = 1, /* a signal in `signals` is delivered with its default action */
	CGT_TRIG_EXIT   = 2, /* a process ends with a non-zero wait status (status or signal) */
	CGT_TRIG_ERRNO  = 3, /* a call in `syscalls` fails with an errno in `errnos` */
	CGT_TRIG_OOM    = 4, /* the OOM killer picks a recorded process (oom:mark_victim) */
};

/* Settings, in .rodata `trigger_cfg` (all zero: no trigger, and the code is dead). */
struct cgt_trigger_config {
	__u32 kinds;         /* bit (1 << kind) for each enum cgt_trigger_kind wanted */
	__u32 pad;
	__u64 after;         /* records stored after the triggering one, before stopping */
	__u64 signals;       /* bit (sig - 1) */
	__u64 errnos[4];     /* bit e: errno e (1..255) */
	__u64 syscalls[CGT_MAX_SYSCALLS / 64]; /* the errno trigger's calls (all bits: any call) */
};

/* What happened, in the pinned one-entry array `trigger_state`. */
struct cgt_trigger_state {
	__u32 fired;         /* 0, or the enum cgt_trigger_kind that fired */
	__u32 stopped;       /* 1: `after` records were stored since; overwriting has stopped */
	__u32 pid;           /* the process and thread it happened in */
	__u32 tid;
	__s32 value;         /* signal number, errno, or wait status */
	__u32 nr;            /* CGT_TRIG_ERRNO: the syscall */
	__u64 ts;            /* CLOCK_MONOTONIC, ns, of the incident */
	__u64 stop_ts;       /* CLOCK_MONOTONIC when overwriting stopped */
	__u64 seq;           /* the triggering record's header.seq (CGT_SEQ_WRITING: no record, oom) */
	__u32 cpu;           /* and its CPU */
	__u32 kinds;         /* trigger_cfg.kinds, written by `record` (and kept by --rearm) */
	__s64 left;          /* records still to store before stopping */
	__u64 dropped;       /* events not stored because overwriting had stopped */
};

#endif /* CGTRACE_ABI_H */
