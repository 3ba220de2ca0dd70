// Netlink: message types, flags, family structs' fields and attribute types.
// Values are the Linux UAPI's (linux/netlink.h, rtnetlink.h, if_link.h, inet_diag.h…); names and
// print order follow strace 6.1.

extension Tables {
    /// nlmsghdr.nlmsg_type: the control messages below NLMSG_MIN_TYPE (linux/netlink.h).
    public static let netlinkMessageTypes = EnumTable([
        Named(1, "NLMSG_NOOP"),
        Named(2, "NLMSG_ERROR"),
        Named(3, "NLMSG_DONE"),
        Named(4, "NLMSG_OVERRUN"),
    ], unknown: "NLMSG_???")

    /// nlmsg_flags bits every message may carry (linux/netlink.h), printed first.
    public static let netlinkFlagNames: [Named] = [
        Named(1, "NLM_F_REQUEST"),
        Named(2, "NLM_F_MULTI"),
        Named(4, "NLM_F_ACK"),
        Named(8, "NLM_F_ECHO"),
        Named(0x10, "NLM_F_DUMP_INTR"),
        Named(0x20, "NLM_F_DUMP_FILTERED"),
    ]

    /// nlmsg_flags of GET requests.
    public static let netlinkGetFlagNames: [Named] = [
        Named(0x300, "NLM_F_DUMP"),
        Named(0x100, "NLM_F_ROOT"),
        Named(0x200, "NLM_F_MATCH"),
        Named(0x400, "NLM_F_ATOMIC"),
    ]

    /// nlmsg_flags of NEW requests.
    public static let netlinkNewFlagNames: [Named] = [
        Named(0x100, "NLM_F_REPLACE"),
        Named(0x200, "NLM_F_EXCL"),
        Named(0x400, "NLM_F_CREATE"),
        Named(0x800, "NLM_F_APPEND"),
    ]

    /// nlmsg_flags of DEL requests.
    public static let netlinkDeleteFlagNames: [Named] = [
        Named(0x100, "NLM_F_NONREC"),
        Named(0x200, "NLM_F_BULK"),
    ]

    /// nlmsg_flags of NLMSG_ERROR acknowledgements.
    public static let netlinkAckFlagNames: [Named] = [
        Named(0x100, "NLM_F_CAPPED"),
        Named(0x200, "NLM_F_ACK_TLVS"),
    ]

    /// Extended acknowledgement attributes (linux/netlink.h).
    public static let nlmsgerrAttributes = EnumTable([
        Named(0, "NLMSGERR_ATTR_UNUSED"),
        Named(1, "NLMSGERR_ATTR_MSG"),
        Named(2, "NLMSGERR_ATTR_OFFS"),
        Named(3, "NLMSGERR_ATTR_COOKIE"),
        Named(4, "NLMSGERR_ATTR_POLICY"),
        Named(5, "NLMSGERR_ATTR_MISS_TYPE"),
        Named(6, "NLMSGERR_ATTR_MISS_NEST"),
    ], unknown: "NLMSGERR_ATTR_???")

    /// NETLINK_ROUTE message types (linux/rtnetlink.h).
    public static let rtnetlinkMessageTypes = EnumTable([
        Named(0x10, "RTM_NEWLINK"),
        Named(0x11, "RTM_DELLINK"),
        Named(0x12, "RTM_GETLINK"),
        Named(0x13, "RTM_SETLINK"),
        Named(0x14, "RTM_NEWADDR"),
        Named(0x15, "RTM_DELADDR"),
        Named(0x16, "RTM_GETADDR"),
        Named(0x18, "RTM_NEWROUTE"),
        Named(0x19, "RTM_DELROUTE"),
        Named(0x1a, "RTM_GETROUTE"),
        Named(0x1c, "RTM_NEWNEIGH"),
        Named(0x1d, "RTM_DELNEIGH"),
        Named(0x1e, "RTM_GETNEIGH"),
        Named(0x20, "RTM_NEWRULE"),
        Named(0x21, "RTM_DELRULE"),
        Named(0x22, "RTM_GETRULE"),
        Named(0x24, "RTM_NEWQDISC"),
        Named(0x25, "RTM_DELQDISC"),
        Named(0x26, "RTM_GETQDISC"),
        Named(0x28, "RTM_NEWTCLASS"),
        Named(0x29, "RTM_DELTCLASS"),
        Named(0x2a, "RTM_GETTCLASS"),
        Named(0x2c, "RTM_NEWTFILTER"),
        Named(0x2d, "RTM_DELTFILTER"),
        Named(0x2e, "RTM_GETTFILTER"),
        Named(0x30, "RTM_NEWACTION"),
        Named(0x31, "RTM_DELACTION"),
        Named(0x32, "RTM_GETACTION"),
        Named(0x34, "RTM_NEWPREFIX"),
        Named(0x3a, "RTM_GETMULTICAST"),
        Named(0x3e, "RTM_GETANYCAST"),
        Named(0x40, "RTM_NEWNEIGHTBL"),
        Named(0x42, "RTM_GETNEIGHTBL"),
        Named(0x43, "RTM_SETNEIGHTBL"),
        Named(0x44, "RTM_NEWNDUSEROPT"),
        Named(0x48, "RTM_NEWADDRLABEL"),
        Named(0x49, "RTM_DELADDRLABEL"),
        Named(0x4a, "RTM_GETADDRLABEL"),
        Named(0x4e, "RTM_GETDCB"),
        Named(0x4f, "RTM_SETDCB"),
        Named(0x50, "RTM_NEWNETCONF"),
        Named(0x51, "RTM_DELNETCONF"),
        Named(0x52, "RTM_GETNETCONF"),
        Named(0x54, "RTM_NEWMDB"),
        Named(0x55, "RTM_DELMDB"),
        Named(0x56, "RTM_GETMDB"),
        Named(0x58, "RTM_NEWNSID"),
        Named(0x59, "RTM_DELNSID"),
        Named(0x5a, "RTM_GETNSID"),
        Named(0x5c, "RTM_NEWSTATS"),
        Named(0x5e, "RTM_GETSTATS"),
        Named(0x60, "RTM_NEWCACHEREPORT"),
        Named(0x64, "RTM_NEWCHAIN"),
        Named(0x65, "RTM_DELCHAIN"),
        Named(0x66, "RTM_GETCHAIN"),
        Named(0x68, "RTM_NEWNEXTHOP"),
        Named(0x69, "RTM_DELNEXTHOP"),
        Named(0x6a, "RTM_GETNEXTHOP"),
        Named(0x6c, "RTM_NEWLINKPROP"),
        Named(0x6d, "RTM_DELLINKPROP"),
        Named(0x6e, "RTM_GETLINKPROP"),
        Named(0x70, "RTM_NEWVLAN"),
        Named(0x71, "RTM_DELVLAN"),
        Named(0x72, "RTM_GETVLAN"),
        Named(0x74, "RTM_NEWNEXTHOPBUCKET"),
        Named(0x75, "RTM_DELNEXTHOPBUCKET"),
        Named(0x76, "RTM_GETNEXTHOPBUCKET"),
    ], unknown: "RTM_???")

    /// NETLINK_SOCK_DIAG message types (linux/sock_diag.h, linux/inet_diag.h).
    public static let sockDiagMessageTypes = EnumTable([
        Named(0x12, "TCPDIAG_GETSOCK"),
        Named(0x13, "DCCPDIAG_GETSOCK"),
        Named(0x14, "SOCK_DIAG_BY_FAMILY"),
        Named(0x15, "SOCK_DESTROY"),
    ], unknown: "SOCK_DIAG_???")

    /// NETLINK_AUDIT message types (linux/audit.h).
    public static let auditMessageTypes = EnumTable([
        Named(0x3e8, "AUDIT_GET"),
        Named(0x3e9, "AUDIT_SET"),
        Named(0x3ea, "AUDIT_LIST"),
        Named(0x3eb, "AUDIT_ADD"),
        Named(0x3ec, "AUDIT_DEL"),
        Named(0x3ed, "AUDIT_USER"),
        Named(0x3ee, "AUDIT_LOGIN"),
        Named(0x3ef, "AUDIT_WATCH_INS"),
        Named(0x3f0, "AUDIT_WATCH_REM"),
        Named(0x3f1, "AUDIT_WATCH_LIST"),
        Named(0x3f2, "AUDIT_SIGNAL_INFO"),
        Named(0x3f3, "AUDIT_ADD_RULE"),
        Named(0x3f4, "AUDIT_DEL_RULE"),
        Named(0x3f5, "AUDIT_LIST_RULES"),
        Named(0x3f6, "AUDIT_TRIM"),
        Named(0x3f7, "AUDIT_MAKE_EQUIV"),
        Named(0x3f8, "AUDIT_TTY_GET"),
        Named(0x3f9, "AUDIT_TTY_SET"),
        Named(0x3fa, "AUDIT_SET_FEATURE"),
        Named(0x3fb, "AUDIT_GET_FEATURE"),
        Named(0x44c, "AUDIT_FIRST_USER_MSG"),
        Named(0x453, "AUDIT_USER_AVC"),
        Named(0x464, "AUDIT_USER_TTY"),
        Named(0x4af, "AUDIT_LAST_USER_MSG"),
        Named(0x4b0, "AUDIT_DAEMON_START"),
        Named(0x4b1, "AUDIT_DAEMON_END"),
        Named(0x4b2, "AUDIT_DAEMON_ABORT"),
        Named(0x4b3, "AUDIT_DAEMON_CONFIG"),
        Named(0x514, "AUDIT_SYSCALL"),
        Named(0x515, "AUDIT_FS_WATCH"),
        Named(0x516, "AUDIT_PATH"),
        Named(0x517, "AUDIT_IPC"),
        Named(0x518, "AUDIT_SOCKETCALL"),
        Named(0x519, "AUDIT_CONFIG_CHANGE"),
        Named(0x51a, "AUDIT_SOCKADDR"),
        Named(0x51b, "AUDIT_CWD"),
        Named(0x51d, "AUDIT_EXECVE"),
        Named(0x51f, "AUDIT_IPC_SET_PERM"),
        Named(0x520, "AUDIT_MQ_OPEN"),
        Named(0x521, "AUDIT_MQ_SENDRECV"),
        Named(0x522, "AUDIT_MQ_NOTIFY"),
        Named(0x523, "AUDIT_MQ_GETSETATTR"),
        Named(0x524, "AUDIT_KERNEL_OTHER"),
        Named(0x525, "AUDIT_FD_PAIR"),
        Named(0x526, "AUDIT_OBJ_PID"),
        Named(0x527, "AUDIT_TTY"),
        Named(0x528, "AUDIT_EOE"),
        Named(0x529, "AUDIT_BPRM_FCAPS"),
        Named(0x52a, "AUDIT_CAPSET"),
        Named(0x52b, "AUDIT_MMAP"),
        Named(0x52c, "AUDIT_NETFILTER_PKT"),
        Named(0x52d, "AUDIT_NETFILTER_CFG"),
        Named(0x52e, "AUDIT_SECCOMP"),
        Named(0x52f, "AUDIT_PROCTITLE"),
        Named(0x530, "AUDIT_FEATURE_CHANGE"),
        Named(0x531, "AUDIT_REPLACE"),
        Named(0x532, "AUDIT_KERN_MODULE"),
        Named(0x533, "AUDIT_FANOTIFY"),
        Named(0x534, "AUDIT_TIME_INJOFFSET"),
        Named(0x535, "AUDIT_TIME_ADJNTPVAL"),
        Named(0x536, "AUDIT_BPF"),
        Named(0x537, "AUDIT_EVENT_LISTENER"),
        Named(0x538, "AUDIT_URINGOP"),
        Named(0x539, "AUDIT_OPENAT2"),
        Named(0x53a, "AUDIT_DM_CTRL"),
        Named(0x53b, "AUDIT_DM_EVENT"),
        Named(0x578, "AUDIT_AVC"),
        Named(0x579, "AUDIT_SELINUX_ERR"),
        Named(0x57a, "AUDIT_AVC_PATH"),
        Named(0x57b, "AUDIT_MAC_POLICY_LOAD"),
        Named(0x57c, "AUDIT_MAC_STATUS"),
        Named(0x57d, "AUDIT_MAC_CONFIG_CHANGE"),
        Named(0x57e, "AUDIT_MAC_UNLBL_ALLOW"),
        Named(0x57f, "AUDIT_MAC_CIPSOV4_ADD"),
        Named(0x580, "AUDIT_MAC_CIPSOV4_DEL"),
        Named(0x581, "AUDIT_MAC_MAP_ADD"),
        Named(0x582, "AUDIT_MAC_MAP_DEL"),
        Named(0x583, "AUDIT_MAC_IPSEC_ADDSA"),
        Named(0x584, "AUDIT_MAC_IPSEC_DELSA"),
        Named(0x585, "AUDIT_MAC_IPSEC_ADDSPD"),
        Named(0x586, "AUDIT_MAC_IPSEC_DELSPD"),
        Named(0x587, "AUDIT_MAC_IPSEC_EVENT"),
        Named(0x588, "AUDIT_MAC_UNLBL_STCADD"),
        Named(0x589, "AUDIT_MAC_UNLBL_STCDEL"),
        Named(0x58a, "AUDIT_MAC_CALIPSO_ADD"),
        Named(0x58b, "AUDIT_MAC_CALIPSO_DEL"),
        Named(0x6a4, "AUDIT_ANOM_PROMISCUOUS"),
        Named(0x6a5, "AUDIT_ANOM_ABEND"),
        Named(0x6a6, "AUDIT_ANOM_LINK"),
        Named(0x6a7, "AUDIT_ANOM_CREAT"),
        Named(0x707, "AUDIT_LAST_KERN_ANOM_MSG"),
        Named(0x708, "AUDIT_INTEGRITY_DATA"),
        Named(0x709, "AUDIT_INTEGRITY_METADATA"),
        Named(0x70a, "AUDIT_INTEGRITY_STATUS"),
        Named(0x70b, "AUDIT_INTEGRITY_HASH"),
        Named(0x70c, "AUDIT_INTEGRITY_PCR"),
        Named(0x70d, "AUDIT_INTEGRITY_RULE"),
        Named(0x70e, "AUDIT_INTEGRITY_EVM_XATTR"),
        Named(0x70f, "AUDIT_INTEGRITY_POLICY_RULE"),
        Named(0x7d0, "AUDIT_KERNEL"),
        Named(0x834, "AUDIT_FIRST_USER_MSG2"),
        Named(0xbb7, "AUDIT_LAST_USER_MSG2"),
    ], unknown: "AUDIT_???")

