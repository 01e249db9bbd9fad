/// A plan checked for shape and resolved: CIDRs parsed, references followed, node groups sized. Rules read this,
/// never the raw plan. Building it throws every structural issue at once (a 422): a dangling subnet reference, an
/// unparseable CIDR, an unknown instance type, a number out of bounds.
public struct PlanContext: Sendable {
    public let plan: ClusterPlan
    public let catalog: InstanceTypeCatalog
    /// Which zones offer each instance type (rule NG-004).
    public let offerings: InstanceTypeOfferings
    public let ipFamily: ClusterPlan.IPFamily
    /// VPC IPv4 blocks, the primary first.
    public let vpcBlocks: [ParsedBlock]
    /// The plan's subnets, resolved once; `subnets` are its entries.
    public let subnetTable: SubnetTable<PlannedSubnet>
    public var subnets: [ResolvedSubnet] { subnetTable.entries }
    public let clusterSubnets: [Int]
    public let nodeGroups: [ResolvedNodeGroup]
    public let fargateProfiles: [(profile: ClusterPlan.FargateProfile, subnets: [Int])]
    /// Plan-wide CNI settings (node groups may override).
    public let cni: CNISettings
    /// ENIConfig subnet per availability zone name, with custom networking.
    public let eniConfigSubnets: [String: Int]
    public let connectedNetworks: [ParsedBlock]
    /// Each subnet's internet path (by entry position), resolved from its route, the NAT gateways and the
    /// connected networks.
    public let egress: [InternetEgress]
    public let serviceCidr: ParsedBlock?
    /// Short names of the VPC endpoints (`ec2`, `s3`, …).
    public let endpointServices: Set<String>
    public let controllerVersion: SemanticVersion?
    /// Members of the request no field reads (the HTTP edge finds them; a plan built in code has none).
    public let unknownFields: [UnknownField]
    /// The VPC's DNS attributes as judged: given, or AWS's defaults for a VPC you create; nil when unknown.
    public let dnsSupport: VPCAttribute?
    public let dnsHostnames: VPCAttribute?

    /// A VPC attribute's value and whether the plan gave it or eksnet assumed it.
    public struct VPCAttribute: Hashable, Sendable {
        public let enabled: Bool
        public let assumed: Bool
    }

    /// What an attribute the plan leaves out means.
    public enum UnsetVPCAttributes: Sendable {
        /// AWS's defaults for a VPC you create (CreateVpc): DNS resolution on, DNS hostnames off.
        case defaultsOfANewVPC
        /// Not known (an audit without `describe-vpc-attribute` output): the checks that need it are not run.
        case unknown
    }

    /// A CIDR as written and as understood.
    public struct ParsedBlock: Sendable {
        public let text: String
        public let block: CIDRBlock
        public let hadHostBits: Bool
        public let pointer: String
    }

    /// A subnet with its routes, zone and role typed and its reachability worked out.
    public typealias ResolvedSubnet = SubnetTable<PlannedSubnet>.Entry

    /// A node group with its subnets and capacity.
    public struct ResolvedNodeGroup: Sendable {
        public let index: Int
        public let input: NodeGroupInput
        public let group: NodeGroup
        public let subnets: [Int]
        public let capacity: NodeGroupCapacity?
        /// Why capacity could not be computed (no ENI left for pods, …).
        public let capacityError: String?
        public var pointer: String { "/nodeGroups/\(index)" }
    }

    public static let subnetCountRange = PlannedSubnet.countRange
    public static let vpcBlockCountRange = 1...50
    public static let listRange = PlannedSubnet.referenceCountRange
    public static let fargatePodsRange = 0...100_000

