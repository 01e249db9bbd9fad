import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet tags plan.json --output shell`: the subnet tags a plan (or a subnet-tags request) needs.
struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags", abstract: "Subnet tags to add and remove, as a table, JSON or AWS CLI commands.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, shell
    }

    @Argument(help: "A plan, or a body for POST /v1/subnet-tags (JSON); - for stdin.")
    var file: String

    @Option(name: [.short, .long], help: "table, json or shell.")
    var output: Format = .table

    @Option(name: .long, help: ArgumentHelp("Same as --output.", visibility: .hidden))
    var format: Format?

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let tags: SubnetTagPlan
        do {
            let data = try readInput(file)
            if let plan = try? decodeJSON(ClusterPlan.self, from: data, path: file) {
                tags = try PlanEvaluator.evaluate(plan, aws: try catalogOptions.awsData()).tags
            } else {
                tags = try decodeJSON(SubnetTagRequest.self, from: data, path: file).suggest()
            }
        } catch let failure as ValidationFailure {
            throw CommandFailure.invalid(failure)
        }
        switch format ?? output {
        case .json:
            try printJSON(tags)
        case .shell:
            print(AWSCLICommands.shellScript(tags.commands), terminator: "")
        case .table:
            var table = TextTable(header: ["SUBNET", "AZ", "CHANGE", "TAG", "RULE", "WHY"])
            for subnet in tags.subnets {
                for change in subnet.add {
                    table.rows.append([subnet.subnetId, subnet.availabilityZone, "add", "\(change.key)=\(change.value ?? "")", change.ruleId, change.reason])
                }
                for change in subnet.remove {
                    table.rows.append([subnet.subnetId, subnet.availabilityZone, "remove", change.key, change.ruleId, change.reason])
                }
            }
            print(table.rows.isEmpty ? "No tag changes." : table.rendered)
        }
    }
}
