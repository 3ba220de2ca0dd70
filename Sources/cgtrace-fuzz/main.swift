import Formatters
import Fuzzing
import Glibc
import TraceFile

// cgtrace-fuzz [COUNT] [SEED]: the long fuzz run of the decoder and formatter (bench/fuzz.sh).
// Output goes to /dev/null; a crash is the failure. Prints what was fed and how it went.
// With --json or --perfetto the JSON lines or Perfetto writer is fuzzed instead of the strace
// text; --out FILE keeps the output (deterministic per seed: two builds compare byte for byte).
let args = CommandLine.arguments
// cgtrace-fuzz --consumer [CALLS|FILE] [--json]: the consumer's decode+format rate on one core, on
// the records of a dd storm (bench/run.py reports the same measured live), or on the records of
// a trace saved with `cgtrace --write=FILE` (a real workload's mix, in the order it came).
if args.count > 1 && args[1] == "--consumer" {
    let json = args.contains("--json")
    let operand = args.dropFirst(2).first { !$0.hasPrefix("--") }
    let millions = { (v: Double) in Double(Int(v / 1e4)) / 100 }
    func warn(_ message: String) { _ = "cgtrace-fuzz: \(message)\n".withCString { write(2, $0, strlen($0)) } }
    func fail(_ message: String) -> Never {
        warn(message)
        exit(1)
    }
    // A saved trace if such a file exists, else a count of calls.
    if let operand, access(operand, F_OK) == 0 || Int(operand) == nil {
        let contents: TraceFileContents
        do {
            contents = try TraceFileReader.read(path: operand)
        } catch {
            fail(error.description)
        }
        if let why = SavedTraceMeta.undecodable(contents.meta, name: operand) { fail(why) }
        for note in contents.skipped { warn("\(operand): \(note)") }
        let r = ConsumerBench.run(records: contents.records, json: json)
        print("cgtrace-fuzz: consumer: \(r.records) records in \(Double(Int(r.seconds * 1000)) / 1000) s of CPU: "
              + "\(millions(r.recordsPerSecond)) M records/s")
        exit(0)
    }
    let r = ConsumerBench.run(calls: operand.flatMap { Int($0) } ?? 1_000_000, json: json)
    print("cgtrace-fuzz: consumer: \(r.records) records in \(Double(Int(r.seconds * 1000)) / 1000) s of CPU: "
          + "\(millions(r.recordsPerSecond)) M records/s (\(millions(r.recordsPerSecond / 2)) M syscalls/s)")
    exit(0)
}
// cgtrace-fuzz --file [COUNT] [SEED]: damaged saved traces through the reader and formatter.
if args.count > 1 && args[1] == "--file" {
    let count = args.count > 2 ? Int(args[2]) ?? 100_000 : 100_000
    var fuzzer = TraceFileFuzzer(seed: args.count > 3 ? UInt64(args[3]) ?? 1 : 1)
    let r = fuzzer.run(count: count, output: OutputFile(fd: open("/dev/null", O_WRONLY)))
    print("cgtrace-fuzz: files: \(r.inputs) inputs: \(r.intact) intact, \(r.partial) read with skips, \(r.rejected) refused; \(r.records) records decoded")
    exit(0)
}
let outPath = args.firstIndex(of: "--out").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
let numbers = args.dropFirst().filter { $0 != outPath && !$0.hasPrefix("--") }
let count = numbers.count > 0 ? Int(numbers[numbers.startIndex]) ?? 10_000_000 : 10_000_000
let seed = numbers.count > 1 ? UInt64(numbers[numbers.startIndex + 1]) ?? 1 : 1
let format: RecordFuzzer.Format = args.contains("--json") ? .json : args.contains("--perfetto") ? .perfetto : .text
let devnull = outPath.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? open("/dev/null", O_WRONLY)
if devnull < 0 { print("cgtrace-fuzz: cannot open \(outPath ?? "/dev/null")"); exit(1) }
let chunk = 100_000
var total = RecordFuzzer.Report()
var start = timespec()
clock_gettime(CLOCK_MONOTONIC, &start)
var round: UInt64 = 0
while total.inputs < count {
    // A fresh formatter state per chunk, like separate sessions; the seed advances per chunk.
    var fuzzer = RecordFuzzer(seed: seed &* 1_000_003 &+ round)
    let r = fuzzer.run(count: min(chunk, count - total.inputs), output: OutputFile(fd: devnull), format: format)
    total.inputs += r.inputs
    total.decoded += r.decoded
    total.rejected += r.rejected
    round += 1
}
var end = timespec()
clock_gettime(CLOCK_MONOTONIC, &end)
let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
print("cgtrace-fuzz: \(total.inputs) inputs (seed \(seed)): \(total.decoded) decoded, \(total.rejected) rejected, no crash, \(Int(seconds)) s")
