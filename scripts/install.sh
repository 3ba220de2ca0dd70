#!/usr/bin/env bash
# Install cgtrace under PREFIX (default /usr/local), as root:
#   PREFIX/bin/cgtrace                                   the release build, a static executable (see
#                                                        Package.swift): it loads no shared library, so
#                                                        it can be copied to any x86-64 Linux host
#   PREFIX/share/man/man1/cgtrace.1
#   PREFIX/share/doc/cgtrace/cgtrace-json.schema.json    the --json schema
#   PREFIX/share/bash-completion/completions/cgtrace     completions, written by the installed binary
#   PREFIX/share/zsh/site-functions/_cgtrace             (cgtrace --completions SHELL) from its option
#   PREFIX/share/fish/vendor_completions.d/cgtrace.fish  table
#
#   scripts/install.sh [PREFIX]
#   CGTRACE_BINARY=FILE scripts/install.sh PREFIX    install FILE instead of building
#   DESTDIR=DIR scripts/install.sh /usr/local        install under DIR/usr/local (for a package or
#                                                    an image: scripts/build-image.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
  echo "usage: scripts/install.sh [PREFIX]   (default /usr/local; env CGTRACE_BINARY, DESTDIR)" >&2
  exit 2
fi
prefix=${1:-/usr/local}
case $prefix in /*) ;; *) echo "install: PREFIX must be an absolute path: '$prefix'" >&2; exit 2 ;; esac
root=${DESTDIR:-}$prefix

if [ -n "${CGTRACE_BINARY:-}" ]; then
  binary=$CGTRACE_BINARY
  [ -x "$binary" ] || { echo "install: CGTRACE_BINARY '$binary' is not an executable file" >&2; exit 1; }
else
  swift build -c release
  binary=$(swift build -c release --show-bin-path)/cgtrace
fi
if ldd "$binary" 2>/dev/null | grep -q 'libswift'; then
  echo "install: note: $binary loads the Swift runtime from the toolchain (a debug build?);" \
       "it will not run where the toolchain is not installed" >&2
fi

install -d "$root/bin" "$root/share/man/man1" "$root/share/doc/cgtrace" \
  "$root/share/bash-completion/completions" "$root/share/zsh/site-functions" \
  "$root/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$root/bin/cgtrace"
install -m 0644 man/cgtrace.1 "$root/share/man/man1/cgtrace.1"
install -m 0644 man/cgtrace-json.schema.json "$root/share/doc/cgtrace/cgtrace-json.schema.json"
"$root/bin/cgtrace" --completions bash > "$root/share/bash-completion/completions/cgtrace"
"$root/bin/cgtrace" --completions zsh > "$root/share/zsh/site-functions/_cgtrace"
"$root/bin/cgtrace" --completions fish > "$root/share/fish/vendor_completions.d/cgtrace.fish"
echo "install: cgtrace installed in $root (bin, man page, schema, bash/zsh/fish completions)"
