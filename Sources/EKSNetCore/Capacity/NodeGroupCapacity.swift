/// Which limit sets a node's max pods.
public enum BindingLimit: String, Codable, Sendable {
    /// The ENI and address slots the VPC CNI can fill.
    case enis
    /// kubelet's max pods (the calculator's cap or a user override).
    case kubelet
    /// Free addresses in the node group's subnets.
    case subnet
}

/// Max pods for one instance type inside a node group.
public struct InstanceTypeCapacity: Hashable, Codable, Sendable {
    public var instanceType: InstanceTypeName
    /// kubelet's max pods: the user's override, or the calculator's capped value for these CNI settings.
    public var kubeletMaxPods: Int
    /// Pods the VPC CNI can give addresses to, plus the 2 host-network pods.
    public var eniLimitedPods: Int
    /// The smaller of the two: what a node really runs.
    public var maxPods: Int
    public var bindingLimit: BindingLimit
    /// The binding limit as a sentence with its arithmetic.
    public var explanation: String
    /// ENIs attached when the node runs `maxPods` pods (steady state with the group's warm-pool settings).
    public var enisWhenFull: Int
    /// IPv4 addresses one full node takes from subnets: node IP, every ENI's primary, secondaries or 16 per prefix,
    /// and the trunk ENI with security groups for pods.
    public var subnetAddressesWhenFull: Int
    /// Of those, in the ENIConfig subnet (custom networking); 0 otherwise.
    public var podSubnetAddressesWhenFull: Int
    /// /28 prefixes held when full (prefix delegation); 0 otherwise.
    public var prefixesWhenFull: Int
    /// Memory the EKS AMI reserves for kubelet at this max pods, MiB.
    public var kubeletMemoryReserveMiB: Int
    /// Findings a person should act on (kubelet allowing more pods than addresses, flags that did not apply).
    public var notes: [String]
}

/// Totals for a node count.
public struct NodeGroupTotals: Hashable, Codable, Sendable {
    public var nodes: Int
    /// Pod slots across the nodes.
    public var maxPods: Int
    /// Pod slots left for workloads after DaemonSets.
    public var workloadPods: Int
    /// IPv4 addresses the nodes take from subnets when full.
    public var subnetAddresses: Int
}

/// Capacity of a node group at its min, desired and max sizes.
public struct NodeGroupCapacity: Hashable, Codable, Sendable {
    public var name: String
    public var instanceTypes: [InstanceTypeCapacity]
    /// Max pods per node: the smallest over the group's types.
    public var maxPodsPerNode: Int
    /// The type that sets `maxPodsPerNode`.
    public var limitingInstanceType: InstanceTypeName
    public var bindingLimit: BindingLimit
    public var explanation: String
    /// aws-node, kube-proxy and the extra DaemonSets: pod slots taken on every node.
    public var daemonSetPodsPerNode: Int
    /// Slots per node left for workloads.
    public var workloadPodsPerNode: Int
    /// Addresses one full node takes from subnets (the largest over the group's types, for sizing).
    public var subnetAddressesPerNode: Int
    /// The type whose full node takes the most addresses: the one subnet sizing assumes.
    public var sizingInstanceType: InstanceTypeName
    public var min: NodeGroupTotals
    public var desired: NodeGroupTotals
    public var max: NodeGroupTotals
    public var notes: [String]
}

extension NodeGroupCapacity {
    /// Computes a node group's capacity. In an IPv6 cluster (`ipv6`) pods take IPv6 addresses from a /80 prefix
    /// on the primary ENI: a node takes one IPv4 address from its subnet, the primary ENI's.
    public static func compute(_ group: NodeGroup, ipv6: Bool = false) throws(CapacityError) -> NodeGroupCapacity {
        var perType: [InstanceTypeCapacity] = []
        for type in group.instanceTypes {
            var capacity = try InstanceTypeCapacity.compute(type, in: group)
            if ipv6 {
                capacity.enisWhenFull = 1
                capacity.subnetAddressesWhenFull = 1
                capacity.podSubnetAddressesWhenFull = 0
                capacity.prefixesWhenFull = 0
                capacity.notes.append(
                    "\(type.name): IPv6 cluster: pods take IPv6 addresses from a /80 prefix on the primary ENI; the node "
                        + "takes one IPv4 address from its subnet")
            }
            perType.append(capacity)
        }
        // Callers validate that there is at least one type; keep the arithmetic total anyway.
        guard let limiting = perType.min(by: { ($0.maxPods, $0.instanceType) < ($1.maxPods, $1.instanceType) }) else {
            throw .noENIForPods(instanceType: "-", reason: "the node group lists no instance type")
        }
        let daemonSets = MaxPods.hostNetworkPods + group.extraDaemonSetPods
        let workload = Swift.max(0, limiting.maxPods - daemonSets)
        let sizing = perType.max { ($0.subnetAddressesWhenFull, $1.instanceType) < ($1.subnetAddressesWhenFull, $0.instanceType) } ?? limiting
        let addresses = sizing.subnetAddressesWhenFull
        func totals(_ nodes: Int) -> NodeGroupTotals {
            NodeGroupTotals(
                nodes: nodes, maxPods: nodes * limiting.maxPods, workloadPods: nodes * workload,
                subnetAddresses: nodes * addresses)
        }
        var notes: [String] = []
        if perType.count > 1 && Set(perType.map(\.maxPods)).count > 1 {
            notes.append(
                "mixed instance types: every node runs at \(limiting.maxPods) max pods, the value of "
                    + "\(limiting.instanceType), as managed node groups take the smallest")
        }
        if workload == 0 {
            notes.append(
                "no pod slot is left for workloads: \(daemonSets) DaemonSet pods per node fill max pods \(limiting.maxPods)")
        }
        return NodeGroupCapacity(
            name: group.name, instanceTypes: perType, maxPodsPerNode: limiting.maxPods,
            limitingInstanceType: limiting.instanceType, bindingLimit: limiting.bindingLimit,
            explanation: limiting.explanation, daemonSetPodsPerNode: daemonSets, workloadPodsPerNode: workload,
            subnetAddressesPerNode: addresses, sizingInstanceType: sizing.instanceType, min: totals(group.minSize), desired: totals(group.desiredSize),
            max: totals(group.maxSize), notes: notes + perType.flatMap(\.notes)
        )
    }
}

