/// A subnet as a plan, a tag request or a derived audit plan describes it, in DescribeSubnets' vocabulary. Route
/// targets, zone type and role are words here; `SubnetTable` parses them once into `RouteTarget`, `ZoneType` and
/// `SubnetRole`.
public struct PlannedSubnet: Hashable, Codable, Sendable {
    public var subnetId: String
    public var availabilityZone: String
    /// The zone ID (`use1-az1`): names are shuffled per account, IDs are not.
    public var availabilityZoneId: String?
    public var cidrBlock: String
    public var ipv6CidrBlock: String?
    /// Target of the 0.0.0.0/0 route: `igw` (public), `nat`, `tgw`, `vgw`, `pcx`, `instance`, or `none`.
    public var defaultRoute: String?
    /// Target of the ::/0 route: `eigw`, `igw` or `none`.
    public var ipv6DefaultRoute: String?
    /// `explicit` (its own route table) or `main` (inherits the VPC's main route table).
    public var routeTableAssociation: String?
    public var mapPublicIpOnLaunch: Bool?
    public var assignIpv6AddressOnCreation: Bool?
    public var enableDns64: Bool?
    /// Free addresses now, for subnets that exist (DescribeSubnets' AvailableIpAddressCount).
    public var availableIpAddressCount: Int?
    public var tags: [String: String]?
    /// The role the plan intends: `public` or `private` (checked against the route).
    public var role: String?
    /// `availability-zone` (default), `local-zone`, `wavelength-zone`.
    public var zoneType: String?
    public var outpostArn: String?
    /// The subnet has a CIDR reservation of type prefix (for prefix delegation).
    public var prefixReservation: Bool?
    /// The block of that reservation (`10.0.8.0/22`), when known: its aligned /28 blocks are kept for prefixes.
    public var prefixReservationCidr: String?

    public init(
        subnetId: String, availabilityZone: String, availabilityZoneId: String? = nil, cidrBlock: String,
        defaultRoute: String? = nil, mapPublicIpOnLaunch: Bool? = nil, availableIpAddressCount: Int? = nil,
        tags: [String: String]? = nil
    ) {
        self.subnetId = subnetId
        self.availabilityZone = availabilityZone
        self.availabilityZoneId = availabilityZoneId
        self.cidrBlock = cidrBlock
        self.defaultRoute = defaultRoute
        self.mapPublicIpOnLaunch = mapPublicIpOnLaunch
        self.availableIpAddressCount = availableIpAddressCount
        self.tags = tags
    }
}

extension PlannedSubnet: SubnetDescribing {
    /// How many subnets a plan or a tag request may describe, and how many ids one reference list may name.
    public static let countRange = 1...500
    public static let referenceCountRange = 0...500

    /// A planned subnet's routes, zone and role, typed.
    public struct Facts: Hashable, Sendable {
        /// Target of the 0.0.0.0/0 route.
        public let defaultRoute: RouteTarget
        /// Target of the ::/0 route.
        public let ipv6DefaultRoute: RouteTarget
        public let zoneType: ZoneType
        public let role: SubnetRole?
        public let routeTableAssociation: RouteTableAssociation?
        /// A prefix-type subnet CIDR reservation's block (prefix delegation only).
        public let prefixReservation: CIDRBlock?

        /// Its 0.0.0.0/0 route goes to an internet gateway (the one definition EKS, the LB controller and the
        /// in-tree provider use).
        public var isPublic: Bool { defaultRoute.isInternetGateway }
    }

    public func resolveFacts(block: CIDRBlock, at pointer: JSONPointer, into issues: inout IssueCollector) -> Facts? {
        var usable = true
        let route = RouteTarget(parsing: defaultRoute)
        if route == nil {
            issues.add(pointer / "defaultRoute", "'\(defaultRoute?.prefix(60) ?? "")' is not a route target: \(RouteTarget.accepted)")
            usable = false
        }
        let ipv6Route = RouteTarget(parsing: ipv6DefaultRoute)
        if ipv6Route == nil {
            issues.add(
                pointer / "ipv6DefaultRoute", "'\(ipv6DefaultRoute?.prefix(60) ?? "")' is not a route target: \(RouteTarget.accepted)")
            usable = false
        }
        let zone = ZoneType(parsing: zoneType, outpostArn: outpostArn)
        if zone == nil {
            issues.add(pointer / "zoneType", "'\(zoneType?.prefix(40) ?? "")' is not a zone type: \(ZoneType.accepted)")
            usable = false
        }
        var parsedRole: SubnetRole?
        if let role {
            parsedRole = SubnetRole(parsing: role)
            if parsedRole == nil {
                issues.add(pointer / "role", "'\(role.prefix(40))' is not a subnet role: \(SubnetRole.accepted)")
                usable = false
            }
        }
        var association: RouteTableAssociation?
        if let routeTableAssociation {
            association = RouteTableAssociation(parsing: routeTableAssociation)
            if association == nil {
                issues.add(pointer / "routeTableAssociation", "'\(routeTableAssociation.prefix(40))' is not explicit or main")
                usable = false
            }
        }
        if let ipv6CidrBlock, !IPv6Block.looksValid(ipv6CidrBlock) {
            issues.add(pointer / "ipv6CidrBlock", "'\(ipv6CidrBlock.prefix(60))' is not an IPv6 CIDR block such as 2600:1f18:1:100::/64")
        }
        var reservation: CIDRBlock?
        if let text = prefixReservationCidr {
            if let parsed = try? CIDRBlock(parsing: text), block.contains(parsed), parsed.prefixLength <= 28 {
                reservation = parsed
            } else {
                issues.add(pointer / "prefixReservationCidr", "'\(text.prefix(60))' must be a /28 or larger block inside \(block)")
                usable = false
            }
        }
        guard usable, let route, let ipv6Route, let zone else { return nil }
        return Facts(
            defaultRoute: route, ipv6DefaultRoute: ipv6Route, zoneType: zone, role: parsedRole,
            routeTableAssociation: association, prefixReservation: reservation)
    }
}