    /// NETLINK_SELINUX message types (linux/selinux_netlink.h).
    public static let selinuxMessageTypes = EnumTable([
        Named(0x10, "SELNL_MSG_SETENFORCE"),
        Named(0x11, "SELNL_MSG_POLICYLOAD"),
    ], unknown: "SELNL_MSG_???")

    /// NETLINK_XFRM message types (linux/xfrm.h).
    public static let xfrmMessageTypes = EnumTable([
        Named(0x10, "XFRM_MSG_NEWSA"),
        Named(0x11, "XFRM_MSG_DELSA"),
        Named(0x12, "XFRM_MSG_GETSA"),
        Named(0x13, "XFRM_MSG_NEWPOLICY"),
        Named(0x14, "XFRM_MSG_DELPOLICY"),
        Named(0x15, "XFRM_MSG_GETPOLICY"),
        Named(0x16, "XFRM_MSG_ALLOCSPI"),
        Named(0x17, "XFRM_MSG_ACQUIRE"),
        Named(0x18, "XFRM_MSG_EXPIRE"),
        Named(0x19, "XFRM_MSG_UPDPOLICY"),
        Named(0x1a, "XFRM_MSG_UPDSA"),
        Named(0x1b, "XFRM_MSG_POLEXPIRE"),
        Named(0x1c, "XFRM_MSG_FLUSHSA"),
        Named(0x1d, "XFRM_MSG_FLUSHPOLICY"),
        Named(0x1e, "XFRM_MSG_NEWAE"),
        Named(0x1f, "XFRM_MSG_GETAE"),
        Named(0x20, "XFRM_MSG_REPORT"),
        Named(0x21, "XFRM_MSG_MIGRATE"),
        Named(0x22, "XFRM_MSG_NEWSADINFO"),
        Named(0x23, "XFRM_MSG_GETSADINFO"),
        Named(0x24, "XFRM_MSG_NEWSPDINFO"),
        Named(0x25, "XFRM_MSG_GETSPDINFO"),
        Named(0x26, "XFRM_MSG_MAPPING"),
        Named(0x27, "XFRM_MSG_SETDEFAULT"),
        Named(0x28, "XFRM_MSG_GETDEFAULT"),
    ], unknown: "XFRM_MSG_???")

    /// NETLINK_CRYPTO message types (linux/cryptouser.h).
    public static let cryptoMessageTypes = EnumTable([
        Named(0x10, "CRYPTO_MSG_NEWALG"),
        Named(0x11, "CRYPTO_MSG_DELALG"),
        Named(0x12, "CRYPTO_MSG_UPDATEALG"),
        Named(0x13, "CRYPTO_MSG_GETALG"),
        Named(0x14, "CRYPTO_MSG_DELRNG"),
    ], unknown: "CRYPTO_MSG_???")

    /// ifinfomsg attributes (linux/if_link.h).
    public static let linkAttributes = EnumTable([
        Named(0, "IFLA_UNSPEC"),
        Named(1, "IFLA_ADDRESS"),
        Named(2, "IFLA_BROADCAST"),
        Named(3, "IFLA_IFNAME"),
        Named(4, "IFLA_MTU"),
        Named(5, "IFLA_LINK"),
        Named(6, "IFLA_QDISC"),
        Named(7, "IFLA_STATS"),
        Named(8, "IFLA_COST"),
        Named(9, "IFLA_PRIORITY"),
        Named(0xa, "IFLA_MASTER"),
        Named(0xb, "IFLA_WIRELESS"),
        Named(0xc, "IFLA_PROTINFO"),
        Named(0xd, "IFLA_TXQLEN"),
        Named(0xe, "IFLA_MAP"),
        Named(0xf, "IFLA_WEIGHT"),
        Named(0x10, "IFLA_OPERSTATE"),
        Named(0x11, "IFLA_LINKMODE"),
        Named(0x12, "IFLA_LINKINFO"),
        Named(0x13, "IFLA_NET_NS_PID"),
        Named(0x14, "IFLA_IFALIAS"),
        Named(0x15, "IFLA_NUM_VF"),
        Named(0x16, "IFLA_VFINFO_LIST"),
        Named(0x17, "IFLA_STATS64"),
        Named(0x18, "IFLA_VF_PORTS"),
        Named(0x19, "IFLA_PORT_SELF"),
        Named(0x1a, "IFLA_AF_SPEC"),
        Named(0x1b, "IFLA_GROUP"),
        Named(0x1c, "IFLA_NET_NS_FD"),
        Named(0x1d, "IFLA_EXT_MASK"),
        Named(0x1e, "IFLA_PROMISCUITY"),
        Named(0x1f, "IFLA_NUM_TX_QUEUES"),
        Named(0x20, "IFLA_NUM_RX_QUEUES"),
        Named(0x21, "IFLA_CARRIER"),
        Named(0x22, "IFLA_PHYS_PORT_ID"),
        Named(0x23, "IFLA_CARRIER_CHANGES"),
        Named(0x24, "IFLA_PHYS_SWITCH_ID"),
        Named(0x25, "IFLA_LINK_NETNSID"),
        Named(0x26, "IFLA_PHYS_PORT_NAME"),
        Named(0x27, "IFLA_PROTO_DOWN"),
        Named(0x28, "IFLA_GSO_MAX_SEGS"),
        Named(0x29, "IFLA_GSO_MAX_SIZE"),
        Named(0x2a, "IFLA_PAD"),
        Named(0x2b, "IFLA_XDP"),
        Named(0x2c, "IFLA_EVENT"),
        Named(0x2d, "IFLA_NEW_NETNSID"),
        Named(0x2e, "IFLA_IF_NETNSID"),
        Named(0x2f, "IFLA_CARRIER_UP_COUNT"),
        Named(0x30, "IFLA_CARRIER_DOWN_COUNT"),
        Named(0x31, "IFLA_NEW_IFINDEX"),
        Named(0x32, "IFLA_MIN_MTU"),
        Named(0x33, "IFLA_MAX_MTU"),
        Named(0x34, "IFLA_PROP_LIST"),
        Named(0x35, "IFLA_ALT_IFNAME"),
        Named(0x36, "IFLA_PERM_ADDRESS"),
        Named(0x37, "IFLA_PROTO_DOWN_REASON"),
        Named(0x38, "IFLA_PARENT_DEV_NAME"),
        Named(0x39, "IFLA_PARENT_DEV_BUS_NAME"),
        Named(0x3a, "IFLA_GRO_MAX_SIZE"),
        Named(0x3b, "IFLA_TSO_MAX_SIZE"),
        Named(0x3c, "IFLA_TSO_MAX_SEGS"),
        Named(0x3d, "IFLA_ALLMULTI"),
    ], unknown: "IFLA_???")

    /// ifaddrmsg attributes (linux/if_addr.h).
    public static let addressAttributes = EnumTable([
        Named(0, "IFA_UNSPEC"),
        Named(1, "IFA_ADDRESS"),
        Named(2, "IFA_LOCAL"),
        Named(3, "IFA_LABEL"),
        Named(4, "IFA_BROADCAST"),
        Named(5, "IFA_ANYCAST"),
        Named(6, "IFA_CACHEINFO"),
        Named(7, "IFA_MULTICAST"),
        Named(8, "IFA_FLAGS"),
        Named(9, "IFA_RT_PRIORITY"),
        Named(0xa, "IFA_TARGET_NETNSID"),
        Named(0xb, "IFA_PROTO"),
    ], unknown: "IFA_???")

    /// rtmsg attributes (linux/rtnetlink.h).
    public static let routeAttributes = EnumTable([
        Named(0, "RTA_UNSPEC"),
        Named(1, "RTA_DST"),
        Named(2, "RTA_SRC"),
        Named(3, "RTA_IIF"),
        Named(4, "RTA_OIF"),
        Named(5, "RTA_GATEWAY"),
        Named(6, "RTA_PRIORITY"),
        Named(7, "RTA_PREFSRC"),
        Named(8, "RTA_METRICS"),
        Named(9, "RTA_MULTIPATH"),
        Named(0xa, "RTA_PROTOINFO"),
        Named(0xb, "RTA_FLOW"),
        Named(0xc, "RTA_CACHEINFO"),
        Named(0xd, "RTA_SESSION"),
        Named(0xe, "RTA_MP_ALGO"),
        Named(0xf, "RTA_TABLE"),
        Named(0x10, "RTA_MARK"),
        Named(0x11, "RTA_MFC_STATS"),
        Named(0x12, "RTA_VIA"),
        Named(0x13, "RTA_NEWDST"),
        Named(0x14, "RTA_PREF"),
        Named(0x15, "RTA_ENCAP_TYPE"),
        Named(0x16, "RTA_ENCAP"),
        Named(0x17, "RTA_EXPIRES"),
        Named(0x18, "RTA_PAD"),
        Named(0x19, "RTA_UID"),
        Named(0x1a, "RTA_TTL_PROPAGATE"),
        Named(0x1b, "RTA_IP_PROTO"),
        Named(0x1c, "RTA_SPORT"),
        Named(0x1d, "RTA_DPORT"),
        Named(0x1e, "RTA_NH_ID"),
    ], unknown: "RTA_???")

