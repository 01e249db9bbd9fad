import Testing

@testable import EKSNetCore

/// The timeline behaves like ipamd over time: the back-off after a refused allocation (by VPC CNI release), whole
/// ENIs released, and EC2 calls counted by API as CloudTrail counts them. The numbers are worked out by hand in the
/// comments from ipamd's code paths (pkg/ipamd/ipamd.go, pkg/ipamd/datastore/data_store.go).
@Suite struct IPAMDTimelineTests {
    /// Seven m5.xlarge nodes in a /25 (123 usable) with 7 pods, scaled to 4 at 600 s and 2 at 900 s, then 19 pods
    /// at 1500 s, over 3300 s (issue 15's first timeline).
    func crowdedSubnet(version: String? = nil) throws -> SimulationResult {
        try IPAllocationSimulator.run(
            SimulationInput(
                durationSeconds: 3300, seed: 1, fillOrder: .firstFit, maxPoints: 1000, eniAttachLatencySeconds: 0,
                subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/25")],
                cni: CNISettingsInput(version: version),
                nodeGroups: [.init(name: "ng", instanceType: "m5.xlarge", subnetIds: ["s"], nodes: 7)],
                workloads: [.init(name: "app", nodeGroup: "ng", pods: 7)],
                events: [
                    .init(at: 600, type: "scaleNodeGroup", nodeGroup: "ng", nodes: 4),
                    .init(at: 900, type: "scaleNodeGroup", nodeGroup: "ng", nodes: 2),
                    .init(at: 1500, type: "setPods", workload: "app", pods: 19),
                ],
                compareAlternatives: false), aws: .embedded)
    }

    @Test func aRefusedENIStartsTheBackOffFromVersion116() throws {
        // Each node: primary ENI + 14 secondaries (one AssignPrivateIpAddresses, WARM_ENI_TARGET=1), then with one
        // pod the pool is too low again and asks for a second ENI of 15 addresses. 7 × 15 = 105 of 123 are taken:
        // 18 free, so one node gets its ENI (3 left) and six are refused. From 1.16 tryAllocateENI creates the ENI
        // with its addresses and a refusal sets lastInsufficientCidrError: each of the six retries 120 s later
        // (at 5, 125, 245, 365, 485 s: 5 refusals each = 30) until the scale-in at 600 s frees 45 addresses and
        // the three survivors get theirs. Creates: 30 refused + 4 made; each made ENI is attached once.
        let result = try crowdedSubnet()
        let calls = result.events.ec2Calls
        let failed = result.events.failedEc2Calls
        #expect(failed.createEni == 30)
        #expect(calls.createEni == 34)
        #expect(calls.attachEni == 4)
        #expect(calls.assign == 7)
        #expect(failed.assign == 0)
        #expect(result.events.insufficientAddressErrors == 30)
        #expect(result.events.firstExhaustionAt == 5)
        // Before the fix, every refused node retried on every 5 s tick: 714 refusals, 718 creates.
        #expect(calls.createEni < 100)
    }

    @Test func before116ARefusedCreateIsRetriedEveryReconcile() throws {
        // 1.10–1.15 create the ENI bare (one address), attach it, then assign: three nodes get a bare ENI from the
        // 3 free addresses and are refused their 14 secondaries (back-off from 1.10); the other three are refused
        // the CreateNetworkInterface itself, which these releases do not back off from: one refusal per node per
        // tick from 5 s to 595 s, 3 × 119 = 357.
        let result = try crowdedSubnet(version: "1.15.0")
        #expect(result.events.failedEc2Calls.createEni == 357)
        // The bare ENIs' assignments: once after creation, then Step A after each back-off (4 more, each an
        // attempt of 14 and a retry of 1): 3 × (1 + 4 × 2) = 27 refusals.
        #expect(result.events.failedEc2Calls.assign == 27)
        let at116 = try crowdedSubnet(version: "1.16.0")
        #expect(at116.events.failedEc2Calls.createEni == 30)
        #expect(at116.events.failedEc2Calls.assign == 0)
    }

    @Test func before110NothingBacksOff() throws {
        // Before insufficientCidrErrorCooldown (#1585, 1.10.0) refused assignments were retried every tick too.
        let old = try crowdedSubnet(version: "1.9.0")
        let backedOff = try crowdedSubnet(version: "1.10.0")
        #expect(old.events.failedEc2Calls.assign > 5 * backedOff.events.failedEc2Calls.assign)
        #expect(backedOff.events.failedEc2Calls.assign == 27)
    }

