/// An AWS Region name such as `us-east-1` or `us-gov-west-1`.
public struct AWSRegion: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    /// Lowercase words joined by hyphens, ending in a number; nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count <= 32, parts.count >= 3, let last = parts.last, !last.isEmpty,
            last.allSatisfy({ $0.isASCII && $0.isNumber }),
            parts.dropLast().allSatisfy({ !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) } })
        else { return nil }
        name = text
    }

    public var description: String { name }

    public static let invalidMessage = "is not an AWS region name such as us-east-1"
}
