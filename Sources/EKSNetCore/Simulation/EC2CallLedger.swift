/// The EC2 API calls ipamd makes on the timeline, one entry per call as CloudTrail and the EC2 API rate limits
/// count them, successful or not; refusals (`InsufficientFreeAddressesInSubnet`, `InsufficientCidrBlocks`) are
/// also counted apart. A terminated node's ENIs go with the instance: EC2 deletes them, ipamd makes no call.
struct EC2CallLedger: Sendable {
    enum API {
        case assign, unassign, createEni, attachEni, detachEni, deleteEni
    }

    private(set) var calls = SimulationResult.EC2Calls.zero
    private(set) var failed = SimulationResult.EC2Calls.zero

    /// Failed calls, all of them refusals for lack of addresses in this model.
    var insufficientAddressErrors: Int { failed.total }

    mutating func record(_ api: API, refusedForLackOfAddresses refused: Bool = false) {
        Self.count(api, in: &calls)
        if refused { Self.count(api, in: &failed) }
    }

    private static func count(_ api: API, in tally: inout SimulationResult.EC2Calls) {
        switch api {
        case .assign: tally.assign += 1
        case .unassign: tally.unassign += 1
        case .createEni: tally.createEni += 1
        case .attachEni: tally.attachEni += 1
        case .detachEni: tally.detachEni += 1
        case .deleteEni: tally.deleteEni += 1
        }
    }
}
