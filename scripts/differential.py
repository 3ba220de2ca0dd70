#!/usr/bin/env python3
"""Differential suite: strace (the oracle) vs cgtrace, on a corpus of real programs.

Usage (as root, from anywhere; builds nothing -- run `swift build` first):

    scripts/differential.py                       # all cases, report to stdout
    scripts/differential.py --case pipeline       # one case (repeatable)
    scripts/differential.py --list                # list the cases
    scripts/differential.py --json out.json       # also write the figures as JSON
    scripts/differential.py --show 50             # show 50 difference shapes (default 30)
    scripts/differential.py --bar 99              # exit 1 if overall share < 99% (default 97)
    scripts/differential.py --cgtrace .build/release/cgtrace
    scripts/differential.py --keep                # keep the scratch dir (raw traces) and say where
    scripts/differential.py --options "-X verbose" # the same option added to every case (a lone one: --options=-yy)

Each case runs twice, with the same fixed environment (env -i PATH=/usr/bin:/bin
HOME=<scratch>/home LANG=C), the same cwd (<scratch>/work, recreated and
re-populated identically with fixed mtimes before each run), stdin=/dev/null and
stdout/stderr to fresh empty files:

    strace -f -o A -- CMD         and         cgtrace -o B -- CMD

Both traces are normalized identically:
  * pid prefixes (`N ` from strace -f -o, `[pid N] ` from cgtrace; unprefixed
    lines belong to the traced command's first task) become `[P1] `, `[P2] `...,
    numbered by first appearance; the same pids inside lines (returns of
    clone/fork/getpid/wait4..., args of kill/wait4/tgkill..., si_pid=/nl_pid=/pid=,
    /proc/N) get the same labels;
  * `<unfinished ...>` / `<... NAME resumed>` pairs are rejoined per task;
    tool chatter (`strace: Process N attached`...) is dropped;
  * hex `0x[0-9a-f]{6,}` -> ADDR, `/* N vars */`, times (tv_sec/tv_nsec/tv_usec,
    si_utime/si_stime, HH:MM:SS), statfs's free counts, getrandom bytes, the scratch dir -> $TMP, and
    the padding before ` = ` (strace pads to column 40 counting its pid prefix).
Lines are then matched as multisets per case (order-insensitive), keyed by
task label + line; a second, looser figure ignores the task label.

Report: overall share of strace lines reproduced exactly (matched / strace
lines), per case, per syscall (strace count vs matched), the most frequent
difference shapes (each strace line paired with the closest unmatched cgtrace
line of the same syscall in the same case), and strace-vs-itself agreement on a
few cases as a calibration of the normalization (what ~100% looks like).
"""

import argparse
import collections
import difflib
import gzip
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXED_MTIME = 1700000000

# --------------------------------------------------------------------------- corpus


def _put(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


TEXT = b"".join(b"line %04d of a small text file for cgtrace\n" % i for i in range(200))


def setup_file(w, env):
    _put(os.path.join(w, "f.txt"), TEXT)


def setup_dirs(w, env):
    os.makedirs(os.path.join(w, "a", "b", "c"))


def setup_tree(w, env):
    for i in range(4):
        _put(os.path.join(w, "d", "file%d.txt" % i), TEXT[: 500 * (i + 1)])
    os.makedirs(os.path.join(w, "d", "sub"))
    _put(os.path.join(w, "d", "sub", "x"), b"x\n")


def _tgz_bytes():
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        def add(name, data=None):
            ti = tarfile.TarInfo(name)
            ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = FIXED_MTIME, 0, 0, "root", "root"
            if data is None:
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                tf.addfile(ti)
            else:
                ti.size, ti.mode = len(data), 0o644
                tf.addfile(ti, io.BytesIO(data))
        add("d")
        for i in range(4):
            add("d/file%d.txt" % i, TEXT[: 500 * (i + 1)])
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=FIXED_MTIME) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def setup_tgz(w, env):
    _put(os.path.join(w, "d.tgz"), _tgz_bytes())


def setup_gz(w, env):
    out = io.BytesIO()
    with gzip.GzipFile(filename="f.txt", fileobj=out, mode="wb", mtime=FIXED_MTIME) as gz:
        gz.write(TEXT)
    _put(os.path.join(w, "f.txt.gz"), out.getvalue())


def setup_git(w, env):
    subprocess.run(["git", "init", "-q", "repo"], cwd=w, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _put(os.path.join(w, "repo", "README"), b"hello\n")


# A loopback TCP exchange, both ends traced: python3's http.server answers exactly one request
# from curl, which it starts once it listens (so nothing depends on timing).
HTTP_ONE = ("import http.server as h, subprocess\n"
            "s = h.HTTPServer(('127.0.0.1', 0), h.SimpleHTTPRequestHandler)\n"
            "p = subprocess.Popen(['curl', '-s', '-o', 'out.txt', 'http://127.0.0.1:%d/f.txt' % s.server_port])\n"
            "s.handle_request(); p.wait()")

# Signals: a handled one, an ignored-by-default one (SIGCHLD, SIGWINCH), a blocked one
# delivered at unblock, and a child killed by a signal.
PY_SIGNALS_IGNORED = ("import os, signal, time\n"
              "signal.signal(signal.SIGUSR1, lambda *a: None)\n"
              "os.kill(os.getpid(), signal.SIGUSR1)\n"
              "os.kill(os.getpid(), signal.SIGWINCH)\n"
              "signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])\n"
              "os.kill(os.getpid(), signal.SIGUSR1)\n"
              "signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])\n"
              "pid = os.fork()\n"
              "if pid == 0:\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n"
              "os.waitpid(pid, 0)")

# Threads: workers doing file I/O, one after the other (a pool racing for work would make the
# futex traffic depend on scheduling, and strace's stops change the scheduling).
PY_THREADS = ("import threading\n"
              "def work():\n"
              "    with open('/etc/hostname') as f: f.read()\n"
              "for i in range(4):\n"
              "    t = threading.Thread(target=work); t.start(); t.join()")

PY_THREAD = ("import threading\n"
             "t = threading.Thread(target=lambda: print(2))\n"
             "t.start(); t.join(); print(1)")

PY_TCP = (
    "import os, socket\n"
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1); port = s.getsockname()[1]\n"
    "if os.fork() == 0:\n"
    "    c = socket.create_connection(('127.0.0.1', port)); c.sendall(b'ping'); c.recv(4); c.close(); os._exit(0)\n"
    "a, _ = s.accept(); a.recv(4); a.sendall(b'pong'); a.close(); os.wait()\n"
)
PY_SIGNALS = (
    "import os, signal, time\n"
    "signal.signal(signal.SIGUSR1, lambda *a: None)\n"
    "os.kill(os.getpid(), signal.SIGUSR1)\n"
    "signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2]); signal.signal(signal.SIGUSR2, lambda *a: None)\n"
    "os.kill(os.getpid(), signal.SIGUSR2); signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])\n"
    "if os.fork() == 0: os._exit(3)\n"
    "os.wait()\n"
)

