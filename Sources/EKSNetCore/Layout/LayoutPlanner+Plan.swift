/// Turns the carved blocks into a plan eksnet can evaluate: subnets with routes and tags, NAT or endpoints,
/// node groups, the service CIDR.
extension LayoutPlanner {
    static func buildPlan(
        _ request: LayoutRequest, zones: [LayoutRequest.Zone], vpc: CIDRBlock, podCIDRs: [CIDRBlock],
        proposed: [(role: String, zone: Int, block: CIDRBlock)], podBlocks: [(zone: Int, block: CIDRBlock)],
        egress: String, internetFacing: Bool, internalLoadBalancers: Bool, avoid: [CIDRBlock], extraBlocks: [CIDRBlock]
    ) -> ClusterPlan {
        func suffix(_ zone: Int) -> String { String(zones[zone].name.last ?? "x") }
        let privateRoute = egress == "private-only" ? "none" : "nat"
        var subnets: [ClusterPlan.Subnet] = []
        // A zone with several subnets of one role (demand past a /16): subnet-private-a, subnet-private-a2, …
        var seen: [String: Int] = [:]
        for entry in proposed.sorted(by: { ($0.zone, $0.role, $0.block.network.value) < ($1.zone, $1.role, $1.block.network.value) }) {
            let zone = zones[entry.zone]
            let name = "subnet-\(entry.role)-\(suffix(entry.zone))"
            seen[name, default: 0] += 1
            var subnet = ClusterPlan.Subnet(
                subnetId: seen[name] == 1 ? name : name + String(seen[name] ?? 1), availabilityZone: zone.name,
                availabilityZoneId: zone.zoneId, cidrBlock: entry.block.description,
                defaultRoute: entry.role == "public" ? "igw" : privateRoute,
                mapPublicIpOnLaunch: entry.role == "public", tags: [:])
            subnet.role = entry.role == "public" ? "public" : "private"
            subnet.routeTableAssociation = "explicit"
            if entry.role == "public" && internetFacing { subnet.tags?[SubnetTagSuggester.elbRole] = "1" }
            // The controller takes one subnet per zone: the role tag goes on the zone's first node subnet only.
            if entry.role == "private" && internalLoadBalancers && seen[name] == 1 {
                subnet.tags?[SubnetTagSuggester.internalELBRole] = "1"
            }
            if entry.role == "private" && request.karpenter == true {
                subnet.tags?[SubnetTagSuggester.karpenterDiscovery] = request.clusterName
            }
            subnets.append(subnet)
        }
        var eniConfigs: [String: String] = [:]
        for (zoneIndex, block) in podBlocks {
            let zone = zones[zoneIndex]
            var subnet = ClusterPlan.Subnet(
                subnetId: "subnet-pods-\(suffix(zoneIndex))", availabilityZone: zone.name, availabilityZoneId: zone.zoneId,
                cidrBlock: block.description, defaultRoute: privateRoute, mapPublicIpOnLaunch: false, tags: [:])
            subnet.role = "private"
            subnet.routeTableAssociation = "explicit"
            subnets.append(subnet)
            eniConfigs[zone.name] = subnet.subnetId
        }
        let publicIds = subnets.filter { $0.role == "public" }.map(\.subnetId)
        var natGateways: [ClusterPlan.NATGateway]?
        var endpoints: [ClusterPlan.VPCEndpoint]?
        switch egress {
        case "single-nat":
            natGateways = publicIds.prefix(1).map { .init(natGatewayId: "nat-\($0.dropFirst(7))", subnetId: $0) }
        case "private-only":
            var services = PlanContext.requiredPrivateEndpoints
            if internetFacing || internalLoadBalancers { services.append("elasticloadbalancing") }
            if request.karpenter == true { services += ["ssm", "sqs"] }
            services += ["logs"]
            endpoints = services.map { ClusterPlan.VPCEndpoint(service: $0) }
        default:
            natGateways = publicIds.map { .init(natGatewayId: "nat-\($0.dropFirst(7))", subnetId: $0) }
        }
        var cni = request.cni ?? CNISettingsInput()
        if cni.version == nil { cni.version = CNIVersion.current.text }
        if !eniConfigs.isEmpty { cni.customNetworking = .init(enabled: true, eniConfigs: eniConfigs) }
        let privateIds = subnets.filter { $0.subnetId.hasPrefix("subnet-private-") }.map(\.subnetId)
        let nodeGroups = request.nodeGroups.map { group -> NodeGroupInput in
            var group = group
            group.subnetIds = privateIds
            return group
        }
        return ClusterPlan(
            clusterName: request.clusterName, region: request.region, kubernetesVersion: request.kubernetesVersion,
            ipFamily: .ipv4,
            serviceIpv4Cidr: serviceCidr(vpc: vpc, avoid: avoid + extraBlocks + podCIDRs)?.description,
            endpointAccess: .init(public: egress != "private-only", private: true),
            vpc: .init(
                vpcId: "vpc-proposed",
                cidrBlocks: ([vpc] + extraBlocks + podCIDRs).map(\.description),
                enableDnsSupport: true, enableDnsHostnames: true),
            subnets: subnets, natGateways: natGateways, vpcEndpoints: endpoints,
            connectedNetworks: (request.avoidCidrs ?? []).isEmpty ? nil : request.avoidCidrs?.map { ConnectedNetwork(cidrBlock: $0) },
            clusterSubnetIds: subnets.filter { $0.subnetId.hasPrefix("subnet-cluster-") }.map(\.subnetId),
            nodeGroups: nodeGroups, fargateProfiles: nil, cni: cni,
            loadBalancers: .init(
                internetFacing: internetFacing, internal: internalLoadBalancers,
                controllerVersion: request.loadBalancers?.controllerVersion, dualStack: nil),
            karpenter: request.karpenter)
    }
}
