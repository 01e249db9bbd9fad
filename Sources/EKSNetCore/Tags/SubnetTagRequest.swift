/// `POST /v1/subnet-tags`: tag suggestions alone, for subnets described as in a plan.
public struct SubnetTagRequest: Hashable, Codable, Sendable {
    public var clusterName: String
    /// For the `--region` of the commands; omitted when absent.
    public var region: String?
    public var subnets: [ClusterPlan.Subnet]
    public var loadBalancers: ClusterPlan.LoadBalancers?
    public var karpenter: Bool?
    public var cni: CNISettingsInput?
    /// Subnets that host nodes (for Karpenter discovery tags and foreign-tag checks); default: private subnets.
    public var nodeSubnetIds: [String]?
    /// Subnets passed to CreateCluster.
    public var clusterSubnetIds: [String]?

    /// The suggestions, or every structural issue.
    public func suggest() throws(ValidationFailure) -> SubnetTagPlan {
        var issues = IssueCollector()
        let root = JSONPointer.root
        if !PlanContext.isValidClusterName(clusterName) {
            issues.add(root / "clusterName", "'\(clusterName.prefix(120))' is not an EKS cluster name")
        }
        if let region, !PlanContext.isValidRegion(region) {
            issues.add(root / "region", "'\(region.prefix(60))' is not an AWS region name such as us-east-1")
        }
        issues.check(subnets.count, in: PlanContext.subnetCountRange, at: root / "subnets", "the number of subnets")
        var ids: [String: Int] = [:]
        var blocks: [CIDRBlock?] = []
        for (position, subnet) in subnets.prefix(PlanContext.subnetCountRange.upperBound).enumerated() {
            if subnet.subnetId.isEmpty || subnet.subnetId.count > 64 {
                issues.add(root / "subnets" / position / "subnetId", "subnetId must be 1–64 characters")
            } else if ids[subnet.subnetId] != nil {
                issues.add(root / "subnets" / position / "subnetId", "subnet '\(subnet.subnetId)' is listed twice")
            }
            ids[subnet.subnetId] = position
            do {
                blocks.append(try CIDRBlock.parseNormalizing(subnet.cidrBlock).block)
            } catch {
                issues.add(root / "subnets" / position / "cidrBlock", error.description)
                blocks.append(nil)
            }
        }
        func lookUp(_ list: [String]?, _ name: String) -> Set<Int>? {
            guard let list else { return nil }
            var found: Set<Int> = []
            for (position, id) in list.prefix(PlanContext.listRange.upperBound).enumerated() {
                if let index = ids[id] { found.insert(index) } else {
                    issues.add(root / name / position, "subnet '\(id.prefix(64))' is not in /subnets")
                }
            }
            return found
        }
        let nodeSubnets = lookUp(nodeSubnetIds, "nodeSubnetIds")
        let clusterSubnets = lookUp(clusterSubnetIds, "clusterSubnetIds") ?? []
        let settings = (cni ?? CNISettingsInput()).resolve(at: root / "cni", into: &issues)
        var controller: (Int, Int, Int)?
        if let text = loadBalancers?.controllerVersion {
            controller = PlanContext.semanticVersion(text)
            if controller == nil {
                issues.add(root / "loadBalancers" / "controllerVersion", "'\(text.prefix(40))' is not a version such as 2.13.0")
            }
        }
        try issues.throwIfAny()

        let taggable = subnets.enumerated().map { position, subnet in
            let route = subnet.defaultRoute?.lowercased() ?? "none"
            let isPublic = route == "igw" || route.hasPrefix("igw-")
            // Safe: every block parsed, or the request was refused above.
            let block = blocks[position]!
            return TaggableSubnet(
                subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone, block: block, isPublic: isPublic,
                zoneType: subnet.zoneType ?? (subnet.outpostArn != nil ? "outpost" : "availability-zone"),
                tags: subnet.tags ?? [:],
                freeAddresses: subnet.availableIpAddressCount ?? block.awsUsableAddressCount,
                hostsNodes: nodeSubnets?.contains(position) ?? !isPublic,
                isClusterSubnet: clusterSubnets.contains(position), isENIConfigSubnet: false,
                isExtraPodSubnet: subnet.role?.lowercased() == "pods")
        }
        return SubnetTagSuggester.suggest(
            taggable,
            settings: TagSettings(
                clusterName: clusterName, region: region,
                internetFacingLoadBalancers: loadBalancers?.internetFacing ?? true,
                internalLoadBalancers: loadBalancers?.internal ?? true, controllerVersion: controller,
                karpenter: karpenter ?? false, cniVersion: settings.version,
                customNetworking: settings.warmPool.customNetworking))
    }
}
