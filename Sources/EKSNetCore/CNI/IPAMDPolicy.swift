/// ipamd's pool decisions for one node configuration (ipamd.go, docs/sources.md): when the pool is too low or too
/// high, how many secondary IPs or /28 prefixes one increase asks for, how many a decrease releases, and whether an
/// ENI may be freed. It reads the datastore's counts and changes nothing, so that the settled pool of one node
/// (`NodeIPPool`) and every node of the timeline (`IPAllocationSimulator`) take the same decisions.
public struct IPAMDPolicy: Hashable, Sendable {
    /// Addresses in one delegated /28 prefix.
    public static let addressesPerPrefix = 16
    /// ipamd's pool reconcile period, in seconds.
    public static let reconcileInterval = 5
    /// Decreases are at least this far apart, in seconds.
    public static let decreaseInterval = 30
    /// No increase for this long after an "Insufficient…" error (`insufficientCidrErrorCooldown`), in seconds.
    public static let insufficientAddressBackoff = 120
    /// An ENI younger than this is never freed (`eniNoManageTimeout`-style grace in `getDeletableENI`), in seconds.
    public static let minimumENILifetime = 60

    /// The knobs in force (prefix delegation already narrowed to what the type and version support).
    public let settings: WarmPoolSettings
    /// ENI slots on the default network card after MAX_ENI.
    public let maxENIs: Int
    /// Secondary IPs per ENI (SIP) or prefixes per ENI (PD): IPv4 per ENI − 1.
    public let slotsPerENI: Int
    /// Whether /28 prefixes are used.
    public let prefixMode: Bool
    /// kubelet max pods: ipamd stops growing once the pool holds this many addresses.
    public let maxPods: Int
    // What the VPC CNI release decides is kept as flags, not as the version: a policy is copied for every node on
    // every tick, and the version's text would be reference counted each time.

    /// `ENABLE_SUBNET_DISCOVERY` in force (enabled, and a release that has it): new ENIs may go to tagged subnets.
    public let subnetDiscovery: Bool
    /// Whether a refused AssignPrivateIpAddresses skips that ENI, and the increase goes on to the next ENI with
    /// room, then to a new ENI (1.18.3 and later with subnet discovery): no back-off for it.
    public let skipsENIsThatRefuseAddresses: Bool
    /// Whether a refused AssignPrivateIpAddresses stops increases for `insufficientAddressBackoff` seconds.
    public let backsOffAfterRefusedAssign: Bool
    /// Whether a new ENI is created with its addresses in one call (else: create, attach, then assign).
    public let createsENIWithAddresses: Bool

    public init(
        instanceType: InstanceType, settings: WarmPoolSettings, maxPods: Int, cniVersion: CNIVersion = .current,
        subnetDiscoveryEnabled: Bool = true
    ) {
        self.settings = settings
        subnetDiscovery = subnetDiscoveryEnabled && cniVersion >= .subnetDiscoveryMinimum
        skipsENIsThatRefuseAddresses =
            subnetDiscovery && cniVersion.isAtLeast(patchRelease: .refusedAssignmentCreatesENIMinimum)
        backsOffAfterRefusedAssign = cniVersion >= .insufficientAddressBackoffMinimum && !skipsENIsThatRefuseAddresses
        createsENIWithAddresses = cniVersion >= .eniCreatedWithAddressesMinimum
        let limit = instanceType.maximumNetworkInterfaces
        maxENIs = settings.maxEni.map { min(max($0, 1), limit) } ?? limit
        slotsPerENI = max(0, instanceType.ipv4AddressesPerInterface - 1)
        prefixMode = settings.prefixDelegation && instanceType.prefixDelegationSupported
        self.maxPods = maxPods
    }

