import Glibc
import WholeFiles

/// Who the command runs as with -u: the user's uid, primary gid and supplementary groups, as
/// login would set them (so `sudo cgtrace -u me -- make` does not build as root).
///
/// Read from /etc/passwd and /etc/group, not through NSS (getpwnam, getgrouplist). The release
/// binary is linked statically, and a static glibc's NSS loads the host's shared modules
/// (libnss_systemd and the libc they need) into the process: safe only with the same glibc as
/// the build's. A user known only to a directory service (LDAP, sssd) is not found: use a local
/// account. The files are read as glibc's own "files" module reads them: bytes compared as
/// bytes, blank and `#` lines skipped.
public struct UserCredentials: Sendable, Equatable {
    public let uid: uid_t
    public let gid: gid_t
    /// The primary group first, then each group that lists the user, once each.
    public let groups: [gid_t]

    public init(name: String) throws(LaunchError) {
        func read(_ path: String) throws(LaunchError) -> [UInt8] {
            guard let bytes = WholeFile.bytes(atPath: path) else {
                throw LaunchError("-u: cannot read \(path): \(String(cString: strerror(errno)))", exitCode: 2)
            }
            return bytes
        }
        try self.init(name: name, passwd: try read("/etc/passwd"), group: try read("/etc/group"))
    }

    /// From the bytes of an /etc/passwd (`name:password:uid:gid:gecos:home:shell`) and an
    /// /etc/group (`name:password:gid:member,member`); the first entry for `name` counts.
    public init(name: String, passwd: [UInt8], group: [UInt8]) throws(LaunchError) {
        let wanted = Array(name.utf8)
        guard !wanted.isEmpty, !wanted.contains(UInt8(ascii: ":")),
              let user = Self.entries(passwd).first(where: { $0.count >= 4 && Array($0[0]) == wanted }),
              let uid = Self.number(user[2]), let gid = Self.number(user[3]) else {
            throw LaunchError("Cannot find user '\(name)'", exitCode: 2)
        }
        self.uid = uid
        self.gid = gid
        var groups = [gid]
        for entry in Self.entries(group) where entry.count >= 4 {
            if let id = Self.number(entry[2]), !groups.contains(id),
               entry[3].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true).contains(where: { Array($0) == wanted }) {
                groups.append(id)
            }
        }
        self.groups = groups
    }

    /// The colon-separated fields of each line; blank lines and comments (`#` after any leading
    /// blanks) left out.
    private static func entries(_ bytes: [UInt8]) -> [[ArraySlice<UInt8>]] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let text = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard let first = text.first, first != UInt8(ascii: "#") else { return nil }
            return text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        }
    }

    /// A uid or gid: decimal digits only, within 32 bits.
    private static func number(_ field: ArraySlice<UInt8>) -> UInt32? {
        guard !field.isEmpty, field.count <= 10, field.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt32(exactly: field.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) })
    }
}
