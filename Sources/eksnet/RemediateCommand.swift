import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet remediate exhausted.json`: the ways out for a cluster running out of addresses, as POST
/// /v1/remediations ranks them.
struct RemediateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediate",
        abstract: "Diagnose subnets that run out at a target size and rank the ways out (prefix delegation, warm pool, "
            + "secondary CIDR with custom networking, subnet discovery, new node subnets, an IPv6 cluster).")

    @Argument(help: "{\"plan\": …} or {\"audit\": …} with \"target\": {\"nodeGroups\": [{\"name\", \"maxSize\"}]} (JSON, as for POST /v1/remediations); - for stdin.")
    var file: String

    @Flag(help: "Print every option's steps and commands (the table shows the ranking only).")
    var steps = false

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let request = try readJSON(RemediationRequest.self, from: file)
        let aws = try catalogOptions.awsData()
        let result: RemediationResult
        do {
            result = try RemediationAdvisor.advise(request, aws: aws)
        } catch {
            throw CommandFailure.invalid(error)
        }
        if outputOptions.isJSON {
            try printJSON(result)
            return
        }
        print("\(result.clusterName): \(result.diagnosis.summary) (binding limit: \(result.diagnosis.bindingLimit))")
        print("")
        var table = TextTable(header: ["#", "OPTION", "FEASIBLE", "ADDRESSES GAINED", "PODS GAINED", "DISRUPTION", "WHY NOT"])
        for (rank, option) in result.options.enumerated() {
            table.rows.append([
                String(rank + 1), option.kind.rawValue, option.feasible ? "yes" : "no", String(option.addressesGained),
                String(option.podsGained), option.disruption.rawValue, String((option.reason ?? "").prefix(90)),
            ])
        }
        print(table.rendered)
        guard steps else { return }
        for (rank, option) in result.options.enumerated() where option.feasible {
            print("")
            print("\(rank + 1). \(option.title)")
            for (number, step) in option.steps.enumerated() {
                print("   \(number + 1). \(step.description)")
                for command in step.commands { print("      \(command)") }
                if let manifest = step.manifest { print(manifest.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")) }
            }
        }
    }
}
