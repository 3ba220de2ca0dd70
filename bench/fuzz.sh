#!/usr/bin/env bash
# The long fuzz run of the decoder and the strace formatter (CI runs a short one in
# Tests/DecodingTests/FuzzTests.swift): COUNT random and mutated records, default 10 million.
#   bench/fuzz.sh [COUNT] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product cgtrace-fuzz >/dev/null
.build/release/cgtrace-fuzz "${1:-10000000}" "${2:-1}"
