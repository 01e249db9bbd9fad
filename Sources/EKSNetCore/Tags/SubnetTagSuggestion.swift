/// One tag to add (or change) or remove on a subnet, with the rule behind it.
public struct TagChange: Hashable, Codable, Sendable {
    public var key: String
    /// The value to set; nil for a removal.
    public var value: String?
    /// The catalog rule this follows (`TAG-001`).
    public var ruleId: String
    public var reason: String
}

/// The tags one subnet needs and must lose.
public struct SubnetTagSuggestion: Hashable, Codable, Sendable {
    public var subnetId: String
    public var availabilityZone: String
    /// Reachability by route table: a 0.0.0.0/0 route to an internet gateway.
    public var isPublic: Bool
    /// `internet-facing` or `internal` when this is the AZ's intended load-balancer subnet for that scheme.
    public var loadBalancerScheme: String?
    public var add: [TagChange]
    public var remove: [TagChange]
}

/// Tag suggestions for every subnet, and the AWS CLI commands that apply them.
public struct SubnetTagPlan: Hashable, Codable, Sendable {
    public var subnets: [SubnetTagSuggestion]
    /// Per scheme, the subnet the AWS Load Balancer Controller will pick in each AZ once the tags are applied.
    public var loadBalancerSubnets: LoadBalancerSubnets
    /// `aws ec2 create-tags` and `aws ec2 delete-tags` commands, ready to paste.
    public var commands: [String]

    public struct LoadBalancerSubnets: Hashable, Codable, Sendable {
        public var internetFacing: [String]
        public var `internal`: [String]
    }
}