    /// ndmsg attributes (linux/neighbour.h).
    public static let neighbourAttributes = EnumTable([
        Named(0, "NDA_UNSPEC"),
        Named(1, "NDA_DST"),
        Named(2, "NDA_LLADDR"),
        Named(3, "NDA_CACHEINFO"),
        Named(4, "NDA_PROBES"),
        Named(5, "NDA_VLAN"),
        Named(6, "NDA_PORT"),
        Named(7, "NDA_VNI"),
        Named(8, "NDA_IFINDEX"),
        Named(9, "NDA_MASTER"),
        Named(0xa, "NDA_LINK_NETNSID"),
        Named(0xb, "NDA_SRC_VNI"),
        Named(0xc, "NDA_PROTOCOL"),
        Named(0xd, "NDA_NH_ID"),
        Named(0xe, "NDA_FDB_EXT_ATTRS"),
        Named(0xf, "NDA_FLAGS_EXT"),
        Named(0x10, "NDA_NDM_STATE_MASK"),
        Named(0x11, "NDA_NDM_FLAGS_MASK"),
    ], unknown: "NDA_???")

    /// RTA_METRICS' nested attributes.
    public static let routeMetricAttributes = EnumTable([
        Named(0, "RTAX_UNSPEC"),
        Named(1, "RTAX_LOCK"),
        Named(2, "RTAX_MTU"),
        Named(3, "RTAX_WINDOW"),
        Named(4, "RTAX_RTT"),
        Named(5, "RTAX_RTTVAR"),
        Named(6, "RTAX_SSTHRESH"),
        Named(7, "RTAX_CWND"),
        Named(8, "RTAX_ADVMSS"),
        Named(9, "RTAX_REORDERING"),
        Named(0xa, "RTAX_HOPLIMIT"),
        Named(0xb, "RTAX_INITCWND"),
        Named(0xc, "RTAX_FEATURES"),
        Named(0xd, "RTAX_RTO_MIN"),
        Named(0xe, "RTAX_INITRWND"),
        Named(0xf, "RTAX_QUICKACK"),
        Named(0x10, "RTAX_CC_ALGO"),
        Named(0x11, "RTAX_FASTOPEN_NO_COOKIE"),
    ], unknown: "RTAX_???")

    /// fib_rule_hdr attributes (linux/fib_rules.h).
    public static let ruleAttributes = EnumTable([
        Named(0, "FRA_UNSPEC"),
        Named(1, "FRA_DST"),
        Named(2, "FRA_SRC"),
        Named(3, "FRA_IIFNAME"),
        Named(4, "FRA_GOTO"),
        Named(5, "FRA_UNUSED2"),
        Named(6, "FRA_PRIORITY"),
        Named(7, "FRA_UNUSED3"),
        Named(8, "FRA_UNUSED4"),
        Named(9, "FRA_UNUSED5"),
        Named(0xa, "FRA_FWMARK"),
        Named(0xb, "FRA_FLOW"),
        Named(0xc, "FRA_TUN_ID"),
        Named(0xd, "FRA_SUPPRESS_IFGROUP"),
        Named(0xe, "FRA_SUPPRESS_PREFIXLEN"),
        Named(0xf, "FRA_TABLE"),
        Named(0x10, "FRA_FWMASK"),
        Named(0x11, "FRA_OIFNAME"),
        Named(0x12, "FRA_PAD"),
        Named(0x13, "FRA_L3MDEV"),
        Named(0x14, "FRA_UID_RANGE"),
        Named(0x15, "FRA_PROTOCOL"),
        Named(0x16, "FRA_IP_PROTO"),
        Named(0x17, "FRA_SPORT_RANGE"),
        Named(0x18, "FRA_DPORT_RANGE"),
    ], unknown: "FRA_???")

    /// IFLA_EXT_MASK's filter bits.
    public static let linkExtMaskFlags = FlagTable([
        Named(1, "RTEXT_FILTER_VF"),
        Named(2, "RTEXT_FILTER_BRVLAN"),
        Named(4, "RTEXT_FILTER_BRVLAN_COMPRESSED"),
        Named(8, "RTEXT_FILTER_SKIP_STATS"),
        Named(0x10, "RTEXT_FILTER_MRP"),
        Named(0x20, "RTEXT_FILTER_CFM_CONFIG"),
        Named(0x40, "RTEXT_FILTER_CFM_STATUS"),
    ], unknown: "RTEXT_FILTER_???")

    /// IFLA_EVENT's values.
    public static let linkEvents = EnumTable([
        Named(0, "IFLA_EVENT_NONE"),
        Named(1, "IFLA_EVENT_REBOOT"),
        Named(2, "IFLA_EVENT_FEATURES"),
        Named(3, "IFLA_EVENT_BONDING_FAILOVER"),
        Named(4, "IFLA_EVENT_NOTIFY_PEERS"),
        Named(5, "IFLA_EVENT_IGMP_RESEND"),
        Named(6, "IFLA_EVENT_BONDING_OPTIONS"),
    ], unknown: "IFLA_EVENT_???")

    /// IFLA_LINKINFO's nested attributes.
    public static let linkInfoAttributes = EnumTable([
        Named(0, "IFLA_INFO_UNSPEC"),
        Named(1, "IFLA_INFO_KIND"),
        Named(2, "IFLA_INFO_DATA"),
        Named(3, "IFLA_INFO_XSTATS"),
        Named(4, "IFLA_INFO_SLAVE_KIND"),
        Named(5, "IFLA_INFO_SLAVE_DATA"),
    ], unknown: "IFLA_INFO_???")

    /// IFLA_INFO_DATA of a "bridge" link (strace 6.1 knows these, up to IFLA_BR_MCAST_QUERIER_STATE).
    public static let bridgeInfoAttributes = EnumTable([
        Named(0, "IFLA_BR_UNSPEC"),
        Named(1, "IFLA_BR_FORWARD_DELAY"),
        Named(2, "IFLA_BR_HELLO_TIME"),
        Named(3, "IFLA_BR_MAX_AGE"),
        Named(4, "IFLA_BR_AGEING_TIME"),
        Named(5, "IFLA_BR_STP_STATE"),
        Named(6, "IFLA_BR_PRIORITY"),
        Named(7, "IFLA_BR_VLAN_FILTERING"),
        Named(8, "IFLA_BR_VLAN_PROTOCOL"),
        Named(9, "IFLA_BR_GROUP_FWD_MASK"),
        Named(10, "IFLA_BR_ROOT_ID"),
        Named(11, "IFLA_BR_BRIDGE_ID"),
        Named(12, "IFLA_BR_ROOT_PORT"),
        Named(13, "IFLA_BR_ROOT_PATH_COST"),
        Named(14, "IFLA_BR_TOPOLOGY_CHANGE"),
        Named(15, "IFLA_BR_TOPOLOGY_CHANGE_DETECTED"),
        Named(16, "IFLA_BR_HELLO_TIMER"),
        Named(17, "IFLA_BR_TCN_TIMER"),
        Named(18, "IFLA_BR_TOPOLOGY_CHANGE_TIMER"),
        Named(19, "IFLA_BR_GC_TIMER"),
        Named(20, "IFLA_BR_GROUP_ADDR"),
        Named(21, "IFLA_BR_FDB_FLUSH"),
        Named(22, "IFLA_BR_MCAST_ROUTER"),
        Named(23, "IFLA_BR_MCAST_SNOOPING"),
        Named(24, "IFLA_BR_MCAST_QUERY_USE_IFADDR"),
        Named(25, "IFLA_BR_MCAST_QUERIER"),
        Named(26, "IFLA_BR_MCAST_HASH_ELASTICITY"),
        Named(27, "IFLA_BR_MCAST_HASH_MAX"),
        Named(28, "IFLA_BR_MCAST_LAST_MEMBER_CNT"),
        Named(29, "IFLA_BR_MCAST_STARTUP_QUERY_CNT"),
        Named(30, "IFLA_BR_MCAST_LAST_MEMBER_INTVL"),
        Named(31, "IFLA_BR_MCAST_MEMBERSHIP_INTVL"),
        Named(32, "IFLA_BR_MCAST_QUERIER_INTVL"),
        Named(33, "IFLA_BR_MCAST_QUERY_INTVL"),
        Named(34, "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL"),
        Named(35, "IFLA_BR_MCAST_STARTUP_QUERY_INTVL"),
        Named(36, "IFLA_BR_NF_CALL_IPTABLES"),
        Named(37, "IFLA_BR_NF_CALL_IP6TABLES"),
        Named(38, "IFLA_BR_NF_CALL_ARPTABLES"),
        Named(39, "IFLA_BR_VLAN_DEFAULT_PVID"),
        Named(40, "IFLA_BR_PAD"),
        Named(41, "IFLA_BR_VLAN_STATS_ENABLED"),
        Named(42, "IFLA_BR_MCAST_STATS_ENABLED"),
        Named(43, "IFLA_BR_MCAST_IGMP_VERSION"),
        Named(44, "IFLA_BR_MCAST_MLD_VERSION"),
        Named(45, "IFLA_BR_VLAN_STATS_PER_PORT"),
        Named(46, "IFLA_BR_MULTI_BOOLOPT"),
        Named(47, "IFLA_BR_MCAST_QUERIER_STATE"),
    ], unknown: "IFLA_BR_???")

    /// A bridge port's attributes (IFLA_INFO_SLAVE_DATA of a link whose master is a bridge);
    /// strace 6.1 names them up to IFLA_BRPORT_LOCKED.
    public static let bridgePortAttributes = EnumTable([
        Named(0, "IFLA_BRPORT_UNSPEC"),
        Named(1, "IFLA_BRPORT_STATE"),
        Named(2, "IFLA_BRPORT_PRIORITY"),
        Named(3, "IFLA_BRPORT_COST"),
        Named(4, "IFLA_BRPORT_MODE"),
        Named(5, "IFLA_BRPORT_GUARD"),
        Named(6, "IFLA_BRPORT_PROTECT"),
        Named(7, "IFLA_BRPORT_FAST_LEAVE"),
        Named(8, "IFLA_BRPORT_LEARNING"),
        Named(9, "IFLA_BRPORT_UNICAST_FLOOD"),
        Named(10, "IFLA_BRPORT_PROXYARP"),
        Named(11, "IFLA_BRPORT_LEARNING_SYNC"),
        Named(12, "IFLA_BRPORT_PROXYARP_WIFI"),
        Named(13, "IFLA_BRPORT_ROOT_ID"),
        Named(14, "IFLA_BRPORT_BRIDGE_ID"),
        Named(15, "IFLA_BRPORT_DESIGNATED_PORT"),
        Named(16, "IFLA_BRPORT_DESIGNATED_COST"),
        Named(17, "IFLA_BRPORT_ID"),
        Named(18, "IFLA_BRPORT_NO"),
        Named(19, "IFLA_BRPORT_TOPOLOGY_CHANGE_ACK"),
        Named(20, "IFLA_BRPORT_CONFIG_PENDING"),
        Named(21, "IFLA_BRPORT_MESSAGE_AGE_TIMER"),
        Named(22, "IFLA_BRPORT_FORWARD_DELAY_TIMER"),
        Named(23, "IFLA_BRPORT_HOLD_TIMER"),
        Named(24, "IFLA_BRPORT_FLUSH"),
        Named(25, "IFLA_BRPORT_MULTICAST_ROUTER"),
        Named(26, "IFLA_BRPORT_PAD"),
        Named(27, "IFLA_BRPORT_MCAST_FLOOD"),
        Named(28, "IFLA_BRPORT_MCAST_TO_UCAST"),
        Named(29, "IFLA_BRPORT_VLAN_TUNNEL"),
        Named(30, "IFLA_BRPORT_BCAST_FLOOD"),
        Named(31, "IFLA_BRPORT_GROUP_FWD_MASK"),
        Named(32, "IFLA_BRPORT_NEIGH_SUPPRESS"),
        Named(33, "IFLA_BRPORT_ISOLATED"),
        Named(34, "IFLA_BRPORT_BACKUP_PORT"),
        Named(35, "IFLA_BRPORT_MRP_RING_OPEN"),
        Named(36, "IFLA_BRPORT_MRP_IN_OPEN"),
        Named(37, "IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT"),
        Named(38, "IFLA_BRPORT_MCAST_EHT_HOSTS_CNT"),
        Named(39, "IFLA_BRPORT_LOCKED"),
    ], unknown: "IFLA_BRPORT_???")

