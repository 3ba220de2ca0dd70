import Glibc

/// Who the command runs as with -u: the user's uid, primary gid and supplementary groups, as
/// login would set them (so `sudo cgtrace -u me -- make` does not build as root).
public struct UserCredentials: Sendable {
    public let uid: uid_t
    public let gid: gid_t
    public let groups: [gid_t]

    public init(name: String) throws(LaunchError) {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        let rc = getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else {
            throw LaunchError("Cannot find user '\(name)'", exitCode: 2)
        }
        uid = entry.pw_uid
        gid = entry.pw_gid
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, gid, &groups, &count)
        }
        self.groups = Array(groups.prefix(Int(max(count, 0))))
    }
}
