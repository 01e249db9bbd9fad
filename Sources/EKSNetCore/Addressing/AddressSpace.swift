/// The special-purpose ranges (RFC 6890 and friends) that matter when planning VPC, pod and service CIDRs.
public enum AddressSpace: String, Codable, Sendable, CaseIterable {
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918).
    case rfc1918Private = "rfc1918"
    /// 100.64.0.0/10, shared address space (RFC 6598); EKS custom networking's usual pod range.
    case carrierGradeNAT = "cgnat"
    /// 198.18.0.0/15, benchmarking (RFC 2544); AWS allows 198.19.0.0/16 as a VPC range.
    case benchmarking = "benchmarking"
    /// 0.0.0.0/8.
    case thisNetwork = "this-network"
    /// 127.0.0.0/8.
    case loopback = "loopback"
    /// 169.254.0.0/16.
    case linkLocal = "link-local"
    /// 224.0.0.0/4.
    case multicast = "multicast"
    /// 240.0.0.0/4 (including 255.255.255.255).
    case reserved = "reserved"
    /// Any other address: publicly routable.
    case publicRoutable = "public"
    /// A block that spans several of the ranges above.
    case mixed = "mixed"

    /// The ranges that define each special space.
    public var blocks: [CIDRBlock] {
        func block(_ text: String) -> CIDRBlock {
            // Safe: literals below are valid canonical blocks.
            try! CIDRBlock(parsing: text)
        }
        switch self {
        case .rfc1918Private: return [block("10.0.0.0/8"), block("172.16.0.0/12"), block("192.168.0.0/16")]
        case .carrierGradeNAT: return [block("100.64.0.0/10")]
        case .benchmarking: return [block("198.18.0.0/15")]
        case .thisNetwork: return [block("0.0.0.0/8")]
        case .loopback: return [block("127.0.0.0/8")]
        case .linkLocal: return [block("169.254.0.0/16")]
        case .multicast: return [block("224.0.0.0/4")]
        case .reserved: return [block("240.0.0.0/4")]
        case .publicRoutable, .mixed: return []
        }
    }

    static let special: [(CIDRBlock, AddressSpace)] = AddressSpace.allCases.flatMap { space in
        space.blocks.map { ($0, space) }
    }
}

extension IPv4Address {
    /// The special-purpose range the address belongs to.
    public var addressSpace: AddressSpace {
        AddressSpace.special.first { $0.0.contains(self) }?.1 ?? .publicRoutable
    }
}

extension CIDRBlock {
    /// The range the whole block lies in, or `.mixed` when it straddles ranges (0.0.0.0/0 does).
    public var addressSpace: AddressSpace {
        for (range, space) in AddressSpace.special {
            if range.contains(self) { return space }
            if overlaps(range) { return .mixed }
        }
        return .publicRoutable
    }

    /// Whether the block lies inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.
    public var isRFC1918: Bool { addressSpace == .rfc1918Private }
}
