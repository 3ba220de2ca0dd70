import Launch
import XCTest

/// -u's lookup in /etc/passwd and /etc/group (the static binary uses no NSS): the fields, the
/// groups that list the user, and the names it must not find.
final class UserCredentialsTests: XCTestCase {
    private let passwd = Array("""
        # local accounts
          # an indented comment
        root:x:0:0:root:/root:/bin/bash
        me:x:1000:1000:Me,,,:/home/me:/bin/bash
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        me:x:2000:2000:a second entry, not the one used:/:/bin/sh
        broken:x:notanumber:1:::
        big:x:4294967296:1:::
        caf\u{E9}:x:3000:3000:::
        """.utf8)
    private let group = Array("""
        root:x:0:
        adm:x:4:syslog,me
        me:x:1000:
        sudo:x:27:me
        staff:x:50:other
        docker:x:999:other,me
        dup:x:27:me
        """.utf8)

    func testUserTakesUidPrimaryGidAndTheGroupsThatListIt() throws {
        let me = try UserCredentials(name: "me", passwd: passwd, group: group)
        XCTAssertEqual(me.uid, 1000)
        XCTAssertEqual(me.gid, 1000)
        XCTAssertEqual(me.groups, [1000, 4, 27, 999])
        let nobody = try UserCredentials(name: "nobody", passwd: passwd, group: group)
        XCTAssertEqual([nobody.uid, nobody.gid], [65534, 65534])
        XCTAssertEqual(nobody.groups, [65534])
    }

    func testUnknownMalformedAndPartialNamesAreNotFound() {
        // Names are compared as bytes, as glibc compares them: a decomposed é is another name.
        XCTAssertEqual(try UserCredentials(name: "caf\u{E9}", passwd: passwd, group: group).uid, 3000)
        for name in ["no-such-user", "", "m", "me:x", "broken", "big", "# local accounts", "cafe\u{301}"] {
            XCTAssertThrowsError(try UserCredentials(name: name, passwd: passwd, group: group), name) { error in
                XCTAssertEqual("\(error)", "Cannot find user '\(name)'")
            }
        }
    }
}
