/// The wire form adds the derived figures a reader needs (default-card ENIs, family, prefix support), so that
/// clients never redo the arithmetic.
extension InstanceType {
    enum CodingKeys: String, CodingKey {
        case name = "instanceType"
        case vcpus, memoryMiB, hypervisor, bareMetal, architecture, defaultNetworkCardIndex
        case maximumNetworkInterfacesPerCard, ipv4AddressesPerInterface, ipv6AddressesPerInterface, ipv6Supported
        case limitsSource
        case family, maximumNetworkInterfaces, maximumNetworkInterfacesAllCards, prefixDelegationSupported
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(InstanceTypeName.self, forKey: .name),
            vcpus: try container.decodeIfPresent(Int.self, forKey: .vcpus),
            memoryMiB: try container.decodeIfPresent(Int.self, forKey: .memoryMiB),
            hypervisor: try container.decodeIfPresent(Hypervisor.self, forKey: .hypervisor),
            bareMetal: try container.decode(Bool.self, forKey: .bareMetal),
            architecture: try container.decode(Architecture.self, forKey: .architecture),
            defaultNetworkCardIndex: try container.decode(Int.self, forKey: .defaultNetworkCardIndex),
            maximumNetworkInterfacesPerCard: try container.decode([Int].self, forKey: .maximumNetworkInterfacesPerCard),
            ipv4AddressesPerInterface: try container.decode(Int.self, forKey: .ipv4AddressesPerInterface),
            ipv6AddressesPerInterface: try container.decode(Int.self, forKey: .ipv6AddressesPerInterface),
            ipv6Supported: try container.decode(Bool.self, forKey: .ipv6Supported),
            limitsSource: try container.decode(LimitsSource.self, forKey: .limitsSource))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(family, forKey: .family)
        try container.encode(vcpus, forKey: .vcpus)
        try container.encode(memoryMiB, forKey: .memoryMiB)
        try container.encode(hypervisor, forKey: .hypervisor)
        try container.encode(bareMetal, forKey: .bareMetal)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(maximumNetworkInterfaces, forKey: .maximumNetworkInterfaces)
        try container.encode(maximumNetworkInterfacesAllCards, forKey: .maximumNetworkInterfacesAllCards)
        try container.encode(defaultNetworkCardIndex, forKey: .defaultNetworkCardIndex)
        try container.encode(maximumNetworkInterfacesPerCard, forKey: .maximumNetworkInterfacesPerCard)
        try container.encode(ipv4AddressesPerInterface, forKey: .ipv4AddressesPerInterface)
        try container.encode(ipv6AddressesPerInterface, forKey: .ipv6AddressesPerInterface)
        try container.encode(ipv6Supported, forKey: .ipv6Supported)
        try container.encode(prefixDelegationSupported, forKey: .prefixDelegationSupported)
        try container.encode(limitsSource, forKey: .limitsSource)
    }
}
