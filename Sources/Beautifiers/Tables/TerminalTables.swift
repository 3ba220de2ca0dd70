// Terminal attributes: struct termios's four flag words (asm-generic/termbits.h), named as
// strace 6.1 names them and in its order. Flags strace does not know (ADDRB) trail in hex.

extension Tables {
    public static let termInputFlags = FlagTable([
        Named(0x001, "IGNBRK"), Named(0x002, "BRKINT"), Named(0x004, "IGNPAR"), Named(0x008, "PARMRK"),
        Named(0x010, "INPCK"), Named(0x020, "ISTRIP"), Named(0x040, "INLCR"), Named(0x080, "IGNCR"),
        Named(0x100, "ICRNL"), Named(0x200, "IUCLC"), Named(0x400, "IXON"), Named(0x800, "IXANY"),
        Named(0x1000, "IXOFF"), Named(0x2000, "IMAXBEL"), Named(0x4000, "IUTF8"),
    ])

    /// The output flags left once the six delay fields are printed.
    public static let termOutputFlags = FlagTable([
        Named(0x01, "OPOST"), Named(0x02, "OLCUC"), Named(0x04, "ONLCR"), Named(0x08, "OCRNL"),
        Named(0x10, "ONOCR"), Named(0x20, "ONLRET"), Named(0x40, "OFILL"), Named(0x80, "OFDEL"),
    ])

    /// The delay fields of c_oflag, each printed by name even when 0 (`NL0|CR0|TAB0|…`).
    public static let termOutputDelays: [(mask: UInt64, names: EnumTable)] = [
        (0x100, EnumTable([Named(0, "NL0"), Named(0x100, "NL1")])),
        (0x600, EnumTable([Named(0, "CR0"), Named(0x200, "CR1"), Named(0x400, "CR2"), Named(0x600, "CR3")])),
        (0x1800, EnumTable([Named(0, "TAB0"), Named(0x800, "TAB1"), Named(0x1000, "TAB2"), Named(0x1800, "TAB3")])),
        (0x2000, EnumTable([Named(0, "BS0"), Named(0x2000, "BS1")])),
        (0x4000, EnumTable([Named(0, "VT0"), Named(0x4000, "VT1")])),
        (0x8000, EnumTable([Named(0, "FF0"), Named(0x8000, "FF1")])),
    ]

    /// Baud rates (c_cflag & CBAUD).
    public static let baudRates = EnumTable([
        Named(0x0, "B0"), Named(0x1, "B50"), Named(0x2, "B75"), Named(0x3, "B110"), Named(0x4, "B134"),
        Named(0x5, "B150"), Named(0x6, "B200"), Named(0x7, "B300"), Named(0x8, "B600"), Named(0x9, "B1200"),
        Named(0xa, "B1800"), Named(0xb, "B2400"), Named(0xc, "B4800"), Named(0xd, "B9600"), Named(0xe, "B19200"),
        Named(0xf, "B38400"), Named(0x1001, "B57600"), Named(0x1002, "B115200"), Named(0x1003, "B230400"),
        Named(0x1004, "B460800"), Named(0x1005, "B500000"), Named(0x1006, "B576000"), Named(0x1007, "B921600"),
        Named(0x1008, "B1000000"), Named(0x1009, "B1152000"), Named(0x100a, "B1500000"), Named(0x100b, "B2000000"),
        Named(0x100c, "B2500000"), Named(0x100d, "B3000000"), Named(0x100e, "B3500000"), Named(0x100f, "B4000000"),
        Named(0x1000, "BOTHER"),
    ], unknown: "B???")

    public static let termCharSizes = EnumTable([
        Named(0x00, "CS5"), Named(0x10, "CS6"), Named(0x20, "CS7"), Named(0x30, "CS8"),
    ])

    /// The control flags left once the baud rates and character size are printed.
    public static let termControlFlags = FlagTable([
        Named(0x40, "CSTOPB"), Named(0x80, "CREAD"), Named(0x100, "PARENB"), Named(0x200, "PARODD"),
        Named(0x400, "HUPCL"), Named(0x800, "CLOCAL"), Named(0x4000_0000, "CMSPAR"), Named(0x8000_0000, "CRTSCTS"),
    ])

    public static let termLocalFlags = FlagTable([
        Named(0x1, "ISIG"), Named(0x2, "ICANON"), Named(0x4, "XCASE"), Named(0x8, "ECHO"), Named(0x10, "ECHOE"),
        Named(0x20, "ECHOK"), Named(0x40, "ECHONL"), Named(0x80, "NOFLSH"), Named(0x8000, "IEXTEN"),
        Named(0x200, "ECHOCTL"), Named(0x400, "ECHOPRT"), Named(0x800, "ECHOKE"), Named(0x1000, "FLUSHO"),
        Named(0x4000, "PENDIN"), Named(0x100, "TOSTOP"), Named(0x10000, "EXTPROC"),
    ])
}
