#pragma once
/* zlib: saved traces (--write, dump --write) deflate their record sections. */
#include <zlib.h>
