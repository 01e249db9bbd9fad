/// A simulation input checked and resolved: subnets parsed, instance types found, settings bounded.
public struct SimulationSetup: Sendable {
    struct Group: Sendable {
        var name: String
        var type: InstanceType
        var subnets: [Int]
        var initialNodes: Int
        /// ipamd's decisions for the group's nodes.
        var policy: IPAMDPolicy
        /// The VPC CNI release and ENABLE_SUBNET_DISCOVERY, for a policy built again under other settings.
        var cni: CNISettings
        var settings: WarmPoolSettings { policy.settings }
        var prefixMode: Bool { policy.prefixMode }
        var maxPods: Int { policy.maxPods }
        /// Pods the scheduler may place per node: max pods less aws-node and kube-proxy.
        var podCapacity: Int { max(0, maxPods - MaxPods.hostNetworkPods) }
    }

    struct Subnet: Sendable {
        var id: String
        var zone: String
        var block: CIDRBlock
        var inUse: Int
        var reservation: CIDRBlock?
        var podSubnet: Bool
    }

    var input: SimulationInput
    var subnets: [Subnet]
    var groups: [Group]
    var workloads: [(name: String, group: Int, pods: Int)]
    var events: [(at: Int, kind: EventKind)]
    var eniConfigByZone: [String: Int]
    var ticks: Int
    var seed: UInt64
    var order: FillOrder
    var maxPoints: Int
    var attachLatency: Int
    /// The most node-ticks the run can take (its peak nodes × ticks): what the limit bounds and a run costs.
    public private(set) var nodeTickBound = 0

    enum EventKind: Sendable {
        case scale(group: Int, nodes: Int)
        case setPods(workload: Int, pods: Int)
        case rollingRestart(workload: Int, batchPercent: Int)
    }

    static let tick = IPAMDPolicy.reconcileInterval

