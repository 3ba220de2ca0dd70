import Beautifiers
import Glibc

/// A JSON value, for the rare events built as a tree (losses, Perfetto's metadata). Syscall
/// events, the hot path, are written straight into their line by `JSONSink` and `EventContext`.
public indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    /// A number written with a fixed count of decimals (times in seconds).
    case fixed(Int64, scale: Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON text already rendered (by a `JSONSink`), copied as it is.
    case rendered([UInt8])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.uint(x), .uint(y)): return x == y
        case let (.fixed(x, s), .fixed(y, t)): return x == y && s == t
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.rendered(x), .rendered(y)): return x == y
        default: return false
        }
    }

    /// Compact JSON text (one line: strings escape every control character, newlines included).
    public func write(to out: inout [UInt8]) {
        var b = ByteBuffer(capacity: 256)
        write(to: &b)
        out.append(contentsOf: b.array)
    }

    public func write(to out: inout ByteBuffer) {
        switch self {
        case .null: out.appendASCII("null")
        case .bool(let b): out.appendASCII(b ? "true" : "false")
        case .int(let v): out.appendDecimal(v)
        case .uint(let v): out.appendDecimal(v)
        case let .fixed(v, scale): out.appendFixed(v, scale: scale)
        case .string(let s): out.appendJSONString(s)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.appendJSONString(k)
                out.append(UInt8(ascii: ":"))
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .rendered(let bytes): out.append(contentsOf: bytes)
        }
    }

    public var text: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Renders decoded arguments as typed JSON: numbers as numbers, flags as arrays of names (bits
/// without a name follow as one number), strings as JSON strings (bytes that are not UTF-8 as
/// `{"hex": "…"}`, so nothing is lost), structs as objects keyed by field name, arrays as arrays,
/// addresses as `"0x…"` strings and NULL as null. What strace shows as a remark (`/* 39 vars */`)
/// or an ellipsis (`"abc"...`, `[a, b, ...]`) goes to `remarks` and `truncated`, keyed by the
/// value's path (`envp`, `argv`, `statbuf.st_mode`, `iov[0].iov_base`).
///
/// The decoders speak strace's shape, and some of it only makes sense afterwards: a `name=`
/// label (clone's `child_stack=`) names the value that follows, two values for one slot make a
/// list, a key seen twice becomes `key#2`. The sink writes straight into `bytes` as values come
/// and fixes those up in place (a `[` inserted before the first of several values, a key
/// rewritten): building a value tree per call made `--json` ~6× slower than the text.
public final class JSONSink: ArgumentSink {
    /// One open object or array.
    private struct Level {
        var isArray: Bool
        /// Opened where the parent had no entry yet: its path is the parent's (as values put
        /// there get an unnamed entry only once they are complete).
        var keyless: Bool
        var entries = 0
        /// Where this level's keys start in `keys`.
        var keysStart: Int
        /// The current entry: values put so far, where its first value starts, where its key
        /// starts (objects; after the comma).
        var valueCount = 0
        var valueStart = 0
        var keyStart = 0
    }

    /// One entry's key.
    private struct Key {
        /// Where `"key"` (quotes included, colon not) starts in `bytes`, and its length; length 0
        /// for an array's element (named by its index, or by `side`).
        var start: Int
        var length: Int
        /// A hash of the key's bytes (`hash(_:)`), 0 when they are not all ASCII. Two ASCII keys with
        /// different hashes are different Strings; any other pair is compared for real.
        var hash: UInt64
        /// Index in `sideKeys` of a key whose rendering is not its UTF-8 bytes, else -1.
        var side: Int
    }

    /// The output: everything written since the caller last cleared it. Between `begin` and
    /// `end` the caller must not clear, cut or swap it: the keys of the open objects are kept as
    /// where they lie in it (`Key`).
    public var bytes = ByteBuffer()
    /// The innermost open level, and those around it (kept apart: the top is touched by every
    /// value, and an array element's access and uniqueness checks showed in profiles).
    private var top = Level(isArray: false, keyless: false, keysStart: 0)
    private var outer: [Level] = []
    /// The entries' keys, level after level: the first `keyCount`; slots past it are old and
    /// overwritten. A key is kept as where its rendered `"key"` lies in `bytes`, not as a String:
    /// storing Strings (a retain, a release and an array uniqueness check per argument) and
    /// comparing them for the uniqueness check were ~8 % of the JSON consumer.
    private var keys: UnsafeMutablePointer<Key>
    private var keysCapacity = 16
    private var keyCount = 0
    /// Keys that are not their rendered bytes: escaped ones, and names given to array elements
    /// (`Key.side`). Rare; emptied by `begin`.
    private var sideKeys: [String] = []
    /// Keys rendered before, by the String's representation (`representation(of:)`): an
    /// argument's name is the same literal call after call, and rendering it again (its bytes
    /// fetched, scanned for escapes and hashed) was ~10 % of the JSON consumer. 64 slots, each
    /// holding its String so that equal representations mean equal keys.
    private let keyCache: UnsafeMutablePointer<CachedKey>
    private static let keyCacheSlots = 64

    /// Up to 32 bytes of rendered key, copied as four words.
    private typealias KeyText = (UInt64, UInt64, UInt64, UInt64)

    private struct CachedKey {
        var word0: UInt64 = 0, word1: UInt64 = 0
        /// Held only so that its representation stays its own.
        var key = ""
        /// `"key":`
        var text: KeyText = (0, 0, 0, 0)
        /// Of `"key"`; 0: an empty slot.
        var length = 0
        var hash: UInt64 = 0
    }
    /// The arguments' keys of each syscall the direct path printed (`begin(keysOf:_:)`), by
    /// number below `preparedSlots`: where they start in `preparedKeys`, plus one (0: not
    /// prepared yet; -1: a key is not plain, too long or repeated, so that call's keys are
    /// rendered and checked one by one).
    private let preparedAt: UnsafeMutablePointer<Int32>
    private static let preparedSlots = 1024
    private var preparedKeys: UnsafeMutablePointer<PreparedKey>
    private var preparedKeysCount = 0, preparedKeysCapacity = 64
    /// The current call's prepared keys (nil: none, keys are rendered as they come), how many
    /// there are, and how many `argument` calls came so far.
    private var prepared: UnsafeMutablePointer<PreparedKey>?
    private var preparedCount = 0
    private var argumentsSeen = 0
    /// A `name=` label changed one of the current call's keys (`raw`).
    private var relabeled = false

    /// One argument's key, rendered once per syscall: the key cache's lookup, the duplicate check
    /// against the keys before it and the caller's fetch of the name were ~10 % of the JSON
    /// consumer, for keys that are the same call after call.
    private struct PreparedKey {
        /// `"key":`
        var text: KeyText
        /// Of `"key"`.
        var length: Int
        var hash: UInt64
        /// For the checked path, after a `name=` label changed a key.
        var name: String
    }

    /// The top level's finished values (for `endSingleValue`; kept only if `singleValues`).
    private var topValues: [Range<Int>] = []
    private let singleValues: Bool
    public private(set) var remarks: [(String, String)] = []
    public private(set) var truncated: [String] = []
    /// -y/-yy: what each descriptor shown refers to, by the value's path (`fd`, `ufds[0].fd`; `ret`
    /// for a returned one), for `fd_paths`: the values themselves stay numbers and names.
    public private(set) var descriptorTargets: [(String, String)] = []

    /// `singleValues: false`: a sink whose `endSingleValue` is never called (a call's arguments
    /// object) does not note where each top-level value lies (an append per argument).
    public init(singleValues: Bool = true) {
        self.singleValues = singleValues
        keys = .allocate(capacity: keysCapacity)
        keyCache = .allocate(capacity: Self.keyCacheSlots)
        keyCache.initialize(repeating: CachedKey(), count: Self.keyCacheSlots)
        preparedAt = .allocate(capacity: Self.preparedSlots)
        preparedAt.initialize(repeating: 0, count: Self.preparedSlots)
        preparedKeys = .allocate(capacity: preparedKeysCapacity)
    }

    deinit {
        preparedAt.deallocate()
        preparedKeys.deinitialize(count: preparedKeysCount)
        preparedKeys.deallocate()
        keys.deallocate()
        keyCache.deinitialize(count: Self.keyCacheSlots)
        keyCache.deallocate()
    }

    /// Start an object of arguments at the end of `bytes` (a new call).
    public func begin() {
        // (Emptied only when not empty: even that call showed at ~5 % of a dd storm.)
        if !outer.isEmpty { outer.removeAll(keepingCapacity: true) }
        keyCount = 0
        if !sideKeys.isEmpty { sideKeys.removeAll(keepingCapacity: true) }
        if !topValues.isEmpty { topValues.removeAll(keepingCapacity: true) }
        clearNotes()
        top = Level(isArray: false, keyless: false, keysStart: 0)
        prepared = nil
        bytes.append(UInt8(ascii: "{"))
    }

    /// `begin` for the arguments of syscall `number`, printed from its records: `argument`'s
    /// keys are then `format`'s names (`arg4` past them), as the direct printer gives them, and
    /// it passes none (`wantsArgumentNames`).
    public func begin(keysOf number: Int, _ format: SyscallFormat) {
        begin()
        guard number >= 0 && number < Self.preparedSlots else { return }
        if preparedAt[number] == 0 { preparedAt[number] = prepareKeys(format) }
        let at = preparedAt[number]
        guard at > 0 else { return }
        prepared = preparedKeys + Int(at - 1)
        preparedCount = format.recordPlan.count
        argumentsSeen = 0
        relabeled = false
    }

    /// `format`'s argument keys appended to `preparedKeys`: where they start plus one, or -1
    /// when one of them cannot go there (not plain, not short, not unique).
    private func prepareKeys(_ format: SyscallFormat) -> Int32 {
        let n = format.recordPlan.count
        var made: [PreparedKey] = []
        for i in 0..<n {
            let name = i < format.argNames.count ? format.argNames[i] : "arg\(i)"
            var text = ByteBuffer(capacity: 64)
            let (length, hash, plain) = Array(name.utf8).withUnsafeBufferPointer { Self.writeKeyText($0, to: &text) }
            // (Hash 0, a key with non-ASCII bytes, is compared as a String: not here.)
            guard plain, hash != 0, length < MemoryLayout<KeyText>.size,
                  !made.contains(where: { $0.name == name }) else { return -1 }
            made.append(PreparedKey(text: text.words(from: 0, count: length + 1), length: length, hash: hash, name: name))
        }
        if preparedKeysCount + n > preparedKeysCapacity {
            var c = preparedKeysCapacity * 2
            while c < preparedKeysCount + n { c *= 2 }
            let bigger = UnsafeMutablePointer<PreparedKey>.allocate(capacity: c)
            bigger.moveInitialize(from: preparedKeys, count: preparedKeysCount)
            preparedKeys.deallocate()
            preparedKeys = bigger
            preparedKeysCapacity = c
        }
        (preparedKeys + preparedKeysCount).initialize(from: made, count: n)
        preparedKeysCount += n
        return Int32(preparedKeysCount - n + 1)
    }

    /// Close whatever is open, then the object `begin` started.
    public func end() {
        while !outer.isEmpty { close() }
        finishEntry()
        bytes.append(UInt8(ascii: "}"))
    }

    /// After `end`: the single value printed at top level (a return value's decoding) instead
    /// of the object, written to `out`: null when nothing was printed, a list of the values when
    /// several were. `bytes` is left as it was before `begin`.
    public func endSingleValue(from start: Int) -> [UInt8] {
        assert(singleValues, "endSingleValue on a sink made with singleValues: false")
        end()
        var out: [UInt8] = []
        let all = bytes.array
        switch topValues.count {
        case 0: out = Array("null".utf8)
        case 1: out = Array(all[topValues[0]])
        default:
            out.append(UInt8(ascii: "["))
            for (i, r) in topValues.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: all[r])
            }
            out.append(UInt8(ascii: "]"))
        }
        bytes.truncate(to: start)
        return out
    }

    /// `{"path":"remark",…}` (call only when there are remarks).
    public func appendRemarks(to out: inout ByteBuffer) { Self.appendObject(remarks, to: &out) }

    /// `["path",…]` (call only when something was truncated).
    public func appendTruncated(to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "["))
        for (i, path) in truncated.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.appendJSONString(path)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `{"path":"target",…}` (call only when there are descriptor targets).
    public func appendDescriptorTargets(to out: inout ByteBuffer) { Self.appendObject(descriptorTargets, to: &out) }

    /// Notes keyed by a value's path, as one JSON object of strings.
    private static func appendObject(_ members: [(String, String)], to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "{"))
        for (i, (path, text)) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.appendJSONString(path)
            out.append(UInt8(ascii: ":"))
            out.appendJSONString(text)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A returned descriptor's target (the result is not printed through this sink).
    public func noteReturnedDescriptor(target: String) { descriptorTargets.append(("ret", target)) }

    /// Forget the remarks, truncations and descriptor targets of the last call (one whose
    /// arguments were not printed).
    public func clearNotes() {
        if !remarks.isEmpty { remarks.removeAll(keepingCapacity: true) }
        if !truncated.isEmpty { truncated.removeAll(keepingCapacity: true) }
        if !descriptorTargets.isEmpty { descriptorTargets.removeAll(keepingCapacity: true) }
    }

    // MARK: ArgumentSink

    public func argument(_ name: String) {
        guard let prepared else { return newEntry(name) }
        let i = argumentsSeen
        argumentsSeen += 1
        // Past the prepared keys: the direct printer's own name for it.
        guard i < preparedCount else { return newEntry("arg\(i)") }
        // (Read in place: a copy of the key retained and released its name.)
        let key = prepared + i
        // Each key before this one is a prepared one, all different: nothing to check. Else
        // (a `name=` label renamed one) the key goes the checked way.
        guard outer.isEmpty && top.entries == i && !relabeled else { return newEntry(key.pointee.name) }
        finishEntry()
        if i > 0 { bytes.append(UInt8(ascii: ",")) }
        let start = bytes.count, length = key.pointee.length
        top.keyStart = start
        bytes.appendWords(key.pointee.text, count: length + 1)
        appendKey(Key(start: start, length: length, hash: key.pointee.hash, side: -1))
    }

    /// The printers pass no names while the call's keys are prepared (`begin(keysOf:_:)`).
    public var wantsArgumentNames: Bool { prepared == nil }
    public func field(_ name: String) { newEntry(name) }
    public func element() { newEntry(nil) }

    public func signed(_ value: Int64) {
        startValue()
        bytes.appendDecimal(value)
    }

    public func unsigned(_ value: UInt64) {
        startValue()
        bytes.appendDecimal(value)
    }

    /// The number, as the protocol's default prints it (without its second dispatch to
    /// `signed`); -y's text goes to `fd_paths`. (-Y's names are not shown: `pid` below.)
    public func descriptor(_ fd: Int64, target: String?) {
        signed(fd)
        if let target { descriptorTargets.append((currentPath, target)) }
    }

    /// The name, and -y's directory to `fd_paths`.
    public func currentDirectory(target: String?) {
        constant("AT_FDCWD", signed: -100)
        if let target { descriptorTargets.append((currentPath, target)) }
    }
    public func pid(_ value: Int64) { signed(value) }

    public func hex(_ value: UInt64) { unsigned(value) }
    public func octal(_ value: UInt64) { unsigned(value) }

    public func pointer(_ value: UInt64) {
        startValue()
        if value == 0 { return bytes.appendASCII("null") }
        bytes.appendASCII("\"0x")
        bytes.appendHexDigits(value)
        bytes.append(UInt8(ascii: "\""))
    }

    public func symbol(_ name: String) {
        startValue()
        bytes.appendJSONString(name)
    }

    public func flags(_ names: [String], rest: UInt64, zero: String) {
        startValue()
        bytes.append(UInt8(ascii: "["))
        for (i, n) in names.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.appendJSONString(n)
        }
        if rest != 0 {
            if !names.isEmpty { bytes.append(UInt8(ascii: ",")) }
            bytes.appendDecimal(rest)
        } else if names.isEmpty && zero != "0" {
            // A set with nothing in it: strace shows the family's zero name (O_RDONLY) or 0.
            bytes.appendJSONString(zero)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public func string(_ value: ArraySlice<UInt8>, truncated isTruncated: Bool, hexOnly: Bool) {
        value.withUnsafeBytes { string(in: $0, truncated: isTruncated, hexOnly: hexOnly) }
    }

    public func string(in raw: UnsafeRawBufferPointer, truncated isTruncated: Bool, hexOnly: Bool) {
        let value = raw.assumingMemoryBound(to: UInt8.self)
        startValue()
        if Self.isUTF8(value) {
            bytes.appendJSONString(value)
        } else {
            bytes.appendASCII("{\"hex\":\"")
            for b in value {
                bytes.append(DigitText.hexDigit(b >> 4))
                bytes.append(DigitText.hexDigit(b & 0xf))
            }
            bytes.appendASCII("\"}")
        }
        if isTruncated { truncated.append(currentPath) }
    }

    public func raw(_ text: String) {
        // `name=` then a value (clone's child_stack=…): the label is the value's key.
        if text.hasSuffix("="), text.count > 1, !top.isArray, top.entries > 0, top.valueCount == 0 {
            let key = String(text.dropLast())
            bytes.truncate(to: top.keyStart)
            keys[keyCount - 1] = renderKey(key)
            top.valueStart = bytes.count
            // (The prepared keys after it may now equal it: they are checked from here on.)
            if outer.isEmpty { relabeled = true }
            return
        }
        symbol(text)
    }

    public func comment(_ text: String) { remarks.append((currentPath, text)) }

    public func ellipsis() { truncated.append(path(ofLevel: outer.count)) }

    public func beginStruct() { open(isArray: false) }
    public func endStruct() { close() }
    public func beginArray() { open(isArray: true) }
    public func endArray() { close() }

    // MARK: Writing

    private func newEntry(_ key: String?) {
        finishEntry()
        if top.entries > 0 { bytes.append(UInt8(ascii: ",")) }
        let entry: Key
        if top.isArray {
            // An element: no key written; one named anyway keeps its name for paths.
            if let key {
                entry = Key(start: 0, length: 0, hash: 0, side: sideKeys.count)
                sideKeys.append(uniqueName(key))
            } else {
                entry = Key(start: 0, length: 0, hash: 0, side: -1)
            }
        } else {
            top.keyStart = bytes.count
            if let key {
                var rendered = renderKey(key)
                if isTaken(rendered, key) {
                    // Never two equal keys in one object: JSON readers would keep only one.
                    bytes.truncate(to: top.keyStart)
                    rendered = renderKey(uniqueName(key))
                }
                entry = rendered
            } else {
                // A value with no key yet: named by its place, as `"0"`.
                bytes.append(UInt8(ascii: "\""))
                bytes.appendDecimal(UInt64(top.entries))
                bytes.append(UInt8(ascii: "\""))
                let digits = UnsafeRawBufferPointer(rebasing: bytes.bytes[(top.keyStart + 1)..<(bytes.count - 1)])
                entry = Key(start: top.keyStart, length: bytes.count - top.keyStart,
                            hash: Self.hash(digits.assumingMemoryBound(to: UInt8.self)), side: -1)
                bytes.append(UInt8(ascii: ":"))
            }
        }
        appendKey(entry)
    }

    /// The current level's next entry, keyed `entry`, its value to come.
    @inline(__always)
    private func appendKey(_ entry: Key) {
        if keyCount == keysCapacity {
            let bigger = UnsafeMutablePointer<Key>.allocate(capacity: keysCapacity * 2)
            bigger.moveInitialize(from: keys, count: keyCount)
            keys.deallocate()
            keys = bigger
            keysCapacity *= 2
        }
        (keys + keyCount).initialize(to: entry)
        keyCount += 1
        top.entries += 1
        top.valueCount = 0
        top.valueStart = bytes.count
    }

    /// `"key":` at the end of `bytes`, and what `keys` keeps of it (`"key"`).
    private func renderKey(_ key: String) -> Key {
        let start = bytes.count
        let (word0, word1) = Self.representation(of: key)
        let slot = keyCache + Self.cacheSlot(word0, word1)
        let cachable = MemoryLayout<String>.size == 16
        if cachable && slot.pointee.length > 0 && slot.pointee.word0 == word0 && slot.pointee.word1 == word1 {
            // (The colon kept with the key: one capacity check and store fewer per argument.)
            bytes.appendWords(slot.pointee.text, count: slot.pointee.length + 1)
            return Key(start: start, length: slot.pointee.length, hash: slot.pointee.hash, side: -1)
        }
        // A String's bytes in place (no copy of the String, as `appendJSONString(String)` makes).
        var written: (length: Int, hash: UInt64, plain: Bool)?
        _ = key.utf8.withContiguousStorageIfAvailable { written = Self.writeKeyText($0, to: &bytes) }
        guard let (length, hash, plain) = written else {
            bytes.appendJSONString(key)
            let length = bytes.count - start
            bytes.append(UInt8(ascii: ":"))
            sideKeys.append(key)
            return Key(start: start, length: length, hash: 0, side: sideKeys.count - 1)
        }
        if plain {
            if cachable && length < MemoryLayout<KeyText>.size {
                slot.pointee = CachedKey(word0: word0, word1: word1, key: key, text: bytes.words(from: start, count: length + 1),
                                         length: length, hash: hash)
            }
            return Key(start: start, length: length, hash: hash, side: -1)
        }
        sideKeys.append(key)
        return Key(start: start, length: length, hash: hash, side: sideKeys.count - 1)
    }

    /// A String's two words as they lie in memory: its bytes if it is small, else its storage
    /// and count. Equal words are equal Strings as long as one of them is held (its storage
    /// cannot be freed and reused meanwhile, nor changed in place while shared).
    @inline(__always)
    private static func representation(of key: String) -> (UInt64, UInt64) {
        // (Two words on the 64-bit targets cgtrace runs on; elsewhere nothing would ever match.)
        guard MemoryLayout<String>.size == 16 else { return (0, 0) }
        return withUnsafeBytes(of: key) { raw in
            (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    @inline(__always)
    private static func cacheSlot(_ word0: UInt64, _ word1: UInt64) -> Int {
        Int(truncatingIfNeeded: ((word0 ^ (word1 &* 0x9e37_79b9_7f4a_7c15)) &* 0xff51_afd7_ed55_8ccd) >> 58)
    }

    /// Whether an earlier key of the current object equals `key`, just rendered as `rendered`.
    private func isTaken(_ rendered: Key, _ key: String) -> Bool {
        let level = keys + top.keysStart
        for i in 0..<top.entries {
            let other = level[i]
            if rendered.hash != 0 && other.hash != 0 {
                // Both ASCII: equal Strings have equal bytes (and so equal hashes).
                if rendered.hash != other.hash || rendered.length != other.length { continue }
                if memcmp(bytes.bytes.baseAddress! + rendered.start, bytes.bytes.baseAddress! + other.start,
                          rendered.length) == 0 { return true }
                continue
            }
            // Not ASCII: String's equality (canonical equivalence) decides, as it always has.
            if keyName(top, i) == key { return true }
        }
        return false
    }

    /// `key`, or `key#2`, `key#3`… whichever the current level does not have yet.
    private func uniqueName(_ key: String) -> String {
        guard hasKey(key, in: top) else { return key }
        var n = 2
        while hasKey("\(key)#\(n)", in: top) { n += 1 }
        return "\(key)#\(n)"
    }

    private func hasKey(_ key: String, in level: Level) -> Bool {
        for i in 0..<level.entries where keyName(level, i) == key { return true }
        return false
    }

    /// `"key":` appended to `out`, as the key cache and the prepared keys keep it: the length of
    /// `"key"`, its hash, and whether it needed no escapes.
    private static func writeKeyText(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer)
        -> (length: Int, hash: UInt64, plain: Bool) {
        let start = out.count
        let plain = out.appendJSONString(checking: utf8)
        let length = out.count - start
        out.append(UInt8(ascii: ":"))
        return (length, hash(utf8), plain)
    }

    /// A fingerprint of a key's UTF-8 bytes: its length and four of its bytes, never 0; 0 when
    /// a byte is not ASCII. (An FNV hash over every byte, a multiply chained per byte, was ~7 %
    /// of the JSON consumer; this only has to tell most different keys apart, a collision costs
    /// one memcmp. Read from the String's bytes, not the line's: loading bytes just stored one
    /// at a time stalled on store forwarding.)
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var any: UInt8 = 0
        for b in key { any |= b }
        if any >= 0x80 { return 0 }
        let n = key.count
        guard n > 0 else { return 1 << 63 }
        return 1 << 63 | UInt64(n) << 32 | UInt64(key[0]) << 24 | UInt64(key[n > 1 ? 1 : 0]) << 16
            | UInt64(key[n / 2]) << 8 | UInt64(key[n - 1])
    }

    /// Before a value (or a struct or array) goes into the current entry: a list once it holds
    /// two.
    @inline(__always)
    private func startValue() {
        if top.entries == 0 { newEntry(nil) }
        switch top.valueCount {
        case 0: break
        case 1:
            bytes.insert(UInt8(ascii: "["), at: top.valueStart)
            bytes.append(UInt8(ascii: ","))
        default: bytes.append(UInt8(ascii: ","))
        }
        top.valueCount += 1
    }

    /// The current entry is complete: null if it got no value, the list closed if it got several.
    @inline(__always)
    private func finishEntry() {
        guard top.entries > 0 else { return }
        if top.valueCount == 0 { bytes.appendASCII("null") } else if top.valueCount > 1 { bytes.append(UInt8(ascii: "]")) }
        if singleValues && outer.isEmpty { topValues.append(top.valueStart..<bytes.count) }
    }

    private func open(isArray: Bool) {
        let keyless = top.entries == 0
        startValue()
        bytes.append(UInt8(ascii: isArray ? "[" : "{"))
        outer.append(top)
        top = Level(isArray: isArray, keyless: keyless, keysStart: keyCount)
    }

    private func close() {
        guard !outer.isEmpty else { return }
        finishEntry()
        let done = top
        top = outer.removeLast()
        bytes.append(UInt8(ascii: done.isArray ? "]" : "}"))
        keyCount = min(keyCount, done.keysStart)
    }

    // MARK: Paths (only for remarks, truncations and descriptor texts)

    /// Level `i` counted from the outermost (the arguments' object is 0).
    private func level(_ i: Int) -> Level { i < outer.count ? outer[i] : top }

    /// An entry's key, as the decoder gave it (an array's element: its index).
    private func keyName(_ level: Level, _ i: Int) -> String {
        let k = keys[level.keysStart + i]
        if k.side >= 0 { return sideKeys[k.side] }
        if k.length == 0 { return String(i) }
        // Without the quotes: a key kept this way is rendered as its bytes are.
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes.bytes[(k.start + 1)..<(k.start + k.length - 1)]),
                      as: UTF8.self)
    }

    private func path(ofLevel i: Int) -> String {
        if i == 0 { return "" }
        let parentPath = path(ofLevel: i - 1)
        if level(i).keyless { return parentPath }
        let parent = level(i - 1)
        return Self.join(parentPath, keyName(parent, parent.entries - 1), isArray: parent.isArray)
    }

    private var currentPath: String {
        guard top.entries > 0 else { return path(ofLevel: outer.count) }
        return Self.join(path(ofLevel: outer.count), keyName(top, top.entries - 1), isArray: top.isArray)
    }

    private static func join(_ path: String, _ key: String, isArray: Bool) -> String {
        if isArray { return path + "[" + key + "]" }
        return path.isEmpty ? key : path + "." + key
    }

    /// Whether the bytes are UTF-8 as Swift validates it (ASCII, the usual case, checked fast).
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
