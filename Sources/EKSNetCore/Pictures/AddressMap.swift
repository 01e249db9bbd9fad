/// The address space of a VPC as a picture: each CIDR block of the VPC as a band scaled by size with its subnets in
/// place, coloured by role; then every subnet as a bar of its own addresses, zone by zone — AWS-reserved, in use,
/// projected by the plan, free (or short), a prefix reservation, and how many aligned /28 blocks are still free.
public enum AddressMap {
    public struct Subnet: Hashable, Sendable {
        public var subnetId: String
        public var availabilityZone: String
        public var block: CIDRBlock
        /// public, private, cluster, pods, fargate.
        public var role: String
        public var inUse: Int
        public var projected: Int
        /// Negative when the plan does not fit.
        public var headroom: Int
        public var prefixReservation: CIDRBlock?
        public var freeAligned28Blocks: Int?
    }

    /// The subnets of a plan and its evaluation, with their roles.
    public static func subnets(plan: ClusterPlan, evaluation: PlanEvaluation, aws: AWSData) -> [Subnet] {
        let context = try? PlanContext(plan, aws: aws)
        var roles: [String: String] = [:]
        if let context {
            let ids = { (indices: [Int]) in Set(indices.map { context.subnets[$0].id }) }
            let nodes = ids(Array(context.nodeSubnets))
            let cluster = ids(Array(context.clusterSubnets))
            let pods = ids(Array(context.eniConfigSubnets.values))
            let fargate = Set(context.fargateProfiles.flatMap { $0.subnets.map { context.subnets[$0].id } })
            for entry in context.subnets {
                let id = entry.id
                if entry.isPublic {
                    roles[id] = "public"
                } else if fargate.contains(id) {
                    roles[id] = "fargate"
                } else if pods.contains(id) || entry.facts.role == .pods {
                    roles[id] = "pods"
                } else if cluster.contains(id) && !nodes.contains(id) {
                    roles[id] = "cluster"
                } else {
                    roles[id] = "private"
                }
            }
        }
        let planned = Dictionary(plan.subnets.map { ($0.subnetId, $0) }, uniquingKeysWith: { first, _ in first })
        return evaluation.subnets.compactMap { budget in
            guard let block = try? CIDRBlock.parseNormalizing(budget.cidrBlock).block else { return nil }
            let reservation = planned[budget.subnetId]?.prefixReservationCidr.flatMap { try? CIDRBlock(parsing: $0) }
                .flatMap { block.contains($0) ? $0 : nil }
            return Subnet(
                subnetId: budget.subnetId, availabilityZone: budget.availabilityZone, block: block,
                role: roles[budget.subnetId] ?? (planned[budget.subnetId]?.routesToInternetGateway == true ? "public" : "private"),
                inUse: budget.addressesInUse, projected: budget.projectedAddresses, headroom: budget.headroomAddresses,
                prefixReservation: reservation, freeAligned28Blocks: budget.prefixBlocks?.freeAligned28Blocks)
        }
    }

    public static func render(plan: ClusterPlan, evaluation: PlanEvaluation, aws: AWSData) -> String {
        let blocks = plan.vpc.cidrBlocks.compactMap { try? CIDRBlock.parseNormalizing($0).block }
        return render(title: "\(plan.clusterName): VPC address map", vpcBlocks: blocks, subnets: subnets(plan: plan, evaluation: evaluation, aws: aws))
    }

    static let width = 1100.0
    static let left = 20.0
    static let labelWidth = 330.0
    /// Room right of the bars for the figures.
    static let figuresWidth = 270.0

    public static func render(title: String, vpcBlocks: [CIDRBlock], subnets: [Subnet]) -> String {
        let barWidth = width - left * 2 - labelWidth - figuresWidth
        let bandWidth = width - left * 2
        let zones = Array(Set(subnets.map(\.availabilityZone))).sorted()
        let rows = subnets.count + zones.count
        let height = 70 + Double(vpcBlocks.count) * 62 + 40 + Double(rows) * 22 + 130
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: left, y: 26, size: 16, weight: "bold")
        var y = 50.0

        // The VPC's blocks, each scaled to the band's width, subnets in place.
        for block in vpcBlocks {
            canvas.text("\(block) — \(Int(block.addressCount).grouped) addresses", x: left, y: y + 10, size: 11, weight: "bold")
            canvas.rect(x: left, y: y + 16, width: bandWidth, height: 24, fill: "#f2f2f2", stroke: Palette.axis)
            for subnet in subnets where block.contains(subnet.block) {
                let offset = Double(subnet.block.network.value - block.network.value) / Double(block.addressCount)
                let size = Double(subnet.block.addressCount) / Double(block.addressCount)
                canvas.rect(
                    x: left + offset * bandWidth, y: y + 16, width: max(1.5, size * bandWidth), height: 24,
                    fill: Palette.role(subnet.role), stroke: "#ffffff",
                    title: "\(subnet.subnetId) \(subnet.block) \(subnet.role) in \(subnet.availabilityZone)")
            }
            canvas.text(block.firstAddress.description, x: left, y: y + 52, size: 9, fill: Palette.axis)
            canvas.text(block.lastAddress.description, x: left + bandWidth, y: y + 52, size: 9, anchor: "end", fill: Palette.axis)
            y += 62
        }

