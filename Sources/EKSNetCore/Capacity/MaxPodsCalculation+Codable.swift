/// `cap` is always present on the wire, null when no cap applied, so clients need not tell "absent" from "none".
extension MaxPodsCalculation {
    enum CodingKeys: String, CodingKey {
        case instanceType, maxPods, uncapped, cap, enis, slotsPerEni, prefixDelegation, explanation, notes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(instanceType, forKey: .instanceType)
        try container.encode(maxPods, forKey: .maxPods)
        try container.encode(uncapped, forKey: .uncapped)
        try container.encode(cap, forKey: .cap)
        try container.encode(enis, forKey: .enis)
        try container.encode(slotsPerEni, forKey: .slotsPerEni)
        try container.encode(prefixDelegation, forKey: .prefixDelegation)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(notes, forKey: .notes)
    }
}
