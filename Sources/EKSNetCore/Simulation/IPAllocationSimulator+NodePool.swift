// One node's ipamd on the timeline: each 5 s tick asks IPAMDPolicy what to do and does it against the subnets,
// with the EC2 calls counted as they are made.

extension IPAllocationSimulator {
    /// One `updateIPPoolIfRequired`: at most one increase (one ENI grown, or one ENI created) or one decrease,
    /// then the ENI-freeing check, all judged on the pool as it stood at the start (the datastore's stats are read
    /// once). Pods waiting on the node take free addresses before and after: the CNI's AddNetwork runs apart from
    /// the pool manager.
    mutating func step(_ node: inout SimulatedNode, policy: borrowing IPAMDPolicy) {
        node.reconcile = SimulatedNode.Reconcile(at: now)
        if let attaching = node.attaching {
            // The pool manager is blocked in WaitForENIAndIPsAttached until the new ENI's addresses show up in
            // IMDS; once they do, the update that created the ENI ends and the next decision is a reconcile later.
            if now >= attaching.readyAt {
                node.attaching = nil
                Self.attach(attaching.eni, to: &node, policy: policy)
            }
            bindWaitingPods(&node, policy: policy)
            return
        }
        bindWaitingPods(&node, policy: policy)
        let stats = node.stats
        let attachedENIs = node.enis.count
        if policy.isTooLow(stats) {
            if !IPAMDPolicy.isCoolingAfterRefusal(secondsSince: now - node.lastInsufficient) {
                increase(&node, policy: policy)
            }
        } else if now - node.lastDecrease >= IPAMDPolicy.decreaseInterval {
            let surplus = policy.surplusSlots(stats)
            if surplus > 0 {
                node.reconcile.poolActions += 1
                decrease(&node, policy: policy, over: surplus)
                node.lastDecrease = now
            }
        }
        let removeExtraENIs = policy.shouldRemoveExtraENIs(stats, attachedENIs: attachedENIs) {
            node.hasPodFreeSecondaryENI
        }
        if removeExtraENIs { tryFreeOneENI(&node, policy: policy) }
        bindWaitingPods(&node, policy: policy)
        // Computed apart and static: read in the same statement that writes the node, or as a method of self, the
        // node and the whole simulator were copied on every reconcile.
        let quiet = Self.quietUntil(node, policy: policy, now: now)
        node.quietUntil = quiet
    }

    /// Until when the node's reconciles would do nothing if no pod arrived or left: `Int.max` when nothing is
    /// waiting on the clock (no ENI attaching, no pod that a cooling address could take, nothing an increase could
    /// add, nothing a decrease would release, no ENI to look at freeing), the end of the back-off when only the
    /// back-off holds an increase back, `Int.min` when the next reconcile may act. The timeline skips the node
    /// until then, unless a pod arrives on it or leaves it (which resets `quietUntil`); the skipped node-ticks
    /// still count, since they were played, as no-ops.
    static func quietUntil(_ node: SimulatedNode, policy: IPAMDPolicy, now: Int) -> Int {
        guard node.attaching == nil, node.pending == 0 || node.available == 0 else { return Int.min }
        let stats = node.stats
        var until = Int.max
        if policy.isTooLow(stats) {
            if policy.canGrow(stats) {
                guard IPAMDPolicy.isCoolingAfterRefusal(secondsSince: now - node.lastInsufficient) else { return Int.min }
                until = node.lastInsufficient + IPAMDPolicy.insufficientAddressBackoff
            }
        } else if policy.surplusSlots(stats) > 0 {
            return Int.min
        }
        if policy.shouldRemoveExtraENIs(stats, attachedENIs: node.enis.count, hasPodFreeSecondaryENI: { node.hasPodFreeSecondaryENI }) {
            return Int.min
        }
        return until
    }

    mutating func bindWaitingPods(_ node: inout SimulatedNode, policy: IPAMDPolicy) {
        while node.pending > 0 && assignOne(&node, policy: policy) { node.pending -= 1 }
    }

