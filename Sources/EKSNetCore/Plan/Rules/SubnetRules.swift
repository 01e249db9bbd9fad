/// §1.2 subnet geometry and §1.3 cluster (control-plane ENI) subnets.
enum SubnetRules {
    /// EKS places 2 to 4 ENIs in the cluster subnets.
    static let maximumControlPlaneENIs = 4

    /// A cluster subnet that nothing else uses: no nodes, no Fargate pods, no pod ENIs, no load-balancer role, and
    /// (when it exists) every usable address still free.
    static func isDedicatedAndUnused(_ index: Int, _ inputs: RuleInputs) -> Bool {
        let subnet = inputs.subnet(index)
        let roles = [SubnetTagSuggester.elbRole, SubnetTagSuggester.internalELBRole]
        return !inputs.context.nodeSubnets.contains(index)
            && !inputs.context.eniConfigSubnets.values.contains(index)
            && subnet.facts.role != .pods
            && !roles.contains { subnet.tags[$0] != nil }
            && (subnet.input.availableIpAddressCount ?? subnet.block.awsUsableAddressCount) == subnet.block.awsUsableAddressCount
    }

    /// AZ IDs where EKS cannot place control-plane ENIs.
    static let disallowedControlPlaneZoneIds: Set<String> = ["use1-az3", "usw1-az2", "cac1-az3"]
    /// The same zones by Region: where a zone *name* alone cannot say whether the subnet is in one of them.
    static let disallowedControlPlaneZoneIdByRegion = ["us-east-1": "use1-az3", "us-west-1": "usw1-az2", "ca-central-1": "cac1-az3"]

