/// An EC2 instance type name such as `m5.large`: a family and a size separated by a dot.
public struct InstanceTypeName: Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The name as AWS writes it.
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The part before the first dot (`m5` for `m5.large`, `u-6tb1` for `u-6tb1.metal`).
    public var family: String {
        rawValue.split(separator: ".", maxSplits: 1).first.map(String.init) ?? rawValue
    }

    /// The part after the first dot (`large`).
    public var size: String {
        let parts = rawValue.split(separator: ".", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : ""
    }

    public var description: String { rawValue }

    public static func < (lhs: InstanceTypeName, rhs: InstanceTypeName) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