    /// Adds a created ENI's addresses to the node's pool (setupENI).
    static func attach(_ eni: SimulatedENI, to node: inout SimulatedNode, policy: IPAMDPolicy) {
        node.enis.append(eni)
        let slots = policy.prefixMode ? eni.prefixes.count : eni.ips.count
        node.total += slots * policy.addressesPerSlot
        if policy.prefixMode {
            node.totalPrefixes += slots
            node.freePrefixes += slots
        }
    }

    /// ENI indexes in the order ipamd would visit them: first-fit, or a seeded shuffle (Go map order).
    mutating func visitOrder(_ count: Int) -> ENIOrder {
        guard setup.order == .random && count > 1 else { return ENIOrder(count: count, shuffled: nil) }
        var order = Array(0..<count)
        order.shuffle(using: &random)
        return ENIOrder(count: count, shuffled: order)
    }

    /// `increaseDatastorePool`: grow an existing ENI (`tryAssignIPs` / `tryAssignPrefixes`), else create one
    /// (`tryAllocateENI`) when the instance has a free slot (`hasRoomForEni`).
    mutating func increase(_ node: inout SimulatedNode, policy: IPAMDPolicy) {
        let settings = policy.settings
        guard policy.canGrow(node.stats) else { return }
        let want = policy.increaseSlots(node.stats)
        node.reconcile.poolActions += 1
        var refused = false
        for index in visitOrder(node.enis.count) {
            if settings.customNetworking && node.enis[index].isPrimaryENI { continue }
            let held = policy.prefixMode ? node.enis[index].prefixes.count : node.enis[index].ips.count
            guard held < policy.slotsPerENI else { continue }
            let wanted = min(policy.slotsPerENI - held, want)
            if let added = assign(wanted, to: &node.enis[index], policy: policy, retryWithOne: true) {
                node.total += added * policy.addressesPerSlot
                if policy.prefixMode {
                    node.totalPrefixes += added
                    node.freePrefixes += added
                }
                node.subnetExhausted = false
                return
            }
            refused = true
            node.reconcile.assignmentRefused = true
            // Before 1.18.3, or without subnet discovery, the refusal is an error: the increase ends there and (from
            // 1.10) stamps lastInsufficientCidrError. From 1.18.3 with discovery the ENI is skipped.
            guard policy.skipsENIsThatRefuseAddresses else {
                refusedForLackOfAddresses(&node, backOff: policy.backsOffAfterRefusedAssign)
                return
            }
        }
        // Nothing grown (every ENI full, or each refused and skipped): a new ENI on a free slot. Without one the
        // increase ends with no back-off, and the next reconcile asks the same ENIs again.
        guard node.enis.count + (node.attaching == nil ? 0 : 1) < policy.poolENISlots else {
            if refused { node.subnetExhausted = true }
            return
        }
        let slots = min(want, policy.slotsPerENI)
        guard slots > 0 else { return }
        for subnet in eniSubnets(for: node, policy: policy) {
            // From 1.16.0 CreateNetworkInterface carries the addresses; before, the ENI was created bare, attached,
            // and AssignPrivateIpAddresses followed.
            guard var eni = createENI(in: subnet, slots: policy.createsENIWithAddresses ? slots : 0, policy: policy) else {
                ledger.record(.createEni, refusedForLackOfAddresses: true)
                node.refusedCreates += 1
                continue
            }
            ledger.record(.createEni)
            ledger.record(.attachEni)
            node.subnetExhausted = false
            if !policy.createsENIWithAddresses && assign(slots, to: &eni, policy: policy, retryWithOne: false) == nil {
                // The bare ENI stays attached; its addresses are retried after the back-off.
                refusedForLackOfAddresses(&node, backOff: policy.backsOffAfterRefusedAssign)
            }
            if setup.attachLatency == 0 {
                Self.attach(eni, to: &node, policy: policy)
            } else {
                node.attaching = (now + setup.attachLatency, eni)
            }
            return
        }
        // Refused in every candidate subnet: from 1.16.0 this starts the back-off as a refused assignment does;
        // earlier releases logged it and tried again on the next reconcile.
        refusedForLackOfAddresses(&node, backOff: policy.backsOffAfterRefusedCreate)
    }

