#!/usr/bin/env python3
"""What each layer of a traced call costs: cut-down builds of the probes, timed on dd.

The probes are compiled four times with the toolchain's clang by probes/compile.sh, as the lean
object is embedded, with -DCGT_COST_STOP=N (probes/cgtrace.bpf.c; cgtrace's own builds never
set it): 1 the syscall hooks return at once, 2 they stop once the thread's state says which call is in
flight, 3 everything but the user-memory copies, and the whole probes. Each is loaded through
CGTRACE_BPF_OBJECT into a live, plain-text, lossless trace of
`dd if=/dev/zero of=/dev/null bs=1 count=N`, interleaved with untraced runs; what is timed is
dd's own time (its "copied, X s"), so start-up, the consumer's tail and teardown are left out.
Prints medians and each layer's nanoseconds per call (a dd block is two calls).

usage (root, after `swift build -c release`):
    python3 bench/probe_costs.py [--cgtrace BIN] [--rounds 11] [--count 200000]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYERS = [
    ("hooks", 1, "the raw syscall tracepoints, with programs that return at once (after a helper call or two)"),
    ("state", 2, "the cgroup check, the syscall's spec, the thread's state (the call in flight)"),
    ("record", 3, "the record: one ring sample per call, written at the exit with the entry it held"),
    ("copies", None, "the user-memory copies (dd's byte: the write's at entry, the read's at exit)"),
]


def toolchain_tool(name):
    swift = shutil.which("swift")
    if swift:
        candidate = os.path.join(os.path.dirname(os.path.realpath(swift)), name)
        if os.path.exists(candidate):
            return candidate
    found = shutil.which(name)
    if not found:
        sys.exit(f"probe_costs: no {name} (the Swift toolchain's) on PATH")
    return found


def compile_probes(out_dir, stop):
    """The lean object as probes/compile.sh builds the embedded one, cut at `stop` (None: whole)."""
    probes = os.path.join(ROOT, "probes")
    obj = os.path.join(out_dir, f"cgtrace-stop{stop or 0}.o")
    extra = ["-DCGT_LEAN"] + ([f"-DCGT_COST_STOP={stop}"] if stop else [])
    p = subprocess.run(["sh", os.path.join(probes, "compile.sh"), toolchain_tool("clang"), "-",
                        os.path.join(probes, "cgtrace.bpf.c"), obj] + extra, capture_output=True, text=True)
    if p.returncode != 0:
        first = (p.stderr.strip().splitlines() or ["(no message)"])[0]
        sys.exit(f"probe_costs: clang could not build the stop-{stop or 0} probes: {first}")
    return obj


def dd_seconds(argv, env):
    env["LC_ALL"] = "C"  # dd's "copied, X s"
    try:
        p = subprocess.run(argv, env=env, capture_output=True, text=True)
    except OSError as e:
        sys.exit(f"probe_costs: cannot run {argv[0]}: {e.strerror}")
    m = re.search(r"copied, ([0-9.e-]+) s", p.stderr)
    if p.returncode != 0 or not m:
        sys.exit(f"probe_costs: {' '.join(argv[:3])}… failed: {p.stderr.strip()[-300:]}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cgtrace", default=os.path.join(ROOT, ".build/release/cgtrace"))
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--count", type=int, default=200000)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("probe_costs: run as root (the probes load into the kernel)")
    if not os.access(args.cgtrace, os.X_OK):
        sys.exit(f"probe_costs: no cgtrace at {args.cgtrace} (swift build -c release, or --cgtrace BIN)")
    dd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={args.count}"]
    with tempfile.TemporaryDirectory(prefix="cgtrace-costs-") as tmp:
        objects = {name: compile_probes(tmp, stop) for name, stop, _ in LAYERS}
        trace = os.path.join(tmp, "trace.txt")
        runs = ["untraced"] + [name for name, _, _ in LAYERS]
        times = {name: [] for name in runs}
        for r in range(args.rounds):
            # Interleaved, the order reversed every other round: drift hits every variant alike.
            for name in (runs if r % 2 == 0 else runs[::-1]):
                env = dict(os.environ)
                if name == "untraced":
                    times[name].append(dd_seconds(dd, env))
                    continue
                env["CGTRACE_BPF_OBJECT"] = objects[name]
                times[name].append(dd_seconds([args.cgtrace, "-o", trace, "--"] + dd, env))
    calls = 2 * args.count
    base = statistics.median(times["untraced"])
    print(f"dd bs=1 count={args.count}, dd's own time, medians of {args.rounds} interleaved rounds")
    print(f"untraced: {base * 1e3:.1f} ms, {base / calls * 1e9:.0f} ns per call")
    print(f"{'layer':8} {'dd ms':>8} {'x untraced':>10} {'+ns/call':>9}  what it adds")
    previous = base
    for name, _, what in LAYERS:
        m = statistics.median(times[name])
        print(f"{name:8} {m * 1e3:8.1f} {m / base:10.2f} {(m - previous) / calls * 1e9:9.0f}  {what}")
        previous = m
    print(f"total: {(previous - base) / calls * 1e9:.0f} ns per call of tracing")


if __name__ == "__main__":
    main()