    /// Checks and resolves an input; throws every issue found. What `IPAllocationSimulator.run` then runs.
    public init(_ input: SimulationInput, aws: AWSData) throws(ValidationFailure) {
        let catalog = aws.catalog
        var issues = IssueCollector()
        let root = JSONPointer.root
        self.input = input
        issues.check(input.durationSeconds, in: SimulationInput.durationRange, at: root / "durationSeconds", "durationSeconds")
        ticks = max(1, min(input.durationSeconds, SimulationInput.durationRange.upperBound) / Self.tick)
        seed = input.seed ?? 1
        order = input.fillOrder ?? .firstFit
        maxPoints = input.maxPoints ?? 200
        issues.check(maxPoints, in: SimulationInput.maxPointsRange, at: root / "maxPoints", "maxPoints")
        attachLatency = input.eniAttachLatencySeconds ?? 5
        issues.check(attachLatency, in: SimulationInput.latencyRange, at: root / "eniAttachLatencySeconds", "eniAttachLatencySeconds")

        let table = SubnetTable(input.subnets, at: root / "subnets", count: SimulationInput.subnetCountRange, into: &issues)
        let subnets = table.entries.map { entry in
            Subnet(
                id: entry.id, zone: entry.availabilityZone, block: entry.block, inUse: entry.facts.inUse,
                reservation: entry.facts.prefixReservation, podSubnet: entry.facts.podSubnet)
        }
        self.subnets = subnets

        var configs: [String: Int] = [:]
        for (zone, id) in (input.eniConfigs ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let index = table.reference(id, at: root / "eniConfigs" / zone, into: &issues) { configs[zone] = index }
        }
        eniConfigByZone = configs

        issues.check(input.nodeGroups.count, in: SimulationInput.nodeGroupCountRange, at: root / "nodeGroups", "the number of node groups")
        var groups: [Group] = []
        var groupIndex: [String: Int] = [:]
        var totalNodes = 0
        for (position, group) in input.nodeGroups.prefix(SimulationInput.nodeGroupCountRange.upperBound).enumerated() {
            let pointer = root / "nodeGroups" / position
            if groupIndex[group.name] != nil { issues.add(pointer / "name", "node group '\(group.name.prefix(64))' is listed twice") }
            issues.check(group.nodes, in: SimulationInput.nodesRange, at: pointer / "nodes", "nodes")
            totalNodes += max(0, min(group.nodes, SimulationInput.nodesRange.upperBound))
            guard let type = catalog.instanceType(named: group.instanceType) else {
                issues.add(pointer / "instanceType", catalog.unknownTypeMessage(group.instanceType, suggesting: issues.takeSuggestion()))
                continue
            }
            let groupSubnets = table.references(
                group.subnetIds, at: pointer / "subnetIds", count: 0...SimulationInput.subnetCountRange.upperBound, into: &issues)
            if group.subnetIds.isEmpty { issues.add(pointer / "subnetIds", "a node group needs at least one subnet") }
            let cni = (group.cni ?? CNISettingsInput()).overlaid(on: input.cni)
                .resolve(at: group.cni != nil ? pointer / "cni" : root / "cni", into: &issues)
            var settings = cni.warmPool
            settings.prefixDelegation = cni.usesPrefixDelegation(on: type)
            if let maxPods = group.maxPods { issues.check(maxPods, in: NodeGroupInput.maxPodsRange, at: pointer / "maxPods", "maxPods") }
            let calculated = (try? MaxPods.recommended(for: type, options: cni.maxPodsOptions).maxPods)
            if calculated == nil && group.maxPods == nil {
                issues.add(pointer / "instanceType", "\(type.name) has no ENI left for pods with these CNI settings")
            }
            if settings.customNetworking {
                for index in groupSubnets where configs[subnets[index].zone] == nil {
                    issues.add(pointer / "subnetIds", "custom networking is on but /eniConfigs has no subnet for \(subnets[index].zone)")
                    break
                }
            }
            groupIndex[group.name] = groups.count
            groups.append(
                Group(
                    name: group.name, type: type, subnets: groupSubnets, initialNodes: group.nodes,
                    policy: IPAMDPolicy(
                        instanceType: type, settings: settings, maxPods: group.maxPods ?? calculated ?? 110,
                        cniVersion: cni.version, subnetDiscoveryEnabled: cni.subnetDiscoveryEnabled),
                    cni: cni))
        }
        self.groups = groups

        var workloads: [(String, Int, Int)] = []
        var workloadIndex: [String: Int] = [:]
        for (position, workload) in (input.workloads ?? []).prefix(64).enumerated() {
            let pointer = root / "workloads" / position
            issues.check(workload.pods, in: SimulationInput.podsRange, at: pointer / "pods", "pods")
            guard let group = groupIndex[workload.nodeGroup] else {
                issues.add(pointer / "nodeGroup", "node group '\(workload.nodeGroup.prefix(64))' is not in /nodeGroups")
                continue
            }
            if workloadIndex[workload.name] != nil { issues.add(pointer / "name", "workload '\(workload.name.prefix(64))' is listed twice") }
            workloadIndex[workload.name] = workloads.count
            workloads.append((workload.name, group, workload.pods))
        }
        self.workloads = workloads

        var events: [(Int, EventKind)] = []
        let inputEvents = input.events ?? []
        issues.check(inputEvents.count, in: SimulationInput.eventCountRange, at: root / "events", "the number of events")
        var peakNodes = totalNodes
        for (position, event) in inputEvents.prefix(SimulationInput.eventCountRange.upperBound).enumerated() {
            let pointer = root / "events" / position
            issues.check(event.at, in: 0...max(0, input.durationSeconds), at: pointer / "at", "at")
            guard let type = SimulationInput.EventType(rawValue: event.type) else {
                issues.add(pointer / "type", "'\(event.type.prefix(40))' is not scaleNodeGroup, setPods or rollingRestart")
                continue
            }
            switch type {
            case .scaleNodeGroup:
                guard let name = event.nodeGroup, let group = groupIndex[name] else {
                    issues.add(pointer / "nodeGroup", "scaleNodeGroup needs a nodeGroup from /nodeGroups")
                    continue
                }
                guard let nodes = event.nodes, issues.check(nodes, in: SimulationInput.nodesRange, at: pointer / "nodes", "nodes") else {
                    if event.nodes == nil { issues.add(pointer / "nodes", "scaleNodeGroup needs nodes") }
                    continue
                }
                peakNodes += max(0, nodes - groups[group].initialNodes)
                events.append((event.at, .scale(group: group, nodes: nodes)))
            case .setPods:
                guard let name = event.workload, let workload = workloadIndex[name] else {
                    issues.add(pointer / "workload", "setPods needs a workload from /workloads")
                    continue
                }
                guard let pods = event.pods, issues.check(pods, in: SimulationInput.podsRange, at: pointer / "pods", "pods") else {
                    if event.pods == nil { issues.add(pointer / "pods", "setPods needs pods") }
                    continue
                }
                events.append((event.at, .setPods(workload: workload, pods: pods)))
            case .rollingRestart:
                guard let name = event.workload, let workload = workloadIndex[name] else {
                    issues.add(pointer / "workload", "rollingRestart needs a workload from /workloads")
                    continue
                }
                let batch = event.batchPercent ?? 25
                issues.check(batch, in: 1...100, at: pointer / "batchPercent", "batchPercent")
                events.append((event.at, .rollingRestart(workload: workload, batchPercent: batch)))
            }
        }
        self.events = events.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        let totalPods = workloads.reduce(0) { $0 + $1.2 }
        issues.check(totalPods, in: SimulationInput.podsRange, at: root / "workloads", "the number of pods over all workloads")
        nodeTickBound = peakNodes * ticks
        if peakNodes * ticks > SimulationInput.maximumNodeTicks {
            issues.add(
                root / "durationSeconds",
                "\(peakNodes) nodes over \(ticks) ticks is \(peakNodes * ticks) node-ticks; the limit is "
                    + "\(SimulationInput.maximumNodeTicks) (shorten the duration or simulate fewer nodes)")
        }
        try issues.throwIfAny()
    }
}