    /// ipamd's answer to "Insufficient…": the node waits for addresses, and, where the release backs off, no
    /// increase is tried for `insufficientAddressBackoff` seconds.
    mutating func refusedForLackOfAddresses(_ node: inout SimulatedNode, backOff: Bool) {
        if backOff { node.lastInsufficient = now }
        node.subnetExhausted = true
    }

    /// Where a new ENI goes (awsutils' createENI): the ENIConfig subnet (custom networking); else, with subnet
    /// discovery, the node's subnet and the same-AZ pod subnets (tagged `kubernetes.io/role/cni`), most free
    /// addresses first; else the node's subnet.
    func eniSubnets(for node: SimulatedNode, policy: IPAMDPolicy) -> [Int] {
        if policy.settings.customNetworking {
            return setup.eniConfigByZone[node.zone].map { [$0] } ?? []
        }
        var candidates = [node.subnet]
        guard policy.subnetDiscovery else { return candidates }
        for (index, subnet) in setup.subnets.enumerated()
        where subnet.podSubnet && subnet.zone == node.zone && index != node.subnet {
            candidates.append(index)
        }
        guard candidates.count > 1 else { return candidates }
        // The free counts are read first: a comparator that read `pools` through `self` would copy the whole
        // simulator on every comparison (it did, and that was most of a large run's time).
        let free = candidates.map { pools[$0].freeAddresses }
        return candidates.indices.sorted { free[$0] > free[$1] }.map { candidates[$0] }
    }

    /// AssignPrivateIpAddresses on an ENI: all or nothing (as EC2 answers), retried once with a single slot when
    /// growing an existing ENI (`tryAssignIPs`); nil when refused.
    mutating func assign(_ count: Int, to eni: inout SimulatedENI, policy: IPAMDPolicy, retryWithOne: Bool) -> Int? {
        for attempt in (retryWithOne ? [count, 1] : [count]) where attempt <= count && attempt > 0 {
            if policy.prefixMode {
                guard pools[eni.subnet].freeAligned28Blocks >= attempt else {
                    ledger.record(.assign, refusedForLackOfAddresses: true)
                    noteExhausted(eni.subnet)
                    continue
                }
                for _ in 0..<attempt {
                    // Safe: enough free blocks were checked above.
                    let base = pools[eni.subnet].allocatePrefix()!
                    eni.prefixes.append(SimulatedPrefix(base: base))
                }
                heldPerSubnet[eni.subnet] += attempt * IPAMDPolicy.addressesPerPrefix
            } else {
                guard pools[eni.subnet].freeAddresses >= attempt else {
                    ledger.record(.assign, refusedForLackOfAddresses: true)
                    noteExhausted(eni.subnet)
                    continue
                }
                // Free addresses inside a prefix reservation are not given out as /32s.
                guard let taken = takeAddresses(attempt, from: eni.subnet) else {
                    ledger.record(.assign, refusedForLackOfAddresses: true)
                    noteExhausted(eni.subnet)
                    continue
                }
                eni.ips += taken
                heldPerSubnet[eni.subnet] += attempt
            }
            ledger.record(.assign)
            return attempt
        }
        return nil
    }