    /// What the decisions read of a node's pool: ipamd's datastore statistics.
    public struct Stats: Hashable, Sendable {
        /// Pod-usable addresses held (Total).
        public var total: Int
        /// Addresses bound to pods (Assigned).
        public var assigned: Int
        /// /28 prefixes held; 0 in secondary-IP mode.
        public var totalPrefixes: Int
        /// Prefixes with no pod on them; 0 in secondary-IP mode.
        public var freePrefixes: Int

        public init(total: Int, assigned: Int, totalPrefixes: Int = 0, freePrefixes: Int = 0) {
            self.total = total
            self.assigned = assigned
            self.totalPrefixes = totalPrefixes
            self.freePrefixes = freePrefixes
        }

        /// Held and not bound to a pod (Available; cooling addresses count).
        public var available: Int { total - assigned }
    }

    /// Addresses one slot holds: 16 for a prefix, 1 for a secondary IP.
    public var addressesPerSlot: Int { prefixMode ? Self.addressesPerPrefix : 1 }
    /// Addresses one full ENI holds for pods.
    public var addressesPerENI: Int { slotsPerENI * addressesPerSlot }
    /// ENI slots that can join the pool: the trunk ENI takes one when security groups for pods is on.
    public var poolENISlots: Int { max(0, maxENIs - (settings.securityGroupsForPods ? 1 : 0)) }
    /// ENIs whose slots can hold pods: custom networking keeps pods off the primary ENI.
    public var podENIs: Int { max(0, poolENISlots - (settings.customNetworking ? 1 : 0)) }
    /// Pod addresses a node holds when every pod ENI is full: nothing more can be added.
    public var fullPoolAddresses: Int { podENIs * addressesPerENI }

    /// Whether a refused CreateNetworkInterface stops increases for `insufficientAddressBackoff` seconds.
    public var backsOffAfterRefusedCreate: Bool { createsENIWithAddresses }

    /// `inInsufficientCidrCoolingPeriod`: `time.Since(lastInsufficientCidrError) <= 120s`. The error is stamped
    /// during one pool update and the next ones come 5 s of sleep plus the work between later, so the update 24
    /// reconciles (120 s) on is the first past the 120 s: seconds since the refusal below 120 still cool.
    public static func isCoolingAfterRefusal(secondsSince elapsed: Int) -> Bool {
        elapsed < insufficientAddressBackoff
    }

    /// Whether pods may take addresses from the ENI at this index (custom networking skips the primary).
    public func holdsPods(eni index: Int) -> Bool {
        !(settings.customNetworking && index == 0)
    }

    /// /28 prefixes that hold this many addresses.
    public static func prefixes(for addresses: Int) -> Int {
        (addresses + addressesPerPrefix - 1) / addressesPerPrefix
    }

    /// Addresses rounded up to whole slots' worth (a multiple of 16 in prefix mode).
    func roundedToSlots(_ addresses: Int) -> Int {
        prefixMode ? Self.prefixes(for: addresses) * Self.addressesPerPrefix : addresses
    }

    /// WARM_ENI_TARGET or WARM_PREFIX_TARGET, whichever the mode reads (IP-target mode reads neither).
    var warmTarget: Int { prefixMode ? settings.warmPrefixTarget : settings.warmEniTarget }
    /// The unit the warm target counts in: a prefix's 16 addresses or a whole ENI's secondary IPs.
    var warmUnit: Int { prefixMode ? Self.addressesPerPrefix : slotsPerENI }

    /// IP-target mode: addresses short of WARM_IP_TARGET / MINIMUM_IP_TARGET.
    public func shortAddresses(_ pool: Stats) -> Int {
        max(settings.warmIPs - pool.available, settings.minimumIPs - pool.total, 0)
    }

    /// IP-target mode: the shortfall in slots (prefixes round up).
    public func shortSlots(_ pool: Stats) -> Int {
        let short = shortAddresses(pool)
        return prefixMode ? Self.prefixes(for: short) : short
    }

    /// `isDatastorePoolTooLow`.
    public func isTooLow(_ pool: Stats) -> Bool {
        if pool.total >= maxPods { return false }
        if settings.ipTargetMode { return shortSlots(pool) > 0 }
        return pool.available < warmTarget * warmUnit || (warmTarget == 0 && pool.available == 0)
    }

