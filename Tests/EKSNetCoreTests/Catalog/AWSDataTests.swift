import Foundation
import Testing

@testable import EKSNetCore

/// AWS data is one value passed down: a file given at start reaches every calculation, and no core file reaches
/// for the embedded tables on its own.
@Suite struct AWSDataTests {
    /// The embedded data with the DescribeInstanceTypes fixture merged over it (it adds `zz9.large`).
    static func withFile() throws -> AWSData {
        try AWSData.embedded.merging(describeInstanceTypes: try DescribeInstanceTypesOutputTests.fixture(), label: "file test")
    }

    /// Only `AWSData.swift` names the embedded tables; every rule, planner and calculation takes the data it is given.
    @Test func noCoreFileReadsAGlobalCatalog() throws {
        let allowed: Set<String> = ["Catalog/AWSData.swift", "Catalog/InstanceTypeTable.swift", "Catalog/InstanceTypeOfferingsTable.swift"]
        for file in try LayeringTests.sources() where !allowed.contains(file.path) {
            let code = LayeringTests.identifiers(in: file.text).map(\.name)
            for name in ["embedded", "generatedTable", "standard"] {
                #expect(!code.contains(name), "\(file.path) names \(name)")
            }
        }
    }

    /// A type only the file knows is planned like any other: no "not offered" from offerings that never heard of it.
    @Test func aTypeOnlyTheFileKnowsReachesPlansAndRuleNG004() throws {
        var plan = PlanFixtures.clean
        plan.nodeGroups![0].instanceTypes = ["zz9.large"]
        #expect(throws: ValidationFailure.self) { try PlanEvaluator.evaluate(plan, aws: .embedded) }
        let evaluation = try PlanEvaluator.evaluate(plan, aws: try Self.withFile())
        #expect(!evaluation.findings.contains { $0.ruleId == "NG-004" })
        #expect(evaluation.capacity.first?.instanceTypes.map(\.instanceType.rawValue) == ["zz9.large"])
    }

    /// The same for layouts: zones are not dropped for a type the offerings do not know.
    @Test func aTypeOnlyTheFileKnowsReachesLayouts() throws {
        let zones = (1...3).map { LayoutRequest.Zone(name: "us-west-2" + ["a", "b", "c"][$0 - 1], zoneId: "usw2-az\($0)") }
        let request = LayoutRequest(
            clusterName: "new", region: "us-west-2", availabilityZones: zones,
            nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: ["zz9.large"], minSize: 1, maxSize: 10)])
        #expect(throws: ValidationFailure.self) { try LayoutPlanner.propose(request, aws: .embedded) }
        let proposal = try LayoutPlanner.propose(request, aws: try Self.withFile())
        #expect(Set(proposal.plan.subnets.compactMap(\.availabilityZoneId)).count == 3)
    }

    /// Offerings still rule out a known type where it is not offered.
    @Test func knownTypesStillFollowTheOfferings() throws {
        let offerings = AWSData.embedded.offerings
        #expect(offerings.offers(InstanceTypeName("trn1.32xlarge"), region: "us-west-2", zoneId: "usw2-az2") == false)
        #expect(offerings.offers(InstanceTypeName("trn1.32xlarge"), region: "us-west-2", zoneId: "usw2-az1") == true)
        #expect(offerings.offers(InstanceTypeName("zz9.large"), region: "us-west-2", zoneId: "usw2-az1") == nil)
    }

    /// Independent cases (written from AWS's sources by a reviewer who had not read the code): DescribeInstanceTypeOfferings
    /// by AZ ID offers trn1.32xlarge in usw2-az1 and usw2-az4 only, and p5.48xlarge in usw2-az1, az2 and az3.
    @Test func offeringsDecideNG004ForRealTypes() throws {
        var trn1 = PlanFixtures.clean
        trn1.nodeGroups![0].instanceTypes = ["trn1.32xlarge"]
        let flagged = try PlanEvaluator.evaluate(trn1, aws: .embedded).findings.filter { $0.ruleId == "NG-004" }
        #expect(Set(flagged.compactMap { finding in ["usw2-az2", "usw2-az3"].first { finding.message.contains($0) } }) == ["usw2-az2", "usw2-az3"])
        #expect(!flagged.contains { $0.message.contains("usw2-az1") })
        var p5 = PlanFixtures.clean
        p5.nodeGroups![0].instanceTypes = ["p5.48xlarge"]
        #expect(!(try PlanEvaluator.evaluate(p5, aws: .embedded)).findings.contains { $0.ruleId == "NG-004" })
    }

    /// A type only the file knows takes the ENI formula of AWS's eni-max-pods.txt on the file's figures:
    /// zz9.large has 3 ENIs of 20 IPv4 addresses, so 3 × (20 − 1) + 2 = 59.
    @Test func aTypeOnlyTheFileKnowsTakesTheENIFormula() throws {
        let zz9 = try #require(try Self.withFile().catalog.instanceType(named: "zz9.large"))
        #expect(MaxPods.eniLimited(zz9) == 59)
    }
}