    mutating func createENI(in subnet: Int, slots: Int, policy: IPAMDPolicy) -> SimulatedENI? {
        let pool = pools[subnet]
        let fits = policy.prefixMode
            ? pool.freeAligned28Blocks >= slots && pool.freeAddresses >= slots * IPAMDPolicy.addressesPerPrefix + 1
            : pool.freeAddresses >= slots + 1
        guard fits, let primary = pools[subnet].allocateAddress(order: setup.order, random: &random) else {
            noteExhausted(subnet)
            return nil
        }
        nodeAddressesPerSubnet[subnet] += 1
        var eni = SimulatedENI(subnet: subnet, primary: primary, createdAt: now, isPrimaryENI: false)
        if policy.prefixMode {
            guard pools[subnet].freeAligned28Blocks >= slots else {
                // The primary took the last address of a free block.
                pools[subnet].release(address: primary)
                nodeAddressesPerSubnet[subnet] -= 1
                noteExhausted(subnet)
                return nil
            }
            for _ in 0..<slots { eni.prefixes.append(SimulatedPrefix(base: pools[subnet].allocatePrefix()!)) }
            heldPerSubnet[subnet] += slots * IPAMDPolicy.addressesPerPrefix
        } else {
            guard let taken = takeAddresses(slots, from: subnet) else {
                pools[subnet].release(address: primary)
                nodeAddressesPerSubnet[subnet] -= 1
                noteExhausted(subnet)
                return nil
            }
            eni.ips = taken
            heldPerSubnet[subnet] += slots
        }
        return eni
    }

    /// Takes `count` /32s from a subnet, all or none (as EC2 does).
    mutating func takeAddresses(_ count: Int, from subnet: Int) -> [Int]? {
        var taken: [Int] = []
        taken.reserveCapacity(count)
        for _ in 0..<count {
            guard let offset = pools[subnet].allocateAddress(order: setup.order, random: &random) else {
                for offset in taken { pools[subnet].release(address: offset) }
                return nil
            }
            taken.append(offset)
        }
        return taken
    }

    mutating func noteExhausted(_ subnet: Int) {
        if firstExhausted[subnet] == nil { firstExhausted[subnet] = now }
    }

    /// Binds one waiting pod to an address that is neither assigned nor cooling; false when none is.
    mutating func assignOne(_ node: inout SimulatedNode, policy: IPAMDPolicy) -> Bool {
        guard node.available > 0 else { return false }
        let skipPrimary = policy.settings.customNetworking
        for index in visitOrder(node.enis.count) {
            if skipPrimary && node.enis[index].isPrimaryENI { continue }
            if policy.prefixMode {
                for prefix in node.enis[index].prefixes.indices {
                    _ = node.enis[index].prefixes[prefix].cooling.expire(now: now)
                    let assigned = node.enis[index].prefixes[prefix].assigned
                    if assigned + node.enis[index].prefixes[prefix].cooling.count < IPAMDPolicy.addressesPerPrefix {
                        if assigned == 0 { node.freePrefixes -= 1 }
                        node.enis[index].prefixes[prefix].assigned += 1
                        node.assigned += 1
                        assignedPerSubnet[node.enis[index].subnet] += 1
                        return true
                    }
                }
            } else {
                _ = node.enis[index].cooling.expire(now: now)
                if node.enis[index].assigned + node.enis[index].cooling.count < node.enis[index].ips.count {
                    node.enis[index].assigned += 1
                    node.assigned += 1
                    assignedPerSubnet[node.enis[index].subnet] += 1
                    return true
                }
            }
        }
        return false
    }

    /// Unbinds one pod's address, which then cools for IP_COOLDOWN_PERIOD.
    mutating func unassignOne(_ node: inout SimulatedNode) {
        let policy = policies[node.group]
        let expiry = now + max(0, policy.settings.ipCooldownPeriod)
        for index in visitOrder(node.enis.count).reversed() {
            if policy.prefixMode {
                for prefix in node.enis[index].prefixes.indices.reversed() where node.enis[index].prefixes[prefix].assigned > 0 {
                    node.enis[index].prefixes[prefix].assigned -= 1
                    node.enis[index].prefixes[prefix].cooling.append(expiry)
                    if node.enis[index].prefixes[prefix].assigned == 0 { node.freePrefixes += 1 }
                    node.assigned -= 1
                    assignedPerSubnet[node.enis[index].subnet] -= 1
                    return
                }
            } else if node.enis[index].assigned > 0 {
                node.enis[index].assigned -= 1
                node.enis[index].cooling.append(expiry)
                node.assigned -= 1
                assignedPerSubnet[node.enis[index].subnet] -= 1
                return
            }
        }
    }