    static let all: [PlanRule] = [
        PlanRule("SUB-001") { inputs, rule in
            inputs.subnets.compactMap { subnet in
                let inside = inputs.context.vpcBlocks.contains { $0.block.contains(subnet.block) }
                let sized = CIDRBlock.awsSubnetPrefixLengths.contains(subnet.block.prefixLength)
                guard !inside || !sized || subnet.hadHostBits else { return nil }
                var problems: [String] = []
                if !inside {
                    problems.append("is not inside any VPC CIDR (\(inputs.context.vpcBlocks.map { $0.block.description }.joined(separator: ", ")))")
                }
                if !sized { problems.append("is a /\(subnet.block.prefixLength); subnets must be /16 to /28") }
                if subnet.hadHostBits { problems.append("has host bits set (the block is \(subnet.block))") }
                return rule.finding(
                    subnet.pointer + "/cidrBlock",
                    "subnet \(subnet.id) \(subnet.input.cidrBlock) " + problems.joined(separator: "; "),
                    fix: "Carve the subnet as a canonical /16–/28 block out of a VPC CIDR (add a secondary CIDR if needed).")
            }
        },
        PlanRule("SUB-002") { inputs, rule in
            var findings: [PlanFinding] = []
            for (position, subnet) in inputs.subnets.enumerated() {
                if let clash = inputs.subnets[..<position].first(where: { $0.block.overlaps(subnet.block) }) {
                    findings.append(
                        rule.finding(
                            subnet.pointer + "/cidrBlock",
                            "subnet \(subnet.id) \(subnet.block) overlaps \(clash.id) \(clash.block)",
                            fix: "Give each subnet its own block; subnets of one VPC must not overlap."))
                }
            }
            return findings
        },
        PlanRule("SUB-003") { inputs, rule in
            let list = inputs.budgets.map { "\($0.subnetId) \($0.cidrBlock) → \($0.usableAddresses.grouped)" }
            return [
                rule.finding(
                    "/subnets",
                    "usable addresses = 2^(32 − prefix) − 5 (network, VPC router, DNS, reserved, broadcast): "
                        + list.joined(separator: "; "),
                    fix: "Nothing to do; the subnet budget below uses these figures.")
            ]
        },
        PlanRule("SUB-004") { inputs, rule in
            inputs.subnets.compactMap { subnet in
                let zone = subnet.availabilityZone
                let region = inputs.plan.region
                guard zone.hasPrefix(region), zone.count > region.count else {
                    return rule.finding(
                        subnet.pointer + "/availabilityZone",
                        "subnet \(subnet.id) is in \(zone), which is not an availability zone of \(region)",
                        fix: "Use subnets in \(region) zones (\(region)a, \(region)b, …).")
                }
                return nil
            }
        },
        PlanRule("SUB-005") { inputs, rule in
            inputs.subnets.compactMap { subnet in
                guard let role = subnet.facts.role, role == .public || role == .private else { return nil }
                guard (role == .public) != subnet.isPublic else { return nil }
                return rule.finding(
                    subnet.pointer + "/role",
                    "subnet \(subnet.id) is declared \(role.rawValue) but its route table \(subnet.isPublic ? "routes" : "does not route") "
                        + "0.0.0.0/0 to an internet gateway; EKS, the load-balancer controller and the in-tree provider "
                        + "classify subnets by that route only",
                    fix: role == .public
                        ? "Add a 0.0.0.0/0 route to the internet gateway, or declare the subnet private."
                        : "Associate a route table whose 0.0.0.0/0 goes to a NAT gateway, or declare the subnet public.")
            }
        },
        PlanRule("SUB-006") { inputs, rule in
            inputs.subnets.compactMap { subnet in
                guard subnet.facts.routeTableAssociation == .main, subnet.isPublic else { return nil }
                return rule.finding(
                    subnet.pointer + "/routeTableAssociation",
                    "subnet \(subnet.id) has no route table of its own and the VPC's main route table routes to an "
                        + "internet gateway, so it is silently public",
                    fix: "Associate an explicit route table with the subnet (a private one unless it is meant to be public).")
            }
        },
        PlanRule("CPS-001") { inputs, rule in
            let zones = Set(inputs.context.clusterSubnets.map { inputs.subnet($0).availabilityZone })
            guard zones.count < 2 else { return [] }
            return [
                rule.finding(
                    "/clusterSubnetIds",
                    "cluster subnets cover \(zones.count) availability zone\(zones.count == 1 ? "" : "s") "
                        + "(\(zones.sorted().joined(separator: ", "))); EKS requires at least two",
                    fix: "Pass subnets in at least two different availability zones to CreateCluster.")
            ]
        },
        PlanRule("CPS-002") { inputs, rule in
            inputs.context.clusterSubnets.compactMap { index in
                let free = inputs.freeBeforeLoadBalancers[index] + inputs.budgets[index].controlPlaneAddresses
                guard free < 6 else { return nil }
                return rule.finding(
                    inputs.subnet(index).pointer,
                    "cluster subnet \(inputs.subnet(index).id) "
                        + (free < 0
                            ? "is over-committed by \((-free).grouped) addresses once the plan's nodes and pods are in"
                            : "has \(free) free addresses once the plan's nodes and pods are in") + "; EKS needs at least 6",
                    fix: "Give the control plane dedicated subnets (a /28 per AZ is enough) or a larger subnet.")
            }
        },
        PlanRule("CPS-003") { inputs, rule in
            inputs.context.clusterSubnets.compactMap { index in
                let free = inputs.freeBeforeLoadBalancers[index] + inputs.budgets[index].controlPlaneAddresses
                guard free >= 6, free < 16 else { return nil }
                // A small (/28) subnet that only EKS uses is AWS's own advice for the cluster ENIs: its 11 addresses
                // hold the 2–4 ENIs twice over during an upgrade. The 16-address advice is for shared subnets.
                if isDedicatedAndUnused(index, inputs), free >= 2 * maximumControlPlaneENIs { return nil }
                return rule.finding(
                    inputs.subnet(index).pointer,
                    "cluster subnet \(inputs.subnet(index).id) will have \(free) free addresses; AWS recommends 16, since EKS "
                        + "creates new ENIs before deleting old ones during upgrades",
                    fix: "Keep at least 16 addresses free in each cluster subnet.")
            }
        },
        PlanRule("CPS-004") { inputs, rule in
            inputs.context.clusterSubnets.compactMap { index in
                let subnet = inputs.subnet(index)
                guard let zoneId = subnet.input.availabilityZoneId, disallowedControlPlaneZoneIds.contains(zoneId) else {
                    return nil
                }
                return rule.finding(
                    subnet.pointer + "/availabilityZoneId",
                    "cluster subnet \(subnet.id) is in \(zoneId) (\(subnet.availabilityZone)), where EKS cannot place control-plane ENIs",
                    fix: "Pass cluster subnets in other availability zones; nodes may still run in \(zoneId).")
            }
        },
        PlanRule("CPS-011") { inputs, rule in
            // Zone names map to zone IDs differently in each account: in a Region with a zone EKS refuses, a name
            // alone leaves CPS-004 undecided.
            guard let zoneId = disallowedControlPlaneZoneIdByRegion[inputs.plan.region] else { return [] }
            return inputs.context.clusterSubnets.compactMap { index in
                let subnet = inputs.subnet(index)
                guard subnet.input.availabilityZoneId == nil, subnet.zoneType == .availabilityZone else { return nil }
                return rule.finding(
                    subnet.pointer + "/availabilityZoneId",
                    "cluster subnet \(subnet.id) is given by zone name only (\(subnet.availabilityZone)); in \(inputs.plan.region) "
                        + "EKS cannot place control-plane ENIs in \(zoneId), and names map to zone IDs differently in each "
                        + "account, so whether this subnet is usable (CPS-004) cannot be decided",
                    fix: "Give availabilityZoneId: aws ec2 describe-availability-zones --region \(inputs.plan.region) "
                        + "--query 'AvailabilityZones[].[ZoneName,ZoneId]' --output text")
            }
        },
        PlanRule("CPS-005") { inputs, rule in
            inputs.context.clusterSubnets.compactMap { index in
                let subnet = inputs.subnet(index)
                guard subnet.zoneType == .outpost || subnet.zoneType == .wavelengthZone else { return nil }
                return rule.finding(
                    subnet.pointer,
                    "cluster subnet \(subnet.id) is \(subnet.zoneType == .outpost ? "on an AWS Outpost" : "in a Wavelength Zone")",
                    fix: "Pass Region availability-zone subnets to the cluster; put only self-managed nodes there.")
            }
        },
        PlanRule("CPS-006") { inputs, rule in
            inputs.context.clusterSubnets.compactMap { index in
                let subnet = inputs.subnet(index)
                guard subnet.zoneType == .localZone else { return nil }
                return rule.finding(
                    subnet.pointer,
                    "cluster subnet \(subnet.id) is in a Local Zone (\(subnet.availabilityZone)); Local Zone subnets are for nodes",
                    fix: "Pass Region availability-zone subnets to the cluster.")
            }
        },
        PlanRule("CPS-007") { inputs, rule in
            let publics = inputs.context.clusterSubnets.filter { inputs.subnet($0).isPublic }.map { inputs.subnet($0).id }
            guard !publics.isEmpty else { return [] }
            return [
                rule.finding(
                    "/clusterSubnetIds",
                    "cluster subnets include public subnets (\(publics.joined(separator: ", "))); both work",
                    fix: "AWS recommends private cluster subnets.")
            ]
        },
        PlanRule("CPS-008") { inputs, rule in
            let cluster = Set(inputs.context.clusterSubnets)
            return inputs.context.nodeSubnets.intersection(cluster).sorted().map { index in
                rule.finding(
                    inputs.subnet(index).pointer,
                    "cluster subnet \(inputs.subnet(index).id) also hosts nodes or pods, which can take the addresses EKS needs "
                        + "at upgrade time (\"need at least N IPs in each subnet to be free\")",
                    fix: "Use small dedicated subnets (a /28 per AZ) for the control plane and keep nodes elsewhere.")
            }
        },
        PlanRule("CPS-010") { inputs, rule in
            let count = inputs.context.clusterSubnets.count
            guard count > 2 else { return [] }
            return [
                rule.finding(
                    "/clusterSubnetIds",
                    "\(count) cluster subnets: EKS may put its ENIs in any of them and may move them on upgrade",
                    fix: "Give exactly two subnets to control where the control-plane ENIs go.")
            ]
        },
    ]
}
