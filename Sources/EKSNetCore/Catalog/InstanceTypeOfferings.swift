/// Which availability zones (by zone ID) offer each instance type, per region: DescribeInstanceTypeOfferings
/// with `--location-type availability-zone-id`, as moto ships it. Parsed once, into `AWSData.embedded`.
public struct InstanceTypeOfferings: Sendable {
    /// Per region: its zone IDs, and per type the bitmask of zones that offer it.
    private let regions: [String: (zones: [String], masks: [String: UInt64])]
    /// Every type offered somewhere in the data: a type outside it (launched after the data, named only by an
    /// `--instance-types-file`) is unknown here, not "offered nowhere".
    private let knownTypes: Set<String>

    /// Parses the generated table: "@region azId,azId,…" starts a region; each following line is a hex mask of
    /// the region's zones and the types offered in exactly those zones, by family ("7 c5:large,xlarge m5:large").
    /// A malformed line is skipped whole.
    init(parsingTable table: String) {
        var regions: [String: (zones: [String], masks: [String: UInt64])] = [:]
        var current: String?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if line.hasPrefix("@") {
                guard fields.count == 2 else { continue }
                let name = String(fields[0].dropFirst())
                regions[name] = (fields[1].split(separator: ",").map(String.init), [:])
                current = name
            } else if let region = current, fields.count >= 2, let mask = UInt64(fields[0], radix: 16) {
                var names: [String] = []
                for group in fields.dropFirst() {
                    let parts = group.split(separator: ":", omittingEmptySubsequences: false)
                    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { names = []; break }
                    for size in parts[1].split(separator: ",") { names.append("\(parts[0]).\(size)") }
                }
                for name in names { regions[region]?.masks[name] = mask }
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
