/// The `aws-node` environment variables that decide how many addresses ipamd holds on a node
/// (the aws/amazon-vpc-cni-k8s README; docs/sources.md). Unset values take the defaults of the VPC CNI's shipped
/// manifests.
public struct WarmPoolSettings: Hashable, Codable, Sendable {
    /// `WARM_ENI_TARGET`: spare whole ENIs to keep (secondary-IP mode, no IP targets). Manifest default 1.
    public var warmEniTarget: Int
    /// `WARM_IP_TARGET`: spare addresses to keep; any value > 0 turns on IP-target mode. Unset by default.
    public var warmIpTarget: Int?
    /// `MINIMUM_IP_TARGET`: floor on addresses held; any value > 0 turns on IP-target mode. Unset by default.
    public var minimumIpTarget: Int?
    /// `WARM_PREFIX_TARGET`: spare whole /28 prefixes (prefix mode, no IP targets). Manifest default 1.
    public var warmPrefixTarget: Int
    /// `ENABLE_PREFIX_DELEGATION`.
    public var prefixDelegation: Bool
    /// `MAX_ENI`: at most this many ENIs (values below 1 are ignored by ipamd and refused here).
    public var maxEni: Int?
    /// `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`: pods never get addresses from the primary ENI.
    public var customNetworking: Bool
    /// `ENABLE_POD_ENI`: security groups for pods; one ENI slot goes to the trunk ENI.
    public var securityGroupsForPods: Bool
    /// `IP_COOLDOWN_PERIOD` in seconds: a freed address waits this long before another pod may take it.
    public var ipCooldownPeriod: Int

    public init(
        warmEniTarget: Int = 1, warmIpTarget: Int? = nil, minimumIpTarget: Int? = nil, warmPrefixTarget: Int = 1,
        prefixDelegation: Bool = false, maxEni: Int? = nil, customNetworking: Bool = false,
        securityGroupsForPods: Bool = false, ipCooldownPeriod: Int = 30
    ) {
        self.warmEniTarget = warmEniTarget
        self.warmIpTarget = warmIpTarget
        self.minimumIpTarget = minimumIpTarget
        self.warmPrefixTarget = warmPrefixTarget
        self.prefixDelegation = prefixDelegation
        self.maxEni = maxEni
        self.customNetworking = customNetworking
        self.securityGroupsForPods = securityGroupsForPods
        self.ipCooldownPeriod = ipCooldownPeriod
    }

    /// `WARM_IP_TARGET` as ipamd reads it: unset counts as 0.
    public var warmIPs: Int { max(0, warmIpTarget ?? 0) }
    /// `MINIMUM_IP_TARGET` as ipamd reads it: unset counts as 0.
    public var minimumIPs: Int { max(0, minimumIpTarget ?? 0) }
    /// IP-target mode: either IP target above 0 overrides WARM_ENI_TARGET and WARM_PREFIX_TARGET.
    public var ipTargetMode: Bool { warmIPs > 0 || minimumIPs > 0 }
}
