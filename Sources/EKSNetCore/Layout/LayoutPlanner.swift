/// Proposes a VPC layout sized to a workload's projected addresses (docs/api.md, Layouts), not a fixed split:
/// large private node subnets, small public subnets for load balancers and NAT, dedicated cluster subnets, pod
/// subnets in 100.64.0.0/10 with custom networking, and one block kept free.
public enum LayoutPlanner {
    /// Surge nodes in rolling updates, upgrades and growth: a subnet sized to the demand times this is at most 80 %
    /// used at max size, which is where NG-006 starts to warn.
    public static let headroom = 1.25
    public static let egressModes = ["single-nat", "nat-per-az", "private-only"]
    static let publicPrefix = 24
    static let clusterPrefix = 27
    static let podRange = try! CIDRBlock(parsing: "100.64.0.0/10")

    public static func propose(
        _ request: LayoutRequest, aws: AWSData
    ) throws(ValidationFailure) -> LayoutProposal {
        var issues = IssueCollector()
        let root = JSONPointer.root
        if ClusterName(parsing: request.clusterName) == nil {
            issues.add(root / "clusterName", "'\(request.clusterName.prefix(120))' is not an EKS cluster name")
        }
        if AWSRegion(parsing: request.region) == nil {
            issues.add(root / "region", "'\(request.region.prefix(60))' is not an AWS region name such as us-east-1")
        }
        let egress = request.egress ?? "nat-per-az"
        if !egressModes.contains(egress) {
            issues.add(root / "egress", "'\(egress.prefix(40))' is not one of \(egressModes.joined(separator: ", "))")
        }
        var notes: [String] = []
        // Zones: drop those EKS cannot use for control-plane ENIs; 3 by default, at least 2.
        var zones: [LayoutRequest.Zone]
        // Every zone the layout may use, in order; `zones` is the first few of them.
        var candidates: [LayoutRequest.Zone] = []
        let wantedZones = request.azCount ?? 3
        if request.azCount != nil { issues.check(wantedZones, in: 2...6, at: root / "azCount", "azCount") }
        if let given = request.availabilityZones {
            var allowed = given.filter { !SubnetRules.disallowedControlPlaneZoneIds.contains($0.zoneId ?? "") }
            for dropped in given where !allowed.contains(dropped) {
                notes.append("skipped \(dropped.name) (\(dropped.zoneId ?? "")): EKS cannot place control-plane ENIs there")
            }
            // Zones that do not offer every node-group instance type (when the zone IDs are known).
            let types = request.nodeGroups.flatMap(\.instanceTypes).map { InstanceTypeName($0) }
            if let offering = aws.offerings.zones(offeringAll: types, region: request.region) {
                let offered = allowed.filter { zone in zone.zoneId.map(offering.contains) ?? true }
                for dropped in allowed where !offered.contains(dropped) {
                    notes.append("skipped \(dropped.name) (\(dropped.zoneId ?? "")): it does not offer every node-group instance type")
                }
                allowed = offered
            }
            candidates = Array(allowed.prefix(6))
            zones = Array(allowed.prefix(min(max(wantedZones, 2), 6)))
            if zones.count < 2 {
                issues.add(root / "availabilityZones", "at least two usable availability zones are needed, \(zones.count) given")
            }
        } else {
            // Zones named a, b, c…: as many as the region has (when known), at most 6.
            let regionZones = aws.offerings.zones(offeringAll: [], region: request.region)?.count ?? 3
            candidates = (0..<min(max(regionZones, wantedZones, 2), 6)).map {
                LayoutRequest.Zone(name: request.region + String(UnicodeScalar(UInt8(97 + $0))), zoneId: nil)
            }
            zones = Array(candidates.prefix(min(max(wantedZones, 2), 6)))
            notes.append("zones named without IDs: check with DescribeAvailabilityZones that none is use1-az3, usw1-az2 or cac1-az3")
        }
        var avoid: [CIDRBlock] = [VPCRules.dockerBridge]
        for (index, text) in (request.avoidCidrs ?? []).prefix(100).enumerated() {
            do { avoid.append(try CIDRBlock.parseNormalizing(text).block) } catch {
                issues.add(root / "avoidCidrs" / index, error.description)
            }
        }
        var fixedVPC: CIDRBlock?
        if let text = request.vpcCidr {
            do {
                let block = try CIDRBlock(parsing: text)
                if !(16...24).contains(block.prefixLength) {
                    issues.add(root / "vpcCidr", "a VPC CIDR for EKS must be /16 to /24, not /\(block.prefixLength)")
                }
                fixedVPC = block
            } catch {
                issues.add(root / "vpcCidr", error.description)
            }
        }
        issues.check(request.nodeGroups.count, in: CapacityRequest.nodeGroupCountRange, at: root / "nodeGroups", "the number of node groups")
        var capacities: [(NodeGroupInput, NodeGroupCapacity)] = []
        for (index, input) in request.nodeGroups.prefix(CapacityRequest.nodeGroupCountRange.upperBound).enumerated() {
            guard let group = input.resolve(at: root / "nodeGroups" / index, defaults: request.cni, catalog: aws.catalog, into: &issues)
            else { continue }
            do {
                capacities.append((input, try NodeGroupCapacity.compute(group)))
            } catch {
                issues.add(root / "nodeGroups" / index, error.description)
            }
        }
        let cniSettings = (request.cni ?? CNISettingsInput()).resolve(at: root / "cni", into: &issues)
        try issues.throwIfAny()

        // Demand per AZ, in addresses, for node subnets and (custom networking) pod subnets.
        let customNetworking = cniSettings.warmPool.customNetworking
        func demand(zoneCount: Int) -> (node: Int, pod: Int, prefix: Int) {
            var demand = (node: 0, pod: 0, prefix: 0)
            for (input, capacity) in capacities {
                let nodes = (input.maxSize + zoneCount - 1) / zoneCount
                let sizing = capacity.instanceTypes.first { $0.instanceType == capacity.sizingInstanceType }
                let podPart = sizing?.podSubnetAddressesWhenFull ?? 0
                demand.node += nodes * (capacity.subnetAddressesPerNode - podPart)
                demand.pod += nodes * podPart
                demand.prefix += nodes * (sizing?.prefixesWhenFull ?? 0)
            }
            return demand
        }
        // Custom networking maps each zone to one ENIConfig subnet, at most a /16: unless the request fixed the
        // zone count, spread the nodes over as many more zones as that takes (and the region has).
        if customNetworking, request.azCount == nil {
            let podSubnetLimit = try! CIDRBlock(network: IPv4Address(0), prefixLength: 16).awsUsableAddressCount
            while zones.count < candidates.count,
                Int((Double(demand(zoneCount: zones.count).pod) * headroom).rounded(.up)) > podSubnetLimit
            {
                zones = Array(candidates.prefix(zones.count + 1))
            }
            if zones.count > 3 {
                notes.append("custom networking: \(zones.count) zones, so that each zone's pod subnet (one per ENIConfig, at most a /16) holds its pods")
            }
        }
        let (nodeDemand, podDemand, prefixDemand) = demand(zoneCount: zones.count)
        let internalLoadBalancers = request.loadBalancers?.internal ?? true
        let internetFacing = request.loadBalancers?.internetFacing ?? (egress != "private-only")
        let nodeNeed = Int((Double(nodeDemand) * headroom).rounded(.up))
            + (internalLoadBalancers ? SubnetTagSuggester.minimumLoadBalancerFreeAddresses : 0)
        let podNeed = Int((Double(podDemand) * headroom).rounded(.up))
        let prefixNeed = Int((Double(prefixDemand) * headroom).rounded(.up))
        // A subnet is at most a /16: a zone whose demand is larger gets several node subnets, sharing it evenly.
        let nodeSplit = split(addresses: nodeNeed, prefixes: customNetworking ? 0 : prefixNeed)
        let nodePrefix = nodeSplit.prefix
        let nodeSubnetsPerZone = nodeSplit.count
        // Custom networking maps each zone to one ENIConfig subnet, which cannot be split: past a /16 of pod
        // addresses per zone the workload needs more zones (or fewer pods per node).
        let podPrefix = customNetworking ? smallestPrefix(holding: podNeed, prefixes: prefixNeed) : nil
        if customNetworking, split(addresses: podNeed, prefixes: prefixNeed).count > 1 {
            notes.append("custom networking takes pod addresses from one subnet per zone (its ENIConfig), at most a /16: "
                + "\(podNeed.grouped) per zone is more; use more zones (azCount) or prefix delegation without custom networking")
        }
        let wantsPublic = egress != "private-only" || internetFacing

        // Blocks in the VPC, largest first so that sequential placement keeps them aligned.
        var requests: [(role: String, zone: Int, prefix: Int)] = []
        for zone in zones.indices {
            for _ in 0..<nodeSubnetsPerZone { requests.append(("private", zone, nodePrefix)) }
        }
        if wantsPublic { for zone in zones.indices { requests.append(("public", zone, publicPrefix)) } }
        for zone in zones.indices.prefix(3) { requests.append(("cluster", zone, clusterPrefix)) }
        requests.sort { ($0.prefix, $0.role, $0.zone) < ($1.prefix, $1.role, $1.zone) }
        let used = requests.reduce(UInt64(0)) { $0 + (UInt64(1) << UInt64(32 - $1.prefix)) }
        // Keep at least one node-subnet-sized block free for growth — unless that alone would take the VPC past the
        // default quota of 5 IPv4 CIDR blocks (pod CIDRs included), which VPC-006 warns about.
        let podCIDRCount = podPrefix.map { prefix in
            let perBlock = max(1, 1 << (prefix - 16))
            return (zones.count + perBlock - 1) / perBlock
        } ?? 0
        func sixteens(_ bytes: UInt64) -> Int { bytes > (UInt64(1) << 16) ? Int((bytes + 65535) >> 16) : 1 }
        let spare = UInt64(1) << UInt64(32 - nodePrefix)
        let keepSpare = sixteens(used + spare) + podCIDRCount <= 5 || sixteens(used) + podCIDRCount > 5
        let wanted = used + (keepSpare ? spare : 0)
        var vpcPrefix = 16
        while vpcPrefix < 24 && (UInt64(1) << UInt64(32 - (vpcPrefix + 1))) >= wanted { vpcPrefix += 1 }
        // One block when the demand fits a /16; otherwise more /16s, as secondary CIDRs (5 per VPC by default).
        var vpcBlocks: [CIDRBlock] = []
        if let fixedVPC {
            vpcBlocks = [fixedVPC]
            if UInt64(fixedVPC.addressCount) < wanted {
                notes.append("\(fixedVPC) is too small for the projected demand with room to spare; the plan's findings say where")
            }
        } else {
            var taken = avoid
            let count = wanted > (UInt64(1) << 16) ? Int((wanted + 65535) >> 16) : 1
            for _ in 0..<count {
                guard let free = firstFree(prefix: vpcPrefix, avoiding: taken, sameRangeAs: vpcBlocks.first) else {
                    // Point at what the client sent: the ranges it asked to avoid, or else the demand itself.
                    guard (request.avoidCidrs ?? []).isEmpty else {
                        throw ValidationFailure([FieldIssue(pointer: "/avoidCidrs", message: "no RFC 1918 /\(vpcPrefix) is free of the ranges to avoid")])
                    }
                    throw ValidationFailure([
                        FieldIssue(
                            pointer: "/nodeGroups",
                            message: "the node groups need \(count) /\(vpcPrefix) blocks of addresses, more than one RFC 1918 range "
                                + "holds; use fewer or smaller nodes, prefix delegation or IPv6")
                    ])
                }
                vpcBlocks.append(free)
                taken.append(free)
            }
            if count + podCIDRCount > 5 {
                notes.append("the workload needs \(count + podCIDRCount) CIDR blocks; more than 5 per VPC needs a quota increase "
                    + "(or prefix delegation, custom networking, IPv6)")
            }
        }
        let vpc = vpcBlocks[0]

        var proposed: [(role: String, zone: Int, block: CIDRBlock)] = []
        var blockIndex = 0
        var cursor = UInt64(vpcBlocks[0].network.value)
        for entry in requests {
            let size = UInt64(1) << UInt64(32 - entry.prefix)
            while blockIndex < vpcBlocks.count
                && cursor + size > UInt64(vpcBlocks[blockIndex].network.value) + vpcBlocks[blockIndex].addressCount
            {
                blockIndex += 1
                if blockIndex < vpcBlocks.count { cursor = UInt64(vpcBlocks[blockIndex].network.value) }
            }
            guard blockIndex < vpcBlocks.count else {
                notes.append("no room for the \(entry.role) subnet of \(zones[entry.zone].name)")
                continue
            }
            // Safe: blocks are placed largest first, so each start is aligned to its size.
            proposed.append((entry.role, entry.zone, try! CIDRBlock(network: IPv4Address(UInt32(cursor)), prefixLength: entry.prefix)))
            cursor += size
        }
        var podBlocks: [(zone: Int, block: CIDRBlock)] = []
        var podCIDRs: [CIDRBlock] = []
        if let podPrefix {
            // Pod subnets come from 100.64.0.0/10, a /16 secondary CIDR at a time (any VPC may add it).
            let size = UInt64(1) << UInt64(32 - podPrefix)
            var cursor = UInt64(podRange.network.value)
            for zone in zones.indices {
                if podCIDRs.isEmpty || cursor + size > UInt64(podCIDRs[podCIDRs.count - 1].network.value) + (1 << 16) {
                    let base = UInt64(podRange.network.value) + UInt64(podCIDRs.count) << 16
                    podCIDRs.append(try! CIDRBlock(network: IPv4Address(UInt32(base)), prefixLength: 16))
                    cursor = base
                }
                podBlocks.append((zone, try! CIDRBlock(network: IPv4Address(UInt32(cursor)), prefixLength: podPrefix)))
                cursor += size
            }
        }

        let plan = buildPlan(
            request, zones: zones, vpc: vpc, podCIDRs: podCIDRs, proposed: proposed, podBlocks: podBlocks,
            egress: egress, internetFacing: internetFacing, internalLoadBalancers: internalLoadBalancers,
            avoid: avoid, extraBlocks: Array(vpcBlocks.dropFirst()))
        let evaluation = PlanEvaluator.evaluate(try PlanContext(plan, aws: aws))
        let subnets = plan.subnets.map { subnet in
            // The layout's roles are in the ids: subnet-<role>-<zone letter>.
            let role = subnet.subnetId.split(separator: "-").dropFirst().first.map(String.init) ?? ""
            let demand = role == "private" ? (nodeNeed + nodeSubnetsPerZone - 1) / nodeSubnetsPerZone
                : role == "pods" ? podNeed : role == "public" ? 16 : 6
            return LayoutProposal.ProposedSubnet(
                subnetId: subnet.subnetId, role: role, availabilityZone: subnet.availabilityZone,
                cidrBlock: subnet.cidrBlock,
                usableAddresses: (try? CIDRBlock(parsing: subnet.cidrBlock).awsUsableAddressCount) ?? 0,
                demand: demand)
        }
        return LayoutProposal(
            plan: plan, subnets: subnets, verdict: evaluation.verdict, errors: evaluation.summary.errors,
            warnings: evaluation.summary.warnings, notes: notes, cloudFormation: CloudFormationFragment.render(plan))
    }

