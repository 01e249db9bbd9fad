/// A member of a request that no field of the request type reads: usually a misspelling, whose check is then
/// silently skipped. Reported, never refused (clients may send fields of a newer version).
public struct UnknownField: Hashable, Codable, Sendable {
    /// Where it is (`/vpc/enableDnsHostname`).
    public var pointer: String
    /// The closest field the type does read at that place, when one is close.
    public var suggestion: String?

    public init(pointer: String, suggestion: String?) {
        self.pointer = pointer
        self.suggestion = suggestion
    }

    /// `unknown field /vpc/enableDnsHostname (did you mean enableDnsHostnames?)`
    public var sentence: String {
        "unknown field \(pointer)" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    }
}

/// A request type whose body carries documents it passes through (the AWS CLI's output in an audit): members
/// under these pointers are not its own fields and are not reported as unknown.
public protocol PassesThroughDocuments {
    static var passedThroughPointers: [String] { get }
}
