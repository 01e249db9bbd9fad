import Hummingbird
import NIOCore

/// The request context's decoder (`request.decode(as:context:)`): JSON bodies only, within the context's upload
/// limit, read strictly and decoded by the one generic decoder, every failure a problem that names the field.
public struct JSONRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw Problem(
                status: .unsupportedMediaType,
                detail: "Content-Type '\(contentType.prefix(100))' is not supported; send application/json.")
        }
        let limit = context.maxUploadSize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit)
        }
        return try JSONWire.decode(type, from: bytes)
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(
            status: .contentTooLarge,
            detail: "The request body is larger than the limit of \(limit) bytes (set with --max-body-size).")
    }

    static func isJSON(_ contentType: String) -> Bool {
        // What nearly every client sends; the general parse below cost more than decoding a small body.
        if contentType == "application/json" { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}

/// The request context's encoder: what a handler returns is written as JSON (`JSONWire.response`), gzip-compressed
/// when the client accepts it and the body is large enough.
public struct JSONResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try JSONWire.response(value)
    }
}

/// Sets the upload limit the decoder reads from the context: the configured `--max-body-size`.
struct UploadLimitMiddleware: RouterMiddleware {
    let maxBytes: Int

    func handle(
        _ request: Request, context: EKSNetRequestContext, next: (Request, EKSNetRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBytes
        return try await next(request, context)
    }
}
