/// The VPC CNI settings a node group runs with: version plus the warm-pool knobs.
public struct CNISettings: Hashable, Codable, Sendable {
    /// The VPC CNI version (decides whether prefix delegation is available).
    public var version: CNIVersion
    /// The `aws-node` knobs.
    public var warmPool: WarmPoolSettings
    /// `ENABLE_SUBNET_DISCOVERY` (default true): new ENIs may go to subnets tagged `kubernetes.io/role/cni` in the
    /// node's zone; from 1.18.3 it also decides what a refused assignment does (`IPAMDPolicy`).
    public var subnetDiscoveryEnabled: Bool

    public init(
        version: CNIVersion = .current, warmPool: WarmPoolSettings = WarmPoolSettings(), subnetDiscoveryEnabled: Bool = true
    ) {
        self.version = version
        self.warmPool = warmPool
        self.subnetDiscoveryEnabled = subnetDiscoveryEnabled
    }

    /// Subnet discovery in force: enabled, and a release that has it (1.18.0).
    public var usesSubnetDiscovery: Bool { subnetDiscoveryEnabled && version >= .subnetDiscoveryMinimum }

    /// Prefix delegation in effect for a type: asked for, a new enough CNI, and a type that supports it.
    public func usesPrefixDelegation(on type: InstanceType) -> Bool {
        warmPool.prefixDelegation && version.supportsPrefixDelegation && type.prefixDelegationSupported
    }
}
