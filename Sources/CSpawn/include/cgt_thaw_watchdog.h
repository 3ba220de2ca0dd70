#pragma once

/* Lossless mode freezes the traced cgroups (cgroup.freeze) while the ring buffer drains; if
 * cgtrace died then, even by SIGKILL, they would stay frozen. This starts a small process that
 * guarantees they do not: it holds the read end of a pipe whose write end the caller keeps
 * (close-on-exec). The caller writes CGT_WATCHDOG_FROZE after each freeze and CGT_WATCHDOG_THAWED
 * after each thaw; when the pipe closes (the caller exited, however) and the last word was
 * CGT_WATCHDOG_FROZE, the watchdog writes "0" to each of `freeze_paths`, then exits.
 * It runs in a session of its own with the terminal's signals ignored and holds no descriptor but
 * the pipe, so Ctrl-C or a kill of the caller's process group does not take it along, and no BPF
 * object outlives the caller through it. Returns the write end, or -errno. */
enum cgt_watchdog_word {
	CGT_WATCHDOG_FROZE  = 'F',
	CGT_WATCHDOG_THAWED = 'T',
};

int cgt_start_thaw_watchdog(const char *const freeze_paths[], int npaths);
