extension RemediationAdvisor {
    /// A secondary CIDR from 100.64.0.0/10 (allowed beside any primary range, routed nowhere else), one pod subnet
    /// per node zone in it, and custom networking: pods take their addresses there through one ENIConfig per zone,
    /// and the node subnets keep only the nodes' own addresses. The primary ENI then carries no pods, so a node
    /// holds fewer pods (the capacity says how many).
    static func secondaryCIDRCustomNetworking(_ situation: RemediationSituation) -> RemediationOption {
        let plan = situation.plan
        var option = option(.secondaryCIDRCustomNetworking, "Add a 100.64.0.0/10 secondary CIDR with custom networking", .rollingNodeReplacement)
        option.cost.needs = [
            "one more IPv4 CIDR block on the VPC (5 by default)",
            "no NAT change: pod traffic leaving the VPC is translated to the node's primary address",
        ]
        if plan.cni?.customNetworking?.enabled == true {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "custom networking is already on")
            return option
        }
        if situation.vpcCIDRQuotaReached {
            finish(&option, plan: nil, situation: situation, preconditionFailure:
                "the VPC has \(situation.context.vpcBlocks.count) IPv4 CIDR blocks, the default quota: request an increase of 'IPv4 CIDR blocks per VPC' first")
            return option
        }
        guard !situation.nodeZones.isEmpty, let block = situation.freeSecondaryBlock() else {
            finish(&option, plan: nil, situation: situation, preconditionFailure:
                situation.nodeZones.isEmpty ? "no node group names a subnet" : "no /16 of 100.64.0.0/10 is free of the VPC's blocks and routes")
            return option
        }
        // The /16 shared evenly by the zones (a /17 for two, a /18 for three or four).
        // The /16 shared evenly by the zones (a /17 for two, a /18 for three or four).
        let zonePrefix = min(28, 16 + bitsFor(situation.nodeZones.count))
        guard let pieces = try? block.split(into: zonePrefix) else { return option }
        var after = plan
        after.vpc.cidrBlocks.append(block.description)
        var eniConfigs: [String: String] = [:]
        var steps = [situation.associateStep(block, why: "(100.64.0.0/10 is allowed beside any primary range)")]
        var manifests: [String] = []
        let groups = plan.securityGroups?.nodeSecurityGroupIds ?? []
        for (position, zone) in situation.nodeZones.enumerated() {
            let id = "subnet-pods-\(zone.zone)"
            let piece = pieces[UInt64(position)]
            let tags = ["Name": "\(plan.clusterName)-pods-\(zone.zone)", "kubernetes.io/cluster/\(plan.clusterName)": "shared"]
            after.subnets.append(situation.subnet(id: id, in: zone, block: piece, role: "pods", tags: tags))
            eniConfigs[zone.zone] = id
            steps.append(.init(
                "Create the pod subnet of \(zone.zone), \(piece), routed as \(plan.subnets[zone.nodeSubnet].subnetId).",
                commands: situation.createSubnetCommands(variable: "POD_SUBNET_\(position)", zone: zone, block: piece, tags: tags)))
            manifests.append(ENIConfigManifest.render(zone: zone.zone, subnetId: id, securityGroups: groups))
        }
        var cni = after.cni ?? CNISettingsInput()
        cni.customNetworking = .init(enabled: true, eniConfigs: eniConfigs)
        after.cni = cni
        finish(&option, plan: after, situation: situation)
        steps.append(.init(
            "Turn custom networking on, with nodes picking the ENIConfig named after their zone.",
            commands: [setEnv([("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true"), ("ENI_CONFIG_LABEL_DEF", "topology.kubernetes.io/zone")])]))
        for (position, (zone, manifest)) in zip(situation.nodeZones, manifests).enumerated() {
            let id = eniConfigs[zone.zone] ?? ""
            steps.append(.init(
                "Apply the ENIConfig of \(zone.zone), with the id of the pod subnet created above in place of \(id).",
                commands: ["sed \"s/\(id)/$POD_SUBNET_\(position)/\" eniconfig-\(zone.zone).json | kubectl apply -f -"],
                manifest: manifest))
        }
        steps.append(rollNodeGroups(plan))
        option.steps = steps
        return option
    }

    /// Bits to give `count` pieces a piece each (1 → 0, 2 → 1, 3–4 → 2, 5–8 → 3).
    static func bitsFor(_ count: Int) -> Int {
        var bits = 0
        while (1 << bits) < count { bits += 1 }
        return bits
    }
}
