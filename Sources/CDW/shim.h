#pragma once
/* libdw (elfutils): libdwfl unwinds user stacks with the binaries' CFI and finds their symbols;
 * libelf reads program headers to place a mapped file at its load bias. */
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <dwarf.h>
