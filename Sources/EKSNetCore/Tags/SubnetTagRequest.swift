/// `POST /v1/subnet-tags`: tag suggestions alone, for subnets described as in a plan.
public struct SubnetTagRequest: Hashable, Codable, Sendable {
    public var clusterName: String
    /// For the `--region` of the commands; omitted when absent.
    public var region: String?
    public var subnets: [PlannedSubnet]
    public var loadBalancers: LoadBalancerPlan?
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
        if ClusterName(parsing: clusterName) == nil {
            issues.add(root / "clusterName", "'\(clusterName.prefix(120))' \(ClusterName.invalidMessage)")
        }
        if let region, AWSRegion(parsing: region) == nil {
            issues.add(root / "region", "'\(region.prefix(60))' \(AWSRegion.invalidMessage)")
        }
        let table = SubnetTable(subnets, at: root / "subnets", count: PlannedSubnet.countRange, into: &issues)
        let nodeSubnets = nodeSubnetIds.map {
            Set(table.references($0, at: root / "nodeSubnetIds", count: PlannedSubnet.referenceCountRange, into: &issues))
        }
        let clusterSubnets = Set(
            table.references(clusterSubnetIds, at: root / "clusterSubnetIds", count: PlannedSubnet.referenceCountRange, into: &issues))
        let settings = (cni ?? CNISettingsInput()).resolve(at: root / "cni", into: &issues)
        var controller: SemanticVersion?
        if let text = loadBalancers?.controllerVersion {
            controller = SemanticVersion(parsing: text)
            if controller == nil {
                issues.add(root / "loadBalancers" / "controllerVersion", "'\(text.prefix(40))' is not a version such as 2.13.0")
            }
        }
        try issues.throwIfAny()

        let taggable = table.entries.enumerated().map { position, subnet in
            TaggableSubnet(
                subnetId: subnet.id, availabilityZone: subnet.availabilityZone, block: subnet.block,
                isPublic: subnet.isPublic, zoneType: subnet.zoneType, tags: subnet.tags, freeAddresses: subnet.freeNow,
                hostsNodes: nodeSubnets?.contains(position) ?? !subnet.isPublic,
                isClusterSubnet: clusterSubnets.contains(position), isENIConfigSubnet: false,
                isExtraPodSubnet: subnet.facts.role == .pods)
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
