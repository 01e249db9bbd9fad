/// §1.1 VPC CIDR blocks and DNS.
enum VPCRules {
    static let dockerBridge = try! CIDRBlock(parsing: "172.17.0.0/16")
    static let ten = try! CIDRBlock(parsing: "10.0.0.0/8")
    static let oneSevenTwo = try! CIDRBlock(parsing: "172.16.0.0/12")
    static let oneNineTwo = try! CIDRBlock(parsing: "192.168.0.0/16")
    static let oneNineEight = try! CIDRBlock(parsing: "198.19.0.0/16")
    static let tenSlash15 = try! CIDRBlock(parsing: "10.0.0.0/15")
    static let tenSlash16 = try! CIDRBlock(parsing: "10.0.0.0/16")
    static let oneSevenTwoThirtyOne = try! CIDRBlock(parsing: "172.31.0.0/16")
    static let sizeRange = CIDRBlock.awsSubnetPrefixLengths

    static let all: [PlanRule] = [
        PlanRule("VPC-001") { inputs, rule in
            guard let primary = inputs.context.vpcBlocks.first else { return [] }
            var findings: [PlanFinding] = []
            let rule = all[0]
            if !sizeRange.contains(primary.block.prefixLength) {
                findings.append(
                    rule.finding(
                        primary.pointer,
                        "VPC CIDR \(primary.text) is a /\(primary.block.prefixLength); AWS accepts /16 (65,536 addresses) to /28 (16)",
                        fix: "Use a block between /16 and /28, such as 10.0.0.0/16."))
            }
            if primary.hadHostBits {
                findings.append(
                    rule.finding(
                        primary.pointer, "VPC CIDR \(primary.text) has host bits set",
                        fix: "Write it in canonical form: \(primary.block)."))
            }
            return findings
        },
        PlanRule("VPC-002") { inputs, rule in
            guard let primary = inputs.context.vpcBlocks.first, !primary.block.isRFC1918 else { return [] }
            return [
                rule.finding(
                    primary.pointer,
                    "VPC CIDR \(primary.block) is outside RFC 1918 (\(primary.block.addressSpace.rawValue) space); AWS allows it, "
                        + "but EKS templates expect 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
                    fix: "Prefer an RFC 1918 primary block; keep 100.64.0.0/10 for secondary pod CIDRs.")
            ]
        },
        PlanRule("VPC-003") { inputs, rule in
            var findings: [PlanFinding] = []
            let blocks = inputs.context.vpcBlocks
            for (position, secondary) in blocks.enumerated().dropFirst() {
                if !sizeRange.contains(secondary.block.prefixLength) || secondary.hadHostBits {
                    findings.append(
                        rule.finding(
                            secondary.pointer,
                            "secondary CIDR \(secondary.text) must be a canonical /16–/28 block",
                            fix: "Use a block between /16 and /28 written as \(secondary.block)."))
                }
                if let clash = blocks[..<position].first(where: { $0.block.overlaps(secondary.block) }) {
                    findings.append(
                        rule.finding(
                            secondary.pointer,
                            "secondary CIDR \(secondary.block) overlaps \(clash.block), already on the VPC",
                            fix: "Pick a block that does not overlap the VPC's other CIDRs (for pods, a 100.64.0.0/10 block)."))
                }
            }
            return findings
        },
        PlanRule("VPC-004") { inputs, rule in
            guard let primary = inputs.context.vpcBlocks.first else { return [] }
            return inputs.context.vpcBlocks.dropFirst().compactMap { secondary in
                guard let range = forbiddenRange(primary: primary.block, secondary: secondary.block) else { return nil }
                return rule.finding(
                    secondary.pointer,
                    "\(secondary.block) (in \(range)) cannot be associated with a VPC whose primary CIDR is \(primary.block)",
                    fix: "Use a 100.64.0.0/10 block (CG-NAT space, allowed with any primary) or another permitted range.")
            }
        },
        PlanRule("VPC-006") { inputs, rule in
            let count = inputs.context.vpcBlocks.count
            guard count > 5 else { return [] }
            return [
                rule.finding(
                    "/vpc/cidrBlocks",
                    "the VPC has \(count) IPv4 CIDR blocks; the default quota is 5 per VPC",
                    fix: "Request an increase of 'IPv4 CIDR blocks per VPC' (up to 50) before applying the plan.")
            ]
        },
        PlanRule("VPC-007") { inputs, rule in
            var findings: [PlanFinding] = []
            for block in inputs.context.vpcBlocks where block.block.overlaps(dockerBridge) {
                findings.append(dockerFinding(rule, block.pointer, block.block))
            }
            if !inputs.context.vpcBlocks.contains(where: { $0.block.overlaps(dockerBridge) }) {
                for subnet in inputs.subnets where subnet.block.overlaps(dockerBridge) {
                    findings.append(dockerFinding(rule, subnet.pointer + "/cidrBlock", subnet.block))
                }
            }
            return findings
        },
        PlanRule("VPC-005") { inputs, rule in
            // AssociateVpcCidrBlock refuses a block equal to or larger than a route destination of the VPC: the
            // connected networks and every route of the subnets' route tables.
            var destinations: [(block: CIDRBlock, what: String)] = inputs.context.connectedNetworks.map { ($0.block, "routed network") }
            var seen = Set(destinations.map(\.block))
            for subnet in inputs.subnets {
                for route in subnet.facts.routes {
                    guard case .ipv4(let block) = route.destination, block.prefixLength > 0, seen.insert(block).inserted else { continue }
                    destinations.append((block, "route destination (\(subnet.id) → \(route.target.resourceId ?? route.target.kind))"))
                }
            }
            var findings: [PlanFinding] = []
            for block in inputs.context.vpcBlocks.dropFirst() {
                for network in destinations where block.block.contains(network.block) {
                    findings.append(
                        rule.finding(
                            block.pointer,
                            "secondary VPC CIDR \(block.block) \(block.block == network.block ? "equals" : "contains") the "
                                + "\(network.what) \(network.block); AWS refuses to associate a CIDR equal to or larger than a route destination",
                            fix: "Pick a secondary CIDR that neither equals nor contains \(network.block) (for pods, 100.64.0.0/10 space "
                                + "that no route uses)."))
                }
            }
            return findings
        },
        PlanRule("VPC-008") { inputs, rule in
            var findings: [PlanFinding] = []
            for (position, block) in inputs.context.vpcBlocks.enumerated() {
                // A secondary block that contains the network is refused outright (VPC-005).
                for network in inputs.context.connectedNetworks
                where network.block.overlaps(block.block) && !(position > 0 && block.block.contains(network.block)) {
                    findings.append(
                        rule.finding(
                            block.pointer,
                            "VPC CIDR \(block.block) overlaps the connected network \(network.block)",
                            fix: "Choose non-overlapping ranges, or reach \(network.block) through private NAT; "
                                + "custom networking can keep pod addresses out of the overlap."))
                }
            }
            return findings
        },
        PlanRule("DNS-001") { inputs, rule in
            guard let support = inputs.context.dnsSupport, !support.enabled else { return [] }
            return [
                rule.finding(
                    "/vpc/enableDnsSupport", "VPC DNS resolution is off; nodes cannot register with the cluster",
                    fix: "aws ec2 modify-vpc-attribute --vpc-id \(inputs.plan.vpc.vpcId ?? "<vpc-id>") --enable-dns-support")
            ]
        },
        PlanRule("DNS-002") { inputs, rule in
            guard let hostnames = inputs.context.dnsHostnames, !hostnames.enabled else { return [] }
            let assumed = hostnames.assumed
                ? " (not given: a VPC you create has DNS hostnames off unless you turn them on)" : ""
            return [
                rule.finding(
                    "/vpc/enableDnsHostnames",
                    "VPC DNS hostnames are off\(assumed); nodes cannot register and private DNS for interface endpoints does not work",
                    fix: "aws ec2 modify-vpc-attribute --vpc-id \(inputs.plan.vpc.vpcId ?? "<vpc-id>") --enable-dns-hostnames")
            ]
        },
    ]

