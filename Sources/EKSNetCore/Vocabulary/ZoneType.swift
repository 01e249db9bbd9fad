/// Where a subnet lives: a Region's availability zone, a Local Zone, a Wavelength Zone or an Outpost.
public enum ZoneType: String, Hashable, Sendable, CaseIterable {
    case availabilityZone = "availability-zone"
    case localZone = "local-zone"
    case wavelengthZone = "wavelength-zone"
    case outpost

    /// The words accepted, for messages.
    public static let accepted = "availability-zone, local-zone or wavelength-zone (an Outpost subnet gives outpostArn)"

    /// The plan's `zoneType` (case-insensitive) with its `outpostArn`: an Outpost when the ARN is given and no type
    /// is; an availability zone when neither is. Nil for an unknown word.
    public init?(parsing text: String?, outpostArn: String?) {
        guard let text else {
            self = outpostArn != nil ? .outpost : .availabilityZone
            return
        }
        guard let known = ZoneType(rawValue: text.lowercased()) else { return nil }
        self = known
    }
}
