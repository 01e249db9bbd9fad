import Testing

@testable import EKSNetCore

/// The settled pool of one node (`NodeSteadyState`, stepping `NodeIPPool`) and the timeline (`IPAllocationSimulator`)
/// take their decisions from the same `IPAMDPolicy`; on every worked example of the VPC CNI docs they must
/// end in the same pool.
@Suite struct IPAMDPolicyTests {
    /// One node, pods arriving one at a time a minute apart (so that the pool settles between arrivals, as the
    /// tables assume), first-fit, no attach latency; the simulator's last sample.
    func simulate(_ row: SteadyStateCase, maxPods: Int) throws -> (enis: Int, ips: Int, unused: Int, subnetAddresses: Int) {
        let spacing = 60
        let events = (0..<row.pods).map { index in
            SimulationInput.Event(at: (index + 1) * spacing, type: "setPods", workload: "app", pods: index + 1)
        }
        let cni = CNISettingsInput(
            version: "1.19.0", prefixDelegation: row.id.hasPrefix("P"), warmEniTarget: row.warmEni ?? 1,
            warmIpTarget: row.warmIP, minimumIpTarget: row.minimumIP, warmPrefixTarget: row.warmPrefix ?? 1)
        let result = try IPAllocationSimulator.run(
            SimulationInput(
                durationSeconds: (row.pods + 2) * spacing, seed: 1, fillOrder: .firstFit, maxPoints: 2,
                eniAttachLatencySeconds: 0,
                subnets: [.init(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/20")],
                cni: cni,
                nodeGroups: [.init(name: "ng", instanceType: row.type, subnetIds: ["subnet-a"], nodes: 1, maxPods: maxPods)],
                workloads: [.init(name: "app", nodeGroup: "ng", pods: 0)], events: events, compareAlternatives: false), aws: .embedded)
        let group = result.nodeGroups[0]
        let subnet = result.subnets[0]
        let assigned = try #require(group.assigned.last)
        let warm = try #require(group.warm.last)
        #expect(assigned == row.pods)
        #expect(result.summary.podsPendingAtEnd == 0)
        return (
            try #require(group.enis.last), assigned + warm, warm,
            subnet.usableAddresses - (try #require(subnet.freeAddresses.last))
        )
    }

    @Test(arguments: SteadyStateCase.secondaryIP + SteadyStateCase.prefix)
    func steadyStateAndSimulatorSettleTheSamePool(row: SteadyStateCase) throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: row.type))
        let settings = row.settings()
        let maxPods = try MaxPods.recommended(
            for: type, options: MaxPodsOptions(prefixDelegation: settings.prefixDelegation)
        ).maxPods
        let state = NodeSteadyState.compute(instanceType: type, settings: settings, pods: row.pods, maxPods: maxPods)
        let simulated = try simulate(row, maxPods: maxPods)
        #expect(simulated.enis == state.enis)
        #expect(simulated.ips == state.totalIps)
        #expect(simulated.unused == state.unusedIps)
        #expect(simulated.subnetAddresses == state.subnetAddresses)
        // And both are the table's row.
        #expect(simulated.enis == row.enis)
        #expect(simulated.ips == row.ips)
    }

    @Test func decisionsReadTheDatastoreCounts() {
        let type = AWSData.embedded.catalog.instanceType(named: "t3.small")!
        // S7: WARM_IP_TARGET=2, MINIMUM_IP_TARGET=5 on a fresh node: short 5, one step asks for all 5.
        let targets = IPAMDPolicy(
            instanceType: type, settings: WarmPoolSettings(warmIpTarget: 2, minimumIpTarget: 5), maxPods: 11)
        let fresh = IPAMDPolicy.Stats(total: 0, assigned: 0)
        #expect(targets.isTooLow(fresh))
        #expect(targets.increaseSlots(fresh) == 5)
        #expect(targets.surplusSlots(IPAMDPolicy.Stats(total: 9, assigned: 1)) == 4)
        // At max pods the pool stops growing, whatever the shortfall.
        #expect(!targets.isTooLow(IPAMDPolicy.Stats(total: 11, assigned: 11)))
        // WARM_ENI_TARGET=1 fills whole ENIs and never releases single IPs.
        let warmENI = IPAMDPolicy(instanceType: type, settings: WarmPoolSettings(), maxPods: 11)
        #expect(warmENI.increaseSlots(fresh) == 3)
        #expect(warmENI.surplusSlots(IPAMDPolicy.Stats(total: 9, assigned: 0)) == 0)
        #expect(warmENI.shouldRemoveExtraENIs(IPAMDPolicy.Stats(total: 9, assigned: 3), attachedENIs: 3) { false })
        #expect(!warmENI.shouldRemoveExtraENIs(IPAMDPolicy.Stats(total: 9, assigned: 4), attachedENIs: 3) { false })
        // Prefix mode rounds IP targets up to whole /28s when deciding whether an ENI may go.
        let prefixes = IPAMDPolicy(
            instanceType: type, settings: WarmPoolSettings(warmIpTarget: 5, prefixDelegation: true), maxPods: 110)
        #expect(prefixes.increaseSlots(fresh) == 1)
        #expect(!prefixes.mayFreeENI(IPAMDPolicy.Stats(total: 32, assigned: 12, totalPrefixes: 2, freePrefixes: 1), heldSlots: 1))
        #expect(prefixes.mayFreeENI(IPAMDPolicy.Stats(total: 48, assigned: 0, totalPrefixes: 3, freePrefixes: 3), heldSlots: 1))
    }
}
