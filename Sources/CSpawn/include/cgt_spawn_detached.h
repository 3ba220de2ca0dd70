#pragma once
#include <sys/types.h>

/* Start `path` in the cgroup open as `cgroup_fd` (clone3 + CLONE_INTO_CGROUP) to run on after
 * the caller exits: in a session of its own, stdin from /dev/null, no signal blocked, no descriptor but 0-2 inherited. Returns
 * its pid, or -errno (a failed clone3, or the errno of a failed execve, reported through a
 * close-on-exec pipe; the failed child is reaped here). */
pid_t cgt_spawn_detached_in_cgroup(int cgroup_fd, const char *path, char *const argv[], char *const envp[]);
