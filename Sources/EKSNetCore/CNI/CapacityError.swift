/// CNI settings that the ENI and max-pods arithmetic would turn into nonsense, with the reason a person can act on.
/// Below Capacity because a CNI version or MAX_ENI is refused before any capacity is computed.
public enum CapacityError: Error, Equatable, Sendable {
    /// Not MAJOR.MINOR[.anything].
    case invalidCNIVersion(String)
    /// `maxEni` below 1.
    case maxENIOutOfRange(Int)
    /// Custom networking, MAX_ENI or the security-groups trunk leave no ENI that can carry pod addresses.
    case noENIForPods(instanceType: String, reason: String)
}

extension CapacityError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidCNIVersion(let text):
            return "'\(text)' is not a VPC CNI version: write MAJOR.MINOR.PATCH such as 1.19.0 "
                + "(an -eksbuild suffix is fine; no leading 'v')"
        case .maxENIOutOfRange(let value):
            return "maxEni is \(value); it must be at least 1 (it caps the ENIs the VPC CNI attaches)"
        case .noENIForPods(let type, let reason):
            return "no ENI left for pods on \(type): \(reason)"
        }
    }
}
