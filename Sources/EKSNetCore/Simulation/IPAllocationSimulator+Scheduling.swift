// The pod side of the timeline: kube-scheduler placing pods on nodes under max pods, workloads scaled, and
// rolling restarts replacing pods in batches.

extension IPAllocationSimulator {
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

    func podsOf(workload: Int) -> Int {
        nodes.reduce(unscheduled[workload]) { $0 + ($1.alive ? $1.podsByWorkload[workload] : 0) }
    }
}
