/// Where a route sends traffic, in the plan's words: a kind (`igw`, `nat`, …) or a resource id (`nat-0abc…`).
/// Parsed once; rules read the case, never the text.
public enum RouteTarget: Hashable, Sendable {
    case internetGateway(id: String?)
    /// A NAT gateway; whether it is public or private is the plan's `natGateways` entry for the id.
    case natGateway(id: String?)
    case transitGateway(id: String?)
    case virtualPrivateGateway(id: String?)
    /// A VPC peering connection (no edge-to-edge routing through the peer).
    case peeringConnection(id: String?)
    /// IPv6 only: outbound without inbound.
    case egressOnlyInternetGateway(id: String?)
    /// A gateway VPC endpoint or a Gateway Load Balancer endpoint.
    case vpcEndpoint(id: String?)
    /// An instance or an ENI (a NAT or firewall appliance).
    case networkInterface(id: String?)
    /// No such route.
    case none

    /// The kinds as a plan may write them, and the resource-id prefix of each.
    static let spellings: [(kind: String, idPrefix: [String], make: @Sendable (String?) -> RouteTarget)] = [
        ("igw", ["igw-"], { .internetGateway(id: $0) }),
        ("nat", ["nat-"], { .natGateway(id: $0) }),
        ("tgw", ["tgw-"], { .transitGateway(id: $0) }),
        ("vgw", ["vgw-"], { .virtualPrivateGateway(id: $0) }),
        ("pcx", ["pcx-"], { .peeringConnection(id: $0) }),
        ("eigw", ["eigw-"], { .egressOnlyInternetGateway(id: $0) }),
        ("vpce", ["vpce-"], { .vpcEndpoint(id: $0) }),
        ("instance", ["i-", "eni-"], { .networkInterface(id: $0) }),
    ]

    /// The words accepted, for messages.
    public static let accepted = "igw, nat, tgw, vgw, pcx, eigw, vpce, instance or none, or a resource id such as nat-0abc123"

    /// `igw`, `IGW`, `igw-0abc`, `nat`, `nat-0abc`, `i-0abc`, `eni-0abc`, `none` or nothing; nil for anything else.
    public init?(parsing text: String?) {
        guard let text, !text.isEmpty else {
            self = .none
            return
        }
        let lowered = text.lowercased()
        if lowered == "none" {
            self = .none
            return
        }
        for spelling in Self.spellings {
            if lowered == spelling.kind {
                self = spelling.make(nil)
                return
            }
            for prefix in spelling.idPrefix where lowered.hasPrefix(prefix) && lowered.count > prefix.count {
                let suffix = lowered.dropFirst(prefix.count)
                guard suffix.count <= 32, suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    return nil
                }
                self = spelling.make(lowered)
                return
            }
        }
        return nil
    }

    /// The route goes to an internet gateway: what makes a subnet public for EKS, the AWS Load Balancer Controller
    /// and the in-tree cloud provider.
    public var isInternetGateway: Bool {
        if case .internetGateway = self { return true }
        return false
    }

    public var isNATGateway: Bool {
        if case .natGateway = self { return true }
        return false
    }

    /// The route goes somewhere (NAT, transit gateway, appliance, internet gateway…).
    public var exists: Bool { self != .none }

    /// The resource the route names (`nat-0abc`), when the plan named one.
    public var resourceId: String? {
        switch self {
        case .internetGateway(let id), .natGateway(let id), .transitGateway(let id), .virtualPrivateGateway(let id),
            .peeringConnection(let id), .egressOnlyInternetGateway(let id), .vpcEndpoint(let id), .networkInterface(let id):
            id
        case .none: nil
        }
    }

    /// The kind as plans write it (`igw`, `nat`, …, `none`).
    public var kind: String {
        switch self {
        case .internetGateway: "igw"
        case .natGateway: "nat"
        case .transitGateway: "tgw"
        case .virtualPrivateGateway: "vgw"
        case .peeringConnection: "pcx"
        case .egressOnlyInternetGateway: "eigw"
        case .vpcEndpoint: "vpce"
        case .networkInterface: "instance"
        case .none: "none"
        }
    }
}
