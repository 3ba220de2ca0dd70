/* Compile-time checks of the ABI layout, built into the Swift side's CgtraceABI module.
 * The BPF side is compiled from the same header, so both agree as long as these hold. */
#include <stddef.h>
#include "cgtrace_abi.h"

_Static_assert(sizeof(struct cgt_header) == 32, "cgt_header layout");
_Static_assert(sizeof(struct cgt_sys_enter) == 56, "cgt_sys_enter layout");
_Static_assert(sizeof(struct cgt_sys_exit) == 24, "cgt_sys_exit layout");
_Static_assert(sizeof(struct cgt_sys_return) == 24, "cgt_sys_return layout");
_Static_assert(sizeof(struct cgt_sys_enter_short) == 32 && offsetof(struct cgt_sys_enter_short, pid) == 8 &&
	       offsetof(struct cgt_sys_enter_short, ts) == 16 && offsetof(struct cgt_sys_enter_short, nr) == 24,
	       "cgt_sys_enter_short: the header's first 24 bytes, then nr and call");
_Static_assert(offsetof(struct cgt_sys_return, ret) == 8 && offsetof(struct cgt_sys_return, ts) == 16,
	       "cgt_sys_return layout");
_Static_assert(sizeof(struct cgt_capture) == 8, "cgt_capture layout");
_Static_assert(sizeof(struct cgt_signal) == 16 + CGT_SIGINFO_SIZE, "cgt_signal layout");
_Static_assert(sizeof(struct cgt_syscall_spec) == 4 + 4 * CGT_MAX_ARGS, "cgt_syscall_spec layout");
_Static_assert(sizeof(struct cgt_config) == 72, "cgt_config layout");
_Static_assert(sizeof(struct cgt_user_regs) == 64, "cgt_user_regs layout");
_Static_assert(sizeof(struct cgt_map) == 40, "cgt_map layout");
_Static_assert(sizeof(struct cgt_lost) == 56, "cgt_lost layout");
_Static_assert(sizeof(struct cgt_pidns) == 24, "cgt_pidns layout");
_Static_assert(sizeof(struct cgt_recording_info) == 40 + 512, "cgt_recording_info layout");
_Static_assert(sizeof(struct cgt_trigger_config) == 56 + 8 * (CGT_MAX_SYSCALLS / 64), "cgt_trigger_config layout");
_Static_assert(sizeof(struct cgt_trigger_state) == 72, "cgt_trigger_state layout");
_Static_assert(CGT_JOIN_ENTRY_MAX % 8 == 0 && CGT_JOIN_ENTRY_MAX < CGT_REC_MAX, "a held entry is whole words");
_Static_assert(CGT_SLOT_SIZE % 8 == 0 && CGT_SLOT_SIZE >= 256, "a slot holds whole fixed records");
_Static_assert(CGT_CAP_MAX + sizeof(struct cgt_capture) < CGT_REC_MAX, "a capture fits a record");
_Static_assert(sizeof(struct cgt_netlink_info) == 8, "cgt_netlink_info layout");
_Static_assert(CGT_ARG_MMSG_OUT_RET < 32 && CGT_ARG_SIGFRAME_MASK < 32 && CGT_ARG_FD < 32,
	       "argument kinds are bits of a 32-bit set in the probes (args_of_kinds)");
_Static_assert(CGT_NETLINK_MAX + 16 < CGT_CAP_MAX, "a netlink copy fits one capture, after an iovec's base and length");
_Static_assert(CGT_NETLINK_RECORDED_MAX + 256 <= CGT_SLOT_SIZE, "a recorded netlink copy fits a slot beside its record's headers and msghdr");
_Static_assert(CGT_ARG_ELEMENT0 + CGT_FD_ELEMENTS <= CGT_ARG_CMSG_FD0 && CGT_ARG_CMSG_FD0 + CGT_CMSG_FDS < CGT_ARG_STACK,
	       "capture slots of poll's elements, SCM_RIGHTS fds and -k's stack are apart");
_Static_assert((CGT_CMSG_FDS & (CGT_CMSG_FDS - 1)) == 0, "SCM_RIGHTS fds are indexed under a mask in the probes");
