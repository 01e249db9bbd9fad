import Testing

@testable import EKSNetCore

@Suite struct IPAllocationSimulatorTests {
    func oneNode(
        type: String = "m5.large", pods: Int, cni: CNISettingsInput = CNISettingsInput(version: "1.19.0"),
        subnets: [SimulationInput.SimulatedSubnet] = [
            .init(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24")
        ],
        eniConfigs: [String: String]? = nil, events: [SimulationInput.Event] = [], duration: Int = 600,
        order: FillOrder = .firstFit, maxPods: Int? = nil
    ) throws -> SimulationResult {
        try IPAllocationSimulator.run(
            SimulationInput(
                durationSeconds: duration, seed: 11, fillOrder: order, maxPoints: 1000, eniAttachLatencySeconds: 5,
                subnets: subnets, cni: cni, eniConfigs: eniConfigs,
                nodeGroups: [.init(name: "ng", instanceType: type, subnetIds: ["subnet-a"], nodes: 1, maxPods: maxPods)],
                workloads: [.init(name: "app", nodeGroup: "ng", pods: pods)], events: events, compareAlternatives: false), aws: .embedded)
    }

    @Test func settlesLikeTheDocsForAQuietNode() throws {
        // S2: t3.small, WARM_ENI_TARGET=1, 5 pods → 3 ENIs, 9 IPs.
        let result = try oneNode(type: "t3.small", pods: 5)
        #expect(result.nodeGroups[0].enis.last == 3)
        #expect(result.nodeGroups[0].assigned.last == 5)
        #expect(result.nodeGroups[0].warm.last == 4)
        // 3 ENI primaries + 9 secondaries taken from the /24 (251 usable).
        #expect(result.subnets[0].freeAddresses.last == 251 - 12)
        #expect(result.summary.podsPendingAtEnd == 0)
    }

    @Test func cooldownStarvesAChurningNode() throws {
        let restart = SimulationInput.Event(at: 120, type: "rollingRestart", workload: "app", batchPercent: 50)
        let cooling = try oneNode(pods: 27, events: [restart])
        // All 27 addresses are in use; replaced pods wait while the old addresses cool for 30 s.
        let waiting = cooling.nodeGroups[0].pendingNoIp
        #expect(waiting.contains { $0 > 0 })
        #expect(cooling.summary.podsPendingAtEnd == 0)
        var noCooldown = CNISettingsInput(version: "1.19.0")
        noCooldown.ipCooldownPeriod = 0
        let instant = try oneNode(pods: 27, cni: noCooldown, events: [restart])
        #expect(instant.summary.peakPodsPending < cooling.summary.peakPodsPending)
    }

    @Test func minimumWithoutWarmIPStalls() throws {
        let stalled = try oneNode(pods: 20, cni: CNISettingsInput(version: "1.19.0", warmIpTarget: 0, minimumIpTarget: 11))
        #expect(stalled.summary.podsPendingAtEnd == 9)
        #expect(stalled.nodeGroups[0].assigned.last == 11)
        #expect(stalled.subnets[0].firstExhaustedAt == nil)
        let fixed = try oneNode(pods: 20, cni: CNISettingsInput(version: "1.19.0", warmIpTarget: 1, minimumIpTarget: 11))
        #expect(fixed.summary.podsPendingAtEnd == 0)
    }

    @Test func warmENIReleasesOnlyWholeENIs() throws {
        let result = try oneNode(
            pods: 27, events: [.init(at: 100, type: "setPods", workload: "app", pods: 5)], duration: 900)
        let group = result.nodeGroups[0]
        #expect(group.enis.max() == 3)
        #expect(group.enis.last == 2)
        // Held = assigned + warm is always a whole number of ENIs (9 secondaries each).
        for (assigned, warm) in zip(group.assigned, group.warm) where assigned + warm > 0 {
            #expect((assigned + warm) % 9 == 0)
        }
        #expect(group.warm.last == 13)
        #expect(result.events.ec2Calls.deleteEni == 1)
        #expect(result.events.ec2Calls.unassign == 0)
    }

    @Test func fragmentedSubnetRefusesPrefixesWithAddressesFree() throws {
        var cni = CNISettingsInput(version: "1.19.0")
        cni.prefixDelegation = true
        let result = try oneNode(
            pods: 20, cni: cni,
            subnets: [.init(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24", availableIpAddressCount: 100)],
            order: .random)
        let subnet = result.subnets[0]
        #expect(subnet.firstExhaustedAt != nil)
        #expect((subnet.freeAddresses.last ?? 0) > 16)
        #expect(subnet.freeAligned28Blocks.last == 0)
        #expect(result.events.insufficientAddressErrors > 0)
        #expect(result.nodeGroups[0].pendingSubnetExhausted.contains { $0 > 0 })
    }

    @Test func prefixReservationKeepsBlocksForPrefixes() throws {
        var cni = CNISettingsInput(version: "1.19.0")
        cni.prefixDelegation = true
        let result = try oneNode(
            pods: 20, cni: cni,
            subnets: [
                .init(
                    subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24",
                    availableIpAddressCount: 100, prefixReservationCidr: "10.0.0.128/26")
            ], order: .random)
        #expect(result.subnets[0].firstExhaustedAt == nil)
        #expect(result.summary.podsPendingAtEnd == 0)
    }

    @Test func customNetworkingSkipsThePrimaryENI() throws {
        var cni = CNISettingsInput(version: "1.19.0")
        cni.customNetworking = .init(enabled: true)
        let result = try oneNode(
            pods: 10, cni: cni,
            subnets: [
                .init(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24"),
                .init(subnetId: "subnet-pods", availabilityZone: "us-east-1a", cidrBlock: "100.64.0.0/24"),
            ], eniConfigs: ["us-east-1a": "subnet-pods"], maxPods: 20)
        // The node subnet gives only the node IP; pod ENIs (2 of 9 secondaries each) live in the pod subnet.
        #expect(result.subnets[0].freeAddresses.last == 250)
        #expect(result.subnets[1].freeAddresses.last == 251 - 20)
        #expect(result.nodeGroups[0].assigned.last == 10)
        #expect(result.nodeGroups[0].enis.last == 3)
    }

    @Test func securityGroupsForPodsKeepsATrunkSlot() throws {
        var cni = CNISettingsInput(version: "1.19.0")
        cni.securityGroupsForPods = true
        let result = try oneNode(pods: 27, cni: cni)
        #expect(result.nodeGroups[0].enis.last == 2)
        #expect(result.nodeGroups[0].assigned.last == 18)
        #expect(result.summary.podsPendingAtEnd == 9)
    }

    @Test func nodesLaunchFailsWhenTheSubnetIsFull() throws {
        let input = SimulationInput(
            durationSeconds: 300, seed: 3, subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/27")],
            nodeGroups: [.init(name: "ng", instanceType: "m5.large", subnetIds: ["s"], nodes: 1)],
            workloads: [.init(name: "app", nodeGroup: "ng", pods: 5)],
            events: [.init(at: 60, type: "scaleNodeGroup", nodeGroup: "ng", nodes: 40)], compareAlternatives: false)
        let result = try IPAllocationSimulator.run(input, aws: .embedded)
        // A /27 has 27 usable addresses: 30 per full m5.large does not fit; later nodes find nothing.
        #expect(result.events.firstExhaustionAt != nil)
        #expect(result.subnets[0].freeAddresses.last == 0)
        #expect(result.events.failedNodeLaunches >= 1)
        #expect((result.nodeGroups[0].nodes.last ?? 0) < 40)
    }

    @Test func secondaryIPsNeverComeFromAPrefixReservation() throws {
        // Most of the /24 is reserved for prefixes: secondary-IP nodes run out of /32s without crashing.
        let result = try oneNode(
            pods: 27,
            subnets: [
                .init(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24",
                      prefixReservationCidr: "10.0.0.0/25"),
                ], order: .random)
        #expect(result.subnets[0].firstExhaustedAt == nil || result.events.insufficientAddressErrors > 0)
        let tight = try oneNode(
            pods: 27,
            subnets: [
                .init(subnetId: "subnet-a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/27",
                      prefixReservationCidr: "10.0.0.0/28"),
            ])
        // 15 addresses outside the reservation: the node IP and its first 9 secondaries fit, a second ENI (1 + 9)
        // does not, so pods wait while 12 reserved and 5 other addresses stay free.
        #expect(tight.summary.podsPendingAtEnd > 0)
        #expect(tight.subnets[0].firstExhaustedAt != nil)
        #expect(tight.subnets[0].freeAddresses.last == 17)
    }

    @Test func negativeDurationsAreRefusedNotTrapped() {
        let input = SimulationInput(
            durationSeconds: -5, subnets: [.init(subnetId: "s", availabilityZone: "a", cidrBlock: "10.0.0.0/24")],
            nodeGroups: [.init(name: "ng", instanceType: "m5.large", subnetIds: ["s"], nodes: 1)],
            workloads: [.init(name: "w", nodeGroup: "ng", pods: 1)], events: [.init(at: 10, type: "setPods", workload: "w", pods: 2)])
        #expect(throws: ValidationFailure.self) { try IPAllocationSimulator.run(input, aws: .embedded) }
    }

    @Test func sameSeedSameResult() throws {
        let input = SimulationInput(
            durationSeconds: 900, seed: 42, fillOrder: .random,
            subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/20", availableIpAddressCount: 3000)],
            nodeGroups: [.init(name: "ng", instanceType: "m5.xlarge", subnetIds: ["s"], nodes: 10)],
            workloads: [.init(name: "app", nodeGroup: "ng", pods: 300)],
            events: [.init(at: 300, type: "rollingRestart", workload: "app"), .init(at: 600, type: "scaleNodeGroup", nodeGroup: "ng", nodes: 4)])
        let first = try IPAllocationSimulator.run(input, aws: .embedded)
        let second = try IPAllocationSimulator.run(input, aws: .embedded)
        #expect(first == second)
        #expect(first.times.count <= 200)
        #expect(!first.alternatives.isEmpty)
        #expect(first.advice.contains { $0.contains("WARM_IP_TARGET=5") })
    }

    @Test func alternativesAreComputedNotGuessed() throws {
        let input = SimulationInput(
            durationSeconds: 600, seed: 1,
            subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/20")],
            nodeGroups: [.init(name: "ng", instanceType: "m5.4xlarge", subnetIds: ["s"], nodes: 20)],
            workloads: [.init(name: "app", nodeGroup: "ng", pods: 200)])
        let result = try IPAllocationSimulator.run(input, aws: .embedded)
        let warmIP = try #require(result.alternatives.first { $0.settings.hasPrefix("WARM_IP_TARGET=5") })
        // 10 pods per node: WARM_ENI_TARGET=1 holds 2 ENIs (58 IPs + 2 primaries); IP targets hold far fewer.
        #expect(result.summary.peakAddressesHeld == 20 * 60)
        #expect(warmIP.peakAddressesHeld < result.summary.peakAddressesHeld)
        let sentence = try #require(result.advice.first { $0.hasPrefix("WARM_IP_TARGET=5") })
        #expect(sentence.contains("fewer addresses at peak"))
    }

    @Test func refusesInputsOutOfBounds() {
        let input = SimulationInput(
            durationSeconds: 86_400, subnets: [.init(subnetId: "s", availabilityZone: "a", cidrBlock: "10.0.0.0/15")],
            nodeGroups: [.init(name: "ng", instanceType: "m5.larg", subnetIds: ["nope"], nodes: 5000)],
            workloads: [.init(name: "w", nodeGroup: "ng", pods: 1_000_000)])
        #expect(throws: ValidationFailure.self) { try IPAllocationSimulator.run(input, aws: .embedded) }
        do {
            _ = try IPAllocationSimulator.run(input, aws: .embedded)
        } catch {
            let pointers = Set(error.issues.compactMap(\.pointer))
            #expect(pointers.isSuperset(of: ["/subnets/0/cidrBlock", "/nodeGroups/0/instanceType", "/workloads/0/pods"]))
        }
    }
}
