/// One subnet's address budget: what AWS leaves usable, what is taken, and what the plan will take at every node
/// group's max size with the VPC CNI's warm pool held.
public struct SubnetBudget: Hashable, Codable, Sendable {
    public var subnetId: String
    public var availabilityZone: String
    public var cidrBlock: String
    /// 2^(32 − prefix) − 5.
    public var usableAddresses: Int
    /// Taken by others now (usable − AvailableIpAddressCount); 0 for a new subnet.
    public var addressesInUse: Int
    /// Nodes placed here at max size (spread over AZs as an Auto Scaling group balances them).
    public var nodesAtMax: Int
    /// Node IPs, ENI primaries, pod addresses and the warm pool of those nodes.
    public var nodeAddresses: Int
    /// Pod ENIs placed here as an ENIConfig subnet (custom networking).
    public var podSubnetAddresses: Int
    /// One address per Fargate pod.
    public var fargateAddresses: Int
    /// EKS control-plane ENIs (cluster subnets), doubled for upgrades.
    public var controlPlaneAddresses: Int
    /// Free addresses the load-balancer controller needs on a subnet it may use (8).
    public var loadBalancerAddresses: Int
    /// Everything the plan adds.
    public var projectedAddresses: Int
    /// usable − in use − projected; negative means the plan does not fit.
    public var headroomAddresses: Int
    /// headroom / usable, percent.
    public var headroomPercent: Double
    /// (in use + projected) / usable, percent.
    public var utilizationPercent: Double
    /// Prefix delegation: the /28 picture.
    public var prefixBlocks: PrefixBlocks?

    public struct PrefixBlocks: Hashable, Codable, Sendable {
        /// Aligned /28 blocks free of any address (new subnet: all but the first and the last; in-use subnet:
        /// assuming, at worst, every used address sits in its own block), those of a prefix reservation included.
        public var freeAligned28Blocks: Int
        /// Of those, the blocks of a prefix-type CIDR reservation: kept for prefixes, never given as /32s.
        public var reservedAligned28Blocks: Int
        /// /28 prefixes the planned nodes hold when full.
        public var prefixesNeeded: Int
        /// Single addresses (node IPs, ENI primaries, control plane, Fargate, LB) that can each break a block.
        public var singleAddressesNeeded: Int
        /// free − prefixes − singles (with a reservation: its blocks plus what the singles leave outside it, less
        /// the prefixes): negative means InsufficientCidrBlocks is possible even with free addresses.
        public var worstCaseBlockHeadroom: Int
    }
}

/// Places every node group, Fargate profile and the control plane on the plan's subnets.
struct SubnetBudgetCalculator {
    let context: PlanContext

    /// Per subnet (by resolved index): nodes, node addresses, pod-subnet addresses, prefixes, single addresses.
    struct Load {
        var nodes = 0
        var nodeAddresses = 0
        var podSubnetAddresses = 0
        var fargate = 0
        var controlPlane = 0
        var loadBalancer = 0
        var prefixes = 0
        var singles = 0

        var total: Int { nodeAddresses + podSubnetAddresses + fargate + controlPlane + loadBalancer }
    }

