/// Plays the VPC CNI's IP address manager on every node of a timeline, against subnets modelled address by
/// address (ip-allocation.md §2, §4): a 5 s pool tick per node, one increase or decrease per tick, decreases 30 s
/// apart, ENIs kept at least 60 s, 120 s without increases after an "Insufficient…" error, cooldown for freed
/// addresses, ENI attach latency. Deterministic for a given seed.
public struct IPAllocationSimulator {
    var setup: SimulationSetup
    /// Each group's ipamd decisions: plain values, copied on the hot path without reference counting.
    let policies: [IPAMDPolicy]
    var random: SplitMix64
    var pools: [SubnetAddressPool]
    var nodes: [SimulatedNode] = []
    /// Pods of each workload that no node could take (every node at max pods).
    var unscheduled: [Int]
    /// Pods of each workload still to replace in a rolling restart, and the batch per tick.
    var restarting: [(remaining: Int, batch: Int)]
    var heldPerSubnet: [Int]
    var assignedPerSubnet: [Int]
    var nodeAddressesPerSubnet: [Int]
    var now = 0
    var calls = SimulationResult.EC2Calls(assign: 0, unassign: 0, createEni: 0, deleteEni: 0)
    var insufficientErrors = 0
    var failedLaunches = 0
    var firstExhausted: [Int?]
    var peakInUse: [Int]
    var peakHeld = 0
    var peakHeldUnassigned = 0
    var peakPending = 0
    var nodeTicks = 0
    /// Pods waiting on nodes, summed during the last tick.
    var pendingOnNodes = 0
    /// Round-robin start per group for the scheduler.
    var schedulerCursor: [Int]

    static let tick = SimulationSetup.tick

    /// Checks the input and runs it, with alternatives unless asked not to.
    ///
    /// A long run stops soon after its task is cancelled (a deleted job, a time budget, a shutdown): the timeline
    /// checks for cancellation on every tick. What it returns then is partial, and a caller that cancels discards it
    /// (`Task.checkCancellation()` after the call).
    public static func run(_ input: SimulationInput, catalog: InstanceTypeCatalog = .standard) throws(ValidationFailure)
        -> SimulationResult
    {
        run(try SimulationSetup(input, catalog: catalog))
    }

    /// Runs a checked input, with alternatives unless it asked not to; stops early when its task is cancelled
    /// (see `run(_:catalog:)`).
    public static func run(_ setup: SimulationSetup) -> SimulationResult {
        var result = timeline(setup)
        if setup.input.compareAlternatives ?? true {
            let (alternatives, advice) = compare(setup, baseline: result)
            result.alternatives = alternatives
            result.advice = advice
        }
        return result
    }

    /// The timeline's result; when the task is cancelled part-way, a partial one that the caller must discard.
    static func timeline(_ setup: SimulationSetup) -> SimulationResult {
        var simulator = IPAllocationSimulator(setup: setup)
        return simulator.simulate()
    }

    init(setup: SimulationSetup) {
        self.setup = setup
        policies = setup.groups.map(\.policy)
        random = SplitMix64(seed: setup.seed)
        var pools: [SubnetAddressPool] = []
        for subnet in setup.subnets {
            pools.append(
                SubnetAddressPool(
                    block: subnet.block, inUse: subnet.inUse, prefixReservation: subnet.reservation, order: setup.order,
                    random: &random))
        }
        self.pools = pools
        unscheduled = setup.workloads.map { _ in 0 }
        restarting = setup.workloads.map { _ in (0, 0) }
        heldPerSubnet = setup.subnets.map { _ in 0 }
        assignedPerSubnet = setup.subnets.map { _ in 0 }
        nodeAddressesPerSubnet = setup.subnets.map { _ in 0 }
        firstExhausted = setup.subnets.map { _ in nil }
        peakInUse = pools.map { $0.block.awsUsableAddressCount - $0.freeAddresses }
        schedulerCursor = setup.groups.map { _ in 0 }
    }

    // MARK: - Timeline