    @Test func wholeENIsAreReleasedWhenPodsFall() throws {
        // Two m5.xlarge nodes (a node group each) in a /25, WARM_IP_TARGET=5, MINIMUM_IP_TARGET=5, 12 + 11 pods:
        // each primary ENI fills to 14 secondaries, then a second ENI comes with the shortfall (3 and 2): 19 + 18
        // addresses, 86 of 123 free. At 600 s each workload falls to 6: too high by 6 and 5; the decrease releases the
        // newest ENI's addresses first (one UnassignPrivateIpAddresses per ENI: 2 per node), which leaves it
        // without address, pod or cooling address and older than 60 s: getDeletableENI frees it (detach, delete),
        // its primary address goes back to the subnet. Each node then holds 1 + 11: 99 free.
        let result = try IPAllocationSimulator.run(
            SimulationInput(
                durationSeconds: 1800, seed: 1, fillOrder: .firstFit, maxPoints: 1000, eniAttachLatencySeconds: 0,
                subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/25")],
                cni: CNISettingsInput(warmIpTarget: 5, minimumIpTarget: 5),
                nodeGroups: [
                    .init(name: "a", instanceType: "m5.xlarge", subnetIds: ["s"], nodes: 1),
                    .init(name: "b", instanceType: "m5.xlarge", subnetIds: ["s"], nodes: 1),
                ],
                workloads: [.init(name: "a", nodeGroup: "a", pods: 12), .init(name: "b", nodeGroup: "b", pods: 11)],
                events: [
                    .init(at: 600, type: "setPods", workload: "a", pods: 6), .init(at: 600, type: "setPods", workload: "b", pods: 6),
                ],
                compareAlternatives: false), aws: .embedded)
        let calls = result.events.ec2Calls
        #expect(calls.deleteEni == 2)
        #expect(calls.detachEni == 2)
        #expect(calls.unassign == 4)
        #expect(result.nodeGroups.map { $0.enis.last } == [1, 1])
        let free = result.subnets[0].freeAddresses
        let times = result.times
        #expect(free[times.firstIndex(of: 595)!] == 86)
        #expect(free[times.firstIndex(of: 600)!] == 99)
        #expect(free.last == 99)
    }

