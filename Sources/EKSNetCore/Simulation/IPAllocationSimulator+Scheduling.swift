// The pod side of the timeline: kube-scheduler placing pods on nodes under max pods, ReplicaSets scaling, and
// rolling restarts replacing pods in batches. Where Kubernetes picks at random among equals, the simulator picks
// deterministically: placement ties go to the oldest node, removal ties to the newest.

extension IPAllocationSimulator {
    /// A ReplicaSet deletes at most this many pods per sync (`burstReplicas`, pkg/controller/replicaset); the next
    /// sync ranks the pods again.
    static let burstReplicas = 500

    /// Scales a workload as its ReplicaSet does. Down (`getPodsToDelete`, sorted by `ActivePodsWithRanks` in
    /// pkg/controller/controller_utils.go): pods no node has taken first, then pods on a node waiting for an
    /// address (Pending, not ready), then running ones; within each, pods on the nodes running the most of the
    /// workload's pods first (ranks taken once per sync), and among equal ranks the newest pods, which the
    /// simulator takes as the newest node's. A node's waiting pods count as any of its workloads'.
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
        while current > target {
            let batch = min(current - target, Self.burstReplicas)
            let holders = nodes.indices.filter {
                nodes[$0].alive && nodes[$0].group == group && nodes[$0].podsByWorkload[workload] > 0
            }
            guard !holders.isEmpty else { break }
            let rank = holders.map { nodes[$0].podsByWorkload[workload] }
            let ranked = holders.indices.sorted { (rank[$0], holders[$0]) > (rank[$1], holders[$1]) }.map { holders[$0] }
            var left = batch
            for waitingPhase in [true, false] {
                for index in ranked where left > 0 {
                    let onNode = nodes[index].podsByWorkload[workload]
                    let take = min(waitingPhase ? min(nodes[index].pending, onNode) : onNode, left)
                    for _ in 0..<take { deletePod(workload: workload, node: index) }
                    left -= take
                }
            }
            current -= batch - left
            if left > 0 { break }
        }
    }

    /// Deletes one pod of a workload from a node: a waiting one first, else one with an address (which cools).
    mutating func deletePod(workload: Int, node index: Int) {
        nodes[index].quietUntil = Int.min
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

    /// Places unscheduled pods as kube-scheduler's default profile does for pods without requests: the
    /// NodeResourcesFit plugin's LeastAllocated score counts each such pod at the default non-zero request
    /// (pkg/scheduler/util: 100m CPU, 200 MB), so the feasible node (below max pods) with the fewest pods wins;
    /// ties, which the scheduler breaks at random, go to the oldest node.
    mutating func schedule() {
        for workload in setup.workloads.indices where unscheduled[workload] > 0 {
            let group = setup.workloads[workload].group
            let capacity = setup.groups[group].podCapacity
            let members = nodes.indices.filter {
                nodes[$0].alive && nodes[$0].group == group && nodes[$0].scheduled < capacity
            }
            guard !members.isEmpty else { continue }
            let placed = Self.leastAllocated(
                pods: members.map { nodes[$0].scheduled }, capacity: capacity, arriving: unscheduled[workload])
            for (position, index) in members.enumerated() where placed[position] > 0 {
                nodes[index].quietUntil = Int.min
                nodes[index].scheduled += placed[position]
                nodes[index].pending += placed[position]
                nodes[index].podsByWorkload[workload] += placed[position]
                unscheduled[workload] -= placed[position]
            }
        }
    }

    /// Pods each node receives when `arriving` pods go one by one to the node with the fewest (`pods`, oldest
    /// first), none past `capacity`: computed level by level rather than pod by pod.
    static func leastAllocated(pods: [Int], capacity: Int, arriving: Int) -> [Int] {
        let order = pods.indices.sorted { (pods[$0], $0) < (pods[$1], $1) }
        var level = pods[order[0]]
        var filled = 0
        var remaining = arriving
        var extra = 0
        while remaining > 0 && level < capacity {
            while filled < order.count && pods[order[filled]] <= level { filled += 1 }
            let next = filled < order.count ? min(pods[order[filled]], capacity) : capacity
            let need = filled * (next - level)
            if remaining >= need {
                remaining -= need
                level = next
            } else {
                level += remaining / filled
                extra = remaining % filled
                remaining = 0
            }
        }
        var placed = [Int](repeating: 0, count: pods.count)
        for index in order.prefix(filled) { placed[index] = level - pods[index] }
        for index in order.prefix(filled).sorted().prefix(extra) { placed[index] += 1 }
        return placed
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
                node.quietUntil = Int.min
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
