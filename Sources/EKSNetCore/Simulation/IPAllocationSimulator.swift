/// Plays the VPC CNI's IP address manager on every node of a timeline, against subnets modelled address by
/// address (ipamd.go, docs/sources.md): a 5 s pool tick per node, one increase or decrease per tick, decreases 30 s
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
    var ledger = EC2CallLedger()
    var failedLaunches = 0
    var firstExhausted: [Int?]
    var peakInUse: [Int]
    var peakHeld = 0
    var peakHeldUnassigned = 0
    var peakPending = 0
    var nodeTicks = 0
    /// Pods waiting on nodes, summed during the last tick.
    var pendingOnNodes = 0
    /// The next event of `setup.events` to apply.
    var nextEvent = 0
    /// Whether quiet nodes skip their no-op reconciles (a test turns it off to show they change nothing).
    var skipsQuietNodes = true
    var skippedNodeTicks = 0

    static let tick = SimulationSetup.tick

    /// Checks the input and runs it, with alternatives unless asked not to.
    ///
    /// A long run stops soon after its task is cancelled (a deleted job, a time budget, a shutdown): the timeline
    /// checks for cancellation on every tick. What it returns then is partial, and a caller that cancels discards it
    /// (`Task.checkCancellation()` after the call).
    public static func run(_ input: SimulationInput, aws: AWSData) throws(ValidationFailure)
        -> SimulationResult
    {
        run(try SimulationSetup(input, aws: aws))
    }

    /// Runs a checked input, with alternatives unless it asked not to; stops early when its task is cancelled
    /// (see `run(_:aws:)`).
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
    }

    // MARK: - Timeline

    mutating func simulate() -> SimulationResult {
        var recorder = SeriesRecorder(setup: setup)
        launchInitialNodes()
        for tickIndex in 0...setup.ticks {
            if Task.isCancelled { break }
            advance(to: tickIndex)
            recorder.maybeRecord(tick: tickIndex, simulator: self)
        }
        return finish(recorder)
    }

    /// The groups' first nodes and the workloads' first pods, before the first tick.
    mutating func launchInitialNodes() {
        for (index, group) in setup.groups.enumerated() { scale(group: index, to: group.initialNodes) }
        for (index, workload) in setup.workloads.enumerated() { unscheduled[index] = workload.pods }
    }

    /// One 5 s tick: the events due, the scheduler, the restarts, then every live node's ipamd reconcile.
    mutating func advance(to tickIndex: Int) {
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
        // Borrowed from a local array, so that no node's step copies its group's policy.
        let policies = self.policies
        for index in working.indices where working[index].alive {
            if now < working[index].quietUntil && skipsQuietNodes {
                skippedNodeTicks += 1
            } else {
                step(&working[index], policy: policies[working[index].group])
            }
            pendingOnNodes += working[index].pending
            nodeTicks += 1
        }
        nodes = working
        observe()
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
                firstExhaustionAt: exhaustion, insufficientAddressErrors: ledger.insufficientAddressErrors,
                failedNodeLaunches: failedLaunches, ec2Calls: ledger.calls, failedEc2Calls: ledger.failed),
            summary: SimulationResult.Summary(
                durationSeconds: setup.ticks * Self.tick, ticks: setup.ticks + 1, nodeTicks: nodeTicks,
                peakAddressesHeld: peakHeld, peakHeldUnassigned: peakHeldUnassigned, podsPendingAtEnd: pendingPods(),
                peakPodsPending: peakPending),
            alternatives: [], advice: [])
    }
}
