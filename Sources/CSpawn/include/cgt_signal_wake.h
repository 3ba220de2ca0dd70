#pragma once
#include <signal.h>

/* A signalfd for `set` (non-blocking, close-on-exec): readable while a signal of the set is
 * pending, for a run loop to poll beside its other descriptors. Swift's Glibc module lacks
 * <sys/signalfd.h>. Returns -1 with errno on failure. */
int cgt_signal_wake_fd(const sigset_t *set);
