/// `POST /v1/simulations`: subnets, node groups and a timeline of events; the simulator plays ipamd on every node.
public struct SimulationInput: Hashable, Codable, Sendable {
    /// Simulated time, seconds (one pool tick every 5 s).
    public var durationSeconds: Int
    public var seed: UInt64?
    /// `first-fit` (the docs' tables) or `random` (EC2 placement and Go map order).
    public var fillOrder: FillOrder?
    /// At most this many points per time series (downsampled evenly).
    public var maxPoints: Int?
    /// Seconds from CreateNetworkInterface to the ENI's addresses showing up (docs: up to 10 s).
    public var eniAttachLatencySeconds: Int?
    public var subnets: [SimulatedSubnet]
    public var cni: CNISettingsInput?
    /// Custom networking: the ENIConfig subnet per availability zone.
    public var eniConfigs: [String: String]?
    public var nodeGroups: [SimulatedNodeGroup]
    public var workloads: [Workload]?
    public var events: [Event]?
    /// Re-run with other warm-pool settings and quantify the difference (default true).
    public var compareAlternatives: Bool?

    public init(
        durationSeconds: Int, seed: UInt64? = nil, fillOrder: FillOrder? = nil, maxPoints: Int? = nil,
        eniAttachLatencySeconds: Int? = nil, subnets: [SimulatedSubnet], cni: CNISettingsInput? = nil,
        eniConfigs: [String: String]? = nil, nodeGroups: [SimulatedNodeGroup], workloads: [Workload]? = nil,
        events: [Event]? = nil, compareAlternatives: Bool? = nil
    ) {
        self.durationSeconds = durationSeconds
        self.seed = seed
        self.fillOrder = fillOrder
        self.maxPoints = maxPoints
        self.eniAttachLatencySeconds = eniAttachLatencySeconds
        self.subnets = subnets
        self.cni = cni
        self.eniConfigs = eniConfigs
        self.nodeGroups = nodeGroups
        self.workloads = workloads
        self.events = events
        self.compareAlternatives = compareAlternatives
    }

    public struct SimulatedSubnet: Hashable, Codable, Sendable {
        public var subnetId: String
        public var availabilityZone: String
        public var cidrBlock: String
        /// Free addresses now (the rest are taken by others, scattered per the fill order).
        public var availableIpAddressCount: Int?
        /// A prefix-type subnet CIDR reservation, tried first for /28 prefixes.
        public var prefixReservationCidr: String?
        /// Eligible for VPC CNI subnet discovery beside the node subnets (`kubernetes.io/role/cni=1`).
        public var podSubnet: Bool?

        public init(
            subnetId: String, availabilityZone: String, cidrBlock: String, availableIpAddressCount: Int? = nil,
            prefixReservationCidr: String? = nil, podSubnet: Bool? = nil
        ) {
            self.subnetId = subnetId
            self.availabilityZone = availabilityZone
            self.cidrBlock = cidrBlock
            self.availableIpAddressCount = availableIpAddressCount
            self.prefixReservationCidr = prefixReservationCidr
            self.podSubnet = podSubnet
        }
    }

    public struct SimulatedNodeGroup: Hashable, Codable, Sendable {
        public var name: String
        public var instanceType: String
        public var subnetIds: [String]
        /// Nodes at t = 0.
        public var nodes: Int
        /// kubelet maxPods; default: the calculator's value for the CNI settings.
        public var maxPods: Int?
        public var cni: CNISettingsInput?

        public init(
            name: String, instanceType: String, subnetIds: [String], nodes: Int, maxPods: Int? = nil,
            cni: CNISettingsInput? = nil
        ) {
            self.name = name
            self.instanceType = instanceType
            self.subnetIds = subnetIds
            self.nodes = nodes
            self.maxPods = maxPods
            self.cni = cni
        }
    }

    public struct Workload: Hashable, Codable, Sendable {
        public var name: String
        public var nodeGroup: String
        /// Replicas at t = 0.
        public var pods: Int

        public init(name: String, nodeGroup: String, pods: Int) {
            self.name = name
            self.nodeGroup = nodeGroup
            self.pods = pods
        }
    }

    /// What an event does; the wire carries it as `type`, parsed once by `SimulationSetup`.
    public enum EventType: String, Sendable, CaseIterable {
        case scaleNodeGroup, setPods, rollingRestart
    }

    public struct Event: Hashable, Codable, Sendable {
        /// Seconds from the start.
        public var at: Int
        /// `scaleNodeGroup`, `setPods` or `rollingRestart`.
        public var type: String
        public var nodeGroup: String?
        public var nodes: Int?
        public var workload: String?
        public var pods: Int?
        /// rollingRestart: share of replicas replaced per 5 s step (default 25).
        public var batchPercent: Int?

        public init(
            at: Int, type: String, nodeGroup: String? = nil, nodes: Int? = nil, workload: String? = nil, pods: Int? = nil,
            batchPercent: Int? = nil
        ) {
            self.at = at
            self.type = type
            self.nodeGroup = nodeGroup
            self.nodes = nodes
            self.workload = workload
            self.pods = pods
            self.batchPercent = batchPercent
        }
    }

    public static let durationRange = 5...86_400
    public static let subnetCountRange = 1...64
    public static let nodeGroupCountRange = 1...32
    public static let nodesRange = 0...5_000
    public static let podsRange = 0...250_000
    public static let eventCountRange = 0...1_000
    public static let maxPointsRange = 2...5_000
    public static let latencyRange = 0...300
    /// nodes × ticks ceiling: keeps one simulation under a few seconds.
    public static let maximumNodeTicks = 50_000_000
}
