#!/usr/bin/env bash
# The whole test suite (run as root: the kernel tests load real BPF programs):
#   1. unit tests of decoding and formatting (no kernel needed),
#   2. kernel tests: cgtrace traces real commands, checked line by line against strace,
#   3. the differential suite: a corpus of everyday programs under strace and cgtrace.
# The release build (linked statically: Package.swift) is what the install and image tests install.
set -euo pipefail
cd "$(dirname "$0")/.."
# The generated syscall tables are what their scripts make of the committed kernel data.
scripts/gen-syscall-table.py --check --from-data
scripts/gen-syscall-table.py --check --arch arm64
swift build
swift build -c release
CGTRACE_STATIC_BINARY=$(swift build -c release --show-bin-path)/cgtrace swift test
python3 scripts/differential.py --cgtrace .build/debug/cgtrace --bar "${DIFF_BAR:-97}"
