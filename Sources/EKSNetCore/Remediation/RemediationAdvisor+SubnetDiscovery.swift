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
            var block = situation.freeBlockInsideVPC(prefix: zonePrefix, avoiding: newBlocks)
            if block == nil {
                if secondary == nil {
                    guard !situation.vpcCIDRQuotaReached, let free = situation.freeSecondaryBlock() else {
                        finish(&option, plan: nil, situation: situation, preconditionFailure:
                            "the VPC has no free /\(zonePrefix) and cannot take another CIDR block (quota or no free 100.64.0.0/10 space)")
                        return option
                    }
                    secondary = free
                    after.vpc.cidrBlocks.append(free.description)
                    steps.append(.init(
                        "Associate \(free) with the VPC for the pod subnets (the VPC's own space is used up).",
                        commands: ["aws ec2 associate-vpc-cidr-block --region \(plan.region) --vpc-id \(plan.vpc.vpcId ?? "VPC_ID") --cidr-block \(free)"]))
                }
                block = (try? secondary?.split(into: zonePrefix)).flatMap { pieces in
                    pieces.indices.lazy.map { pieces[$0] }.first { piece in !newBlocks.contains { $0.overlaps(piece) } }
                }
            }
            guard let block else { break }
            newBlocks.append(block)
            let id = "subnet-cni-\(zone.zone)"
            after.subnets.append(situation.subnet(
                id: id, in: zone, block: block, role: "pods",
                tags: [SubnetTagSuggester.cniRole: "1", "kubernetes.io/cluster/\(plan.clusterName)": "shared", "Name": "\(plan.clusterName)-cni-\(zone.zone)"]))
            let variable = "CNI_SUBNET_\(position)"
            var commands = [
                "\(variable)=$(aws ec2 create-subnet --region \(plan.region) --vpc-id \(plan.vpc.vpcId ?? "VPC_ID") "
                    + "--availability-zone \(zone.zone) --cidr-block \(block) --query Subnet.SubnetId --output text)",
                "aws ec2 create-tags --region \(plan.region) --resources \"$\(variable)\" --tags Key=kubernetes.io/role/cni,Value=1 "
                    + "Key=kubernetes.io/cluster/\(plan.clusterName),Value=shared Key=Name,Value=\(plan.clusterName)-cni-\(zone.zone)",
            ]
            if plan.subnets[zone.nodeSubnet].routeTableAssociation != "main" {
                commands += situation.routeTableCommands(newSubnetVariable: variable, modelSubnet: zone.nodeSubnet)
            }
            steps.append(.init("Create the pod subnet of \(zone.zone), \(block), tagged for subnet discovery.", commands: commands))
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
