// errno names and messages.
// Values are the x86_64 Linux UAPI values; names and print order follow strace 6.1.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Tables {
    /// errno names (positive values), as strace prints them after `= -1`. Where two names share
    /// a value the one strace prints is kept: `EAGAIN` (not `EWOULDBLOCK`), `EDEADLK` (not `EDEADLOCK`),
    /// `EOPNOTSUPP` (not `ENOTSUP`). 41 and 58 have no name (strace prints `= -1 (errno 41)`).
    /// 512–531 are the kernel-internal codes of the kernel's include/linux/errno.h (never meant for
    /// user space, but a tracer sees them); strace 6.1 knows 512–518 and 521–530 only, and so do we:
    /// for 519 (ENOPARAM) and 531 (ENOGRACE) it prints `(errno 519)`, as we do.
    public static let errnoNames = EnumTable([
        Named(1, "EPERM"),
        Named(2, "ENOENT"),
        Named(3, "ESRCH"),
        Named(4, "EINTR"),
        Named(5, "EIO"),
        Named(6, "ENXIO"),
        Named(7, "E2BIG"),
        Named(8, "ENOEXEC"),
        Named(9, "EBADF"),
        Named(10, "ECHILD"),
        Named(11, "EAGAIN"),
        Named(12, "ENOMEM"),
        Named(13, "EACCES"),
        Named(14, "EFAULT"),
        Named(15, "ENOTBLK"),
        Named(16, "EBUSY"),
        Named(17, "EEXIST"),
        Named(18, "EXDEV"),
        Named(19, "ENODEV"),
        Named(20, "ENOTDIR"),
        Named(21, "EISDIR"),
        Named(22, "EINVAL"),
        Named(23, "ENFILE"),
        Named(24, "EMFILE"),
        Named(25, "ENOTTY"),
        Named(26, "ETXTBSY"),
        Named(27, "EFBIG"),
        Named(28, "ENOSPC"),
        Named(29, "ESPIPE"),
        Named(30, "EROFS"),
        Named(31, "EMLINK"),
        Named(32, "EPIPE"),
        Named(33, "EDOM"),
        Named(34, "ERANGE"),
        Named(35, "EDEADLK"),
        Named(36, "ENAMETOOLONG"),
        Named(37, "ENOLCK"),
        Named(38, "ENOSYS"),
        Named(39, "ENOTEMPTY"),
        Named(40, "ELOOP"),
        Named(42, "ENOMSG"),
        Named(43, "EIDRM"),
        Named(44, "ECHRNG"),
        Named(45, "EL2NSYNC"),
        Named(46, "EL3HLT"),
        Named(47, "EL3RST"),
        Named(48, "ELNRNG"),
        Named(49, "EUNATCH"),
        Named(50, "ENOCSI"),
        Named(51, "EL2HLT"),
        Named(52, "EBADE"),
        Named(53, "EBADR"),
        Named(54, "EXFULL"),
        Named(55, "ENOANO"),
        Named(56, "EBADRQC"),
        Named(57, "EBADSLT"),
        Named(59, "EBFONT"),
        Named(60, "ENOSTR"),
        Named(61, "ENODATA"),
        Named(62, "ETIME"),
        Named(63, "ENOSR"),
        Named(64, "ENONET"),
        Named(65, "ENOPKG"),
        Named(66, "EREMOTE"),
        Named(67, "ENOLINK"),
        Named(68, "EADV"),
        Named(69, "ESRMNT"),
        Named(70, "ECOMM"),
        Named(71, "EPROTO"),
        Named(72, "EMULTIHOP"),
        Named(73, "EDOTDOT"),
        Named(74, "EBADMSG"),
        Named(75, "EOVERFLOW"),
        Named(76, "ENOTUNIQ"),
        Named(77, "EBADFD"),
        Named(78, "EREMCHG"),
        Named(79, "ELIBACC"),
        Named(80, "ELIBBAD"),
        Named(81, "ELIBSCN"),
        Named(82, "ELIBMAX"),
        Named(83, "ELIBEXEC"),
        Named(84, "EILSEQ"),
        Named(85, "ERESTART"),
        Named(86, "ESTRPIPE"),
        Named(87, "EUSERS"),
        Named(88, "ENOTSOCK"),
        Named(89, "EDESTADDRREQ"),
        Named(90, "EMSGSIZE"),
        Named(91, "EPROTOTYPE"),
        Named(92, "ENOPROTOOPT"),
        Named(93, "EPROTONOSUPPORT"),
        Named(94, "ESOCKTNOSUPPORT"),
        Named(95, "EOPNOTSUPP"),
        Named(96, "EPFNOSUPPORT"),
        Named(97, "EAFNOSUPPORT"),
        Named(98, "EADDRINUSE"),
        Named(99, "EADDRNOTAVAIL"),
        Named(100, "ENETDOWN"),
        Named(101, "ENETUNREACH"),
        Named(102, "ENETRESET"),
        Named(103, "ECONNABORTED"),
        Named(104, "ECONNRESET"),
        Named(105, "ENOBUFS"),
        Named(106, "EISCONN"),
        Named(107, "ENOTCONN"),
        Named(108, "ESHUTDOWN"),
        Named(109, "ETOOMANYREFS"),
        Named(110, "ETIMEDOUT"),
        Named(111, "ECONNREFUSED"),
        Named(112, "EHOSTDOWN"),
        Named(113, "EHOSTUNREACH"),
        Named(114, "EALREADY"),
        Named(115, "EINPROGRESS"),
        Named(116, "ESTALE"),
        Named(117, "EUCLEAN"),
        Named(118, "ENOTNAM"),
        Named(119, "ENAVAIL"),
        Named(120, "EISNAM"),
        Named(121, "EREMOTEIO"),
        Named(122, "EDQUOT"),
        Named(123, "ENOMEDIUM"),
        Named(124, "EMEDIUMTYPE"),
        Named(125, "ECANCELED"),
        Named(126, "ENOKEY"),
        Named(127, "EKEYEXPIRED"),
        Named(128, "EKEYREVOKED"),
        Named(129, "EKEYREJECTED"),
        Named(130, "EOWNERDEAD"),
        Named(131, "ENOTRECOVERABLE"),
        Named(132, "ERFKILL"),
        Named(133, "EHWPOISON"),
        Named(512, "ERESTARTSYS"),
        Named(513, "ERESTARTNOINTR"),
        Named(514, "ERESTARTNOHAND"),
        Named(515, "ENOIOCTLCMD"),
        Named(516, "ERESTART_RESTARTBLOCK"),
        Named(517, "EPROBE_DEFER"),
        Named(518, "EOPENSTALE"),
        Named(521, "EBADHANDLE"),
        Named(522, "ENOTSYNC"),
        Named(523, "EBADCOOKIE"),
        Named(524, "ENOTSUPP"),
        Named(525, "ETOOSMALL"),
        Named(526, "ESERVERFAULT"),
        Named(527, "EBADTYPE"),
        Named(528, "EJUKEBOX"),
        Named(529, "EIOCBQUEUED"),
        Named(530, "ERECALLCONFLICT"),
    ], unknown: "")
}

