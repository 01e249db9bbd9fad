/// An IPv4 address, held as its 32-bit value so that arithmetic and comparison are cheap.
public struct IPv4Address: Hashable, Comparable, Sendable {
    /// The address as a big-endian 32-bit number (`10.0.0.1` is `0x0A00_0001`).
    public var value: UInt32

    /// Wraps a 32-bit value.
    public init(_ value: UInt32) {
        self.value = value
    }

    /// Parses dotted-quad notation strictly: four decimal octets 0–255, no leading zeros
    /// (they read as octal in some tools), no whitespace, no other characters.
    public init(parsing text: some StringProtocol) throws(AddressingError) {
        var octets: [UInt32] = []
        octets.reserveCapacity(4)
        var current: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9":
                if digits == 1 && leadingZero {
                    throw .leadingZero(String(text))
                }
                if digits == 0 && scalar == "0" { leadingZero = true }
                digits += 1
                if digits > 3 { throw .octetOutOfRange(String(text)) }
                current = current * 10 + (scalar.value - 48)
            case ".":
                guard digits > 0 else { throw .malformedAddress(String(text)) }
                guard current <= 255 else { throw .octetOutOfRange(String(text)) }
                octets.append(current)
                guard octets.count < 4 else { throw .malformedAddress(String(text)) }
                current = 0
                digits = 0
                leadingZero = false
            default:
                throw .malformedAddress(String(text))
            }
        }
        guard digits > 0 else { throw .malformedAddress(String(text)) }
        guard current <= 255 else { throw .octetOutOfRange(String(text)) }
        octets.append(current)
        guard octets.count == 4 else { throw .malformedAddress(String(text)) }
        self.value = octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }
}

extension IPv4Address: CustomStringConvertible {
    /// Dotted-quad notation.
    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}

extension IPv4Address: TextCodable {
    public init(text: String) throws {
        try self.init(parsing: text)
    }
}
