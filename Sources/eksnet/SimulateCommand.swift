import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet simulate sim.json`: a VPC CNI allocation simulation, as POST /v1/simulations runs it.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Simulate the VPC CNI's warm pool across subnets over time.")

    @Argument(help: "The simulation (JSON, as for POST /v1/simulations); - for stdin.")
    var file: String

    @OptionGroup var outputOptions: PictureOutputOptions

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let input = try readJSON(SimulationInput.self, from: file)
        let aws = try catalogOptions.awsData()
        let result: SimulationResult
        do {
            result = try IPAllocationSimulator.run(input, aws: aws)
        } catch {
            throw CommandFailure.invalid(error)
        }
        switch outputOptions.format {
        case .json:
            try printJSON(result)
            return
        case .svg:
            print(SimulationTimeline.render(input: input, result: result))
            return
        case .html:
            throw CommandFailure(message: "--output html is for plan check and audit; simulate draws --output svg", code: 2)
        case .table:
            break
        }
        var table = TextTable(header: ["SUBNET", "USABLE", "PEAK IN USE", "FREE AT END", "FREE /28 AT END", "EXHAUSTED AT"])
        for subnet in result.subnets {
            table.rows.append([
                subnet.subnetId, String(subnet.usableAddresses), String(subnet.peakAddressesInUse),
                String(subnet.freeAddresses.last ?? 0), String(subnet.freeAligned28Blocks.last ?? 0),
                subnet.firstExhaustedAt.map { "\($0) s" } ?? "never",
            ])
        }
        print(table.rendered)
        let calls = result.events.ec2Calls
        print("")
        print("peak addresses held \(result.summary.peakAddressesHeld), of which unassigned \(result.summary.peakHeldUnassigned)")
        print("pods waiting: \(result.summary.peakPodsPending) at worst, \(result.summary.podsPendingAtEnd) at the end")
        print(
            "EC2 calls: \(calls.assign) assign, \(calls.unassign) unassign, \(calls.createEni) create ENI, "
                + "\(calls.attachEni) attach ENI, \(calls.detachEni) detach ENI, \(calls.deleteEni) delete ENI "
                + "(\(result.events.failedEc2Calls.total) refused for lack of addresses)")
        for line in result.advice { print("- " + line) }
    }
}
