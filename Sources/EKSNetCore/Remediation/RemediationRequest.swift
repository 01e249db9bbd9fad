/// A cluster that runs, or will run, out of addresses, and the growth to plan for: `{"plan": …}` or
/// `{"audit": …}` (an audit request, whose derived plan is used), and `target`.
public struct RemediationRequest: Hashable, Codable, Sendable {
    public var plan: ClusterPlan?
    public var audit: AuditRequest?
    public var target: Target

    public init(plan: ClusterPlan? = nil, audit: AuditRequest? = nil, target: Target) {
        self.plan = plan
        self.audit = audit
        self.target = target
    }

    /// The growth to plan for, by node group.
    public struct Target: Hashable, Codable, Sendable {
        public var nodeGroups: [NodeGroupTarget]

        public init(nodeGroups: [NodeGroupTarget]) { self.nodeGroups = nodeGroups }
    }

    public struct NodeGroupTarget: Hashable, Codable, Sendable {
        /// A node group of the plan.
        public var name: String
        /// Its new maximum size.
        public var maxSize: Int
        /// Pods per node the workload needs (kubelet `maxPods`), when it differs from the plan's.
        public var podsPerNode: Int?

        public init(name: String, maxSize: Int, podsPerNode: Int? = nil) {
            self.name = name
            self.maxSize = maxSize
            self.podsPerNode = podsPerNode
        }
    }
}

extension RemediationRequest: PassesThroughDocuments {
    public static var passedThroughPointers: [String] { AuditRequest.passedThroughPointers.map { "/audit" + $0 } }
}
