#!/usr/bin/env bash
# Install what cgtrace needs to build, run and test on Debian 12 (run as root). Idempotent.
#   build:  libbpf-dev libelf-dev zlib1g-dev (libbpf and what it links), libdw-dev (stacks, -k),
#           libbz2-dev liblzma-dev (what libdw's static archive needs in the static release build)
#   tests:  strace (the oracle the output is compared with), git/sqlite3/perl (the corpus)
#   bench:  linux-perf (perf trace, measured beside cgtrace), bpftool (inspecting programs),
#           bpftrace (the floor: a program that only counts the cgroup's sys_enter/sys_exit)
#   containers (Tests/KernelTests/ContainerTests): podman + runc, docker.io (+ containerd, whose
#           `ctr` it brings), busybox-static for a tiny image built here: no registry is needed.
set -euo pipefail
packages=(libbpf-dev libelf-dev libdw-dev zlib1g-dev libbz2-dev liblzma-dev strace bpftool bpftrace linux-perf git sqlite3 perl jq curl openssl python3
          podman runc docker.io containerd busybox-static)
missing=()
# The completion tests run the generated scripts in each shell.
packages+=(bash-completion zsh fish)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  # docker.io's and containerd's services are not started here (no systemd on test VMs):
  # the container tests start a dockerd of their own and stop it.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: dependencies installed"

# The test image: a root file system holding only busybox-static and its applet links, imported
# as localhost/cgtrace-bb:1 (podman). Docker's copy is imported by the tests into their own
# daemon's data root, from the same tarball.
image_dir=/var/tmp/cgtrace-image
tarball=$image_dir/busybox-rootfs.tar
if [ ! -s "$tarball" ] || [ /bin/busybox -nt "$tarball" ]; then
  rm -rf "$image_dir/rootfs"
  mkdir -p "$image_dir/rootfs/bin" "$image_dir/rootfs/tmp" "$image_dir/rootfs/proc" "$image_dir/rootfs/sys" \
           "$image_dir/rootfs/dev" "$image_dir/rootfs/etc"
  cp /bin/busybox "$image_dir/rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$image_dir/rootfs/bin/$applet" ] || ln -s busybox "$image_dir/rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/:/bin/sh' > "$image_dir/rootfs/etc/passwd"
  echo 'root:x:0:' > "$image_dir/rootfs/etc/group"
  tar -C "$image_dir/rootfs" -cf "$tarball.new" . && mv "$tarball.new" "$tarball"
  podman image rm -f localhost/cgtrace-bb:1 >/dev/null 2>&1 || true
fi
if ! podman image exists localhost/cgtrace-bb:1 2>/dev/null; then
  podman import --change 'CMD ["/bin/sh"]' "$tarball" localhost/cgtrace-bb:1 >/dev/null
fi
echo "setup: test image localhost/cgtrace-bb:1 ($tarball)"
