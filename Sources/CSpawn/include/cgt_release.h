#pragma once

/* Detaching a BPF program from perf trace events (syscalls/sys_enter_NAME) waits in the kernel
 * for tracepoint users to finish: on a VM about 80 ms per event family, paid by whoever drops
 * the last reference. This hands that wait to a background process: it keeps this process's
 * BPF and perf objects (and nothing else: no stdio, no pipes) until the returned descriptor is
 * closed, then exits, so its exit does the slow release while the caller has moved on.
 * Call, close the links and the object, then close the returned fd. Returns -1 (nothing
 * started: close as usual) if the process could not be made. */
int cgt_release_in_background(void);