extension InstanceTypeCapacity {
    static func compute(_ type: InstanceType, in group: NodeGroup) throws(CapacityError) -> InstanceTypeCapacity {
        let calculation = try MaxPods.recommended(for: type, options: group.cni.maxPodsOptions)
        var notes = calculation.notes.map { "\(type.name): \($0)" }
        let prefixMode = group.cni.usesPrefixDelegation(on: type)
        var poolENIs = calculation.enis
        if group.cni.warmPool.securityGroupsForPods {
            poolENIs -= 1
            guard poolENIs >= 1 else {
                throw .noENIForPods(
                    instanceType: type.name.rawValue,
                    reason: "security groups for pods reserves one ENI slot for the trunk ENI and none is left")
            }
        }
        let slotsPerENI = type.ipv4AddressesPerInterface - 1
        let perSlot = prefixMode ? IPAMDPolicy.addressesPerPrefix : 1
        let eniLimited = poolENIs * slotsPerENI * perSlot + MaxPods.hostNetworkPods
        let kubelet = group.kubeletMaxPods ?? calculation.maxPods
        let maxPods = Swift.min(kubelet, eniLimited)
        let eniSentence =
            "\(poolENIs) ENI\(poolENIs == 1 ? "" : "s") × \(slotsPerENI) "
            + (prefixMode ? "prefixes × 16 addresses" : "secondary IPs")
            + " + \(MaxPods.hostNetworkPods) host-network pods = \(eniLimited)"
        let binding: BindingLimit
        let explanation: String
        if kubelet < eniLimited {
            binding = .kubelet
            if let override = group.kubeletMaxPods {
                explanation = "kubelet maxPods \(override) set for the node group (ENIs allow \(eniLimited))"
            } else if let cap = calculation.cap {
                explanation = "kubelet cap \(cap) for \((type.vcpus ?? 0) > 30 ? "> 30" : "≤ 30") vCPUs (\(eniSentence))"
            } else {
                explanation = "kubelet max pods \(kubelet) (\(eniSentence))"
            }
        } else {
            binding = .enis
            explanation = eniSentence
            if kubelet > eniLimited {
                notes.append(
                    "\(type.name): kubelet allows \(kubelet) pods but the VPC CNI can address only "
                        + "\(eniLimited - MaxPods.hostNetworkPods); pods beyond that stay in ContainerCreating "
                        + "(set maxPods to \(eniLimited))")
            }
        }
        let full = NodeSteadyState.compute(
            instanceType: type, settings: effectiveWarmPool(group.cni, type: type), pods: maxPods - MaxPods.hostNetworkPods,
            maxPods: maxPods)
        return InstanceTypeCapacity(
            instanceType: type.name, kubeletMaxPods: kubelet, eniLimitedPods: eniLimited, maxPods: maxPods,
            bindingLimit: binding, explanation: explanation, enisWhenFull: full.enis,
            subnetAddressesWhenFull: full.subnetAddresses + full.trunkEniAddresses,
            podSubnetAddressesWhenFull: full.podSubnetAddresses,
            prefixesWhenFull: full.prefixesPerEni?.reduce(0, +) ?? 0,
            kubeletMemoryReserveMiB: MaxPods.kubeletMemoryReserveMiB(maxPods: maxPods), notes: notes)
    }

    /// The warm-pool settings ipamd really runs with on this type (prefix mode only where it works).
    static func effectiveWarmPool(_ cni: CNISettings, type: InstanceType) -> WarmPoolSettings {
        var settings = cni.warmPool
        settings.prefixDelegation = cni.usesPrefixDelegation(on: type)
        return settings
    }
}
