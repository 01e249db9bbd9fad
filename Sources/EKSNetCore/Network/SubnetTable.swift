/// What every request says of a subnet, whatever else it says.
public protocol SubnetDescribing: Sendable {
    /// What the request's own fields resolve to once the CIDR is parsed (typed routes, reservations…).
    associatedtype Facts: Sendable

    var subnetId: String { get }
    var availabilityZone: String { get }
    var cidrBlock: String { get }
    /// Free addresses now, for subnets that exist (DescribeSubnets' AvailableIpAddressCount).
    var availableIpAddressCount: Int? { get }

    /// Checks and resolves the request's own fields; nil (with the issues added) when the subnet cannot be used.
    func resolveFacts(block: CIDRBlock, at pointer: JSONPointer, into issues: inout IssueCollector) -> Facts?
}

/// A request's subnets resolved once, for plans, tag suggestions, simulations and audits alike: ids unique, zones
/// named, CIDRs parsed (host bits noted, not refused), free addresses bounded, the request's own fields typed, and
/// every reference to a subnet followed to its entry with an issue that names the pointer when it dangles.
public struct SubnetTable<Subnet: SubnetDescribing>: Sendable {
    /// One usable subnet.
    public struct Entry: Sendable {
        /// Its position in the request's list (for pointers).
        public let index: Int
        public let input: Subnet
        public let block: CIDRBlock
        /// The CIDR had host bits set (`10.0.0.1/24`); `block` is the network it names.
        public let hadHostBits: Bool
        public let facts: Subnet.Facts

        public var id: String { input.subnetId }
        public var availabilityZone: String { input.availabilityZone }
        /// Free addresses now: AvailableIpAddressCount when the subnet exists, else all usable ones.
        public var freeNow: Int { input.availableIpAddressCount ?? block.awsUsableAddressCount }
    }

    public let entries: [Entry]
    /// Subnet id → position in `entries`.
    private let positions: [String: Int]
    /// Ids the request lists but could not use: a reference to one is not dangling (the subnet's own issue says why).
    private let unusable: Set<String>

    public static var availableAddressesRange: ClosedRange<Int> { 0...(1 << 24) }
    /// Longer ids than any AWS id; the bound keeps messages and maps small.
    static var idLengthRange: ClosedRange<Int> { 1...64 }

    /// Resolves `subnets`, found at `pointer`, adding every issue; subnets with an issue that makes them unusable
    /// are left out of `entries` (the caller refuses the request when `issues` is not empty).
    public init(
        _ subnets: [Subnet], at pointer: JSONPointer, count range: ClosedRange<Int>, into issues: inout IssueCollector
    ) {
        issues.check(subnets.count, in: range, at: pointer, "the number of subnets")
        var positions: [String: Int] = [:]
        var firstPosition: [String: Int] = [:]
        var entries: [Entry] = []
        var unusable: Set<String> = []
        for (position, subnet) in subnets.prefix(range.upperBound).enumerated() {
            let at = pointer / position
            if !Self.idLengthRange.contains(subnet.subnetId.count) {
                issues.add(at / "subnetId", "subnetId must be 1–64 characters")
            } else if let earlier = firstPosition[subnet.subnetId] {
                issues.add(at / "subnetId", "subnet '\(subnet.subnetId)' is listed twice (also \(pointer / earlier))")
            } else {
                firstPosition[subnet.subnetId] = position
            }
            if !Self.idLengthRange.contains(subnet.availabilityZone.count) {
                issues.add(at / "availabilityZone", "availabilityZone must be 1–64 characters, such as us-east-1a")
            }
            if let available = subnet.availableIpAddressCount {
                issues.check(
                    available, in: Self.availableAddressesRange, at: at / "availableIpAddressCount",
                    "availableIpAddressCount")
            }
            let parsed: (block: CIDRBlock, hadHostBits: Bool)
            do {
                parsed = try CIDRBlock.parseNormalizing(subnet.cidrBlock)
            } catch {
                issues.add(at / "cidrBlock", error.description)
                unusable.insert(subnet.subnetId)
                continue
            }
            guard let facts = subnet.resolveFacts(block: parsed.block, at: at, into: &issues) else {
                unusable.insert(subnet.subnetId)
                continue
            }
            if positions[subnet.subnetId] == nil { positions[subnet.subnetId] = entries.count }
            entries.append(
                Entry(index: position, input: subnet, block: parsed.block, hadHostBits: parsed.hadHostBits, facts: facts))
        }
        self.entries = entries
        self.positions = positions
        self.unusable = unusable.subtracting(positions.keys)
    }

    /// The entry position of a subnet id, if the request lists it.
    public func position(of id: String) -> Int? { positions[id] }

    /// Follows a list of subnet ids to entry positions (each once, in order), adding an issue for each id the
    /// request does not list.
    public func references(
        _ ids: [String]?, at pointer: JSONPointer, count range: ClosedRange<Int>, into issues: inout IssueCollector
    ) -> [Int] {
        guard let ids else { return [] }
        issues.check(ids.count, in: range, at: pointer, "the number of subnet ids")
        var result: [Int] = []
        for (position, id) in ids.prefix(range.upperBound).enumerated() {
            if let found = positions[id] {
                if !result.contains(found) { result.append(found) }
            } else if !unusable.contains(id) {
                issues.add(pointer / position, Self.danglingMessage(id))
            }
        }
        return result
    }

    /// Follows one subnet id; adds an issue when the request does not list it.
    public func reference(_ id: String, at pointer: JSONPointer, into issues: inout IssueCollector) -> Int? {
        guard let found = positions[id] else {
            if !unusable.contains(id) { issues.add(pointer, Self.danglingMessage(id)) }
            return nil
        }
        return found
    }

    static func danglingMessage(_ id: String) -> String {
        "subnet '\(id.prefix(64))' is not in /subnets; list every subnet the request uses"
    }
}
