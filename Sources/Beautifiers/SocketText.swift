/// -yy: a socket as strace names it — `TCP:[127.0.0.1:43957->127.0.0.1:51412]`, `UDP:[213660]`
/// before it is bound, `UNIX-STREAM:[213629]` — from the kernel's struct cgt_sock_info.
enum SocketText {
    /// The text, or the one `cache` kept for the socket (see SocketTextCache). `unixPath`: the
    /// bound sun_path bytes of an AF_UNIX socket (an abstract name starts with a NUL), if bound.
    static func describe(_ bytes: ArraySlice<UInt8>, inode: UInt64, unixPath: ArraySlice<UInt8>?,
                         cache: SocketTextCache?) -> String? {
        if let kept = cache?[inode] { return kept }
        guard let (text, found) = make(bytes, inode: inode, unixPath: unixPath) else { return nil }
        if found { cache?[inode] = text }
        return text
    }

    /// The text, and whether strace's sock_diag query would have found the socket with something
    /// to say (and so kept the text): an AF_UNIX socket with a peer or a name, an AF_INET one
    /// that is bound, an AF_NETLINK one with a port id. The others print as `PROTO:[inode]`,
    /// looked up again at each call.
    private static func make(_ bytes: ArraySlice<UInt8>, inode: UInt64,
                             unixPath: ArraySlice<UInt8>?) -> (text: String, found: Bool)? {
        let r = FieldReader(bytes)
        let family = r.u16(0), type = r.u16(2), proto = r.u16(4)
        let localPort = r.u16(6), remotePort = r.u16(8)
        switch family {
        case 1:  // AF_UNIX: the kernel's protocol names (a datagram socket is plain "UNIX")
            let name = [1: "UNIX-STREAM", 2: "UNIX", 5: "UNIX-SEQPACKET"][Int(type)] ?? "UNIX"
            let peer = r.u64(32)
            var text = "\(name):[\(inode)" + (peer != 0 ? "->\(peer)" : "")
            let named = !(unixPath?.isEmpty ?? true)
            if let path = unixPath, named {
                let abstract = path.first == 0
                let bytes = abstract ? path.dropFirst() : path.prefix { $0 != 0 }
                var quoted: [UInt8] = []
                Quoting.appendQuoted(bytes, to: &quoted)
                text += "," + (abstract ? "@" : "") + String(decoding: quoted, as: UTF8.self)
            }
            return (text + "]", peer != 0 || named)
        case 2, 10:  // AF_INET, AF_INET6
            guard let name = [6: "TCP", 17: "UDP", 136: "UDPLITE"][Int(proto)] else { return nil }
            let label = family == 10 ? name + "v6" : name
            if localPort == 0 { return ("\(label):[\(inode)]", false) }
            let address = { (offset: Int) -> String in
                let a = Array(bytes.dropFirst(offset).prefix(family == 10 ? 16 : 4))
                return family == 10 ? "[" + NetworkCalls.ipv6Text(a) + "]" : a.map(String.init).joined(separator: ".")
            }
            let local = "\(address(16)):\(localPort)"
            if remotePort == 0 { return ("\(label):[\(local)]", true) }
            return ("\(label):[\(local)->\(address(32)):\(remotePort)]", true)
        case 16:  // AF_NETLINK: `NETLINK:[ROUTE:1234]` once bound (its port id), else the inode
            let portid = r.u32(16)
            guard portid != 0 else { return ("NETLINK:[\(inode)]", false) }
            let protocolName = Tables.netlinkProtocols.name(for: UInt64(proto)).map { String($0.dropFirst("NETLINK_".count)) }
                ?? String(proto)
            return ("NETLINK:[\(protocolName):\(portid)]", true)
        default:
            return nil
        }
    }
}

/// strace -yy's memory of sockets: the first text it found for a socket by sock_diag is what it
/// prints for that socket from then on, in a table of 1024 slots by the inode's low bits (a
/// socket whose slot another took is looked up again). So a socket whose peer has closed still
/// shows `UNIX-STREAM:[1234->1235]`, where the kernel now reports no peer, and a UDP socket
/// connected after it was bound keeps its bound-only text. cgtrace's kernel side reports each
/// call's present state; one cache per trace gives the lines strace prints.
public final class SocketTextCache {
    private var inodes = [UInt64](repeating: 0, count: 1024)
    private var texts = [String?](repeating: nil, count: 1024)
    /// Moves on whenever a text is kept: what was derived from the cache before may be stale.
    public private(set) var generation = 0

    public init() {}

    subscript(inode: UInt64) -> String? {
        get {
            let slot = Int(inode & 1023)
            return inodes[slot] == inode ? texts[slot] : nil
        }
        set {
            let slot = Int(inode & 1023)
            inodes[slot] = inode
            texts[slot] = newValue
            generation &+= 1
        }
    }
}
