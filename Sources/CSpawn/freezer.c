/* See cgt_freezer.h. */
#define _GNU_SOURCE
#include "cgt_freezer.h"
#include "cgt_thaw_watchdog.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct cgt_freezer {
	pthread_mutex_t lock;
	const volatile uint64_t *consumer, *producer; /* the ring's position pages */
	long page;
	uint64_t high, low;
	const int *fds;
	int nfds;
	int watchdog;
	int frozen;              /* under lock */
	uint64_t frozen_since;   /* under lock */
	uint64_t freezes, watcher_freezes;
	int epoll, stop;         /* the watcher's epoll set and its stop eventfd */
	pthread_t thread;
	int has_thread;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t cgt_freezer_backlog(const struct cgt_freezer *f)
{
	uint64_t consumed = __atomic_load_n(f->consumer, __ATOMIC_ACQUIRE);
	uint64_t produced = __atomic_load_n(f->producer, __ATOMIC_ACQUIRE);

	return produced > consumed ? produced - consumed : 0;
}

static void tell_watchdog(struct cgt_freezer *f, char word)
{
	(void)!write(f->watchdog, &word, 1);
}

/* Under lock. The watchdog hears of a freeze before it happens and of a thaw after. */
static void freeze_locked(struct cgt_freezer *f)
{
	tell_watchdog(f, CGT_WATCHDOG_FROZE);
	for (int i = 0; i < f->nfds; i++)
		(void)!pwrite(f->fds[i], "1", 1, 0);
	f->frozen = 1;
	f->frozen_since = now_ns();
	f->freezes++;
}

static int thaw_locked(struct cgt_freezer *f, uint64_t *since, uint64_t *until)
{
	if (!f->frozen)
		return 0;
	for (int i = 0; i < f->nfds; i++)
		(void)!pwrite(f->fds[i], "0", 1, 0);
	tell_watchdog(f, CGT_WATCHDOG_THAWED);
	f->frozen = 0;
	*since = f->frozen_since;
	*until = now_ns();
	return 1;
}

static void *watch(void *arg)
{
	struct cgt_freezer *f = arg;
	struct epoll_event events[2];

	for (;;) {
		int n = epoll_wait(f->epoll, events, 2, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		for (int i = 0; i < n; i++)
			if (events[i].data.u32 == 1)
				return NULL;
		pthread_mutex_lock(&f->lock);
		if (!f->frozen && cgt_freezer_backlog(f) > f->high) {
			freeze_locked(f);
			f->watcher_freezes++;
		}
		pthread_mutex_unlock(&f->lock);
	}
}

static int start_watcher(struct cgt_freezer *f)
{
	struct sched_param param = { .sched_priority = 1 };
	pthread_attr_t attr;
	int rc;

	/* Real-time so that it runs the moment the ring wakes it, whatever else wants the CPU; it
	 * sleeps otherwise (a wake-up per crossed threshold, a few hundred a second in a storm). */
	pthread_attr_init(&attr);
	pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
	pthread_attr_setschedparam(&attr, &param);
	rc = pthread_create(&f->thread, &attr, watch, f);
	pthread_attr_destroy(&attr);
	if (rc == EPERM)
		rc = pthread_create(&f->thread, NULL, watch, f);
	return rc;
}

struct cgt_freezer *cgt_freezer_new(int ring_fd, uint64_t ring_bytes, uint64_t high, uint64_t low,
				    const int *fds, int nfds, int watchdog)
{
	struct cgt_freezer *f = calloc(1, sizeof(*f));
	struct epoll_event ring_ev = { .events = EPOLLIN | EPOLLET, .data.u32 = 0 };
	struct epoll_event stop_ev = { .events = EPOLLIN, .data.u32 = 1 };
	void *cons, *prod;

	(void)ring_bytes;
	if (!f)
		return NULL;
	f->page = sysconf(_SC_PAGESIZE);
	cons = mmap(NULL, f->page, PROT_READ, MAP_SHARED, ring_fd, 0);
	prod = mmap(NULL, f->page, PROT_READ, MAP_SHARED, ring_fd, f->page);
	if (cons == MAP_FAILED || prod == MAP_FAILED) {
		int err = errno;

		if (cons != MAP_FAILED)
			munmap(cons, f->page);
		if (prod != MAP_FAILED)
			munmap(prod, f->page);
		free(f);
		errno = err;
		return NULL;
	}
	f->consumer = cons;
	f->producer = prod;
	f->high = high;
	f->low = low;
	f->fds = fds;
	f->nfds = nfds;
	f->watchdog = watchdog;
	/* Priority inheritance: the consumer thaws under this lock, and the woken tasks then take
	 * its CPU; without it the real-time watcher, come to freeze again, waited behind a consumer
	 * off its CPU while 16 storming threads filled an 8 MiB ring (lossless mode lost records). */
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&f->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	/* Edge-triggered: one event per wake-up the probes send, not a spin while data waits. */
	f->epoll = epoll_create1(EPOLL_CLOEXEC);
	f->stop = eventfd(0, EFD_CLOEXEC);
	if (f->epoll >= 0 && f->stop >= 0 && epoll_ctl(f->epoll, EPOLL_CTL_ADD, ring_fd, &ring_ev) == 0 &&
	    epoll_ctl(f->epoll, EPOLL_CTL_ADD, f->stop, &stop_ev) == 0)
		f->has_thread = start_watcher(f) == 0;
	return f;
}

int cgt_freezer_adjust(struct cgt_freezer *f, uint64_t *since, uint64_t *until)
{
	uint64_t backlog = cgt_freezer_backlog(f);
	int thawed = 0;

	/* Unlocked first look: most calls find nothing to do. */
	if (backlog > f->high || backlog < f->low) {
		pthread_mutex_lock(&f->lock);
		if (!f->frozen && backlog > f->high)
			freeze_locked(f);
		else if (f->frozen && backlog < f->low)
			thawed = thaw_locked(f, since, until);
		pthread_mutex_unlock(&f->lock);
	}
	return thawed;
}

int cgt_freezer_thaw(struct cgt_freezer *f, uint64_t *since, uint64_t *until)
{
	int thawed;

	pthread_mutex_lock(&f->lock);
	thawed = thaw_locked(f, since, until);
	pthread_mutex_unlock(&f->lock);
	return thawed;
}

uint64_t cgt_freezer_freezes(const struct cgt_freezer *f)
{
	return f->freezes;
}

uint64_t cgt_freezer_watcher_freezes(const struct cgt_freezer *f)
{
	return f->watcher_freezes;
}

void cgt_freezer_free(struct cgt_freezer *f)
{
	uint64_t one = 1;

	if (!f)
		return;
	if (f->has_thread) {
		(void)!write(f->stop, &one, sizeof(one));
		pthread_join(f->thread, NULL);
	}
	if (f->epoll >= 0)
		close(f->epoll);
	if (f->stop >= 0)
		close(f->stop);
	munmap((void *)f->consumer, f->page);
	munmap((void *)f->producer, f->page);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
