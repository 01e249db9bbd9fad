import Foundation
import Testing

@testable import EKSNetCore

/// The committed example plans: the two AWS layouts evaluate without errors, the broken one trips many rules.
@Suite struct PlanExamplesTests {
    static func example(_ name: String) throws -> ClusterPlan {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/\(name)")
        return try JSONDecoder().decode(ClusterPlan.self, from: Data(contentsOf: url))
    }

    @Test(arguments: ["eksctl-3az.json", "cloudformation-2az.json"])
    func awsLayoutsHaveNoErrors(name: String) throws {
        let evaluation = try PlanEvaluator.evaluate(try Self.example(name), aws: .embedded)
        let errors = evaluation.findings.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map { "\($0.ruleId) \($0.message)" })")
        #expect(evaluation.verdict != .blocked)
        if ProcessInfo.processInfo.environment["EKSNET_PRINT"] != nil {
            for finding in evaluation.findings { print(name, finding.severity, finding.ruleId, finding.message) }
            for budget in evaluation.subnets { print(name, budget) }
            for command in evaluation.tags.commands { print(name, command) }
        }
    }

    /// One example per kind of cluster the verdicts must get right (issue 11): each evaluates with no error.
    @Test(arguments: ["private-endpoints.json", "ipv6.json", "fargate.json", "custom-networking.json", "subnet-discovery.json"])
    func everyKindOfClusterEvaluatesWithoutErrors(name: String) throws {
        let evaluation = try PlanEvaluator.evaluate(try Self.example(name), aws: .embedded)
        let errors = evaluation.findings.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map { "\($0.ruleId) \($0.message)" })")
        switch name {
        case "private-endpoints.json":
            // No NAT, no internet gateway: the endpoints carry the nodes' AWS traffic.
            #expect(evaluation.verdict == .ready)
        case "ipv6.json":
            #expect(evaluation.capacity.allSatisfy { $0.subnetAddressesPerNode == 1 })
        case "fargate.json":
            #expect(evaluation.subnets.reduce(0) { $0 + $1.fargateAddresses } == 300)
        case "custom-networking.json":
            #expect(evaluation.subnets.filter { $0.subnetId.hasPrefix("subnet-pods-") }.allSatisfy { $0.podSubnetAddresses > 0 })
        default:
            #expect(evaluation.verdict != .blocked)
        }
    }

    @Test func brokenPlanTripsAtLeastTenRules() throws {
        let evaluation = try PlanEvaluator.evaluate(try Self.example("broken.json"), aws: .embedded)
        let failing = Set(evaluation.findings.filter { $0.severity != .info }.map(\.ruleId))
        if ProcessInfo.processInfo.environment["EKSNET_PRINT"] != nil {
            for finding in evaluation.findings { print("broken", finding.severity, finding.ruleId, finding.pointer, finding.message) }
            for command in evaluation.tags.commands { print("broken", command) }
        }
        #expect(evaluation.verdict == .blocked)
        #expect(failing.count >= 10, "\(failing.sorted())")
    }
}