    /// How many subnets of which prefix one zone's demand needs: one, as small as holds it, when a /16 does; else
    /// the fewest that share it evenly.
    static func split(addresses: Int, prefixes: Int) -> (count: Int, prefix: Int) {
        let largest = try! CIDRBlock(network: IPv4Address(0), prefixLength: 16)
        let byAddresses = (addresses + largest.awsUsableAddressCount - 1) / largest.awsUsableAddressCount
        let byPrefixes = (prefixes + largest.awsPrefixAssignable28BlockCount - 1) / largest.awsPrefixAssignable28BlockCount
        let count = max(1, byAddresses, byPrefixes)
        let prefix = smallestPrefix(holding: (addresses + count - 1) / count, prefixes: (prefixes + count - 1) / count)
        return (count, prefix)
    }

    /// The longest prefix (smallest subnet, /16 to /28) whose usable addresses and prefix-assignable /28 blocks hold
    /// the demand.
    static func smallestPrefix(holding addresses: Int, prefixes: Int) -> Int {
        var prefix = 28
        while prefix > 16 {
            let block = try! CIDRBlock(network: IPv4Address(0), prefixLength: prefix)
            if block.awsUsableAddressCount >= max(addresses, 1) && block.awsPrefixAssignable28BlockCount >= prefixes {
                return prefix
            }
            prefix -= 1
        }
        return 16
    }