    /// IFLA_BR_MCAST_QUERIER_STATE's nested attributes.
    public static let bridgeQuerierAttributes = EnumTable([
        Named(0, "BRIDGE_QUERIER_UNSPEC"),
        Named(1, "BRIDGE_QUERIER_IP_ADDRESS"),
        Named(2, "BRIDGE_QUERIER_IP_PORT"),
        Named(3, "BRIDGE_QUERIER_IP_OTHER_TIMER"),
        Named(4, "BRIDGE_QUERIER_PAD"),
        Named(5, "BRIDGE_QUERIER_IPV6_ADDRESS"),
        Named(6, "BRIDGE_QUERIER_IPV6_PORT"),
        Named(7, "BRIDGE_QUERIER_IPV6_OTHER_TIMER"),
    ], unknown: "BRIDGE_QUERIER_???")

    /// struct br_boolopt_multi's bits (IFLA_BR_MULTI_BOOLOPT), as strace names them.
    public static let bridgeBoolOptions = FlagTable([
        Named(1 << 0, "1<<BR_BOOLOPT_NO_LL_LEARN"),
        Named(1 << 1, "1<<BR_BOOLOPT_MCAST_VLAN_SNOOPING"),
        Named(1 << 2, "1<<BR_BOOLOPT_MST_ENABLE"),
    ], unknown: "1<<BR_BOOLOPT_???")

    /// IFLA_INFO_DATA of a "tun" link.
    public static let tunInfoAttributes = EnumTable([
        Named(0, "IFLA_TUN_UNSPEC"),
        Named(1, "IFLA_TUN_OWNER"),
        Named(2, "IFLA_TUN_GROUP"),
        Named(3, "IFLA_TUN_TYPE"),
        Named(4, "IFLA_TUN_PI"),
        Named(5, "IFLA_TUN_VNET_HDR"),
        Named(6, "IFLA_TUN_PERSIST"),
        Named(7, "IFLA_TUN_MULTI_QUEUE"),
        Named(8, "IFLA_TUN_NUM_QUEUES"),
        Named(9, "IFLA_TUN_NUM_DISABLED_QUEUES"),
    ], unknown: "IFLA_TUN_???")

    /// IFLA_TUN_TYPE: what the device is.
    public static let tunDeviceTypes = EnumTable([
        Named(1, "IFF_TUN"),
        Named(2, "IFF_TAP"),
    ], unknown: "IFF_???")

    /// IFLA_AF_SPEC/AF_INET's nested attributes.
    public static let linkInetAttributes = EnumTable([
        Named(0, "IFLA_INET_UNSPEC"),
        Named(1, "IFLA_INET_CONF"),
    ], unknown: "IFLA_INET_???")

    /// IFLA_AF_SPEC/AF_INET6's nested attributes.
    public static let linkInet6Attributes = EnumTable([
        Named(0, "IFLA_INET6_UNSPEC"),
        Named(1, "IFLA_INET6_FLAGS"),
        Named(2, "IFLA_INET6_CONF"),
        Named(3, "IFLA_INET6_STATS"),
        Named(4, "IFLA_INET6_MCAST"),
        Named(5, "IFLA_INET6_CACHEINFO"),
        Named(6, "IFLA_INET6_ICMP6STATS"),
        Named(7, "IFLA_INET6_TOKEN"),
        Named(8, "IFLA_INET6_ADDR_GEN_MODE"),
        Named(9, "IFLA_INET6_RA_MTU"),
    ], unknown: "IFLA_INET6_???")

    /// IFLA_XDP's nested attributes.
    public static let linkXdpAttributes = EnumTable([
        Named(0, "IFLA_XDP_UNSPEC"),
        Named(1, "IFLA_XDP_FD"),
        Named(2, "IFLA_XDP_ATTACHED"),
        Named(3, "IFLA_XDP_FLAGS"),
        Named(4, "IFLA_XDP_PROG_ID"),
        Named(5, "IFLA_XDP_DRV_PROG_ID"),
        Named(6, "IFLA_XDP_SKB_PROG_ID"),
        Named(7, "IFLA_XDP_HW_PROG_ID"),
        Named(8, "IFLA_XDP_EXPECTED_FD"),
    ], unknown: "IFLA_XDP_???")

    /// ifinfomsg.ifi_type (linux/if_arp.h).
    public static let arpHardwareTypes = EnumTable([
        Named(0, "ARPHRD_NETROM"),
        Named(1, "ARPHRD_ETHER"),
        Named(2, "ARPHRD_EETHER"),
        Named(3, "ARPHRD_AX25"),
        Named(4, "ARPHRD_PRONET"),
        Named(5, "ARPHRD_CHAOS"),
        Named(6, "ARPHRD_IEEE802"),
        Named(7, "ARPHRD_ARCNET"),
        Named(8, "ARPHRD_APPLETLK"),
        Named(0xf, "ARPHRD_DLCI"),
        Named(0x13, "ARPHRD_ATM"),
        Named(0x17, "ARPHRD_METRICOM"),
        Named(0x18, "ARPHRD_IEEE1394"),
        Named(0x1b, "ARPHRD_EUI64"),
        Named(0x20, "ARPHRD_INFINIBAND"),
        Named(0x100, "ARPHRD_SLIP"),
        Named(0x101, "ARPHRD_CSLIP"),
        Named(0x102, "ARPHRD_SLIP6"),
        Named(0x103, "ARPHRD_CSLIP6"),
        Named(0x104, "ARPHRD_RSRVD"),
        Named(0x108, "ARPHRD_ADAPT"),
        Named(0x10e, "ARPHRD_ROSE"),
        Named(0x10f, "ARPHRD_X25"),
        Named(0x110, "ARPHRD_HWX25"),
        Named(0x118, "ARPHRD_CAN"),
        Named(0x122, "ARPHRD_MCTP"),
        Named(0x200, "ARPHRD_PPP"),
        Named(0x201, "ARPHRD_CISCO"),
        Named(0x204, "ARPHRD_LAPB"),
        Named(0x205, "ARPHRD_DDCMP"),
        Named(0x206, "ARPHRD_RAWHDLC"),
        Named(0x207, "ARPHRD_RAWIP"),
        Named(0x300, "ARPHRD_TUNNEL"),
        Named(0x301, "ARPHRD_TUNNEL6"),
        Named(0x302, "ARPHRD_FRAD"),
        Named(0x303, "ARPHRD_SKIP"),
        Named(0x304, "ARPHRD_LOOPBACK"),
        Named(0x305, "ARPHRD_LOCALTLK"),
        Named(0x306, "ARPHRD_FDDI"),
        Named(0x307, "ARPHRD_BIF"),
        Named(0x308, "ARPHRD_SIT"),
        Named(0x309, "ARPHRD_IPDDP"),
        Named(0x30a, "ARPHRD_IPGRE"),
        Named(0x30b, "ARPHRD_PIMREG"),
        Named(0x30c, "ARPHRD_HIPPI"),
        Named(0x30d, "ARPHRD_ASH"),
        Named(0x30e, "ARPHRD_ECONET"),
        Named(0x30f, "ARPHRD_IRDA"),
        Named(0x310, "ARPHRD_FCPP"),
        Named(0x311, "ARPHRD_FCAL"),
        Named(0x312, "ARPHRD_FCPL"),
        Named(0x313, "ARPHRD_FCFABRIC"),
        Named(0x320, "ARPHRD_IEEE802_TR"),
        Named(0x321, "ARPHRD_IEEE80211"),
        Named(0x322, "ARPHRD_IEEE80211_PRISM"),
        Named(0x323, "ARPHRD_IEEE80211_RADIOTAP"),
        Named(0x324, "ARPHRD_IEEE802154"),
        Named(0x325, "ARPHRD_IEEE802154_MONITOR"),
        Named(0x334, "ARPHRD_PHONET"),
        Named(0x335, "ARPHRD_PHONET_PIPE"),
        Named(0x336, "ARPHRD_CAIF"),
        Named(0x337, "ARPHRD_IP6GRE"),
        Named(0x338, "ARPHRD_NETLINK"),
        Named(0x339, "ARPHRD_6LOWPAN"),
        Named(0x33a, "ARPHRD_VSOCKMON"),
        Named(0xfffe, "ARPHRD_NONE"),
        Named(0xffff, "ARPHRD_VOID"),
    ], unknown: "ARPHRD_???")

    /// ifinfomsg.ifi_flags (linux/if.h).
    public static let interfaceFlags = FlagTable([
        Named(1, "IFF_UP"),
        Named(2, "IFF_BROADCAST"),
        Named(4, "IFF_DEBUG"),
        Named(8, "IFF_LOOPBACK"),
        Named(0x10, "IFF_POINTOPOINT"),
        Named(0x20, "IFF_NOTRAILERS"),
        Named(0x40, "IFF_RUNNING"),
        Named(0x80, "IFF_NOARP"),
        Named(0x100, "IFF_PROMISC"),
        Named(0x200, "IFF_ALLMULTI"),
        Named(0x400, "IFF_MASTER"),
        Named(0x800, "IFF_SLAVE"),
        Named(0x1000, "IFF_MULTICAST"),
        Named(0x2000, "IFF_PORTSEL"),
        Named(0x4000, "IFF_AUTOMEDIA"),
        Named(0x8000, "IFF_DYNAMIC"),
        Named(0x10000, "IFF_LOWER_UP"),
        Named(0x20000, "IFF_DORMANT"),
        Named(0x40000, "IFF_ECHO"),
    ], unknown: "IFF_???")

    /// ifaddrmsg.ifa_flags and IFA_FLAGS (linux/if_addr.h).
    public static let interfaceAddressFlags = FlagTable([
        Named(1, "IFA_F_SECONDARY"),
        Named(2, "IFA_F_NODAD"),
        Named(4, "IFA_F_OPTIMISTIC"),
        Named(8, "IFA_F_DADFAILED"),
        Named(0x10, "IFA_F_HOMEADDRESS"),
        Named(0x20, "IFA_F_DEPRECATED"),
        Named(0x40, "IFA_F_TENTATIVE"),
        Named(0x80, "IFA_F_PERMANENT"),
        Named(0x100, "IFA_F_MANAGETEMPADDR"),
        Named(0x200, "IFA_F_NOPREFIXROUTE"),
        Named(0x400, "IFA_F_MCAUTOJOIN"),
        Named(0x800, "IFA_F_STABLE_PRIVACY"),
    ], unknown: "IFA_F_???")

    /// rtm_scope, ifa_scope (linux/rtnetlink.h); unnamed ones print as numbers.
    public static let routingScopes = EnumTable([
        Named(0, "RT_SCOPE_UNIVERSE"),
        Named(0xc8, "RT_SCOPE_SITE"),
        Named(0xfd, "RT_SCOPE_LINK"),
        Named(0xfe, "RT_SCOPE_HOST"),
        Named(0xff, "RT_SCOPE_NOWHERE"),
    ])

    /// rtm_table, RTA_TABLE; unnamed ones print as numbers.
    public static let routingTables = EnumTable([
        Named(0, "RT_TABLE_UNSPEC"),
        Named(0xfc, "RT_TABLE_COMPAT"),
        Named(0xfd, "RT_TABLE_DEFAULT"),
        Named(0xfe, "RT_TABLE_MAIN"),
        Named(0xff, "RT_TABLE_LOCAL"),
    ])

    /// rtm_protocol.
    public static let routingProtocols = EnumTable([
        Named(0, "RTPROT_UNSPEC"),
        Named(1, "RTPROT_REDIRECT"),
        Named(2, "RTPROT_KERNEL"),
        Named(3, "RTPROT_BOOT"),
        Named(4, "RTPROT_STATIC"),
        Named(8, "RTPROT_GATED"),
        Named(9, "RTPROT_RA"),
        Named(0xa, "RTPROT_MRT"),
        Named(0xb, "RTPROT_ZEBRA"),
        Named(0xc, "RTPROT_BIRD"),
        Named(0xd, "RTPROT_DNROUTED"),
        Named(0xe, "RTPROT_XORP"),
        Named(0xf, "RTPROT_NTK"),
        Named(0x10, "RTPROT_DHCP"),
        Named(0x11, "RTPROT_MROUTED"),
        Named(0x12, "RTPROT_KEEPALIVED"),
        Named(0x2a, "RTPROT_BABEL"),
        Named(0x63, "RTPROT_OPENR"),
        Named(0xba, "RTPROT_BGP"),
        Named(0xbb, "RTPROT_ISIS"),
        Named(0xbc, "RTPROT_OSPF"),
        Named(0xbd, "RTPROT_RIP"),
        Named(0xc0, "RTPROT_EIGRP"),
    ], unknown: "RTPROT_???")