    mutating func simulate() -> SimulationResult {
        var recorder = SeriesRecorder(setup: setup)
        for (index, group) in setup.groups.enumerated() { scale(group: index, to: group.initialNodes) }
        for (index, workload) in setup.workloads.enumerated() { unscheduled[index] = workload.pods }
        var nextEvent = 0
        for tickIndex in 0...setup.ticks {
            if Task.isCancelled { break }
            now = tickIndex * Self.tick
            while nextEvent < setup.events.count && setup.events[nextEvent].at <= now {
                apply(setup.events[nextEvent].kind)
                nextEvent += 1
            }
            schedule()
            progressRestarts()
            pendingOnNodes = 0
            // Moved out of self so that each node is mutated in place while step() mutates the pools.
            var working = nodes
            nodes = []
            for index in working.indices where working[index].alive {
                step(&working[index])
                pendingOnNodes += working[index].pending
                nodeTicks += 1
            }
            nodes = working
            observe()
            recorder.maybeRecord(tick: tickIndex, simulator: self)
        }
        return finish(recorder)
    }

    mutating func apply(_ event: SimulationSetup.EventKind) {
        switch event {
        case .scale(let group, let count): scale(group: group, to: count)
        case .setPods(let workload, let pods): setPods(workload: workload, to: pods)
        case .rollingRestart(let workload, let percent):
            let replicas = podsOf(workload: workload)
            restarting[workload] = (replicas, max(1, (replicas * percent + 99) / 100))
        }
    }

    func podsOf(workload: Int) -> Int {
        nodes.reduce(unscheduled[workload]) { $0 + ($1.alive ? $1.podsByWorkload[workload] : 0) }
    }

