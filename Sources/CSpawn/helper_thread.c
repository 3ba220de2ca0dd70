#define _GNU_SOURCE
#include "cgt_helper_thread.h"
#include <sched.h>
#include <stdlib.h>

struct helper_start {
	void *(*start)(void *);
	void *arg;
	cpu_set_t allowed;
	int creator_cpu;
};

/* The last placement, for cgt_helper_last_start (tests). */
static _Atomic int last_placed = -1, last_creator_cpu = -1, last_start_cpu = -1;

/* Placed off the creator's CPU, the helper may go anywhere again: should the main thread block
 * (waiting for it, or in a syscall), that CPU is the helper's to use. */
static void *helper_main(void *raw)
{
	struct helper_start s = *(struct helper_start *)raw;
	cpu_set_t now;

	free(raw);
	last_creator_cpu = s.creator_cpu;
	last_start_cpu = sched_getcpu();
	last_placed = sched_getaffinity(0, sizeof(now), &now) == 0 && !CPU_ISSET(s.creator_cpu, &now);
	sched_setaffinity(0, sizeof(s.allowed), &s.allowed);
	return s.start(s.arg);
}

int cgt_helper_thread_create(pthread_t *thread, void *(*start)(void *), void *arg)
{
	struct helper_start *s;
	cpu_set_t elsewhere;
	pthread_attr_t attr;
	int here = sched_getcpu(), rc;

	last_placed = -1;
	s = malloc(sizeof(*s));
	/* Only CPU, or an affinity wider than cpu_set_t (EINVAL): as any thread. */
	if (!s || here < 0 || sched_getaffinity(0, sizeof(s->allowed), &s->allowed) != 0 ||
	    !CPU_ISSET(here, &s->allowed) || CPU_COUNT(&s->allowed) < 2 || pthread_attr_init(&attr) != 0) {
		free(s);
		return pthread_create(thread, NULL, start, arg);
	}
	s->start = start;
	s->arg = arg;
	s->creator_cpu = here;
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

int cgt_helper_last_start(int *creator_cpu, int *start_cpu)
{
	*creator_cpu = last_creator_cpu;
	*start_cpu = last_start_cpu;
	return last_placed;
}
