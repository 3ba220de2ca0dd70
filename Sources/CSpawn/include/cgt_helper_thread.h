#pragma once
#include <pthread.h>

/* A thread for start-up's work beside the main thread (making the ring, verifying half of the
 * programs, resolving the kernel's layouts), started on another CPU than its creator's when it
 * may run elsewhere, then free to move. CFS often put a new thread on its creator's CPU; the
 * helpers' kernel work (zeroing the ring's pages, the verifier) does not yield (PREEMPT_NONE), so
 * the main thread, runnable, waited for the next tick (4 ms at HZ=250) to get a CPU back while
 * the other CPU idled. `cgtrace -o /dev/null -- true` at normal priority, medians of six
 * interleaved `perf stat -r 20`: 32.7 → 28.0 ms, and 35.5 → 32.6 ms on a busier hour; at
 * SCHED_FIFO, where nothing preempts the main thread, 29.5 and 30.0 ms (eight rounds).
 * Returns 0 or an errno, as pthread_create. */
int cgt_helper_thread_create(pthread_t *thread, void *(*start)(void *), void *arg);

/* Tests: the last helper made, as it started. 1: its affinity left out its creator's CPU
 * (`*creator_cpu`; it started on `*start_cpu`); 0: it did not; -1: made as a plain thread (one
 * allowed CPU, or placement not possible). Call after the helper has started (joined). */
int cgt_helper_last_start(int *creator_cpu, int *start_cpu);

/* How many CPUs the calling thread may run on (0 if it cannot tell). */
int cgt_allowed_cpus(void);
