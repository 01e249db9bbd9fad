extension RemediationAdvisor {
    /// An IPv6 cluster: pods take IPv6 addresses from a /80 per node, and a node takes one IPv4 address from its
    /// subnet. The IP family of a cluster is fixed at creation, so this is a new cluster beside the old one, in the
    /// same VPC with an Amazon-provided IPv6 block.
    static func ipv6Cluster(_ situation: RemediationSituation) -> RemediationOption {
        let plan = situation.plan
        var option = option(.ipv6Cluster, "Build a new IPv6 cluster and move the workloads (a new cluster)", .newCluster)
        option.cost.needs = [
            "a new EKS cluster (the IP family is set at creation)", "an egress-only internet gateway for IPv6 egress",
            "Nitro instance types", "every workload and dependency reachable over IPv6 (or through DNS64/NAT64)",
        ]
        if plan.ipFamily == .ipv6 {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "the cluster is already IPv6")
            return option
        }
        // A VPC's Amazon-provided /56 holds 256 subnets of a /64.
        guard plan.subnets.count <= 256 else {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "\(plan.subnets.count) subnets: a VPC's /56 holds 256 /64s")
            return option
        }
        let notNitro = Set((plan.nodeGroups ?? []).flatMap(\.instanceTypes))
            .filter { situation.aws.catalog.instanceType(named: $0).map { !$0.prefixDelegationSupported } ?? false }.sorted()
        var after = plan
        after.clusterName = plan.clusterName + "-ipv6"
        after.ipFamily = .ipv6
        after.serviceIpv4Cidr = nil
        // Amazon assigns the /56; a documentation-shaped one stands for it here.
        let vpcBlock = plan.vpc.ipv6CidrBlocks?.first ?? "2600:1f18:ffff:ff00::/56"
        after.vpc.ipv6CidrBlocks = plan.vpc.ipv6CidrBlocks ?? [vpcBlock]
        let base = vpcBlock.split(separator: "/").first.map { String($0.dropLast(2)) } ?? "2600:1f18:ffff:ff00"
        let stem = base.split(separator: ":").prefix(3).joined(separator: ":")
        let lastGroup = base.split(separator: ":").dropFirst(3).first.flatMap { Int($0, radix: 16) } ?? 0xff00
        for index in after.subnets.indices {
            if after.subnets[index].ipv6CidrBlock == nil {
                after.subnets[index].ipv6CidrBlock = "\(stem):\(String((lastGroup & 0xff00) | index, radix: 16))::/64"
            }
            after.subnets[index].assignIpv6AddressOnCreation = true
            if !after.subnets[index].routesToInternetGateway { after.subnets[index].ipv6DefaultRoute = "eigw" }
            // The old cluster's tags stay with it; the new cluster's are the tag suggestions of its evaluation.
        }
        var cni = after.cni ?? CNISettingsInput()
        if cniVersion(plan) < CNIVersion.ipv6Minimum { cni.version = CNIVersion.current.description }
        cni.prefixDelegation = true
        cni.customNetworking = nil
        after.cni = cni
        for index in (after.nodeGroups ?? []).indices { after.nodeGroups?[index].runningNodes = 0 }
        finish(&option, plan: after, situation: situation, preconditionFailure: notNitro.isEmpty ? nil
            : "\(notNitro.joined(separator: ", ")) \(notNitro.count == 1 ? "is" : "are") not Nitro: IPv6 clusters need Nitro instances")
        option.steps = [
            .init(
                "Give the VPC an Amazon-provided IPv6 block, and each subnet a /64 of it that it assigns on launch.",
                commands: ["aws ec2 associate-vpc-cidr-block --region \(plan.region) --vpc-id \(plan.vpc.vpcId ?? "VPC_ID") --amazon-provided-ipv6-cidr-block"]
                    + after.subnets.compactMap { subnet in
                        guard let block = subnet.ipv6CidrBlock else { return nil }
                        return "aws ec2 associate-subnet-cidr-block --region \(plan.region) --subnet-id \(subnet.subnetId) --ipv6-cidr-block \(block)   # a /64 of the VPC's block"
                    }
                    + after.subnets.map {
                        "aws ec2 modify-subnet-attribute --region \(plan.region) --subnet-id \($0.subnetId) --assign-ipv6-address-on-creation"
                    }),
            .init(
                "Route ::/0 of the private subnets to an egress-only internet gateway (and of the public ones to the internet gateway).",
                commands: [
                    "EIGW=$(aws ec2 create-egress-only-internet-gateway --region \(plan.region) --vpc-id \(plan.vpc.vpcId ?? "VPC_ID") "
                        + "--query EgressOnlyInternetGateway.EgressOnlyInternetGatewayId --output text)",
                    "aws ec2 create-route --region \(plan.region) --route-table-id \"$PRIVATE_RTB\" --destination-ipv6-cidr-block ::/0 "
                        + "--egress-only-internet-gateway-id \"$EIGW\"   # each private route table",
                ]),
            .init(
                "Create the IPv6 cluster on the same subnets, its node groups, and move the workloads over.",
                commands: [
                    "aws eks create-cluster --region \(plan.region) --name \(after.clusterName) --kubernetes-network-config ipFamily=ipv6 "
                        + "--resources-vpc-config subnetIds=\(plan.clusterSubnetIds.joined(separator: ",")) --role-arn \"$CLUSTER_ROLE_ARN\""
                ]),
        ]
        return option
    }
}
