import EKSNetCore
import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem detail: every error the service answers with, as `application/problem+json`.
public struct Problem: Error, HTTPResponseError, Sendable {
    /// A URI naming the kind of problem (`about:blank` for plain HTTP statuses).
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String
    /// For invalid input: each field at fault.
    public var errors: [FieldIssue]?
    /// For an unknown instance type: close matches.
    public var suggestions: [String]?
    /// Extra response headers (`Allow`, `Retry-After`).
    public var headers: HTTPFields

    public init(
        type: String = "about:blank", title: String? = nil, status: HTTPResponse.Status, detail: String,
        errors: [FieldIssue]? = nil, suggestions: [String]? = nil, headers: HTTPFields = [:]
    ) {
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.status = status
        self.detail = detail
        self.errors = errors
        self.suggestions = suggestions
        self.headers = headers
    }

    /// 422 for well-formed input with invalid values.
    public static func invalid(_ issues: [FieldIssue], detail: String? = nil) -> Problem {
        Problem(
            type: "urn:eksnet:problem:invalid-request", title: "Invalid request", status: .unprocessableContent,
            detail: detail ?? Self.summary(issues), errors: issues)
    }

    /// 400 for a body that is not JSON at all.
    public static func malformed(_ detail: String) -> Problem {
        Problem(type: "urn:eksnet:problem:malformed-request", title: "Malformed request", status: .badRequest, detail: detail)
    }

    static func summary(_ issues: [FieldIssue]) -> String {
        guard let first = issues.first else { return "The request is not valid." }
        let place = first.pointer.map { $0.isEmpty ? "the body" : $0 } ?? first.parameter.map { "?\($0)" } ?? ""
        let more = issues.count > 1 ? " (and \(issues.count - 1) more issue\(issues.count == 2 ? "" : "s"))" : ""
        return "\(place): \(first.message)\(more)"
    }

    struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var instance: String?
        var requestId: String?
        var errors: [FieldIssue]?
        var suggestions: [String]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: type, title: title, status: status.code, detail: detail, instance: request.uri.path,
            requestId: context.logger[metadataKey: "request_id"].map { "\($0)" }, errors: errors, suggestions: suggestions)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        let data = try JSONWire.encoder.encode(body)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-Id")!
}
