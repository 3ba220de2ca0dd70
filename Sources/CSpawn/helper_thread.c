#define _GNU_SOURCE
#include "cgt_helper_thread.h"
#include <sched.h>
#include <stdlib.h>

struct helper_start {
	void *(*start)(void *);
	void *arg;
	cpu_set_t allowed;
};

/* Placed off the creator's CPU, the helper may go anywhere again: should the main thread block
 * (waiting for it, or in a syscall), that CPU is the helper's to use. */
static void *helper_main(void *raw)
{
	struct helper_start s = *(struct helper_start *)raw;

	free(raw);
	sched_setaffinity(0, sizeof(s.allowed), &s.allowed);
	return s.start(s.arg);
}

int cgt_helper_thread_create(pthread_t *thread, void *(*start)(void *), void *arg)
{
	struct helper_start *s;
	cpu_set_t elsewhere;
	pthread_attr_t attr;
	int here = sched_getcpu(), rc;

	s = malloc(sizeof(*s));
	/* Only CPU, or an affinity wider than cpu_set_t (EINVAL): as any thread. */
	if (!s || here < 0 || sched_getaffinity(0, sizeof(s->allowed), &s->allowed) != 0 ||
	    !CPU_ISSET(here, &s->allowed) || CPU_COUNT(&s->allowed) < 2 || pthread_attr_init(&attr) != 0) {
		free(s);
		return pthread_create(thread, NULL, start, arg);
	}
	s->start = start;
	s->arg = arg;
	elsewhere = s->allowed;
	CPU_CLR(here, &elsewhere);
	rc = pthread_attr_setaffinity_np(&attr, sizeof(elsewhere), &elsewhere);
	if (rc == 0)
		rc = pthread_create(thread, &attr, helper_main, s);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		free(s);
		return pthread_create(thread, NULL, start, arg);
	}
	return 0;
}

int cgt_allowed_cpus(void)
{
	cpu_set_t mine;

	return sched_getaffinity(0, sizeof(mine), &mine) == 0 ? CPU_COUNT(&mine) : 0;
}

int cgt_current_cpu(void)
{
	return sched_getcpu();
}
