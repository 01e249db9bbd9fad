import HTTPTypes
import Hummingbird
import W3CTraceContext

/// W3C Trace Context: a valid `traceparent` from the caller is continued — same trace id, a new span id for this
/// request — and an absent or malformed one starts a new trace. The trace and span ids go on every log line of the
/// request (`trace_id`, `span_id`, and `parent_span_id` when continued), and the response carries this request's
/// `traceparent` (and the caller's `tracestate`), so that a portal can find eksnet's log lines for its own trace.
struct TraceContextMiddleware<Context: RequestContext>: RouterMiddleware {
    static var traceparent: HTTPField.Name { HTTPField.Name("traceparent")! }
    static var tracestate: HTTPField.Name { HTTPField.Name("tracestate")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let incoming = request.headers[Self.traceparent].flatMap {
            try? TraceContext(traceParentHeaderValue: $0, traceStateHeaderValue: request.headers[Self.tracestate])
        }
        let trace = TraceContext(
            traceID: incoming?.traceID ?? .random(), spanID: .random(), flags: incoming?.flags ?? [],
            state: incoming?.state ?? TraceState())
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID.description)
        context.logger[metadataKey: "span_id"] = .string(trace.spanID.description)
        if let incoming { context.logger[metadataKey: "parent_span_id"] = .string(incoming.spanID.description) }
        var response = try await next(request, context)
        response.headers[Self.traceparent] = trace.traceParentHeaderValue
        if let state = trace.traceStateHeaderValue, !state.isEmpty { response.headers[Self.tracestate] = state }
        return response
    }
}
