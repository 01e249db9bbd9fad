extension RemediationAdvisor {
    /// VPC CNI subnet discovery (1.18+): new subnets in the node zones tagged `kubernetes.io/role/cni=1` take the
    /// secondary ENIs — and so pod addresses — when they have more free addresses than the node's subnet. Nothing
    /// is replaced: ENIs created from now on go there. The space comes from the VPC's free space when it has
    /// enough, else from a secondary CIDR of 100.64.0.0/10.
    static func subnetDiscovery(_ situation: RemediationSituation) -> RemediationOption {
        let plan = situation.plan
        var option = option(.subnetDiscovery, "Add pod subnets found by VPC CNI subnet discovery", .none)
        option.cost.needs = ["VPC CNI 1.18.0 or later (ENABLE_SUBNET_DISCOVERY, on by default)"]
        let version = cniVersion(plan)
        var failure: String?
        if version < CNIVersion.subnetDiscoveryMinimum {
            failure = "the VPC CNI \(version) is older than 1.18.0, the first with subnet discovery: upgrade the add-on first"
        }
        if plan.cni?.customNetworking?.enabled == true {
            failure = "custom networking is on: pods take their addresses from the ENIConfig subnets, not from discovered ones"
        }
        guard !situation.nodeZones.isEmpty else {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "no node group names a subnet")
            return option
        }
        var after = plan
        var steps: [RemediationOption.Step] = []
        var newBlocks: [CIDRBlock] = []
        // A /20 per zone (4,091 addresses) from the VPC's own free space, else a 100.64.0.0/10 secondary block.
        let zonePrefix = 20
        var secondary: CIDRBlock?
        for (position, zone) in situation.nodeZones.enumerated() {
            guard let found = situation.nextBlock(
                prefix: zonePrefix, besides: newBlocks, secondary: &secondary, makeSecondary: { situation.freeSecondaryBlock() })
            else {
                finish(&option, plan: nil, situation: situation, preconditionFailure:
                    "the VPC has no free /\(zonePrefix) and cannot take another CIDR block (quota or no free 100.64.0.0/10 space)")
                return option
            }
            if let associated = found.associated {
                after.vpc.cidrBlocks.append(associated.description)
                steps.append(situation.associateStep(associated, why: "for the pod subnets (the VPC's own space is used up)"))
            }
            let block = found.block
            newBlocks.append(block)
            let id = "subnet-cni-\(zone.zone)"
            let tags = [SubnetTagSuggester.cniRole: "1", "kubernetes.io/cluster/\(plan.clusterName)": "shared", "Name": "\(plan.clusterName)-cni-\(zone.zone)"]
            after.subnets.append(situation.subnet(id: id, in: zone, block: block, role: "pods", tags: tags))
            steps.append(.init(
                "Create the pod subnet of \(zone.zone), \(block), tagged for subnet discovery.",
                commands: situation.createSubnetCommands(variable: "CNI_SUBNET_\(position)", zone: zone, block: block, tags: tags)))
        }
        steps.append(.init(
            "Make sure subnet discovery is on (the default from 1.18.0); new secondary ENIs then go to the tagged subnet "
                + "with the most free addresses. Running pods keep their addresses.",
            commands: [setEnv([("ENABLE_SUBNET_DISCOVERY", "true")])]))
        finish(&option, plan: after, situation: situation, preconditionFailure: failure)
        option.steps = steps
        return option
    }
}