    /// Random timelines: the subnet's addresses are conserved at every tick, no node holds more than its ENI and
    /// address limits, refused creations back off, each node starts at most one increase or decrease per
    /// reconcile, from 1.18.3 with subnet discovery a refused assignment goes on to a creation when a slot is
    /// free, and (under first-fit) a node left without pods under WARM_ENI_TARGET=0 and a WARM_IP_TARGET ends with
    /// its primary ENI alone (or the fewest ENIs that hold the target).
    @Test func randomTimelinesKeepIpamdsInvariants() throws {
        var random = SplitMix64(seed: 15)
        let types = ["t3.small", "m5.large", "m5.xlarge", "c5.4xlarge", "m6i.2xlarge"]
        let prefixes = [26, 25, 24, 23, 22]
        var emptiedNodes = 0
        var refusalsWithAFreeSlot = 0
        for round in 0..<60 {
            func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
            let warmZero = round % 3 == 0
            var cni = CNISettingsInput(version: pick(["1.9.0", "1.12.0", "1.16.0", "1.18.2", "1.18.3", "1.20.0"]))
            if random.next() % 4 == 0 { cni.enableSubnetDiscovery = false }
            if warmZero {
                cni.warmEniTarget = 0
                cni.warmIpTarget = Int(1 + random.next() % 6)
            } else if random.next() % 2 == 0 {
                cni.warmIpTarget = Int(random.next() % 8)
                cni.minimumIpTarget = Int(random.next() % 12)
            }
            if !warmZero && random.next() % 3 == 0 { cni.prefixDelegation = true }
            var events: [SimulationInput.Event] = []
            var at = 0
            for _ in 0..<Int(random.next() % 5) {
                at += Int(60 + random.next() % 600)
                if random.next() % 2 == 0 {
                    events.append(.init(at: at, type: "setPods", workload: "app", pods: Int(random.next() % 120)))
                } else {
                    events.append(.init(at: at, type: "scaleNodeGroup", nodeGroup: "ng", nodes: Int(random.next() % 8)))
                }
            }
            // Every pod gone, then long enough for the decreases and the 60 s ENI age to play out.
            if warmZero { events.append(.init(at: at + 60, type: "setPods", workload: "app", pods: 0)) }
            let order: FillOrder = pick([.firstFit, .random])
            let input = SimulationInput(
                durationSeconds: at + 60 + 900, seed: random.next(), fillOrder: order, maxPoints: 2,
                eniAttachLatencySeconds: pick([0, 5, 10]),
                subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/\(pick(prefixes))")],
                cni: cni,
                nodeGroups: [.init(name: "ng", instanceType: pick(types), subnetIds: ["s"], nodes: Int(1 + random.next() % 6))],
                workloads: [.init(name: "app", nodeGroup: "ng", pods: Int(random.next() % 150))], events: events,
                compareAlternatives: false)
            let setup = try SimulationSetup(input, aws: .embedded)
            var simulator = IPAllocationSimulator(setup: setup)
            simulator.launchInitialNodes()
            let policy = setup.groups[0].policy
            for tick in 0...setup.ticks {
                let createsBefore = simulator.ledger.calls.createEni
                simulator.advance(to: tick)
                let pool = simulator.pools[0]
                var held = 0
                var mustHaveCreated = 0
                for node in simulator.nodes where node.alive {
                    let enis = node.enis + (node.attaching.map { [$0.eni] } ?? [])
                    if node.reconcile.at == simulator.now {
                        #expect(node.reconcile.poolActions <= 1, "round \(round) tick \(tick)")
                        if policy.skipsENIsThatRefuseAddresses && node.reconcile.assignmentRefused && enis.count < policy.poolENISlots {
                            mustHaveCreated += 1
                        }
                    }
                    held += enis.reduce(0) { $0 + 1 + $1.ips.count + $1.prefixes.count * IPAMDPolicy.addressesPerPrefix }
                    #expect(enis.count <= policy.maxENIs, "round \(round) tick \(tick): \(enis.count) ENIs")
                    #expect(enis.allSatisfy { max($0.ips.count, $0.prefixes.count) <= policy.slotsPerENI })
                    if policy.backsOffAfterRefusedCreate {
                        let elapsed = simulator.now - node.launchedAt
                        #expect(node.refusedCreates <= 1 + elapsed / IPAMDPolicy.insufficientAddressBackoff)
                    }
                }
                #expect(simulator.ledger.calls.createEni - createsBefore >= mustHaveCreated, "round \(round) tick \(tick)")
                refusalsWithAFreeSlot += mustHaveCreated
                // Free + held by the nodes + taken by others = usable (the subnet's size less AWS's five).
                #expect(
                    pool.freeAddresses + held + setup.subnets[0].inUse == pool.block.awsUsableAddressCount,
                    "round \(round) tick \(tick)")
            }
            // Under random order (Go's map order) the decrease may empty the primary ENI first and leave the warm
            // addresses on a secondary one, which getDeletableENI then keeps for WARM_IP_TARGET: only first-fit
            // promises the primary ENI alone — or, when WARM_IP_TARGET is more than one ENI holds, the fewest ENIs
            // that hold it.
            if warmZero && order == .firstFit {
                let slots = setup.groups[0].policy.slotsPerENI
                let needed = max(1, ((cni.warmIpTarget ?? 0) + slots - 1) / slots)
                for node in simulator.nodes where node.alive && node.scheduled == 0 {
                    #expect(node.enis.count == needed, "round \(round): a pod-free node kept \(node.enis.count) ENIs; \(setup.groups[0].type.name) warmIp \(cni.warmIpTarget ?? -1) \(setup.groups[0].policy.slotsPerENI) per ENI, version \(cni.version ?? "")")
                    emptiedNodes += 1
                }
            }
        }
        #expect(emptiedNodes > 5)
        #expect(refusalsWithAFreeSlot > 0)
    }

    /// A node whose next reconciles would change nothing is skipped until a pod arrives or leaves: on random
    /// timelines (every event kind, both fill orders, prefixes, IP targets, subnet discovery) the result is the
    /// same, point for point and call for call, as when every node reconciles every tick.
    @Test func skippingQuietNodesChangesNothing() throws {
        var random = SplitMix64(seed: 24)
        var skipped = 0
        for _ in 0..<40 {
            func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
            var cni = CNISettingsInput(version: pick(["1.12.0", "1.16.0", "1.18.2", "1.20.0"]))
            switch random.next() % 4 {
            case 0: cni.warmIpTarget = Int(1 + random.next() % 8)
            case 1: cni.prefixDelegation = true
            case 2: cni.warmEniTarget = Int(random.next() % 3)
            default: break
            }
            var events: [SimulationInput.Event] = []
            var at = 0
            for _ in 0..<Int(1 + random.next() % 5) {
                at += Int(30 + random.next() % 400)
                switch random.next() % 3 {
                case 0: events.append(.init(at: at, type: "setPods", workload: "app", pods: Int(random.next() % 150)))
                case 1: events.append(.init(at: at, type: "scaleNodeGroup", nodeGroup: "ng", nodes: Int(1 + random.next() % 8)))
                default: events.append(.init(at: at, type: "rollingRestart", workload: "app", batchPercent: 25))
                }
            }
            let input = SimulationInput(
                durationSeconds: at + 600, seed: random.next(), fillOrder: pick([.firstFit, .random]), maxPoints: 5000,
                eniAttachLatencySeconds: pick([0, 5, 10]),
                subnets: [
                    .init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/\(pick([24, 25, 26]))"),
                    .init(subnetId: "p", availabilityZone: "us-east-1a", cidrBlock: "10.0.1.0/26", podSubnet: true),
                ],
                cni: cni,
                nodeGroups: [
                    .init(name: "ng", instanceType: pick(["t3.small", "m5.large", "m5.xlarge"]), subnetIds: ["s"], nodes: Int(1 + random.next() % 5))
                ],
                workloads: [.init(name: "app", nodeGroup: "ng", pods: Int(random.next() % 100))], events: events,
                compareAlternatives: false)
            let setup = try SimulationSetup(input, aws: .embedded)
            var everyTick = IPAllocationSimulator(setup: setup)
            everyTick.skipsQuietNodes = false
            var skipping = IPAllocationSimulator(setup: setup)
            #expect(skipping.simulate() == everyTick.simulate())
            skipped += skipping.skippedNodeTicks
        }
        // The equality means something only if nodes were skipped.
        #expect(skipped > 1000)
    }
}
