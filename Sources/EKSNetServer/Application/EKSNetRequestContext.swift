import Hummingbird

/// The request context every route sees: Hummingbird's own storage, and the caller that `/v1` authentication
/// established (anonymous when authentication is off).
public struct EKSNetRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Whose jobs this request may create, see and delete.
    public var caller: Caller = .anonymous

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
