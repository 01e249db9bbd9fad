import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet ip-pool t3.small --pods 5`: one node's settled VPC CNI pool.
struct IPPoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ip-pool", abstract: "One node's settled VPC CNI address pool for a number of pods.")

    @Argument(help: "Instance type.")
    var type: String

    @Option(help: "Pods that need an address.")
    var pods: Int = 0

    @Option(help: "WARM_ENI_TARGET (default 1 when no IP target is set).") var warmEniTarget: Int?
    @Option(help: "WARM_IP_TARGET: free addresses kept per node.") var warmIpTarget: Int?
    @Option(help: "MINIMUM_IP_TARGET: addresses held per node at least.") var minimumIpTarget: Int?
    @Option(help: "WARM_PREFIX_TARGET: free /28 prefixes kept per node (prefix delegation).") var warmPrefixTarget: Int?
    @Flag(help: "ENABLE_PREFIX_DELEGATION: /28 prefixes instead of single addresses.") var prefixDelegation = false
    @Flag(help: "Custom networking: pods on secondary ENIs only, the primary ENI left out.") var customNetworking = false
    @Flag(help: "ENABLE_POD_ENI: security groups for pods take one ENI for the trunk.") var securityGroupsForPods = false
    @Option(help: "At most this many ENIs (the calculator's --cni-max-eni).") var maxEni: Int?
    @Option(help: "kubelet maxPods (default: the calculator's value).")
    var maxPods: Int?
    @Option(help: "VPC CNI version (default: the newest eksnet knows).") var cniVersion: String?
    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let catalog = try catalogOptions.awsData().catalog
        guard let instanceType = catalog.instanceType(named: type) else {
            throw CommandFailure.usage(catalog.unknownTypeMessage(type))
        }
        let input = CNISettingsInput(
            version: cniVersion, prefixDelegation: prefixDelegation,
            customNetworking: .init(enabled: customNetworking), maxEni: maxEni,
            securityGroupsForPods: securityGroupsForPods, warmEniTarget: warmEniTarget, warmIpTarget: warmIpTarget,
            minimumIpTarget: minimumIpTarget, warmPrefixTarget: warmPrefixTarget)
        let report: NodeIPPoolReport
        do {
            report = try NodeIPPoolReport.compute(instanceType: instanceType, cni: input, pods: pods, maxPods: maxPods)
        } catch {
            throw CommandFailure.invalid(error)
        }
        let state = report.state
        if outputOptions.isJSON {
            try printJSON(report)
            return
        }
        print("\(state.instanceType) with \(state.pods) pods (max pods \(state.maxPods)\(state.prefixDelegation ? ", prefix delegation" : "")):")
        print("  ENIs attached:        \(state.enis)")
        print("  addresses per ENI:    \(state.addressesPerEni.map(String.init).joined(separator: ", "))")
        if let prefixes = state.prefixesPerEni { print("  prefixes per ENI:     \(prefixes.map(String.init).joined(separator: ", "))") }
        print("  pod addresses held:   \(state.totalIps) (\(state.unusedIps) unused)")
        print("  taken from subnets:   \(state.subnetAddresses + state.trunkEniAddresses)")
        if state.podsWithoutIp > 0 { print("  pods without address: \(state.podsWithoutIp)") }
        if state.podsUnschedulable > 0 { print("  pods over max pods:   \(state.podsUnschedulable)") }
    }
}
