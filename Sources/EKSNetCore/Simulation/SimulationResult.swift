/// What a simulation found: time series per subnet and node group, events, and a summary with advice.
public struct SimulationResult: Hashable, Codable, Sendable {
    /// Seconds at which the series were sampled.
    public var times: [Int]
    public var subnets: [SubnetSeries]
    public var nodeGroups: [NodeGroupSeries]
    public var events: Events
    public var summary: Summary
    /// The same timeline under other warm-pool settings, computed by running it again.
    public var alternatives: [Alternative]
    public var advice: [String]

    public struct SubnetSeries: Hashable, Codable, Sendable {
        public var subnetId: String
        public var usableAddresses: Int
        public var freeAddresses: [Int]
        public var freeAligned28Blocks: [Int]
        /// Addresses held on ENIs and bound to no pod (the warm pool, cooling addresses included).
        public var heldUnassigned: [Int]
        public var peakAddressesInUse: Int
        /// First time an allocation in this subnet failed for lack of addresses; nil if never.
        public var firstExhaustedAt: Int?
    }

    public struct NodeGroupSeries: Hashable, Codable, Sendable {
        public var name: String
        public var instanceType: String
        public var maxPods: Int
        public var nodes: [Int]
        public var enis: [Int]
        /// Pods with an address.
        public var assigned: [Int]
        /// Addresses held and free for pods (ipamd's available: cooling ones included).
        public var warm: [Int]
        /// Pods waiting for an address on a node that can still grow its pool (cooldown, MINIMUM_IP_TARGET, …).
        public var pendingNoIp: [Int]
        /// Pods waiting because the node's subnet has no address (or /28 block) left.
        public var pendingSubnetExhausted: [Int]
        /// Pods no node can take: every node is at max pods.
        public var pendingMaxPods: [Int]
    }

    public struct Events: Hashable, Codable, Sendable {
        /// First time any allocation failed for lack of addresses.
        public var firstExhaustionAt: Int?
        /// Failed EC2 allocations for lack of addresses (InsufficientFreeAddressesInSubnet, InsufficientCidrBlocks,
        /// and CreateNetworkInterface's "not sufficient free addresses").
        public var insufficientAddressErrors: Int
        /// Nodes that could not launch: no address for their primary ENI.
        public var failedNodeLaunches: Int
        /// Every EC2 call ipamd made, successful or failed, as CloudTrail and the API rate limits count them.
        public var ec2Calls: EC2Calls
        /// Of those, the ones EC2 refused (all for lack of addresses in this model).
        public var failedEc2Calls: EC2Calls
    }

    /// Calls by API.
    public struct EC2Calls: Hashable, Codable, Sendable {
        /// AssignPrivateIpAddresses (secondary IPs or prefixes).
        public var assign: Int
        /// UnassignPrivateIpAddresses.
        public var unassign: Int
        /// CreateNetworkInterface.
        public var createEni: Int
        /// AttachNetworkInterface.
        public var attachEni: Int
        /// DetachNetworkInterface.
        public var detachEni: Int
        /// DeleteNetworkInterface.
        public var deleteEni: Int

        public static let zero = EC2Calls(assign: 0, unassign: 0, createEni: 0, attachEni: 0, detachEni: 0, deleteEni: 0)

        /// Every call, whatever the API.
        public var total: Int { assign + unassign + createEni + attachEni + detachEni + deleteEni }
    }

    public struct Summary: Hashable, Codable, Sendable {
        public var durationSeconds: Int
        public var ticks: Int
        public var nodeTicks: Int
        /// Most addresses taken by the cluster's nodes at any moment (ENI primaries, secondaries, prefixes).
        public var peakAddressesHeld: Int
        /// Most addresses held but bound to no pod at any moment.
        public var peakHeldUnassigned: Int
        /// Pods waiting (for an address or a node) at the end.
        public var podsPendingAtEnd: Int
        /// Most pods waiting at any moment.
        public var peakPodsPending: Int
    }

    public struct Alternative: Hashable, Codable, Sendable {
        /// The settings, as `aws-node` environment variables.
        public var settings: String
        public var peakAddressesHeld: Int
        public var peakHeldUnassigned: Int
        public var peakPodsPending: Int
        public var podsPendingAtEnd: Int
        public var firstExhaustionAt: Int?
        public var ec2Calls: EC2Calls
    }
}

extension SimulationResult {
    /// One line for job listings: when a subnet first ran dry, and the peak addresses held.
    public var oneLineSummary: String {
        let exhausted = events.firstExhaustionAt.map { "subnet exhausted at \($0) s" } ?? "no subnet exhausted"
        return "\(exhausted); peak \(summary.peakAddressesHeld) addresses held"
    }
}
