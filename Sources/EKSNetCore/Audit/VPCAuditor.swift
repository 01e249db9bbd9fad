/// Turns AWS CLI output into a plan (public/private from the route tables with the main-table fallback, tags,
/// free addresses, MapPublicIpOnLaunch, endpoints) and evaluates it. Missing or unknown pieces become findings
/// (AUD-…), not errors.
public enum VPCAuditor {
    /// A VPC as the AWS output describes it, turned into a plan that resolved cleanly: what is left is to
    /// evaluate it (the part a job runs).
    public struct Derived: Sendable {
        public let plan: ClusterPlan
        let context: PlanContext
        /// The audit's own findings about missing or unknown pieces.
        let notes: [PlanFinding]
    }

    /// Derives and evaluates in one call.
    public static func audit(_ request: AuditRequest, aws: AWSData) throws(ValidationFailure)
        -> AuditResult
    {
        evaluate(try derive(request, aws: aws))
    }

    /// Evaluates a derived plan, the audit's own findings first among equals.
    public static func evaluate(_ derived: Derived) -> AuditResult {
        var evaluation = PlanEvaluator.evaluate(derived.context)
        evaluation.findings = (derived.notes + evaluation.findings).sorted { ($0.severity, $0.ruleId) < ($1.severity, $1.ruleId) }
        evaluation.summary = PlanEvaluation.Summary(
            errors: evaluation.findings.filter { $0.severity == .error }.count,
            warnings: evaluation.findings.filter { $0.severity == .warning }.count,
            info: evaluation.findings.filter { $0.severity == .info }.count)
        evaluation.verdict =
            evaluation.summary.errors > 0 ? .blocked : evaluation.summary.warnings > 0 ? .readyWithWarnings : .ready
        return AuditResult(plan: derived.plan, evaluation: evaluation)
    }

    /// Turns the AWS output into a plan and resolves it; throws what makes a plan impossible (at once, before
    /// any job).
    public static func derive(
        _ request: AuditRequest, aws: AWSData, unknownFields: [UnknownField] = []
    ) throws(ValidationFailure) -> Derived {
        var notes: [PlanFinding] = []
        func note(_ id: String, _ pointer: String, _ message: String, fix: String) {
            let severity = PlanRuleCatalog.rule(id)?.severity ?? .info
            notes.append(PlanFinding(id, severity, pointer, message, fix: fix))
        }
        let vpcs = request.describeVpcs.Vpcs
        guard !vpcs.isEmpty else {
            throw ValidationFailure([FieldIssue(pointer: "/describeVpcs/Vpcs", message: "describe-vpcs lists no VPC")])
        }
        let vpc: AWSDescribe.Vpc
        if let id = request.vpcId {
            guard let found = vpcs.first(where: { $0.VpcId == id }) else {
                throw ValidationFailure([FieldIssue(pointer: "/vpcId", message: "\(id.prefix(64)) is not in describe-vpcs")])
            }
            vpc = found
        } else {
            vpc = vpcs[0]
            if vpcs.count > 1 {
                note("AUD-001", "/describeVpcs/Vpcs", "describe-vpcs lists \(vpcs.count) VPCs; audited \(vpc.VpcId), the first",
                     fix: "Pass vpcId, or describe one VPC (--vpc-ids).")
            }
        }
        let associated = (vpc.CidrBlockAssociationSet ?? [])
            .filter { ($0.CidrBlockState?.State ?? "associated") == "associated" }.map(\.CidrBlock)
        var cidrBlocks = [vpc.CidrBlock].compactMap { $0 }
        for block in associated where !cidrBlocks.contains(block) { cidrBlocks.append(block) }
        let ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? []).compactMap(\.Ipv6CidrBlock)

        let subnets = request.describeSubnets.Subnets.filter { ($0.VpcId ?? vpc.VpcId) == vpc.VpcId }
        if subnets.count < request.describeSubnets.Subnets.count {
            note("AUD-002", "/describeSubnets", "\(request.describeSubnets.Subnets.count - subnets.count) subnets of other VPCs were left out",
                 fix: "Filter with --filters Name=vpc-id,Values=\(vpc.VpcId).")
        }

        // Each subnet's effective route table: its own association, else the VPC's main table.
        let tables = (request.describeRouteTables?.RouteTables ?? []).filter { ($0.VpcId ?? vpc.VpcId) == vpc.VpcId }
        if request.describeRouteTables == nil {
            note("AUD-003", "/describeRouteTables",
                 "no route tables given: every subnet is taken as private without egress, so public/private checks are guesses",
                 fix: "Add the output of aws ec2 describe-route-tables --filters Name=vpc-id,Values=\(vpc.VpcId).")
        }
        let main = tables.first { ($0.Associations ?? []).contains { $0.Main == true } }
        func table(for subnet: String) -> (AWSDescribe.RouteTable?, explicit: Bool) {
            if let own = tables.first(where: { ($0.Associations ?? []).contains { $0.SubnetId == subnet } }) {
                return (own, true)
            }
            return (main, false)
        }
        // Every route of the table, destination → target id: the LB controller calls a subnet public when any route
        // targets an internet gateway, and egress follows the NAT gateway a route names. Without
        // describe-nat-gateways a NAT id is kept as the word "nat" (AUD-004), so an id the plan cannot list does not
        // read as "no egress".
        let namesNATGateways = request.describeNatGateways != nil
        func routes(_ table: AWSDescribe.RouteTable?) -> [String: String] {
            var map: [String: String] = [:]
            for route in table?.Routes ?? [] where route.State != "blackhole" {
                guard let destination = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId,
                    let target = route.target(namingNATGateways: namesNATGateways)
                else { continue }
                map[destination] = target
            }
            return map
        }
        /// The kind of the route to `destination`, as the plan's defaultRoute words it.
        func kind(_ routes: [String: String], _ destination: String) -> String? {
            routes[destination].flatMap { RouteTarget(parsing: $0)?.kind }
        }

