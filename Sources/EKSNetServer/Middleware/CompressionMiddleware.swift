import CompressNIO
import Hummingbird

/// Notes, for the duration of a request, whether the client accepts gzip; JSON responses large enough to gain
/// (simulation series, plan evaluations) are then compressed where they are built.
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let accepts = request.headers[values: .acceptEncoding].contains { value in
            value.split(separator: ",").contains { token in
                let parts = token.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                return parts.first == "gzip" && !parts.dropFirst().contains("q=0")
            }
        }
        return try await ResponseCompression.$acceptsGzip.withValue(accepts) {
            try await next(request, context)
        }
    }
}

/// gzip for large bodies when the client asked for it.
enum ResponseCompression {
    @TaskLocal static var acceptsGzip = false

    /// Bodies smaller than this are sent as they are: compression would not pay for itself.
    static let minimumBytes = 1024

    /// The body to send, with `Content-Encoding: gzip` when compressed and `Vary: Accept-Encoding` when the body is
    /// large enough for compression to depend on the request.
    static func body(_ bytes: ByteBuffer, headers: inout HTTPFields) -> ResponseBody {
        let (body, gzip) = encode(bytes)
        if gzip { headers[.contentEncoding] = "gzip" }
        if bytes.readableBytes >= minimumBytes { headers[.vary] = "Accept-Encoding" }
        return ResponseBody(byteBuffer: body)
    }

    /// The body to send and whether it is gzip-compressed.
    static func encode(_ bytes: ByteBuffer) -> (body: ByteBuffer, gzip: Bool) {
        guard acceptsGzip, bytes.readableBytes >= minimumBytes else { return (bytes, false) }
        var input = bytes
        guard let compressed = try? input.compress(with: .gzip) else { return (bytes, false) }
        return (compressed, true)
    }
}
