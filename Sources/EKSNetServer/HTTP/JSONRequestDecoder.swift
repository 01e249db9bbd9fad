import EKSNetCore
import Hummingbird
import HTTPTypes
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
        let context = context as? EKSNetRequestContext
        let budget = context?.bodyBudget ?? RequestBodyBudget.unbounded
        let (value, unknownFields) = try await budget.withBody(of: request, maximum: limit) { bytes in
            try JSONWire.decode(type, from: bytes)
        }
        if !unknownFields.isEmpty, let context {
            context.bodyNotes.unknownFields += unknownFields
        }
        return value
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

/// Sets the upload limit the decoder reads from the context (the configured `--max-body-size`), and answers
/// members of the body that no field reads with a `Warning: 299` header each, as the Kubernetes API server does.
struct RequestBodyMiddleware: RouterMiddleware {
    let maxBytes: Int
    let budget: RequestBodyBudget
    /// More would only repeat the point; the plan's findings list them all.
    static let maximumWarnings = 20
    static let warning = HTTPField.Name("Warning")!

    func handle(
        _ request: Request, context: EKSNetRequestContext, next: (Request, EKSNetRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBytes
        context.bodyBudget = budget
        var response = try await next(request, context)
        for field in context.bodyNotes.unknownFields.prefix(Self.maximumWarnings) {
            response.headers.append(HTTPField(name: Self.warning, value: Self.warningValue(field)))
        }
        return response
    }

    /// `299 - "unknown field /vpc/enableDnsHostname (did you mean enableDnsHostnames?)"`, quotes and controls out.
    static func warningValue(_ field: UnknownField) -> String {
        let text = field.sentence.prefix(300).unicodeScalars.map { scalar -> String in
            scalar == "\"" || scalar == "\\" || scalar.value < 0x20 || scalar.value > 0x7E ? "?" : String(scalar)
        }.joined()
        return "299 - \"\(text)\""
    }
}
