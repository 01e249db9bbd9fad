import Testing

@testable import EKSNetCore

/// Pods placed and removed as Kubernetes does: kube-scheduler's LeastAllocated score for pods without requests
/// (pkg/scheduler/framework/plugins/noderesources, the default non-zero requests of pkg/scheduler/util), ReplicaSet
/// scale-down by `ActivePodsWithRanks` (pkg/controller/controller_utils.go), ties broken deterministically: to the
/// oldest node when placing, the newest when removing.
@Suite struct SchedulingTests {
    /// One m5.large node group on VPC CNI 1.20.0 with one workload, ENIs attached at once, no alternatives.
    static func input(
        duration: Int, subnets: [SimulationInput.SimulatedSubnet], nodes: Int, pods: Int, events: [SimulationInput.Event]
    ) -> SimulationInput {
        SimulationInput(
            durationSeconds: duration, seed: 1, fillOrder: .firstFit, maxPoints: 2, eniAttachLatencySeconds: 0,
            subnets: subnets, cni: CNISettingsInput(version: "1.20.0"),
            nodeGroups: [.init(name: "ng", instanceType: "m5.large", subnetIds: subnets.map(\.subnetId), nodes: nodes)],
            workloads: [.init(name: "app", nodeGroup: "ng", pods: pods)], events: events, compareAlternatives: false)
    }

    /// The input's first nodes and pods launched, stepped tick by tick through `ticks` (all of them by default) so
    /// that each node can be looked at.
    static func stepped(_ input: SimulationInput, through last: Int? = nil) throws -> IPAllocationSimulator {
        var simulator = IPAllocationSimulator(setup: try SimulationSetup(input, aws: .embedded))
        simulator.launchInitialNodes()
        for tick in 0...(last ?? simulator.setup.ticks) { simulator.advance(to: tick) }
        return simulator
    }

    /// Three m5.large nodes (27 pods each under max pods 29) in a roomy /22, a workload of `pods`, and a fourth
    /// node added at 60 s.
    func cluster(pods: Int, events: [SimulationInput.Event]) throws -> IPAllocationSimulator {
        try Self.stepped(
            Self.input(
                duration: 600, subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/22")],
                nodes: 3, pods: pods,
                events: [.init(at: 60, type: "scaleNodeGroup", nodeGroup: "ng", nodes: 4)] + events))
    }

    func podsPerNode(_ simulator: IPAllocationSimulator) -> [Int] {
        simulator.nodes.filter(\.alive).map(\.scheduled)
    }

    @Test func newPodsGoToTheLeastAllocatedNode() throws {
        // 30 pods: 10 on each of three nodes. At 120 s, 6 more: the fourth node, added at 60 s, has none and
        // scores highest for every one of them (6 < 10 still after the last).
        let simulator = try cluster(pods: 30, events: [.init(at: 120, type: "setPods", workload: "app", pods: 36)])
        #expect(podsPerNode(simulator) == [10, 10, 10, 6])
    }

    @Test func equalScoresGoToTheOldestNode() throws {
        // 31 pods over three empty nodes: 11, 10, 10 (the tie's extra pod to the oldest); at 120 s 13 more: the
        // fourth node takes 10 to reach the two at 10, then one each for those three: 11, 11, 11, 11.
        let simulator = try cluster(pods: 31, events: [.init(at: 120, type: "setPods", workload: "app", pods: 44)])
        #expect(podsPerNode(simulator) == [11, 11, 11, 11])
        let placed = IPAllocationSimulator.leastAllocated(pods: [4, 2, 2, 7], capacity: 8, arriving: 7)
        // Levels: 2,2 → 4,4,4 (4 pods) → 5,5,5 (3 pods), the 7-pod node untouched.
        #expect(placed == [1, 3, 3, 0])
        // Full nodes take no more: 3 of the 5 stay unscheduled.
        #expect(IPAllocationSimulator.leastAllocated(pods: [7, 7], capacity: 8, arriving: 5) == [1, 1])
        #expect(IPAllocationSimulator.leastAllocated(pods: [0, 0, 0], capacity: 8, arriving: 4) == [2, 1, 1])
    }

    @Test func scaleDownTakesFromTheNodeRunningTheMostReplicas() throws {
        // 10, 10, 10, 6 (as above), then down to 31 at 180 s: ranks are taken once for the sync, so the five pods
        // all come from one node of rank 10 — the newest of the three — rather than one from each.
        let simulator = try cluster(
            pods: 30,
            events: [
                .init(at: 120, type: "setPods", workload: "app", pods: 36),
                .init(at: 180, type: "setPods", workload: "app", pods: 31),
            ])
        #expect(podsPerNode(simulator) == [10, 10, 5, 6])
    }

    @Test func scaleDownTakesPodsWaitingForAnAddressFirst() throws {
        // A node whose subnet is out of addresses keeps its pods waiting (Pending, not ready); a scale-down takes
        // them before any running pod, whatever the ranks.
        let input = Self.input(
            duration: 300,
            subnets: [
                .init(subnetId: "roomy", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24"),
                .init(subnetId: "full", availabilityZone: "us-east-1b", cidrBlock: "10.0.1.0/24", availableIpAddressCount: 1),
            ],
            nodes: 2, pods: 20, events: [.init(at: 120, type: "setPods", workload: "app", pods: 12)])
        var simulator = try Self.stepped(input, through: 23)
        // 10 pods each; the node in the full subnet has no secondary address: its 10 wait.
        #expect(simulator.nodes.map(\.scheduled) == [10, 10])
        #expect(simulator.nodes.map(\.pending) == [0, 10])
        for tick in 24...simulator.setup.ticks { simulator.advance(to: tick) }
        // Eight removed, all from the waiting ten; the running pods stay.
        #expect(simulator.nodes.map(\.scheduled) == [10, 2])
        #expect(simulator.nodes[0].assigned == 10)
    }

    @Test func scaleInRemovesTheNewestNodeOfTheBusiestZone() throws {
        // Two subnets in two zones, 3 nodes launched a, b, a; a 4th (b) at 60 s. Scale-in to 2 at 120 s: the
        // zones are level (2 and 2), so the newest node goes (the 4th, in b), then zone a has more: its newest (the
        // 3rd).
        let simulator = try Self.stepped(
            Self.input(
                duration: 200,
                subnets: [
                    .init(subnetId: "a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24"),
                    .init(subnetId: "b", availabilityZone: "us-east-1b", cidrBlock: "10.0.1.0/24"),
                ],
                nodes: 3, pods: 0,
                events: [
                    .init(at: 60, type: "scaleNodeGroup", nodeGroup: "ng", nodes: 4),
                    .init(at: 120, type: "scaleNodeGroup", nodeGroup: "ng", nodes: 2),
                ]))
        #expect(simulator.nodes.map(\.alive) == [true, true, false, false])
        #expect(simulator.nodes.map(\.subnet) == [0, 1, 0, 1])
    }
}
