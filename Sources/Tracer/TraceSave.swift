import Beautifiers
import CgtraceABI
import Formatters
import Glibc
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
    func openSaveFile(source: String, commandPid: UInt32, cgroupID: UInt64, clock: WallClock) throws(TracerError) -> TraceFileWriter? {
        guard let path = options.savePath else { return nil }
        var meta = SavedTraceMeta.common(formats: formats)
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
            return try TraceFileWriter(path: path, meta: meta, syscalls: SavedTraceMeta.syscalls(formats: formats))
        } catch {
            throw TracerError(error.description, exitCode: 2)
        }
    }
}

/// The META fields every saved trace has (see TraceFileFormat).
public enum SavedTraceMeta {
    public static func common(formats: SyscallFormats) -> TraceFileFields {
        var meta = TraceFileFields()
        meta["writer"] = "cgtrace"
        meta["arch"] = "x86_64"
        meta["record_abi"] = String(CGT_ABI_VERSION)
        var name = utsname()
        uname(&name)
        meta["kernel"] = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        meta["host"] = withUnsafeBytes(of: name.nodename) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        meta["saved_ns"] = String(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
        return meta
    }

    public static func syscalls(formats: SyscallFormats) -> [(Int, String)] {
        (0..<formats.table.count).compactMap { n in formats.table[n].map { (n, $0.name) } }
    }
}
