/// The plan grown to the target, evaluated, with what every option needs to know of it: the zones nodes use, the
/// address space taken, and the totals an option's gain is measured against.
struct RemediationSituation {
    let aws: AWSData
    /// The plan at the target sizes.
    let plan: ClusterPlan
    let context: PlanContext
    let evaluation: PlanEvaluation
    /// Node subnets, by position in `plan.subnets`.
    let nodeSubnets: [Int]
    /// The zones nodes run in, in order, with the first node subnet of each.
    let nodeZones: [(zone: String, zoneId: String?, nodeSubnet: Int)]
    /// Blocks no new CIDR or subnet may overlap: the VPC's, its subnets', connected networks and route destinations.
    let taken: [CIDRBlock]

    init(plan: ClusterPlan, aws: AWSData) throws(ValidationFailure) {
        self.aws = aws
        self.plan = plan
        context = try PlanContext(plan, aws: aws)
        evaluation = PlanEvaluator.evaluate(context)
        let ids = Set((plan.nodeGroups ?? []).flatMap { $0.subnetIds ?? [] })
        nodeSubnets = plan.subnets.indices.filter { ids.contains(plan.subnets[$0].subnetId) }
        var zones: [(String, String?, Int)] = []
        for index in nodeSubnets where !zones.contains(where: { $0.0 == plan.subnets[index].availabilityZone }) {
            zones.append((plan.subnets[index].availabilityZone, plan.subnets[index].availabilityZoneId, index))
        }
        nodeZones = zones
        var blocks = context.vpcBlocks.map(\.block) + context.connectedNetworks.map(\.block)
        for entry in context.subnetTable.entries {
            blocks.append(entry.block)
            for route in entry.facts.routes {
                if case .ipv4(let block) = route.destination, block.prefixLength > 0 { blocks.append(block) }
            }
        }
        taken = blocks
    }

    /// Σ headroom over every subnet (negative where short).
    static func headroom(_ evaluation: PlanEvaluation) -> Int { evaluation.subnets.reduce(0) { $0 + $1.headroomAddresses } }

    /// Pods the node groups hold at their max sizes.
    static func podCapacity(_ evaluation: PlanEvaluation) -> Int { evaluation.capacity.reduce(0) { $0 + $1.max.maxPods } }

    /// The first free block of this size inside the VPC's own CIDR blocks (space no subnet uses yet).
    func freeBlockInsideVPC(prefix: Int, avoiding more: [CIDRBlock] = []) -> CIDRBlock? {
        let avoid = context.subnetTable.entries.map(\.block) + more
        for vpcBlock in context.vpcBlocks.map(\.block) where vpcBlock.prefixLength <= prefix {
            guard let candidates = try? vpcBlock.split(into: prefix) else { continue }
            for index in candidates.indices.prefix(65_536) where !avoid.contains(where: { $0.overlaps(candidates[index]) }) {
                return candidates[index]
            }
        }
        return nil
    }

    /// A block of 100.64.0.0/10 (allowed as a secondary CIDR whatever the primary's range) that nothing uses.
    func freeSecondaryBlock(prefix: Int = 16) -> CIDRBlock? {
        guard let candidates = try? LayoutPlanner.podRange.split(into: prefix) else { return nil }
        for index in candidates.indices.prefix(4096) where !taken.contains(where: { $0.overlaps(candidates[index]) }) {
            return candidates[index]
        }
        return nil
    }

    /// The VPC holds its quota's default of 5 IPv4 CIDR blocks.
    var vpcCIDRQuotaReached: Bool { context.vpcBlocks.count >= 5 }

    /// A new subnet in a node zone that routes as that zone's node subnet does.
    func subnet(id: String, in zone: (zone: String, zoneId: String?, nodeSubnet: Int), block: CIDRBlock, role: String, tags: [String: String]) -> ClusterPlan.Subnet {
        let model = plan.subnets[zone.nodeSubnet]
        var subnet = ClusterPlan.Subnet(
            subnetId: id, availabilityZone: zone.zone, availabilityZoneId: zone.zoneId, cidrBlock: block.description,
            defaultRoute: model.defaultRoute, mapPublicIpOnLaunch: false, tags: tags)
        subnet.routes = model.routes
        subnet.ipv6DefaultRoute = model.ipv6DefaultRoute
        subnet.routeTableAssociation = "explicit"
        subnet.role = role
        return subnet
    }

    /// A block for one more new subnet: from the VPC's own free space, else from `secondary` — made on first need
    /// by `makeSecondary` (returned as `associated` then, for the plan and the steps to add). Nil when neither has
    /// room or the VPC cannot take another block.
    func nextBlock(
        prefix: Int, besides newBlocks: [CIDRBlock], secondary: inout CIDRBlock?, makeSecondary: () -> CIDRBlock?
    ) -> (block: CIDRBlock, associated: CIDRBlock?)? {
        if let inside = freeBlockInsideVPC(prefix: prefix, avoiding: newBlocks) { return (inside, nil) }
        var associated: CIDRBlock?
        if secondary == nil {
            guard !vpcCIDRQuotaReached, let made = makeSecondary() else { return nil }
            secondary = made
            associated = made
        }
        guard let pieces = try? secondary?.split(into: prefix) else { return nil }
        guard let piece = pieces.indices.lazy.map({ pieces[$0] }).first(where: { piece in !newBlocks.contains { $0.overlaps(piece) } })
        else { return nil }
        return (piece, associated)
    }

    /// Creating a subnet in a node zone: the subnet, its tags, and the node subnet's route table (unless that one
    /// uses the main table, which a new subnet gets by itself).
    func createSubnetCommands(
        variable: String, zone: (zone: String, zoneId: String?, nodeSubnet: Int), block: CIDRBlock, tags: [String: String]
    ) -> [String] {
        var commands = [
            "\(variable)=$(aws ec2 create-subnet --region \(region) --vpc-id \(plan.vpc.vpcId ?? "VPC_ID") "
                + "--availability-zone \(zone.zone) --cidr-block \(block) --query Subnet.SubnetId --output text)",
            "aws ec2 create-tags --region \(region) --resources \"$\(variable)\" --tags "
                + tags.sorted { $0.key < $1.key }.map { "Key=\($0.key),Value=\($0.value)" }.joined(separator: " "),
        ]
        if plan.subnets[zone.nodeSubnet].routeTableAssociation != "main" {
            commands += routeTableCommands(newSubnetVariable: variable, modelSubnet: zone.nodeSubnet)
        }
        return commands
    }

    /// The step that associates a new secondary block with the VPC.
    func associateStep(_ block: CIDRBlock, why: String) -> RemediationOption.Step {
        .init(
            "Associate \(block) with the VPC \(why).",
            commands: ["aws ec2 associate-vpc-cidr-block --region \(region) --vpc-id \(plan.vpc.vpcId ?? "VPC_ID") --cidr-block \(block)"])
    }

    /// `--region us-east-1`, for every command.
    var region: String { plan.region }

    /// The commands that give a new subnet the node subnet's route table, by looking the table up.
    func routeTableCommands(newSubnetVariable: String, modelSubnet: Int) -> [String] {
        let model = plan.subnets[modelSubnet].subnetId
        return [
            "RTB=$(aws ec2 describe-route-tables --region \(region) --filters Name=association.subnet-id,Values=\(model) "
                + "--query 'RouteTables[0].RouteTableId' --output text)",
            "aws ec2 associate-route-table --region \(region) --route-table-id \"$RTB\" --subnet-id \"$\(newSubnetVariable)\"",
        ]
    }
}
