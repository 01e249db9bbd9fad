/// `POST /v1/capacity`: node groups in, capacity per group out.
public struct CapacityRequest: Hashable, Codable, Sendable {
    /// The node groups to size (1–100).
    public var nodeGroups: [NodeGroupInput]
    /// CNI settings for every group that does not set its own.
    public var cni: CNISettingsInput?
    /// CoreDNS replicas in the cluster (default 2): they take workload slots somewhere.
    public var coreDnsReplicas: Int?

    public init(nodeGroups: [NodeGroupInput], cni: CNISettingsInput? = nil, coreDnsReplicas: Int? = nil) {
        self.nodeGroups = nodeGroups
        self.cni = cni
        self.coreDnsReplicas = coreDnsReplicas
    }

    /// Limits on a request's size.
    public static let nodeGroupCountRange = 1...100
    public static let coreDnsRange = 0...1_000

    /// Checks the request against the catalog and computes every group, or throws all issues found.
    public func evaluate(aws: AWSData) throws(ValidationFailure) -> CapacityReport {
        var issues = IssueCollector()
        let root = JSONPointer.root
        issues.check(nodeGroups.count, in: Self.nodeGroupCountRange, at: root / "nodeGroups", "the number of node groups")
        if let coreDnsReplicas {
            issues.check(coreDnsReplicas, in: Self.coreDnsRange, at: root / "coreDnsReplicas", "coreDnsReplicas")
        }
        var groups: [(Int, NodeGroup)] = []
        var names: [String: Int] = [:]
        for (index, input) in nodeGroups.prefix(Self.nodeGroupCountRange.upperBound).enumerated() {
            let pointer = root / "nodeGroups" / index
            if let earlier = names[input.name] {
                issues.add(pointer / "name", "node group name '\(input.name)' is already used by /nodeGroups/\(earlier)")
            }
            names[input.name] = index
            if let group = input.resolve(at: pointer, defaults: cni, catalog: aws.catalog, into: &issues) {
                groups.append((index, group))
            }
        }
        try issues.throwIfAny()
        var results: [NodeGroupCapacity] = []
        for (index, group) in groups {
            do {
                results.append(try NodeGroupCapacity.compute(group))
            } catch {
                issues.add(root / "nodeGroups" / index, error.description)
            }
        }
        try issues.throwIfAny()
        return CapacityReport(nodeGroups: results, coreDnsReplicas: coreDnsReplicas ?? 2)
    }
}

/// A node group as a request carries it.
public struct NodeGroupInput: Hashable, Codable, Sendable {
    public var name: String
    public var instanceTypes: [String]
    public var minSize: Int
    public var desiredSize: Int?
    public var maxSize: Int
    /// kubelet `maxPods` override.
    public var maxPods: Int?
    /// DaemonSet pods per node beyond aws-node and kube-proxy.
    public var extraDaemonSetPods: Int?
    /// This group's CNI settings (over the request-wide ones).
    public var cni: CNISettingsInput?
    /// Subnets the group launches into (used by plans).
    public var subnetIds: [String]?
    /// Nodes running now (plans): an existing subnet's `availableIpAddressCount` already leaves their addresses
    /// out, so the budget counts only the growth from these to `maxSize` there.
    public var runningNodes: Int?

    public init(
        name: String, instanceTypes: [String], minSize: Int, desiredSize: Int? = nil, maxSize: Int,
        maxPods: Int? = nil, extraDaemonSetPods: Int? = nil, cni: CNISettingsInput? = nil, subnetIds: [String]? = nil
    ) {
        self.name = name
        self.instanceTypes = instanceTypes
        self.minSize = minSize
        self.desiredSize = desiredSize
        self.maxSize = maxSize
        self.maxPods = maxPods
        self.extraDaemonSetPods = extraDaemonSetPods
        self.cni = cni
        self.subnetIds = subnetIds
    }

    public static let sizeRange = 0...10_000
    public static let instanceTypeCountRange = 1...20
    public static let maxPodsRange = 1...10_000
    public static let daemonSetRange = 0...1_000
    public static let nameLengthRange = 1...256

