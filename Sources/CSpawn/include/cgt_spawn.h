#pragma once
#include <sys/types.h>

/* Credentials the child takes before exec (-u USER); ignored when `set` is 0. */
struct cgt_spawn_creds {
	int set;
	uid_t uid;
	gid_t gid;
	int ngroups;
	const gid_t *groups;
};

/* Start `path` with `argv`/`envp` as a child that is born inside the cgroup whose directory is
 * open as `cgroup_fd` (clone3 + CLONE_INTO_CGROUP), so no syscall of the command happens outside
 * it. Returns the child's pid, or -errno: a failed clone3, or the errno of a failed execve (the
 * child reports it through a close-on-exec pipe and is reaped here). */
pid_t cgt_spawn_in_cgroup(int cgroup_fd, const char *path, char *const argv[], char *const envp[],
			  const struct cgt_spawn_creds *creds);