    /// rtm_type, ndm_type.
    public static let routingTypes = EnumTable([
        Named(0, "RTN_UNSPEC"),
        Named(1, "RTN_UNICAST"),
        Named(2, "RTN_LOCAL"),
        Named(3, "RTN_BROADCAST"),
        Named(4, "RTN_ANYCAST"),
        Named(5, "RTN_MULTICAST"),
        Named(6, "RTN_BLACKHOLE"),
        Named(7, "RTN_UNREACHABLE"),
        Named(8, "RTN_PROHIBIT"),
        Named(9, "RTN_THROW"),
        Named(0xa, "RTN_NAT"),
        Named(0xb, "RTN_XRESOLVE"),
    ], unknown: "RTN_???")

    /// rtm_flags.
    public static let routingFlags = FlagTable([
        Named(0x100, "RTM_F_NOTIFY"),
        Named(0x200, "RTM_F_CLONED"),
        Named(0x400, "RTM_F_EQUALIZE"),
        Named(0x800, "RTM_F_PREFIX"),
        Named(0x1000, "RTM_F_LOOKUP_TABLE"),
        Named(0x2000, "RTM_F_FIB_MATCH"),
        Named(0x4000, "RTM_F_OFFLOAD"),
        Named(0x8000, "RTM_F_TRAP"),
        Named(0x20000000, "RTM_F_OFFLOAD_FAILED"),
    ], unknown: "RTM_F_???")

    /// rtm_tos (linux/ip.h).
    public static let ipTypeOfService = FlagTable([
        Named(0x10, "IPTOS_LOWDELAY"),
        Named(8, "IPTOS_THROUGHPUT"),
        Named(4, "IPTOS_RELIABILITY"),
        Named(2, "IPTOS_MINCOST"),
    ], unknown: "IPTOS_TOS_???")

    /// ndm_state (linux/neighbour.h).
    public static let neighbourStates = FlagTable([
        Named(1, "NUD_INCOMPLETE"),
        Named(2, "NUD_REACHABLE"),
        Named(4, "NUD_STALE"),
        Named(8, "NUD_DELAY"),
        Named(0x10, "NUD_PROBE"),
        Named(0x20, "NUD_FAILED"),
        Named(0x40, "NUD_NOARP"),
        Named(0x80, "NUD_PERMANENT"),
    ], zero: "NUD_NONE", unknown: "NUD_???")

    /// ndm_flags.
    public static let neighbourFlags = FlagTable([
        Named(1, "NTF_USE"),
        Named(2, "NTF_SELF"),
        Named(4, "NTF_MASTER"),
        Named(8, "NTF_PROXY"),
        Named(0x10, "NTF_EXT_LEARNED"),
        Named(0x20, "NTF_OFFLOADED"),
        Named(0x40, "NTF_STICKY"),
        Named(0x80, "NTF_ROUTER"),
    ], unknown: "NTF_???")

    /// rtnexthop.rtnh_flags.
    public static let nexthopFlags = FlagTable([
        Named(1, "RTNH_F_DEAD"),
        Named(2, "RTNH_F_PERVASIVE"),
        Named(4, "RTNH_F_ONLINK"),
        Named(8, "RTNH_F_OFFLOAD"),
        Named(0x10, "RTNH_F_LINKDOWN"),
        Named(0x20, "RTNH_F_UNRESOLVED"),
        Named(0x40, "RTNH_F_TRAP"),
    ], unknown: "RTNH_F_???")

    /// RTA_ENCAP_TYPE.
    public static let lwtunnelEncapTypes = EnumTable([
        Named(0, "LWTUNNEL_ENCAP_NONE"),
        Named(1, "LWTUNNEL_ENCAP_MPLS"),
        Named(2, "LWTUNNEL_ENCAP_IP"),
        Named(3, "LWTUNNEL_ENCAP_ILA"),
        Named(4, "LWTUNNEL_ENCAP_IP6"),
        Named(5, "LWTUNNEL_ENCAP_SEG6"),
        Named(6, "LWTUNNEL_ENCAP_BPF"),
        Named(7, "LWTUNNEL_ENCAP_SEG6_LOCAL"),
        Named(8, "LWTUNNEL_ENCAP_RPL"),
    ], unknown: "LWTUNNEL_ENCAP_???")

    /// inet_diag_msg attributes (linux/inet_diag.h).
    public static let inetDiagAttributes = EnumTable([
        Named(0, "INET_DIAG_NONE"),
        Named(1, "INET_DIAG_MEMINFO"),
        Named(2, "INET_DIAG_INFO"),
        Named(3, "INET_DIAG_VEGASINFO"),
        Named(4, "INET_DIAG_CONG"),
        Named(5, "INET_DIAG_TOS"),
        Named(6, "INET_DIAG_TCLASS"),
        Named(7, "INET_DIAG_SKMEMINFO"),
        Named(8, "INET_DIAG_SHUTDOWN"),
        Named(9, "INET_DIAG_DCTCPINFO"),
        Named(0xa, "INET_DIAG_PROTOCOL"),
        Named(0xb, "INET_DIAG_SKV6ONLY"),
        Named(0xc, "INET_DIAG_LOCALS"),
        Named(0xd, "INET_DIAG_PEERS"),
        Named(0xe, "INET_DIAG_PAD"),
        Named(0xf, "INET_DIAG_MARK"),
        Named(0x10, "INET_DIAG_BBRINFO"),
        Named(0x11, "INET_DIAG_CLASS_ID"),
        Named(0x12, "INET_DIAG_MD5SIG"),
        Named(0x13, "INET_DIAG_ULP_INFO"),
        Named(0x14, "INET_DIAG_SK_BPF_STORAGES"),
        Named(0x15, "INET_DIAG_CGROUP_ID"),
        Named(0x16, "INET_DIAG_SOCKOPT"),
    ], unknown: "INET_DIAG_???")

    /// inet_diag_req_v2 attributes.
    public static let inetDiagRequestAttributes = EnumTable([
        Named(0, "INET_DIAG_REQ_NONE"),
        Named(1, "INET_DIAG_REQ_BYTECODE"),
        Named(2, "INET_DIAG_REQ_SK_BPF_STORAGES"),
        Named(3, "INET_DIAG_REQ_PROTOCOL"),
    ], unknown: "INET_DIAG_REQ_???")

    /// idiag_ext: which extensions to report.
    public static let inetDiagExtensions = FlagTable([
        Named(1, "1<<(INET_DIAG_MEMINFO-1)"),
        Named(2, "1<<(INET_DIAG_INFO-1)"),
        Named(4, "1<<(INET_DIAG_VEGASINFO-1)"),
        Named(8, "1<<(INET_DIAG_CONG-1)"),
        Named(0x10, "1<<(INET_DIAG_TOS-1)"),
        Named(0x20, "1<<(INET_DIAG_TCLASS-1)"),
        Named(0x40, "1<<(INET_DIAG_SKMEMINFO-1)"),
        Named(0x80, "1<<(INET_DIAG_SHUTDOWN-1)"),
        Named(0x100, "1<<(INET_DIAG_DCTCPINFO-1)"),
        Named(0x200, "1<<(INET_DIAG_PROTOCOL-1)"),
        Named(0x400, "1<<(INET_DIAG_SKV6ONLY-1)"),
        Named(0x800, "1<<(INET_DIAG_LOCALS-1)"),
        Named(0x1000, "1<<(INET_DIAG_PEERS-1)"),
        Named(0x2000, "1<<(INET_DIAG_PAD-1)"),
        Named(0x4000, "1<<(INET_DIAG_MARK-1)"),
        Named(0x8000, "1<<(INET_DIAG_BBRINFO-1)"),
        Named(0x10000, "1<<(INET_DIAG_CLASS_ID-1)"),
        Named(0x20000, "1<<(INET_DIAG_MD5SIG-1)"),
        Named(0x40000, "1<<(INET_DIAG_ULP_INFO-1)"),
        Named(0x80000, "1<<(INET_DIAG_SK_BPF_STORAGES-1)"),
        Named(0x100000, "1<<(INET_DIAG_CGROUP_ID-1)"),
        Named(0x200000, "1<<(INET_DIAG_SOCKOPT-1)"),
    ], unknown: "1<<INET_DIAG_???-1")

    /// idiag_states, udiag_states: a bit per TCP state.
    public static let tcpStateBits = FlagTable([
        Named(2, "1<<TCP_ESTABLISHED"),
        Named(4, "1<<TCP_SYN_SENT"),
        Named(8, "1<<TCP_SYN_RECV"),
        Named(0x10, "1<<TCP_FIN_WAIT1"),
        Named(0x20, "1<<TCP_FIN_WAIT2"),
        Named(0x40, "1<<TCP_TIME_WAIT"),
        Named(0x80, "1<<TCP_CLOSE"),
        Named(0x100, "1<<TCP_CLOSE_WAIT"),
        Named(0x200, "1<<TCP_LAST_ACK"),
        Named(0x400, "1<<TCP_LISTEN"),
        Named(0x800, "1<<TCP_CLOSING"),
        Named(0x1000, "1<<TCP_NEW_SYN_RECV"),
    ], unknown: "1<<TCP_???")

    /// idiag_state, udiag_state.
    public static let tcpStates = EnumTable([
        Named(1, "TCP_ESTABLISHED"),
        Named(2, "TCP_SYN_SENT"),
        Named(3, "TCP_SYN_RECV"),
        Named(4, "TCP_FIN_WAIT1"),
        Named(5, "TCP_FIN_WAIT2"),
        Named(6, "TCP_TIME_WAIT"),
        Named(7, "TCP_CLOSE"),
        Named(8, "TCP_CLOSE_WAIT"),
        Named(9, "TCP_LAST_ACK"),
        Named(0xa, "TCP_LISTEN"),
        Named(0xb, "TCP_CLOSING"),
        Named(0xc, "TCP_NEW_SYN_RECV"),
    ], unknown: "TCP_???")

    /// INET_DIAG_SHUTDOWN's bits (the kernel's RCV_SHUTDOWN/SEND_SHUTDOWN).
    public static let shutdownFlags = FlagTable([
        Named(1, "RCV_SHUTDOWN"),
        Named(2, "SEND_SHUTDOWN"),
    ], unknown: "???_SHUTDOWN")

    /// unix_diag_msg attributes (linux/unix_diag.h).
    public static let unixDiagAttributes = EnumTable([
        Named(0, "UNIX_DIAG_NAME"),
        Named(1, "UNIX_DIAG_VFS"),
        Named(2, "UNIX_DIAG_PEER"),
        Named(3, "UNIX_DIAG_ICONS"),
        Named(4, "UNIX_DIAG_RQLEN"),
        Named(5, "UNIX_DIAG_MEMINFO"),
        Named(6, "UNIX_DIAG_SHUTDOWN"),
        Named(7, "UNIX_DIAG_UID"),
    ], unknown: "UNIX_DIAG_???")

    /// unix_diag_req.udiag_show.
    public static let unixDiagShow = FlagTable([
        Named(1, "UDIAG_SHOW_NAME"),
        Named(2, "UDIAG_SHOW_VFS"),
        Named(4, "UDIAG_SHOW_PEER"),
        Named(8, "UDIAG_SHOW_ICONS"),
        Named(0x10, "UDIAG_SHOW_RQLEN"),
        Named(0x20, "UDIAG_SHOW_MEMINFO"),
        Named(0x40, "UDIAG_SHOW_UID"),
    ], unknown: "UDIAG_SHOW_???")

