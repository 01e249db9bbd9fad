/// `POST /v1/layouts`: a workload to size a VPC for.
public struct LayoutRequest: Hashable, Codable, Sendable {
    public var clusterName: String
    public var region: String
    /// The zones to use, with their IDs (so disallowed control-plane zones can be skipped); or give `azCount`.
    public var availabilityZones: [Zone]?
    /// How many AZs when `availabilityZones` is not given (2–6, default 3).
    public var azCount: Int?
    /// The VPC CIDR to carve; default: the first free /16 among 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.
    public var vpcCidr: String?
    /// Ranges the VPC and the service CIDR must not overlap (peered VPCs, on-premises, other clusters).
    public var avoidCidrs: [String]?
    public var nodeGroups: [NodeGroupInput]
    public var cni: CNISettingsInput?
    /// `single-nat`, `nat-per-az` (default) or `private-only`.
    public var egress: String?
    public var loadBalancers: ClusterPlan.LoadBalancers?
    public var karpenter: Bool?
    public var kubernetesVersion: String?

    public struct Zone: Hashable, Codable, Sendable {
        public var name: String
        public var zoneId: String?
    }

    public init(
        clusterName: String, region: String, availabilityZones: [Zone]? = nil, azCount: Int? = nil,
        vpcCidr: String? = nil, avoidCidrs: [String]? = nil, nodeGroups: [NodeGroupInput], cni: CNISettingsInput? = nil,
        egress: String? = nil, loadBalancers: ClusterPlan.LoadBalancers? = nil, karpenter: Bool? = nil,
        kubernetesVersion: String? = nil
    ) {
        self.clusterName = clusterName
        self.region = region
        self.availabilityZones = availabilityZones
        self.azCount = azCount
        self.vpcCidr = vpcCidr
        self.avoidCidrs = avoidCidrs
        self.nodeGroups = nodeGroups
        self.cni = cni
        self.egress = egress
        self.loadBalancers = loadBalancers
        self.karpenter = karpenter
        self.kubernetesVersion = kubernetesVersion
    }
}

/// A proposed layout: the plan (which eksnet evaluates), the subnets with the demand they were sized for, and a
/// CloudFormation fragment.
public struct LayoutProposal: Hashable, Codable, Sendable {
    public var plan: ClusterPlan
    public var subnets: [ProposedSubnet]
    public var verdict: PlanVerdict
    public var errors: Int
    public var warnings: Int
    public var notes: [String]
    public var cloudFormation: String

    public struct ProposedSubnet: Hashable, Codable, Sendable {
        public var subnetId: String
        public var role: String
        public var availabilityZone: String
        public var cidrBlock: String
        public var usableAddresses: Int
        /// Addresses the plan needs here at max size, headroom included.
        public var demand: Int
    }
}
