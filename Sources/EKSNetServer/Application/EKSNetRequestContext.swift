import Hummingbird

/// The request context every route sees: Hummingbird's own storage, and the caller that `/v1` authentication
/// established (anonymous when authentication is off).
public struct EKSNetRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Whose jobs this request may create, see and delete.
    public var caller: Caller = .anonymous {
        didSet { callerForLog.name = caller.name }
    }
    /// The caller's name as the access log reads it once the response is made: the log middleware sits outside
    /// the /v1 group, and a context is a value, so the name travels back through this shared slot.
    let callerForLog = CallerForLog()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Written once by authentication, read once by the access log, on the same request's task.
final class CallerForLog: @unchecked Sendable {
    var name: String?
}
