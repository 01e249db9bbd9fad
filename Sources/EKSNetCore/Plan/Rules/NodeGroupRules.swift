/// §1.5 node groups, IP capacity and CNI; §1.10 prefix delegation.
enum NodeGroupRules {
    static let all: [PlanRule] = [
        PlanRule("FG-001") { inputs, rule in
            // CreateFargateProfile takes private subnets only: a subnet whose route table sends traffic to an
            // internet gateway is refused (InvalidParameterException).
            inputs.context.fargateProfiles.enumerated().flatMap { position, entry in
                entry.subnets.enumerated().compactMap { inner, index -> PlanFinding? in
                    let subnet = inputs.subnet(index)
                    guard subnet.isPublic else { return nil }
                    return rule.finding(
                        "/fargateProfiles/\(position)/subnetIds/\(inner)",
                        "Fargate profile \(entry.profile.name) names \(subnet.id), a public subnet (a route of its table goes to "
                            + "an internet gateway); CreateFargateProfile accepts private subnets only",
                        fix: "Give the profile private subnets (a route to a NAT gateway, or the VPC endpoints of a private cluster).")
                }
            }
        },
        PlanRule("NG-001") { inputs, rule in
            inputs.context.nodeGroups.flatMap { group in
                group.subnets.compactMap { index -> PlanFinding? in
                    let subnet = inputs.subnet(index)
                    // EKS: a public node subnet must auto-assign public IPv4 *or* IPv6 addresses.
                    guard subnet.isPublic, subnet.input.mapPublicIpOnLaunch != true,
                        subnet.input.assignIpv6AddressOnCreation != true
                    else { return nil }
                    return rule.finding(
                        subnet.pointer + "/mapPublicIpOnLaunch",
                        "node group \(group.input.name) uses public subnet \(subnet.id), which auto-assigns neither public IPv4 "
                            + "nor IPv6 addresses\(subnet.input.mapPublicIpOnLaunch == nil ? " (not set: AWS's default is false)" : ""); "
                            + "managed node groups fail with Ec2SubnetInvalidConfiguration",
                        fix: "aws ec2 modify-subnet-attribute --subnet-id \(subnet.id) --map-public-ip-on-launch, or use private subnets with NAT.")
                }
            }
        },
        PlanRule("NG-002") { inputs, rule in
            guard inputs.context.ipFamily == .ipv6 else { return [] }
            return inputs.context.nodeSubnets.sorted().compactMap { index in
                let subnet = inputs.subnet(index)
                guard subnet.input.assignIpv6AddressOnCreation != true else { return nil }
                return rule.finding(
                    subnet.pointer + "/assignIpv6AddressOnCreation",
                    "node subnet \(subnet.id) does not auto-assign IPv6 addresses, which IPv6 nodes require",
                    fix: "aws ec2 modify-subnet-attribute --subnet-id \(subnet.id) --assign-ipv6-address-on-creation")
            }
        },
        PlanRule("NG-003") { inputs, rule in
            inputs.context.nodeGroups.compactMap { group in
                let zones = Set(group.subnets.map { inputs.subnet($0).availabilityZone })
                guard zones.count == 1, let zone = zones.first else { return nil }
                return rule.finding(
                    group.pointer + "/subnetIds",
                    "node group \(group.input.name) runs in one availability zone (\(zone)); an AZ outage takes it down",
                    fix: "Spread the node group over subnets in at least two AZs.")
            }
        },
        PlanRule("NG-004") { inputs, rule in
            let offerings = inputs.context.offerings
            let region = inputs.plan.region
            guard offerings.knows(region: region) else { return [] }
            var findings: [PlanFinding] = []
            for group in inputs.context.nodeGroups {
                for (position, type) in group.group.instanceTypes.enumerated() {
                    for index in group.subnets {
                        let subnet = inputs.subnet(index)
                        guard let zoneId = subnet.input.availabilityZoneId,
                            offerings.offers(type.name, region: region, zoneId: zoneId) == false
                        else { continue }
                        findings.append(
                            rule.finding(
                                group.pointer + "/instanceTypes/\(position)",
                                "\(type.name) is not offered in \(subnet.availabilityZone) (\(zoneId)), where node group "
                                    + "\(group.input.name) has subnet \(subnet.id); launches there fail",
                                fix: "Drop that AZ from the node group or choose a type offered in every AZ it uses."))
                    }
                }
            }
            return findings
        },
        PlanRule("NG-005") { inputs, rule in
            inputs.budgets.enumerated().compactMap { index, budget in
                let nodesOrPods = budget.nodeAddresses + budget.podSubnetAddresses + budget.fargateAddresses
                guard nodesOrPods > 0 else { return nil }
                let free = budget.usableAddresses - budget.addressesInUse
                if budget.projectedAddresses > free {
                    return rule.finding(
                        inputs.subnet(index).pointer,
                        "subnet \(budget.subnetId) cannot hold the planned nodes and pods: needs ≈\(budget.projectedAddresses.grouped) "
                            + "addresses (\(budget.nodesAtMax) nodes at max size, warm pool included), has \(free.grouped) free",
                        fix: "Enlarge the subnet or add one, or use prefix delegation, custom networking (pods in 100.64.0.0/10) or IPv6.")
                }
                if let blocks = budget.prefixBlocks, blocks.prefixesNeeded > blocks.freeAligned28Blocks {
                    return rule.finding(
                        inputs.subnet(index).pointer,
                        "subnet \(budget.subnetId) needs \(blocks.prefixesNeeded.grouped) /28 prefixes but has only "
                            + "\(blocks.freeAligned28Blocks.grouped) free aligned /28 blocks",
                        fix: "Use a larger or dedicated subnet for prefix-mode nodes, with a prefix CIDR reservation.")
                }
                return nil
            }
        },
        PlanRule("NG-006") { inputs, rule in
            inputs.budgets.enumerated().compactMap { index, budget in
                let free = budget.usableAddresses - budget.addressesInUse
                guard budget.projectedAddresses <= free, budget.utilizationPercent > 80 else { return nil }
                return rule.finding(
                    inputs.subnet(index).pointer,
                    "subnet \(budget.subnetId) will be \(budget.utilizationPercent)% used at max size "
                        + "(\(budget.headroomAddresses.grouped) addresses left)",
                    fix: "Leave room for surge nodes in rolling updates, load-balancer ENIs and upgrades: a larger subnet or another one.")
            }
        },
        PlanRule("NG-007") { inputs, rule in
            inputs.context.nodeGroups.compactMap { group in
                guard let capacity = group.capacity else { return nil }
                return rule.finding(
                    group.pointer,
                    "node group \(group.input.name): max pods \(capacity.maxPodsPerNode) per node (\(capacity.explanation)); "
                        + "\(capacity.workloadPodsPerNode) for workloads; \(capacity.subnetAddressesPerNode) addresses per full node",
                    fix: capacity.bindingLimit == .enis
                        ? "Prefix delegation raises the ENI limit (Nitro types, VPC CNI 1.9+)."
                        : "Nothing to do.")
            }
        },
        PlanRule("NG-008") { inputs, rule in
            inputs.context.nodeGroups.flatMap { group -> [PlanFinding] in
                let prefix = group.group.cni.warmPool.prefixDelegation
                guard prefix || inputs.context.ipFamily == .ipv6 else { return [] }
                return group.group.instanceTypes.enumerated().compactMap { position, type in
                    guard !type.prefixDelegationSupported else { return nil }
                    return rule.finding(
                        group.pointer + "/instanceTypes/\(position)",
                        "\(type.name) runs on \(type.hypervisor?.rawValue ?? "no") hypervisor; "
                            + "\(inputs.context.ipFamily == .ipv6 ? "IPv6 clusters need" : "prefix delegation needs") Nitro instances",
                        fix: "Use a Nitro instance type (m5, m6i, c6g, …).")
                }
            }
        },
        PlanRule("NG-009") { inputs, rule in
            var findings: [PlanFinding] = []
            for group in inputs.context.nodeGroups {
                let version = group.group.cni.version
                if inputs.context.ipFamily == .ipv4 && group.group.cni.warmPool.prefixDelegation
                    && !version.supportsPrefixDelegation
                {
                    findings.append(
                        rule.finding(
                            group.pointer,
                            "prefix delegation needs VPC CNI 1.9.0 or later; node group \(group.input.name) runs \(version)",
                            fix: "Upgrade the VPC CNI add-on to a current version."))
                }
            }
            if inputs.context.ipFamily == .ipv6, !inputs.context.cni.version.isAtLeast(patchRelease: .ipv6Minimum) {
                findings.append(
                    rule.finding(
                        "/cni/version",
                        "IPv6 clusters need VPC CNI 1.10.1 or later; the plan runs \(inputs.context.cni.version)",
                        fix: "Upgrade the VPC CNI add-on."))
            }
            return findings
        },
        PlanRule("CNI-001") { inputs, rule in
            guard inputs.context.customNetworking else { return [] }
            return [
                rule.finding(
                    "/cni/customNetworking",
                    "custom networking: pods use the per-AZ ENIConfig subnets, the primary ENI carries no pods, so max pods drops",
                    fix: "Take ENIConfig subnets from 100.64.0.0/10 (or 198.19.0.0/16 for non-RFC 1918 VPCs); one per node AZ.")
            ]
        },
        PlanRule("CNI-003") { inputs, rule in
            guard inputs.context.customNetworking else { return [] }
            var findings: [PlanFinding] = []
            let zones = Set(inputs.context.nodeGroups.flatMap(\.subnets).map { inputs.subnet($0).availabilityZone })
            for zone in zones.sorted() where inputs.context.eniConfigSubnets[zone] == nil {
                findings.append(
                    rule.finding(
                        "/cni/customNetworking/eniConfigs",
                        "custom networking is on but no ENIConfig subnet is given for \(zone), where nodes run; "
                            + "those nodes fail to attach pod ENIs and never get Ready",
                        fix: "Add an ENIConfig (eniConfigs[\"\(zone)\"]) with a pod subnet in \(zone)."))
            }
            for (zone, index) in inputs.context.eniConfigSubnets.sorted(by: { $0.key < $1.key })
            where inputs.subnet(index).availabilityZone != zone {
                findings.append(
                    rule.finding(
                        "/cni/customNetworking/eniConfigs/\(zone)",
                        "ENIConfig for \(zone) names \(inputs.subnet(index).id), which is in \(inputs.subnet(index).availabilityZone)",
                        fix: "An ENIConfig subnet must be in the node's AZ."))
            }
            return findings
        },
        PlanRule("CNI-002") { inputs, rule in
            guard inputs.context.cni.usesSubnetDiscovery, !inputs.context.customNetworking else { return [] }
            return [
                rule.finding(
                    "/cni/version",
                    "VPC CNI \(inputs.context.cni.version) discovers subnets: secondary ENIs go to the node's subnet or a same-AZ "
                        + "subnet tagged kubernetes.io/role/cni=1, whichever has the most free addresses (=0 excludes a subnet)",
                    fix: "Tag extra pod subnets kubernetes.io/role/cni=1 to let pods spill into them.")
            ]
        },
        PlanRule("PD-001") { inputs, rule in
            var findings: [PlanFinding] = []
            var seen: Set<Int> = []
            guard inputs.context.ipFamily == .ipv4 else { return [] }
            for group in inputs.context.nodeGroups where group.group.cni.warmPool.prefixDelegation {
                for index in group.subnets where seen.insert(index).inserted {
                    let subnet = inputs.subnet(index)
                    let inUse = subnet.block.awsUsableAddressCount - subnet.freeNow
                    guard inUse > 0, subnet.input.prefixReservation != true else { continue }
                    findings.append(
                        rule.finding(
                            subnet.pointer,
                            "prefix delegation in \(subnet.id), which already has \(inUse.grouped) addresses in use and no prefix "
                                + "CIDR reservation: scattered addresses break /28 blocks, and EC2 answers InsufficientCidrBlocks "
                                + "even with free addresses",
                            fix: "Create a subnet CIDR reservation of type prefix, or a new subnet dedicated to prefix-mode nodes."))
                }
            }
            return findings
        },
        PlanRule("PD-003") { inputs, rule in
            // Prefixes need whole, aligned /28 blocks: a subnet can have the addresses and still answer
            // InsufficientCidrBlocks. A prefix-type CIDR reservation keeps blocks for prefixes only.
            inputs.subnets.compactMap { subnet -> PlanFinding? in
                let budget = inputs.budgets[subnet.index]
                guard let blocks = budget.prefixBlocks, blocks.prefixesNeeded > 0, blocks.worstCaseBlockHeadroom < 0,
                    budget.headroomAddresses >= 0
                else { return nil }
                var length = 28
                while length > subnet.block.prefixLength && (1 << (28 - length)) < blocks.prefixesNeeded { length -= 1 }
                let fits = (1 << (28 - length)) >= blocks.prefixesNeeded && length > subnet.block.prefixLength
                return rule.finding(
                    subnet.pointer,
                    "subnet \(subnet.id) has the addresses but, at worst, not the aligned /28 blocks: \(blocks.prefixesNeeded) "
                        + "prefixes and \(blocks.singleAddressesNeeded) single addresses against \(blocks.freeAligned28Blocks) free "
                        + "blocks (\(blocks.reservedAligned28Blocks) reserved for prefixes)",
                    fix: fits
                        ? "Reserve a /\(length) for prefixes (\(1 << (28 - length)) blocks) in a part of \(subnet.block) nothing uses: "
                            + "aws ec2 create-subnet-cidr-reservation --subnet-id \(subnet.id) --reservation-type prefix --cidr <an unused /\(length) of \(subnet.block)>"
                        : "Put prefix-mode nodes in a new, larger subnet dedicated to them.")
            }
        },
        PlanRule("PD-002") { inputs, rule in
            guard inputs.context.ipFamily == .ipv4,
                inputs.context.nodeGroups.contains(where: { $0.group.cni.warmPool.prefixDelegation })
            else { return [] }
            return [
                rule.finding(
                    "/cni/prefixDelegation",
                    "prefix delegation: capacity counts in /28 blocks; a /24 holds 16, of which the first and last carry reserved "
                        + "addresses; WARM_PREFIX_TARGET=1 keeps one spare /28 per node",
                    fix: "Watch the prefixBlocks figures of each subnet's budget.")
            ]
        },
    ]
}