    /// The slots of a SK_MEMINFO array (linux/sock_diag.h).
    public static let socketMeminfoIndices = EnumTable([
        Named(0, "SK_MEMINFO_RMEM_ALLOC"),
        Named(1, "SK_MEMINFO_RCVBUF"),
        Named(2, "SK_MEMINFO_WMEM_ALLOC"),
        Named(3, "SK_MEMINFO_SNDBUF"),
        Named(4, "SK_MEMINFO_FWD_ALLOC"),
        Named(5, "SK_MEMINFO_WMEM_QUEUED"),
        Named(6, "SK_MEMINFO_OPTMEM"),
        Named(7, "SK_MEMINFO_BACKLOG"),
        Named(8, "SK_MEMINFO_DROPS"),
    ], unknown: "SK_MEMINFO_???")

    /// netlink_diag_msg attributes (linux/netlink_diag.h).
    public static let netlinkDiagAttributes = EnumTable([
        Named(0, "NETLINK_DIAG_MEMINFO"),
        Named(1, "NETLINK_DIAG_GROUPS"),
        Named(2, "NETLINK_DIAG_RX_RING"),
        Named(3, "NETLINK_DIAG_TX_RING"),
        Named(4, "NETLINK_DIAG_FLAGS"),
    ], unknown: "NETLINK_DIAG_???")

    /// netlink_diag_req.ndiag_show.
    public static let netlinkDiagShow = FlagTable([
        Named(1, "NDIAG_SHOW_MEMINFO"),
        Named(2, "NDIAG_SHOW_GROUPS"),
        Named(4, "NDIAG_SHOW_RING_CFG"),
        Named(8, "NDIAG_SHOW_FLAGS"),
    ], unknown: "NDIAG_SHOW_???")

    /// netlink_diag_msg.ndiag_state.
    public static let netlinkStates = EnumTable([
        Named(0, "NETLINK_UNCONNECTED"),
        Named(1, "NETLINK_CONNECTED"),
        Named(7, "TCP_CLOSE"),
    ], unknown: "NETLINK_???")
}

extension Tables {
    /// fib_rule_hdr.action (linux/fib_rules.h).
    public static let ruleActions = EnumTable([
        Named(0, "FR_ACT_UNSPEC"), Named(1, "FR_ACT_TO_TBL"), Named(2, "FR_ACT_GOTO"), Named(3, "FR_ACT_NOP"),
        Named(4, "FR_ACT_RES3"), Named(5, "FR_ACT_RES4"), Named(6, "FR_ACT_BLACKHOLE"), Named(7, "FR_ACT_UNREACHABLE"),
        Named(8, "FR_ACT_PROHIBIT"),
    ], unknown: "FR_ACT_???")

    /// fib_rule_hdr.flags.
    public static let ruleFlags = FlagTable([
        Named(1, "FIB_RULE_PERMANENT"), Named(2, "FIB_RULE_INVERT"), Named(4, "FIB_RULE_UNRESOLVED"),
        Named(8, "FIB_RULE_IIF_DETACHED"), Named(0x10, "FIB_RULE_OIF_DETACHED"), Named(0x10000, "FIB_RULE_FIND_SADDR"),
    ], unknown: "FIB_RULE_???")
}

extension Tables {
    /// IFLA_INET_CONF's slots: slot k is IPV4_DEVCONF_X-1 for the kernel's IPV4_DEVCONF_X = k+1.
    public static let inetDevconfIndices = EnumTable([
        Named(0, "IPV4_DEVCONF_FORWARDING-1"),
        Named(1, "IPV4_DEVCONF_MC_FORWARDING-1"),
        Named(2, "IPV4_DEVCONF_PROXY_ARP-1"),
        Named(3, "IPV4_DEVCONF_ACCEPT_REDIRECTS-1"),
        Named(4, "IPV4_DEVCONF_SECURE_REDIRECTS-1"),
        Named(5, "IPV4_DEVCONF_SEND_REDIRECTS-1"),
        Named(6, "IPV4_DEVCONF_SHARED_MEDIA-1"),
        Named(7, "IPV4_DEVCONF_RP_FILTER-1"),
        Named(8, "IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE-1"),
        Named(9, "IPV4_DEVCONF_BOOTP_RELAY-1"),
        Named(0xa, "IPV4_DEVCONF_LOG_MARTIANS-1"),
        Named(0xb, "IPV4_DEVCONF_TAG-1"),
        Named(0xc, "IPV4_DEVCONF_ARPFILTER-1"),
        Named(0xd, "IPV4_DEVCONF_MEDIUM_ID-1"),
        Named(0xe, "IPV4_DEVCONF_NOXFRM-1"),
        Named(0xf, "IPV4_DEVCONF_NOPOLICY-1"),
        Named(0x10, "IPV4_DEVCONF_FORCE_IGMP_VERSION-1"),
        Named(0x11, "IPV4_DEVCONF_ARP_ANNOUNCE-1"),
        Named(0x12, "IPV4_DEVCONF_ARP_IGNORE-1"),
        Named(0x13, "IPV4_DEVCONF_PROMOTE_SECONDARIES-1"),
        Named(0x14, "IPV4_DEVCONF_ARP_ACCEPT-1"),
        Named(0x15, "IPV4_DEVCONF_ARP_NOTIFY-1"),
        Named(0x16, "IPV4_DEVCONF_ACCEPT_LOCAL-1"),
        Named(0x17, "IPV4_DEVCONF_SRC_VMARK-1"),
        Named(0x18, "IPV4_DEVCONF_PROXY_ARP_PVLAN-1"),
        Named(0x19, "IPV4_DEVCONF_ROUTE_LOCALNET-1"),
        Named(0x1a, "IPV4_DEVCONF_IGMPV2_UNSOLICITED_REPORT_INTERVAL-1"),
        Named(0x1b, "IPV4_DEVCONF_IGMPV3_UNSOLICITED_REPORT_INTERVAL-1"),
        Named(0x1c, "IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN-1"),
        Named(0x1d, "IPV4_DEVCONF_DROP_UNICAST_IN_L2_MULTICAST-1"),
        Named(0x1e, "IPV4_DEVCONF_DROP_GRATUITOUS_ARP-1"),
        Named(0x1f, "IPV4_DEVCONF_BC_FORWARDING-1"),
        Named(0x20, "IPV4_DEVCONF_ARP_EVICT_NOCARRIER-1"),
    ], unknown: "IPV4_DEVCONF_???")

    /// IFLA_INET6_CONF's slots (linux/ipv6.h).
    public static let inet6DevconfIndices = EnumTable([
        Named(0, "DEVCONF_FORWARDING"),
        Named(1, "DEVCONF_HOPLIMIT"),
        Named(2, "DEVCONF_MTU6"),
        Named(3, "DEVCONF_ACCEPT_RA"),
        Named(4, "DEVCONF_ACCEPT_REDIRECTS"),
        Named(5, "DEVCONF_AUTOCONF"),
        Named(6, "DEVCONF_DAD_TRANSMITS"),
        Named(7, "DEVCONF_RTR_SOLICITS"),
        Named(8, "DEVCONF_RTR_SOLICIT_INTERVAL"),
        Named(9, "DEVCONF_RTR_SOLICIT_DELAY"),
        Named(0xa, "DEVCONF_USE_TEMPADDR"),
        Named(0xb, "DEVCONF_TEMP_VALID_LFT"),
        Named(0xc, "DEVCONF_TEMP_PREFERED_LFT"),
        Named(0xd, "DEVCONF_REGEN_MAX_RETRY"),
        Named(0xe, "DEVCONF_MAX_DESYNC_FACTOR"),
        Named(0xf, "DEVCONF_MAX_ADDRESSES"),
        Named(0x10, "DEVCONF_FORCE_MLD_VERSION"),
        Named(0x11, "DEVCONF_ACCEPT_RA_DEFRTR"),
        Named(0x12, "DEVCONF_ACCEPT_RA_PINFO"),
        Named(0x13, "DEVCONF_ACCEPT_RA_RTR_PREF"),
        Named(0x14, "DEVCONF_RTR_PROBE_INTERVAL"),
        Named(0x15, "DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN"),
        Named(0x16, "DEVCONF_PROXY_NDP"),
        Named(0x17, "DEVCONF_OPTIMISTIC_DAD"),
        Named(0x18, "DEVCONF_ACCEPT_SOURCE_ROUTE"),
        Named(0x19, "DEVCONF_MC_FORWARDING"),
        Named(0x1a, "DEVCONF_DISABLE_IPV6"),
        Named(0x1b, "DEVCONF_ACCEPT_DAD"),
        Named(0x1c, "DEVCONF_FORCE_TLLAO"),
        Named(0x1d, "DEVCONF_NDISC_NOTIFY"),
        Named(0x1e, "DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL"),
        Named(0x1f, "DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL"),
        Named(0x20, "DEVCONF_SUPPRESS_FRAG_NDISC"),
        Named(0x21, "DEVCONF_ACCEPT_RA_FROM_LOCAL"),
        Named(0x22, "DEVCONF_USE_OPTIMISTIC"),
        Named(0x23, "DEVCONF_ACCEPT_RA_MTU"),
        Named(0x24, "DEVCONF_STABLE_SECRET"),
        Named(0x25, "DEVCONF_USE_OIF_ADDRS_ONLY"),
        Named(0x26, "DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT"),
        Named(0x27, "DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN"),
        Named(0x28, "DEVCONF_DROP_UNICAST_IN_L2_MULTICAST"),
        Named(0x29, "DEVCONF_DROP_UNSOLICITED_NA"),
        Named(0x2a, "DEVCONF_KEEP_ADDR_ON_DOWN"),
        Named(0x2b, "DEVCONF_RTR_SOLICIT_MAX_INTERVAL"),
        Named(0x2c, "DEVCONF_SEG6_ENABLED"),
        Named(0x2d, "DEVCONF_SEG6_REQUIRE_HMAC"),
        Named(0x2e, "DEVCONF_ENHANCED_DAD"),
        Named(0x2f, "DEVCONF_ADDR_GEN_MODE"),
        Named(0x30, "DEVCONF_DISABLE_POLICY"),
        Named(0x31, "DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN"),
        Named(0x32, "DEVCONF_NDISC_TCLASS"),
        Named(0x33, "DEVCONF_RPL_SEG_ENABLED"),
        Named(0x34, "DEVCONF_RA_DEFRTR_METRIC"),
        Named(0x35, "DEVCONF_IOAM6_ENABLED"),
        Named(0x36, "DEVCONF_IOAM6_ID"),
        Named(0x37, "DEVCONF_IOAM6_ID_WIDE"),
        Named(0x38, "DEVCONF_NDISC_EVICT_NOCARRIER"),
        Named(0x39, "DEVCONF_ACCEPT_UNTRACKED_NA"),
    ], unknown: "DEVCONF_???")

    /// IFLA_INET6_STATS' slots (linux/snmp.h).
    public static let ipStatsIndices = EnumTable([
        Named(0, "IPSTATS_MIB_NUM"),
        Named(1, "IPSTATS_MIB_INPKTS"),
        Named(2, "IPSTATS_MIB_INOCTETS"),
        Named(3, "IPSTATS_MIB_INDELIVERS"),
        Named(4, "IPSTATS_MIB_OUTFORWDATAGRAMS"),
        Named(5, "IPSTATS_MIB_OUTPKTS"),
        Named(6, "IPSTATS_MIB_OUTOCTETS"),
        Named(7, "IPSTATS_MIB_INHDRERRORS"),
        Named(8, "IPSTATS_MIB_INTOOBIGERRORS"),
        Named(9, "IPSTATS_MIB_INNOROUTES"),
        Named(0xa, "IPSTATS_MIB_INADDRERRORS"),
        Named(0xb, "IPSTATS_MIB_INUNKNOWNPROTOS"),
        Named(0xc, "IPSTATS_MIB_INTRUNCATEDPKTS"),
        Named(0xd, "IPSTATS_MIB_INDISCARDS"),
        Named(0xe, "IPSTATS_MIB_OUTDISCARDS"),
        Named(0xf, "IPSTATS_MIB_OUTNOROUTES"),
        Named(0x10, "IPSTATS_MIB_REASMTIMEOUT"),
        Named(0x11, "IPSTATS_MIB_REASMREQDS"),
        Named(0x12, "IPSTATS_MIB_REASMOKS"),
        Named(0x13, "IPSTATS_MIB_REASMFAILS"),
        Named(0x14, "IPSTATS_MIB_FRAGOKS"),
        Named(0x15, "IPSTATS_MIB_FRAGFAILS"),
        Named(0x16, "IPSTATS_MIB_FRAGCREATES"),
        Named(0x17, "IPSTATS_MIB_INMCASTPKTS"),
        Named(0x18, "IPSTATS_MIB_OUTMCASTPKTS"),
        Named(0x19, "IPSTATS_MIB_INBCASTPKTS"),
        Named(0x1a, "IPSTATS_MIB_OUTBCASTPKTS"),
        Named(0x1b, "IPSTATS_MIB_INMCASTOCTETS"),
        Named(0x1c, "IPSTATS_MIB_OUTMCASTOCTETS"),
        Named(0x1d, "IPSTATS_MIB_INBCASTOCTETS"),
        Named(0x1e, "IPSTATS_MIB_OUTBCASTOCTETS"),
        Named(0x1f, "IPSTATS_MIB_CSUMERRORS"),
        Named(0x20, "IPSTATS_MIB_NOECTPKTS"),
        Named(0x21, "IPSTATS_MIB_ECT1PKTS"),
        Named(0x22, "IPSTATS_MIB_ECT0PKTS"),
        Named(0x23, "IPSTATS_MIB_CEPKTS"),
        Named(0x24, "IPSTATS_MIB_REASM_OVERLAPS"),
    ], unknown: "IPSTATS_MIB_???")

