/// Facts about a CIDR block used as an Amazon VPC subnet.
extension CIDRBlock {
    /// Addresses AWS keeps in every subnet: the network address, +1 (VPC router), +2 (DNS), +3 (reserved)
    /// and the last (broadcast).
    public static let awsReservedAddressesPerSubnet = 5

    /// The prefix lengths AWS accepts for a VPC or subnet IPv4 CIDR block.
    public static let awsSubnetPrefixLengths = 16...28

    /// The reserved addresses of this block as a subnet, in address order (empty for blocks smaller than 8 addresses,
    /// which AWS does not accept as subnets).
    public var awsReservedAddresses: [IPv4Address] {
        guard prefixLength <= 29 else { return [] }
        let base = network.value
        return [0, 1, 2, 3].map { IPv4Address(base + $0) } + [lastAddress]
    }

    /// Addresses instances can use: all but the 5 AWS reserves (/24 → 251, /28 → 11, /19 → 8,187); 0 for blocks
    /// too small to be a subnet.
    public var awsUsableAddressCount: Int {
        guard prefixLength <= 29 else { return 0 }
        return Int(addressCount) - Self.awsReservedAddressesPerSubnet
    }

    /// Number of aligned /28 blocks (16 addresses) inside the block.
    public var aligned28BlockCount: Int {
        prefixLength > 28 ? 0 : 1 << (28 - prefixLength)
    }

    /// Aligned /28 blocks that can ever hold a prefix-delegation prefix: the first and the last /28 hold reserved
    /// addresses, so a /24 has 16 blocks of which 14 are free, and a /28 subnet has none.
    public var awsPrefixAssignable28BlockCount: Int {
        max(0, aligned28BlockCount - 2)
    }
}
