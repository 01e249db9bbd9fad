/// Max pods for one type from every EKS producer, with default settings: the summary on an instance type's page.
public struct MaxPodsSummary: Hashable, Codable, Sendable {
    /// The CNI version the calculator figures assume.
    public var cniVersion: String
    /// eni-max-pods.txt, AL2 bootstrap and nodeadm's default: ENIs × (IPv4 per ENI − 1) + 2.
    public var eniLimited: Int
    /// max-pods-calculator.sh without flags (capped).
    public var recommended: MaxPodsCalculation
    /// max-pods-calculator.sh with prefix delegation (capped); the plain formula where the type has no Nitro
    /// hypervisor.
    public var recommendedWithPrefixDelegation: MaxPodsCalculation
    /// max-pods-calculator.sh with custom networking; nil when no ENI would be left for pods.
    public var recommendedWithCustomNetworking: MaxPodsCalculation?
    /// EKS managed node groups without a custom AMI.
    public var managedNodeGroup: Int
    /// EKS managed node groups with prefix delegation on.
    public var managedNodeGroupWithPrefixDelegation: Int
    /// EKS Auto Mode.
    public var autoMode: Int
    /// nodeadm (AL2023) without a kubelet override.
    public var nodeadm: Int
    /// Karpenter without reserved ENIs or overrides.
    public var karpenter: Int
    /// kubelet memory the EKS AMI reserves at the recommended max pods, MiB.
    public var kubeletMemoryReserveMiB: Int

    /// The summary for a type with `cniVersion` (default: the current release).
    public static func compute(for type: InstanceType, cniVersion: CNIVersion = .current) -> MaxPodsSummary {
        let plain = MaxPodsOptions(cniVersion: cniVersion)
        let prefix = MaxPodsOptions(cniVersion: cniVersion, prefixDelegation: true)
        // Without custom networking or maxEni nothing here can fail: every type has at least one ENI.
        let recommended = (try? MaxPods.recommended(for: type, options: plain)) ?? fallback(type)
        let withPrefix = (try? MaxPods.recommended(for: type, options: prefix)) ?? recommended
        return MaxPodsSummary(
            cniVersion: cniVersion.text,
            eniLimited: MaxPods.eniLimited(type),
            recommended: recommended,
            recommendedWithPrefixDelegation: withPrefix,
            recommendedWithCustomNetworking: try? MaxPods.recommended(
                for: type, options: MaxPodsOptions(cniVersion: cniVersion, customNetworking: true)),
            managedNodeGroup: recommended.maxPods,
            managedNodeGroupWithPrefixDelegation: withPrefix.maxPods,
            autoMode: min(110, recommended.maxPods),
            nodeadm: MaxPods.nodeadm(for: type),
            karpenter: MaxPods.karpenter(for: type),
            kubeletMemoryReserveMiB: MaxPods.kubeletMemoryReserveMiB(maxPods: recommended.maxPods))
    }

    private static func fallback(_ type: InstanceType) -> MaxPodsCalculation {
        let pods = MaxPods.eniLimited(type)
        return MaxPodsCalculation(
            instanceType: type.name, maxPods: pods, uncapped: pods, cap: nil, enis: type.maximumNetworkInterfaces,
            slotsPerEni: type.ipv4AddressesPerInterface - 1, prefixDelegation: false,
            explanation: "ENI-limited formula", notes: [])
    }
}
