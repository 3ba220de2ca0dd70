#!/bin/sh
# Compile one BPF program as cgtrace embeds it: the flags are here once, for embed.sh and for
# bench/probe_costs.py, whose cut-down builds must match the embedded ones. Stripped of DWARF
# (BTF kept) when OBJCOPY is given (not "-").
# usage: compile.sh CLANG OBJCOPY|- SOURCE.bpf.c OUTPUT.o [EXTRA CLANG FLAGS: -DCGT_LEAN, -DCGT_COST_STOP=N]
set -eu
clang=$1 objcopy=$2 src=$3 out=$4
shift 4
probes=$(dirname "$src")
"$clang" -target bpf -g -O2 -D__TARGET_ARCH_x86 -I/usr/include/x86_64-linux-gnu \
  -I"$probes/include" -I"$probes" -Wall -Werror -Wno-unused-function \
  -Wno-default-const-init-var-unsafe "$@" -c "$src" -o "$out"
[ "$objcopy" = - ] || "$objcopy" --strip-debug "$out"