extension SimulationInput.SimulatedSubnet: SubnetDescribing {
    /// What a simulated subnet adds to the shared description.
    public struct Facts: Sendable {
        /// Addresses taken by others at the start.
        public let inUse: Int
        public let prefixReservation: CIDRBlock?
        public let podSubnet: Bool
    }

    public func resolveFacts(block: CIDRBlock, at pointer: JSONPointer, into issues: inout IssueCollector) -> Facts? {
        guard CIDRBlock.awsSubnetPrefixLengths.contains(block.prefixLength) else {
            issues.add(pointer / "cidrBlock", "\(block) is a /\(block.prefixLength); subnets are /16 to /28")
            return nil
        }
        var inUse = 0
        // Beyond the table's own bound it has been reported already.
        if let available = availableIpAddressCount, SubnetTable<Self>.availableAddressesRange.contains(available) {
            let usable = block.awsUsableAddressCount
            if issues.check(available, in: 0...usable, at: pointer / "availableIpAddressCount", "availableIpAddressCount") {
                inUse = usable - available
            }
        }
        var reservation: CIDRBlock?
        if let text = prefixReservationCidr {
            do {
                let parsed = try CIDRBlock(parsing: text)
                if !block.contains(parsed) || parsed.prefixLength > 28 {
                    issues.add(pointer / "prefixReservationCidr", "\(parsed) must be a /28 or larger block inside \(block)")
                }
                reservation = parsed
            } catch {
                issues.add(pointer / "prefixReservationCidr", error.description)
            }
        }
        return Facts(inUse: inUse, prefixReservation: reservation, podSubnet: podSubnet ?? false)
    }
}
