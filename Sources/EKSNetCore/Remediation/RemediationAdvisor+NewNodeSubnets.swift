extension RemediationAdvisor {
    /// Larger node subnets beside the full ones, in the same zones: from the VPC's free space, else from a
    /// secondary CIDR in the primary's own RFC 1918 range (nodes keep addresses the rest of the network routes).
    /// Managed node groups cannot change subnets: a new node group on the new subnets takes over.
    static func newNodeSubnets(_ situation: RemediationSituation) -> RemediationOption {
        let plan = situation.plan
        var option = option(.newNodeSubnets, "Add larger node subnets and move the node groups to them", .rollingNodeReplacement)
        guard !situation.nodeZones.isEmpty else {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "no node group names a subnet")
            return option
        }
        // Sized to every node of the zone at the target (the new node groups start there empty), with the layout
        // planner's headroom: nodes spread evenly over their zones, as an Auto Scaling group balances them.
        var demand: [String: Int] = [:]
        for (group, capacity) in zip(plan.nodeGroups ?? [], situation.evaluation.capacity) {
            let zones = Set((group.subnetIds ?? []).compactMap { id in plan.subnets.first { $0.subnetId == id }?.availabilityZone })
            guard !zones.isEmpty else { continue }
            let perZone = (group.maxSize + zones.count - 1) / zones.count
            for zone in zones { demand[zone, default: 0] += perZone * capacity.subnetAddressesPerNode }
        }
        var after = plan
        var steps: [RemediationOption.Step] = []
        var newBlocks: [CIDRBlock] = []
        var newIds: [String] = []
        var secondary: CIDRBlock?
        let primary = situation.context.vpcBlocks.first?.block
        for (position, zone) in situation.nodeZones.enumerated() {
            let wanted = Int(Double(demand[zone.zone] ?? 0) * LayoutPlanner.headroom)
            let prefix = max(16, min(24, LayoutPlanner.smallestPrefix(holding: max(wanted, 251), prefixes: 0)))
            guard let found = situation.nextBlock(
                prefix: prefix, besides: newBlocks, secondary: &secondary,
                makeSecondary: { LayoutPlanner.firstFree(prefix: 16, avoiding: situation.taken + newBlocks, sameRangeAs: primary) })
            else {
                finish(&option, plan: nil, situation: situation, preconditionFailure:
                    "the VPC has no free /\(prefix) in zone \(zone.zone) and cannot take another CIDR block in its range")
                return option
            }
            if let associated = found.associated {
                after.vpc.cidrBlocks.append(associated.description)
                steps.append(situation.associateStep(associated, why: "for the new node subnets (in the primary's range, routable like it)"))
            }
            let block = found.block
            newBlocks.append(block)
            let id = "subnet-nodes-\(zone.zone)"
            newIds.append(id)
            // The node subnet's tags but its load-balancer role: the load balancers stay where they are.
            var tags = (plan.subnets[zone.nodeSubnet].tags ?? [:]).filter { !$0.key.hasPrefix("kubernetes.io/role/") }
            tags["Name"] = "\(plan.clusterName)-nodes-\(zone.zone)"
            after.subnets.append(situation.subnet(id: id, in: zone, block: block, role: "private", tags: tags))
            steps.append(.init(
                "Create the node subnet of \(zone.zone), \(block), with the tags and routes of \(plan.subnets[zone.nodeSubnet].subnetId).",
                commands: situation.createSubnetCommands(variable: "NODE_SUBNET_\(position)", zone: zone, block: block, tags: tags)))
        }
        // The node groups move to the new subnets; the full ones keep what runs there until it is drained.
        let moved = Set(situation.nodeSubnets.map { plan.subnets[$0].subnetId })
        for index in (after.nodeGroups ?? []).indices {
            guard let subnets = after.nodeGroups?[index].subnetIds, subnets.contains(where: moved.contains) else { continue }
            let zones = Set(subnets.compactMap { id in plan.subnets.first { $0.subnetId == id }?.availabilityZone })
            after.nodeGroups?[index].subnetIds = situation.nodeZones.enumerated()
                .filter { zones.contains($0.element.zone) && $0.offset < newIds.count }.map { newIds[$0.offset] }
            after.nodeGroups?[index].runningNodes = 0
        }
        finish(&option, plan: after, situation: situation)
        steps.append(.init(
            "Create each node group again on the new subnets (managed node groups cannot change subnets), then drain "
                + "and delete the old one.",
            commands: (after.nodeGroups ?? []).map { group in
                "aws eks create-nodegroup --region \(plan.region) --cluster-name \(plan.clusterName) --nodegroup-name \(group.name)-v2 "
                    + "--subnets \((0..<newIds.count).map { "\"$NODE_SUBNET_\($0)\"" }.joined(separator: " ")) "
                    + "--instance-types \(group.instanceTypes.joined(separator: " ")) --scaling-config minSize=\(group.minSize),maxSize=\(group.maxSize),desiredSize=\(group.desiredSize ?? group.minSize) "
                    + "--node-role \"$NODE_ROLE_ARN\""
            } + (plan.nodeGroups ?? []).map {
                "aws eks delete-nodegroup --region \(plan.region) --cluster-name \(plan.clusterName) --nodegroup-name \($0.name)   # once its pods have moved"
            }))
        option.steps = steps
        option.cost.needs = ["a node IAM role for the new node groups ($NODE_ROLE_ARN)"]
        return option
    }
}
