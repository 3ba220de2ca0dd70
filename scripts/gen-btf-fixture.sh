#!/bin/sh
# Rebuild Tests/DecodingTests/Fixtures/uapi-types.btf from uapi-types.c: the .BTF section of
# the object the toolchain's clang makes with -g -target bpf, seen with x86_64's UAPI headers.
set -eu
here=$(dirname "$0")/../Tests/DecodingTests/Fixtures
src=$(dirname "$0")/data/btf-fixture/uapi-types.c
clang=${CLANG:-$(command -v clang || echo /opt/swift/usr/bin/clang)}
obj=$(mktemp /tmp/cgtrace-btf-XXXXXX.o)
trap 'rm -f "$obj"' EXIT
"$clang" -g -O0 -target bpf -D__x86_64__ -I/usr/include/x86_64-linux-gnu -c "$src" -o "$obj"
llvm-objcopy --dump-section .BTF="$here/uapi-types.btf" "$obj"
echo "wrote $here/uapi-types.btf ($(wc -c < "$here/uapi-types.btf") bytes)"
