/// A node group as capacity planning sees it: instance types, sizes, kubelet override, CNI settings and the
/// DaemonSets that take a pod slot on every node.
public struct NodeGroup: Hashable, Sendable {
    public var name: String
    /// One or more types; a managed node group with mixed types runs every node at the smallest max pods.
    public var instanceTypes: [InstanceType]
    public var minSize: Int
    public var desiredSize: Int
    public var maxSize: Int
    /// kubelet `maxPods` set by the user (launch template, nodeadm, Karpenter); nil for the calculator's value.
    public var kubeletMaxPods: Int?
    /// DaemonSet pods per node beyond aws-node and kube-proxy (ebs-csi-node, a log agent, …).
    public var extraDaemonSetPods: Int
    /// VPC CNI settings.
    public var cni: CNISettings

    public init(
        name: String, instanceTypes: [InstanceType], minSize: Int, desiredSize: Int, maxSize: Int,
        kubeletMaxPods: Int? = nil, extraDaemonSetPods: Int = 0, cni: CNISettings = CNISettings()
    ) {
        self.name = name
        self.instanceTypes = instanceTypes
        self.minSize = minSize
        self.desiredSize = desiredSize
        self.maxSize = maxSize
        self.kubeletMaxPods = kubeletMaxPods
        self.extraDaemonSetPods = extraDaemonSetPods
        self.cni = cni
    }
}
