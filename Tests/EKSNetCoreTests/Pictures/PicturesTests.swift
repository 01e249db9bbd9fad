import Foundation
import FoundationXML
import Testing

@testable import EKSNetCore

/// The pictures are documents others parse: well-formed whatever the names in the plan, with a title, a
/// description, a legend and axis labels (issue 14 §2).
@Suite struct PicturesTests {
    static func parses(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse()
    }

    static func examples() throws -> [ClusterPlan] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")
        return try ["eksctl-3az", "cloudformation-2az", "custom-networking", "fargate", "ipv6", "private-endpoints", "subnet-discovery", "broken"]
            .map { try JSONDecoder().decode(ClusterPlan.self, from: Data(contentsOf: folder.appendingPathComponent("\($0).json"))) }
    }

    @Test func everyExampleDrawsAWellFormedMapAndReport() throws {
        for plan in try Self.examples() {
            guard let evaluation = try? PlanEvaluator.evaluate(plan, aws: .embedded) else { continue }
            let map = AddressMap.render(plan: plan, evaluation: evaluation, aws: .embedded)
            #expect(Self.parses(map), "\(plan.clusterName)")
            #expect(map.contains("<title>") && map.contains("<desc>") && map.contains("Legend"))
            // Every subnet of the evaluation is drawn with its figures.
            for subnet in evaluation.subnets { #expect(map.contains(subnet.subnetId)) }
            let page = PlanReport.render(plan: plan, evaluation: evaluation, aws: .embedded)
            #expect(!page.contains("<script") && !page.contains("src="))
            #expect(page.contains(evaluation.verdict.rawValue))
        }
    }

    @Test func hostileNamesAreEscaped() throws {
        var plan = PlanFixtures.clean
        plan.subnets.append(
            ClusterPlan.Subnet(
                subnetId: "subnet-<script>alert(1)</script>&'\"", availabilityZone: "us-west-2a", cidrBlock: "10.0.200.0/24",
                defaultRoute: "nat", tags: ["Name": "<b>&amp;"]))
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        let map = AddressMap.render(plan: plan, evaluation: evaluation, aws: .embedded)
        #expect(Self.parses(map))
        #expect(!map.contains("<script>"))
        let page = PlanReport.render(plan: plan, evaluation: evaluation, aws: .embedded)
        #expect(!page.contains("<script>alert"))
    }

    @Test func shortSubnetsAreMarkedAndRolesFollowThePlan() throws {
        let request = try RemediationAdvisorTests.example()
        let grown = try RemediationAdvisor.grow(try #require(request.plan), to: request.target)
        let evaluation = try PlanEvaluator.evaluate(grown, aws: .embedded)
        let subnets = AddressMap.subnets(plan: grown, evaluation: evaluation, aws: .embedded)
        #expect(subnets.filter { $0.headroom < 0 }.map(\.role) == ["private", "private", "private"])
        #expect(Set(subnets.map(\.role)) == ["public", "private", "cluster"])
        let map = AddressMap.render(plan: grown, evaluation: evaluation, aws: .embedded)
        #expect(map.contains("SHORT 335") && map.contains("Short: "))
    }

    @Test func theTimelineMarksExhaustionAndHasBothAxes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/simulation.json")
        let input = try JSONDecoder().decode(SimulationInput.self, from: Data(contentsOf: url))
        let result = try IPAllocationSimulator.run(input, aws: .embedded)
        let svg = SimulationTimeline.render(input: input, result: result)
        #expect(Self.parses(svg))
        #expect(svg.contains("first exhaustion at \(try #require(result.events.firstExhaustionAt)) s"))
        #expect(svg.contains("addresses") && svg.contains("pods waiting") && svg.contains("time (seconds)"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == result.subnets.count + 2)
        #expect(svg.contains("rollingRestart web"))
    }
}
