/// The role a plan intends for a subnet (checked against its routes), or the role a layout gives it.
public enum SubnetRole: String, Hashable, Sendable, CaseIterable {
    case `public`
    case `private`
    /// A subnet for pod addresses only (custom networking or subnet discovery).
    case pods

    /// The words accepted, for messages.
    public static let accepted = "public, private or pods"

    /// Case-insensitive; nil for an unknown word.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }
}

/// Whether a subnet has its own route table or inherits the VPC's main one.
public enum RouteTableAssociation: String, Hashable, Sendable, CaseIterable {
    case explicit
    case main

    /// Case-insensitive; nil for an unknown word.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }
}
