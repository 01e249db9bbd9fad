/// Why an IPv4 address or CIDR block could not be parsed or used.
public enum AddressingError: Error, Equatable, Sendable {
    /// Not dotted-quad notation (wrong number of octets, stray characters, whitespace).
    case malformedAddress(String)
    /// An octet greater than 255.
    case octetOutOfRange(String)
    /// An octet written with a leading zero, which some tools read as octal.
    case leadingZero(String)
    /// Not `address/prefix` notation.
    case malformedBlock(String)
    /// The prefix length is not a whole number from 0 to 32.
    case prefixLengthOutOfRange(String)
    /// Bits set after the prefix; carries the canonical form.
    case hostBitsSet(String, canonical: String)
}

extension AddressingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformedAddress(let text):
            return "'\(text)' is not an IPv4 address in dotted-quad notation (for example 10.0.0.1)"
        case .octetOutOfRange(let text):
            return "'\(text)' has an octet outside 0–255"
        case .leadingZero(let text):
            return "'\(text)' has an octet with a leading zero; write octets without leading zeros"
        case .malformedBlock(let text):
            return "'\(text)' is not a CIDR block in address/prefix notation (for example 10.0.0.0/16)"
        case .prefixLengthOutOfRange(let text):
            return "'\(text)' has a prefix length outside 0–32"
        case .hostBitsSet(let text, let canonical):
            return "'\(text)' has host bits set after the prefix; the block is \(canonical)"
        }
    }
}
