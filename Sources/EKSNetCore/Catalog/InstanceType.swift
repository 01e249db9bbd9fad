/// An EC2 instance type's network limits, as DescribeInstanceTypes reports them (with AWS's hand fixes).
public struct InstanceType: Hashable, Codable, Sendable {
    /// The type's name, such as `m5.large`.
    public var name: InstanceTypeName
    /// Default vCPUs; nil where AWS publishes none (a few hand-added types).
    public var vcpus: Int?
    /// Memory in MiB; nil where unknown.
    public var memoryMiB: Int?
    /// Nitro or Xen; nil for bare metal (the API gives no hypervisor there).
    public var hypervisor: Hypervisor?
    /// Whether the type is bare metal.
    public var bareMetal: Bool
    /// The main processor architecture.
    public var architecture: Architecture
    /// Index of the network card that the primary ENI sits on; the VPC CNI uses only this card.
    public var defaultNetworkCardIndex: Int
    /// Maximum ENIs per network card, by card index.
    public var maximumNetworkInterfacesPerCard: [Int]
    /// IPv4 addresses per ENI, the ENI's primary address included.
    public var ipv4AddressesPerInterface: Int
    /// IPv6 addresses per ENI.
    public var ipv6AddressesPerInterface: Int
    /// Whether the type supports IPv6.
    public var ipv6Supported: Bool
    /// Where the ENI and IP limits come from.
    public var limitsSource: LimitsSource

    /// Where an instance type's limits come from.
    public enum LimitsSource: String, Codable, Sendable {
        /// EC2 DescribeInstanceTypes as is.
        case api
        /// The API's figures, corrected by hand in AWS's own max-pods tables.
        case fixed
        /// Missing from the API; taken from AWS's hand-maintained tables.
        case added
        /// From the operator's `--instance-types-file` (DescribeInstanceTypes output), loaded at start.
        case file
    }

    public init(
        name: InstanceTypeName, vcpus: Int?, memoryMiB: Int?, hypervisor: Hypervisor?, bareMetal: Bool,
        architecture: Architecture, defaultNetworkCardIndex: Int, maximumNetworkInterfacesPerCard: [Int],
        ipv4AddressesPerInterface: Int, ipv6AddressesPerInterface: Int, ipv6Supported: Bool, limitsSource: LimitsSource
    ) {
        self.name = name
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
        self.hypervisor = hypervisor
        self.bareMetal = bareMetal
        self.architecture = architecture
        self.defaultNetworkCardIndex = defaultNetworkCardIndex
        self.maximumNetworkInterfacesPerCard = maximumNetworkInterfacesPerCard
        self.ipv4AddressesPerInterface = ipv4AddressesPerInterface
        self.ipv6AddressesPerInterface = ipv6AddressesPerInterface
        self.ipv6Supported = ipv6Supported
        self.limitsSource = limitsSource
    }

    /// ENIs on the default network card: the count the VPC CNI and every max-pods formula use. Not the sum over
    /// cards (p5.48xlarge: 2 of 64).
    public var maximumNetworkInterfaces: Int {
        maximumNetworkInterfacesPerCard.indices.contains(defaultNetworkCardIndex)
            ? maximumNetworkInterfacesPerCard[defaultNetworkCardIndex]
            : maximumNetworkInterfacesPerCard.first ?? 0
    }

    /// ENIs over all network cards (DescribeInstanceTypes' top-level `MaximumNetworkInterfaces`).
    public var maximumNetworkInterfacesAllCards: Int {
        maximumNetworkInterfacesPerCard.reduce(0, +)
    }

    /// Number of network cards.
    public var networkCardCount: Int { maximumNetworkInterfacesPerCard.count }

    /// Whether the VPC CNI can assign /28 prefixes: Nitro instances and bare metal (which runs on Nitro).
    /// The max-pods calculator is narrower: it applies the prefix formula only when the hypervisor is "nitro".
    public var prefixDelegationSupported: Bool { hypervisor == .nitro || bareMetal }

    /// The family, such as `m5` for `m5.large`.
    public var family: String { name.family }
}

/// A hypervisor as DescribeInstanceTypes names it.
public enum Hypervisor: String, Codable, Sendable, CaseIterable {
    case nitro
    case xen
}

/// A processor architecture as DescribeInstanceTypes names it.
public enum Architecture: String, Codable, Sendable, CaseIterable {
    case x86_64
    case arm64
    case i386
    case x86_64Mac = "x86_64_mac"
    case arm64Mac = "arm64_mac"
}
