/// What the tag algorithm needs to know of one subnet.
public struct TaggableSubnet: Sendable {
    public var subnetId: String
    public var availabilityZone: String
    public var block: CIDRBlock
    public var isPublic: Bool
    public var zoneType: ZoneType
    public var tags: [String: String]
    /// Free addresses after the plan's nodes, pods and control plane (before load balancers).
    public var freeAddresses: Int
    public var hostsNodes: Bool
    public var isClusterSubnet: Bool
    /// An ENIConfig subnet (custom networking): pods only.
    public var isENIConfigSubnet: Bool
    /// A subnet meant for pods only, beside the nodes' subnets (VPC CNI subnet discovery).
    public var isExtraPodSubnet: Bool
}

/// The settings that decide which tags are wanted.
public struct TagSettings: Sendable {
    public var clusterName: String
    /// For the commands' `--region`; nil leaves the flag out.
    public var region: String?
    public var internetFacingLoadBalancers: Bool
    public var internalLoadBalancers: Bool
    /// AWS Load Balancer Controller version, (major, minor, patch); nil = a current one.
    public var controllerVersion: SemanticVersion?
    public var karpenter: Bool
    public var cniVersion: CNIVersion
    public var customNetworking: Bool
}

/// Decides, per subnet, the tags that make Kubernetes and the AWS Load Balancer Controller place load balancers
/// where intended (plan-rules.md §3.4), and the ones to remove.
public enum SubnetTagSuggester {
    public static let elbRole = "kubernetes.io/role/elb"
    public static let internalELBRole = "kubernetes.io/role/internal-elb"
    public static let cniRole = "kubernetes.io/role/cni"
    public static let karpenterDiscovery = "karpenter.sh/discovery"
    static let clusterTagPrefix = "kubernetes.io/cluster/"
    /// The load-balancer controller drops subnets with fewer free addresses.
    public static let minimumLoadBalancerFreeAddresses = 8
    /// ELB's advice: a /27 or larger per AZ.
    public static let preferredLoadBalancerPrefix = 27

    /// Prefers a subnet that is not a dedicated cluster subnet, then one of /27 or larger, then the most free
    /// addresses, then the smaller id (the controller's own tie-break).
    static func isBetterLoadBalancerSubnet(_ a: TaggableSubnet, than b: TaggableSubnet) -> Bool {
        let aDedicated = a.isClusterSubnet && !a.hostsNodes
        let bDedicated = b.isClusterSubnet && !b.hostsNodes
        if aDedicated != bDedicated { return !aDedicated }
        let aLarge = a.block.prefixLength <= preferredLoadBalancerPrefix
        let bLarge = b.block.prefixLength <= preferredLoadBalancerPrefix
        if aLarge != bLarge { return aLarge }
        if a.freeAddresses != b.freeAddresses { return a.freeAddresses > b.freeAddresses }
        return a.subnetId < b.subnetId
    }

