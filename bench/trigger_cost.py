#!/usr/bin/env python3
"""Cost of flight-recorder triggers on the dd storm (issue #18's target: ≤ 1.1× recording
without). Records a cgroup with and without `--trigger`, runs
`dd if=/dev/zero of=/dev/null bs=1 count=N` inside it, interleaving the two, and prints the
median wall time of each and their ratio. The triggers never fire (dd succeeds): this is what
an armed recording costs every call. Usage: bench/trigger_cost.py [CGTRACE] [RUNS] [COUNT]"""
import os, resource, statistics, subprocess, sys, time

cgtrace = sys.argv[1] if len(sys.argv) > 1 else ".build/release/cgtrace"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
count = int(sys.argv[3]) if len(sys.argv) > 3 else 400000
TRIGGERS = ["--trigger", "signal=SIGSEGV,SIGABRT,SIGBUS exit=nonzero errno=ENOSPC,EIO,ENOMEM oom"]


def cgroup2_mount():
    for line in open("/proc/self/mountinfo"):
        f = line.split()
        if f[f.index("-") + 1] == "cgroup2":
            return f[4]
    raise SystemExit("no cgroup v2 mount")


def once(extra):
    cg = os.path.join(cgroup2_mount(), f"cgtrace-trigbench-{os.getpid()}")
    os.makedirs(cg, exist_ok=True)
    name = f"trigbench{os.getpid()}"
    subprocess.run([cgtrace, "record", name, "--cgroup", cg] + extra, check=True)
    try:
        start, before = time.monotonic(), cpu_of_children()
        subprocess.run(["sh", "-c", f"echo $$ > {cg}/cgroup.procs && exec dd if=/dev/zero of=/dev/null bs=1 count={count} status=none"],
                       check=True)
        wall, cpu = time.monotonic() - start, cpu_of_children() - before
        return wall, bpf_ns_per_run(name), cpu
    finally:
        subprocess.run([cgtrace, "stop", name], check=True)
        os.rmdir(cg)


def bpf_ns_per_run(name):
    """The sys_enter and sys_exit programs' mean run time (kernel.bpf_stats_enabled), in ns."""
    import json
    total_ns = total_runs = 0
    d = f"/sys/fs/bpf/cgtrace/{name}"
    for link in os.listdir(d):
        if not (link.endswith("sys_enter") or link.endswith("sys_exit")):
            continue
        info = json.loads(subprocess.run(["bpftool", "-j", "link", "show", "pinned", f"{d}/{link}"],
                                         capture_output=True, text=True, check=True).stdout)
        prog = json.loads(subprocess.run(["bpftool", "-j", "prog", "show", "id", str(info["prog_id"])],
                                         capture_output=True, text=True, check=True).stdout)
        total_ns += prog.get("run_time_ns", 0)
        total_runs += prog.get("run_cnt", 0)
    return total_ns / total_runs if total_runs else float("nan")


def cpu_of_children():
    """User + system CPU seconds of the waited-for children: dd's own, BPF included (the
    programs run in its syscalls), and far less disturbed than wall time by other load."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def untraced():
    start = time.monotonic()
    subprocess.run(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={count}", "status=none"], check=True)
    return time.monotonic() - start


# Per-program run time, as the kernel measures it: far steadier than wall time on a busy host.
stats = subprocess.run(["sysctl", "-n", "kernel.bpf_stats_enabled"], capture_output=True, text=True).stdout.strip()
subprocess.run(["sysctl", "-q", "kernel.bpf_stats_enabled=1"], check=True)
plain, triggered, bare = [], [], []
try:
    for _ in range(runs):
        bare.append(untraced())
        plain.append(once([]))
        triggered.append(once(TRIGGERS))
finally:
    subprocess.run(["sysctl", "-q", f"kernel.bpf_stats_enabled={stats or 0}"])
med = lambda xs, i: statistics.median(x[i] for x in xs)
p, t, b = med(plain, 0), med(triggered, 0), statistics.median(bare)
pn, tn = med(plain, 1), med(triggered, 1)
pc, tc = med(plain, 2), med(triggered, 2)
print(f"dd bs=1 count={count}, medians of {runs}, interleaved: untraced {b:.3f}s, recording {p:.3f}s, "
      f"recording with triggers {t:.3f}s; wall ratio {t / p:.3f}")
print(f"dd's CPU time: recording {pc:.3f}s, with triggers {tc:.3f}s; ratio {tc / pc:.3f}")
print(f"BPF per sys_enter/sys_exit run: recording {pn:.0f} ns, with triggers {tn:.0f} ns; ratio {tn / pn:.3f}")
