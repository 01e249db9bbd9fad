/// A plan checked for shape and resolved: CIDRs parsed, references followed, node groups sized. Rules read this,
/// never the raw plan. Building it throws every structural issue at once (a 422): a dangling subnet reference, an
/// unparseable CIDR, an unknown instance type, a number out of bounds.
public struct PlanContext: Sendable {
    public let plan: ClusterPlan
    public let catalog: InstanceTypeCatalog
    public let ipFamily: ClusterPlan.IPFamily
    /// VPC IPv4 blocks, the primary first.
    public let vpcBlocks: [ParsedBlock]
    public let subnets: [ResolvedSubnet]
    public let subnetIndex: [String: Int]
    public let clusterSubnets: [Int]
    public let nodeGroups: [ResolvedNodeGroup]
    public let fargateProfiles: [(profile: ClusterPlan.FargateProfile, subnets: [Int])]
    /// Plan-wide CNI settings (node groups may override).
    public let cni: CNISettings
    /// ENIConfig subnet per availability zone name, with custom networking.
    public let eniConfigSubnets: [String: Int]
    public let connectedNetworks: [ParsedBlock]
    public let serviceCidr: ParsedBlock?
    /// Short names of the VPC endpoints (`ec2`, `s3`, …).
    public let endpointServices: Set<String>
    public let controllerVersion: (major: Int, minor: Int, patch: Int)?

    /// A CIDR as written and as understood.
    public struct ParsedBlock: Sendable {
        public let text: String
        public let block: CIDRBlock
        public let hadHostBits: Bool
        public let pointer: String
    }

    /// A subnet with its reachability worked out.
    public struct ResolvedSubnet: Sendable {
        public let index: Int
        public let input: ClusterPlan.Subnet
        public let block: CIDRBlock
        public let hadHostBits: Bool
        /// Its 0.0.0.0/0 route goes to an internet gateway (the one definition EKS, the LB controller and the
        /// in-tree provider use).
        public let isPublic: Bool
        /// Its 0.0.0.0/0 route goes somewhere (NAT, TGW, appliance, IGW): AWS APIs are reachable without endpoints.
        public let hasInternetEgress: Bool
        public var id: String { input.subnetId }
        public var availabilityZone: String { input.availabilityZone }
        public var tags: [String: String] { input.tags ?? [:] }
        public var pointer: String { "/subnets/\(index)" }
        /// Free addresses now: AvailableIpAddressCount when the subnet exists, else all usable ones.
        public var freeNow: Int { input.availableIpAddressCount ?? block.awsUsableAddressCount }
        public var zoneType: String { input.zoneType ?? (input.outpostArn != nil ? "outpost" : "availability-zone") }
    }

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

    public static let subnetCountRange = 1...500
    public static let vpcBlockCountRange = 1...50
    public static let listRange = 0...500
    public static let fargatePodsRange = 0...100_000
    public static let availableAddressesRange = 0...(1 << 24)

