/* Launching the command of `cgtrace record NAME -- CMD`. As in spawn.c, the child side is C:
 * between clone and exec only async-signal-safe calls are allowed. */
#define _GNU_SOURCE
#include "cgt_spawn_detached.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t cgt_spawn_detached_in_cgroup(int cgroup_fd, const char *path, char *const argv[], char *const envp[])
{
	int pipefd[2];
	struct clone_args args;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)cgroup_fd;

	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		int err = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return -err;
	}
	if (pid == 0) {
		sigset_t none;
		int err, null;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		/* The terminal's hangup or ^C must not end a recording's workload with the CLI. */
		setsid();
		null = open("/dev/null", O_RDONLY);
		if (null >= 0 && null != 0) {
			dup2(null, 0);
			close(null);
		}
		/* Only stdin, stdout and stderr go along: a descriptor of ours that the command kept
		 * open (a pipe someone waits on for EOF) would tie whoever ran cgtrace to it. */
		syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
		execve(path, argv, envp);
		err = errno;
		(void)!write(pipefd[1], &err, sizeof(err));
		_exit(127);
	}

	close(pipefd[1]);
	int child_err = 0;
	ssize_t n;
	do {
		n = read(pipefd[0], &child_err, sizeof(child_err));
	} while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(child_err)) {
		waitpid(pid, NULL, 0);
		return -child_err;
	}
	return pid;
}
