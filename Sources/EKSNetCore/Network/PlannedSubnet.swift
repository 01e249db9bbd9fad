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
    /// The subnet's effective route table, destination → target (`{"0.0.0.0/0": "nat-0abc", "10.8.0.0/16": "tgw-0123"}`):
    /// the load-balancer controller calls a subnet public when *any* route targets an internet gateway, not only the
    /// default one. `defaultRoute` and `ipv6DefaultRoute` may be left out when these carry 0.0.0.0/0 and ::/0.
    public var routes: [String: String]?
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
        /// Every route but the VPC's local ones, the default routes included, ordered by destination.
        public let routes: [SubnetRoute]
        /// Some route targets an internet gateway (public as the LB controller's
        /// `isSubnetContainsRouteToIGW`, the in-tree provider's `isSubnetPublic`, EKS's own definition).
        public let isPublic: Bool
        public let zoneType: ZoneType
        public let role: SubnetRole?
        public let routeTableAssociation: RouteTableAssociation?
        /// A prefix-type subnet CIDR reservation's block (prefix delegation only).
        public let prefixReservation: CIDRBlock?

        init(
            defaultRoute: RouteTarget, ipv6DefaultRoute: RouteTarget, routes: [SubnetRoute], zoneType: ZoneType,
            role: SubnetRole?, routeTableAssociation: RouteTableAssociation?, prefixReservation: CIDRBlock?
        ) {
            self.defaultRoute = defaultRoute
            self.ipv6DefaultRoute = ipv6DefaultRoute
            var all = routes
            if defaultRoute.exists, !all.contains(where: \.destination.isIPv4Default) {
                all.append(SubnetRoute(destination: .ipv4(CIDRBlock.everything), target: defaultRoute))
            }
            if ipv6DefaultRoute.exists, !all.contains(where: \.destination.isIPv6Default) {
                all.append(SubnetRoute(destination: .ipv6("::/0"), target: ipv6DefaultRoute))
            }
            self.routes = all.sorted { $0.destination.description < $1.destination.description }
            self.isPublic = all.contains { $0.target.isInternetGateway }
            self.zoneType = zoneType
            self.role = role
            self.routeTableAssociation = routeTableAssociation
            self.prefixReservation = prefixReservation
        }
    }

    /// Whether some route of this subnet, as written, targets an internet gateway (the audit's public/private split
    /// before the plan is resolved; the same definition as `Facts.isPublic`).
    public var routesToInternetGateway: Bool {
        ([defaultRoute, ipv6DefaultRoute] + (routes ?? [:]).values.map(Optional.some))
            .contains { RouteTarget(parsing: $0)?.isInternetGateway ?? false }
    }

    /// The routes map, typed: local routes dropped, the 0.0.0.0/0 and ::/0 targets returned apart.
    func resolveRoutes(at pointer: JSONPointer, into issues: inout IssueCollector)
        -> (routes: [SubnetRoute], ipv4Default: RouteTarget?, ipv6Default: RouteTarget?, usable: Bool)
    {
        guard let given = routes else { return ([], nil, nil, true) }
        guard given.count <= SubnetRoute.countRange.upperBound else {
            issues.add(pointer, "\(given.count) routes; a route table holds at most \(SubnetRoute.countRange.upperBound)")
            return ([], nil, nil, false)
        }
        var usable = true
        var parsed: [SubnetRoute] = []
        var ipv4Default: RouteTarget?
        var ipv6Default: RouteTarget?
        for (text, targetText) in given.sorted(by: { $0.key < $1.key }) {
            let at = pointer / text
            guard let destination = SubnetRoute.Destination(parsing: text) else {
                issues.add(at, "'\(text.prefix(60))' is not a route destination: \(SubnetRoute.Destination.accepted)")
                usable = false
                continue
            }
            if targetText.lowercased() == "local" { continue }
            guard let target = RouteTarget(parsing: targetText), target.exists else {
                issues.add(at, "'\(targetText.prefix(60))' is not a route target: local or \(RouteTarget.accepted.replacingOccurrences(of: " or none", with: ""))")
                usable = false
                continue
            }
            parsed.append(SubnetRoute(destination: destination, target: target))
            if destination.isIPv4Default { ipv4Default = target }
            if destination.isIPv6Default { ipv6Default = target }
        }
        return (parsed, ipv4Default, ipv6Default, usable)
    }

    /// The default route as `defaultRoute` (or `ipv6DefaultRoute`) writes it and as `routes` writes it must agree;
    /// the one that names a resource wins.
    static func reconcile(
        _ field: String?, parsed: RouteTarget?, fromRoutes: RouteTarget?, destination: String, at pointer: JSONPointer,
        into issues: inout IssueCollector
    ) -> RouteTarget? {
        guard let parsed else { return nil }
        guard let fromRoutes else { return parsed }
        guard let field, !field.isEmpty else { return fromRoutes }
        guard SubnetRoute.agree(parsed, fromRoutes) else {
            issues.add(pointer, "'\(field.prefix(60))' disagrees with routes[\"\(destination)\"], \(fromRoutes.resourceId ?? fromRoutes.kind)")
            return nil
        }
        return parsed.resourceId == nil ? fromRoutes : parsed
    }

    public func resolveFacts(block: CIDRBlock, at pointer: JSONPointer, into issues: inout IssueCollector) -> Facts? {
        var usable = true
        let table = resolveRoutes(at: pointer / "routes", into: &issues)
        usable = usable && table.usable
        var route = RouteTarget(parsing: defaultRoute)
        if route == nil {
            issues.add(pointer / "defaultRoute", "'\(defaultRoute?.prefix(60) ?? "")' is not a route target: \(RouteTarget.accepted)")
            usable = false
        }
        route = Self.reconcile(
            defaultRoute, parsed: route, fromRoutes: table.ipv4Default, destination: "0.0.0.0/0", at: pointer / "defaultRoute",
            into: &issues)
        var ipv6Route = RouteTarget(parsing: ipv6DefaultRoute)
        if ipv6Route == nil {
            issues.add(
                pointer / "ipv6DefaultRoute", "'\(ipv6DefaultRoute?.prefix(60) ?? "")' is not a route target: \(RouteTarget.accepted)")
            usable = false
        }
        ipv6Route = Self.reconcile(
            ipv6DefaultRoute, parsed: ipv6Route, fromRoutes: table.ipv6Default, destination: "::/0",
            at: pointer / "ipv6DefaultRoute", into: &issues)
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
            defaultRoute: route, ipv6DefaultRoute: ipv6Route, routes: table.routes, zoneType: zone, role: parsedRole,
            routeTableAssociation: association, prefixReservation: reservation)
    }
}
