extension RemediationAdvisor {
    /// The warm pool ipamd keeps per node: WARM_IP_TARGET and MINIMUM_IP_TARGET instead of a whole warm ENI, so a
    /// node holds what its pods use plus a couple of addresses. It costs EC2 calls (ipamd assigns and releases in
    /// small steps): the simulator counts them on the growth timeline, before and after.
    static func warmPoolTuning(_ situation: RemediationSituation) -> RemediationOption {
        let plan = situation.plan
        var option = option(.warmPoolTuning, "Shrink the warm pool (WARM_IP_TARGET, MINIMUM_IP_TARGET)", .cniRestart)
        if plan.cni?.prefixDelegation == true {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "with prefix delegation the pool is tuned by WARM_PREFIX_TARGET, in /28 steps")
            return option
        }
        // The pods a node runs, so that a node holds them from the start and two spare.
        let podsPerNode = situation.evaluation.capacity.map(\.workloadPodsPerNode).max() ?? 10
        var after = plan
        var cni = after.cni ?? CNISettingsInput()
        cni.warmEniTarget = 0
        cni.warmIpTarget = 2
        cni.minimumIpTarget = podsPerNode
        after.cni = cni
        if cni == (plan.cni ?? CNISettingsInput()) {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "the warm pool is already this small")
            return option
        }
        finish(&option, plan: after, situation: situation)
        option.simulation = compareWarmPools(situation, before: plan.cni ?? CNISettingsInput(), after: cni)
        if let simulation = option.simulation {
            option.cost.ec2CallsPerHour = simulation.after.ec2Calls
        }
        option.cost.needs = ["ipamd makes more EC2 calls (AssignPrivateIpAddresses, UnassignPrivateIpAddresses): watch the account's EC2 API throttling"]
        option.steps = [
            .init(
                "Set the warm pool on the VPC CNI (aws-node restarts; running pods keep their addresses; nodes release "
                    + "surplus addresses within minutes).",
                commands: [setEnv([("WARM_ENI_TARGET", "0"), ("WARM_IP_TARGET", "2"), ("MINIMUM_IP_TARGET", "\(podsPerNode)")])])
        ]
        return option
    }

    /// The growth timeline simulated twice: the node groups from their running nodes to the target, full of pods,
    /// with the plan's warm pool and the tuned one. Bounded so that the advice stays quick.
    static func compareWarmPools(
        _ situation: RemediationSituation, before: CNISettingsInput, after: CNISettingsInput
    ) -> RemediationOption.SimulationComparison? {
        let plan = situation.plan
        var groups: [SimulationInput.SimulatedNodeGroup] = []
        var workloads: [SimulationInput.Workload] = []
        var events: [SimulationInput.Event] = []
        for (group, capacity) in zip(plan.nodeGroups ?? [], situation.evaluation.capacity) {
            guard let type = group.instanceTypes.first, let subnets = group.subnetIds, !subnets.isEmpty else { continue }
            let start = min(group.runningNodes ?? group.desiredSize ?? group.minSize, group.maxSize)
            groups.append(.init(name: group.name, instanceType: type, subnetIds: subnets, nodes: max(1, start), maxPods: group.maxPods))
            workloads.append(.init(name: group.name, nodeGroup: group.name, pods: max(1, start) * capacity.workloadPodsPerNode))
            events.append(.init(at: 600, type: "scaleNodeGroup", nodeGroup: group.name, nodes: group.maxSize))
            events.append(.init(at: 900, type: "setPods", workload: group.name, pods: group.maxSize * capacity.workloadPodsPerNode))
        }
        guard !groups.isEmpty, groups.reduce(0, { $0 + max($1.nodes, 1) }) <= 5_000,
            (plan.nodeGroups ?? []).reduce(0, { $0 + $1.maxSize }) <= 5_000
        else { return nil }
        // A subnet's available count already leaves out the running nodes' addresses, and the simulation starts
        // those nodes afresh: their addresses go back to it first, so that nothing is counted twice.
        var runningAddresses: [String: Int] = [:]
        for (group, capacity) in zip(plan.nodeGroups ?? [], situation.evaluation.capacity) {
            guard let running = group.runningNodes, running > 0, let ids = group.subnetIds, !ids.isEmpty else { continue }
            for id in ids { runningAddresses[id, default: 0] += running * capacity.subnetAddressesPerNode / ids.count }
        }
        let used = Set(groups.flatMap(\.subnetIds))
        let subnets = plan.subnets.filter { used.contains($0.subnetId) }.map { subnet in
            let usable = (try? CIDRBlock.parseNormalizing(subnet.cidrBlock))?.block.awsUsableAddressCount ?? 0
            return SimulationInput.SimulatedSubnet(
                subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone, cidrBlock: subnet.cidrBlock,
                availableIpAddressCount: subnet.availableIpAddressCount.map { min(usable, $0 + runningAddresses[subnet.subnetId, default: 0]) })
        }
        func run(_ cni: CNISettingsInput) -> RemediationOption.SimulationComparison.Figures? {
            let input = SimulationInput(
                durationSeconds: 3600, seed: 1, subnets: subnets, cni: cni, nodeGroups: groups, workloads: workloads,
                events: events)
            guard let setup = try? SimulationSetup(input, aws: situation.aws) else { return nil }
            let result = IPAllocationSimulator.run(setup)
            return .init(
                settings: describe(cni), peakAddressesHeld: result.summary.peakAddressesHeld,
                peakHeldUnassigned: result.summary.peakHeldUnassigned, peakPodsPending: result.summary.peakPodsPending,
                podsPendingAtEnd: result.summary.podsPendingAtEnd, ec2Calls: result.events.ec2Calls.total,
                firstExhaustionAt: result.events.firstExhaustionAt)
        }
        guard let first = run(before), let second = run(after) else { return nil }
        return .init(
            timeline: "one hour: the node groups at their running size, scaled to the target at 600 s, pods filling the "
                + "new nodes at 900 s", before: first, after: second)
    }

    static func describe(_ cni: CNISettingsInput) -> String {
        var parts: [String] = []
        if let value = cni.warmEniTarget { parts.append("WARM_ENI_TARGET=\(value)") }
        if let value = cni.warmIpTarget { parts.append("WARM_IP_TARGET=\(value)") }
        if let value = cni.minimumIpTarget { parts.append("MINIMUM_IP_TARGET=\(value)") }
        return parts.isEmpty ? "the defaults (WARM_ENI_TARGET=1)" : parts.joined(separator: ", ")
    }
}
