import ArgumentParser
import EKSNetCore

/// `eksnet max-pods m5.large --cni-prefix-delegation-enabled`: max-pods-calculator.sh's flags and answer.
struct MaxPodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "max-pods", abstract: "Recommended max pods for an instance type (max-pods-calculator.sh).")

    @Argument(help: "Instance type, such as m5.large.")
    var type: String?

    @Option(name: .customLong("instance-type"), help: "Instance type (the calculator's own flag).")
    var instanceTypeFlag: String?

    @Option(name: .customLong("cni-version"), help: "VPC CNI version (default \(CNIVersion.current)).")
    var cniVersion: String?

    @Flag(name: .customLong("cni-custom-networking-enabled"), help: "Custom networking (ENIConfig): the primary ENI carries no pods.")
    var customNetworking = false

    @Flag(name: [.customLong("cni-prefix-delegation-enabled"), .customLong("prefix-delegation")], help: "Prefix delegation (ENABLE_PREFIX_DELEGATION): /28 prefixes on Nitro types.")
    var prefixDelegation = false

    @Option(name: .customLong("cni-max-eni"), help: "At most this many ENIs.")
    var maxEni: Int?

    @Flag(name: .customLong("show-max-allowed"), help: "Skip the 110 / 250 cap.")
    var showMaxAllowed = false

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        guard let name = type ?? instanceTypeFlag else { throw CommandFailure.usage("name an instance type") }
        let catalog = try catalogOptions.awsData().catalog
        guard let instanceType = catalog.instanceType(named: name) else {
            throw CommandFailure.usage(catalog.unknownTypeMessage(name))
        }
        var options = MaxPodsOptions(
            customNetworking: customNetworking, prefixDelegation: prefixDelegation, maxEni: maxEni,
            showMaxAllowed: showMaxAllowed)
        do {
            if let cniVersion { options.cniVersion = try CNIVersion(parsing: cniVersion) }
            let calculation = try MaxPods.recommended(for: instanceType, options: options)
            if outputOptions.isJSON {
                try printJSON(calculation)
            } else {
                print(calculation.maxPods)
                FileHandle.standardError.write(Data((calculation.explanation + "\n").utf8))
                for note in calculation.notes { FileHandle.standardError.write(Data(("note: " + note + "\n").utf8)) }
            }
        } catch let error as CapacityError {
            throw CommandFailure.usage(error.description)
        }
    }
}

import Foundation
