#!/usr/bin/env python3
"""Generate Sources/Syscalls/SyscallTable+<arch>.swift from kernel data.

Inputs
  scripts/data/syscall_64.tbl        the kernel's arch/x86/entry/syscalls/syscall_64.tbl
                                     (numbers, names, entry points; x32 rows are skipped),
                                     as of Linux 6.19 (git blob 8a4ac4841be6, up to listns 470)
  tracefs sys_enter_*/format         argument C types and names, as the running kernel
                                     declares them (SYSCALL_DEFINE)
  scripts/data/syscall-args-x86_64.tsv
                                     what was last read from tracefs: one line per event,
                                     the SYSCALL_DEFINE name, then "type<TAB>name" per argument.
                                     Rewritten on every run that reads tracefs; read instead of
                                     tracefs with --from-data, or when tracefs is not there.
  OVERRIDES (below)                  signatures of syscalls the running kernel has no
                                     tracepoint for (compiled out, or newer than the kernel)
  --arch arm64                       scripts/data/syscall-arm64.tbl (written by
                                     gen-arm64-tbl.py from the generic unistd.h) with the same
                                     argument declarations (SYSCALL_DEFINEs are shared), except
                                     ARCH_OVERRIDES["arm64"], which win over tracefs (its data
                                     comes from an x86_64 kernel)

A tbl row maps to its tracepoint through its entry-point column: row "stat" has entry
point sys_newstat, whose tracepoint is sys_enter_newstat.

Every common/64 row must end up with a known argument list; a row with no tracepoint and no
override is an error. Rows the kernel does not implement (no entry point, or sys_ni_syscall)
get an empty argument list and are listed in the generated file's header.

Usage: scripts/gen-syscall-table.py [--arch x86_64|arm64] [--from-data] [--tracefs DIR] [--tbl FILE]
                                    [--tsv FILE] [--out FILE] [--check]
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TBL = os.path.join(ROOT, "scripts", "data", "syscall_64.tbl")
DEFAULT_TSV = os.path.join(ROOT, "scripts", "data", "syscall-args-x86_64.tsv")
DEFAULT_OUT = os.path.join(ROOT, "Sources", "Syscalls", "SyscallTable+x86_64.swift")
TRACEFS_CANDIDATES = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]

# Signatures for entry points that have no sys_enter_* tracepoint on the kernel the data was
# read from. Keyed by SYSCALL_DEFINE name (the entry point without "sys_"); each argument is
# "C type<TAB>name", written the way tracefs prints it (no __user). Fact source: the kernel's
# SYSCALL_DEFINEn(...) for each.
OVERRIDES = {
    # kernel/module/main.c (CONFIG_MODULES)
    "init_module": ["void *\tumod", "unsigned long\tlen", "const char *\tuargs"],
    "delete_module": ["const char *\tname_user", "unsigned int\tflags"],
    "finit_module": ["int\tfd", "const char *\tuargs", "int\tflags"],
    # kernel/kexec.c, kernel/kexec_file.c (CONFIG_KEXEC, CONFIG_KEXEC_FILE)
    "kexec_load": ["unsigned long\tentry", "unsigned long\tnr_segments",
                   "struct kexec_segment *\tsegments", "unsigned long\tflags"],
    "kexec_file_load": ["int\tkernel_fd", "int\tinitrd_fd", "unsigned long\tcmdline_len",
                        "const char *\tcmdline_ptr", "unsigned long\tflags"],
    # arch/x86/kernel/shstk.c (CONFIG_X86_USER_SHADOW_STACK)
    "map_shadow_stack": ["unsigned long\taddr", "unsigned long\tsize", "unsigned int\tflags"],
    # kernel/nstree.c (Linux 6.19)
    "listns": ["const struct ns_id_req *\treq", "u64 *\tns_ids", "size_t\tnr_ns_ids",
               "unsigned int\tflags"],
}

# Per-architecture signatures that differ from the x86_64 tracefs data.
ARCH_OVERRIDES = {
    "x86_64": {},
    "arm64": {
        # CONFIG_CLONE_BACKWARDS (kernel/fork.c): tls comes before child_tidptr.
        "clone": ["unsigned long\tclone_flags", "unsigned long\tnewsp", "int *\tparent_tidptr",
                  "unsigned long\ttls", "int *\tchild_tidptr"],
        # mm/fadvise.c (x86_64 enters through fadvise64, which has the tracepoint there)
        "fadvise64_64": ["int\tfd", "loff_t\toffset", "loff_t\tlen", "int\tadvice"],
    },
}

ARCH_FILES = {
    "x86_64": ("syscall_64.tbl", "SyscallTable+x86_64.swift"),
    "arm64": ("syscall-arm64.tbl", "SyscallTable+arm64.swift"),
}

NOT_IMPLEMENTED_ENTRY = "sys_ni_syscall"

# Syscalls per generated function (see render()).
CHUNK = 25


def fail(msg):
    sys.exit(f"gen-syscall-table: error: {msg}")


def warn(msg):
    print(f"gen-syscall-table: warning: {msg}", file=sys.stderr)


def read_tbl(path):
    """[(number, name, entry point or None)] for the common and 64 ABI rows."""
    rows = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) < 3 or not fields[0].isdigit():
                fail(f"{path}:{lineno}: unexpected line {line!r}")
            number, abi, name = int(fields[0]), fields[1], fields[2]
            entry = fields[3] if len(fields) > 3 else None
            if abi == "x32":
                continue
            if abi not in ("common", "64"):
                fail(f"{path}:{lineno}: unknown ABI {abi!r}")
            rows.append((number, name, entry))
    numbers = [r[0] for r in rows]
    names = [r[1] for r in rows]
    if len(set(numbers)) != len(numbers):
        fail(f"{path}: duplicate syscall numbers")
    if len(set(names)) != len(names):
        fail(f"{path}: duplicate syscall names")
    return sorted(rows)


FIELD_RE = re.compile(r"^\s*field:(.*);\s*offset:")


def parse_format(text, event):
    """Argument (type, name) pairs from one sys_enter_* format file."""
    args = []
    seen_nr = False
    for line in text.splitlines():
        m = FIELD_RE.match(line)
        if not m:
            continue
        decl = m.group(1).strip()
        if decl.endswith("__syscall_nr"):
            seen_nr = True
            continue
        if not seen_nr:
            continue  # common_* header fields
        # "const char * filename", "unsigned long len", "const char *const * argv"
        dm = re.match(r"^(.*?)\s*([A-Za-z_][A-Za-z0-9_]*)$", decl)
        if not dm or "[" in decl:
            fail(f"{event}: cannot parse field declaration {decl!r}")
        ctype = re.sub(r"\s+", " ", dm.group(1)).strip()
        args.append((ctype, dm.group(2)))
    if not seen_nr:
        fail(f"{event}: no __syscall_nr field; is this a syscall tracepoint?")
    return args


def find_tracefs(explicit):
    candidates = [explicit] if explicit else TRACEFS_CANDIDATES
    for base in candidates:
        d = os.path.join(base, "events", "syscalls")
        if os.path.isdir(d) and os.access(d, os.R_OK | os.X_OK):
            return d
    if explicit:
        fail(f"{explicit}: no readable events/syscalls directory")
    return None


def read_tracefs(events_dir):
    sigs = {}
    for ev in sorted(os.listdir(events_dir)):
        if not ev.startswith("sys_enter_"):
            continue
        path = os.path.join(events_dir, ev, "format")
        try:
            with open(path) as f:
                text = f.read()
        except OSError as e:
            fail(f"{path}: {e}")
        sigs[ev[len("sys_enter_"):]] = parse_format(text, ev)
    if not sigs:
        fail(f"{events_dir}: no sys_enter_* events")
    return sigs


def write_tsv(path, sigs, source):
    with open(path, "w") as f:
        f.write(f"# syscall argument declarations read from {source}/sys_enter_*/format\n")
        f.write("# kernel: " + os.uname().release + "\n")
        f.write("# SYSCALL_DEFINE name, then C type<TAB>argument name per argument\n")
        for name in sorted(sigs):
            f.write("\t".join([name] + [x for a in sigs[name] for x in a]) + "\n")


def read_tsv(path):
    sigs = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) % 2 != 1:
                fail(f"{path}:{lineno}: odd number of type/name fields")
            it = iter(fields[1:])
            sigs[fields[0]] = list(zip(it, it))
    return sigs


def parse_override(name, decls):
    out = []
    for d in decls:
        parts = d.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            fail(f"override {name}: bad argument {d!r} (want 'type<TAB>name')")
        out.append((parts[0], parts[1]))
    return out


def swift_string(s):
    if any(c in s for c in '"\\\n'):
        fail(f"unexpected character in {s!r}")
    return f'"{s}"'


def build_table(rows, sigs, arch_overrides=None):
    arch_overrides = arch_overrides or {}
    table = []
    used_overrides = []
    not_implemented = []
    for number, name, entry in rows:
        if entry is None or entry == NOT_IMPLEMENTED_ENTRY:
            not_implemented.append(name)
            table.append((number, name, [], None))
            continue
        if not entry.startswith("sys_"):
            fail(f"{name}: unexpected entry point {entry!r}")
        define = entry[len("sys_"):]
        if define in arch_overrides:
            table.append((number, name, parse_override(define, arch_overrides[define]), define))
            continue
        traced = sigs.get(define)
        override = parse_override(define, OVERRIDES[define]) if define in OVERRIDES else None
        if traced is not None:
            if override is not None and override != traced:
                warn(f"{name}: override for {define} differs from tracefs; using tracefs "
                     f"({traced} vs {override})")
            args = traced
        elif override is not None:
            used_overrides.append(name)
            args = override
        else:
            fail(f"syscall {number} {name}: no tracepoint sys_enter_{define} and no override; "
                 f"add its SYSCALL_DEFINE signature to OVERRIDES")
        if len(args) > 6:
            fail(f"{name}: {len(args)} arguments")
        table.append((number, name, args, define))
    stale = sorted(set(OVERRIDES) - {e[len("sys_"):] for _, _, e in rows if e})
    for s in stale:
        warn(f"override {s} matches no tbl entry point")
    return table, used_overrides, not_implemented


def comment_list(title, names, width=100):
    lines, line = [], "// " + title
    for i, n in enumerate(names):
        word = n + ("." if i == len(names) - 1 else ",")
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "//  "
        line += " " + word
    lines.append(line)
    return "\n".join(lines) + "\n"


def render(table, used_overrides, not_implemented, arch="x86_64", tbl_name="syscall_64.tbl"):
    out = []
    out.append(f"// SyscallTable+{arch}.swift — generated by scripts/gen-syscall-table.py — do not edit.\n")
    out.append("//\n")
    out.append(f"// Numbers and names: scripts/data/{tbl_name} (common and 64 ABI rows).\n")
    out.append("// Argument types and names: tracefs events/syscalls/sys_enter_*/format,\n")
    out.append("// as saved in scripts/data/syscall-args-x86_64.tsv.\n")
    if used_overrides:
        out.append(comment_list("From the script's override table (no tracepoint):",
                                used_overrides))
    if not_implemented:
        out.append(comment_list("Not implemented by the kernel (no arguments):",
                                not_implemented))
    # One literal of ~400 SyscallInfo values type-checks in seconds and takes the optimizer
    # tens of seconds (it inlines every SyscallArg/ArgKind init). Small chunks, each in a
    # function the optimizer leaves alone, keep the file at well under a second either way;
    # the table is built once, at first use.
    chunks = [table[i:i + CHUNK] for i in range(0, len(table), CHUNK)]
    out.append("\nextension SyscallTable {\n")
    # The tracepoint (SYSCALL_DEFINE) names that differ from the syscall's: a running kernel's
    # tracefs describes `stat` as sys_enter_newstat.
    renamed = [(name, define) for _, name, _, define in table if define and define != name]
    out.append(f"    static let {arch}EventNames: [String: String] = [\n")
    for name, define in renamed:
        out.append(f"        {swift_string(name)}: {swift_string(define)},\n")
    out.append("    ]\n\n")
    out.append(f"    static let {arch}Syscalls: [SyscallInfo] = {{\n")
    out.append("        var table: [SyscallInfo] = []\n")
    out.append(f"        table.reserveCapacity({len(table)})\n")
    for i in range(len(chunks)):
        out.append(f"        table.append(contentsOf: {arch}Syscalls{i}())\n")
    out.append("        return table\n")
    out.append("    }()\n")
    for i, chunk in enumerate(chunks):
        out.append("\n    @_optimize(none)\n")
        out.append(f"    private static func {arch}Syscalls{i}() -> [SyscallInfo] {{\n")
        out.append("        return [\n")
        for number, name, args, _ in chunk:
            inner = ", ".join(
                f"SyscallArg(name: {swift_string(n)}, type: {swift_string(t)})" for t, n in args)
            out.append(f"            SyscallInfo(number: {number}, name: {swift_string(name)}, "
                       f"args: [{inner}]),\n")
        out.append("        ]\n")
        out.append("    }\n")
    out.append("}\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=sorted(ARCH_FILES), default="x86_64")
    ap.add_argument("--from-data", action="store_true",
                    help="read argument declarations from the TSV, not tracefs")
    ap.add_argument("--tracefs", help="tracefs mount point (default: look in the usual places)")
    ap.add_argument("--tbl")
    ap.add_argument("--tsv", default=DEFAULT_TSV)
    ap.add_argument("--out")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the output file is out of date")
    opts = ap.parse_args()
    tbl_name, out_name = ARCH_FILES[opts.arch]
    opts.tbl = opts.tbl or os.path.join(ROOT, "scripts", "data", tbl_name)
    opts.out = opts.out or os.path.join(ROOT, "Sources", "Syscalls", out_name)
    if opts.arch != "x86_64" and not opts.from_data:
        opts.from_data = True  # argument data for other architectures never comes from this kernel

    rows = read_tbl(opts.tbl)

    events_dir = None if opts.from_data else find_tracefs(opts.tracefs)
    if events_dir is not None:
        sigs = read_tracefs(events_dir)
        if not opts.check:
            write_tsv(opts.tsv, sigs, events_dir)
    else:
        if not opts.from_data:
            warn("no tracefs found; using " + os.path.relpath(opts.tsv, ROOT))
        if not os.path.exists(opts.tsv):
            fail(f"{opts.tsv}: not found (run once with tracefs mounted)")
        sigs = read_tsv(opts.tsv)

    table, used_overrides, not_implemented = build_table(rows, sigs, ARCH_OVERRIDES[opts.arch])
    text = render(table, used_overrides, not_implemented, opts.arch, tbl_name)

    if opts.check:
        try:
            with open(opts.out) as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print(f"{os.path.relpath(opts.out, ROOT)} is out of date", file=sys.stderr)
            sys.exit(1)
        return
    with open(opts.out, "w") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(opts.out, ROOT)}: {len(table)} syscalls, "
          f"{len(used_overrides)} from overrides ({', '.join(used_overrides) or '-'}), "
          f"{len(not_implemented)} not implemented", file=sys.stderr)


if __name__ == "__main__":
    main()
