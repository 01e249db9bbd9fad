/// Max pods per node, the way each EKS producer computes it (docs/max-pods.md; AWS's sources in docs/sources.md).
public enum MaxPods {
    /// Pods that run on every node with host networking and so take no VPC address: aws-node and kube-proxy.
    public static let hostNetworkPods = 2
    /// The cap the calculator and managed node groups apply: 110 up to 30 vCPUs, 250 above.
    public static func kubeletCap(vcpus: Int?) -> Int {
        (vcpus ?? 0) > 30 ? 250 : 110
    }

    /// The ENI-limited value that AWS's eni-max-pods.txt holds: default-card ENIs × (IPv4 per ENI − 1) + 2.
    public static func eniLimited(_ type: InstanceType) -> Int {
        type.maximumNetworkInterfaces * (type.ipv4AddressesPerInterface - 1) + hostNetworkPods
    }

    /// max-pods-calculator.sh, step by step; errors where the script would print nonsense.
    public static func recommended(
        for type: InstanceType, options: MaxPodsOptions
    ) throws(CapacityError) -> MaxPodsCalculation {
        var enis = type.maximumNetworkInterfaces
        var notes: [String] = []
        if let maxEni = options.maxEni {
            guard maxEni >= 1 else { throw .maxENIOutOfRange(maxEni) }
            if maxEni < enis {
                notes.append("maxEni \(maxEni) limits the \(enis) ENIs of \(type.name)")
                enis = maxEni
            }
        }
        if options.customNetworking {
            enis -= 1
            guard enis >= 1 else {
                throw .noENIForPods(
                    instanceType: type.name.rawValue,
                    reason: "custom networking keeps pods off the primary ENI and \(type.name) "
                        + "has \(enis + 1) ENI\(enis == 0 ? "" : "s") on its default network card"
                        + (options.maxEni != nil ? " after maxEni" : "")
                )
            }
        }
        let slotsPerENI = type.ipv4AddressesPerInterface - 1
        var prefixDelegationApplied = false
        if options.prefixDelegation {
            if !options.cniVersion.supportsPrefixDelegation {
                notes.append(
                    "prefix delegation needs VPC CNI 1.9.0 or later (\(options.cniVersion) given); secondary IPs used")
            } else if type.hypervisor != .nitro {
                notes.append(
                    "prefix delegation formula applies to the Nitro hypervisor only; \(type.name) reports "
                        + "\(type.hypervisor?.rawValue ?? "no hypervisor (bare metal)"), so secondary IPs are counted")
            } else {
                prefixDelegationApplied = true
            }
        }
        let podAddresses = enis * slotsPerENI * (prefixDelegationApplied ? IPAMDPolicy.addressesPerPrefix : 1)
        let uncapped = podAddresses + hostNetworkPods
        let arithmetic =
            prefixDelegationApplied
            ? "\(enis) ENIs × \(slotsPerENI) prefixes × 16 addresses + \(hostNetworkPods) host-network pods = \(uncapped)"
            : "\(enis) ENIs × \(slotsPerENI) secondary IPs + \(hostNetworkPods) host-network pods = \(uncapped)"
        var maxPods = uncapped
        var cap: Int?
        var explanation = arithmetic
        if !options.showMaxAllowed {
            let limit = kubeletCap(vcpus: type.vcpus)
            if uncapped > limit {
                maxPods = limit
                cap = limit
                explanation += "; capped at \(limit) (" + capReason(type.vcpus) + ")"
            }
        }
        return MaxPodsCalculation(
            instanceType: type.name, maxPods: maxPods, uncapped: uncapped, cap: cap, enis: enis,
            slotsPerEni: slotsPerENI, prefixDelegation: prefixDelegationApplied, explanation: explanation, notes: notes
        )
    }

    static func capReason(_ vcpus: Int?) -> String {
        guard let vcpus else { return "vCPU count unknown, the ≤ 30 vCPU cap assumed" }
        return vcpus > 30 ? "kubelet cap 250 for > 30 vCPUs" : "kubelet cap 110 for ≤ 30 vCPUs"
    }

    /// EKS managed node groups without a custom AMI: the calculator's value for the node's CNI settings, capped at
    /// 110 (≤ 30 vCPUs) or 250.
    public static func managedNodeGroup(
        for type: InstanceType, options: MaxPodsOptions
    ) throws(CapacityError) -> Int {
        var capped = options
        capped.showMaxAllowed = false
        return try recommended(for: type, options: capped).maxPods
    }

    /// EKS Auto Mode: the calculator's value, never more than 110.
    public static func autoMode(for type: InstanceType, options: MaxPodsOptions) throws(CapacityError) -> Int {
        min(110, try recommended(for: type, options: options).maxPods)
    }

    /// nodeadm (AL2023): a user's kubelet `maxPods` wins; else the ENI-limited formula, uncapped; 110 for a type
    /// nodeadm does not know.
    public static func nodeadm(for type: InstanceType?, kubeletMaxPods: Int? = nil) -> Int {
        if let kubeletMaxPods { return kubeletMaxPods }
        guard let type else { return 110 }
        return eniLimited(type)
    }

    /// Karpenter's EC2NodeClass arithmetic: reserved ENIs come off the top, `kubelet.maxPods` wins, then
    /// `podsPerCore × vCPUs` caps the result when set.
    public static func karpenter(
        for type: InstanceType, reservedENIs: Int = 0, kubeletMaxPods: Int? = nil, podsPerCore: Int? = nil
    ) -> Int {
        let usable = max(0, type.maximumNetworkInterfaces - max(0, reservedENIs))
        var pods = usable == 0 ? 0 : usable * (type.ipv4AddressesPerInterface - 1) + hostNetworkPods
        if let kubeletMaxPods { pods = kubeletMaxPods }
        if let podsPerCore, podsPerCore > 0, let vcpus = type.vcpus {
            pods = min(podsPerCore * vcpus, pods)
        }
        return pods
    }

    /// Memory the EKS AMIs reserve for kubelet, in MiB: 11 × maxPods + 255.
    public static func kubeletMemoryReserveMiB(maxPods: Int) -> Int {
        11 * maxPods + 255
    }
}
