#!/usr/bin/env bash
# Make the root filesystem of a cgtrace container image with no registry and no base image:
# cgtrace installed under /usr/local by scripts/install.sh (the release build is a static
# executable; a dynamically linked one, such as a debug build, comes with the shared libraries
# `ldd` lists, at the paths ldd names), a root-only /etc/passwd and /etc/group, and /tmp. The Containerfile builds the image from it:
#
#   scripts/build-image.sh [TARBALL]             (default: ./cgtrace-rootfs.tar)
#   podman build -t localhost/cgtrace -f Containerfile .
#
#   CGTRACE_BINARY=FILE scripts/build-image.sh   use FILE instead of building (as install.sh does)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
  echo "usage: scripts/build-image.sh [TARBALL]   (default ./cgtrace-rootfs.tar; env CGTRACE_BINARY)" >&2
  exit 2
fi
tarball=$(realpath -m "${1:-cgtrace-rootfs.tar}")

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"    # the image's /
DESTDIR=$stage "$repo/scripts/install.sh" /usr/local >/dev/null

# A dynamically linked cgtrace: each library at the path the host's loader resolved it to, as a
# file (cp -L), so the image's loader finds it in the same default directories. linux-vdso comes
# from the kernel. (ldd fails on a static executable, which needs nothing beside it.)
libraries=
if ldd "$stage/usr/local/bin/cgtrace" >/dev/null 2>&1; then
  libraries=$(ldd "$stage/usr/local/bin/cgtrace" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
  [ -n "$libraries" ] || { echo "build-image: ldd lists no libraries for cgtrace" >&2; exit 1; }
fi
for lib in $libraries; do
  mkdir -p "$stage$(dirname "$lib")"
  cp -L "$lib" "$stage$lib"
done

mkdir -p "$stage/etc" "$stage/tmp"
chmod 1777 "$stage/tmp"
echo 'root:x:0:0:root:/root:/usr/local/bin/cgtrace' > "$stage/etc/passwd"
echo 'root:x:0:' > "$stage/etc/group"

tar --numeric-owner --owner=0 --group=0 -C "$stage" -cf "$tarball" .
if [ -n "$libraries" ]; then
  echo "build-image: $tarball ($(du -h "$tarball" | cut -f1)): cgtrace and $(echo "$libraries" | wc -w) libraries"
else
  echo "build-image: $tarball ($(du -h "$tarball" | cut -f1)): cgtrace, a static executable"
fi
