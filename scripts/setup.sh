#!/usr/bin/env bash
# Install what cgtrace needs to build, run and test on Debian 12 (run as root).
#   build:  libbpf-dev libelf-dev zlib1g-dev (libbpf and what it links), libdw-dev (stacks, -k)
#   tests:  strace (the oracle the output is compared with), git/sqlite3/perl (the corpus)
#   bench:  linux-perf (perf trace, measured beside cgtrace), bpftool (inspecting programs)
set -euo pipefail
packages=(libbpf-dev libelf-dev libdw-dev zlib1g-dev strace bpftool linux-perf git sqlite3 perl jq curl openssl python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "setup: dependencies installed"
