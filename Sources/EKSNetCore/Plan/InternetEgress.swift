/// How nodes in a subnet reach ECR, S3, STS and the EKS API over the internet, worked out from the route and
/// what it leads to — not from the name of the route target.
public enum InternetEgress: Hashable, Sendable {
    /// 0.0.0.0/0 to an internet gateway (the node needs a public IPv4 or IPv6 address: NG-001).
    case internetGateway
    /// A public NAT gateway of the plan, in a subnet that routes to an internet gateway (nil: the plan routes to
    /// "nat" and describes no NAT gateway, so a public one is assumed).
    case publicNATGateway(id: String?)
    /// A NAT instance or firewall appliance (an instance or ENI route).
    case appliance
    /// A transit or virtual private gateway into a network the plan says carries internet traffic.
    case connectedNetwork
    /// No internet path, and why.
    case none(reason: String)

    public var reachesInternet: Bool {
        if case .none = self { return false }
        return true
    }

    /// Resolves one subnet's default route against the plan's NAT gateways and connected networks.
    static func resolve(
        _ route: RouteTarget, natGateways: [ClusterPlan.NATGateway], natSubnetReachesInternetGateway: (String) -> Bool,
        connectedNetworkEgress: Bool
    ) -> InternetEgress {
        func works(_ nat: ClusterPlan.NATGateway) -> Bool {
            nat.connectivityType?.lowercased() != "private" && natSubnetReachesInternetGateway(nat.subnetId)
        }
        switch route {
        case .internetGateway:
            return .internetGateway
        case .natGateway(let id?):
            guard let nat = natGateways.first(where: { $0.natGatewayId.lowercased() == id }) else {
                return .none(reason: "its NAT gateway \(id) is not among the plan's natGateways")
            }
            if nat.connectivityType?.lowercased() == "private" {
                return .none(reason: "its NAT gateway \(nat.natGatewayId) is private (connectivityType private reaches other networks, not the internet)")
            }
            guard works(nat) else {
                return .none(reason: "its NAT gateway \(nat.natGatewayId) sits in \(nat.subnetId), whose 0.0.0.0/0 does not go to an internet gateway")
            }
            return .publicNATGateway(id: nat.natGatewayId)
        case .natGateway(nil):
            if natGateways.isEmpty { return .publicNATGateway(id: nil) }
            return natGateways.contains(where: works)
                ? .publicNATGateway(id: nil)
                : .none(reason: "the plan's NAT gateways are private or sit in subnets without an internet gateway route")
        case .transitGateway, .virtualPrivateGateway:
            return connectedNetworkEgress
                ? .connectedNetwork
                : .none(reason: "its 0.0.0.0/0 goes to a \(route.kind == "tgw" ? "transit" : "virtual private") gateway and no connected network says it provides internet egress")
        case .peeringConnection:
            return .none(reason: "its 0.0.0.0/0 goes to a VPC peering connection, which does not route onward to the internet")
        case .egressOnlyInternetGateway, .vpcEndpoint:
            return .none(reason: "its 0.0.0.0/0 goes to \(route.kind), which carries no IPv4 internet traffic")
        case .networkInterface:
            return .appliance
        case .none:
            return .none(reason: "it has no 0.0.0.0/0 route")
        }
    }
}