        var planSubnets: [ClusterPlan.Subnet] = []
        var tableOfSubnet: [String: String] = [:]
        for subnet in subnets {
            let (routeTable, explicit) = table(for: subnet.SubnetId)
            tableOfSubnet[subnet.SubnetId] = routeTable?.RouteTableId
            let routeMap = routes(routeTable)
            var item = ClusterPlan.Subnet(
                subnetId: subnet.SubnetId, availabilityZone: subnet.AvailabilityZone,
                availabilityZoneId: subnet.AvailabilityZoneId, cidrBlock: subnet.CidrBlock,
                defaultRoute: kind(routeMap, "0.0.0.0/0") ?? "none", mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch,
                availableIpAddressCount: subnet.AvailableIpAddressCount,
                tags: Dictionary((subnet.Tags ?? []).map { ($0.Key, $0.Value ?? "") }, uniquingKeysWith: { $1 }))
            item.ipv6CidrBlock = subnet.Ipv6CidrBlockAssociationSet?.compactMap(\.Ipv6CidrBlock).first
            item.ipv6DefaultRoute = kind(routeMap, "::/0")
            item.routes = routeMap.isEmpty ? nil : routeMap
            item.assignIpv6AddressOnCreation = subnet.AssignIpv6AddressOnCreation
            item.enableDns64 = subnet.EnableDns64
            item.outpostArn = subnet.OutpostArn
            item.routeTableAssociation = routeTable == nil ? nil : explicit ? "explicit" : "main"
            planSubnets.append(item)
        }

        let nats = (request.describeNatGateways?.NatGateways ?? [])
            .filter { ($0.VpcId ?? vpc.VpcId) == vpc.VpcId && !["deleted", "deleting", "failed"].contains($0.State ?? "available") }
            .compactMap { nat -> ClusterPlan.NATGateway? in
                guard let subnet = nat.SubnetId, subnets.contains(where: { $0.SubnetId == subnet }) else { return nil }
                return ClusterPlan.NATGateway(natGatewayId: nat.NatGatewayId, subnetId: subnet, connectivityType: nat.ConnectivityType)
            }
        if request.describeNatGateways == nil && planSubnets.contains(where: { $0.defaultRoute == "nat" }) {
            note("AUD-004", "/describeNatGateways", "routes point at NAT gateways, but describe-nat-gateways was not given; "
                 + "their placement is not checked", fix: "Add aws ec2 describe-nat-gateways --filter Name=vpc-id,Values=\(vpc.VpcId).")
        }
        let endpoints = (request.describeVpcEndpoints?.VpcEndpoints ?? [])
            .filter { ($0.VpcId ?? vpc.VpcId) == vpc.VpcId && ($0.State ?? "available").lowercased() == "available" }
            .map { endpoint -> ClusterPlan.VPCEndpoint in
                var item = ClusterPlan.VPCEndpoint(service: endpoint.ServiceName)
                item.type = endpoint.VpcEndpointType
                item.subnetIds = endpoint.SubnetIds.map { ids in ids.filter { id in subnets.contains { $0.SubnetId == id } } }
                item.privateDnsEnabled = endpoint.PrivateDnsEnabled
                if let tables = endpoint.RouteTableIds {
                    item.routeTableSubnetIds = planSubnets.map(\.subnetId).filter { tableOfSubnet[$0].map(tables.contains) ?? false }
                }
                return item
            }

        let hostnames = request.dnsHostnames?.EnableDnsHostnames?.Value
        let support = request.dnsSupport?.EnableDnsSupport?.Value
        if request.dnsHostnames == nil || request.dnsSupport == nil {
            note("AUD-005", "/dnsHostnames", "DNS attributes not given: DNS-001 and DNS-002 are not checked",
                 fix: "Add aws ec2 describe-vpc-attribute --vpc-id \(vpc.VpcId) --attribute enableDnsHostnames (and enableDnsSupport).")
        }