    public init(
        _ plan: ClusterPlan, aws: AWSData, unsetVPCAttributes: UnsetVPCAttributes = .defaultsOfANewVPC,
        unknownFields: [UnknownField] = []
    ) throws(ValidationFailure) {
        self.unknownFields = unknownFields
        var issues = IssueCollector()
        let root = JSONPointer.root
        self.plan = plan
        self.catalog = aws.catalog
        self.offerings = aws.offerings
        self.ipFamily = plan.ipFamily ?? .ipv4
        func attribute(_ given: Bool?, newVPCDefault: Bool) -> VPCAttribute? {
            if let given { return VPCAttribute(enabled: given, assumed: false) }
            return unsetVPCAttributes == .defaultsOfANewVPC ? VPCAttribute(enabled: newVPCDefault, assumed: true) : nil
        }
        dnsSupport = attribute(plan.vpc.enableDnsSupport, newVPCDefault: true)
        dnsHostnames = attribute(plan.vpc.enableDnsHostnames, newVPCDefault: false)

        if ClusterName(parsing: plan.clusterName) == nil {
            issues.add(root / "clusterName", "'\(plan.clusterName.prefix(120))' \(ClusterName.invalidMessage)")
        }
        if AWSRegion(parsing: plan.region) == nil {
            issues.add(root / "region", "'\(plan.region.prefix(60))' \(AWSRegion.invalidMessage)")
        }
        if let version = plan.kubernetesVersion, KubernetesVersion.minor(of: version) == nil {
            issues.add(root / "kubernetesVersion", "'\(version.prefix(40))' is not a Kubernetes version such as 1.31")
        }

        func parse(_ text: String, at pointer: JSONPointer) -> ParsedBlock? {
            do {
                let (block, hostBits) = try CIDRBlock.parseNormalizing(text)
                return ParsedBlock(text: text, block: block, hadHostBits: hostBits, pointer: pointer.description)
            } catch {
                issues.add(pointer, error.description)
                return nil
            }
        }

        issues.check(
            plan.vpc.cidrBlocks.count, in: Self.vpcBlockCountRange, at: root / "vpc" / "cidrBlocks",
            "the number of VPC CIDR blocks")
        vpcBlocks = plan.vpc.cidrBlocks.prefix(Self.vpcBlockCountRange.upperBound).enumerated().compactMap {
            parse($0.element, at: root / "vpc" / "cidrBlocks" / $0.offset)
        }

        let table = SubnetTable(plan.subnets, at: root / "subnets", count: Self.subnetCountRange, into: &issues)
        subnetTable = table
        func references(_ ids: [String]?, at pointer: JSONPointer) -> [Int] {
            table.references(ids, at: pointer, count: Self.listRange, into: &issues)
        }

        clusterSubnets = references(plan.clusterSubnetIds, at: root / "clusterSubnetIds")
        if plan.clusterSubnetIds.isEmpty {
            issues.add(root / "clusterSubnetIds", "clusterSubnetIds must name the subnets passed to CreateCluster")
        }
        for (position, nat) in (plan.natGateways ?? []).prefix(Self.listRange.upperBound).enumerated() {
            _ = table.reference(nat.subnetId, at: root / "natGateways" / position / "subnetId", into: &issues)
        }

        var groups: [ResolvedNodeGroup] = []
        let nodeGroupInputs = plan.nodeGroups ?? []
        issues.check(nodeGroupInputs.count, in: 0...CapacityRequest.nodeGroupCountRange.upperBound,
                     at: root / "nodeGroups", "the number of node groups")
        var names: Set<String> = []
        for (position, input) in nodeGroupInputs.prefix(CapacityRequest.nodeGroupCountRange.upperBound).enumerated() {
            let pointer = root / "nodeGroups" / position
            if !names.insert(input.name).inserted {
                issues.add(pointer / "name", "node group name '\(input.name.prefix(64))' is used twice")
            }
            guard let subnetIds = input.subnetIds, !subnetIds.isEmpty else {
                issues.add(pointer / "subnetIds", "a node group in a plan must name its subnets (subnetIds)")
                continue
            }
            let groupSubnets = references(subnetIds, at: pointer / "subnetIds")
            guard var group = input.resolve(at: pointer, defaults: plan.cni, catalog: catalog, into: &issues) else {
                continue
            }
            // IPv6 clusters always run the VPC CNI in prefix mode (a /80 per node).
            if ipFamily == .ipv6 { group.cni.warmPool.prefixDelegation = true }
            var capacity: NodeGroupCapacity?
            var failure: String?
            do {
                capacity = try NodeGroupCapacity.compute(group, ipv6: ipFamily == .ipv6)
            } catch {
                failure = error.description
                issues.add(pointer, error.description)
            }
            groups.append(
                ResolvedNodeGroup(
                    index: position, input: input, group: group, subnets: groupSubnets, capacity: capacity,
                    capacityError: failure))
        }
        nodeGroups = groups

        var profiles: [(ClusterPlan.FargateProfile, [Int])] = []
        for (position, profile) in (plan.fargateProfiles ?? []).prefix(Self.listRange.upperBound).enumerated() {
            let pointer = root / "fargateProfiles" / position
            issues.check(profile.maxPods, in: Self.fargatePodsRange, at: pointer / "maxPods", "maxPods")
            if profile.subnetIds.isEmpty {
                issues.add(pointer / "subnetIds", "a Fargate profile needs at least one subnet")
            }
            profiles.append((profile, references(profile.subnetIds, at: pointer / "subnetIds")))
        }
        fargateProfiles = profiles
        plan.securityGroups?.check(at: root / "securityGroups", into: &issues)

        cni = (plan.cni ?? CNISettingsInput()).resolve(at: root / "cni", into: &issues)
        var eniConfigs: [String: Int] = [:]
        for (zone, subnetId) in (plan.cni?.customNetworking?.eniConfigs ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let found = table.reference(subnetId, at: root / "cni" / "customNetworking" / "eniConfigs" / zone, into: &issues) {
                eniConfigs[zone] = found
            }
        }
        eniConfigSubnets = eniConfigs

        let networks = (plan.connectedNetworks ?? []).prefix(Self.listRange.upperBound)
        connectedNetworks = networks.enumerated().compactMap { position, network in
            parse(network.cidrBlock, at: network.providesInternetEgress == nil
                ? root / "connectedNetworks" / position : root / "connectedNetworks" / position / "cidrBlock")
        }
        let connectedEgress = networks.contains { $0.providesInternetEgress == true }
        let natGateways = plan.natGateways ?? []
        egress = table.entries.map { entry in
            InternetEgress.resolve(
                entry.facts.defaultRoute, natGateways: natGateways,
                natSubnetReachesInternetGateway: { id in
                    table.position(of: id).map { table.entries[$0].facts.defaultRoute.isInternetGateway } ?? false
                },
                connectedNetworkEgress: connectedEgress)
        }
        serviceCidr = plan.serviceIpv4Cidr.flatMap { parse($0, at: root / "serviceIpv4Cidr") }

        var services: Set<String> = []
        for (position, endpoint) in (plan.vpcEndpoints ?? []).prefix(Self.listRange.upperBound).enumerated() {
            let pointer = root / "vpcEndpoints" / position
            if endpoint.service.isEmpty { issues.add(pointer, "an endpoint needs a service name such as ecr.api") }
            services.insert(endpoint.shortName.lowercased())
            _ = references(endpoint.subnetIds, at: pointer / "subnetIds")
            _ = references(endpoint.routeTableSubnetIds, at: pointer / "routeTableSubnetIds")
        }
        endpointServices = services

        if let text = plan.loadBalancers?.controllerVersion {
            controllerVersion = SemanticVersion(parsing: text)
            if controllerVersion == nil {
                issues.add(
                    root / "loadBalancers" / "controllerVersion",
                    "'\(text.prefix(40))' is not an AWS Load Balancer Controller version such as 2.13.0")
            }
        } else {
            controllerVersion = nil
        }
        try issues.throwIfAny()
    }

