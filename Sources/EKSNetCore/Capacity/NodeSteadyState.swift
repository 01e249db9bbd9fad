/// One node's settled pool after pods arrive one at a time and the pool settles between arrivals: the setting of
/// the VPC CNI docs' tables (its eni-and-ip-target.md and prefix-and-ip-target.md; docs/sources.md). First-fit
/// filling, no deletions.
public struct NodeSteadyState: Hashable, Codable, Sendable {
    public var instanceType: InstanceTypeName
    /// Pods asked for (pods that need a VPC address; host-network pods excluded).
    public var pods: Int
    /// kubelet max pods in force.
    public var maxPods: Int
    /// Whether /28 prefixes were used.
    public var prefixDelegation: Bool
    /// Attached ENIs, the primary included.
    public var enis: Int
    /// Secondary IPs per ENI, primary first (in prefix mode, the prefixes' addresses).
    public var addressesPerEni: [Int]
    /// Prefixes per ENI in prefix mode; nil otherwise.
    public var prefixesPerEni: [Int]?
    /// Pod-usable addresses held.
    public var totalIps: Int
    /// Held addresses not bound to a pod.
    public var unusedIps: Int
    /// Prefixes with no pod in prefix mode; nil otherwise.
    public var freePrefixes: Int?
    /// Addresses taken from subnets, ENI primaries included.
    public var subnetAddresses: Int
    /// Of those, the ones in the node's own subnet (all of them unless custom networking moves pod ENIs away).
    public var nodeSubnetAddresses: Int
    /// Addresses in the ENIConfig (pod) subnet with custom networking; 0 otherwise.
    public var podSubnetAddresses: Int
    /// One more address for the trunk ENI when security groups for pods is on.
    public var trunkEniAddresses: Int
    /// Scheduled pods that got no address (the pool cannot grow further).
    public var podsWithoutIp: Int
    /// Pods beyond kubelet max pods, which the scheduler never places on the node.
    public var podsUnschedulable: Int

    /// Settles a fresh node for `pods` arrivals.
    public static func compute(
        instanceType: InstanceType, settings: WarmPoolSettings, pods: Int, maxPods: Int
    ) -> NodeSteadyState {
        var pool = NodeIPPool(instanceType: instanceType, settings: settings, maxPods: maxPods)
        let schedulable = max(0, min(pods, maxPods - MaxPods.hostNetworkPods))
        var withoutIP = 0
        pool.settle()
        // Arrivals between two pool actions change nothing but the count, so they are taken in batches that end
        // exactly where one pod at a time would have made the pool "too low".
        var remaining = schedulable
        while remaining > 0 {
            let batch = min(remaining, pool.podsUntilTooLow)
            let bound = pool.assignPods(batch)
            withoutIP += batch - bound
            remaining -= batch
            pool.settle()
        }
        // Pods that waited get an address once the pool has grown, as kubelet retries.
        while withoutIP > 0 && pool.assignPod() {
            withoutIP -= 1
            pool.settle()
        }
        let perSlot = pool.addressesPerSlot
        let primaryInNodeSubnet = settings.customNetworking
        let slots = pool.slotsInUse
        let nodeSubnet = primaryInNodeSubnet ? 1 + slots[0] * perSlot : pool.subnetAddresses
        return NodeSteadyState(
            instanceType: instanceType.name, pods: pods, maxPods: maxPods, prefixDelegation: pool.prefixMode,
            enis: pool.attachedENIs, addressesPerEni: slots.map { $0 * perSlot },
            prefixesPerEni: pool.prefixMode ? slots : nil, totalIps: pool.totalAddresses,
            unusedIps: pool.availableAddresses, freePrefixes: pool.prefixMode ? pool.freePrefixes : nil,
            subnetAddresses: pool.subnetAddresses, nodeSubnetAddresses: nodeSubnet,
            podSubnetAddresses: pool.subnetAddresses - nodeSubnet,
            trunkEniAddresses: settings.securityGroupsForPods ? 1 : 0, podsWithoutIp: withoutIP,
            podsUnschedulable: max(0, pods - schedulable)
        )
    }
}

extension NodeSteadyState {
    /// The settled pool for a type under CNI settings: prefix mode only where the type and version support it,
    /// and kubelet max pods from the calculator unless given.
    public static func compute(
        instanceType: InstanceType, cni: CNISettings, pods: Int, maxPodsOverride: Int? = nil
    ) throws(CapacityError) -> NodeSteadyState {
        let maxPods: Int
        if let maxPodsOverride {
            maxPods = maxPodsOverride
        } else {
            maxPods = try MaxPods.recommended(for: instanceType, options: cni.maxPodsOptions).maxPods
        }
        var settings = cni.warmPool
        settings.prefixDelegation = cni.usesPrefixDelegation(on: instanceType)
        return compute(instanceType: instanceType, settings: settings, pods: pods, maxPods: maxPods)
    }
}