    static func dockerFinding(_ rule: PlanRule, _ pointer: String, _ block: CIDRBlock) -> PlanFinding {
        rule.finding(
            pointer,
            "\(block) overlaps 172.17.0.0/16, the Docker bridge range; this has caused 'no route to host' on kubelet port 10250",
            fix: "Move the range off 172.17.0.0/16.")
    }

    /// The VPC association-restrictions table (Amazon VPC User Guide, VPC CIDR blocks; docs/sources.md): the
    /// forbidden range a secondary falls in.
    static func forbiddenRange(primary: CIDRBlock, secondary: CIDRBlock) -> String? {
        func hits(_ range: CIDRBlock) -> Bool { range.overlaps(secondary) }
        if ten.contains(primary) {
            for range in [oneSevenTwo, oneNineTwo, oneNineEight] where hits(range) { return range.description }
            if tenSlash15.contains(primary) && tenSlash16.contains(secondary) { return tenSlash16.description }
            return nil
        }
        if oneSevenTwo.contains(primary) {
            for range in [ten, oneNineTwo, oneSevenTwoThirtyOne, oneNineEight] where hits(range) { return range.description }
            return nil
        }
        if oneNineTwo.contains(primary) {
            for range in [ten, oneSevenTwo, oneNineEight] where hits(range) { return range.description }
            return nil
        }
        // 198.19.0.0/16, 100.64.0.0/10 or public primaries: no RFC 1918 secondary (and no 198.19 unless primary).
        for range in [ten, oneSevenTwo, oneNineTwo] where hits(range) { return "RFC 1918 space (\(range))" }
        if !oneNineEight.contains(primary) && hits(oneNineEight) { return oneNineEight.description }
        return nil
    }
}
