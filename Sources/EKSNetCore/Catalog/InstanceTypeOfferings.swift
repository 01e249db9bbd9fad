/// Which availability zones (by zone ID) offer each instance type, per region: DescribeInstanceTypeOfferings
/// with `--location-type availability-zone-id`, as moto ships it. Parsed once, on first use.
public struct InstanceTypeOfferings: Sendable {
    /// Per region: its zone IDs, and per type the bitmask of zones that offer it.
    private let regions: [String: (zones: [String], masks: [String: UInt64])]

    public static let standard = InstanceTypeOfferings(parsingTable: generatedTable)

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
    }

    /// Whether the data covers the region.
    public func knows(region: String) -> Bool { regions[region] != nil }

    /// Whether the zone offers the type; nil when the region or zone is not in the data.
    public func offers(_ type: InstanceTypeName, region: String, zoneId: String) -> Bool? {
        guard let entry = regions[region], let index = entry.zones.firstIndex(of: zoneId) else { return nil }
        return (entry.masks[type.rawValue] ?? 0) & (1 << UInt64(index)) != 0
    }

    /// The region's zone IDs that offer every one of the types.
    public func zones(offeringAll types: [InstanceTypeName], region: String) -> [String]? {
        guard let entry = regions[region] else { return nil }
        return entry.zones.enumerated().filter { index, _ in
            types.allSatisfy { (entry.masks[$0.rawValue] ?? 0) & (1 << UInt64(index)) != 0 }
        }.map(\.element)
    }
}