    // MARK: - Derived facts the rules share

    /// Subnets that host nodes (node groups, and Fargate pods).
    public var nodeSubnets: Set<Int> {
        Set(nodeGroups.flatMap(\.subnets)).union(fargateProfiles.flatMap(\.subnets))
    }

    /// Whether internet-facing load balancers are planned (default: yes, unless a plan says otherwise).
    public var plansInternetFacingLoadBalancers: Bool { plan.loadBalancers?.internetFacing ?? false }
    /// Whether internal load balancers are planned.
    public var plansInternalLoadBalancers: Bool { plan.loadBalancers?.internal ?? false }
    public var plansLoadBalancers: Bool { plansInternetFacingLoadBalancers || plansInternalLoadBalancers }

    /// The CNI settings of a node group (its own over the plan's).
    public func cniSettings(of group: ResolvedNodeGroup) -> CNISettings { group.group.cni }

    public var customNetworking: Bool { cni.warmPool.customNetworking }

    /// The endpoints a cluster without internet egress needs (EP-001).
    public static let requiredPrivateEndpoints = ["ec2", "ecr.api", "ecr.dkr", "sts", "s3"]

    public var missingRequiredEndpoints: [String] {
        Self.requiredPrivateEndpoints.filter { !endpointServices.contains($0) }
    }

    /// The cluster name in `kubernetes.io/cluster/<name>`.
    public var clusterTagKey: String { "kubernetes.io/cluster/\(plan.clusterName)" }
}

extension SubnetTable<PlannedSubnet>.Entry {
    public var tags: [String: String] { input.tags ?? [:] }
    public var pointer: String { "/subnets/\(index)" }
    public var isPublic: Bool { facts.isPublic }
    public var zoneType: ZoneType { facts.zoneType }
}
