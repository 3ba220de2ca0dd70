/// What an argument is, as far as its C declaration tells. This drives the default capture in
/// the kernel (what to copy, at enter or at exit) and the default printing; syscall families whose
/// arguments need more (flag tables, lengths from other arguments) refine it in Beautifiers.
public enum ArgKind: Sendable, Equatable {
    case signed          // int, long, pid_t … printed in decimal
    case unsigned        // size_t, unsigned int … printed in decimal
    case hex             // flags, masks and opaque words (unsigned long arg, aio_context_t)
    case octal           // a file mode (umode_t), printed as 0644
    case fd              // a file descriptor
    case dirfd           // a directory fd for *at() calls (AT_FDCWD)
    case path            // a NUL-terminated path read at enter
    case string          // another NUL-terminated input string
    case stringArray     // argv/envp style NULL-terminated array of strings
    case inBuffer        // const void * / const char * data (length from another argument)
    case outBuffer       // void * / char * filled by the kernel (read at exit)
    case inStruct(String)   // const struct X * read at enter
    case outStruct(String)  // struct X * written by the kernel (read at exit)
    case pointer         // anything else: printed as an address

    /// Classifies an argument from its declaration in the kernel's SYSCALL_DEFINE (as tracefs
    /// prints it: `const char * filename`, `unsigned long len`, `struct stat * statbuf`).
    ///
    /// The C type decides first; the argument name settles what the type leaves open (an `int`
    /// that is a file descriptor, a `char *` that is a path). The kernel often leaves `const` off
    /// pointers it only reads (`connect`'s `struct sockaddr *`), so a few names mark input.
    public init(cType: String, name: String) {
        let decl = CDecl(cType)
        if decl.pointerDepth == 0 {
            self = ArgKind.scalar(decl, name: name)
        } else {
            self = ArgKind.pointer(decl, name: name)
        }
    }

    // MARK: scalars

    private static func scalar(_ decl: CDecl, name: String) -> ArgKind {
        if pointerTypedefs[decl.base] != nil {
            return pointer(decl, name: name)
        }
        if dirfdNames.contains(name) { return .dirfd }
        if fdNames.contains(name) || (name.hasSuffix("_fd") && !notFdNames.contains(name)) {
            return .fd
        }
        if decl.base == "umode_t" || decl.base == "mode_t" { return .octal }
        if isFlagName(name) { return .hex }
        if hexTypes.contains(decl.base) { return .hex }
        if decl.base == "unsigned long" {
            if addressNames.contains(name) { return .pointer }
            if opaqueWordNames.contains(name) || isNumberedArg(name) { return .hex }
        }
        return isUnsignedType(decl.base) ? .unsigned : .signed
    }

    /// `dfd`, `olddfd`: a directory fd that may be AT_FDCWD.
    private static let dirfdNames: Set<String> = [
        "dfd", "olddfd", "newdfd", "dirfd", "from_dfd", "to_dfd", "mountdirfd",
    ]

    /// File descriptors by name, besides every `*_fd` (`fs_fd`, `group_fd`, `kernel_fd` …).
    private static let fdNames: Set<String> = [
        "fd", "oldfd", "newfd", "fildes", "fd_in", "fd_out", "fdin", "fdout", "in_fd", "out_fd",
        "epfd", "pidfd", "ufd", "mqdes",
    ]

    /// `*_fd` names that are not descriptors (close_range's upper bound).
    private static let notFdNames: Set<String> = ["max_fd"]

    /// Bit masks: `flags`, `at_flags`, `msgflg`, `oflag`, `prot`, `mask`, and `mode` when it is
    /// not a file mode (access's R_OK…, fallocate's FALLOC_FL_*).
    private static func isFlagName(_ name: String) -> Bool {
        name == "flags" || name == "flag" || name == "oflag" || name == "prot" || name == "mask"
            || name == "mode" || name == "options"
            || name.hasSuffix("_flags") || name.hasSuffix("flg") || name.hasSuffix("_mask")
    }

    /// Opaque words printed in hex whatever they are called.
    private static let hexTypes: Set<String> = ["aio_context_t"]

    /// `unsigned long` arguments that hold user addresses (mmap's addr, brk, clone's stack).
    private static let addressNames: Set<String> = [
        "addr", "start", "brk", "new_addr", "newsp", "tls", "entry",
    ]

    /// `unsigned long` arguments whose meaning depends on another argument (ioctl's and fcntl's
    /// `arg`, ptrace's `data`) or that strace shows in hex (mmap's `off`).
    private static let opaqueWordNames: Set<String> = ["arg", "data", "off"]

    /// prctl's `arg2` … `arg5`, sysfs's `arg1`.
    private static func isNumberedArg(_ name: String) -> Bool {
        name.count == 4 && name.hasPrefix("arg") && name.last!.isNumber
    }

    private static let unsignedTypes: Set<String> = [
        "unsigned", "size_t", "qid_t", "dev_t", "u8", "u16", "u32", "u64",
        "__u8", "__u16", "__u32", "__u64", "umode_t",
    ]

    /// uid_t and gid_t are unsigned in C, but strace prints the "no change" value as -1, so they
    /// count as signed (every real id is below 2^31).
    private static func isUnsignedType(_ type: String) -> Bool {
        type.hasPrefix("unsigned ") || unsignedTypes.contains(type)
    }

    // MARK: pointers