    /// The first RFC 1918 block of this size that overlaps nothing to avoid: 10.0.0.0/8 first, then 172.16.0.0/12,
    /// then 192.168.0.0/16.
    static func firstFree(prefix: Int, avoiding avoid: [CIDRBlock], sameRangeAs anchor: CIDRBlock? = nil) -> CIDRBlock? {
        let ranges = [VPCRules.ten, VPCRules.oneSevenTwo, VPCRules.oneNineTwo]
        // Secondary blocks stay in the primary's RFC 1918 range (VPC association rules).
        for range in ranges where anchor.map({ range.contains($0) }) ?? true {
            guard let candidates = try? range.split(into: prefix) else { continue }
            for index in candidates.indices.prefix(4096) {
                let candidate = candidates[index]
                if !avoid.contains(where: { $0.overlaps(candidate) }) { return candidate }
            }
        }
        return nil
    }

    static func serviceCidr(vpc: CIDRBlock, avoid: [CIDRBlock]) -> CIDRBlock? {
        let preferred = vpc.network.description.hasPrefix("10.")
            ? ServiceCIDRRules.eksDefaultForTenVPC : ServiceCIDRRules.eksDefaultOtherwise
        let taken = avoid + [vpc]
        if !taken.contains(where: { $0.overlaps(preferred) }) { return preferred }
        return firstFree(prefix: 16, avoiding: taken)
    }
}
