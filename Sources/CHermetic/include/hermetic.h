/* Nothing to call: CHermetic only defines __wrap_dlopen for the linker (no_dlopen.c). */
#ifndef CGTRACE_HERMETIC_H
#define CGTRACE_HERMETIC_H
#endif
