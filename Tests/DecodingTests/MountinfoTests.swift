import Launch
import XCTest

/// /proc/self/mountinfo as cgtrace reads it: where cgroup v2 is, and what covers /sys/fs/bpf.
final class MountinfoTests: XCTestCase {
    // A hybrid layout (cgroup v2 under unified), optional fields before the `-`, a mount point
    // with a space, and /sys/fs/bpf bound from sysfs, then covered by a bpffs.
    private let text = """
        23 27 0:22 / /sys rw,relatime shared:7 - sysfs sysfs rw
        30 23 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
        31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw
        40 27 0:30 / /mnt/with\\040space rw - ext4 /dev/vdb rw
        41 23 0:22 /fs/bpf /sys/fs/bpf rw - sysfs sysfs rw
        42 41 0:31 / /sys/fs/bpf rw - bpf bpf rw,mode=700
        garbage line without a dash
        """

    func testFirstOfATypeAndLastAtAPoint() {
        let m = Mountinfo(text: text)
        XCTAssertEqual(m.mounts.count, 6, "the line without fields is left out")
        XCTAssertEqual(m.firstPoint(ofType: "cgroup2"), "/sys/fs/cgroup/unified")
        XCTAssertNil(m.firstPoint(ofType: "tracefs"))
        XCTAssertEqual(m.type(at: "/sys/fs/bpf"), "bpf", "the last mount covers the bind")
        XCTAssertEqual(m.type(at: "/mnt/with space"), "ext4", "octal escapes undone")
        XCTAssertNil(m.type(at: "/sys/fs/bpf/cgtrace"))
        let bound = Mountinfo(text: text.split(separator: "\n").filter { !$0.hasPrefix("42 ") }.joined(separator: "\n"))
        XCTAssertEqual(bound.type(at: "/sys/fs/bpf"), "sysfs")
    }
}
