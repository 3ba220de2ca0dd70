/* The umbrella header: the Swift module CSpawn is what this includes. (A new header goes here
 * too, which also tells incremental builds that the module changed.) */
#pragma once
#include "cgt_spawn.h"
#include "cgt_spawn_detached.h"
#include "cgt_release.h"
#include "cgt_thaw_watchdog.h"
#include "cgt_freezer.h"
#include "cgt_signal_wake.h"
#include "cgt_helper_thread.h"
