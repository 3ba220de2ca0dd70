import Glibc
import Loader

/// What a session says on stderr at the end: losses, --stats, a reached --syscall-limit.
extension TraceSession {
    /// --syscall-limit reached (unless -q: strace files this message under `attach`).
    func reportLimit() {
        guard !options.format.quiet.contains(.attach), let n = options.syscallLimit else { return }
        errorOutput.write("cgtrace: syscall limit (\(n)) reached, detaching\n")
        errorOutput.flush()
    }

    /// Records the kernel could not send, captures it cut, records that did not decode.
    func report(probes: ProbeSession, malformed: Int) {
        let c = probes.counters()
        if c.lost > 0 { errorOutput.write("cgtrace: \(c.lost) events lost\n") }
        if c.truncated > 0 { errorOutput.write("cgtrace: \(c.truncated) captures cut at the record size limit\n") }
        if malformed > 0 { errorOutput.write("cgtrace: \(malformed) malformed records skipped\n") }
        errorOutput.flush()
    }

    /// `--stats`: machine-readable `cgtrace-stats: key=value` lines on stderr, for bench/.
    /// `directCalls`: calls the text or JSON printed straight from their records (the pairing
    /// stage's direct path).
    func reportStatistics(probes: ProbeSession, records: Int, directCalls: Int, backpressure: Backpressure?) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let c = probes.counters()
        var line = "cgtrace-stats: records=\(records) emitted=\(c.emitted) lost=\(c.lost)"
        line += " filtered=\(c.filtered) joined_calls=\(probes.joinedCalls) direct_calls=\(directCalls) consumer_cpu_s=\(cpu) peak_rss_kib=\(usage.ru_maxrss)"
        if let backpressure {
            line += " freezes=\(backpressure.freezes.all) watcher_freezes=\(backpressure.freezes.byWatcher)"
            line += " frozen_s=\(Double(backpressure.frozenNs) / 1e9)"
        }
        for p in probes.programStats() where p.runs > 0 {
            line += " \(p.name)_runs=\(p.runs) \(p.name)_ns=\(p.nanoseconds)"
        }
        errorOutput.write(line + "\n")
        errorOutput.flush()
    }
}