    /// IFLA_INET6_ICMP6STATS' slots.
    public static let icmp6StatsIndices = EnumTable([
        Named(0, "ICMP6_MIB_NUM"),
        Named(1, "ICMP6_MIB_INMSGS"),
        Named(2, "ICMP6_MIB_INERRORS"),
        Named(3, "ICMP6_MIB_OUTMSGS"),
        Named(4, "ICMP6_MIB_OUTERRORS"),
        Named(5, "ICMP6_MIB_CSUMERRORS"),
    ], unknown: "ICMP6_MIB_???")

    /// IFLA_INET6_FLAGS (linux/if_link.h's IF_READY…).
    public static let inet6InterfaceFlags = FlagTable([
        Named(0x10, "IF_RS_SENT"),
        Named(0x20, "IF_RA_RCVD"),
        Named(0x40, "IF_RA_MANAGED"),
        Named(0x80, "IF_RA_OTHERCONF"),
        Named(0x80000000, "IF_READY"),
    ], unknown: "IF_???")

    /// IFLA_INET6_ADDR_GEN_MODE.
    public static let in6AddressGenerationModes = EnumTable([
        Named(0, "IN6_ADDR_GEN_MODE_EUI64"),
        Named(1, "IN6_ADDR_GEN_MODE_NONE"),
        Named(2, "IN6_ADDR_GEN_MODE_STABLE_PRIVACY"),
        Named(3, "IN6_ADDR_GEN_MODE_RANDOM"),
    ], unknown: "IN6_ADDR_GEN_MODE_???")

    /// IFLA_XDP_ATTACHED.
    public static let xdpAttachedModes = EnumTable([
        Named(0, "XDP_ATTACHED_NONE"),
        Named(1, "XDP_ATTACHED_DRV"),
        Named(2, "XDP_ATTACHED_SKB"),
        Named(3, "XDP_ATTACHED_HW"),
        Named(4, "XDP_ATTACHED_MULTI"),
    ], unknown: "XDP_ATTACHED_???")

    /// IFLA_XDP_FLAGS.
    public static let xdpFlags = FlagTable([
        Named(0xe, "XDP_FLAGS_MODES"),
        Named(1, "XDP_FLAGS_UPDATE_IF_NOEXIST"),
        Named(2, "XDP_FLAGS_SKB_MODE"),
        Named(4, "XDP_FLAGS_DRV_MODE"),
        Named(8, "XDP_FLAGS_HW_MODE"),
        Named(0x10, "XDP_FLAGS_REPLACE"),
    ], unknown: "XDP_FLAGS_???")
}

extension Tables {
    /// tcmsg attributes (linux/rtnetlink.h).
    public static let trafficControlAttributes = EnumTable([
        Named(0, "TCA_UNSPEC"), Named(1, "TCA_KIND"), Named(2, "TCA_OPTIONS"), Named(3, "TCA_STATS"),
        Named(4, "TCA_XSTATS"), Named(5, "TCA_RATE"), Named(6, "TCA_FCNT"), Named(7, "TCA_STATS2"),
        Named(8, "TCA_STAB"), Named(9, "TCA_PAD"), Named(0xa, "TCA_DUMP_INVISIBLE"), Named(0xb, "TCA_CHAIN"),
        Named(0xc, "TCA_HW_OFFLOAD"), Named(0xd, "TCA_INGRESS_BLOCK"), Named(0xe, "TCA_EGRESS_BLOCK"),
        Named(0xf, "TCA_DUMP_FLAGS"),
    ], unknown: "TCA_???")

    /// TCA_STATS2's nested attributes (linux/gen_stats.h).
    public static let trafficControlStatsAttributes = EnumTable([
        Named(0, "TCA_STATS_UNSPEC"), Named(1, "TCA_STATS_BASIC"), Named(2, "TCA_STATS_RATE_EST"),
        Named(3, "TCA_STATS_QUEUE"), Named(4, "TCA_STATS_APP"), Named(5, "TCA_STATS_RATE_EST64"),
        Named(6, "TCA_STATS_PAD"), Named(7, "TCA_STATS_BASIC_HW"), Named(8, "TCA_STATS_PKT64"),
    ], unknown: "TCA_STATS_???")

    /// TCA_STAB's nested attributes (linux/pkt_sched.h).
    public static let trafficControlStabAttributes = EnumTable([
        Named(0, "TCA_STAB_UNSPEC"), Named(1, "TCA_STAB_BASE"), Named(2, "TCA_STAB_DATA"),
    ], unknown: "TCA_STAB_???")
}

extension Tables {
    /// NETLINK_NETFILTER: the subsystem in a message type's high byte (linux/netfilter/nfnetlink.h).
    public static let netfilterSubsystems = EnumTable([
        Named(0, "NFNL_SUBSYS_NONE"),
        Named(1, "NFNL_SUBSYS_CTNETLINK"),
        Named(2, "NFNL_SUBSYS_CTNETLINK_EXP"),
        Named(3, "NFNL_SUBSYS_QUEUE"),
        Named(4, "NFNL_SUBSYS_ULOG"),
        Named(5, "NFNL_SUBSYS_OSF"),
        Named(6, "NFNL_SUBSYS_IPSET"),
        Named(7, "NFNL_SUBSYS_ACCT"),
        Named(8, "NFNL_SUBSYS_CTNETLINK_TIMEOUT"),
        Named(9, "NFNL_SUBSYS_CTHELPER"),
        Named(0xa, "NFNL_SUBSYS_NFTABLES"),
        Named(0xb, "NFNL_SUBSYS_NFT_COMPAT"),
        Named(0xc, "NFNL_SUBSYS_HOOK"),
    ], unknown: "NFNL_SUBSYS_???")

    /// NETLINK_NETFILTER's own control messages (batches).
    public static let netfilterControlTypes = EnumTable([
        Named(0x10, "NFNL_MSG_BATCH_BEGIN"),
        Named(0x11, "NFNL_MSG_BATCH_END"),
    ])

    /// nfgenmsg.version.
    public static let netfilterVersions = EnumTable([
        Named(0, "NFNETLINK_V0"),
    ], unknown: "NFNETLINK_???")

    /// NFNL_SUBSYS_NFTABLES message types (linux/netfilter/nf_tables.h).
    public static let nftablesMessageTypes = EnumTable([
        Named(0, "NFT_MSG_NEWTABLE"),
        Named(1, "NFT_MSG_GETTABLE"),
        Named(2, "NFT_MSG_DELTABLE"),
        Named(3, "NFT_MSG_NEWCHAIN"),
        Named(4, "NFT_MSG_GETCHAIN"),
        Named(5, "NFT_MSG_DELCHAIN"),
        Named(6, "NFT_MSG_NEWRULE"),
        Named(7, "NFT_MSG_GETRULE"),
        Named(8, "NFT_MSG_DELRULE"),
        Named(9, "NFT_MSG_NEWSET"),
        Named(0xa, "NFT_MSG_GETSET"),
        Named(0xb, "NFT_MSG_DELSET"),
        Named(0xc, "NFT_MSG_NEWSETELEM"),
        Named(0xd, "NFT_MSG_GETSETELEM"),
        Named(0xe, "NFT_MSG_DELSETELEM"),
        Named(0xf, "NFT_MSG_NEWGEN"),
        Named(0x10, "NFT_MSG_GETGEN"),
        Named(0x11, "NFT_MSG_TRACE"),
        Named(0x12, "NFT_MSG_NEWOBJ"),
        Named(0x13, "NFT_MSG_GETOBJ"),
        Named(0x14, "NFT_MSG_DELOBJ"),
        Named(0x15, "NFT_MSG_GETOBJ_RESET"),
        Named(0x16, "NFT_MSG_NEWFLOWTABLE"),
        Named(0x17, "NFT_MSG_GETFLOWTABLE"),
        Named(0x18, "NFT_MSG_DELFLOWTABLE"),
    ], unknown: "NFT_MSG_???")

    /// NFNL_SUBSYS_CTNETLINK message types.
    public static let ctnetlinkMessageTypes = EnumTable([
        Named(0, "IPCTNL_MSG_CT_NEW"),
        Named(1, "IPCTNL_MSG_CT_GET"),
        Named(2, "IPCTNL_MSG_CT_DELETE"),
        Named(3, "IPCTNL_MSG_CT_GET_CTRZERO"),
        Named(4, "IPCTNL_MSG_CT_GET_STATS_CPU"),
        Named(5, "IPCTNL_MSG_CT_GET_STATS"),
        Named(6, "IPCTNL_MSG_CT_GET_DYING"),
        Named(7, "IPCTNL_MSG_CT_GET_UNCONFIRMED"),
    ], unknown: "IPCTNL_MSG_CT_???")

    /// NFNL_SUBSYS_CTNETLINK_EXP message types.
    public static let ctnetlinkExpectMessageTypes = EnumTable([
        Named(0, "IPCTNL_MSG_EXP_NEW"),
        Named(1, "IPCTNL_MSG_EXP_GET"),
        Named(2, "IPCTNL_MSG_EXP_DELETE"),
        Named(3, "IPCTNL_MSG_EXP_GET_STATS_CPU"),
    ], unknown: "IPCTNL_MSG_EXP_???")

    /// NFNL_SUBSYS_QUEUE message types.
    public static let nfqueueMessageTypes = EnumTable([
        Named(0, "NFQNL_MSG_PACKET"),
        Named(1, "NFQNL_MSG_VERDICT"),
        Named(2, "NFQNL_MSG_CONFIG"),
        Named(3, "NFQNL_MSG_VERDICT_BATCH"),
    ], unknown: "NFQNL_MSG_???")

    /// NFNL_SUBSYS_ULOG message types.
    public static let nflogMessageTypes = EnumTable([
        Named(0, "NFULNL_MSG_PACKET"),
        Named(1, "NFULNL_MSG_CONFIG"),
    ], unknown: "NFULNL_MSG_???")

    /// NFNL_SUBSYS_OSF message types.
    public static let osfMessageTypes = EnumTable([
        Named(0, "OSF_MSG_ADD"),
        Named(1, "OSF_MSG_REMOVE"),
    ], unknown: "OSF_MSG_???")

    /// NFNL_SUBSYS_IPSET message types.
    public static let ipsetMessageTypes = EnumTable([
        Named(0, "IPSET_CMD_NONE"),
        Named(1, "IPSET_CMD_PROTOCOL"),
        Named(2, "IPSET_CMD_CREATE"),
        Named(3, "IPSET_CMD_DESTROY"),
        Named(4, "IPSET_CMD_FLUSH"),
        Named(5, "IPSET_CMD_RENAME"),
        Named(6, "IPSET_CMD_SWAP"),
        Named(7, "IPSET_CMD_LIST"),
        Named(8, "IPSET_CMD_SAVE"),
        Named(9, "IPSET_CMD_ADD"),
        Named(0xa, "IPSET_CMD_DEL"),
        Named(0xb, "IPSET_CMD_TEST"),
        Named(0xc, "IPSET_CMD_HEADER"),
        Named(0xd, "IPSET_CMD_TYPE"),
        Named(0x10, "IPSET_CMD_RESTORE"),
        Named(0x11, "IPSET_CMD_HELP"),
        Named(0x12, "IPSET_CMD_VERSION"),
        Named(0x13, "IPSET_CMD_QUIT"),
        Named(0x14, "IPSET_CMD_COMMIT"),
    ], unknown: "IPSET_CMD_???")