# A parent that starts a few short children one after the other and reaps them (subprocess's
# fork/exec/wait path, and the SIGCHLD each exit sends it).
PY_SUBPROCESS = ("import subprocess\n"
                 "for args in (['true'], ['echo', 'x'], ['sh', '-c', 'exit 2']):\n"
                 "    subprocess.run(args, stdout=subprocess.DEVNULL)")

# name -> (argv, setup or None, required binary or None[, options given to both tracers])
CASES = collections.OrderedDict([
    ("cat-hostname",  (["cat", "/etc/hostname"], None, None)),
    ("cat-enoent",    (["cat", "/nonexistent"], None, None)),
    ("ls-la-etc",     (["ls", "-la", "/etc"], None, None)),
    ("ls-usr-bin",    (["ls", "/usr/bin"], None, None)),
    ("head-c",        (["head", "-c", "100", "/etc/services"], None, None)),
    ("wc-l",          (["wc", "-l", "/etc/services"], None, None)),
    ("sort-passwd",   (["sort", "/etc/passwd"], None, None)),
    ("cp",            (["cp", "f.txt", "g.txt"], setup_file, None)),
    ("mv",            (["mv", "f.txt", "g.txt"], setup_file, None)),
    ("rm",            (["rm", "f.txt"], setup_file, None)),
    ("mkdir-p",       (["mkdir", "-p", "a/b/c"], None, None)),
    ("rmdir",         (["rmdir", "-p", "a/b/c"], setup_dirs, None)),
    ("date",          (["date"], None, None)),
    ("uname-a",       (["uname", "-a"], None, None)),
    ("id",            (["id"], None, None)),
    ("env",           (["env"], None, None)),
    ("pipeline",      (["sh", "-c", "cat /etc/passwd | grep root | wc -l"], None, None)),
    ("sh-exit3",      (["sh", "-c", "exit 3"], None, None)),
    ("python-print",  (["python3", "-c", "print(1)"], None, "python3")),
    ("python-thread", (["python3", "-c", PY_THREAD], None, "python3")),
    ("perl",          (["perl", "-e", "print 1"], None, "perl")),
    ("git-version",   (["git", "--version"], None, "git")),
    ("git-init",      (["git", "init", "-q", "repo"], None, "git")),
    ("git-status",    (["git", "-C", "repo", "status"], setup_git, "git")),
    ("tar-czf",       (["tar", "czf", "d.tgz", "d"], setup_tree, "tar")),
    ("tar-xzf",       (["tar", "xzf", "d.tgz"], setup_tgz, "tar")),
    ("gzip",          (["gzip", "f.txt"], setup_file, "gzip")),
    ("gunzip",        (["gunzip", "f.txt.gz"], setup_gz, "gzip")),
    ("sqlite3",       (["sqlite3", "t.db", "create table t(x); insert into t values(1); select x from t;"],
                       None, "sqlite3")),
    ("openssl",       (["openssl", "version"], None, "openssl")),
    ("sleep",         (["sleep", "0.1"], None, None)),
    ("kill-self",     (["sh", "-c", "kill -TERM $$"], None, None)),
    # A loopback TCP exchange: a server and a forked client on 127.0.0.1, both traced.
    ("tcp-loopback",  (["python3", "-c", PY_TCP], None, "python3")),
    # Signals: a handled one, a blocked-then-delivered one, and one from a child.
    ("signals",       (["python3", "-c", PY_SIGNALS], None, "python3")),
    ("sh-trap",       (["sh", "-c", "trap 'echo caught' USR1; kill -USR1 $$; echo done"], None, None)),
    ("http-loopback", (["python3", "-c", HTTP_ONE], setup_file, "curl")),
    ("signals-ignored", (["python3", "-c", PY_SIGNALS_IGNORED], None, "python3")),
    ("threads-io",    (["python3", "-c", PY_THREADS], None, "python3")),
    ("openssl-dgst",  (["openssl", "dgst", "-sha256", "f.txt"], setup_file, "openssl")),
    ("sqlite3-file",  (["sqlite3", "t.db", "create table t(x); insert into t values(1),(2); select sum(x) from t;"],
                       None, "sqlite3")),
    # statfs/fstatfs, POSIX timers, a directory walk, a fan-out through xargs
    ("df",            (["df", "/"], None, None)),
    ("stat-f",        (["stat", "-f", "/"], None, None)),
    ("du",            (["du", "-s", "d"], setup_tree, None)),
    ("find",          (["find", "d", "-name", "*.txt"], setup_tree, None)),
    ("timeout",       (["timeout", "5", "true"], None, None)),
    ("xargs",         (["sh", "-c", "echo a b c | xargs -n1 echo"], None, None)),
    # util-linux tools: mknodat, scheduling policy/affinity, I/O priority, namespaces, capabilities
    # and securebits, xattr lists, and a pty whose termios is read and set
    ("mkfifo",        (["mkfifo", "-m", "600", "ff"], None, None)),
    ("chrt",          (["chrt", "-o", "0", "true"], None, "chrt")),
    ("taskset",       (["taskset", "-c", "0", "true"], None, "taskset")),
    ("ionice",        (["ionice", "-c", "3", "true"], None, "ionice")),
    ("unshare-U",     (["unshare", "-U", "true"], None, "unshare")),
    ("setpriv",       (["setpriv", "--no-new-privs", "--inh-caps=-all", "true"], None, "setpriv")),
    ("cp-a",          (["cp", "-a", "d", "e"], setup_tree, None)),
    ("script-stty",   (["script", "-q", "-c", "stty sane", "/dev/null"], None, "script")),
    # -y / -yy: descriptors with what they refer to
    ("cat-y",         (["cat", "/etc/hostname"], None, None, ["-y"])),
    ("pipeline-y",    (["sh", "-c", "cat /etc/passwd | grep root | wc -l"], None, None, ["-y"])),
    ("ls-y",          (["ls", "-la", "/etc"], None, None, ["-y"])),
    ("tar-czf-yy",    (["tar", "czf", "d.tgz", "d"], setup_tree, "tar", ["-yy"])),
    ("http-yy",       (["python3", "-c", HTTP_ONE], setup_file, "curl", ["-yy"])),
    ("python-yy",     (["python3", "-c", "import socket; a, b = socket.socketpair(); a.send(b'x'); print(b.recv(1))"],
                       None, "python3", ["-yy"])),
    # netlink users (iproute2): rtnetlink dumps and sock_diag
    ("ip-addr",       (["ip", "-o", "addr", "show", "lo"], None, "ip")),
    ("ip-route",      (["ip", "route"], None, "ip")),
    ("ss-tan",        (["ss", "-tan"], None, "ss")),
    ("ip-link",       (["ip", "link"], None, "ip")),
    ("ip-neigh",      (["ip", "neigh"], None, "ip")),
    ("ip-rule",       (["ip", "rule"], None, "ip")),
    ("ip-6-route",    (["ip", "-6", "route"], None, "ip")),
    ("ip-netconf",    (["ip", "netconf"], None, "ip")),
    ("ss-xa",         (["ss", "-xa"], None, "ss")),
    ("ss-uan",        (["ss", "-uan"], None, "ss")),
    ("ss-0",          (["ss", "-0", "-a"], None, "ss")),
    ("tc-qdisc",      (["/usr/sbin/tc", "qdisc", "show"], None, "/usr/sbin/tc")),
    ("iptables-L",    (["/usr/sbin/iptables", "-L", "-n"], None, "/usr/sbin/iptables")),
    ("ip-addr-X",     (["ip", "-o", "addr", "show", "lo"], None, "ip", ["-X", "verbose"])),
    ("ip-route-v",    (["ip", "route"], None, "ip", ["-v"])),
    # shells and interpreters that start children close together (SIGCHLD deliveries)
    ("bash-pipeline", (["bash", "-c", "echo a | tr a b | cat; ls d | sort | head -n 2 | wc -l"], setup_tree, "bash")),
    ("python-subprocess", (["python3", "-c", PY_SUBPROCESS], None, "python3")),
    # option variants
    ("pipeline-X",    (["sh", "-c", "cat /etc/passwd | grep root | wc -l"], None, None, ["-X", "verbose"])),
    ("signals-X",     (["python3", "-c", PY_SIGNALS], None, "python3", ["-X", "verbose"])),
    ("tcp-X",         (["python3", "-c", PY_TCP], None, "python3", ["-X", "verbose"])),
    ("ls-X-raw",      (["ls", "-la", "/etc"], None, None, ["-X", "raw"])),
    ("pipeline-yy",   (["sh", "-c", "cat /etc/passwd | grep root | wc -l"], None, None, ["-yy"])),
    ("tcp-yy",        (["python3", "-c", PY_TCP], None, "python3", ["-yy"])),
    ("git-status-file", (["git", "-C", "repo", "status"], setup_git, "git", ["-e", "trace=%file"])),
    ("tar-file",      (["tar", "czf", "d.tgz", "d"], setup_tree, "tar", ["-e", "trace=%file,%desc"])),
    ("pipeline-Y",    (["sh", "-c", "cat /etc/passwd | grep root | wc -l"], None, None, ["-Y"])),
    ("signals-Y",     (["python3", "-c", PY_SIGNALS], None, "python3", ["-Y"])),
])

