/* The child side of launching a traced command (and a recording's). It lives in C because
 * between clone and exec the child may only make async-signal-safe calls: no Swift runtime, no
 * allocation. */
#define _GNU_SOURCE
#include "cgt_spawn.h"
#include "cgt_spawn_detached.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Both launches: a traced command (`creds` for -u), or a recording's command that outlives
 * cgtrace (`detached`: a session of its own, stdin from /dev/null, only fds 0-2 kept). */
static pid_t spawn(int cgroup_fd, const char *path, char *const argv[], char *const envp[],
		   const struct cgt_spawn_creds *creds, int detached)
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
		int err;

		/* The parent blocks the signals it handles; the command starts with none blocked
		 * and default dispositions (exec resets handlers, not the mask or ignored ones). */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* cgtrace ignores SIGPIPE; an ignored signal stays ignored across exec. */
		signal(SIGPIPE, SIG_DFL);
		if (detached) {
			int null;

			/* The terminal's hangup or ^C must not end a recording's workload with the CLI. */
			setsid();
			null = open("/dev/null", O_RDONLY);
			if (null >= 0 && null != 0) {
				dup2(null, 0);
				close(null);
			}
			/* Only stdin, stdout and stderr go along: a descriptor of ours that the command
			 * kept open (a pipe someone waits on for EOF) would tie whoever ran cgtrace to it. */
			syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
		}
		if (creds && creds->set) {
			if (setgroups(creds->ngroups, creds->groups) < 0 || setgid(creds->gid) < 0 ||
			    setuid(creds->uid) < 0)
				goto fail;
		}
		execve(path, argv, envp);
fail:
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

pid_t cgt_spawn_in_cgroup(int cgroup_fd, const char *path, char *const argv[], char *const envp[],
			  const struct cgt_spawn_creds *creds)
{
	return spawn(cgroup_fd, path, argv, envp, creds, 0);
}

pid_t cgt_spawn_detached_in_cgroup(int cgroup_fd, const char *path, char *const argv[], char *const envp[])
{
	return spawn(cgroup_fd, path, argv, envp, NULL, 1);
}
