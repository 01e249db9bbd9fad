import Foundation
import Testing

@testable import EKSNetCore

/// The catalog is the one declaration of each rule: the evaluator and the auditor emit only its ids with its
/// severities, every rule says what AWS does and where that is written, and docs/rules.md's rule list agrees.
@Suite struct PlanRuleCatalogTests {
    @Test func idsAreUniqueAndEveryRuleIsDocumented() {
        let ids = PlanRuleCatalog.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in PlanRuleCatalog.all {
            #expect(!rule.title.isEmpty && !rule.when.isEmpty && !rule.behaviour.isEmpty && !rule.fix.isEmpty, "\(rule.id)")
            #expect(!rule.sources.isEmpty, "\(rule.id) has no source")
            for source in rule.sources { #expect(source.url.hasPrefix("https://"), "\(rule.id): \(source.url)") }
            #expect((rule.status == .notChecked) == (rule.notCheckedBecause != nil), "\(rule.id)")
        }
    }

    /// `GET /v1/rules` serves the fixes as written: none may be cut mid-sentence or carry source code (DNS-001 and
    /// DNS-002 once read `--vpc-id \(inputs.plan.vpc.vpcId ?? `, VPC-008 ended in "; ").
    @Test func everyFixIsAFinishedSentence() {
        for rule in PlanRuleCatalog.all {
            let fix = rule.fix.trimmingCharacters(in: .whitespaces)
            #expect(!fix.contains("\\(") && !fix.contains("??"), "\(rule.id): \(fix)")
            #expect([".", ")", "'", "\""].contains(fix.last.map(String.init) ?? ""), "\(rule.id) ends unfinished: \(fix)")
        }
    }

    @Test func theEvaluatorChecksExactlyTheCatalogsCheckedPlanRules() {
        let evaluated = Set(PlanEvaluator.implementedRules.map(\.id))
        let checked = Set(PlanRuleCatalog.all.filter { $0.status == .checked && !$0.id.hasPrefix("AUD-") }.map(\.id))
        #expect(evaluated == checked, "only evaluated: \(evaluated.subtracting(checked)); only in the catalog: \(checked.subtracting(evaluated))")
        for rule in PlanEvaluator.implementedRules {
            #expect(PlanRuleCatalog.rule(rule.id)?.severity == rule.severity, "\(rule.id)")
        }
    }

    /// Every finding of every rule-trip plan, of the examples and of the audit fixtures carries a catalog id and
    /// the catalog's severity.
    @Test func everyFindingIsOfACatalogRule() throws {
        var findings: [PlanFinding] = []
        for row in RuleCase.all {
            var plan = row.ipv6 ? PlanFixtures.cleanIPv6 : PlanFixtures.clean
            row.mutate(&plan)
            findings += try PlanEvaluator.evaluate(plan, aws: .embedded).findings
        }
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")
        for name in ["broken.json", "eksctl-3az.json", "cloudformation-2az.json"] {
            let plan = try JSONDecoder().decode(ClusterPlan.self, from: Data(contentsOf: examples.appendingPathComponent(name)))
            findings += try PlanEvaluator.evaluate(plan, aws: .embedded).findings
        }
        #expect(findings.count > 100)
        for finding in findings {
            let rule = PlanRuleCatalog.rule(finding.ruleId)
            #expect(rule?.status == .checked, "\(finding.ruleId) is not a checked catalog rule")
            #expect(rule?.severity == finding.severity, "\(finding.ruleId)")
        }
    }

    @Test func tagChangesNameCatalogRules() throws {
        var plan = PlanFixtures.clean
        plan.karpenter = true
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        let ids = Set(evaluation.tags.subnets.flatMap { ($0.add + $0.remove).map(\.ruleId) })
        #expect(!ids.isEmpty)
        for id in ids { #expect(PlanRuleCatalog.rule(id) != nil, "\(id)") }
    }

    /// docs/rules.md lists the checked rules by severity; it must say what the catalog says.
    @Test func theDocsRuleListMatchesTheCatalog() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs")
                .appendingPathComponent("rules.md"),
            encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "**Rules implemented**").dropFirst().first)
        let list = section.components(separatedBy: "Every error and warning rule")[0]
        func ids(after label: String) -> Set<String> {
            guard let part = list.components(separatedBy: "- \(label):").dropFirst().first else { return [] }
            let text = part.components(separatedBy: "\n- ")[0].components(separatedBy: ";")[0]
            let pattern = try! NSRegularExpression(pattern: "[A-Z0-9]+-[0-9]{3}")
            return Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                String(text[Range($0.range, in: text)!])
            })
        }
        let plan = PlanRuleCatalog.all.filter { $0.status == .checked && !$0.id.hasPrefix("AUD-") }
        #expect(ids(after: "errors") == Set(plan.filter { $0.severity == .error }.map(\.id)))
        #expect(ids(after: "warnings") == Set(plan.filter { $0.severity == .warning }.map(\.id)))
        #expect(ids(after: "facts") == Set(plan.filter { $0.severity == .info }.map(\.id)))
    }
}