    /// NFNL_SUBSYS_ACCT message types.
    public static let nfacctMessageTypes = EnumTable([
        Named(0, "NFNL_MSG_ACCT_NEW"),
        Named(1, "NFNL_MSG_ACCT_GET"),
        Named(2, "NFNL_MSG_ACCT_GET_CTRZERO"),
        Named(3, "NFNL_MSG_ACCT_DEL"),
        Named(4, "NFNL_MSG_ACCT_OVERQUOTA"),
    ], unknown: "NFNL_MSG_ACCT_???")

    /// NFNL_SUBSYS_CTNETLINK_TIMEOUT message types.
    public static let cttimeoutMessageTypes = EnumTable([
        Named(0, "IPCTNL_MSG_TIMEOUT_NEW"),
        Named(1, "IPCTNL_MSG_TIMEOUT_GET"),
        Named(2, "IPCTNL_MSG_TIMEOUT_DELETE"),
        Named(3, "IPCTNL_MSG_TIMEOUT_DEFAULT_SET"),
        Named(4, "IPCTNL_MSG_TIMEOUT_DEFAULT_GET"),
    ], unknown: "IPCTNL_MSG_TIMEOUT_???")

    /// NFNL_SUBSYS_CTHELPER message types.
    public static let cthelperMessageTypes = EnumTable([
        Named(0, "NFNL_MSG_CTHELPER_NEW"),
        Named(1, "NFNL_MSG_CTHELPER_GET"),
        Named(2, "NFNL_MSG_CTHELPER_DEL"),
    ], unknown: "NFNL_MSG_CTHELPER_???")

    /// NFNL_SUBSYS_NFT_COMPAT message types.
    public static let nftCompatMessageTypes = EnumTable([
        Named(0, "NFNL_MSG_COMPAT_GET"),
    ], unknown: "NFNL_MSG_COMPAT_???")

    /// NFNL_SUBSYS_HOOK message types.
    public static let nfHookMessageTypes = EnumTable([
        Named(0, "NFNL_MSG_HOOK_GET"),
    ], unknown: "NFT_MSG_HOOK_???")
}

extension Tables {
    /// NETLINK_DIAG_FLAGS (linux/netlink_diag.h).
    public static let netlinkSocketFlags = FlagTable([
        Named(1, "NDIAG_FLAG_CB_RUNNING"),
        Named(2, "NDIAG_FLAG_PKTINFO"),
        Named(4, "NDIAG_FLAG_BROADCAST_ERROR"),
        Named(8, "NDIAG_FLAG_NO_ENOBUFS"),
        Named(0x10, "NDIAG_FLAG_LISTEN_ALL_NSID"),
        Named(0x20, "NDIAG_FLAG_CAP_ACK"),
    ], unknown: "NDIAG_FLAG_???")

    /// packet_diag_req.pdiag_show (linux/packet_diag.h).
    public static let packetDiagShow = FlagTable([
        Named(1, "PACKET_SHOW_INFO"),
        Named(2, "PACKET_SHOW_MCLIST"),
        Named(4, "PACKET_SHOW_RING_CFG"),
        Named(8, "PACKET_SHOW_FANOUT"),
        Named(0x10, "PACKET_SHOW_MEMINFO"),
        Named(0x20, "PACKET_SHOW_FILTER"),
    ], unknown: "PACKET_SHOW_???")

    /// packet_diag_msg attributes.
    public static let packetDiagAttributes = EnumTable([
        Named(0, "PACKET_DIAG_INFO"),
        Named(1, "PACKET_DIAG_MCLIST"),
        Named(2, "PACKET_DIAG_RX_RING"),
        Named(3, "PACKET_DIAG_TX_RING"),
        Named(4, "PACKET_DIAG_FANOUT"),
        Named(5, "PACKET_DIAG_UID"),
        Named(6, "PACKET_DIAG_MEMINFO"),
        Named(7, "PACKET_DIAG_FILTER"),
    ], unknown: "PACKET_DIAG_???")

    /// packet_diag_info.pdi_version (linux/if_packet.h).
    public static let packetVersions = EnumTable([
        Named(0, "TPACKET_V1"),
        Named(1, "TPACKET_V2"),
        Named(2, "TPACKET_V3"),
    ], unknown: "TPACKET_???")

    /// packet_diag_info.pdi_flags.
    public static let packetDiagInfoFlags = FlagTable([
        Named(1, "PDI_RUNNING"),
        Named(2, "PDI_AUXDATA"),
        Named(4, "PDI_ORIGDEV"),
        Named(8, "PDI_VNETHDR"),
        Named(0x10, "PDI_LOSS"),
    ], unknown: "PDI_???")

    /// Ethernet protocol ids in host order (linux/if_ether.h): packet_diag_msg.pdiag_num.
    public static let ethernetProtocols = EnumTable([
        Named(1, "ETH_P_802_3"),
        Named(2, "ETH_P_AX25"),
        Named(3, "ETH_P_ALL"),
        Named(4, "ETH_P_802_2"),
        Named(5, "ETH_P_SNAP"),
        Named(6, "ETH_P_DDCMP"),
        Named(7, "ETH_P_WAN_PPP"),
        Named(8, "ETH_P_PPP_MP"),
        Named(9, "ETH_P_LOCALTALK"),
        Named(0xc, "ETH_P_CAN"),
        Named(0xd, "ETH_P_CANFD"),
        Named(0xe, "ETH_P_CANXL"),
        Named(0x10, "ETH_P_PPPTALK"),
        Named(0x11, "ETH_P_TR_802_2"),
        Named(0x15, "ETH_P_MOBITEX"),
        Named(0x16, "ETH_P_CONTROL"),
        Named(0x17, "ETH_P_IRDA"),
        Named(0x18, "ETH_P_ECONET"),
        Named(0x19, "ETH_P_HDLC"),
        Named(0x1a, "ETH_P_ARCNET"),
        Named(0x1b, "ETH_P_DSA"),
        Named(0x1c, "ETH_P_TRAILER"),
        Named(0x60, "ETH_P_LOOP"),
        Named(0xf5, "ETH_P_PHONET"),
        Named(0xf6, "ETH_P_IEEE802154"),
        Named(0xf7, "ETH_P_CAIF"),
        Named(0xf8, "ETH_P_XDSA"),
        Named(0xf9, "ETH_P_MAP"),
        Named(0xfa, "ETH_P_MCTP"),
        Named(0x200, "ETH_P_PUP"),
        Named(0x201, "ETH_P_PUPAT"),
        Named(0x600, "ETH_P_802_3_MIN"),
        Named(0x800, "ETH_P_IP"),
        Named(0x805, "ETH_P_X25"),
        Named(0x806, "ETH_P_ARP"),
        Named(0x8ff, "ETH_P_BPQ"),
        Named(0xa00, "ETH_P_IEEEPUP"),
        Named(0xa01, "ETH_P_IEEEPUPAT"),
        Named(0x22eb, "ETH_P_ERSPAN2"),
        Named(0x22f0, "ETH_P_TSN"),
        Named(0x4305, "ETH_P_BATMAN"),
        Named(0x6000, "ETH_P_DEC"),
        Named(0x6001, "ETH_P_DNA_DL"),
        Named(0x6002, "ETH_P_DNA_RC"),
        Named(0x6003, "ETH_P_DNA_RT"),
        Named(0x6004, "ETH_P_LAT"),
        Named(0x6005, "ETH_P_DIAG"),
        Named(0x6006, "ETH_P_CUST"),
        Named(0x6007, "ETH_P_SCA"),
        Named(0x6558, "ETH_P_TEB"),
        Named(0x8035, "ETH_P_RARP"),
        Named(0x809b, "ETH_P_ATALK"),
        Named(0x80f3, "ETH_P_AARP"),
        Named(0x8100, "ETH_P_8021Q"),
        Named(0x8137, "ETH_P_IPX"),
        Named(0x86dd, "ETH_P_IPV6"),
        Named(0x8808, "ETH_P_PAUSE"),
        Named(0x8809, "ETH_P_SLOW"),
        Named(0x883e, "ETH_P_WCCP"),
        Named(0x8847, "ETH_P_MPLS_UC"),
        Named(0x8848, "ETH_P_MPLS_MC"),
        Named(0x884c, "ETH_P_ATMMPOA"),
        Named(0x8863, "ETH_P_PPP_DISC"),
        Named(0x8864, "ETH_P_PPP_SES"),
        Named(0x886c, "ETH_P_LINK_CTL"),
        Named(0x8884, "ETH_P_ATMFATE"),
        Named(0x888e, "ETH_P_PAE"),
        Named(0x8899, "ETH_P_REALTEK"),
        Named(0x88a2, "ETH_P_AOE"),
        Named(0x88a8, "ETH_P_8021AD"),
        Named(0x88b5, "ETH_P_802_EX1"),
        Named(0x88be, "ETH_P_ERSPAN"),
        Named(0x88c7, "ETH_P_PREAUTH"),
        Named(0x88ca, "ETH_P_TIPC"),
        Named(0x88cc, "ETH_P_LLDP"),
        Named(0x88e3, "ETH_P_MRP"),
        Named(0x88e5, "ETH_P_MACSEC"),
        Named(0x88e7, "ETH_P_8021AH"),
        Named(0x88f5, "ETH_P_MVRP"),
        Named(0x88f7, "ETH_P_1588"),
        Named(0x88f8, "ETH_P_NCSI"),
        Named(0x88fb, "ETH_P_PRP"),
        Named(0x8902, "ETH_P_CFM"),
        Named(0x8906, "ETH_P_FCOE"),
        Named(0x890d, "ETH_P_TDLS"),
        Named(0x8914, "ETH_P_FIP"),
        Named(0x8915, "ETH_P_IBOE"),
        Named(0x8917, "ETH_P_80221"),
        Named(0x892f, "ETH_P_HSR"),
        Named(0x894f, "ETH_P_NSH"),
        Named(0x9000, "ETH_P_LOOPBACK"),
        Named(0x9100, "ETH_P_QINQ1"),
        Named(0x9200, "ETH_P_QINQ2"),
        Named(0x9300, "ETH_P_QINQ3"),
        Named(0xdada, "ETH_P_EDSA"),
        Named(0xdadb, "ETH_P_DSA_8021Q"),
        Named(0xe001, "ETH_P_DSA_A5PSW"),
        Named(0xed3e, "ETH_P_IFE"),
        Named(0xfbfb, "ETH_P_AF_IUCV"),
    ], unknown: "ETH_P_???")
}

extension Tables {
    /// netconfmsg attributes (linux/netconf.h).
    public static let netconfAttributes = EnumTable([
        Named(0, "NETCONFA_UNSPEC"), Named(1, "NETCONFA_IFINDEX"), Named(2, "NETCONFA_FORWARDING"),
        Named(3, "NETCONFA_RP_FILTER"), Named(4, "NETCONFA_MC_FORWARDING"), Named(5, "NETCONFA_PROXY_NEIGH"),
        Named(6, "NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN"), Named(7, "NETCONFA_INPUT"), Named(8, "NETCONFA_BC_FORWARDING"),
    ], unknown: "NETCONFA_???")

    /// RTM_*NSID attributes (linux/net_namespace.h).
    public static let nsidAttributes = EnumTable([
        Named(0, "NETNSA_NONE"), Named(1, "NETNSA_NSID"), Named(2, "NETNSA_PID"), Named(3, "NETNSA_FD"),
        Named(4, "NETNSA_TARGET_NSID"), Named(5, "NETNSA_CURRENT_NSID"),
    ], unknown: "NETNSA_???")
}
