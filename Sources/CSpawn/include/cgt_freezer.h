#pragma once
#include <stdint.h>

/* Lossless mode's freezer: freezes the traced cgroups (cgroup.freeze) when the ring buffer's
 * backlog passes a high watermark and thaws them below a low one.
 *
 * The consumer calls cgt_freezer_adjust as it goes; but a consumer that is not running (another
 * process has its CPU, it is blocked writing to a terminal) would notice too late: a storm fills
 * a 1 MiB ring in ~6 ms. So a thread of its own, real-time (SCHED_FIFO) where allowed, also
 * sleeps on the ring's wake-ups (the probes send one each time the backlog crosses a multiple of
 * their wake-up threshold) and freezes as soon as the backlog is above the watermark. Only the
 * consumer thaws. Both sides take one lock; the freeze fds and the watchdog (cgt_thaw_watchdog.h)
 * are the caller's, the freezer only writes to them. */
struct cgt_freezer;

/* `ring_fd`: the ring buffer map; `fds`: open cgroup.freeze files; `watchdog`: the thaw
 * watchdog's pipe. NULL with errno set if the ring's positions cannot be mapped. */
struct cgt_freezer *cgt_freezer_new(int ring_fd, uint64_t ring_bytes, uint64_t high, uint64_t low,
				    const int *fds, int nfds, int watchdog);

/* Freeze above the high watermark, thaw below the low one. Returns 1 if it thawed, with the
 * frozen interval (CLOCK_MONOTONIC ns) in *since and *until; else 0. */
int cgt_freezer_adjust(struct cgt_freezer *f, uint64_t *since, uint64_t *until);

/* Thaw now if frozen (same return as cgt_freezer_adjust). */
int cgt_freezer_thaw(struct cgt_freezer *f, uint64_t *since, uint64_t *until);

/* Bytes written to the ring and not yet consumed. */
uint64_t cgt_freezer_backlog(const struct cgt_freezer *f);

/* Freezes so far, and how many of them the watcher thread made. */
uint64_t cgt_freezer_freezes(const struct cgt_freezer *f);
uint64_t cgt_freezer_watcher_freezes(const struct cgt_freezer *f);

/* Stop the watcher thread and free (does not thaw: call cgt_freezer_thaw first). */
void cgt_freezer_free(struct cgt_freezer *f);
