/// VPC CNI settings as a request carries them: every field optional, names as in the `aws-node` variables.
/// `customNetworking` is a boolean or `{"enabled": Bool, "eniConfigs": {AZ: subnetId}}` (the plan's form).
public struct CNISettingsInput: Hashable, Codable, Sendable {
    public var version: String?
    public var prefixDelegation: Bool?
    public var customNetworking: CustomNetworkingInput?
    public var maxEni: Int?
    public var securityGroupsForPods: Bool?
    public var warmEniTarget: Int?
    public var warmIpTarget: Int?
    public var minimumIpTarget: Int?
    public var warmPrefixTarget: Int?
    public var ipCooldownPeriod: Int?
    /// `ENABLE_SUBNET_DISCOVERY`; unset means on, as in the shipped manifests from 1.18.
    public var enableSubnetDiscovery: Bool?

    public init(
        version: String? = nil, prefixDelegation: Bool? = nil, customNetworking: CustomNetworkingInput? = nil,
        maxEni: Int? = nil, securityGroupsForPods: Bool? = nil, warmEniTarget: Int? = nil, warmIpTarget: Int? = nil,
        minimumIpTarget: Int? = nil, warmPrefixTarget: Int? = nil, ipCooldownPeriod: Int? = nil,
        enableSubnetDiscovery: Bool? = nil
    ) {
        self.version = version
        self.prefixDelegation = prefixDelegation
        self.customNetworking = customNetworking
        self.maxEni = maxEni
        self.securityGroupsForPods = securityGroupsForPods
        self.warmEniTarget = warmEniTarget
        self.warmIpTarget = warmIpTarget
        self.minimumIpTarget = minimumIpTarget
        self.warmPrefixTarget = warmPrefixTarget
        self.ipCooldownPeriod = ipCooldownPeriod
        self.enableSubnetDiscovery = enableSubnetDiscovery
    }

    /// Custom networking, as a flag or as the plan's object.
    public struct CustomNetworkingInput: Hashable, Codable, Sendable {
        public var enabled: Bool
        /// ENIConfig subnet per availability zone.
        public var eniConfigs: [String: String]?

        public init(enabled: Bool, eniConfigs: [String: String]? = nil) {
            self.enabled = enabled
            self.eniConfigs = eniConfigs
        }

        enum CodingKeys: String, CodingKey { case enabled, eniConfigs }

        public init(from decoder: any Decoder) throws {
            if let flag = try? decoder.singleValueContainer().decode(Bool.self) {
                self.init(enabled: flag)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                enabled: try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? false,
                eniConfigs: try container.decodeIfPresent([String: String].self, forKey: .eniConfigs))
        }
    }

    /// Fills the gaps from `defaults` (a request-wide block under a node group's own).
    public func overlaid(on defaults: CNISettingsInput?) -> CNISettingsInput {
        guard let defaults else { return self }
        return CNISettingsInput(
            version: version ?? defaults.version, prefixDelegation: prefixDelegation ?? defaults.prefixDelegation,
            customNetworking: customNetworking ?? defaults.customNetworking, maxEni: maxEni ?? defaults.maxEni,
            securityGroupsForPods: securityGroupsForPods ?? defaults.securityGroupsForPods,
            warmEniTarget: warmEniTarget ?? defaults.warmEniTarget, warmIpTarget: warmIpTarget ?? defaults.warmIpTarget,
            minimumIpTarget: minimumIpTarget ?? defaults.minimumIpTarget,
            warmPrefixTarget: warmPrefixTarget ?? defaults.warmPrefixTarget,
            ipCooldownPeriod: ipCooldownPeriod ?? defaults.ipCooldownPeriod,
            enableSubnetDiscovery: enableSubnetDiscovery ?? defaults.enableSubnetDiscovery)
    }

    /// Bounds on the knobs: large enough for any real node, small enough that no arithmetic overflows.
    public static let targetRange = 0...10_000
    public static let maxEniRange = 1...1_000
    public static let cooldownRange = 0...3_600

    /// Checks every value and builds the settings; issues point under `pointer`.
    public func resolve(at pointer: JSONPointer, into issues: inout IssueCollector) -> CNISettings {
        var settings = CNISettings()
        if let version {
            do {
                settings.version = try CNIVersion(parsing: version)
            } catch {
                issues.add(pointer / "version", error.description)
            }
        }
        var pool = WarmPoolSettings()
        pool.prefixDelegation = prefixDelegation ?? false
        pool.customNetworking = customNetworking?.enabled ?? false
        pool.securityGroupsForPods = securityGroupsForPods ?? false
        if let maxEni, issues.check(maxEni, in: Self.maxEniRange, at: pointer / "maxEni", "maxEni") {
            pool.maxEni = maxEni
        }
        if let warmEniTarget,
            issues.check(warmEniTarget, in: Self.targetRange, at: pointer / "warmEniTarget", "warmEniTarget")
        {
            pool.warmEniTarget = warmEniTarget
        }
        if let warmIpTarget,
            issues.check(warmIpTarget, in: Self.targetRange, at: pointer / "warmIpTarget", "warmIpTarget")
        {
            pool.warmIpTarget = warmIpTarget
        }
        if let minimumIpTarget,
            issues.check(minimumIpTarget, in: Self.targetRange, at: pointer / "minimumIpTarget", "minimumIpTarget")
        {
            pool.minimumIpTarget = minimumIpTarget
        }
        if let warmPrefixTarget,
            issues.check(warmPrefixTarget, in: Self.targetRange, at: pointer / "warmPrefixTarget", "warmPrefixTarget")
        {
            pool.warmPrefixTarget = warmPrefixTarget
        }
        if let ipCooldownPeriod,
            issues.check(ipCooldownPeriod, in: Self.cooldownRange, at: pointer / "ipCooldownPeriod", "ipCooldownPeriod")
        {
            pool.ipCooldownPeriod = ipCooldownPeriod
        }
        settings.warmPool = pool
        settings.subnetDiscoveryEnabled = enableSubnetDiscovery ?? true
        return settings
    }
}
