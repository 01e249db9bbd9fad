/// §1.10 IPv6 clusters.
enum IPv6Rules {
    static let all: [PlanRule] = [
        PlanRule("V6-001") { inputs, rule in
            guard inputs.context.ipFamily == .ipv6 else { return [] }
            var findings: [PlanFinding] = []
            if (inputs.plan.vpc.ipv6CidrBlocks ?? []).isEmpty {
                findings.append(
                    rule.finding(
                        "/vpc/ipv6CidrBlocks", "an IPv6 cluster needs a dual-stack VPC, and the VPC has no IPv6 CIDR",
                        fix: "Associate an Amazon-provided IPv6 /56 with the VPC."))
            }
            let used = inputs.context.nodeSubnets.union(inputs.context.clusterSubnets)
            for index in used.sorted() where inputs.subnet(index).input.ipv6CidrBlock == nil {
                findings.append(
                    rule.finding(
                        inputs.subnet(index).pointer + "/ipv6CidrBlock",
                        "subnet \(inputs.subnet(index).id) has no IPv6 /64; cluster and node subnets must be dual-stack",
                        fix: "Associate an IPv6 /64 from the VPC's /56 with the subnet."))
            }
            return findings
        },
        PlanRule("V6-002") { inputs, rule in
            guard inputs.context.ipFamily == .ipv6 else { return [] }
            var reasons: [(String, String)] = []
            if let version = inputs.plan.kubernetesVersion, let minor = KubernetesVersion.minor(of: version), minor < 21 {
                reasons.append(("/kubernetesVersion", "Kubernetes \(version) (IPv6 needs 1.21 or later)"))
            }
            if inputs.plan.region.hasPrefix("cn-") {
                reasons.append(("/region", "the China region \(inputs.plan.region)"))
            }
            return reasons.map { pointer, reason in
                rule.finding(
                    pointer, "IPv6 clusters are not supported with \(reason)",
                    fix: "Use an IPv4 cluster, or a supported version and region.")
            }
        },
        PlanRule("V6-003") { inputs, rule in
            guard inputs.context.ipFamily == .ipv6 else { return [] }
            return [
                rule.finding(
                    "/ipFamily",
                    "IPv6: each node still takes one IPv4 address (and each Fargate pod one) and gets a /80; pods get IPv6 "
                        + "only and reach IPv4 through the node's address",
                    fix: "Size the IPv4 subnets for nodes, Fargate pods, load balancers and NAT.")
            ]
        },
        PlanRule("V6-004") { inputs, rule in
            guard inputs.context.ipFamily == .ipv6, !(inputs.plan.natGateways ?? []).isEmpty else { return [] }
            return inputs.context.nodeSubnets.sorted().compactMap { index in
                guard inputs.subnet(index).input.enableDns64 == true else { return nil }
                return rule.finding(
                    inputs.subnet(index).pointer + "/enableDns64",
                    "DNS64 is on in \(inputs.subnet(index).id) and a NAT gateway exists: IPv4-only destinations go through NAT64",
                    fix: "Turn DNS64 off on EKS IPv6 subnets unless NAT64 is intended.")
            }
        },
    ]
}