    private static func pointer(_ decl: CDecl, name: String) -> ArgKind {
        if let tag = pointerTypedefs[decl.base] {
            // capget/capset: the header is read; the data is written unless declared const.
            if tag.alwaysIn || decl.isConst { return .inStruct(tag.name) }
            return .outStruct(tag.name)
        }
        if decl.pointerDepth >= 2 {
            return decl.isCharacter ? .stringArray : .pointer
        }
        if decl.isCharacter {
            if pathNames.contains(name) { return .path }
            if decl.isConst {
                return isBufferName(name) ? .inBuffer : .string
            }
            if inputStringNames.contains(name) { return .string }
            if addressPointerNames.contains(name) { return .pointer }
            return .outBuffer
        }
        if decl.base == "void" {
            if decl.isConst { return .inBuffer }
            if inputBufferNames.contains(name) { return .inBuffer }
            if isBufferName(name) || name == "value" { return .outBuffer }
            return .pointer
        }
        if let tag = decl.tag ?? (structTypedefs.contains(decl.base) ? decl.base : nil) {
            if decl.isConst || inputStructNames.contains(name) || inputStructTags.contains(tag) {
                return .inStruct(tag)
            }
            return .outStruct(tag)
        }
        // Pointers to scalars (int *, loff_t *, u32 *): single values, arrays and futex words
        // alike; their printing is per syscall.
        return .pointer
    }

    /// Paths, whatever their constness (utime's `char * filename`, mount's `char * dir_name`).
    private static let pathNames: Set<String> = [
        "filename", "pathname", "path", "oldname", "newname", "oldpath", "newpath",
        "from_pathname", "to_pathname", "new_root", "put_old", "special", "specialfile",
        "dev_name", "dir_name", "library",
    ]

    /// `buf`, `ubuf`, `u_msg_ptr`: bytes with a length beside them, not NUL-terminated text.
    private static func isBufferName(_ name: String) -> Bool {
        name.contains("buf") || name == "u_msg_ptr" || name == "list" || name == "optval"
    }

    /// Non-const `char *` the kernel only reads: mount's fs type, sethostname's and umount's name.
    private static let inputStringNames: Set<String> = ["type", "name"]

    /// Non-const `char *` that is an address (shmat, shmdt).
    private static let addressPointerNames: Set<String> = ["shmaddr"]

    /// Non-const `void *` the kernel only reads (sendto's data, init_module's image).
    private static let inputBufferNames: Set<String> = ["buff", "umod"]

    /// Struct pointers declared without const that the kernel only (or first) reads.
    private static let inputStructNames: Set<String> = [
        "uservaddr", "umyaddr",                 // connect, bind
        "rqtp", "tsp", "timeout", "utimes", "times",
        "tsops", "event", "how", "attr_uptr", "timer_event_spec", "u_attr", "uargs",
        "head", "rseq", "cstat_range", "waiters", "iocb", "segments",
        "nset", "unewset", "user_mask",         // sigset_t: rt_sigprocmask, rt_sigsuspend, signalfd
    ]

    /// Structs that only ever go into the kernel, whatever the argument is called
    /// (mount_setattr's and open_tree_attr's `struct mount_attr * uattr`).
    private static let inputStructTags: Set<String> = ["mount_attr"]

    /// Typedefs for structs used through a pointer.
    private static let structTypedefs: Set<String> = ["sigset_t", "stack_t", "siginfo_t", "fd_set"]

    /// Typedefs that are themselves pointers to structs (no `*` in the declaration).
    private static let pointerTypedefs: [String: (name: String, alwaysIn: Bool)] = [
        "cap_user_header_t": ("__user_cap_header_struct", true),
        "cap_user_data_t": ("__user_cap_data_struct", false),
    ]
}

/// A C declaration taken apart: `const struct sockaddr *` → const, tag `sockaddr`, depth 1.
private struct CDecl {
    /// Number of `*`.
    let pointerDepth: Int
    /// The pointed-to (or scalar) type is const.
    let isConst: Bool
    /// The base type without qualifiers: `unsigned long`, `struct sockaddr`, `char`.
    let base: String
    /// The struct or union name, if the base is one.
    let tag: String?

    init(_ raw: String) {
        // Words and stars: "const char *const *" → const, char, *, const, *. Split on the UTF-8
        // bytes, qualifiers dropped as they come: every start classifies the whole table's
        // ~1000 arguments, and walking Characters into new Strings (with a Set built per call)
        // was half of the table's ~2 ms (perf).
        var tokens: [Substring] = []
        var wordStart: String.Index?
        func endWord(at end: String.Index) {
            guard let start = wordStart else { return }
            let word = raw[start..<end]
            if word != "__user" && word != "__force" && word != "volatile" { tokens.append(word) }
            wordStart = nil
        }
        let bytes = raw.utf8
        var at = bytes.startIndex
        while at != bytes.endIndex {
            let b = bytes[at]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "*") {
                endWord(at: at)
                if b == UInt8(ascii: "*") { tokens.append("*") }
            } else if wordStart == nil {
                wordStart = at
            }
            bytes.formIndex(after: &at)
        }
        endWord(at: at)
        pointerDepth = tokens.filter { $0 == "*" }.count
        // Qualifiers of the pointed-to type come before the first `*`; a `const` after it
        // (`const void *const`) qualifies the pointer itself and does not matter here.
        let head = tokens.prefix(while: { $0 != "*" })
        isConst = head.contains("const")
        let words = head.filter { $0 != "const" }
        base = words.joined(separator: " ")
        if words.count == 2, words[0] == "struct" || words[0] == "union" {
            tag = String(words[1])
        } else {
            tag = nil
        }
    }

    /// `char`, `unsigned char`, `signed char`.
    var isCharacter: Bool { base == "char" || base == "unsigned char" || base == "signed char" }
}