    /// Checks the group and resolves its instance types; nil when any issue was found.
    public func resolve(
        at pointer: JSONPointer, defaults: CNISettingsInput?, catalog: InstanceTypeCatalog,
        into issues: inout IssueCollector
    ) -> NodeGroup? {
        let before = issues.issues.count
        issues.check(name.count, in: Self.nameLengthRange, at: pointer / "name", "the name's length")
        issues.check(
            instanceTypes.count, in: Self.instanceTypeCountRange, at: pointer / "instanceTypes",
            "the number of instance types")
        var types: [InstanceType] = []
        for (index, name) in instanceTypes.prefix(Self.instanceTypeCountRange.upperBound).enumerated() {
            if let type = catalog.instanceType(named: name) {
                types.append(type)
            } else {
                issues.add(pointer / "instanceTypes" / index, catalog.unknownTypeMessage(name, suggesting: issues.takeSuggestion()))
            }
        }
        let minValid = issues.check(minSize, in: Self.sizeRange, at: pointer / "minSize", "minSize")
        let maxValid = issues.check(maxSize, in: Self.sizeRange, at: pointer / "maxSize", "maxSize")
        let sizesValid = minValid && maxValid
        let desired = desiredSize ?? minSize
        let desiredValid =
            desiredSize.map { issues.check($0, in: Self.sizeRange, at: pointer / "desiredSize", "desiredSize") } ?? true
        if sizesValid && desiredValid {
            if minSize > maxSize {
                issues.add(pointer / "minSize", "minSize \(minSize) is larger than maxSize \(maxSize)")
            } else if desired < minSize || desired > maxSize {
                issues.add(
                    pointer / "desiredSize", "desiredSize \(desired) must lie between minSize \(minSize) and maxSize \(maxSize)")
            }
        }
        if let maxPods { issues.check(maxPods, in: Self.maxPodsRange, at: pointer / "maxPods", "maxPods") }
        if let runningNodes, issues.check(runningNodes, in: Self.sizeRange, at: pointer / "runningNodes", "runningNodes"),
            maxValid, runningNodes > maxSize
        {
            issues.add(pointer / "runningNodes", "runningNodes \(runningNodes) is larger than maxSize \(maxSize)")
        }
        if let extraDaemonSetPods {
            issues.check(extraDaemonSetPods, in: Self.daemonSetRange, at: pointer / "extraDaemonSetPods", "extraDaemonSetPods")
        }
        let effective = (cni ?? CNISettingsInput()).overlaid(on: defaults)
        let cniPointer = cni != nil ? pointer / "cni" : JSONPointer.root / "cni"
        let settings = effective.resolve(at: cniPointer, into: &issues)
        guard issues.issues.count == before else { return nil }
        return NodeGroup(
            name: name, instanceTypes: types, minSize: minSize, desiredSize: desired, maxSize: maxSize,
            kubeletMaxPods: maxPods, extraDaemonSetPods: extraDaemonSetPods ?? 0, cni: settings)
    }
}

/// Capacity of every node group in a request.
public struct CapacityReport: Hashable, Codable, Sendable {
    public var nodeGroups: [NodeGroupCapacity]
    /// CoreDNS replicas counted against the cluster's workload slots.
    public var coreDnsReplicas: Int
    /// Totals over all groups at their max sizes.
    public var totals: Totals

    public struct Totals: Hashable, Codable, Sendable {
        public var maxNodes: Int
        public var maxPods: Int
        /// Workload slots at max size, after DaemonSets and CoreDNS.
        public var workloadPods: Int
        /// Addresses all groups take from subnets at max size, nodes full.
        public var subnetAddresses: Int
    }

    public init(nodeGroups: [NodeGroupCapacity], coreDnsReplicas: Int) {
        self.nodeGroups = nodeGroups
        self.coreDnsReplicas = coreDnsReplicas
        let workload = nodeGroups.reduce(0) { $0 + $1.max.workloadPods }
        self.totals = Totals(
            maxNodes: nodeGroups.reduce(0) { $0 + $1.max.nodes },
            maxPods: nodeGroups.reduce(0) { $0 + $1.max.maxPods },
            workloadPods: max(0, workload - coreDnsReplicas),
            subnetAddresses: nodeGroups.reduce(0) { $0 + $1.max.subnetAddresses })
    }
}
