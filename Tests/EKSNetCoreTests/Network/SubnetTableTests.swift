import Testing

@testable import EKSNetCore

/// The one subnet resolution that plans, tag requests and simulations share.
@Suite struct SubnetTableTests {
    func resolve(_ subnets: [PlannedSubnet]) -> (SubnetTable<PlannedSubnet>, [FieldIssue]) {
        var issues = IssueCollector()
        let table = SubnetTable(subnets, at: .root / "subnets", count: PlannedSubnet.countRange, into: &issues)
        return (table, issues.issues)
    }

    @Test func resolvesOnceWithTypedFacts() {
        var pods = PlannedSubnet(subnetId: "subnet-c", availabilityZone: "us-east-1a", cidrBlock: "100.64.0.0/16")
        pods.role = "Pods"
        let (table, issues) = resolve([
            PlannedSubnet(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.1/24", defaultRoute: "igw-0abc"),
            PlannedSubnet(subnetId: "subnet-b", availabilityZone: "us-east-1a", cidrBlock: "10.0.1.0/24", defaultRoute: "nat"),
            pods,
        ])
        #expect(issues.isEmpty)
        #expect(table.entries.map(\.isPublic) == [true, false, false])
        #expect(table.entries.map(\.facts.defaultRoute.exists) == [true, true, false])
        #expect(table.entries[0].hadHostBits)
        #expect(table.entries[0].block.description == "10.0.0.0/24")
        #expect(table.entries[2].facts.role == .pods)
        #expect(table.position(of: "subnet-b") == 1)
    }

    @Test func aReferenceToAListedButUnusableSubnetIsNotCalledMissing() {
        var issues = IssueCollector()
        let table = SubnetTable(
            [
                PlannedSubnet(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/33"),
                PlannedSubnet(subnetId: "subnet-b", availabilityZone: "us-east-1a", cidrBlock: "10.0.1.0/24", defaultRoute: "bogus"),
            ], at: .root / "subnets", count: PlannedSubnet.countRange, into: &issues)
        let found = table.references(["subnet-a", "subnet-b", "subnet-z"], at: .root / "ids", count: 0...3, into: &issues)
        #expect(found.isEmpty)
        // The subnets' own fields are named; only the id no request lists dangles.
        #expect(issues.issues.compactMap(\.pointer) == ["/subnets/0/cidrBlock", "/subnets/1/defaultRoute", "/ids/2"])
    }

    @Test func refusesUnknownWordsNamingTheField() {
        var odd = PlannedSubnet(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24", defaultRoute: "internet")
        odd.zoneType = "edge"
        odd.role = "dmz"
        odd.routeTableAssociation = "shared"
        let (table, issues) = resolve([odd])
        #expect(table.entries.isEmpty)
        #expect(
            Set(issues.compactMap(\.pointer)) == [
                "/subnets/0/defaultRoute", "/subnets/0/zoneType", "/subnets/0/role", "/subnets/0/routeTableAssociation",
            ])
        #expect(issues.contains { $0.message.contains("'internet' is not a route target") })
    }

    @Test func duplicatesAndDanglingReferencesNameThePointer() {
        var collector = IssueCollector()
        let table = SubnetTable(
            [
                PlannedSubnet(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24"),
                PlannedSubnet(subnetId: "subnet-a", availabilityZone: "us-east-1b", cidrBlock: "10.0.1.0/24"),
                PlannedSubnet(subnetId: "subnet-b", availabilityZone: "", cidrBlock: "10.0.2.0/33"),
            ], at: .root / "subnets", count: PlannedSubnet.countRange, into: &collector)
        let found = table.references(
            ["subnet-a", "subnet-x", "subnet-a"], at: .root / "clusterSubnetIds", count: PlannedSubnet.referenceCountRange,
            into: &collector)
        #expect(found == [0])
        let byPointer = Dictionary(collector.issues.map { ($0.pointer ?? "", $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(byPointer["/subnets/1/subnetId"]?.contains("listed twice (also /subnets/0)") == true)
        #expect(byPointer["/subnets/2/availabilityZone"] != nil)
        #expect(byPointer["/subnets/2/cidrBlock"] != nil)
        #expect(byPointer["/clusterSubnetIds/1"]?.contains("'subnet-x' is not in /subnets") == true)
    }

    @Test func everyRequestThatNamesSubnetsUsesTheTable() throws {
        // The same unknown route target is refused by a plan and by a tag request with the same pointer.
        var plan = PlanFixtures.clean
        plan.subnets[0].defaultRoute = "internet"
        #expect(throws: ValidationFailure.self) { try PlanContext(plan, aws: .embedded) }
        do {
            _ = try PlanContext(plan, aws: .embedded)
        } catch {
            #expect(error.issues.contains { $0.pointer == "/subnets/0/defaultRoute" })
        }
        let tags = SubnetTagRequest(clusterName: "prod-a", subnets: plan.subnets)
        do {
            _ = try tags.suggest()
            Issue.record("a tag request with an unknown route target was accepted")
        } catch {
            #expect(error.issues.contains { $0.pointer == "/subnets/0/defaultRoute" })
        }
        // A simulation refuses a group that names a subnet twice only once, and a dangling one by pointer.
        let simulation = SimulationInput(
            durationSeconds: 60, subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24")],
            nodeGroups: [.init(name: "ng", instanceType: "m5.large", subnetIds: ["s", "t"], nodes: 1)])
        do {
            _ = try SimulationSetup(simulation, aws: .embedded)
            Issue.record("a simulation with a dangling subnet id was accepted")
        } catch {
            #expect(error.issues.map(\.pointer) == ["/nodeGroups/0/subnetIds/1"])
        }
    }
}