    /// Launches or terminates nodes as an Auto Scaling group would: new ones in the least-used subnet (AZ
    /// balance), removals from the most-used, newest first; evicted pods go back to the scheduler.
    mutating func scale(group: Int, to target: Int) {
        let config = setup.groups[group]
        var current = nodes.indices.filter { nodes[$0].alive && nodes[$0].group == group }
        var counts = config.subnets.map { subnet in current.filter { nodes[$0].subnet == subnet }.count }
        var full: Set<Int> = []
        while current.count < target {
            guard let slot = counts.indices.filter({ !full.contains($0) }).min(by: { counts[$0] < counts[$1] }) else { break }
            let subnet = config.subnets[slot]
            guard let primary = pools[subnet].allocateAddress(order: setup.order, random: &random) else {
                noteExhausted(subnet)
                // Try the group's other subnets; when none has room, the rest of the nodes cannot launch.
                full.insert(slot)
                continue
            }
            nodeAddressesPerSubnet[subnet] += 1
            var node = SimulatedNode(
                group: group, subnet: subnet, zone: setup.subnets[subnet].zone, launchedAt: now,
                podsByWorkload: setup.workloads.map { _ in 0 })
            node.enis = [SimulatedENI(subnet: subnet, primary: primary, createdAt: now, isPrimaryENI: true)]
            nodes.append(node)
            current.append(nodes.count - 1)
            counts[slot] += 1
        }
        // Nodes the group wanted but could not launch: no address for their primary ENI.
        failedLaunches += max(0, target - current.count)
        guard current.count > target else { return }
        // Each removal takes the newest node of the subnet with the most nodes (ties: the lower subnet index).
        // Members per subnet, oldest first, so that a removal costs a look over the subnets, not over the nodes.
        var bySubnet: [Int: [Int]] = [:]
        for index in current { bySubnet[nodes[index].subnet, default: []].append(index) }
        var remaining = current.count
        while remaining > target {
            guard
                let busiest = bySubnet.filter({ !$0.value.isEmpty })
                    .max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) })?.key,
                let victim = bySubnet[busiest]?.popLast()
            else { break }
            terminate(victim)
            remaining -= 1
        }
        removeTerminatedNodes()
    }

    /// Drops terminated nodes once they outnumber the live ones, so that a long run of scaling costs what its live
    /// nodes cost. Live nodes keep their order, which is all that the scheduler and the restarts depend on.
    mutating func removeTerminatedNodes() {
        let alive = nodes.reduce(0) { $0 + ($1.alive ? 1 : 0) }
        guard nodes.count - alive > max(alive, 64) else { return }
        nodes.removeAll { !$0.alive }
    }

    mutating func terminate(_ index: Int) {
        var node = nodes[index]
        for (workload, count) in node.podsByWorkload.enumerated() { unscheduled[workload] += count }
        for eni in node.enis { releaseENI(eni, prefixMode: policies[node.group].prefixMode, assigned: true) }
        if let attaching = node.attaching { releaseENI(attaching.eni, prefixMode: policies[node.group].prefixMode, assigned: true) }
        node.attaching = nil
        node.enis = []
        node.alive = false
        node.scheduled = 0
        node.pending = 0
        nodes[index] = node
    }

    /// Returns an ENI's addresses to its subnet.
    mutating func releaseENI(_ eni: SimulatedENI, prefixMode: Bool, assigned: Bool) {
        pools[eni.subnet].release(address: eni.primary)
        nodeAddressesPerSubnet[eni.subnet] -= 1
        for ip in eni.ips { pools[eni.subnet].release(address: ip) }
        for prefix in eni.prefixes { pools[eni.subnet].release(prefix: prefix.base) }
        let held = prefixMode ? eni.prefixes.count * IPAMDPolicy.addressesPerPrefix : eni.ips.count
        heldPerSubnet[eni.subnet] -= held
        if assigned {
            assignedPerSubnet[eni.subnet] -= prefixMode ? eni.prefixes.reduce(0) { $0 + $1.assigned } : eni.assigned
        }
    }

    mutating func setPods(workload: Int, to target: Int) {
        var current = podsOf(workload: workload)
        if target > current {
            unscheduled[workload] += target - current
            return
        }
        let cut = min(unscheduled[workload], current - target)
        unscheduled[workload] -= cut
        current -= cut
        let group = setup.workloads[workload].group
        var index = nodes.count - 1
        while current > target && !nodes.isEmpty {
            if nodes[index].alive && nodes[index].group == group && nodes[index].podsByWorkload[workload] > 0 {
                deletePod(workload: workload, node: index)
                current -= 1
            }
            index = index == 0 ? nodes.count - 1 : index - 1
        }
    }

    /// Deletes one pod of a workload from a node: a waiting one first, else one with an address (which cools).
    mutating func deletePod(workload: Int, node index: Int) {
        nodes[index].podsByWorkload[workload] -= 1
        nodes[index].scheduled -= 1
        if nodes[index].pending > 0 {
            nodes[index].pending -= 1
        } else {
            var node = SimulatedNode.placeholder
            swap(&node, &nodes[index])
            unassignOne(&node)
            swap(&node, &nodes[index])
        }
    }

    /// Places unscheduled pods round-robin on the nodes of their group that have room under max pods.
    mutating func schedule() {
        for workload in setup.workloads.indices where unscheduled[workload] > 0 {
            let group = setup.workloads[workload].group
            let capacity = setup.groups[group].podCapacity
            let members = nodes.indices.filter { nodes[$0].alive && nodes[$0].group == group }
            guard !members.isEmpty else { continue }
            var placedThisPass = true
            var cursor = schedulerCursor[group] % members.count
            while unscheduled[workload] > 0 && placedThisPass {
                placedThisPass = false
                for offset in 0..<members.count where unscheduled[workload] > 0 {
                    let index = members[(cursor + offset) % members.count]
                    if nodes[index].scheduled < capacity {
                        nodes[index].scheduled += 1
                        nodes[index].pending += 1
                        nodes[index].podsByWorkload[workload] += 1
                        unscheduled[workload] -= 1
                        placedThisPass = true
                    }
                }
                cursor = (cursor + 1) % members.count
            }
            schedulerCursor[group] = cursor
        }
    }

    /// Replaces a batch of each restarting workload's pods: the old pod's address cools, the new pod needs one.
    mutating func progressRestarts() {
        for workload in restarting.indices where restarting[workload].remaining > 0 {
            var batch = min(restarting[workload].batch, restarting[workload].remaining)
            restarting[workload].remaining -= batch
            for index in nodes.indices where batch > 0 && nodes[index].alive {
                let onNode = nodes[index].podsByWorkload[workload]
                let replace = min(onNode, batch)
                var node = SimulatedNode.placeholder
                swap(&node, &nodes[index])
                for _ in 0..<replace where node.pending < node.scheduled {
                    unassignOne(&node)
                    node.pending += 1
                }
                swap(&node, &nodes[index])
                batch -= replace
            }
        }
    }

    // MARK: - One node's pool tick

    mutating func step(_ node: inout SimulatedNode) {
        let policy = policies[node.group]
        if let attaching = node.attaching {
            // ipamd blocks in the increase until the new ENI's addresses show up in IMDS.
            guard now >= attaching.readyAt else { return }
            node.enis.append(attaching.eni)
            node.attaching = nil
            let slots = policy.prefixMode ? attaching.eni.prefixes.count : attaching.eni.ips.count
            node.total += slots * policy.addressesPerSlot
            if policy.prefixMode {
                node.totalPrefixes += slots
                node.freePrefixes += slots
            }
        }
        while node.pending > 0 && assignOne(&node, policy: policy) { node.pending -= 1 }
        if policy.isTooLow(node.stats) {
            if now - node.lastInsufficient > IPAMDPolicy.insufficientAddressBackoff { increase(&node, policy: policy) }
        } else if now - node.lastDecrease >= IPAMDPolicy.decreaseInterval {
            let surplus = policy.surplusSlots(node.stats)
            if surplus > 0 {
                decrease(&node, policy: policy, over: surplus)
                node.lastDecrease = now
            }
        }
        let removeExtraENIs = policy.shouldRemoveExtraENIs(node.stats, attachedENIs: node.enis.count) {
            node.enis.contains { !$0.isPrimaryENI && $0.prefixes.allSatisfy { $0.assigned == 0 } }
        }
        if removeExtraENIs { tryFreeOneENI(&node, policy: policy) }
        while node.pending > 0 && assignOne(&node, policy: policy) { node.pending -= 1 }
    }

    /// ENI indexes in the order ipamd would visit them: first-fit, or a seeded shuffle (Go map order).
    mutating func visitOrder(_ count: Int) -> ENIOrder {
        guard setup.order == .random && count > 1 else { return ENIOrder(count: count, shuffled: nil) }
        var order = Array(0..<count)
        order.shuffle(using: &random)
        return ENIOrder(count: count, shuffled: order)
    }

    mutating func increase(_ node: inout SimulatedNode, policy: IPAMDPolicy) {
        let settings = policy.settings
        let want = policy.increaseSlots(node.stats)
        guard want > 0, policy.slotsPerENI > 0, node.total < policy.fullPoolAddresses else { return }
        // Step A: grow one existing ENI.
        var triedAny = false
        for index in visitOrder(node.enis.count) {
            let eni = node.enis[index]
            if settings.customNetworking && eni.isPrimaryENI { continue }
            let held = policy.prefixMode ? eni.prefixes.count : eni.ips.count
            guard held < policy.slotsPerENI else { continue }
            triedAny = true
            let wanted = min(policy.slotsPerENI - held, want)
            if let added = assign(wanted, to: &node.enis[index], policy: policy) {
                node.total += added * policy.addressesPerSlot
                if policy.prefixMode {
                    node.totalPrefixes += added
                    node.freePrefixes += added
                }
                node.subnetExhausted = false
                return
            }
            // Insufficient addresses: with subnet discovery try the next ENI; otherwise stop.
            if settings.customNetworking {
                node.lastInsufficient = now
                node.subnetExhausted = true
                return
            }
        }
        if triedAny {
            node.lastInsufficient = now
            node.subnetExhausted = true
            return
        }
        // Step B: a new ENI, created with what is needed already on it.
        guard node.enis.count + (node.attaching == nil ? 0 : 1) < policy.poolENISlots else { return }
        let slots = min(want, policy.slotsPerENI)
        guard slots > 0 else { return }
        for subnet in eniSubnets(for: node, policy: policy) {
            if let eni = createENI(in: subnet, slots: slots, policy: policy) {
                calls.createEni += 1
                node.subnetExhausted = false
                if setup.attachLatency == 0 {
                    node.attaching = (now, eni)
                    step(&node)
                } else {
                    node.attaching = (now + setup.attachLatency, eni)
                }
                return
            }
        }
        // CreateNetworkInterface failed in every candidate: the code does not treat this error as "Insufficient…",
        // so there is no back-off; it is retried every tick.
        calls.createEni += 1
        insufficientErrors += 1
        node.subnetExhausted = true
    }

    /// Where a new ENI goes: the ENIConfig subnet (custom networking), else the node's subnet and same-AZ pod
    /// subnets, most free addresses first (subnet discovery).
    func eniSubnets(for node: SimulatedNode, policy: IPAMDPolicy) -> [Int] {
        if policy.settings.customNetworking {
            return setup.eniConfigByZone[node.zone].map { [$0] } ?? []
        }
        var candidates = [node.subnet]
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

    /// AssignPrivateIpAddresses on an ENI: all or nothing, retried once with a single slot; nil on failure.
    mutating func assign(_ count: Int, to eni: inout SimulatedENI, policy: IPAMDPolicy) -> Int? {
        for attempt in [count, 1] where attempt <= count {
            calls.assign += 1
            if policy.prefixMode {
                guard pools[eni.subnet].freeAligned28Blocks >= attempt else {
                    insufficientErrors += 1
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
                    insufficientErrors += 1
                    noteExhausted(eni.subnet)
                    continue
                }
                // Free addresses inside a prefix reservation are not given out as /32s.
                guard let taken = takeAddresses(attempt, from: eni.subnet) else {
                    insufficientErrors += 1
                    noteExhausted(eni.subnet)
                    continue
                }
                eni.ips += taken
                heldPerSubnet[eni.subnet] += attempt
            }
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
                    let item = node.enis[index].prefixes[prefix]
                    if item.assigned + item.cooling.count < IPAMDPolicy.addressesPerPrefix {
                        if item.assigned == 0 { node.freePrefixes -= 1 }
                        node.enis[index].prefixes[prefix].assigned += 1
                        node.assigned += 1
                        assignedPerSubnet[node.enis[index].subnet] += 1
                        return true
                    }
                }
            } else {
                _ = node.enis[index].cooling.expire(now: now)
                let eni = node.enis[index]
                if eni.assigned + eni.cooling.count < eni.ips.count {
                    node.enis[index].assigned += 1
                    node.assigned += 1
                    assignedPerSubnet[eni.subnet] += 1
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
    mutating func decrease(_ node: inout SimulatedNode, policy: IPAMDPolicy, over: Int) {
        var remaining = over
        for index in visitOrder(node.enis.count) where remaining > 0 {
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
                calls.unassign += 1
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
                calls.unassign += 1
            }
        }
    }

    /// Frees at most one ENI that has no pod and no cooling address, is at least 60 s old, and whose loss keeps
    /// the warm and minimum targets.
    mutating func tryFreeOneENI(_ node: inout SimulatedNode, policy: IPAMDPolicy) {
        for index in visitOrder(node.enis.count) {
            var eni = node.enis[index]
            guard !eni.isPrimaryENI, now - eni.createdAt >= IPAMDPolicy.minimumENILifetime else { continue }
            let slots = policy.prefixMode ? eni.prefixes.count : eni.ips.count
            let held = slots * policy.addressesPerSlot
            if policy.prefixMode {
                guard eni.prefixes.allSatisfy({ $0.assigned == 0 }) else { continue }
                var coolingLeft = false
                for prefix in eni.prefixes.indices {
                    _ = eni.prefixes[prefix].cooling.expire(now: now)
                    if !eni.prefixes[prefix].cooling.isEmpty { coolingLeft = true }
                }
                if coolingLeft { continue }
            } else {
                guard eni.assigned == 0 else { continue }
                _ = eni.cooling.expire(now: now)
                if !eni.cooling.isEmpty { continue }
            }
            guard policy.mayFreeENI(node.stats, heldSlots: slots) else { continue }
            node.enis.remove(at: index)
            node.total -= held
            if policy.prefixMode {
                node.totalPrefixes -= slots
                node.freePrefixes -= slots
            }
            releaseENI(eni, prefixMode: policy.prefixMode, assigned: false)
            calls.deleteEni += 1
            return
        }
    }

    // MARK: - Observation

    mutating func observe() {
        var held = 0
        var unassigned = 0
        for subnet in pools.indices {
            let inUse = pools[subnet].block.awsUsableAddressCount - pools[subnet].freeAddresses
            peakInUse[subnet] = max(peakInUse[subnet], inUse)
            held += heldPerSubnet[subnet] + nodeAddressesPerSubnet[subnet]
            unassigned += heldPerSubnet[subnet] - assignedPerSubnet[subnet]
        }
        peakHeld = max(peakHeld, held)
        peakHeldUnassigned = max(peakHeldUnassigned, unassigned)
        peakPending = max(peakPending, unscheduled.reduce(0, +) + pendingOnNodes)
    }

    func pendingPods() -> Int {
        unscheduled.reduce(0, +) + nodes.reduce(0) { $0 + ($1.alive ? $1.pending : 0) }
    }

    func finish(_ recorder: SeriesRecorder) -> SimulationResult {
        let exhaustion = firstExhausted.compactMap { $0 }.min()
        return SimulationResult(
            times: recorder.times,
            subnets: setup.subnets.indices.map { index in
                SimulationResult.SubnetSeries(
                    subnetId: setup.subnets[index].id, usableAddresses: setup.subnets[index].block.awsUsableAddressCount,
                    freeAddresses: recorder.subnetFree[index], freeAligned28Blocks: recorder.subnetBlocks[index],
                    heldUnassigned: recorder.subnetHeldUnassigned[index], peakAddressesInUse: peakInUse[index],
                    firstExhaustedAt: firstExhausted[index])
            },
            nodeGroups: setup.groups.indices.map { index in
                SimulationResult.NodeGroupSeries(
                    name: setup.groups[index].name, instanceType: setup.groups[index].type.name.rawValue,
                    maxPods: setup.groups[index].maxPods, nodes: recorder.groupNodes[index], enis: recorder.groupENIs[index],
                    assigned: recorder.groupAssigned[index], warm: recorder.groupWarm[index],
                    pendingNoIp: recorder.groupPendingNoIP[index],
                    pendingSubnetExhausted: recorder.groupPendingExhausted[index],
                    pendingMaxPods: recorder.groupPendingMaxPods[index])
            },
            events: SimulationResult.Events(
                firstExhaustionAt: exhaustion, insufficientAddressErrors: insufficientErrors,
                failedNodeLaunches: failedLaunches, ec2Calls: calls),
            summary: SimulationResult.Summary(
                durationSeconds: setup.ticks * Self.tick, ticks: setup.ticks + 1, nodeTicks: nodeTicks,
                peakAddressesHeld: peakHeld, peakHeldUnassigned: peakHeldUnassigned, podsPendingAtEnd: pendingPods(),
                peakPodsPending: peakPending),
            alternatives: [], advice: [])
    }
}

/// ENI indexes to visit: 0..<count, or a shuffle of them (allocated only in random mode).
struct ENIOrder: Sequence {
    let count: Int
    let shuffled: [Int]?

    struct Iterator: IteratorProtocol {
        let order: ENIOrder
        var position = 0

        mutating func next() -> Int? {
            guard position < order.count else { return nil }
            defer { position += 1 }
            return order.shuffled?[position] ?? position
        }
    }

    func makeIterator() -> Iterator { Iterator(order: self) }

    func reversed() -> [Int] {
        (shuffled ?? Array(0..<count)).reversed()
    }
}

/// Samples the series every k-th tick so that memory grows with nodes, not with ticks.
struct SeriesRecorder {
    let every: Int
    var times: [Int] = []
    var subnetFree: [[Int]]
    var subnetBlocks: [[Int]]
    var subnetHeldUnassigned: [[Int]]
    var groupNodes: [[Int]]
    var groupENIs: [[Int]]
    var groupAssigned: [[Int]]
    var groupWarm: [[Int]]
    var groupPendingNoIP: [[Int]]
    var groupPendingExhausted: [[Int]]
    var groupPendingMaxPods: [[Int]]

    init(setup: SimulationSetup) {
        every = max(1, (setup.ticks + setup.maxPoints - 1) / (setup.maxPoints - 1))
        let subnets = [[Int]](repeating: [], count: setup.subnets.count)
        let groups = [[Int]](repeating: [], count: setup.groups.count)
        subnetFree = subnets
        subnetBlocks = subnets
        subnetHeldUnassigned = subnets
        groupNodes = groups
        groupENIs = groups
        groupAssigned = groups
        groupWarm = groups
        groupPendingNoIP = groups
        groupPendingExhausted = groups
        groupPendingMaxPods = groups
    }

    mutating func maybeRecord(tick: Int, simulator: borrowing IPAllocationSimulator) {
        guard tick % every == 0 || tick == simulator.setup.ticks else { return }
        times.append(simulator.now)
        for index in simulator.pools.indices {
            subnetFree[index].append(simulator.pools[index].freeAddresses)
            subnetBlocks[index].append(simulator.pools[index].freeAligned28Blocks)
            subnetHeldUnassigned[index].append(simulator.heldPerSubnet[index] - simulator.assignedPerSubnet[index])
        }
        var nodes = [Int](repeating: 0, count: groupNodes.count)
        var enis = nodes, assigned = nodes, warm = nodes, noIP = nodes, exhausted = nodes
        for node in simulator.nodes where node.alive {
            nodes[node.group] += 1
            enis[node.group] += node.enis.count
            assigned[node.group] += node.assigned
            warm[node.group] += node.available
            if node.subnetExhausted { exhausted[node.group] += node.pending } else { noIP[node.group] += node.pending }
        }
        var maxPods = [Int](repeating: 0, count: groupNodes.count)
        for (workload, count) in simulator.unscheduled.enumerated() { maxPods[simulator.setup.workloads[workload].group] += count }
        for group in groupNodes.indices {
            groupNodes[group].append(nodes[group])
            groupENIs[group].append(enis[group])
            groupAssigned[group].append(assigned[group])
            groupWarm[group].append(warm[group])
            groupPendingNoIP[group].append(noIP[group])
            groupPendingExhausted[group].append(exhausted[group])
            groupPendingMaxPods[group].append(maxPods[group])
        }
    }
}
