#!/usr/bin/env python3
"""Where cgtrace's syscall probes spend their time, by source line.

perf here cannot annotate BPF (no libopcodes) and bpftool cannot disassemble JIT code (no
libbfd), but the kernel keeps, per loaded program, the JIT address of each BPF line-info entry
(bpf_prog_info.jited_line_info) and where each of its images (the main program and its global
functions) starts and how long it is (jited_ksyms, jited_func_lens). This script samples a
command with perf while cgtrace traces it, then, while the programs are still loaded, maps each
sample inside an image to the last line-info entry at or below it in that image, and prints
each syscall program's hottest source lines. Samples land a little after the instruction that
cost them (skid): read a line together with the ones before it.

usage (root): python3 bench/probe_lines.py [--cgtrace BIN] [--top N] [-- COMMAND...]
The default command is `dd if=/dev/zero of=/dev/null bs=1 count=1000000`, traced with --drop.
"""
import argparse
import bisect
import collections
import ctypes
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

BPF_PROG_GET_FD_BY_ID = 13
BPF_OBJ_GET_INFO_BY_FD = 15
SYS_BPF = 321  # x86_64

libc = ctypes.CDLL(None, use_errno=True)


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    r = libc.syscall(SYS_BPF, cmd, buf, 128)
    if r < 0:
        raise OSError(ctypes.get_errno(), f"bpf command {cmd}")
    return r


def prog_info(prog_id):
    """The program's images [(start, length)] and its line-info entries' JIT addresses."""
    fd = bpf(BPF_PROG_GET_FD_BY_ID, struct.pack("I", prog_id))
    try:
        # struct bpf_prog_info (linux/bpf.h) offsets used here:
        # 104 nr_jited_ksyms, 108 nr_jited_func_lens, 112 jited_ksyms, 120 jited_func_lens,
        # 148 nr_line_info, 152 line_info, 160 jited_line_info, 168 nr_jited_line_info,
        # 172 line_info_rec_size, 176 jited_line_info_rec_size.
        def get(fields):
            info = ctypes.create_string_buffer(256)
            for fmt, off, val in fields:
                struct.pack_into(fmt, info, off, val)
            bpf(BPF_OBJ_GET_INFO_BY_FD, struct.pack("IIQ", fd, 256, ctypes.addressof(info)))
            return info
        first = get([])
        nksyms, nlens = struct.unpack_from("II", first, 104)
        nlines, = struct.unpack_from("I", first, 148)
        njited, lrec, jrec = struct.unpack_from("III", first, 168)
        ksyms = ctypes.create_string_buffer(8 * nksyms)
        lens = ctypes.create_string_buffer(4 * nlens)
        lines = ctypes.create_string_buffer(max(lrec, 16) * nlines)
        jited = ctypes.create_string_buffer(max(jrec, 8) * njited)
        get([("I", 104, nksyms), ("I", 108, nlens), ("Q", 112, ctypes.addressof(ksyms)),
             ("Q", 120, ctypes.addressof(lens)), ("I", 148, nlines), ("Q", 152, ctypes.addressof(lines)),
             ("Q", 160, ctypes.addressof(jited)), ("I", 168, njited), ("I", 172, lrec), ("I", 176, jrec)])
        images = [(struct.unpack_from("Q", ksyms, 8 * k)[0], struct.unpack_from("I", lens, 4 * k)[0])
                  for k in range(min(nksyms, nlens))]
        addresses = [struct.unpack_from("Q", jited, jrec * k)[0] for k in range(njited)]
        return images, addresses
    finally:
        os.close(fd)


def line_sources(prog_id):
    """Each line-info entry's source text, in order: bpftool prints one `;` comment per entry."""
    out = subprocess.run(["bpftool", "prog", "dump", "xlated", "id", str(prog_id), "linum"],
                         capture_output=True, text=True, check=True).stdout
    return [l.strip()[2:] for l in out.splitlines() if l.startswith(";")]


def program_ids(names):
    out = subprocess.run(["bpftool", "prog", "show"], capture_output=True, text=True, check=True).stdout
    ids = {}
    for l in out.splitlines():
        m = re.match(r"(\d+): \S+\s+name (\S+)", l)
        if m and m.group(2) in names:
            ids[m.group(2)] = int(m.group(1))  # the newest of a name wins
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cgtrace", default=".build/release/cgtrace")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--freq", type=int, default=20000, help="perf sampling frequency")
    ap.add_argument("command", nargs="*")
    args = ap.parse_args()
    command = args.command or ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1000000"]
    work = tempfile.mkdtemp(prefix="cgtrace-probe-lines-")
    data, done = os.path.join(work, "perf.data"), os.path.join(work, "done")
    # The sampled command runs inside the traced one; the trace stays loaded until `done` is
    # read here (the programs' line info is asked of the loaded programs).
    inner = (f"perf record -q -F {args.freq} -o {data} -- \"$@\" >/dev/null 2>&1; touch {done}; "
             f"while [ -e {done} ]; do sleep 0.2; done")
    tracer = subprocess.Popen([args.cgtrace, "--drop", "-o", "/dev/null", "--", "sh", "-c", inner, "sh", *command])
    try:
        while not os.path.exists(done):
            if tracer.poll() is not None:
                sys.exit("probe_lines: cgtrace ended before the command was sampled")
            time.sleep(0.2)
        ids = program_ids({"btf_sys_enter", "btf_sys_exit", "raw_sys_enter", "raw_sys_exit"})
        ips = []
        for l in subprocess.run(["perf", "script", "-i", data, "-F", "ip"], capture_output=True,
                                text=True).stdout.split():
            ips.append(int(l, 16))
        print(f"{len(ips)} samples of `{' '.join(command)}`")
        for name, prog_id in sorted(ids.items()):
            images, addresses = prog_info(prog_id)
            sources = line_sources(prog_id)
            if len(sources) != len(addresses):
                print(f"{name}: {len(addresses)} line-info entries but {len(sources)} source lines: skipped")
                continue
            order = sorted(range(len(addresses)), key=addresses.__getitem__)
            sorted_addresses = [addresses[k] for k in order]
            hits, total = collections.Counter(), 0
            for ip in ips:
                image = next((s for s, n in images if s <= ip < s + n), None)
                if image is None:
                    continue
                j = bisect.bisect_right(sorted_addresses, ip) - 1
                # (an entry below the image's start belongs to another image: the prologue)
                source = sources[order[j]] if j >= 0 and sorted_addresses[j] >= image else "(prologue)"
                hits[source] += 1
                total += 1
            print(f"\n{name} (id {prog_id}): {total} samples, {100 * total / max(len(ips), 1):.1f} % of all")
            for source, n in hits.most_common(args.top):
                print(f"  {100 * n / total:5.1f} %  {source[:140]}")
    finally:
        if os.path.exists(done):
            os.unlink(done)
        tracer.wait(timeout=30)
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
