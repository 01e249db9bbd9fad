/// Security groups (SG-001…SG-005; EKS user guide "View Amazon EKS security group requirements
/// for clusters"): what the control plane and the nodes must be able to say to each other. Checked only when the
/// plan carries its security groups; without them SG-006 says the checks were not run, never that they passed.
enum SecurityGroupRules {
    /// One protocol and port, for messages: "TCP 443", "UDP 53", "all traffic".
    struct Need {
        let protocolName: String
        let port: Int?
        var text: String { protocolName == "-1" ? "all traffic" : "\(protocolName.uppercased()) \(port.map(String.init) ?? "")" }
    }

    static func allows(
        _ group: SecurityGroup, ingress: Bool, _ need: Need, peer: String, vpcBlocks: [CIDRBlock]
    ) -> Bool {
        let rules = ingress ? group.ingress : (group.egress ?? [.allTrafficAnywhere])
        return rules.contains { $0.allows(need.protocolName, port: need.port, peerGroup: peer, vpcBlocks: vpcBlocks) }
    }

    /// The groups and VPC blocks the checks read, or nil when the plan carries no security groups.
    static func section(_ inputs: RuleInputs) -> (plan: SecurityGroupPlan, cluster: SecurityGroup, nodes: [SecurityGroup], vpc: [CIDRBlock])? {
        guard let plan = inputs.plan.securityGroups, let cluster = plan.group(plan.clusterSecurityGroupId) else { return nil }
        return (plan, cluster, plan.nodeGroupIds.compactMap(plan.group), inputs.context.vpcBlocks.map(\.block))
    }

    static func pointer(_ plan: SecurityGroupPlan, _ id: String, _ direction: String) -> String {
        "/securityGroups/groups/\(plan.groups.firstIndex { $0.groupId == id } ?? 0)/\(direction)"
    }

    static let all: [PlanRule] = [
        PlanRule("SG-001") { inputs, rule in
            // A cluster security group whose default all-outbound rule was replaced must still reach the nodes on
            // 443, 10250 and 53 (TCP and UDP).
            guard let sg = section(inputs), sg.cluster.egress != nil else { return [] }
            let needs = [Need(protocolName: "tcp", port: 443), Need(protocolName: "tcp", port: 10250),
                Need(protocolName: "tcp", port: 53), Need(protocolName: "udp", port: 53)]
            var findings: [PlanFinding] = []
            for node in sg.nodes {
                let missing = needs.filter { !allows(sg.cluster, ingress: false, $0, peer: node.groupId, vpcBlocks: sg.vpc) }
                guard !missing.isEmpty else { continue }
                findings.append(rule.finding(
                    pointer(sg.plan, sg.cluster.groupId, "egress"),
                    "the cluster security group \(sg.cluster.groupId) restricts outbound traffic and does not allow "
                        + missing.map(\.text).joined(separator: ", ") + " to the nodes' group \(node.groupId)",
                    fix: "Allow outbound TCP 443, TCP 10250 and TCP and UDP 53 to \(node.groupId) (or restore the all-outbound rule)."))
            }
            return findings
        },
        PlanRule("SG-002") { inputs, rule in
            // The control plane reaches the kubelet (logs, exec, metrics) on 10250; webhooks on nodes need 443 too.
            guard let sg = section(inputs) else { return [] }
            let kubelet = Need(protocolName: "tcp", port: 10250)
            guard !sg.nodes.contains(where: { allows($0, ingress: true, kubelet, peer: sg.cluster.groupId, vpcBlocks: sg.vpc) }) else {
                return []
            }
            return [rule.finding(
                pointer(sg.plan, sg.nodes.first?.groupId ?? sg.cluster.groupId, "ingress"),
                "no node security group (\(sg.plan.nodeGroupIds.joined(separator: ", "))) accepts TCP 10250 from the cluster "
                    + "security group \(sg.cluster.groupId): kubectl logs and exec, and metrics, fail",
                fix: "Allow inbound TCP 10250 (eksctl opens 1025–65535) and TCP 443 (webhooks) from \(sg.cluster.groupId).")]
        },
        PlanRule("SG-003") { inputs, rule in
            // Pods talk to pods on other nodes and to CoreDNS on 53: nodes must accept all traffic from nodes.
            guard let sg = section(inputs) else { return [] }
            let everything = Need(protocolName: "-1", port: nil)
            let open = sg.nodes.contains { node in
                sg.plan.nodeGroupIds.contains { allows(node, ingress: true, everything, peer: $0, vpcBlocks: sg.vpc) }
            }
            guard !open else { return [] }
            return [rule.finding(
                pointer(sg.plan, sg.nodes.first?.groupId ?? sg.cluster.groupId, "ingress"),
                "no node security group accepts all traffic from the nodes' groups (\(sg.plan.nodeGroupIds.joined(separator: ", "))): "
                    + "pod-to-pod traffic across nodes and CoreDNS on 53 break",
                fix: "Add an inbound rule for all traffic from the node security group itself.")]
        },
        PlanRule("SG-004") { inputs, rule in
            // Nodes reach the API server (the control plane's ENIs, in the cluster security group) on 443.
            guard let sg = section(inputs) else { return [] }
            let api = Need(protocolName: "tcp", port: 443)
            let closed = sg.plan.nodeGroupIds.filter { !allows(sg.cluster, ingress: true, api, peer: $0, vpcBlocks: sg.vpc) }
            guard !closed.isEmpty else { return [] }
            return [rule.finding(
                pointer(sg.plan, sg.cluster.groupId, "ingress"),
                "the cluster security group \(sg.cluster.groupId) does not accept TCP 443 from \(closed.joined(separator: ", ")): "
                    + "nodes cannot reach the API server and never join",
                fix: "Allow inbound TCP 443 from the node security group(s) on \(sg.cluster.groupId).")]
        },
        PlanRule("SG-005") { inputs, rule in
            // Restricted node egress still needs 443 to the EKS API, ECR, STS and S3 (through NAT or endpoints);
            // IPv4 and IPv6 rules are separate, so an IPv6 cluster needs ::/0 as well.
            guard let sg = section(inputs) else { return [] }
            let https = Need(protocolName: "tcp", port: 443)
            let anywhere = [try! CIDRBlock(parsing: "0.0.0.0/0")]
            let restricted = sg.nodes.filter { node in
                node.egress != nil && !allows(node, ingress: false, https, peer: "", vpcBlocks: anywhere)
            }
            return restricted.map { node in
                rule.finding(
                    pointer(sg.plan, node.groupId, "egress"),
                    "node security group \(node.groupId) restricts outbound traffic without TCP 443 to 0.0.0.0/0: nodes reach "
                        + "the EKS API, ECR, STS and S3 only if other rules or VPC endpoints' groups allow it",
                    fix: "Allow outbound TCP 443 to 0.0.0.0/0 (and to ::/0 for IPv6), or to the VPC endpoints' security groups.")
            }
        },
        PlanRule("SG-006") { inputs, rule in
            guard inputs.plan.securityGroups == nil else { return [] }
            return [rule.finding(
                "/securityGroups",
                "security-group checks (SG-001…SG-005) were not run: the plan has no securityGroups section",
                fix: "Add securityGroups (the cluster security group, the nodes' groups and their rules), or audit the VPC with describe-security-groups output.")]
        },
    ]
}
