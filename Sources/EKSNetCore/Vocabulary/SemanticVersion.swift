/// A `MAJOR.MINOR[.PATCH]` version such as the AWS Load Balancer Controller's `2.13.0` (a leading `v` allowed).
public struct SemanticVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(major: Int, minor: Int, patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Each part's leading digits, at most four; a missing patch is 0. Nil unless there are two or three parts.
    public init?(parsing text: String) {
        let trimmed = text.hasPrefix("v") ? text.dropFirst() : Substring(text)
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        let numbers = parts.map { part in Int(part.prefix { $0.isASCII && $0.isNumber }.prefix(4)) }
        guard let major = numbers[0], let minor = numbers[1] else { return nil }
        self.init(major: major, minor: minor, patch: parts.count == 3 ? numbers[2] ?? 0 : 0)
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}

/// A Kubernetes version such as `1.31` or `1.31.2`: what EKS rules read is its minor.
public enum KubernetesVersion {
    /// The minor version of `1.31` (or `1.31.2`); nil unless the major is 1.
    public static func minor(of version: String) -> Int? {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts[0] == "1", (1...3).contains(parts[1].count),
            let minor = Int(parts[1]), parts.dropFirst(2).allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return minor
    }
}
