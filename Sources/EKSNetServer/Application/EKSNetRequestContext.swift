import EKSNetCore
import Hummingbird
import NIOCore

/// The request context every route sees: Hummingbird's own storage, the caller that `/v1` authentication
/// established (anonymous when authentication is off), and the JSON decoder and encoder of every route.
public struct EKSNetRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Whose jobs this request may create, see and delete.
    public var caller: Caller = .anonymous {
        didSet { callerForLog.name = caller.name }
    }
    /// The caller's name as the access log reads it once the response is made: the log middleware sits outside
    /// the /v1 group, and a context is a value, so the name travels back through this shared slot.
    let callerForLog = CallerForLog()
    /// What the decoder learned of the body for the middleware and the handler (same task, one request).
    let bodyNotes = BodyNotes()
    /// The largest body the decoder reads (`--max-body-size`, set by `RequestBodyMiddleware`).
    public var maxUploadSize = ServerSettings.maxBodySize.default.bytes
    /// What all bodies being read may hold together (`--max-buffered-body-bytes`, set by `RequestBodyMiddleware`).
    var bodyBudget: RequestBodyBudget?
    /// Bodies are read strictly and decoded generically; returned values are written as JSON.
    public var requestDecoder: JSONRequestDecoder { JSONRequestDecoder() }
    public var responseEncoder: JSONResponseEncoder { JSONResponseEncoder() }

    /// The event loop of the request's connection.
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        eventLoop = source.channel.eventLoop
    }
}

/// Written by the request decoder, read by the handler and `RequestBodyMiddleware`, on the same request's task.
final class BodyNotes: @unchecked Sendable {
    var unknownFields: [UnknownField] = []
}

/// Written once by authentication, read once by the access log, on the same request's task.
final class CallerForLog: @unchecked Sendable {
    var name: String?
}