DEFAULT_SELF = "all"

# --------------------------------------------------------------------------- running


class Scratch:
    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="cgdiff.", dir="/tmp")
        self.work = os.path.join(self.base, "work")
        self.home = os.path.join(self.base, "home")
        self.out = os.path.join(self.base, "out")
        os.makedirs(self.out)
        self.env = {"PATH": "/usr/bin:/bin", "HOME": self.home, "LANG": "C"}

    def fresh(self, setup):
        for d in (self.work, self.home):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
        if setup:
            setup(self.work, self.env)
        for d in (self.work, self.home):
            for root, dirs, files in os.walk(d):
                for n in dirs + files:
                    os.utime(os.path.join(root, n), (FIXED_MTIME, FIXED_MTIME), follow_symlinks=False)
            os.utime(d, (FIXED_MTIME, FIXED_MTIME))


def run_traced(tool_argv, scratch, tag, timeout):
    """Run one traced command; returns (returncode or None on timeout, seconds)."""
    so = open(os.path.join(scratch.out, tag + ".stdout"), "wb")
    se = open(os.path.join(scratch.out, tag + ".stderr"), "wb")
    t0 = time.monotonic()
    p = subprocess.Popen(tool_argv, cwd=scratch.work, env=scratch.env, stdin=subprocess.DEVNULL,
                         stdout=so, stderr=se, start_new_session=True)
    try:
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        rc = None
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                break
            try:
                p.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                pass
    so.close()
    se.close()
    return rc, time.monotonic() - t0


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""

