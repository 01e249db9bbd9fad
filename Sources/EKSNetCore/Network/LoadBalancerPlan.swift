/// Which load balancers a cluster will have, and the AWS Load Balancer Controller that places them.
public struct LoadBalancerPlan: Hashable, Codable, Sendable {
    public var internetFacing: Bool?
    public var `internal`: Bool?
    /// AWS Load Balancer Controller version (tagging rules changed in 2.1.1 and 2.12.1).
    public var controllerVersion: String?
    /// Dual-stack load balancers (need IPv6 on every LB subnet).
    public var dualStack: Bool?
}