        // Every subnet as a bar of its own addresses (0–100 %), zone by zone.
        y += 8
        canvas.text("Each subnet's addresses, 0 to 100 % of its block", x: left + labelWidth, y: y, size: 11, weight: "bold")
        canvas.text("0 %", x: left + labelWidth, y: y + 14, size: 9, fill: Palette.axis)
        canvas.text("100 %", x: left + labelWidth + barWidth, y: y + 14, size: 9, anchor: "end", fill: Palette.axis)
        y += 22
        for zone in zones {
            canvas.text(zone, x: left, y: y + 14, size: 12, weight: "bold")
            y += 22
            for subnet in subnets.filter({ $0.availabilityZone == zone }).sorted(by: { $0.block < $1.block }) {
                let total = Double(subnet.block.addressCount)
                func scaled(_ count: Int) -> Double { Double(max(0, count)) / total * barWidth }
                canvas.text("\(subnet.subnetId)  \(subnet.block)  \(subnet.role)", x: left + 10, y: y + 13, size: 10)
                var x = left + labelWidth
                canvas.rect(x: x, y: y + 3, width: barWidth, height: 14, fill: Palette.free, stroke: Palette.axis)
                let reserved = min(CIDRBlock.awsReservedAddressesPerSubnet, Int(total))
                canvas.rect(x: x, y: y + 3, width: max(1, scaled(reserved)), height: 14, fill: Palette.reserved, title: "\(reserved) reserved by AWS")
                x += scaled(reserved)
                canvas.rect(x: x, y: y + 3, width: scaled(subnet.inUse), height: 14, fill: Palette.used, title: "\(subnet.inUse) in use")
                x += scaled(subnet.inUse)
                let room = Int(total) - reserved - subnet.inUse
                let fits = min(subnet.projected, max(0, room))
                canvas.rect(x: x, y: y + 3, width: scaled(fits), height: 14, fill: Palette.projected, title: "\(subnet.projected) projected by the plan")
                if let reservation = subnet.prefixReservation {
                    let offset = Double(reservation.network.value - subnet.block.network.value) / total * barWidth
                    canvas.rect(
                        x: left + labelWidth + offset, y: y + 1, width: max(1, Double(reservation.addressCount) / total * barWidth), height: 4,
                        fill: Palette.prefixReservation, stroke: Palette.axis, title: "prefix reservation \(reservation)")
                }
                if subnet.headroom < 0 {
                    // Past the end: the plan does not fit.
                    canvas.rect(x: left + labelWidth + barWidth - 3, y: y, width: 6, height: 20, fill: Palette.reserved, title: "short by \(-subnet.headroom)")
                }
                var figures = "in use \(subnet.inUse.grouped) · projected \(subnet.projected.grouped) · "
                figures += subnet.headroom < 0 ? "SHORT \((-subnet.headroom).grouped)" : "free \(subnet.headroom.grouped)"
                if let blocks = subnet.freeAligned28Blocks { figures += " · free /28: \(blocks.grouped)" }
                canvas.text(figures, x: left + labelWidth + barWidth + 6, y: y + 13, size: 9, weight: subnet.headroom < 0 ? "bold" : "normal")
                y += 22
            }
        }

        // Legend.
        y += 10
        canvas.text("Legend", x: left, y: y + 12, size: 11, weight: "bold")
        let swatches: [(String, String)] = [
            (Palette.reserved, "reserved by AWS (5 per subnet)"), (Palette.used, "in use now"),
            (Palette.projected, "projected by the plan"), (Palette.free, "free"), (Palette.prefixReservation, "prefix reservation"),
        ]
        for (index, swatch) in swatches.enumerated() {
            let x = left + Double(index % 5) * 190
            canvas.rect(x: x, y: y + 20, width: 14, height: 12, fill: swatch.0, stroke: Palette.axis)
            canvas.text(swatch.1, x: x + 20, y: y + 30, size: 10)
        }
        for (index, role) in ["public", "private", "cluster", "pods", "fargate"].enumerated() {
            let x = left + Double(index) * 190
            canvas.rect(x: x, y: y + 42, width: 14, height: 12, fill: Palette.role(role), stroke: Palette.axis)
            canvas.text("\(role) subnet (VPC band)", x: x + 20, y: y + 52, size: 10)
        }
        let short = subnets.filter { $0.headroom < 0 }
        let description = "\(vpcBlocks.count) VPC CIDR block\(vpcBlocks.count == 1 ? "" : "s") (\(vpcBlocks.map(\.description).joined(separator: ", "))), "
            + "\(subnets.count) subnets in \(zones.count) zones. "
            + (short.isEmpty ? "Every subnet holds the plan." : "Short: " + short.map { "\($0.subnetId) by \(-$0.headroom)" }.joined(separator: ", ") + ".")
        return canvas.document(title: title, description: description)
    }
}
