/* See cgt_release.h. The child side runs between fork and _exit in a process that may have had
 * threads: only async-signal-safe calls there. */
#define _GNU_SOURCE
#include "cgt_release.h"
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Whether fd is a BPF object or a perf event: /proc/self/fd/N reads anon_inode:bpf_link,
 * anon_inode:bpf-map, anon_inode:bpf-prog, anon_inode:[perf_event]. */
static int is_kernel_object(int fd)
{
	char path[32] = "/proc/self/fd/", target[64];
	char digits[12];
	int n = 0, len = 14;
	ssize_t got;

	do {
		digits[n++] = '0' + fd % 10;
		fd /= 10;
	} while (fd && n < (int)sizeof(digits));
	while (n)
		path[len++] = digits[--n];
	path[len] = 0;
	got = readlink(path, target, sizeof(target) - 1);
	if (got <= 0)
		return 0;
	target[got] = 0;
	return strncmp(target, "anon_inode:bpf", 14) == 0 || strcmp(target, "anon_inode:[perf_event]") == 0;
}

int cgt_release_in_background(void)
{
	int done[2];
	pid_t middle;
	int status;

	if (pipe(done) < 0)
		return -1;
	middle = fork();
	if (middle < 0) {
		close(done[0]);
		close(done[1]);
		return -1;
	}
	if (middle == 0) {
		/* Double fork: the holder is nobody's child to reap but init's. */
		struct rlimit lim;
		char byte;
		int fd, max, last = -1;

		if (fork() != 0)
			_exit(0);
		max = getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < 65536 ? (int)lim.rlim_cur : 65536;
		for (fd = 0; fd < max; fd++) {
			if (fd != done[0] && !is_kernel_object(fd))
				close(fd);
			else if (fd != done[0])
				last = fd;
		}
		while (read(done[0], &byte, 1) != 0)
			;
		/* Newest first, as the links were made in attach order: the switch-out hook, which
		 * puts a running thread's state back (probes/threads.bpf.h), goes after the syscall
		 * hooks that use that state. (_exit would close them oldest first.) */
		for (fd = last; fd >= 0; fd--)
			if (fd != done[0])
				close(fd);
		_exit(0);
	}
	close(done[0]);
	waitpid(middle, &status, 0);
	return done[1];
}
