/// What runs out at the target, and the ways out, ranked: feasible first, then least disruption, then most headroom.
public struct RemediationResult: Hashable, Codable, Sendable {
    public var clusterName: String
    public var diagnosis: Diagnosis
    public var options: [RemediationOption]
    /// How running nodes were counted, and other assumptions.
    public var assumptions: [String]

    /// One line for listings.
    public var oneLineSummary: String {
        let feasible = options.filter(\.feasible)
        guard let first = feasible.first else { return "\(diagnosis.summary); no option is feasible at the target" }
        return "\(feasible.count) of \(options.count) options feasible; first: \(first.kind.rawValue)"
    }

    public struct Diagnosis: Hashable, Codable, Sendable {
        /// The plan's verdict at its own sizes, and at the target.
        public var verdictNow: PlanVerdict
        public var verdictAtTarget: PlanVerdict
        /// Subnets whose projected addresses pass what they have at the target.
        public var exhaustedSubnets: [ExhaustedSubnet]
        /// The limit that binds first at the target: `subnet-addresses`, `aligned-28-blocks` (prefix delegation),
        /// or the per-node limit (`enis`, `kubelet`) when the subnets hold.
        public var bindingLimit: String
        /// The target's errors (rule id and message), those that made the verdict.
        public var errors: [PlanFinding]
        public var summary: String
    }

    public struct ExhaustedSubnet: Hashable, Codable, Sendable {
        public var subnetId: String
        public var availabilityZone: String
        public var cidrBlock: String
        public var usableAddresses: Int
        public var addressesInUse: Int
        public var projectedAddresses: Int
        /// Addresses missing at the target (positive).
        public var shortBy: Int
    }
}

/// One way out.
public struct RemediationOption: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case prefixDelegation = "prefix-delegation"
        case warmPoolTuning = "warm-pool-tuning"
        case secondaryCIDRCustomNetworking = "secondary-cidr-custom-networking"
        case subnetDiscovery = "subnet-discovery"
        case newNodeSubnets = "new-node-subnets"
        case ipv6Cluster = "ipv6-cluster"
    }

    /// How much the change disturbs what runs, least first.
    public enum Disruption: String, Codable, Sendable, Comparable {
        /// Settings or new subnets only; running pods keep their addresses.
        case none
        /// The aws-node DaemonSet restarts with new settings; pods keep running.
        case cniRestart = "cni-restart"
        /// Nodes are replaced (new node group or launch template) for the change to reach them.
        case rollingNodeReplacement = "rolling-node-replacement"
        /// A new cluster: workloads move to it.
        case newCluster = "new-cluster"

        var rank: Int {
            switch self {
            case .none: 0
            case .cniRestart: 1
            case .rollingNodeReplacement: 2
            case .newCluster: 3
            }
        }

        public static func < (lhs: Disruption, rhs: Disruption) -> Bool { lhs.rank < rhs.rank }
    }

    public var kind: Kind
    public var title: String
    public var feasible: Bool
    /// Why not, when not feasible (and what would make it so).
    public var reason: String?
    /// Headroom gained over every subnet the plan counts (after − before, at the target).
    public var addressesGained: Int
    /// Pod capacity gained at the target sizes (max pods × nodes, after − before).
    public var podsGained: Int
    public var disruption: Disruption
    public var cost: Cost
    /// The plan after the change, at the target: post it to /v1/plans as it is.
    public var planAfter: ClusterPlan?
    public var evaluationAfter: EvaluationSummary?
    /// What to do, in order.
    public var steps: [Step]
    /// Warm-pool tuning: the simulator's before and after on the same timeline.
    public var simulation: SimulationComparison?

    public struct Cost: Hashable, Codable, Sendable {
        /// EC2 API calls per hour ipamd makes on the growth timeline (the simulator), when simulated.
        public var ec2CallsPerHour: Int?
        /// What else it needs: endpoints, NAT, quotas, a newer VPC CNI.
        public var needs: [String]
    }

    public struct EvaluationSummary: Hashable, Codable, Sendable {
        public var verdict: PlanVerdict
        public var errors: Int
        public var warnings: Int
        /// The errors left, when any.
        public var errorFindings: [PlanFinding]
    }

    public struct Step: Hashable, Codable, Sendable {
        public var description: String
        /// Ready-to-run commands (aws, kubectl), in order.
        public var commands: [String]
        /// A manifest to apply (YAML), such as an ENIConfig.
        public var manifest: String?

        public init(_ description: String, commands: [String] = [], manifest: String? = nil) {
            self.description = description
            self.commands = commands
            self.manifest = manifest
        }
    }

    public struct SimulationComparison: Hashable, Codable, Sendable {
        public var timeline: String
        public var before: Figures
        public var after: Figures

        public struct Figures: Hashable, Codable, Sendable {
            public var settings: String
            public var peakAddressesHeld: Int
            public var peakHeldUnassigned: Int
            public var peakPodsPending: Int
            public var podsPendingAtEnd: Int
            public var ec2Calls: Int
            public var firstExhaustionAt: Int?
        }
    }
}