    /// Releases up to `over` slots with no pod (cooling ones included), one Unassign call per ENI touched.
    /// ipamd walks its ENI map in no set order; under first-fit the pool shrinks as it grew, newest ENI first, so
    /// that an ENI emptied of pods is emptied of addresses too and can then be freed (random order: shuffled).
    mutating func decrease(_ node: inout SimulatedNode, policy: IPAMDPolicy, over: Int) {
        var remaining = over
        for index in visitOrder(node.enis.count).reversed() where remaining > 0 {
            let subnet = node.enis[index].subnet
            if policy.prefixMode {
                var released = 0
                var kept: [SimulatedPrefix] = []
                for prefix in node.enis[index].prefixes {
                    if prefix.assigned == 0 && remaining > 0 {
                        pools[subnet].release(prefix: prefix.base)
                        remaining -= 1
                        released += 1
                    } else {
                        kept.append(prefix)
                    }
                }
                guard released > 0 else { continue }
                node.enis[index].prefixes = kept
                node.total -= released * IPAMDPolicy.addressesPerPrefix
                node.totalPrefixes -= released
                node.freePrefixes -= released
                heldPerSubnet[subnet] -= released * IPAMDPolicy.addressesPerPrefix
                ledger.record(.unassign)
            } else {
                let eni = node.enis[index]
                let freeable = eni.ips.count - eni.assigned
                let release = min(freeable, remaining)
                guard release > 0 else { continue }
                let notCooling = eni.ips.count - eni.assigned - eni.cooling.count
                if release > notCooling { node.enis[index].cooling.dropNewest(release - notCooling) }
                for _ in 0..<release { pools[subnet].release(address: node.enis[index].ips.removeLast()) }
                node.total -= release
                heldPerSubnet[subnet] -= release
                remaining -= release
                ledger.record(.unassign)
            }
        }
    }

    /// Frees at most one ENI that has no pod and no cooling address, is at least 60 s old, and whose loss keeps
    /// the warm and minimum targets (`getDeletableENI`), newest first under first-fit.
    mutating func tryFreeOneENI(_ node: inout SimulatedNode, policy: IPAMDPolicy) {
        for index in visitOrder(node.enis.count).reversed() {
            // Read in place, and the cheap reasons to keep an ENI first: this runs for every node on every reconcile
            // under IP targets, and most ENIs have pods.
            guard !node.enis[index].isPrimaryENI, now - node.enis[index].createdAt >= IPAMDPolicy.minimumENILifetime
            else { continue }
            let slots = policy.prefixMode ? node.enis[index].prefixes.count : node.enis[index].ips.count
            let held = slots * policy.addressesPerSlot
            if policy.prefixMode {
                guard node.enis[index].prefixes.allSatisfy({ $0.assigned == 0 }) else { continue }
                var coolingLeft = false
                for prefix in node.enis[index].prefixes.indices {
                    _ = node.enis[index].prefixes[prefix].cooling.expire(now: now)
                    if !node.enis[index].prefixes[prefix].cooling.isEmpty { coolingLeft = true }
                }
                if coolingLeft { continue }
            } else {
                guard node.enis[index].assigned == 0 else { continue }
                _ = node.enis[index].cooling.expire(now: now)
                if !node.enis[index].cooling.isEmpty { continue }
            }
            guard policy.mayFreeENI(node.stats, heldSlots: slots) else { continue }
            let eni = node.enis.remove(at: index)
            node.total -= held
            if policy.prefixMode {
                node.totalPrefixes -= slots
                node.freePrefixes -= slots
            }
            releaseENI(eni, prefixMode: policy.prefixMode, assigned: false)
            // FreeENI: DetachNetworkInterface, then DeleteNetworkInterface once the detach is done.
            ledger.record(.detachEni)
            ledger.record(.deleteEni)
            return
        }
    }
}
