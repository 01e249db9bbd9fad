/// The VPC CNI settings a node group runs with: version plus the warm-pool knobs.
public struct CNISettings: Hashable, Codable, Sendable {
    /// The VPC CNI version (decides whether prefix delegation is available).
    public var version: CNIVersion
    /// The `aws-node` knobs.
    public var warmPool: WarmPoolSettings

    public init(version: CNIVersion = .current, warmPool: WarmPoolSettings = WarmPoolSettings()) {
        self.version = version
        self.warmPool = warmPool
    }

    /// Prefix delegation in effect for a type: asked for, a new enough CNI, and a type that supports it.
    public func usesPrefixDelegation(on type: InstanceType) -> Bool {
        warmPool.prefixDelegation && version.supportsPrefixDelegation && type.prefixDelegationSupported
    }
}