extension Tables {
    /// glibc's strerror text for 0...533, read once (strace prints the same library's text).
    private static let strerrorTexts: [String] = (0...533).map { String(cString: strerror(Int32($0))) }

    /// The text strace prints in parentheses after an error: glibc's strerror text
    /// (`No such file or directory`, `Unknown error 515` for codes it does not know), except the
    /// four restart codes, for which strace prints its own phrases and `?` as the return value:
    /// `= ? ERESTARTSYS (To be restarted if SA_RESTART is set)`. (strace prints errno values with no
    /// name in `errnoNames` as `= -1 (errno 41)`, without a message.)
    public static func errnoMessage(_ errno: Int) -> String {
        switch errno {
        case 512: return "To be restarted if SA_RESTART is set"
        case 513: return "To be restarted"
        case 514: return "To be restarted if no handler"
        case 516: return "Interrupted by signal"
        default: break
        }
        if errno >= 0, errno < strerrorTexts.count { return strerrorTexts[errno] }
        return "Unknown error \(errno)"
    }

    /// Whether strace prints this error as a restart (`= ? ERESTARTSYS (…)`) rather than `= -1 E… (…)`.
    public static func isRestartErrno(_ errno: Int) -> Bool {
        errno == 512 || errno == 513 || errno == 514 || errno == 516
    }
}