    /// Loads without load-balancer reservations (the tag algorithm needs free space before LBs).
    func baseLoads() -> [Load] {
        var loads = [Load](repeating: Load(), count: context.subnets.count)
        for group in context.nodeGroups {
            guard let capacity = group.capacity else { continue }
            let sizing = capacity.instanceTypes.first { $0.instanceType == capacity.sizingInstanceType }
            // IPv6 pods take addresses from the node's /80, not from the subnet: a node takes one IPv4 address.
            let ipv6 = context.ipFamily == .ipv6
            let perNode = ipv6 ? 1 : capacity.subnetAddressesPerNode
            let podPart = ipv6 ? 0 : sizing?.podSubnetAddressesWhenFull ?? 0
            let prefixes = ipv6 ? 0 : sizing?.prefixesWhenFull ?? 0
            let enis = sizing?.enisWhenFull ?? 1
            // Nodes that run now are already out of an existing subnet's available count: there only the growth
            // to max size takes addresses (one convention for plans and audits alike).
            let running = Dictionary(
                spread(group.input.runningNodes ?? 0, over: group.subnets), uniquingKeysWith: +)
            let discovery = ipv6 ? nil : discoveryShare(group, capacity: capacity)
            for (subnet, atMax) in spread(group.input.maxSize, over: group.subnets) where atMax > 0 {
                let nodePart = perNode - podPart
                loads[subnet].nodes += atMax
                let existing = context.subnets[subnet].input.availableIpAddressCount != nil
                let nodes = existing ? max(0, atMax - (running[subnet] ?? 0)) : atMax
                if let discovery, let target = discoveryTarget(for: subnet), target != subnet {
                    // Subnet discovery: the primary ENI stays in the node's subnet; every other ENI goes to the
                    // candidate with the most free addresses.
                    loads[subnet].nodeAddresses += nodes * discovery.primaryAddresses
                    loads[subnet].prefixes += nodes * discovery.primaryPrefixes
                    loads[subnet].singles += nodes * (discovery.primaryAddresses - discovery.primaryPrefixes * IPAMDPolicy.addressesPerPrefix)
                    let moved = perNode - discovery.primaryAddresses
                    let movedPrefixes = prefixes - discovery.primaryPrefixes
                    loads[target].podSubnetAddresses += nodes * moved
                    loads[target].prefixes += nodes * movedPrefixes
                    loads[target].singles += nodes * (moved - movedPrefixes * IPAMDPolicy.addressesPerPrefix)
                    continue
                }
                if podPart > 0, let podSubnet = context.eniConfigSubnets[context.subnets[subnet].availabilityZone] {
                    loads[subnet].nodeAddresses += nodes * nodePart
                    loads[subnet].singles += nodes * nodePart
                    loads[podSubnet].podSubnetAddresses += nodes * podPart
                    loads[podSubnet].prefixes += nodes * prefixes
                    loads[podSubnet].singles += nodes * max(0, enis - 1)
                } else {
                    loads[subnet].nodeAddresses += nodes * perNode
                    loads[subnet].prefixes += nodes * prefixes
                    loads[subnet].singles += nodes * (perNode - prefixes * IPAMDPolicy.addressesPerPrefix)
                }
            }
        }
        for (profile, subnets) in context.fargateProfiles {
            for (subnet, pods) in spread(profile.maxPods, over: subnets) {
                loads[subnet].fargate += pods
                loads[subnet].singles += pods
            }
        }
        let clusterCount = max(1, context.clusterSubnets.count)
        // EKS keeps 2–4 ENIs across the cluster subnets and makes new ones before deleting old ones on upgrade.
        let perClusterSubnet = 2 * ((4 + clusterCount - 1) / clusterCount)
        for subnet in context.clusterSubnets {
            loads[subnet].controlPlane += perClusterSubnet
            loads[subnet].singles += perClusterSubnet
        }
        return loads
    }

    /// With VPC CNI subnet discovery (1.18 and later, not with custom networking), what one full node keeps on its
    /// primary ENI (node IP, its secondaries or prefixes, the trunk ENI's address): the rest may go elsewhere.
    func discoveryShare(
        _ group: PlanContext.ResolvedNodeGroup, capacity: NodeGroupCapacity
    ) -> (primaryAddresses: Int, primaryPrefixes: Int)? {
        let cni = group.group.cni
        guard !cni.warmPool.customNetworking, cni.usesSubnetDiscovery,
            let type = group.group.instanceTypes.first(where: { $0.name == capacity.sizingInstanceType }),
            let sizing = capacity.instanceTypes.first(where: { $0.instanceType == capacity.sizingInstanceType }),
            let state = try? NodeSteadyState.compute(
                instanceType: type, cni: cni, pods: sizing.maxPods - MaxPods.hostNetworkPods, maxPodsOverride: sizing.maxPods)
        else { return nil }
        return (1 + (state.addressesPerEni.first ?? 0) + state.trunkEniAddresses, state.prefixesPerEni?.first ?? 0)
    }

