/// §1.6 the Kubernetes service CIDR.
enum ServiceCIDRRules {
    static let eksDefaultForTenVPC = try! CIDRBlock(parsing: "172.20.0.0/16")
    static let eksDefaultOtherwise = try! CIDRBlock(parsing: "10.100.0.0/16")

    /// The service CIDR EKS will use: the plan's, or the one EKS picks (172.20.0.0/16 for 10.x VPCs, else
    /// 10.100.0.0/16), as the AL2 bootstrap's DNS-IP logic implies.
    static func effectiveServiceCidr(_ context: PlanContext) -> (block: CIDRBlock, assumed: Bool, pointer: String)? {
        guard context.ipFamily == .ipv4 else { return nil }
        if let given = context.serviceCidr { return (given.block, false, given.pointer) }
        let tenVPC = context.vpcBlocks.contains { $0.text.hasPrefix("10.") }
        return (tenVPC ? eksDefaultForTenVPC : eksDefaultOtherwise, true, "/serviceIpv4Cidr")
    }

    static let all: [PlanRule] = [
        PlanRule("SVC-001") { inputs, rule in
            guard let given = inputs.context.serviceCidr, inputs.context.ipFamily == .ipv4, !given.block.isRFC1918 else { return [] }
            return [
                rule.finding(
                    given.pointer,
                    "service CIDR \(given.block) is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
                    fix: "Pick an RFC 1918 block that overlaps neither the VPC nor connected networks, such as 172.20.0.0/16.")
            ]
        },
        PlanRule("SVC-002") { inputs, rule in
            guard let given = inputs.context.serviceCidr, inputs.context.ipFamily == .ipv4 else { return [] }
            var findings: [PlanFinding] = []
            if !(12...24).contains(given.block.prefixLength) {
                findings.append(
                    rule.finding(
                        given.pointer,
                        "service CIDR \(given.text) is a /\(given.block.prefixLength); EKS accepts /12 to /24",
                        fix: "Use a /12–/24 block (a /16 gives 65,536 service IPs)."))
            }
            if given.hadHostBits {
                findings.append(
                    rule.finding(
                        given.pointer, "service CIDR \(given.text) has host bits set",
                        fix: "Write it as \(given.block)."))
            }
            return findings
        },
        PlanRule("SVC-003") { inputs, rule in
            guard let service = effectiveServiceCidr(inputs.context), !service.assumed else { return [] }
            return inputs.context.vpcBlocks.filter { $0.block.overlaps(service.block) }.map { block in
                rule.finding(
                    service.pointer,
                    "service CIDR \(service.block) overlaps the VPC CIDR \(block.block)",
                    fix: "Pick a service CIDR outside every VPC CIDR.")
            }
        },
        PlanRule("SVC-004") { inputs, rule in
            guard let service = effectiveServiceCidr(inputs.context) else { return [] }
            return inputs.context.connectedNetworks.filter { $0.block.overlaps(service.block) }.map { network in
                rule.finding(
                    service.pointer,
                    "\(service.assumed ? "the service CIDR EKS will pick, " : "service CIDR ")\(service.block), overlaps the "
                        + "connected network \(network.block); pods cannot reach that part of it, and it cannot be changed later",
                    fix: "Set serviceIpv4Cidr to a block that overlaps neither the VPC nor connected networks.")
            }
        },
        PlanRule("SVC-005") { inputs, rule in
            guard let service = effectiveServiceCidr(inputs.context), service.block.overlaps(VPCRules.dockerBridge) else { return [] }
            return [
                rule.finding(
                    service.pointer,
                    "service CIDR \(service.block) overlaps 172.17.0.0/16, the Docker bridge range",
                    fix: "Avoid 172.17.0.0/16.")
            ]
        },
        PlanRule("SVC-006") { inputs, rule in
            guard let service = effectiveServiceCidr(inputs.context), service.assumed else { return [] }
            return [
                rule.finding(
                    "/serviceIpv4Cidr",
                    "serviceIpv4Cidr is unset: EKS picks \(service.block) for this VPC (172.20.0.0/16 when a VPC CIDR starts "
                        + "with 10., else 10.100.0.0/16)",
                    fix: "Set it explicitly to be sure; confirm with DescribeCluster.")
            ]
        },
        PlanRule("SVC-007") { inputs, rule in
            guard inputs.context.ipFamily == .ipv6, inputs.plan.serviceIpv4Cidr != nil else { return [] }
            return [
                rule.finding(
                    "/serviceIpv4Cidr",
                    "IPv6 clusters get a ULA (fc00::/7) service range automatically; serviceIpv4Cidr cannot be set",
                    fix: "Remove serviceIpv4Cidr.")
            ]
        },
        PlanRule("SVC-008") { inputs, rule in
            [
                rule.finding(
                    "/serviceIpv4Cidr",
                    "the service CIDR and the IP family are set at cluster creation and cannot be changed",
                    fix: "Choose them with future peering and on-premises ranges in mind.")
            ]
        },
    ]
}
