/// An EKS cluster name: 1–100 letters, digits, `-` or `_`, starting with a letter or digit (CreateCluster's rule).
public struct ClusterName: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    public init?(parsing text: String) {
        guard (1...100).contains(text.count), let first = text.unicodeScalars.first,
            ("0"..."9").contains(first) || ("a"..."z").contains(first) || ("A"..."Z").contains(first),
            text.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            })
        else { return nil }
        name = text
    }

    public var description: String { name }

    /// The tag key `kubernetes.io/cluster/<name>`.
    public var tagKey: String { "kubernetes.io/cluster/\(name)" }

    public static let invalidMessage =
        "is not an EKS cluster name: 1–100 letters, digits, '-' or '_', starting with a letter or digit"
}
