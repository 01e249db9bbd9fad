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
        // Ticks 0, every, 2·every, … and the last: at most maxPoints points when every = ⌈ticks / (maxPoints − 1)⌉.
        every = max(1, (setup.ticks + setup.maxPoints - 2) / (setup.maxPoints - 1))
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
        // Fields read through the array in place: `for node in nodes` would copy every node and its ENIs.
        for index in simulator.nodes.indices where simulator.nodes[index].alive {
            let group = simulator.nodes[index].group
            nodes[group] += 1
            enis[group] += simulator.nodes[index].enis.count
            assigned[group] += simulator.nodes[index].assigned
            warm[group] += simulator.nodes[index].available
            if simulator.nodes[index].subnetExhausted {
                exhausted[group] += simulator.nodes[index].pending
            } else {
                noIP[group] += simulator.nodes[index].pending
            }
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
