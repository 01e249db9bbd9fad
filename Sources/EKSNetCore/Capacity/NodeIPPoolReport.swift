/// One node's settled address pool for an instance type, VPC CNI settings and a pod count: the answer of
/// `GET /v1/instance-types/{type}/ip-pool` and of `eksnet ip-pool`, which print the same JSON.
public struct NodeIPPoolReport: Encodable, Sendable {
    public var state: NodeSteadyState
    /// The warm-pool settings in force: the shipped defaults where the request left a knob out.
    public var settings: WarmPoolSettings
    public var cniVersion: String

    enum CodingKeys: String, CodingKey { case settings, cniVersion }

    /// The state's fields, then the settings and the version, flat.
    public func encode(to encoder: any Encoder) throws {
        try state.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(settings, forKey: .settings)
        try container.encode(cniVersion, forKey: .cniVersion)
    }

    /// Resolves the settings and settles the pool; every invalid value is an issue at the pointer of its field
    /// (`/warmEniTarget`, `/version`, `/maxPods`, `/customNetworking`).
    public static func compute(
        instanceType: InstanceType, cni input: CNISettingsInput, pods: Int, maxPods: Int?
    ) throws(ValidationFailure) -> NodeIPPoolReport {
        var issues = IssueCollector()
        let cni = input.resolve(at: .root, into: &issues)
        issues.check(pods, in: 0...NodeGroupInput.maxPodsRange.upperBound, at: .root / "pods", "pods")
        if let maxPods { issues.check(maxPods, in: NodeGroupInput.maxPodsRange, at: .root / "maxPods", "maxPods") }
        try issues.throwIfAny()
        let state: NodeSteadyState
        do {
            state = try NodeSteadyState.compute(instanceType: instanceType, cni: cni, pods: pods, maxPodsOverride: maxPods)
        } catch {
            throw ValidationFailure([FieldIssue(pointer: "/customNetworking", message: error.description)])
        }
        var settings = cni.warmPool
        settings.prefixDelegation = state.prefixDelegation
        return NodeIPPoolReport(state: state, settings: settings, cniVersion: cni.version.text)
    }
}
