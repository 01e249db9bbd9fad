/// The EC2 instance types eksnet knows, with their network limits, looked up by name in O(1).
public struct InstanceTypeCatalog: Sendable {
    /// Every type, sorted by name.
    public let all: [InstanceType]
    private let byName: [String: Int]
    /// Where the figures come from, for `--version` and the instance-type routes' `EKSNet-Catalog-Version` header:
    /// `moto 5.2.5 (2026-10-27)`, and the file merged over it when there is one.
    public let version: String

    /// Builds a catalog from a list of types (tests build small ones).
    public init(_ types: [InstanceType], version: String = "custom") {
        self.version = version
        all = types.sorted { $0.name < $1.name }
        var index: [String: Int] = [:]
        index.reserveCapacity(all.count)
        for (position, type) in all.enumerated() {
            index[type.name.rawValue] = position
        }
        byName = index
    }

    /// Where the embedded catalog's data comes from: the moto release and its date.
    public static var embeddedSource: String { "\(generatedFrom) (\(generatedFromDate))" }

    /// This catalog with the types of a DescribeInstanceTypes file merged over it: a type the file names takes the
    /// file's figures, except the types whose API figures AWS corrects or supplies by hand (`fixed`, `added`), which
    /// keep the hand-fixed limits the API would undo. `label` names the file in `version` (a digest, say).
    public func merging(_ fileTypes: [InstanceType], label: String) -> (catalog: InstanceTypeCatalog, keptHandFixed: [InstanceTypeName]) {
        var merged = all
        var kept: [InstanceTypeName] = []
        for type in fileTypes {
            if let position = byName[type.name.rawValue] {
                guard merged[position].limitsSource == .api else {
                    kept.append(type.name)
                    continue
                }
                merged[position] = type
            } else {
                merged.append(type)
            }
        }
        return (InstanceTypeCatalog(merged, version: "\(version) + \(label) (\(fileTypes.count) types)"), kept)
    }

    /// The type with this exact name (names are case-sensitive in EC2, but a user's `M5.Large` is meant as `m5.large`).
    public func instanceType(named name: String) -> InstanceType? {
        if let position = byName[name] { return all[position] }
        if let position = byName[name.lowercased()] { return all[position] }
        return nil
    }

    /// Up to `limit` known names closest to a misspelt one, by edit distance (`m5.larg` → `m5.large`).
    public func closestNames(to name: String, limit: Int = 3) -> [InstanceTypeName] {
        let query = Array(name.lowercased().utf8.prefix(64))
        guard !query.isEmpty else { return [] }
        let threshold = max(2, query.count / 3)
        var scored: [(distance: Int, name: InstanceTypeName)] = []
        for type in all {
            let candidate = Array(type.name.rawValue.utf8)
            guard abs(candidate.count - query.count) <= threshold else { continue }
            let distance = Self.editDistance(query, candidate)
            if distance <= threshold { scored.append((distance, type.name)) }
        }
        scored.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return scored.prefix(limit).map(\.name)
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

extension InstanceTypeCatalog {
    /// Parses the generated table's text (one type per line; format in `InstanceTypeTable.swift`).
    init(parsingTable table: String) {
        var types: [InstanceType] = []
        types.reserveCapacity(Self.generatedCount)
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // The table is generated and committed; a malformed row is a build defect, not input.
            precondition(fields.count == 12, "malformed instance-type row: \(line)")
            let architectures: [Substring: Architecture] = [
                "x": .x86_64, "a": .arm64, "i": .i386, "m": .x86_64Mac, "am": .arm64Mac,
            ]
            types.append(
                InstanceType(
                    name: InstanceTypeName(String(fields[0])),
                    vcpus: Int(fields[1]),
                    memoryMiB: Int(fields[2]),
                    hypervisor: fields[3] == "n" ? .nitro : fields[3] == "x" ? .xen : nil,
                    bareMetal: fields[4] == "1",
                    architecture: architectures[fields[5]] ?? .x86_64,
                    defaultNetworkCardIndex: Int(fields[6]) ?? 0,
                    maximumNetworkInterfacesPerCard: fields[7].split(separator: ",").compactMap { Int($0) },
                    ipv4AddressesPerInterface: Int(fields[8]) ?? 0,
                    ipv6AddressesPerInterface: Int(fields[9]) ?? 0,
                    ipv6Supported: fields[10] == "1",
                    limitsSource: InstanceType.LimitsSource(rawValue: String(fields[11])) ?? .api
                )
            )
        }
        self.init(types, version: Self.embeddedSource)
    }
}

extension InstanceTypeCatalog {
    /// "unknown instance type 'm5.larg'; did you mean m5.large?" — without the search when `suggesting` is false
    /// (the input's suggestion budget is spent, `IssueCollector.takeSuggestion()`).
    public func unknownTypeMessage(_ name: String, suggesting: Bool = true) -> String {
        let shown = name.count > 64 ? String(name.prefix(64)) + "…" : name
        let suggestions = suggesting ? closestNames(to: name) : []
        guard !suggestions.isEmpty else { return "unknown instance type '\(shown)'" }
        return "unknown instance type '\(shown)'; did you mean "
            + suggestions.map(\.rawValue).joined(separator: ", ") + "?"
    }
}