    /// Slots one increase asks for, before clamping to an ENI's room: the shortfall with IP targets, the missing
    /// free prefixes (at least one) with WARM_PREFIX_TARGET, a whole ENI's worth with WARM_ENI_TARGET.
    public func increaseSlots(_ pool: Stats) -> Int {
        if settings.ipTargetMode { return prefixMode ? max(1, shortSlots(pool)) : shortSlots(pool) }
        if prefixMode { return max(1, settings.warmPrefixTarget - pool.freePrefixes) }
        return slotsPerENI
    }

    /// Whether an increase has anything to ask for: slots wanted, and a pod ENI not yet full.
    public func canGrow(_ pool: Stats) -> Bool {
        slotsPerENI > 0 && pool.total < fullPoolAddresses && increaseSlots(pool) > 0
    }

    /// `isDatastorePoolTooHigh`: slots (IPs or prefixes) a decrease may release; 0 when not too high.
    /// Secondary-IP mode without IP targets never releases single IPs, only whole ENIs.
    public func surplusSlots(_ pool: Stats) -> Int {
        if settings.ipTargetMode {
            if prefixMode {
                let neededForWarm = Self.prefixes(for: pool.assigned + settings.warmIPs)
                let neededForMinimum = Self.prefixes(for: settings.minimumIPs)
                return max(
                    0, min(pool.freePrefixes, pool.totalPrefixes - neededForWarm, pool.totalPrefixes - neededForMinimum))
            }
            return max(0, min(pool.available - settings.warmIPs, pool.total - settings.minimumIPs))
        }
        if prefixMode { return max(0, pool.freePrefixes - settings.warmPrefixTarget) }
        return 0
    }

    /// How many more pods can be bound before the pool turns too low (the last of them turns it): the pool does
    /// nothing between, so arrivals can be taken in one batch. `Int.max` once growth has stopped at max pods.
    public func podsUntilTooLow(_ pool: Stats) -> Int {
        if pool.total >= maxPods { return Int.max }
        // IP-target mode: short > 0 once available < WARM_IP_TARGET (MINIMUM_IP_TARGET does not move with pods).
        let threshold = settings.ipTargetMode ? settings.warmIPs : (warmTarget == 0 ? 1 : warmTarget * warmUnit)
        return max(1, pool.available - threshold + 1)
    }

    /// `shouldRemoveExtraENIs`: whether to look for an ENI to free this step. `hasPodFreeSecondaryENI` is asked
    /// only in prefix mode without IP targets.
    public func shouldRemoveExtraENIs(_ pool: Stats, attachedENIs: Int, hasPodFreeSecondaryENI: () -> Bool) -> Bool {
        guard attachedENIs > 1 else { return false }
        if settings.ipTargetMode { return true }
        if pool.available >= (warmTarget + 1) * addressesPerENI { return true }
        return prefixMode && hasPodFreeSecondaryENI()
    }

    /// `getDeletableENI`'s pool checks for an ENI without pods or cooling addresses, at least 60 s old: whether the
    /// other ENIs still meet WARM_IP_TARGET and MINIMUM_IP_TARGET (rounded up to whole prefixes) and, with
    /// WARM_PREFIX_TARGET, keep enough free prefixes.
    public func mayFreeENI(_ pool: Stats, heldSlots: Int) -> Bool {
        let held = heldSlots * addressesPerSlot
        if settings.warmIPs > 0 && pool.available - held < roundedToSlots(settings.warmIPs) { return false }
        if settings.minimumIPs > 0 && pool.total - held < roundedToSlots(settings.minimumIPs) { return false }
        if prefixMode && settings.warmPrefixTarget > 0 && !settings.ipTargetMode
            && pool.freePrefixes - heldSlots < settings.warmPrefixTarget
        {
            return false
        }
        return true
    }
}
