/* See cgt_signal_wake.h. */
#include "cgt_signal_wake.h"
#include <sys/signalfd.h>

int cgt_signal_wake_fd(const sigset_t *set)
{
	return signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
}
