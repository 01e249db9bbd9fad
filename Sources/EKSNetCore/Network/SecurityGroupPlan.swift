/// A plan's security groups (optional): the cluster security group EKS creates, the groups on the nodes, and their
/// rules in the shape `aws ec2 describe-security-groups` prints (IpPermissions, IpPermissionsEgress), simplified
/// to one peer per rule.
public struct SecurityGroupPlan: Hashable, Codable, Sendable {
    /// The cluster security group (`resourcesVpcConfig.clusterSecurityGroupId`): on the control plane's ENIs and,
    /// by default, on managed nodes.
    public var clusterSecurityGroupId: String
    /// The groups on the nodes; nil: the cluster security group alone (what EKS managed node groups get).
    public var nodeSecurityGroupIds: [String]?
    public var groups: [SecurityGroup]

    public init(clusterSecurityGroupId: String, nodeSecurityGroupIds: [String]? = nil, groups: [SecurityGroup]) {
        self.clusterSecurityGroupId = clusterSecurityGroupId
        self.nodeSecurityGroupIds = nodeSecurityGroupIds
        self.groups = groups
    }

    /// The groups the nodes carry.
    public var nodeGroupIds: [String] { nodeSecurityGroupIds ?? [clusterSecurityGroupId] }

    public func group(_ id: String) -> SecurityGroup? { groups.first { $0.groupId == id } }
}

public struct SecurityGroup: Hashable, Codable, Sendable {
    public var groupId: String
    public var ingress: [SecurityGroupRule]
    /// Nil: AWS's default egress rule, all traffic to 0.0.0.0/0, is in place.
    public var egress: [SecurityGroupRule]?

    public init(groupId: String, ingress: [SecurityGroupRule], egress: [SecurityGroupRule]? = nil) {
        self.groupId = groupId
        self.ingress = ingress
        self.egress = egress
    }
}

public struct SecurityGroupRule: Hashable, Codable, Sendable {
    /// `tcp`, `udp`, `icmp`, `icmpv6` or `-1` (all traffic), as EC2 writes it (`6` and `17` are read as tcp, udp).
    public var ipProtocol: String
    /// Nil with tcp or udp: every port.
    public var fromPort: Int?
    public var toPort: Int?
    /// The peer: a security group, or an IPv4 block.
    public var securityGroupId: String?
    public var cidrBlock: String?

    public init(ipProtocol: String, fromPort: Int? = nil, toPort: Int? = nil, securityGroupId: String? = nil, cidrBlock: String? = nil) {
        self.ipProtocol = ipProtocol
        self.fromPort = fromPort
        self.toPort = toPort
        self.securityGroupId = securityGroupId
        self.cidrBlock = cidrBlock
    }

    /// AWS's default egress rule.
    public static let allTrafficAnywhere = SecurityGroupRule(ipProtocol: "-1", cidrBlock: "0.0.0.0/0")

    /// The protocol in EC2's lower-case words: `-1` for all traffic.
    public var normalizedProtocol: String {
        switch ipProtocol.lowercased() {
        case "-1", "all": return "-1"
        case "6": return "tcp"
        case "17": return "udp"
        case "1": return "icmp"
        case "58": return "icmpv6"
        case let other: return other
        }
    }

    /// Whether this rule lets `protocol` (`tcp`, `udp`, or `-1` for all traffic) on `port` through from or to the
    /// peer security group, given the VPC's blocks: a CIDR rule covering every VPC block reaches any group in it.
    public func allows(_ protocolName: String, port: Int?, peerGroup: String, vpcBlocks: [CIDRBlock]) -> Bool {
        let ruleProtocol = normalizedProtocol
        if protocolName == "-1" {
            guard ruleProtocol == "-1" else { return false }
        } else if ruleProtocol != "-1" {
            guard ruleProtocol == protocolName else { return false }
            if let port, let from = fromPort, let to = toPort, from >= 0, !(from...max(from, to)).contains(port) { return false }
        }
        if securityGroupId == peerGroup { return true }
        guard let text = cidrBlock, let block = try? CIDRBlock(parsing: text), !vpcBlocks.isEmpty else { return false }
        return vpcBlocks.allSatisfy { block.contains($0) }
    }
}

extension SecurityGroupPlan {
    static let protocols: Set<String> = ["-1", "tcp", "udp", "icmp", "icmpv6"]

    /// What makes the section impossible to judge: a group named but not listed, a rule without exactly one peer,
    /// an unknown protocol, ports outside 0–65535, a peer block that does not parse. Bounded like every list.
    public func check(at pointer: JSONPointer, into issues: inout IssueCollector) {
        issues.check(groups.count, in: 1...100, at: pointer / "groups", "the number of security groups")
        let known = Set(groups.map(\.groupId))
        if !known.contains(clusterSecurityGroupId) {
            issues.add(pointer / "clusterSecurityGroupId", "\(clusterSecurityGroupId.prefix(64)) is not among groups")
        }
        for (index, id) in (nodeSecurityGroupIds ?? []).enumerated() where !known.contains(id) {
            issues.add(pointer / "nodeSecurityGroupIds" / index, "\(id.prefix(64)) is not among groups")
        }
        for (index, group) in groups.prefix(100).enumerated() {
            let groupPointer = pointer / "groups" / index
            for (direction, rules) in [("ingress", group.ingress), ("egress", group.egress ?? [])] {
                issues.check(rules.count, in: 0...500, at: groupPointer / direction, "the number of rules")
                for (position, rule) in rules.prefix(500).enumerated() {
                    let rulePointer = groupPointer / direction / position
                    if !Self.protocols.contains(rule.normalizedProtocol) {
                        issues.add(rulePointer / "ipProtocol", "'\(rule.ipProtocol.prefix(16))' is not tcp, udp, icmp, icmpv6 or -1 (all)")
                    }
                    for (name, port) in [("fromPort", rule.fromPort), ("toPort", rule.toPort)] {
                        if let port { issues.check(port, in: -1...65535, at: rulePointer / name, name) }
                    }
                    if (rule.securityGroupId == nil) == (rule.cidrBlock == nil) {
                        issues.add(rulePointer, "a rule names one peer: securityGroupId or cidrBlock")
                    }
                    if let text = rule.cidrBlock, (try? CIDRBlock(parsing: text)) == nil {
                        issues.add(rulePointer / "cidrBlock", "'\(text.prefix(64))' is not an IPv4 CIDR block")
                    }
                }
            }
        }
    }
}
