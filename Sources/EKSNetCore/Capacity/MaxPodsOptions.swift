/// The flags of the EKS AMI's max-pods-calculator.sh.
public struct MaxPodsOptions: Hashable, Sendable {
    /// `--cni-version`.
    public var cniVersion: CNIVersion
    /// `--cni-custom-networking-enabled`: the primary ENI carries no pods.
    public var customNetworking: Bool
    /// `--cni-prefix-delegation-enabled`: each secondary slot holds a /28 (16 addresses).
    public var prefixDelegation: Bool
    /// `--cni-max-eni`: at most this many ENIs (at least 1).
    public var maxEni: Int?
    /// `--show-max-allowed`: skip the 110 / 250 cap.
    public var showMaxAllowed: Bool

    public init(
        cniVersion: CNIVersion = .current, customNetworking: Bool = false, prefixDelegation: Bool = false,
        maxEni: Int? = nil, showMaxAllowed: Bool = false
    ) {
        self.cniVersion = cniVersion
        self.customNetworking = customNetworking
        self.prefixDelegation = prefixDelegation
        self.maxEni = maxEni
        self.showMaxAllowed = showMaxAllowed
    }
}