    public static func suggest(_ subnets: [TaggableSubnet], settings: TagSettings) -> SubnetTagPlan {
        let clusterKey = clusterTagPrefix + settings.clusterName
        var suggestions = subnets.map {
            SubnetTagSuggestion(
                subnetId: $0.subnetId, availabilityZone: $0.availabilityZone, isPublic: $0.isPublic,
                loadBalancerScheme: nil, add: [], remove: [])
        }
        let oldController = settings.controllerVersion.map { $0 < SemanticVersion(major: 2, minor: 1, patch: 1) } ?? false
        let privateOnlyVPC = !subnets.contains { $0.isPublic }
        let wantsInternal = settings.internalLoadBalancers || (privateOnlyVPC && settings.internetFacingLoadBalancers)

        func eligible(_ subnet: TaggableSubnet, publicScheme: Bool) -> Bool {
            subnet.isPublic == publicScheme && subnet.zoneType == .availabilityZone && !subnet.isENIConfigSubnet
                && !subnet.isExtraPodSubnet
        }
        /// The intended subnet per AZ: ≥ /27 first, then most free addresses, then the controller's own order.
        func intended(publicScheme: Bool) -> [String: Int] {
            var chosen: [String: Int] = [:]
            for (index, subnet) in subnets.enumerated() where eligible(subnet, publicScheme: publicScheme) {
                guard let current = chosen[subnet.availabilityZone] else {
                    chosen[subnet.availabilityZone] = index
                    continue
                }
                if isBetterLoadBalancerSubnet(subnet, than: subnets[current]) { chosen[subnet.availabilityZone] = index }
            }
            return chosen
        }
        var schemes: [(role: String, publicScheme: Bool, wanted: Bool, ruleId: String, scheme: String)] = [
            (elbRole, true, settings.internetFacingLoadBalancers && !privateOnlyVPC, "TAG-001", "internet-facing"),
            (internalELBRole, false, wantsInternal, "TAG-002", "internal"),
        ]
        if privateOnlyVPC { schemes[0].wanted = false }
        var lbSubnets = SubnetTagPlan.LoadBalancerSubnets(internetFacing: [], internal: [])

        for scheme in schemes {
            let chosen = scheme.wanted ? intended(publicScheme: scheme.publicScheme) : [:]
            let chosenSet = Set(chosen.values)
            for (index, subnet) in subnets.enumerated() {
                let value = subnet.tags[scheme.role]
                if chosenSet.contains(index) {
                    suggestions[index].loadBalancerScheme = scheme.scheme
                    if value == nil {
                        suggestions[index].add.append(
                            TagChange(
                                key: scheme.role, value: "1", ruleId: scheme.ruleId,
                                reason: "intended \(scheme.scheme) load-balancer subnet for \(subnet.availabilityZone)"))
                    } else if value != "1" && value != "" {
                        suggestions[index].add.append(
                            TagChange(
                                key: scheme.role, value: "1", ruleId: "TAG-004",
                                reason: "the controller matches only the values 1 or empty, not '\(value ?? "")'"))
                    }
                    // Another subnet of this AZ still carrying the role tag and sorting first would win the tie.
                    let rival = subnets.enumerated().contains { other in
                        other.offset != index && other.element.availabilityZone == subnet.availabilityZone
                            && other.element.tags[scheme.role] != nil && other.element.subnetId < subnet.subnetId
                    }
                    if (rival || oldController) && subnet.tags[clusterKey] == nil {
                        let reason =
                            oldController
                            ? "controllers older than 2.1.1 use only subnets tagged for the cluster"
                            : "another subnet in \(subnet.availabilityZone) carries \(scheme.role) and sorts first; "
                                + "the cluster tag makes the controller prefer this one"
                        suggestions[index].add.append(
                            TagChange(key: clusterKey, value: "shared", ruleId: oldController ? "TAG-007" : "TAG-008", reason: reason))
                    }
                } else if value != nil {
                    let reason: String
                    let rule: String
                    if subnet.isPublic != scheme.publicScheme {
                        rule = "TAG-003"
                        reason =
                            "\(scheme.role) on a \(subnet.isPublic ? "public" : "private") subnet puts "
                            + "\(scheme.scheme) load balancers where they \(scheme.publicScheme ? "cannot be reached" : "face the internet")"
                    } else if !scheme.wanted {
                        continue  // no load balancers of this scheme planned: leave existing tags alone
                    } else {
                        rule = "TAG-008"
                        reason =
                            "another subnet in \(subnet.availabilityZone) is the intended \(scheme.scheme) load-balancer subnet"
                    }
                    suggestions[index].remove.append(TagChange(key: scheme.role, value: nil, ruleId: rule, reason: reason))
                }
            }
            let ids = chosen.values.map { subnets[$0].subnetId }.sorted()
            if scheme.publicScheme { lbSubnets.internetFacing = ids } else { lbSubnets.internal = ids }
        }

        for (index, subnet) in subnets.enumerated() {
            let used = subnet.hostsNodes || subnet.isClusterSubnet || subnet.isENIConfigSubnet
                || suggestions[index].loadBalancerScheme != nil || subnet.isExtraPodSubnet
            let foreign = subnet.tags.keys.filter { $0.hasPrefix(clusterTagPrefix) && $0 != clusterKey }
            let alreadyAdding = suggestions[index].add.contains { $0.key == clusterKey }
            if let own = subnet.tags[clusterKey], own != "owned", own != "shared", !alreadyAdding {
                suggestions[index].add.append(
                    TagChange(
                        key: clusterKey, value: "shared", ruleId: "TAG-006",
                        reason: "cluster tag values are 'owned' or 'shared', not '\(own)'"))
            } else if used, !foreign.isEmpty, subnet.tags[clusterKey] == nil, !alreadyAdding {
                suggestions[index].add.append(
                    TagChange(
                        key: clusterKey, value: "shared", ruleId: "TAG-005",
                        reason: "tagged for \(foreign.sorted().map { String($0.dropFirst(clusterTagPrefix.count)) }.joined(separator: ", ")) "
                            + "only; the load-balancer controller and VPC CNI subnet discovery skip it for this cluster"))
            }
        }

        if settings.karpenter {
            let nodeSubnets = subnets.indices.filter { subnets[$0].hostsNodes }
            let privateNodes = nodeSubnets.filter { !subnets[$0].isPublic }
            for index in (privateNodes.isEmpty ? nodeSubnets : privateNodes)
            where subnets[index].tags[karpenterDiscovery] != settings.clusterName {
                suggestions[index].add.append(
                    TagChange(
                        key: karpenterDiscovery, value: settings.clusterName, ruleId: "TAG-014",
                        reason: "Karpenter's EC2NodeClass subnetSelectorTerms find node subnets by this tag"))
            }
        }

        if settings.cniVersion >= CNIVersion.subnetDiscoveryMinimum && !settings.customNetworking {
            for (index, subnet) in subnets.enumerated() where subnet.isExtraPodSubnet {
                if let value = subnet.tags[cniRole], value != "0" { continue }
                suggestions[index].add.append(
                    TagChange(
                        key: cniRole, value: "1", ruleId: "TAG-015",
                        reason: "VPC CNI subnet discovery (1.18+) puts pod ENIs only in subnets tagged kubernetes.io/role/cni"))
            }
        }

        return SubnetTagPlan(
            subnets: suggestions, loadBalancerSubnets: lbSubnets,
            commands: AWSCLICommands.tagCommands(suggestions, region: settings.region))
    }
}
