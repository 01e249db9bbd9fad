import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

/// `ETag` and `Cache-Control` on answers that change only with the build or the instance-types file (the
/// instance-type routes, `/v1/rules`, `/openapi.yaml`), and `304 Not Modified` when `If-None-Match` names the
/// current tag. The tag is the SHA-256 of the bytes sent, so it is exact whatever changed (a gzip-compressed body
/// has its own tag, as RFC 9110 §8.8.3 asks of a strong validator).
struct CacheValidationMiddleware<Context: RequestContext>: RouterMiddleware {
    /// `private` for `/v1` (its answers may need a token), `public` for the OpenAPI document.
    let cacheControl: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        var response = try await next(request, context)
        guard response.status == .ok else { return response }
        let collected = CollectedBody()
        try await response.body.write(CollectingWriter(collected: collected))
        let tag = "\"" + SHA256.hash(data: collected.buffer.readableBytesView).hex.prefix(32) + "\""
        response.headers[.eTag] = tag
        response.headers[.cacheControl] = cacheControl
        let asked = request.headers[values: .ifNoneMatch]
        if !asked.isEmpty, Self.matches(asked.joined(separator: ","), tag) {
            // RFC 9110 §15.4.5: the validators and caching fields of the 200, not the body's description.
            var notModified = Response(status: .notModified, headers: response.headers)
            for name in [HTTPField.Name.contentLength, .contentType, .contentEncoding] { notModified.headers[name] = nil }
            return notModified
        }
        response.body = ResponseBody(byteBuffer: collected.buffer)
        return response
    }

    /// `If-None-Match`: `*`, or a list of tags compared weakly (a `W/` prefix is ignored), RFC 9110 §13.1.2.
    static func matches(_ header: String, _ tag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var value = candidate.trimmingCharacters(in: .whitespaces)
            if value == "*" { return true }
            if value.hasPrefix("W/") { value.removeFirst(2) }
            return value == tag
        }
    }
}

/// The bytes of a response body, written into it by `CollectingWriter` (a writer is consumed by the body).
final class CollectedBody: @unchecked Sendable {
    var buffer = ByteBuffer()
}

struct CollectingWriter: ResponseBodyWriter {
    let collected: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collected.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
