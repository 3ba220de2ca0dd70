/* The child side of launching a traced command. It lives in C because between clone and exec
 * the child may only make async-signal-safe calls: no Swift runtime, no allocation. */
#define _GNU_SOURCE
#include "cgt_spawn.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t cgt_spawn_in_cgroup(int cgroup_fd, const char *path, char *const argv[], char *const envp[],
			  const struct cgt_spawn_creds *creds)
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
