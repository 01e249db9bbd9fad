import Hummingbird
import Logging

/// Takes the caller's `X-Request-Id` (when it is a sane token) or Hummingbird's own, puts it on every log line of
/// the request and echoes it on the response, errors included.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maximumLength: Int { 128 }
    /// The metadata key of the request id on log lines.
    static var logKey: String { "request_id" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let id: String
        if let given = request.headers[.xRequestID], Self.isAcceptable(given) {
            id = given
        } else {
            id = context.id
        }
        // One id field on every line: Hummingbird's own (`hb.request.id`) is replaced by the one the client sees.
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: Self.logKey] = .string(id)
        var response = try await next(request, context)
        response.headers[.xRequestID] = id
        return response
    }

    /// Printable ASCII without spaces or quotes, so the id is safe in logs and headers.
    static func isAcceptable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maximumLength
            && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}
