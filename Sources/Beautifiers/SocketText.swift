/// -yy: a socket as strace names it — `TCP:[127.0.0.1:43957->127.0.0.1:51412]`, `UDP:[213660]`
/// before it is bound, `UNIX-STREAM:[213629]` — from the kernel's struct cgt_sock_info.
enum SocketText {
    /// `unixPath`: the bound sun_path bytes of an AF_UNIX socket (an abstract name starts with
    /// a NUL), if it is bound.
    static func describe(_ bytes: ArraySlice<UInt8>, inode: UInt64, unixPath: ArraySlice<UInt8>? = nil) -> String? {
        let r = FieldReader(bytes)
        let family = r.u16(0), type = r.u16(2), proto = r.u16(4)
        let localPort = r.u16(6), remotePort = r.u16(8)
        switch family {
        case 1:  // AF_UNIX: the kernel's protocol names (a datagram socket is plain "UNIX")
            let name = [1: "UNIX-STREAM", 2: "UNIX", 5: "UNIX-SEQPACKET"][Int(type)] ?? "UNIX"
            let peer = r.u64(32)
            var text = "\(name):[\(inode)" + (peer != 0 ? "->\(peer)" : "")
            if let path = unixPath, !path.isEmpty {
                let abstract = path.first == 0
                let bytes = abstract ? path.dropFirst() : path.prefix { $0 != 0 }
                var quoted: [UInt8] = []
                Quoting.appendQuoted(bytes, to: &quoted)
                text += "," + (abstract ? "@" : "") + String(decoding: quoted, as: UTF8.self)
            }
            return text + "]"
        case 2, 10:  // AF_INET, AF_INET6
            guard let name = [6: "TCP", 17: "UDP", 136: "UDPLITE"][Int(proto)] else { return nil }
            let label = family == 10 ? name + "v6" : name
            if localPort == 0 { return "\(label):[\(inode)]" }
            let address = { (offset: Int) -> String in
                let a = Array(bytes.dropFirst(offset).prefix(family == 10 ? 16 : 4))
                return family == 10 ? "[" + NetworkCalls.ipv6Text(a) + "]" : a.map(String.init).joined(separator: ".")
            }
            let local = "\(address(16)):\(localPort)"
            if remotePort == 0 { return "\(label):[\(local)]" }
            return "\(label):[\(local)->\(address(32)):\(remotePort)]"
        case 16:  // AF_NETLINK: `NETLINK:[ROUTE:1234]` once bound (its port id), else the inode
            let portid = r.u32(16)
            guard portid != 0 else { return "NETLINK:[\(inode)]" }
            let protocolName = Tables.netlinkProtocols.name(for: UInt64(proto)).map { String($0.dropFirst("NETLINK_".count)) }
                ?? String(proto)
            return "NETLINK:[\(protocolName):\(portid)]"
        default:
            return nil
        }
    }
}
