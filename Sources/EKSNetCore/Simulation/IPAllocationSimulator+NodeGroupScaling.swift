// The node side of the timeline: Auto Scaling groups launching nodes (AZ balance) and terminating them.

extension IPAllocationSimulator {
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
        // Each removal takes the newest node of the subnets with the most nodes (the Auto Scaling group's default
        // termination policy balances zones first; among the rest, which it picks by age of launch template,
        // billing hour, then at random, the simulator takes the newest). Members per subnet, oldest first, so that
        // a removal costs a look over the subnets, not over the nodes.
        var bySubnet: [Int: [Int]] = [:]
        for index in current { bySubnet[nodes[index].subnet, default: []].append(index) }
        var remaining = current.count
        while remaining > target {
            guard
                let busiest = bySubnet.filter({ !$0.value.isEmpty })
                    .max(by: { ($0.value.count, $0.value.last!) < ($1.value.count, $1.value.last!) })?.key,
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
}
