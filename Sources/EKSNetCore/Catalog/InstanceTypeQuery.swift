/// A filter over the catalog, with cursor pagination in name order.
public struct InstanceTypeQuery: Equatable, Sendable {
    /// Only this family (`m5`).
    public var family: String?
    /// Only this hypervisor; `.none` asks for types without one (bare metal).
    public var hypervisor: HypervisorFilter?
    /// Only types with at least this many vCPUs.
    public var minVcpus: Int?
    /// Only types that do (or do not) support prefix delegation.
    public var prefixDelegationSupported: Bool?
    /// At most this many types per page.
    public var limit: Int
    /// Start after this type name (the previous page's `nextCursor`).
    public var cursor: String?

    /// Which hypervisor to keep.
    public enum HypervisorFilter: String, Codable, Sendable, CaseIterable {
        case nitro, xen, none
    }

    /// The largest page a query may ask for.
    public static let maximumLimit = 1000
    /// The page size when none is given.
    public static let defaultLimit = 100

    public init(
        family: String? = nil, hypervisor: HypervisorFilter? = nil, minVcpus: Int? = nil,
        prefixDelegationSupported: Bool? = nil, limit: Int = InstanceTypeQuery.defaultLimit, cursor: String? = nil
    ) {
        self.family = family
        self.hypervisor = hypervisor
        self.minVcpus = minVcpus
        self.prefixDelegationSupported = prefixDelegationSupported
        self.limit = limit
        self.cursor = cursor
    }

    /// Whether a type passes the filters (pagination aside).
    public func matches(_ type: InstanceType) -> Bool {
        if let family, type.family != family.lowercased() { return false }
        if let hypervisor {
            switch hypervisor {
            case .nitro: if type.hypervisor != .nitro { return false }
            case .xen: if type.hypervisor != .xen { return false }
            case .none: if type.hypervisor != nil { return false }
            }
        }
        if let minVcpus, (type.vcpus ?? 0) < minVcpus { return false }
        if let prefixDelegationSupported, type.prefixDelegationSupported != prefixDelegationSupported { return false }
        return true
    }
}

/// One page of instance types.
public struct InstanceTypePage: Equatable, Sendable {
    /// The types on this page, in name order.
    public var items: [InstanceType]
    /// Pass as `cursor` to get the next page; nil on the last page.
    public var nextCursor: String?
    /// How many types match the filters in all.
    public var totalMatching: Int
}

extension InstanceTypeCatalog {
    /// The page of types the query selects.
    public func page(_ query: InstanceTypeQuery) -> InstanceTypePage {
        let limit = min(max(query.limit, 1), InstanceTypeQuery.maximumLimit)
        let matching = all.filter(query.matches)
        let start: Int
        if let cursor = query.cursor {
            start = matching.firstIndex { $0.name.rawValue > cursor } ?? matching.count
        } else {
            start = 0
        }
        let end = min(start + limit, matching.count)
        let items = Array(matching[start..<end])
        let next = end < matching.count ? items.last?.name.rawValue : nil
        return InstanceTypePage(items: items, nextCursor: next, totalMatching: matching.count)
    }
}
