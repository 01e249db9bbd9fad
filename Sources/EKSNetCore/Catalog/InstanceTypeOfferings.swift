/// Which availability zones (by zone ID) offer each instance type, per region: DescribeInstanceTypeOfferings
/// with `--location-type availability-zone-id`, as moto ships it. Parsed once, into `AWSData.embedded`.
public struct InstanceTypeOfferings: Sendable {
    /// Per region: its zone IDs, and per type the bitmask of zones that offer it.
    private let regions: [String: (zones: [String], masks: [String: UInt64])]
    /// Every type offered somewhere in the data: a type outside it (launched after the data, named only by an
    /// `--instance-types-file`) is unknown here, not "offered nowhere".
    private let knownTypes: Set<String>

    init(parsingTable table: String) {
        var regions: [String: (zones: [String], masks: [String: UInt64])] = [:]
        var current: String?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            if line.hasPrefix("@") {
                let name = String(fields[0].dropFirst())
                regions[name] = (fields[1].split(separator: ",").map(String.init), [:])
                current = name
            } else if let region = current, let mask = UInt64(fields[1], radix: 16) {
                regions[region]?.masks[String(fields[0])] = mask
            }
        }
        self.regions = regions
        knownTypes = Set(regions.values.flatMap(\.masks.keys))
    }

    /// Whether the data covers the region.
    public func knows(region: String) -> Bool { regions[region] != nil }

    /// Whether the zone offers the type; nil when the region, the zone or the type is not in the data.
    public func offers(_ type: InstanceTypeName, region: String, zoneId: String) -> Bool? {
        guard knownTypes.contains(type.rawValue), let entry = regions[region], let index = entry.zones.firstIndex(of: zoneId)
        else { return nil }
        return (entry.masks[type.rawValue] ?? 0) & (1 << UInt64(index)) != 0
    }

    /// The region's zone IDs that offer every one of the types the data knows (an unknown type rules out none).
    public func zones(offeringAll types: [InstanceTypeName], region: String) -> [String]? {
        guard let entry = regions[region] else { return nil }
        let known = types.filter { knownTypes.contains($0.rawValue) }
        return entry.zones.enumerated().filter { index, _ in
            known.allSatisfy { (entry.masks[$0.rawValue] ?? 0) & (1 << UInt64(index)) != 0 }
        }.map(\.element)
    }
}
