/* See cgt_thaw_watchdog.h. The child side runs between fork and _exit in a process that may have
 * had threads: only async-signal-safe calls there. */
#define _GNU_SOURCE
#include "cgt_thaw_watchdog.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

static void watch(int in, const char *const paths[], int npaths)
{
	char word, last = CGT_WATCHDOG_THAWED;
	struct sigaction ignore = { .sa_handler = SIG_IGN };
	struct rlimit lim;
	int fd, max;
	ssize_t n;

	setsid();
	sigaction(SIGINT, &ignore, NULL);
	sigaction(SIGTERM, &ignore, NULL);
	sigaction(SIGHUP, &ignore, NULL);
	sigaction(SIGQUIT, &ignore, NULL);
	sigaction(SIGPIPE, &ignore, NULL);
	/* One close_range call each side of the pipe (Linux 5.9+): closing up to 65536 descriptors
	 * one by one took a CPU for milliseconds at every start. */
	if ((in == 0 || close_range(0, (unsigned)in - 1, 0) == 0) && close_range((unsigned)in + 1, ~0U, 0) == 0) {
		/* done */
	} else {
		max = getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < 65536 ? (int)lim.rlim_cur : 65536;
		for (fd = 0; fd < max; fd++)
			if (fd != in)
				close(fd);
	}
	while ((n = read(in, &word, 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		last = word;
	}
	if (last != CGT_WATCHDOG_FROZE)
		return;
	for (int i = 0; i < npaths; i++) {
		fd = open(paths[i], O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		(void)!write(fd, "0", 1);
		close(fd);
	}
}

int cgt_start_thaw_watchdog(const char *const freeze_paths[], int npaths)
{
	int link[2], err;
	pid_t pid;

	if (pipe2(link, O_CLOEXEC) < 0)
		return -errno;
	/* One fork: the watchdog stays this process's child, a zombie only between the end of
	 * tracing and cgtrace's exit (then init's to reap; if cgtrace is killed, init's or a
	 * subreaper's). A double fork, to make it nobody's child, forked this large process twice
	 * and waited for the middle one: ~1.2 ms of every lossless start (uprobes), one fork ~0.5. */
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(link[0]);
		close(link[1]);
		return -err;
	}
	if (pid == 0) {
		watch(link[0], freeze_paths, npaths);
		_exit(0);
	}
	close(link[0]);
	return link[1];
}
