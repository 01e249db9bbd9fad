import EKSNetServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Helpers shared by the route tests: the real router, JSON bodies, decoded responses.
enum TestSupport {
    static func configuration(maxBody: Int = 1 << 20) -> AppConfiguration {
        AppConfiguration(hostname: "127.0.0.1", port: 0, logLevel: .warning, maxRequestBodyBytes: maxBody, drainDelay: .zero)
    }

    /// Runs `body` against the in-process router of a ready server.
    static func withRouter(
        maxBody: Int = 1 << 20, readiness: Readiness = Readiness(.ready),
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = buildApplication(configuration(maxBody: maxBody), readiness: readiness)
        try await app.test(.router, body)
    }

    static func json(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return try #require(value as? [String: Any], "not a JSON object: \(String(buffer: response.body))")
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]
}

extension TestClientProtocol {
    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }

    func post(_ uri: String, json: Any) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: TestSupport.jsonHeaders, body: TestSupport.json(json))
    }

    func post(_ uri: String, raw: String, headers: HTTPFields = TestSupport.jsonHeaders) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: raw))
    }
}

/// Checks that a response is a problem+json with the status, and returns its body.
@discardableResult
func expectProblem(
    _ response: TestResponse, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let body = try TestSupport.object(response)
    #expect(body["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
    #expect(body["title"] is String, sourceLocation: sourceLocation)
    #expect(body["detail"] is String, sourceLocation: sourceLocation)
    #expect(body["type"] is String, sourceLocation: sourceLocation)
    return body
}

/// The `pointer` (or `parameter`) of every issue in a 422.
func issueLocations(_ problem: [String: Any]) -> [String] {
    ((problem["errors"] as? [[String: Any]]) ?? []).compactMap { ($0["pointer"] ?? $0["parameter"]) as? String }
}
