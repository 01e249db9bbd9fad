import ArgumentParser
import EKSNetCore

/// `eksnet rules [ID]`: the plan rule catalog, or one rule in full.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "The plan rule catalog: what each rule checks, the AWS behaviour, the fix, the docs.")

    @Argument(help: "One rule, such as SUB-002 (any case); all rules when left out.")
    var id: String?

    @Option(help: "Only rules of this severity: error, warning or info.")
    var severity: Severity?

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        if let id {
            guard let rule = PlanRuleCatalog.rule(id.uppercased()) else {
                throw CommandFailure.usage("no rule \(id) in the catalog; eksnet rules lists them all")
            }
            if outputOptions.isJSON {
                try printJSON(rule)
                return
            }
            print("\(rule.id) (\(rule.severity.rawValue), \(rule.status.rawValue)): \(rule.title)")
            print("when:      \(rule.when)")
            print("behaviour: \(rule.behaviour)")
            print("fix:       \(rule.fix)")
            if let reason = rule.notCheckedBecause { print("note:      \(reason)") }
            for source in rule.sources { print("source:    \(source.name) \(source.url)") }
            return
        }
        let rules = PlanRuleCatalog.all.filter { severity == nil || $0.severity == severity }
        if outputOptions.isJSON {
            try printJSON(rules)
            return
        }
        var table = TextTable(header: ["RULE", "SEVERITY", "STATUS", "TITLE"])
        for rule in rules {
            table.rows.append([rule.id, rule.severity.rawValue, rule.status.rawValue, rule.title])
        }
        print(table.rendered)
    }
}

extension Severity: ExpressibleByArgument {}
