import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet plan check plan.json`: the evaluation a plan job gives, exit 1 when the plan has errors.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Check cluster network plans.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evaluate a plan: findings, subnet budget, tags.")

        @Argument(help: "The plan (JSON, as for POST /v1/plans); - for stdin.")
        var file: String

        @OptionGroup var outputOptions: PictureOutputOptions

        @OptionGroup var catalogOptions: CatalogOptions

        func run() throws {
            let plan = try readJSON(ClusterPlan.self, from: file)
            let aws = try catalogOptions.awsData()
            let evaluation: PlanEvaluation
            do {
                evaluation = try PlanEvaluator.evaluate(plan, aws: aws)
            } catch {
                throw CommandFailure.invalid(error)
            }
            switch outputOptions.format {
            case .json: try printJSON(evaluation)
            case .svg: print(AddressMap.render(plan: plan, evaluation: evaluation, aws: aws))
            case .html: print(PlanReport.render(plan: plan, evaluation: evaluation, aws: aws))
            case .table: print(Self.report(evaluation))
            }
            if evaluation.verdict == .blocked { throw ExitCode(1) }
        }

        static func report(_ evaluation: PlanEvaluation) -> String {
            var lines = [
                "\(evaluation.clusterName) (\(evaluation.region)): \(evaluation.verdict.rawValue) — "
                    + "\(evaluation.summary.errors) errors, \(evaluation.summary.warnings) warnings, \(evaluation.summary.info) facts",
                "",
            ]
            for finding in evaluation.findings {
                lines.append("\(finding.severity.rawValue.uppercased()) \(finding.ruleId) \(finding.pointer)")
                lines.append("  \(finding.message)")
                lines.append("  fix: \(finding.fix)")
            }
            var budget = TextTable(header: ["SUBNET", "AZ", "CIDR", "USABLE", "IN USE", "NODES", "PROJECTED", "HEADROOM"])
            for subnet in evaluation.subnets {
                budget.rows.append([
                    subnet.subnetId, subnet.availabilityZone, subnet.cidrBlock, String(subnet.usableAddresses),
                    String(subnet.addressesInUse), String(subnet.nodesAtMax), String(subnet.projectedAddresses),
                    "\(subnet.headroomAddresses) (\(subnet.headroomPercent)%)",
                ])
            }
            lines += ["", budget.rendered]
            var capacity = TextTable(header: ["NODE GROUP", "MAX PODS", "BINDING", "WORKLOAD PODS AT MAX", "ADDRESSES/NODE"])
            for group in evaluation.capacity {
                capacity.rows.append([
                    group.name, String(group.maxPodsPerNode), group.explanation, String(group.max.workloadPods),
                    String(group.subnetAddressesPerNode),
                ])
            }
            if !evaluation.capacity.isEmpty { lines += ["", capacity.rendered] }
            if !evaluation.tags.commands.isEmpty { lines += ["", "Subnet tags:"] + evaluation.tags.commands }
            return lines.joined(separator: "\n")
        }
    }
}