    /// Where ENIs beyond the primary go under subnet discovery: of the node's subnet (unless tagged
    /// `kubernetes.io/role/cni=0`) and the subnets of its zone tagged `kubernetes.io/role/cni=1`, the one with
    /// the most free addresses (awsutils' createENI sorts them by AvailableIpAddressCount). Nil without a tagged one.
    func discoveryTarget(for subnet: Int) -> Int? {
        let node = context.subnets[subnet]
        let tagged = context.subnets.indices.filter { index in
            index != subnet && context.subnets[index].availabilityZone == node.availabilityZone
                && context.subnets[index].tags[Self.subnetDiscoveryTag] == "1"
        }
        guard !tagged.isEmpty else { return nil }
        let candidates = (node.tags[Self.subnetDiscoveryTag] == "0" ? [] : [subnet]) + tagged
        return candidates.max { context.subnets[$0].freeNow < context.subnets[$1].freeNow }
    }

    static let subnetDiscoveryTag = "kubernetes.io/role/cni"

    /// Aligned /28 blocks of a reservation that can hold a prefix: not the subnet's first or last block (AWS's
    /// reserved addresses).
    static func assignableBlocks(_ reservation: CIDRBlock, in subnet: CIDRBlock) -> Int {
        let blocks = reservation.aligned28BlockCount
        let first = reservation.network == subnet.network ? 1 : 0
        let last = reservation.lastAddress == subnet.lastAddress ? 1 : 0
        return max(0, blocks - first - last)
    }

    /// Splits `count` over subnets the way an Auto Scaling group balances AZs: evenly over AZs (earlier AZs take
    /// the remainder), then evenly over the group's subnets inside each AZ.
    func spread(_ count: Int, over subnets: [Int]) -> [(Int, Int)] {
        var zones: [String] = []
        var byZone: [String: [Int]] = [:]
        for subnet in subnets {
            let zone = context.subnets[subnet].availabilityZone
            if byZone[zone] == nil { zones.append(zone) }
            byZone[zone, default: []].append(subnet)
        }
        var result: [(Int, Int)] = []
        for (position, zone) in zones.enumerated() {
            let zoneCount = count / zones.count + (position < count % zones.count ? 1 : 0)
            let members = byZone[zone] ?? []
            for (inner, subnet) in members.enumerated() {
                result.append((subnet, zoneCount / members.count + (inner < zoneCount % members.count ? 1 : 0)))
            }
        }
        return result
    }

    func budgets(_ loads: [Load], prefixMode: Bool) -> [SubnetBudget] {
        context.subnets.map { subnet in
            let load = loads[subnet.index]
            let usable = subnet.block.awsUsableAddressCount
            let inUse = max(0, usable - subnet.freeNow)
            let headroom = usable - inUse - load.total
            let percent = usable > 0 ? Double(headroom) / Double(usable) * 100 : 0
            let utilization = usable > 0 ? Double(inUse + load.total) / Double(usable) * 100 : 100
            var blocks: SubnetBudget.PrefixBlocks?
            if prefixMode {
                // EC2 gives no /32 from a prefix reservation: addresses in use, and the singles to come, sit outside.
                let reserved = subnet.facts.prefixReservation.map { Self.assignableBlocks($0, in: subnet.block) } ?? 0
                let outside = max(0, subnet.block.awsPrefixAssignable28BlockCount - reserved - inUse)
                blocks = SubnetBudget.PrefixBlocks(
                    freeAligned28Blocks: reserved + outside, reservedAligned28Blocks: reserved, prefixesNeeded: load.prefixes,
                    singleAddressesNeeded: load.singles + load.loadBalancer,
                    // Singles never take reserved blocks: with a reservation, prefixes get it plus what the singles
                    // leave outside; without one, free − prefixes − singles as before.
                    worstCaseBlockHeadroom: reserved > 0
                        ? reserved + max(0, outside - load.singles - load.loadBalancer) - load.prefixes
                        : outside - load.prefixes - load.singles - load.loadBalancer)
            }
            return SubnetBudget(
                subnetId: subnet.id, availabilityZone: subnet.availabilityZone, cidrBlock: subnet.block.description,
                usableAddresses: usable, addressesInUse: inUse, nodesAtMax: load.nodes,
                nodeAddresses: load.nodeAddresses, podSubnetAddresses: load.podSubnetAddresses,
                fargateAddresses: load.fargate, controlPlaneAddresses: load.controlPlane,
                loadBalancerAddresses: load.loadBalancer, projectedAddresses: load.total, headroomAddresses: headroom,
                headroomPercent: (percent * 10).rounded() / 10, utilizationPercent: (utilization * 10).rounded() / 10,
                prefixBlocks: blocks)
        }
    }
}
