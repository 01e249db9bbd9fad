import EKSNetCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

@Suite struct RulesRoutesTests {
    @Test func theCatalogIsServedWholeAndByFilter() async throws {
        try await TestSupport.withRouter { client in
            let all = try TestSupport.object(try await client.get("/v1/rules"))
            let rules = try #require(all["rules"] as? [[String: Any]])
            #expect(rules.count == PlanRuleCatalog.all.count)
            #expect(Set(rules.compactMap { $0["id"] as? String }) == Set(PlanRuleCatalog.all.map(\.id)))
            let first = try #require(rules.first)
            for key in ["id", "severity", "title", "when", "behaviour", "fix", "sources", "status"] {
                #expect(first[key] != nil, "\(key)")
            }
            let errors = try TestSupport.object(try await client.get("/v1/rules?severity=error&status=checked"))
            let errorRules = try #require(errors["rules"] as? [[String: Any]])
            #expect(!errorRules.isEmpty)
            #expect(errorRules.allSatisfy { $0["severity"] as? String == "error" && $0["status"] as? String == "checked" })
            let problem = try expectProblem(try await client.get("/v1/rules?severity=fatal"), .unprocessableContent)
            #expect(issueLocations(problem) == ["severity"])
        }
    }

    @Test func oneRuleByIdAnyCase() async throws {
        try await TestSupport.withRouter { client in
            let rule = try TestSupport.object(try await client.get("/v1/rules/cps-004"))
            #expect(rule["id"] as? String == "CPS-004")
            #expect(rule["severity"] as? String == "error")
            let sources = try #require(rule["sources"] as? [[String: Any]])
            #expect(sources.allSatisfy { ($0["url"] as? String)?.hasPrefix("https://") == true })
            // SG-002 is checked since plans carry security groups; VPC-009 still needs a running cluster's state.
            let notChecked = try TestSupport.object(try await client.get("/v1/rules/VPC-009"))
            #expect(notChecked["status"] as? String == "not-checked")
            #expect(notChecked["notCheckedBecause"] is String)
            let unknown = try expectProblem(try await client.get("/v1/rules/TAG-099"), .notFound)
            #expect((unknown["suggestions"] as? [String])?.allSatisfy { $0.hasPrefix("TAG-") } == true)
            try expectProblem(try await client.post("/v1/rules", json: [:]), .methodNotAllowed)
        }
    }

    /// A plan's findings can each be looked up: the catalog names every rule the evaluator emits.
    @Test func everyFindingOfAPlanResolvesInTheCatalog() async throws {
        try await TestSupport.withRouter { client in
            let job = try TestSupport.object(
                try await client.execute(
                    uri: "/v1/plans", method: .post,
                    headers: [.contentType: "application/json", PlansRoutesTests.prefer: "wait=60"],
                    body: try PlansRoutesTests.example("broken.json")))
            let result = try #require(job["result"] as? [String: Any])
            let findings = try #require(result["findings"] as? [[String: Any]])
            #expect(findings.count > 20)
            for id in Set(findings.compactMap { $0["ruleId"] as? String }) {
                #expect(try await client.get("/v1/rules/\(id)").status == .ok, "\(id)")
            }
        }
    }
}
