/// One node's VPC CNI address pool: its ENIs and the secondary IPs or /28 prefixes on each, with ipamd's
/// "too low" and increase rules (ip-allocation.md §2.4–2.5). Value type: a simulator steps copies of it.
public struct NodeIPPool: Hashable, Sendable {
    /// The knobs in force.
    public let settings: WarmPoolSettings
    /// ENI slots on the default network card after MAX_ENI.
    public let maxENIs: Int
    /// Secondary IPs per ENI (SIP) or prefixes per ENI (PD): IPv4 per ENI − 1.
    public let slotsPerENI: Int
    /// Whether /28 prefixes are used (prefix delegation asked for and the type supports it).
    public let prefixMode: Bool
    /// kubelet max pods: ipamd stops growing once the pool holds this many addresses.
    public let maxPods: Int
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
        self.settings = settings
        let limit = instanceType.maximumNetworkInterfaces
        self.maxENIs = settings.maxEni.map { min(max($0, 1), limit) } ?? limit
        self.slotsPerENI = max(0, instanceType.ipv4AddressesPerInterface - 1)
        self.prefixMode = settings.prefixDelegation && instanceType.prefixDelegationSupported
        self.maxPods = maxPods
        self.slotsInUse = [0]
        self.assignedPerENI = [0]
    }

    /// Addresses one slot holds: 16 for a prefix, 1 for a secondary IP.
    public var addressesPerSlot: Int { prefixMode ? MaxPods.addressesPerPrefix : 1 }
    /// Addresses one full ENI holds for pods.
    public var addressesPerENI: Int { slotsPerENI * addressesPerSlot }
    /// ENI slots that can join the pool: the trunk ENI takes one when security groups for pods is on.
    public var poolENISlots: Int { max(0, maxENIs - (settings.securityGroupsForPods ? 1 : 0)) }
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

    func isPoolENI(_ index: Int) -> Bool {
        !(settings.customNetworking && index == 0)
    }

    /// ipamd's `isDatastorePoolTooLow`.
    public var isTooLow: Bool {
        let total = totalAddresses
        if total >= maxPods { return false }
        let available = total - assignedAddresses
        if settings.ipTargetMode { return shortSlots(total: total, available: available) > 0 }
        let target = prefixMode ? settings.warmPrefixTarget : settings.warmEniTarget
        let unit = prefixMode ? MaxPods.addressesPerPrefix : slotsPerENI
        return available < target * unit || (target == 0 && available == 0)
    }

    /// IP-target mode: addresses short of WARM_IP_TARGET / MINIMUM_IP_TARGET.
    func shortAddresses(total: Int, available: Int) -> Int {
        max(settings.warmIPs - available, settings.minimumIPs - total, 0)
    }

    /// IP-target mode: the shortfall in slots (prefixes round up).
    func shortSlots(total: Int, available: Int) -> Int {
        let short = shortAddresses(total: total, available: available)
        return prefixMode ? (short + MaxPods.addressesPerPrefix - 1) / MaxPods.addressesPerPrefix : short
    }

    /// How one increase step changed the pool.
    public enum IncreaseOutcome: Hashable, Sendable {
        /// Secondary IPs or prefixes added to an existing ENI (its index).
        case assigned(eni: Int, slots: Int)
        /// A new ENI attached with this many slots on it.
        case attachedENI(slots: Int)
        /// Nothing to add: no room on any ENI and no free ENI slot, or no shortfall.
        case nothing
    }

    /// Slots one increase step asks for, before clamping to an ENI's room.
    func wantedSlots() -> Int {
        let total = totalAddresses
        let available = total - assignedAddresses
        if settings.ipTargetMode { return shortSlots(total: total, available: available) }
        if prefixMode { return max(1, settings.warmPrefixTarget - freePrefixes) }
        return slotsPerENI
    }

    /// The slots the next increase step would add, without doing it (the subnet decides whether it can).
    public func plannedIncrease() -> IncreaseOutcome {
        let want = wantedSlots()
        guard want > 0, slotsPerENI > 0 else { return .nothing }
        for eni in slotsInUse.indices where isPoolENI(eni) && slotsInUse[eni] < slotsPerENI {
            return .assigned(eni: eni, slots: min(slotsPerENI - slotsInUse[eni], want))
        }
        if attachedENIs < poolENISlots {
            return .attachedENI(slots: min(want, slotsPerENI))
        }
        return .nothing
    }

    /// Applies an increase (first-fit over ENIs, one EC2 mutation).
    public mutating func apply(_ outcome: IncreaseOutcome) {
        switch outcome {
        case .assigned(let eni, let slots):
            slotsInUse[eni] += slots
            if isPoolENI(eni) { poolSlots += slots }
        case .attachedENI(let slots):
            slotsInUse.append(slots)
            assignedPerENI.append(0)
            if isPoolENI(slotsInUse.count - 1) { poolSlots += slots }
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

    /// How many more pods can be bound before the pool turns "too low" (the last of them turns it): the pool does
    /// nothing between, so arrivals can be taken in one batch. `Int.max` once growth has stopped at max pods.
    public var podsUntilTooLow: Int {
        let total = totalAddresses
        if total >= maxPods { return Int.max }
        let available = total - assignedAddresses
        let threshold: Int
        if settings.ipTargetMode {
            // short > 0 once available < WARM_IP_TARGET (MINIMUM_IP_TARGET does not move with pods).
            threshold = settings.warmIPs
        } else {
            let target = prefixMode ? settings.warmPrefixTarget : settings.warmEniTarget
            threshold = target == 0 ? 1 : target * (prefixMode ? MaxPods.addressesPerPrefix : slotsPerENI)
        }
        return max(1, available - threshold + 1)
    }

    /// Binds up to `count` pods first-fit, as one-at-a-time arrivals would; returns how many got an address.
    public mutating func assignPods(_ count: Int) -> Int {
        var remaining = count
        for eni in slotsInUse.indices where isPoolENI(eni) && remaining > 0 {
            let free = slotsInUse[eni] * addressesPerSlot - assignedPerENI[eni]
            let take = min(free, remaining)
            guard take > 0 else { continue }
            if prefixMode {
                let before = (assignedPerENI[eni] + MaxPods.addressesPerPrefix - 1) / MaxPods.addressesPerPrefix
                let after = (assignedPerENI[eni] + take + MaxPods.addressesPerPrefix - 1) / MaxPods.addressesPerPrefix
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
        for eni in slotsInUse.indices where isPoolENI(eni) {
            if assignedPerENI[eni] < slotsInUse[eni] * addressesPerSlot {
                if prefixMode && assignedPerENI[eni] % MaxPods.addressesPerPrefix == 0 { prefixesWithPods += 1 }
                assignedPerENI[eni] += 1
                assignedCount += 1
                return true
            }
        }
        return false
    }
}
