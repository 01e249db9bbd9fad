import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet layout workload.json`: a VPC layout sized to a workload.
struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout", abstract: "Propose a VPC layout sized to a workload (as POST /v1/layouts).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, plan, cloudformation, svg
    }

    @Argument(help: "The workload (JSON); - for stdin.")
    var file: String

    @Option(name: [.short, .long], help: "table, json (the proposal), plan (the plan alone), cloudformation or svg (the address map).")
    var output: Format = .table

    @Option(name: .long, help: ArgumentHelp("Same as --output.", visibility: .hidden))
    var format: Format?

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let request = try readJSON(LayoutRequest.self, from: file)
        let aws = try catalogOptions.awsData()
        let proposal: LayoutProposal
        do {
            proposal = try LayoutPlanner.propose(request, aws: aws)
        } catch {
            throw CommandFailure.invalid(error)
        }
        switch format ?? output {
        case .json: try printJSON(proposal)
        case .plan: try printJSON(proposal.plan)
        case .cloudformation: print(proposal.cloudFormation, terminator: "")
        case .svg:
            guard let evaluation = try? PlanEvaluator.evaluate(proposal.plan, aws: aws) else { throw ExitCode(1) }
            print(AddressMap.render(plan: proposal.plan, evaluation: evaluation, aws: aws))
        case .table:
            print("VPC \(proposal.plan.vpc.cidrBlocks.joined(separator: ", ")), service CIDR \(proposal.plan.serviceIpv4Cidr ?? "-"); "
                + "evaluated \(proposal.verdict.rawValue) (\(proposal.errors) errors, \(proposal.warnings) warnings)")
            var table = TextTable(header: ["SUBNET", "ROLE", "AZ", "CIDR", "USABLE", "SIZED FOR"])
            for subnet in proposal.subnets {
                table.rows.append([
                    subnet.subnetId, subnet.role, subnet.availabilityZone, subnet.cidrBlock, String(subnet.usableAddresses),
                    String(subnet.demand),
                ])
            }
            print(table.rendered)
            for note in proposal.notes { print("note: " + note) }
        }
    }
}