        let privateIds = planSubnets.filter { !$0.routesToInternetGateway }.map(\.subnetId)
        var clusterSubnets = request.clusterSubnetIds ?? privateIds
        if request.clusterSubnetIds == nil {
            if clusterSubnets.isEmpty { clusterSubnets = planSubnets.map(\.subnetId) }
            note("AUD-006", "/clusterSubnetIds",
                 "cluster subnets not given: assumed \(clusterSubnets.isEmpty ? "none" : clusterSubnets.joined(separator: ", "))",
                 fix: "Pass clusterSubnetIds: the subnets given (or to be given) to CreateCluster.")
        }
        for (position, group) in (request.nodeGroups ?? []).enumerated() where group.runningNodes == nil {
            let running = min(group.desiredSize ?? group.minSize, group.maxSize)
            note("AUD-007", "/nodeGroups/\(position)/runningNodes",
                 "node group \(group.name): \(running) running nodes assumed (its desired size); describe-subnets already "
                    + "counts their addresses, so only the growth to \(group.maxSize) is budgeted",
                 fix: "Give runningNodes: the nodes the group runs now.")
        }
        let region = request.region ?? planSubnets.first.map { String($0.availabilityZone.dropLast()) } ?? "us-east-1"
        var plan = ClusterPlan(
            clusterName: request.clusterName, region: region, kubernetesVersion: request.kubernetesVersion,
            ipFamily: .ipv4, serviceIpv4Cidr: request.serviceIpv4Cidr, endpointAccess: nil,
            vpc: .init(
                vpcId: vpc.VpcId, cidrBlocks: cidrBlocks, ipv6CidrBlocks: ipv6.isEmpty ? nil : ipv6,
                enableDnsSupport: support, enableDnsHostnames: hostnames),
            subnets: planSubnets, natGateways: nats.isEmpty ? nil : nats,
            vpcEndpoints: endpoints.isEmpty ? nil : endpoints, connectedNetworks: nil, clusterSubnetIds: clusterSubnets,
            nodeGroups: request.nodeGroups?.map { group in
                var group = group
                if group.subnetIds == nil { group.subnetIds = privateIds.isEmpty ? planSubnets.map(\.subnetId) : privateIds }
                // describe-subnets counts the addresses of the nodes that run: taken as the desired size.
                if group.runningNodes == nil { group.runningNodes = min(group.desiredSize ?? group.minSize, group.maxSize) }
                return group
            },
            fargateProfiles: nil, cni: request.cni,
            loadBalancers: request.loadBalancers
                ?? .init(internetFacing: planSubnets.contains(where: \.routesToInternetGateway), internal: true,
                         controllerVersion: nil, dualStack: nil),
            karpenter: request.karpenter)
        plan.securityGroups = securityGroups(request, vpcId: vpc.VpcId, note: note)
        // An existing VPC's attributes are whatever they are: without describe-vpc-attribute output they are
        // unknown (AUD-005), not the defaults of a new VPC.
        return Derived(plan: plan, context: try PlanContext(plan, aws: aws, unsetVPCAttributes: .unknown, unknownFields: unknownFields), notes: notes)
    }

    /// The plan's security groups from describe-security-groups: one rule per peer of each permission. Without the
    /// output the section stays empty and SG-006 says the checks did not run; without a cluster group, AUD-008.
    static func securityGroups(
        _ request: AuditRequest, vpcId: String, note: (String, String, String, String) -> Void
    ) -> SecurityGroupPlan? {
        guard let output = request.describeSecurityGroups else { return nil }
        let inVPC = output.SecurityGroups.filter { $0.VpcId == nil || $0.VpcId == vpcId }.prefix(100)
        let clusterId = request.clusterSecurityGroupId ?? inVPC.first { group in
            group.Tags?.contains { $0.Key == "aws:eks:cluster-name" && $0.Value == request.clusterName } == true
        }?.GroupId
        guard let clusterId else {
            note("AUD-008", "/describeSecurityGroups",
                "no security group is tagged aws:eks:cluster-name=\(request.clusterName.prefix(100)) and clusterSecurityGroupId "
                    + "was not given: SG-001…SG-005 are not checked",
                "Give clusterSecurityGroupId (aws eks describe-cluster --query cluster.resourcesVpcConfig.clusterSecurityGroupId).")
            return nil
        }
        func rules(_ permissions: [AWSDescribe.IpPermission]) -> [SecurityGroupRule] {
            permissions.prefix(500).flatMap { permission in
                let peers = (permission.UserIdGroupPairs ?? []).compactMap(\.GroupId).map { (group: Optional($0), cidr: String?.none) }
                    + (permission.IpRanges ?? []).compactMap(\.CidrIp).map { (group: String?.none, cidr: Optional($0)) }
                return peers.map {
                    SecurityGroupRule(
                        ipProtocol: permission.IpProtocol, fromPort: permission.FromPort, toPort: permission.ToPort,
                        securityGroupId: $0.group, cidrBlock: $0.cidr)
                }
            }
        }
        return SecurityGroupPlan(
            clusterSecurityGroupId: clusterId, nodeSecurityGroupIds: request.nodeSecurityGroupIds,
            groups: inVPC.map { SecurityGroup(groupId: $0.GroupId, ingress: rules($0.IpPermissions ?? []), egress: rules($0.IpPermissionsEgress ?? [])) })
    }
}
