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
/// where intended (as their subnet discovery picks subnets; docs/api.md, Subnet tags; docs/sources.md), and the
/// ones to remove.
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

    /// A subnet for the control plane's ENIs alone: a cluster subnet that hosts no nodes and is a /28 (EKS's advice
    /// for dedicated cluster subnets); larger shared ones (eksctl's public subnets) stay load-balancer candidates.
    static func isDedicatedControlPlaneSubnet(_ subnet: TaggableSubnet) -> Bool {
        subnet.isClusterSubnet && !subnet.hostsNodes && subnet.block.prefixLength >= 28
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

        // What the controller can use (LBC docs "Subnet Auto Discovery"; pkg/networking/subnet_resolver.go): subnets
        // of the scheme's reachability in an availability zone, with at least 8 free addresses. A dedicated
        // control-plane subnet — cluster ENIs only, a /28 as EKS advises — never gets a role tag, nor a pod-only one.
        func eligible(_ subnet: TaggableSubnet, publicScheme: Bool) -> Bool {
            subnet.isPublic == publicScheme && subnet.zoneType == .availabilityZone && !subnet.isENIConfigSubnet
                && !subnet.isExtraPodSubnet && !isDedicatedControlPlaneSubnet(subnet)
                && subnet.freeAddresses >= minimumLoadBalancerFreeAddresses
        }
        /// The intended subnet per AZ: the one the user pinned (role tag and this cluster's tag — the controller's own
        /// first choice) when there is one; else ≥ /27 first, then most free addresses, then the controller's order.
        func intended(publicScheme: Bool, role: String) -> [String: Int] {
            var chosen: [String: Int] = [:]
            func pinned(_ subnet: TaggableSubnet) -> Bool { subnet.tags[role] != nil && subnet.tags[clusterKey] != nil }
            for (index, subnet) in subnets.enumerated() where eligible(subnet, publicScheme: publicScheme) {
                guard let current = chosen[subnet.availabilityZone] else {
                    chosen[subnet.availabilityZone] = index
                    continue
                }
                let incumbent = subnets[current]
                if pinned(subnet) != pinned(incumbent) {
                    if pinned(subnet) { chosen[subnet.availabilityZone] = index }
                } else if isBetterLoadBalancerSubnet(subnet, than: incumbent) {
                    chosen[subnet.availabilityZone] = index
                }
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
            let chosen = scheme.wanted ? intended(publicScheme: scheme.publicScheme, role: scheme.role) : [:]
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
                    // Every other subnet of this zone and scheme loses its role tag below, so the controller's pick is
                    // this one without a cluster tag; only controllers of 2.1.1 and older need it on every subnet.
                    if oldController && subnet.tags[clusterKey] == nil {
                        suggestions[index].add.append(
                            TagChange(
                                key: clusterKey, value: "shared", ruleId: "TAG-007",
                                reason: "controllers of 2.1.1 and older use only subnets tagged for the cluster"))
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
            let discovered = Set(privateNodes.isEmpty ? nodeSubnets : privateNodes)
            for index in discovered.sorted() where subnets[index].tags[karpenterDiscovery] != settings.clusterName {
                suggestions[index].add.append(
                    TagChange(
                        key: karpenterDiscovery, value: settings.clusterName, ruleId: "TAG-014",
                        reason: "Karpenter's EC2NodeClass subnetSelectorTerms find node subnets by this tag"))
            }
            // Karpenter launches nodes into every subnet the selector matches: the tag comes off subnets nodes must
            // not use (public ones beside private node subnets, pod-only and control-plane subnets).
            for (index, subnet) in subnets.enumerated()
            where !discovered.isEmpty && subnet.tags[karpenterDiscovery] == settings.clusterName && !discovered.contains(index) {
                suggestions[index].remove.append(
                    TagChange(
                        key: karpenterDiscovery, value: nil, ruleId: "TAG-014",
                        reason: "Karpenter would launch nodes in every subnet its selector matches; the plan's nodes "
                            + "belong in \(discovered.sorted().map { subnets[$0].subnetId }.joined(separator: ", "))"))
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
