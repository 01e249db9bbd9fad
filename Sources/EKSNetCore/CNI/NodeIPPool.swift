/// One node's VPC CNI address pool: its ENIs and the secondary IPs or /28 prefixes on each, grown by
/// `IPAMDPolicy`'s decisions (ipamd.go, docs/sources.md). What the settled pool of one node is computed on.
public struct NodeIPPool: Hashable, Sendable {
    /// ipamd's decisions for this node.
    public let policy: IPAMDPolicy
    /// Secondary IPs or prefixes per attached ENI; index 0 is the primary ENI.
    public private(set) var slotsInUse: [Int]
    /// Pod addresses assigned, per ENI, in the same order.
    public private(set) var assignedPerENI: [Int]
    /// Running sums, kept as slots and pods change so that every check is O(1).
    private var poolSlots = 0
    private var assignedCount = 0
    private var prefixesWithPods = 0

    /// A freshly launched node: the primary ENI with nothing on it.
    public init(instanceType: InstanceType, settings: WarmPoolSettings, maxPods: Int) {
        policy = IPAMDPolicy(instanceType: instanceType, settings: settings, maxPods: maxPods)
        slotsInUse = [0]
        assignedPerENI = [0]
    }

    public var settings: WarmPoolSettings { policy.settings }
    public var prefixMode: Bool { policy.prefixMode }
    public var addressesPerSlot: Int { policy.addressesPerSlot }
    /// ENIs attached (the primary included).
    public var attachedENIs: Int { slotsInUse.count }
    /// Pod-usable addresses held (ipamd's Total).
    public var totalAddresses: Int { poolSlots * addressesPerSlot }
    /// Addresses bound to pods.
    public var assignedAddresses: Int { assignedCount }
    /// ipamd's Available: held and not bound to a pod.
    public var availableAddresses: Int { totalAddresses - assignedAddresses }
    /// /28 prefixes held (0 in secondary-IP mode).
    public var totalPrefixes: Int { prefixMode ? slotsInUse.reduce(0, +) : 0 }
    /// Prefixes with no pod in them, under first-fit filling.
    public var freePrefixes: Int { prefixMode ? poolSlots - prefixesWithPods : 0 }
    /// Addresses the node takes from subnets: every ENI's primary IP (the node IP is the primary ENI's) plus its
    /// secondary IPs or 16 per prefix.
    public var subnetAddresses: Int {
        attachedENIs + slotsInUse.reduce(0, +) * addressesPerSlot
    }

    /// The counts the policy reads (pool ENIs only: prefixes on a skipped primary hold no pods).
    public var stats: IPAMDPolicy.Stats {
        IPAMDPolicy.Stats(
            total: totalAddresses, assigned: assignedCount, totalPrefixes: prefixMode ? poolSlots : 0,
            freePrefixes: freePrefixes)
    }

    /// ipamd's `isDatastorePoolTooLow`.
    public var isTooLow: Bool { policy.isTooLow(stats) }

    /// How one increase step changed the pool.
    public enum IncreaseOutcome: Hashable, Sendable {
        /// Secondary IPs or prefixes added to an existing ENI (its index).
        case assigned(eni: Int, slots: Int)
        /// A new ENI attached with this many slots on it.
        case attachedENI(slots: Int)
        /// Nothing to add: no room on any ENI and no free ENI slot, or no shortfall.
        case nothing
    }

    /// The slots the next increase step would add, without doing it (the subnet decides whether it can).
    public func plannedIncrease() -> IncreaseOutcome {
        let want = policy.increaseSlots(stats)
        let slotsPerENI = policy.slotsPerENI
        guard want > 0, slotsPerENI > 0 else { return .nothing }
        for eni in slotsInUse.indices where policy.holdsPods(eni: eni) && slotsInUse[eni] < slotsPerENI {
            return .assigned(eni: eni, slots: min(slotsPerENI - slotsInUse[eni], want))
        }
        if attachedENIs < policy.poolENISlots {
            return .attachedENI(slots: min(want, slotsPerENI))
        }
        return .nothing
    }

    /// Applies an increase (first-fit over ENIs, one EC2 mutation).
    public mutating func apply(_ outcome: IncreaseOutcome) {
        switch outcome {
        case .assigned(let eni, let slots):
            slotsInUse[eni] += slots
            if policy.holdsPods(eni: eni) { poolSlots += slots }
        case .attachedENI(let slots):
            slotsInUse.append(slots)
            assignedPerENI.append(0)
            if policy.holdsPods(eni: slotsInUse.count - 1) { poolSlots += slots }
        case .nothing:
            break
        }
    }

    /// Runs increase steps until the pool is no longer too low or cannot grow; returns the steps taken.
    @discardableResult
    public mutating func settle() -> Int {
        var steps = 0
        while isTooLow {
            let outcome = plannedIncrease()
            if outcome == .nothing { break }
            apply(outcome)
            steps += 1
        }
        return steps
    }

    /// How many more pods can be bound before the pool turns "too low"; see `IPAMDPolicy.podsUntilTooLow`.
    public var podsUntilTooLow: Int { policy.podsUntilTooLow(stats) }

    /// Binds up to `count` pods first-fit, as one-at-a-time arrivals would; returns how many got an address.
    public mutating func assignPods(_ count: Int) -> Int {
        var remaining = count
        for eni in slotsInUse.indices where policy.holdsPods(eni: eni) && remaining > 0 {
            let free = slotsInUse[eni] * addressesPerSlot - assignedPerENI[eni]
            let take = min(free, remaining)
            guard take > 0 else { continue }
            if prefixMode {
                let before = IPAMDPolicy.prefixes(for: assignedPerENI[eni])
                let after = IPAMDPolicy.prefixes(for: assignedPerENI[eni] + take)
                prefixesWithPods += after - before
            }
            assignedPerENI[eni] += take
            assignedCount += take
            remaining -= take
        }
        return count - remaining
    }

    /// Binds one pod to the first free address, first-fit over ENIs; false when none is free.
    public mutating func assignPod() -> Bool {
        for eni in slotsInUse.indices where policy.holdsPods(eni: eni) {
            if assignedPerENI[eni] < slotsInUse[eni] * addressesPerSlot {
                if prefixMode && assignedPerENI[eni] % IPAMDPolicy.addressesPerPrefix == 0 { prefixesWithPods += 1 }
                assignedPerENI[eni] += 1
                assignedCount += 1
                return true
            }
        }
        return false
    }
}