# --------------------------------------------------------------------------- normalizing

# -Y puts the command name in the prefix (`1234<sh> `, `[pid  1234<sh>] `): it is dropped with the
# prefix (cgtrace leaves a lone task's lines unprefixed where strace -f -o prefixes them all, so
# only the names inside lines -- pid arguments, results, si_pid -- are compared).
PREFIX_RE = re.compile(r"^(?:\[pid\s+(\d+)(?:<[^>]*>)?\]|(\d+)(?:<[^>]*>)?)\s+(.*)$")
TOOL_MSG_RE = re.compile(r"^(strace|cgtrace): ")
EMBEDDED_MSG_RE = re.compile(r"(strace|cgtrace): Process \d+ (attached|detached)\s*$")
NEW_REC_RE = re.compile(r"^(\[pid\s+\d+\]|\d+ |[A-Za-z_][A-Za-z0-9_]*\(|<\.\.\. |\+\+\+ |--- |\s*<unfinished)")
UNFIN = " <unfinished ...>"
RESUMED_RE = re.compile(r"^<\.\.\. ([A-Za-z0-9_]+) resumed>(.*)$")
CALL_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\(")
RET_RE = re.compile(r"\) +(= [^\"]*)$")
INT_RE = re.compile(r"(?<![0-9A-Za-z_.])(\d+)(?![0-9A-Za-z_])")

PID_RET = {"clone", "clone3", "fork", "vfork", "getpid", "gettid", "getppid", "set_tid_address",
           "wait4", "waitpid", "getpgrp", "getpgid", "getsid", "setsid", "rt_sigreturn"}
PID_ARG = {"wait4", "waitpid", "waitid", "kill", "tkill", "tgkill", "getpgid", "setpgid", "getsid",
           "prlimit64", "sched_setaffinity", "sched_getaffinity", "sched_getparam",
           "sched_setscheduler", "sched_getscheduler", "sched_setattr", "sched_getattr",
           "pidfd_open", "process_vm_readv", "process_vm_writev", "ptrace", "rt_sigqueueinfo",
           "rt_tgsigqueueinfo", "get_robust_list", "getpriority", "setpriority", "ioctl",
           "clone", "clone3", "ioprio_get", "ioprio_set", "migrate_pages", "move_pages"}

STATIC_SUBS = [
    (re.compile(r"0x[0-9a-f]{6,}"), "ADDR"),
    (re.compile(r"htons\((?:[1-9]\d{3,4})\)"), "htons(PORT)"),  # ephemeral ports differ per run
    (re.compile(r"\b[0-9a-f]{8,}-[0-9a-f]{8,}\b"), "ADDR-ADDR"),  # /proc/*/maps contents
    (re.compile(r'(/\.git/)t[A-Za-z0-9]{6}"'), r'\1tXXXXXX"'),  # git's mkstemp probe file
    (re.compile(r"/\* \d+ vars \*/"), "/* N vars */"),
    # -y shows the run's own stdout/stderr files, named after the tool
    (re.compile(r"(/out/[\w.-]+?)\.(?:strace2?|cgtrace)\.(stdout|stderr)"), r"\1.TOOL.\2"),
    (re.compile(r"\b(tv_sec|tv_nsec|tv_usec|si_utime|si_stime|tms_utime|tms_stime|tms_cutime|tms_cstime|uptime)=\d+"),
     r"\1=T"),
    (re.compile(r"\b\d\d:\d\d:\d\d\b"), "HH:MM:SS"),
    (re.compile(r'^getrandom\("(?:[^"\\]|\\.)*"'), 'getrandom("RANDOM"'),
    # the kernel picks ephemeral ports: in addresses and in -yy socket endpoints
    (re.compile(r"htons\((%s)\)" % r"\d{4,5}"), lambda m: "htons(%s)" % _port(m.group(1))),
    (re.compile(r"((?:\d+\.){3}\d+|\])\:(\d{4,5})(?=[\]-])"), lambda m: m.group(1) + ":" + _port(m.group(2))),
    (re.compile(r"(127\.0\.0\.1:)(\d{4,5})(?=/)"), lambda m: m.group(1) + _port(m.group(2))),
    # -X raw/verbose print ports as their bytes (`sin_port="\xaf\xad" /* htons(PORT) */`)
    (re.compile(r'(sin6?_port=)"(?:\\x[0-9a-f]{2}){2}"(?= /\* htons\(PORT\))'), r'\1"PORT"'),
    # netlink: sequence numbers are the time of day, port ids are the kernel's choice per socket
    (re.compile(r"\b(nlmsg_seq)=\d+"), r"\1=T"),
    (re.compile(r"\b(nlmsg_pid|nl_pid)=-?[1-9]\d*"), r"\1=NLPID"),
    (re.compile(r"(NETLINK:\[[A-Z_0-9]+:)\d+\]"), r"\1NLPID]"),
    # netlink: live counters and clocks (link statistics, neighbour ages, TCP timers, queues)
    (re.compile(r"\b((?:rx|tx)_[a-z_]+|multicast|collisions|ndm_confirmed|ndm_used|ndm_updated|idiag_expires|"
                r"idiag_rqueue|idiag_wqueue|udiag_rqueue|udiag_wqueue|tstamp|reachable_time)=\d+"), r"\1=T"),
    # statfs's live counters (other processes write to the same filesystem)
    (re.compile(r"\b(f_bfree|f_bavail|f_ffree)=\d+"), r"\1=T"),
    # sysinfo's live counters
    (re.compile(r"\b(loads=\[[^\]]*\]|(?:freeram|sharedram|bufferram|procs|freeswap|freehigh)=\d+)"),
     lambda m: m.group(1).split("=")[0] + "=T"),
]
def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = f.read().split()
            return int(lo), int(hi)
    except (OSError, ValueError):
        return 32768, 60999


EPHEMERAL = _ephemeral_range()


def _port(text):
    return "PORT" if EPHEMERAL[0] <= int(text) <= EPHEMERAL[1] else text


# -y: inode numbers of pipes and sockets (`pipe:[123]`, `UNIX-STREAM:[12->13]`) differ per run;
# they become I1, I2… by first appearance within a trace, so that peers still pair up.
INODE_RE = re.compile(r"(?<=:\[)\d+(?=\]|->|,)|(?<=\d->)\d+(?=[\],])")

RANDOM_DEV_RE = re.compile(r'^open(?:at)?\((?:[^,]*, )?"/dev/u?random",.*\) = (\d+)(?:<[^>]*>)?$')
READ_FD_RE = re.compile(r'^read\((\d+)(<[^>]*>)?, "(?:[^"\\]|\\.)*"')


def syscall_of(body):
    m = CALL_RE.match(body)
    if m:
        return m.group(1)
    m = RESUMED_RE.match(body)
    if m:
        return m.group(1)
    if body.startswith("+++ exited"):
        return "+++ exited"
    if body.startswith("+++ killed"):
        return "+++ killed"
    if body.startswith("+++"):
        return "+++"
    m = re.match(r"^--- (SIG[A-Z0-9]+|\S+)", body)
    if m:
        return "--- " + m.group(1)
    return "?"


def split_records(text):
    """Raw trace text -> (list of [pid, body] with unfinished/resumed rejoined, dropped, root pid).

    Also undoes strace's splitting of a line by its own messages (stderr mode):
    `clone(...SIGCHLDstrace: Process 598 attached` + `, child_tidptr=...) = 598` is
    rejoined, and a lone ` <unfinished ...>` line re-attaches to the line it ends."""
    logical, dropped, cont = [], 0, False
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if cont and logical and not NEW_REC_RE.match(line) and line.strip() != UNFIN.strip():
            logical[-1] += line
            cont = False
            continue
        cont = False
        if TOOL_MSG_RE.match(line):
            dropped += 1
            continue
        m = EMBEDDED_MSG_RE.search(line)
        if m:
            line, cont = line[: m.start()], True
            dropped += 1
        logical.append(line)
    parsed = []
    for line in logical:
        m = PREFIX_RE.match(line)
        parsed.append((int(m.group(1) or m.group(2)), m.group(3)) if m else (None, line))
    root = find_root_pid(parsed)
    recs, pending = [], {}
    for pid, body in parsed:
        if body.strip() == UNFIN.strip():
            # a lone "<unfinished ...>": it ends the last line of that task (or the last line)
            idx = None
            for i in range(len(recs) - 1, -1, -1):
                if pid is None or recs[i][0] == pid:
                    idx = i
                    break
            if idx is not None and not recs[idx][1].endswith(UNFIN):
                recs[idx][1] += UNFIN
                pending[recs[idx][0]] = idx
            continue
        if pid is None:
            pid = root  # unprefixed lines belong to the traced command's first task
        m = RESUMED_RE.match(body)
        if m and pid in pending:
            idx = pending.pop(pid)
            head = recs[idx][1][: -len(UNFIN)]
            if syscall_of(head) == m.group(1):
                recs[idx][1] = head + m.group(2)
                continue
        if body.endswith(UNFIN):
            pending[pid] = len(recs)
        recs.append([pid, body])
    return recs, dropped, root


def find_root_pid(recs):
    """Numeric pid of the unprefixed (first) task, if the trace leaves it unprefixed."""
    for pid, body in recs:
        if pid is None:
            name = syscall_of(body)
            if name in ("set_tid_address", "getpid", "gettid"):
                m = re.search(r"= (\d+)$", body)
                if m:
                    return int(m.group(1))
    pids = [p for p, _ in recs if p is not None]
    return min(pids) if pids else None


def normalize(text, scratch_base):
    """Trace text -> (list of (label, body, syscall), dropped-count)."""
    recs, dropped, root = split_records(text)
    known = {p for p, _ in recs if p is not None}
    if root is not None:
        known.add(root)
    for _, body in recs:
        name = syscall_of(body)
        if name in ("clone", "clone3", "fork", "vfork", "getpid", "gettid", "getppid", "set_tid_address"):
            m = re.search(r"= (\d+)$", body)
            if m:
                known.add(int(m.group(1)))
    labels = {}

    def label(pid):
        if pid not in labels:
            labels[pid] = "P%d" % (len(labels) + 1)
        return labels[pid]

    def sub_known(s):
        return INT_RE.sub(lambda m: label(int(m.group(1))) if int(m.group(1)) in known else m.group(1), s)

    inodes = {}

    def inode_label(m):
        return inodes.setdefault(m.group(0), "I%d" % (len(inodes) + 1))

    out, random_fds = [], set()
    for pid, body in recs:
        if pid is None:
            pid = root if root is not None else -1
        lab = label(pid)
        b = body.replace(scratch_base, "$TMP")
        for rx, rep in STATIC_SUBS:
            b = rx.sub(rep, b)
        b = INODE_RE.sub(inode_label, b)
        name = syscall_of(b)
        m = RANDOM_DEV_RE.match(b)
        if m:
            random_fds.add(int(m.group(1)))
        elif name == "close":
            random_fds.discard(int((re.match(r"close\((\d+)", b) or [0, -1])[1]))
        m = READ_FD_RE.match(b)
        if m and int(m.group(1)) in random_fds:
            b = 'read(%s%s, "RANDOM"' % (m.group(1), m.group(2) or "") + b[m.end():]
        b = re.sub(r"\b(si_pid|nl_pid|pid|sigev_notify_thread_id)=(\d+)",
                   lambda m: m.group(1) + "=" + sub_known(m.group(2)), b)
        b = re.sub(r"/proc/(\d+)\b", lambda m: "/proc/" + sub_known(m.group(1)), b)
        if name in PID_ARG or name in PID_RET:
            m = RET_RE.search(b) or re.search(r"(= [^\"]*)$", b)
            if m:
                args, ret = b[: m.start(1)], b[m.start(1):]
            else:
                args, ret = b, ""
            if name in PID_ARG:
                args = sub_known(args)
            if name in PID_RET:
                ret = sub_known(ret)
            b = args + ret
        b = RET_RE.sub(lambda m: ") " + m.group(1), b)
        b = re.sub(r"^(<\.\.\. [A-Za-z0-9_]+ resumed>) +(= )", r"\1\2", b)
        out.append((lab, b, name))
    return out, dropped

# --------------------------------------------------------------------------- matching

TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"(?:\.\.\.)?|0x[0-9a-f]+|-?\d+|[A-Za-z_$][A-Za-z_0-9]*|\S')


def key(rec, with_label=True):
    return ("[%s] %s" % (rec[0], rec[1])) if with_label else rec[1]


def abstract_tok(t):
    if t.startswith('"'):
        return '"S"' + ("..." if t.endswith('"...') else "")
    if re.fullmatch(r"-?\d+", t):
        return "N"
    if re.fullmatch(r"0x[0-9a-f]+", t):
        return "0xH"
    if re.fullmatch(r"P\d+", t):
        return "Pn"
    return t


def shape_of(s, c):
    """Abstract description of how strace line s differs from cgtrace line c."""
    a, b = TOKEN_RE.findall(s), TOKEN_RE.findall(c)
    chunks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        chunks.append("%s -> %s" % (" ".join(abstract_tok(t) for t in a[i1:i2])[:60] or "''",
                                    " ".join(abstract_tok(t) for t in b[j1:j2])[:60] or "''"))
        if len(chunks) == 3:
            break
    return "; ".join(chunks)


def pair_up(ss, cs, budget=40000):
    """Pair strace lines with their most similar cgtrace lines, best pairs first.
    Yields (strace index or None, cgtrace index or None)."""
    if not ss or not cs:
        for i in range(len(ss)):
            yield i, None
        for j in range(len(cs)):
            yield None, j
        return
    scored = []
    if len(ss) * len(cs) <= budget:
        sm = difflib.SequenceMatcher(None, autojunk=False)
        for i, s in enumerate(ss):
            sm.set_seq2(s)
            for j, c in enumerate(cs):
                sm.set_seq1(c)
                scored.append((-sm.ratio(), i, j))
    else:  # too many: cheap similarity (common prefix + suffix length)
        for i, s in enumerate(ss):
            for j, c in enumerate(cs[:400]):
                scored.append((-len(os.path.commonprefix([s, c])) - len(os.path.commonprefix([s[::-1], c[::-1]])), i, j))
    scored.sort()
    used_s, used_c = set(), set()
    for _, i, j in scored:
        if i in used_s or j in used_c:
            continue
        used_s.add(i)
        used_c.add(j)
        yield i, j
    for i in range(len(ss)):
        if i not in used_s:
            yield i, None
    for j in range(len(cs)):
        if j not in used_c:
            yield None, j


def compare(srecs, crecs, case):
    """Multiset match; returns figures and difference pairs."""
    sc = collections.Counter(key(r) for r in srecs)
    cc = collections.Counter(key(r) for r in crecs)
    matched = sum((sc & cc).values())
    sb = collections.Counter(key(r, False) for r in srecs)
    cb = collections.Counter(key(r, False) for r in crecs)
    matched_body = sum((sb & cb).values())
    per_sys = collections.defaultdict(lambda: [0, 0, 0])  # strace, cgtrace, matched
    name_of = {}
    for r in srecs:
        per_sys[r[2]][0] += 1
        name_of[key(r)] = r[2]
    for r in crecs:
        per_sys[r[2]][1] += 1
        name_of[key(r)] = r[2]
    for k, n in (sc & cc).items():
        per_sys[name_of[k]][2] += n
    # unmatched, grouped by syscall
    s_left, c_left = sc - cc, cc - sc
    by_s, by_c = collections.defaultdict(list), collections.defaultdict(list)
    for k, n in s_left.items():
        by_s[name_of[k]].extend([k] * n)
    for k, n in c_left.items():
        by_c[name_of[k]].extend([k] * n)
    pairs = []  # (syscall, strace line or None, cgtrace line or None)
    for name in sorted(set(by_s) | set(by_c)):
        ss, cs = by_s.get(name, []), by_c.get(name, [])
        for s_i, c_i in pair_up(ss, cs):
            pairs.append((name, ss[s_i] if s_i is not None else None, cs[c_i] if c_i is not None else None))
    return {"strace": len(srecs), "cgtrace": len(crecs), "matched": matched,
            "matched_ignoring_task": matched_body, "per_syscall": per_sys, "pairs": pairs}


def window(s, c, width):
    """Trim two long lines to a window around their first difference."""
    if len(s) <= width and len(c) <= width:
        return s, c
    i = 0
    while i < min(len(s), len(c)) and s[i] == c[i]:
        i += 1
    start = max(0, min(i - width // 3, max(len(s), len(c)) - width))

    def cut(x):
        y = x[start:start + width]
        return ("…" if start > 0 else "") + y + ("…" if start + width < len(x) else "")
    return cut(s), cut(c)

# --------------------------------------------------------------------------- main


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def find_cgtrace(arg):
    if arg:
        return os.path.abspath(arg)
    for rel in (".build/debug/cgtrace", ".build/release/cgtrace"):
        for base in (os.getcwd(), REPO):
            p = os.path.join(base, rel)
            if os.access(p, os.X_OK):
                return os.path.abspath(p)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--cgtrace", help="cgtrace binary (default .build/debug/cgtrace, else .build/release/cgtrace)")
    ap.add_argument("--strace", default="strace", help="strace binary (default: strace)")
    ap.add_argument("--case", action="append", help="run only this case (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--bar", type=float, default=97.0, help="exit 1 if the overall share is below PCT (default 97)")
    ap.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    ap.add_argument("--show", type=int, default=30, metavar="N",
                    help="show the N most frequent difference shapes (default 30); with --case, also "
                         "N unmatched line pairs per case")
    ap.add_argument("--self", dest="self_cases", default=DEFAULT_SELF, metavar="CASES",
                    help="comma-separated cases for strace-vs-strace calibration, 'all' (default), "
                         "or '' to skip; strace runs are cheap")
    ap.add_argument("--timeout", type=float, default=60.0, help="per-run timeout in seconds (default 60)")
    ap.add_argument("--width", type=int, default=170, help="max width of example lines (default 170)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory with the raw traces")
    ap.add_argument("--options", default="", metavar="OPTS",
                    help="options given to both tracers in every case, e.g. '-X verbose' or '-yy'")
    args = ap.parse_args()

    if args.list:
        for n, (argv, setup, need, *opts) in CASES.items():
            print("%-14s %s%s" % (n, "".join(o + " " for o in (opts[0] if opts else [])), " ".join(argv)))
        return 0
    cg = find_cgtrace(args.cgtrace)
    if not cg or not os.access(cg, os.X_OK):
        print("differential: no cgtrace binary (build with `swift build`, or pass --cgtrace)", file=sys.stderr)
        return 2
    if not shutil.which(args.strace):
        print("differential: strace not found", file=sys.stderr)
        return 2
    names = args.case or list(CASES)
    for n in names:
        if n not in CASES:
            print("differential: unknown case %r (see --list)" % n, file=sys.stderr)
            return 2
    self_names = list(CASES) if args.self_cases == "all" else [n for n in args.self_cases.split(",") if n]
    if args.case:
        self_names = [n for n in self_names if n in names]

    scratch = Scratch()
    t_start = time.monotonic()
    results, skipped, selfres = collections.OrderedDict(), [], collections.OrderedDict()
    try:
        for name in names:
            argv, setup, need, *rest = CASES[name]
            opts = (rest[0] if rest else []) + args.options.split()
            if need and not shutil.which(need, path=scratch.env["PATH"]):
                skipped.append((name, "%s not installed" % need))
                continue
            traces, rcs, secs = {}, {}, {}
            runs = [("strace", [args.strace, "-f"] + opts + ["-o", None, "--"] + argv),
                    ("cgtrace", [cg] + opts + ["-o", None, "--"] + argv)]
            if name in self_names:
                runs.append(("strace2", [args.strace, "-f"] + opts + ["-o", None, "--"] + argv))
            for tag, cmd in runs:
                path = os.path.join(scratch.out, "%s.%s.trace" % (name, tag))
                cmd = [path if x is None else x for x in cmd]
                scratch.fresh(setup)
                rcs[tag], secs[tag] = run_traced(cmd, scratch, "%s.%s" % (name, tag), args.timeout)
                traces[tag] = read_text(path)
            norm = {t: normalize(traces[t], scratch.base) for t in traces}
            r = compare(norm["strace"][0], norm["cgtrace"][0], name)
            r.update(rc_strace=rcs["strace"], rc_cgtrace=rcs["cgtrace"],
                     secs=round(secs["strace"] + secs["cgtrace"], 2),
                     dropped=norm["strace"][1] + norm["cgtrace"][1],
                     cg_stderr=read_text(os.path.join(scratch.out, name + ".cgtrace.stderr"))[-300:])
            results[name] = r
            if "strace2" in norm:
                s2 = compare(norm["strace"][0], norm["strace2"][0], name)
                selfres[name] = s2
            sys.stderr.write("  %-14s %5.1f%%  (%d/%d)  %.1fs\n" % (
                name, pct(r["matched"], r["strace"]), r["matched"], r["strace"], r["secs"]))
    finally:
        if args.keep:
            print("scratch kept in %s" % scratch.base)
        else:
            shutil.rmtree(scratch.base, ignore_errors=True)

    # ---------------------------------------------------------------- report
    tot_s = sum(r["strace"] for r in results.values())
    tot_c = sum(r["cgtrace"] for r in results.values())
    tot_m = sum(r["matched"] for r in results.values())
    tot_mb = sum(r["matched_ignoring_task"] for r in results.values())
    overall = pct(tot_m, tot_s)
    W = args.width
    print("cgtrace differential: %s vs %s  (%d cases, %.0fs)" % (
        cg, subprocess.run([args.strace, "-V"], capture_output=True, text=True).stdout.split("\n")[0],
        len(results), time.monotonic() - t_start))
    print()
    print("OVERALL  %.1f%% of strace lines reproduced exactly (%d/%d); cgtrace printed %d lines" % (
        overall, tot_m, tot_s, tot_c))
    print("         %.1f%% ignoring which task a line is attributed to" % pct(tot_mb, tot_s))
    st_s = sum(r["strace"] for r in selfres.values())
    st_m = sum(r["matched"] for r in selfres.values())
    if selfres:
        imperfect = ["%s %.1f%%" % (n, pct(x["matched"], x["strace"]))
                     for n, x in selfres.items() if x["matched"] < x["strace"]]
        print("SELF     strace vs strace: %.1f%% (%d/%d) over %d cases  [calibration: the normalization's ceiling]"
              % (pct(st_m, st_s), st_m, st_s, len(selfres)))
        if imperfect:
            print("         below 100%%: %s" % ", ".join(imperfect))
    for n, why in skipped:
        print("SKIPPED  %s: %s" % (n, why))
    print()
    print("%-14s %7s %7s %7s %7s %7s %7s  %s" % ("case", "strace", "cgtrace", "matched", "share", "notask",
                                                  "self", "exit s/c"))
    for n, r in results.items():
        note = ""
        if r["rc_strace"] != r["rc_cgtrace"]:
            note = "  EXIT DIFFERS"
        if r["rc_cgtrace"] is None or r["rc_strace"] is None:
            note += "  TIMEOUT"
        sf = ("%6.1f%%" % pct(selfres[n]["matched"], selfres[n]["strace"])) if n in selfres else "      -"
        print("%-14s %7d %7d %7d %6.1f%% %6.1f%% %s  %s/%s%s" % (
            n, r["strace"], r["cgtrace"], r["matched"], pct(r["matched"], r["strace"]),
            pct(r["matched_ignoring_task"], r["strace"]), sf, r["rc_strace"], r["rc_cgtrace"], note))
    # per syscall
    agg = collections.defaultdict(lambda: [0, 0, 0])
    for r in results.values():
        for k, v in r["per_syscall"].items():
            for i in range(3):
                agg[k][i] += v[i]
    print()
    print("per syscall (strace count, cgtrace count, matched), by strace lines missed:")
    rows = sorted(agg.items(), key=lambda kv: (-(kv[1][0] - kv[1][2]), -kv[1][0], kv[0]))
    cells = ["%-18s %5d %5d %5d %5.0f%%" % (k[:18], v[0], v[1], v[2], pct(v[2], v[0])) for k, v in rows]
    for i in range(0, len(cells), 2):
        print("  " + "   ".join(cells[i:i + 2]))
    # shapes
    shapes = collections.OrderedDict()
    for n, r in results.items():
        for name, s, c in r["pairs"]:
            if s is None:
                k = (name, "EXTRA in cgtrace (no strace line left for this syscall)")
            elif c is None:
                k = (name, "MISSING in cgtrace (no cgtrace line left for this syscall)")
            else:
                k = (name, shape_of(s, c))
            e = shapes.setdefault(k, {"count": 0, "cases": collections.Counter(), "example": (s, c, n)})
            e["count"] += 1
            e["cases"][n] += 1
    top = sorted(shapes.items(), key=lambda kv: -kv[1]["count"])[: args.show]
    print()
    print("top %d difference shapes (count, syscall, how the strace line differs -> the closest cgtrace line):"
          % len(top))
    for i, ((name, sh), e) in enumerate(top, 1):
        s, c, case = e["example"]
        cs = ", ".join("%s×%d" % kv for kv in e["cases"].most_common(4))
        print("%2d. %4d× %-16s %s   [%s%s]" % (i, e["count"], name, sh, cs, "…" if len(e["cases"]) > 4 else ""))
        ws, wc = window(s or "(none)", c or "(none)", W)
        print("      strace : %s" % ws)
        print("      cgtrace: %s" % wc)
    if args.case:
        for n, r in results.items():
            print()
            print("unmatched pairs in %s (first %d):" % (n, args.show))
            for name, s, c in r["pairs"][: args.show]:
                print("  - %s" % (s or "(none)"))
                print("  + %s" % (c or "(none)"))
            if r["cg_stderr"].strip():
                print("  stderr tail of the cgtrace run (command + cgtrace): %r" % r["cg_stderr"])
    if args.json:
        doc = {
            "cgtrace": cg, "overall": {"strace": tot_s, "cgtrace": tot_c, "matched": tot_m,
                                       "share": round(overall, 2),
                                       "share_ignoring_task": round(pct(tot_mb, tot_s), 2)},
            "self_agreement": {"strace": st_s, "matched": st_m, "share": round(pct(st_m, st_s), 2),
                               "cases": {n: {"strace": x["strace"], "strace2": x["cgtrace"],
                                             "matched": x["matched"]} for n, x in selfres.items()}},
            "skipped": dict(skipped),
            "cases": {n: dict({k: r[k] for k in ("strace", "cgtrace", "matched", "matched_ignoring_task",
                                                  "rc_strace", "rc_cgtrace", "secs")},
                              share=round(pct(r["matched"], r["strace"]), 2),
                              self_share=(round(pct(selfres[n]["matched"], selfres[n]["strace"]), 2)
                                          if n in selfres else None))
                      for n, r in results.items()},
            "per_syscall": {k: {"strace": v[0], "cgtrace": v[1], "matched": v[2]} for k, v in agg.items()},
            "shapes": [{"syscall": name, "shape": sh, "count": e["count"], "cases": dict(e["cases"]),
                        "strace": e["example"][0], "cgtrace": e["example"][1]} for (name, sh), e in top],
            "bar": args.bar,
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
    if overall < args.bar:
        print("\nFAIL: overall %.1f%% is below the bar of %.1f%%" % (overall, args.bar))
        return 1
    print("\nPASS: overall %.1f%% >= bar %.1f%%" % (overall, args.bar))
    return 0


if __name__ == "__main__":
    sys.exit(main())
