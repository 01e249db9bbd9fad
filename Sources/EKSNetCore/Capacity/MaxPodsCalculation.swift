/// The result of max-pods-calculator.sh for one type and set of flags, with the arithmetic spelled out.
public struct MaxPodsCalculation: Hashable, Codable, Sendable {
    public var instanceType: InstanceTypeName
    /// The value for kubelet `--max-pods`: after the cap unless `showMaxAllowed`.
    public var maxPods: Int
    /// The value before the cap.
    public var uncapped: Int
    /// The cap that lowered the value (110 or 250); nil when no cap applied.
    public var cap: Int?
    /// ENIs that carry pod addresses.
    public var enis: Int
    /// Secondary IPs, or /28 prefixes with prefix delegation, per ENI (IPv4 per ENI − 1).
    public var slotsPerEni: Int
    /// Whether the prefix-delegation formula was applied.
    public var prefixDelegation: Bool
    /// One line of arithmetic: "3 ENIs × 9 secondary IPs + 2 host-network pods = 29".
    public var explanation: String
    /// Flags that were asked for but did not apply, and why.
    public var notes: [String]
}
