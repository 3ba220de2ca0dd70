import Foundation
import XCTest

/// Syscalls whose struct arguments no hand decoder covers, traced on this kernel: their fields
/// come from the kernel's BTF (/sys/kernel/btf/vmlinux), in-parameters at entry, out-parameters
/// once the call returned.
final class BTFStructTraceTests: XCTestCase {
    static let source = #"""
    #define _GNU_SOURCE
    #include <fcntl.h>
    #include <stdint.h>
    #include <stdio.h>
    #include <sys/syscall.h>
    #include <time.h>
    #include <unistd.h>

    /* Layouts as in the kernel's UAPI (linux/mman.h, linux/mount.h, linux/futex.h). */
    struct cachestat_range { uint64_t off, len; };
    struct cachestat { uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted; };
    struct mnt_id_req { uint32_t size, mnt_ns_fd; uint64_t mnt_id, param, mnt_ns_id; };
    struct mount_attr { uint64_t attr_set, attr_clr, propagation, userns_fd; };
    struct futex_waitv { uint64_t val, uaddr; uint32_t flags, reserved; };

    int main(void) {
        int fd = open("/etc/hostname", O_RDONLY);
        struct cachestat_range range = { 0, 4096 };
        struct cachestat cs;
        syscall(451 /* cachestat */, fd, &range, &cs, 0);

        struct mnt_id_req req = { sizeof req, 0, ~0ULL /* LSMT_ROOT */, 0, 0 };
        uint64_t ids[4];
        long n = syscall(458 /* listmount */, &req, ids, 4, 0);
        if (n > 0) {
            struct mnt_id_req sreq = { sizeof sreq, 0, ids[0], 0x1 /* STATMOUNT_SB_BASIC */, 0 };
            static char buf[4096];
            syscall(457 /* statmount */, &sreq, buf, sizeof buf, 0);
        }

        struct mount_attr attr = { 0x1 /* MOUNT_ATTR_RDONLY */, 0, 0, 0 };
        syscall(442 /* mount_setattr */, -1, "/nonexistent-cgtrace", 0, &attr, sizeof attr);

        syscall(467 /* open_tree_attr */, -1, "/nonexistent-cgtrace", 0, &attr, sizeof attr);

        /* Hand-decoded (strace's format): still so with BTF around. */
        struct { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t prio;
                 uint64_t runtime, deadline, period; uint32_t util_min, util_max; } sa = { 56, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        syscall(314 /* sched_setattr */, 0, &sa, 0);

        uint32_t word = 0;
        struct futex_waitv w[2] = { { 1, (uintptr_t)&word, 2 /* FUTEX2_SIZE_U32 */, 0 },
                                    { 1, (uintptr_t)&word, 2, 0 } };
        struct timespec ts = { 0, 0 };
        syscall(449 /* futex_waitv */, w, 2, 0, &ts, CLOCK_MONOTONIC);
        return 0;
    }
    """#

    static func program() throws -> String {
        let dir = NSTemporaryDirectory()
        let src = dir + "cgtrace-btf-\(UUID().uuidString).c", exe = String(src.dropLast(2))
        try source.write(toFile: src, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: src) }
        let cc = try KernelTest.run(["/usr/bin/cc", "-O1", "-o", exe, src], timeout: 60)
        XCTAssertEqual(cc.status, 0, "cc failed: \(cc.stderr)")
        return exe
    }

    func testStructFieldsFromBTFInTextAndJSON() throws {
        try KernelTest.requireRoot()
        let exe = try Self.program()
        defer { try? FileManager.default.removeItem(atPath: exe) }
        let r = try KernelTest.cgtrace([], [exe])
        XCTAssertEqual(r.status, 0, r.stderr)
        func line(_ name: String) throws -> String {
            try XCTUnwrap(r.trace.first { $0.hasPrefix(name + "(") }, "no \(name) line in:\n" + r.trace.joined(separator: "\n"))
        }
        let cachestat = try line("cachestat")
        XCTAssertTrue(cachestat.contains(", {off=0, len=4096}, {nr_cache="), cachestat)
        XCTAssertTrue(cachestat.contains(", nr_recently_evicted=") && cachestat.hasSuffix("= 0"), cachestat)
        let listmount = try line("listmount")
        XCTAssertTrue(listmount.hasPrefix("listmount({size=32, ") && listmount.contains("mnt_id=18446744073709551615, param=0"), listmount)
        let statmount = try line("statmount")
        XCTAssertTrue(statmount.contains("param=1"), statmount)
        // The out-parameter after the call: STATMOUNT_SB_BASIC filled the superblock fields.
        XCTAssertTrue(statmount.contains("}, {size=") && statmount.contains("mask=0x1,") && statmount.contains("sb_magic="), statmount)
        let setattr = try line("mount_setattr")
        XCTAssertTrue(setattr.contains(#""/nonexistent-cgtrace", 0, {attr_set=0x1, attr_clr=0, propagation=0, userns_fd=0}, 32) = -1 ENOENT"#), setattr)
        let openTree = try line("open_tree_attr")
        XCTAssertTrue(openTree.contains(#", {attr_set=0x1, attr_clr=0, propagation=0, userns_fd=0}, 32) = -1 "#), openTree)
        let sched = try line("sched_setattr")
        XCTAssertTrue(sched.hasPrefix("sched_setattr(0, {size=56, sched_policy=SCHED_OTHER, "), sched)
        let futex = try line("futex_waitv")
        XCTAssertTrue(futex.hasPrefix("futex_waitv([{val=1, uaddr=0x") && futex.contains(", flags=0x2}, {val=1, "), futex)
        XCTAssertTrue(futex.contains("}], 2, 0, {tv_sec=0, tv_nsec=0}, 1)"), futex)

        // JSON: the same structs as typed objects.
        let j = try KernelTest.cgtrace(["--json"], [exe])
        let json = try XCTUnwrap(j.trace.first { $0.contains(#""syscall":"cachestat""#) }, j.trace.joined(separator: "\n"))
        XCTAssertTrue(json.contains(#""cstat_range":{"off":0,"len":4096}"#), json)
        XCTAssertTrue(json.contains(#""cstat":{"nr_cache":"#), json)
        try KernelTest.assertValidJSON(j.trace)
    }
}
