/// What a syscall's raw return value says. The kernel returns a failure as -errno, and errno
/// values go up to MAX_ERRNO (4095, include/linux/err.h): a value in -4095…-1 is a failure,
/// anything else a result (mmap's high addresses are negative as an Int64, but below -4095).
/// The one definition: the outputs, `-c`, `-z`/`-Z` and the recorder's status filter ask here.
public enum SyscallResult {
    /// The largest errno a return value carries (the kernel's MAX_ERRNO).
    @inlinable public static var maxErrno: Int64 { 4095 }

    /// `ret` is a failure, -errno (strace prints it `= -1 ENAME (message)`).
    @inlinable public static func isError(_ ret: Int64) -> Bool { ret < 0 && ret >= -maxErrno }

    /// The errno a failed call returned; nil when `ret` is a result.
    @inlinable public static func errorNumber(_ ret: Int64) -> Int? { isError(ret) ? Int(-ret) : nil }
}
