/// An IPv4 CIDR block such as `10.0.0.0/16`: a network address with no host bits set and a prefix length 0–32.
public struct CIDRBlock: Hashable, Sendable {
    /// The first address of the block.
    public let network: IPv4Address
    /// The number of leading network bits, 0–32.
    public let prefixLength: Int

    /// Makes a block; the address must have no bits set after the prefix.
    public init(network: IPv4Address, prefixLength: Int) throws(AddressingError) {
        guard (0...32).contains(prefixLength) else {
            throw .prefixLengthOutOfRange("\(network)/\(prefixLength)")
        }
        let mask = Self.mask(prefixLength)
        guard network.value & ~mask == 0 else {
            throw .hostBitsSet(
                "\(network)/\(prefixLength)",
                canonical: "\(IPv4Address(network.value & mask))/\(prefixLength)"
            )
        }
        self.network = network
        self.prefixLength = prefixLength
    }

    /// Parses `address/prefix` strictly: a strict dotted quad, a slash, a decimal prefix 0–32 without
    /// leading zeros, and no host bits set (the error names the canonical block).
    public init(parsing text: some StringProtocol) throws(AddressingError) {
        let whole = String(text)
        let parts = whole.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { throw .malformedBlock(whole) }
        let address: IPv4Address
        do {
            address = try IPv4Address(parsing: parts[0])
        } catch {
            throw .malformedBlock(whole)
        }
        let prefixText = parts[1]
        guard prefixText.count <= 2, prefixText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .prefixLengthOutOfRange(whole)
        }
        guard prefixText == "0" || !prefixText.hasPrefix("0"), let prefix = Int(prefixText) else {
            throw .prefixLengthOutOfRange(whole)
        }
        do {
            try self.init(network: address, prefixLength: prefix)
        } catch .hostBitsSet(_, let canonical) {
            throw .hostBitsSet(whole, canonical: canonical)
        }
    }

    /// 0.0.0.0/0, the destination of a default route.
    public static let everything = CIDRBlock(uncheckedNetwork: IPv4Address(0), prefixLength: 0)

    private init(uncheckedNetwork: IPv4Address, prefixLength: Int) {
        self.network = uncheckedNetwork
        self.prefixLength = prefixLength
    }

    static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }

    /// The netmask as a 32-bit value (`/16` is `0xFFFF_0000`).
    public var netmask: UInt32 { Self.mask(prefixLength) }

    /// Number of addresses in the block, 1 (/32) to 2^32 (/0).
    public var addressCount: UInt64 { 1 << UInt64(32 - prefixLength) }

    /// The first address (the network address).
    public var firstAddress: IPv4Address { network }

    /// The last address (the broadcast address).
    public var lastAddress: IPv4Address { IPv4Address(network.value | ~netmask) }

    /// Whether the address lies inside the block.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & netmask == network.value
    }

    /// Whether the other block lies wholly inside this one.
    public func contains(_ other: CIDRBlock) -> Bool {
        other.prefixLength >= prefixLength && contains(other.network)
    }

    /// Whether the two blocks share at least one address (for CIDR blocks: one contains the other).
    public func overlaps(_ other: CIDRBlock) -> Bool {
        contains(other.network) || other.contains(network)
    }

    /// The sub-blocks of the given prefix length that tile this block, in address order.
    /// Throws when the length is shorter than this block's or longer than 32.
    public func split(into newPrefixLength: Int) throws(AddressingError) -> SubBlocks {
        guard newPrefixLength >= prefixLength, newPrefixLength <= 32 else {
            throw .prefixLengthOutOfRange("\(self) into /\(newPrefixLength)")
        }
        return SubBlocks(parent: self, prefixLength: newPrefixLength)
    }

    /// The sub-blocks of one length inside a block, computed on demand (a /0 split into /32s is 2^32 blocks).
    public struct SubBlocks: RandomAccessCollection, Sendable {
        public let parent: CIDRBlock
        public let prefixLength: Int

        public var startIndex: UInt64 { 0 }
        public var endIndex: UInt64 { 1 << UInt64(prefixLength - parent.prefixLength) }

        public subscript(position: UInt64) -> CIDRBlock {
            precondition(position < endIndex, "sub-block index out of range")
            let step = UInt64(1) << UInt64(32 - prefixLength)
            let value = UInt64(parent.network.value) + position * step
            // Safe: the value is aligned to the new prefix by construction.
            return try! CIDRBlock(network: IPv4Address(UInt32(value)), prefixLength: prefixLength)
        }
    }
}

extension CIDRBlock: Comparable {
    /// Address order, then shorter prefixes first.
    public static func < (lhs: CIDRBlock, rhs: CIDRBlock) -> Bool {
        (lhs.network, lhs.prefixLength) < (rhs.network, rhs.prefixLength)
    }
}

extension CIDRBlock: CustomStringConvertible {
    public var description: String { "\(network)/\(prefixLength)" }
}

extension CIDRBlock: TextCodable {
    public init(text: String) throws {
        try self.init(parsing: text)
    }
}

extension CIDRBlock {
    /// Parses `address/prefix` but accepts host bits, returning the canonical block and whether bits were set:
    /// plans report `10.0.0.1/16` as a finding that names `10.0.0.0/16` instead of refusing the plan.
    public static func parseNormalizing(_ text: String) throws(AddressingError) -> (block: CIDRBlock, hadHostBits: Bool) {
        do {
            return (try CIDRBlock(parsing: text), false)
        } catch .hostBitsSet(_, let canonical) {
            // Safe: the canonical form was built from a valid address and prefix.
            return (try CIDRBlock(parsing: canonical), true)
        }
    }
}
