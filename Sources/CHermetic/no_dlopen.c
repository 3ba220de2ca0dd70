/* no_dlopen.c — the static release binary loads no shared object.
 *
 * The release build links with --wrap=dlopen (Package.swift), so the dlopen calls in the static
 * archives it contains come here: libdw's debuginfod client (which elfutils 0.188 loads at the
 * first file it finds no debug information for) and the Swift runtime's optional
 * prespecializations library. A shared object loaded into a static
 * process brings the host's libc.so with it, beside the libc linked in: safe only on a host with
 * the build's own glibc. Both callers treat NULL as "not installed". (Debug builds are linked
 * dynamically and do not use this.) */
#include <dlfcn.h>
#include <stddef.h>

void *__wrap_dlopen(const char *file, int mode);

void *__wrap_dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	return NULL;
}
