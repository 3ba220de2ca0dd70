import Glibc
import WholeFiles

/// Who the command runs as with -u: the user's uid, primary gid and supplementary groups, as
/// login would set them (so `sudo cgtrace -u me -- make` does not build as root).
///
/// Read from /etc/passwd and /etc/group, not through NSS (getpwnam, getgrouplist). The release
/// binary is linked statically, and a static glibc's NSS loads the host's shared modules
/// (libnss_systemd and the libc they need) into the process: safe only with the same glibc as
/// the build's. A user known only to a directory service (LDAP, sssd) is not found: use a local
/// account.
public struct UserCredentials: Sendable, Equatable {
    public let uid: uid_t
    public let gid: gid_t
    /// The primary group first, then each group that lists the user, once each.
    public let groups: [gid_t]

    public init(name: String) throws(LaunchError) {
        try self.init(name: name, passwd: WholeFile.text(atPath: "/etc/passwd") ?? "",
                      group: WholeFile.text(atPath: "/etc/group") ?? "")
    }

    /// From the text of an /etc/passwd (`name:password:uid:gid:gecos:home:shell`) and an
    /// /etc/group (`name:password:gid:member,member`); the first entry for `name` counts.
    public init(name: String, passwd: String, group: String) throws(LaunchError) {
        guard !name.isEmpty, !name.contains(":"),
              let user = Self.entries(passwd).first(where: { $0.count >= 4 && $0[0] == name }),
              let uid = uid_t(user[2]), let gid = gid_t(user[3]) else {
            throw LaunchError("Cannot find user '\(name)'", exitCode: 2)
        }
        self.uid = uid
        self.gid = gid
        var groups = [gid]
        for entry in Self.entries(group) where entry.count >= 4 {
            if let id = gid_t(entry[2]), !groups.contains(id), entry[3].split(separator: ",").contains(Substring(name)) {
                groups.append(id)
            }
        }
        self.groups = groups
    }

    /// The colon-separated fields of each line, comments and blank lines left out.
    private static func entries(_ text: String) -> [[Substring]] {
        text.split(separator: "\n").compactMap { line in
            line.hasPrefix("#") ? nil : line.split(separator: ":", omittingEmptySubsequences: false)
        }
    }
}
