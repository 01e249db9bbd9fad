/// The EC2 API calls ipamd makes on the timeline, one entry per call as AWS counts (and throttles) them, and the
/// calls EC2 refuses for lack of addresses (`InsufficientFreeAddressesInSubnet`, `InsufficientCidrBlocks`).
struct EC2CallLedger: Sendable {
    private(set) var calls = SimulationResult.EC2Calls(assign: 0, unassign: 0, createEni: 0, deleteEni: 0)
    private(set) var insufficientAddressErrors = 0

    /// `AssignPrivateIpAddresses` (secondary IPs or prefixes on an existing ENI).
    mutating func assignPrivateIpAddresses(refusedForLackOfAddresses refused: Bool) {
        calls.assign += 1
        if refused { insufficientAddressErrors += 1 }
    }

    /// `CreateNetworkInterface` with its secondary IPs or prefixes.
    mutating func createNetworkInterface(refusedForLackOfAddresses refused: Bool) {
        calls.createEni += 1
        if refused { insufficientAddressErrors += 1 }
    }

    /// `UnassignPrivateIpAddresses` (one call per ENI, whatever it releases).
    mutating func unassignPrivateIpAddresses() {
        calls.unassign += 1
    }

    /// `DeleteNetworkInterface` after the detach.
    mutating func deleteNetworkInterface() {
        calls.deleteEni += 1
    }
}
