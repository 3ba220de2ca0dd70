import Formatters
import Launch
import Symbolizer
import TraceFile

extension TraceSession {
    /// -k with --write: what the symbolizer reads from /proc goes into the file too.
    func saveLiveMappings(_ symbolizer: Symbolizer?, to saved: TraceFileWriter?) {
        guard let symbolizer, let saved else { return }
        symbolizer.onLiveMappings = { pid, files in
            saved.appendMappings(pid: pid, files.map { ($0.start, $0.fileOffset, $0.inode, $0.path) })
        }
    }

    /// --write FILE: the saved trace's writer, with the META a replay needs to print what this
    /// run prints (nil without --write).
    func openSaveFile(source: String, commandPid: UInt32, cgroupID: UInt64, clock: WallClock) throws(LaunchError) -> TraceFileWriter? {
        guard let path = options.savePath else { return nil }
        var meta = SavedTraceMeta.common()
        meta["source"] = source
        meta["command_pid"] = String(commandPid)
        meta["cgroup_id"] = String(cgroupID)
        meta["clock_offset_ns"] = String(clock.offsetNs)
        meta["string_limit"] = String(options.format.stringLimit)
        meta["fd_paths"] = String(options.fdPaths)
        meta["verbose"] = options.format.verbose ? "1" : "0"
        meta["stack_bytes"] = String(options.stackTrace ? options.stackBytes : 0)
        if let traced = options.traced { meta["traced"] = traced.sorted().map(String.init).joined(separator: ",") }
        if options.statusFilter != 0 { meta["status_filter"] = String(options.statusFilter) }
        if options.minLatencyNs != 0 { meta["min_latency_ns"] = String(options.minLatencyNs) }
        do {
            return try TraceFileWriter(path: path, meta: meta, syscalls: SavedTraceMeta.syscalls(table: table))
        } catch {
            throw LaunchError(error.description, exitCode: 2)
        }
    }
}