    public init(_ plan: ClusterPlan, catalog: InstanceTypeCatalog = .standard) throws(ValidationFailure) {
        var issues = IssueCollector()
        let root = JSONPointer.root
        self.plan = plan
        self.catalog = catalog
        self.ipFamily = plan.ipFamily ?? .ipv4

        if !Self.isValidClusterName(plan.clusterName) {
            issues.add(
                root / "clusterName",
                "'\(plan.clusterName.prefix(120))' is not an EKS cluster name: 1–100 letters, digits, '-' or '_', "
                    + "starting with a letter or digit")
        }
        if !Self.isValidRegion(plan.region) {
            issues.add(root / "region", "'\(plan.region.prefix(60))' is not an AWS region name such as us-east-1")
        }
        if let version = plan.kubernetesVersion, Self.kubernetesMinor(version) == nil {
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

        issues.check(plan.subnets.count, in: Self.subnetCountRange, at: root / "subnets", "the number of subnets")
        var index: [String: Int] = [:]
        var resolved: [ResolvedSubnet] = []
        for (position, subnet) in plan.subnets.prefix(Self.subnetCountRange.upperBound).enumerated() {
            let pointer = root / "subnets" / position
            if subnet.subnetId.isEmpty || subnet.subnetId.count > 64 {
                issues.add(pointer / "subnetId", "subnetId must be 1–64 characters")
            } else if let earlier = index[subnet.subnetId] {
                issues.add(pointer / "subnetId", "subnet '\(subnet.subnetId)' is listed twice (also /subnets/\(earlier))")
            }
            if subnet.availabilityZone.isEmpty || subnet.availabilityZone.count > 64 {
                issues.add(pointer / "availabilityZone", "availabilityZone must be 1–64 characters, such as us-east-1a")
            }
            if let available = subnet.availableIpAddressCount {
                issues.check(
                    available, in: Self.availableAddressesRange, at: pointer / "availableIpAddressCount",
                    "availableIpAddressCount")
            }
            if let ipv6 = subnet.ipv6CidrBlock, !Self.looksLikeIPv6Block(ipv6) {
                issues.add(pointer / "ipv6CidrBlock", "'\(ipv6.prefix(60))' is not an IPv6 CIDR block such as 2600:1f18:1:100::/64")
            }
            guard let parsed = parse(subnet.cidrBlock, at: pointer / "cidrBlock") else { continue }
            let route = subnet.defaultRoute?.lowercased() ?? "none"
            index[subnet.subnetId] = index[subnet.subnetId] ?? resolved.count
            resolved.append(
                ResolvedSubnet(
                    index: position, input: subnet, block: parsed.block, hadHostBits: parsed.hadHostBits,
                    isPublic: route == "igw" || route.hasPrefix("igw-"),
                    hasInternetEgress: route != "none" && !route.isEmpty))
        }
        subnets = resolved
        // Positions in `resolved` can differ from plan positions only when a CIDR failed to parse, and then the
        // plan is refused below; map ids to plan positions for pointers and to resolved positions for lookups.
        subnetIndex = index

        func references(_ ids: [String]?, at pointer: JSONPointer) -> [Int] {
            guard let ids else { return [] }
            issues.check(ids.count, in: Self.listRange, at: pointer, "the number of subnet ids")
            var result: [Int] = []
            for (position, id) in ids.prefix(Self.listRange.upperBound).enumerated() {
                if let found = index[id] {
                    if !result.contains(found) { result.append(found) }
                } else {
                    issues.add(pointer / position, "subnet '\(id.prefix(64))' is not in /subnets; list every subnet the plan uses")
                }
            }
            return result
        }

        clusterSubnets = references(plan.clusterSubnetIds, at: root / "clusterSubnetIds")
        if plan.clusterSubnetIds.isEmpty {
            issues.add(root / "clusterSubnetIds", "clusterSubnetIds must name the subnets passed to CreateCluster")
        }
        for (position, nat) in (plan.natGateways ?? []).prefix(Self.listRange.upperBound).enumerated()
        where index[nat.subnetId] == nil {
            issues.add(root / "natGateways" / position / "subnetId", "subnet '\(nat.subnetId.prefix(64))' is not in /subnets")
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
                capacity = try NodeGroupCapacity.compute(group)
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

        cni = (plan.cni ?? CNISettingsInput()).resolve(at: root / "cni", into: &issues)
        var eniConfigs: [String: Int] = [:]
        for (zone, subnetId) in (plan.cni?.customNetworking?.eniConfigs ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let found = index[subnetId] {
                eniConfigs[zone] = found
            } else {
                issues.add(
                    root / "cni" / "customNetworking" / "eniConfigs" / zone,
                    "ENIConfig subnet '\(subnetId.prefix(64))' is not in /subnets; list pod subnets too")
            }
        }
        eniConfigSubnets = eniConfigs

        connectedNetworks = (plan.connectedNetworks ?? []).prefix(Self.listRange.upperBound).enumerated().compactMap {
            parse($0.element, at: root / "connectedNetworks" / $0.offset)
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
            controllerVersion = Self.semanticVersion(text)
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

    // MARK: - Parsing helpers

    static func isValidClusterName(_ name: String) -> Bool {
        guard (1...100).contains(name.count), let first = name.unicodeScalars.first,
            ("0"..."9").contains(first) || ("a"..."z").contains(first) || ("A"..."Z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }

    static func isValidRegion(_ region: String) -> Bool {
        let parts = region.split(separator: "-", omittingEmptySubsequences: false)
        guard region.count <= 32, parts.count >= 3, let last = parts.last, last.allSatisfy(\.isNumber), !last.isEmpty
        else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) } }
    }

    /// The minor version of `1.31` (or `1.31.2`); nil unless the major is 1.
    public static func kubernetesMinor(_ version: String) -> Int? {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts[0] == "1", (1...3).contains(parts[1].count),
            let minor = Int(parts[1]), parts.dropFirst(2).allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return minor
    }

    static func semanticVersion(_ text: String) -> (Int, Int, Int)? {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        let numbers = parts.map { part in Int(part.prefix { $0.isNumber }.prefix(4)) }
        guard let major = numbers[0], let minor = numbers[1] else { return nil }
        return (major, minor, parts.count == 3 ? numbers[2] ?? 0 : 0)
    }

    static func looksLikeIPv6Block(_ text: String) -> Bool {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (0...128).contains(prefix), parts[0].contains(":") else {
            return false
        }
        return parts[0].count <= 39 && parts[0].allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
