import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

@Suite struct OperationsRoutesTests {
    @Test func metricsInPrometheusText() async throws {
        try await TestSupport.withRouter { client in
            _ = try await client.get("/healthz")
            _ = try await client.post("/v1/capacity", json: CapacityRoutesTests.threeGroups)
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains("hb_requests"))
            #expect(text.contains("http_server_request_duration"))
            #expect(text.contains("eksnet_jobs{"))
            #expect(text.contains("eksnet_job_store_size"))
            #expect(text.contains("process_resident_memory_bytes"))
        }
    }

    func app(tokens: [String] = [], origins: [String] = []) -> some ApplicationProtocol {
        var configuration = TestSupport.configuration()
        configuration.bearerCredentials = tokens.map { BearerCredential(name: nil, token: $0) }
        configuration.corsOrigins = origins
        return buildApplication(configuration, readiness: Readiness(.ready))
    }

    @Test func bearerTokensGuardV1Only() async throws {
        try await app(tokens: ["s3cret-token", "second"]).test(.router) { client in
            let missing = try await client.get("/v1/instance-types/m5.large")
            try expectProblem(missing, .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer realm=\"eksnet\"")
            let wrong = try await client.execute(
                uri: "/v1/instance-types/m5.large", method: .get, headers: [.authorization: "Bearer s3cret-tokem"])
            try expectProblem(wrong, .unauthorized)
            let right = try await client.execute(
                uri: "/v1/instance-types/m5.large", method: .get, headers: [.authorization: "Bearer second"])
            #expect(right.status == .ok)
            #expect(try await client.get("/healthz").status == .ok)
            #expect(try await client.get("/readyz").status == .ok)
            #expect(try await client.get("/metrics").status == .ok)
        }
    }

    @Test func constantTimeComparison() {
        typealias Auth = BearerAuthMiddleware
        #expect(Auth.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!Auth.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!Auth.constantTimeEquals(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!Auth.constantTimeEquals([], Array("a".utf8)))
    }

    @Test func corsForListedOriginsOnly() async throws {
        try await app(origins: ["https://portal.example.com"]).test(.router) { client in
            let listed = try await client.execute(
                uri: "/v1/instance-types/m5.large", method: .get, headers: [.origin: "https://portal.example.com"])
            #expect(listed.headers[.accessControlAllowOrigin] == "https://portal.example.com")
            let preflight = try await client.execute(
                uri: "/v1/plans", method: .options,
                headers: [.origin: "https://portal.example.com", .accessControlRequestMethod: "POST"])
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let other = try await client.execute(
                uri: "/v1/instance-types/m5.large", method: .get, headers: [.origin: "https://evil.example.com"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
        try await app().test(.router) { client in
            let off = try await client.execute(
                uri: "/v1/instance-types/m5.large", method: .get, headers: [.origin: "https://portal.example.com"])
            #expect(off.headers[.accessControlAllowOrigin] == nil)
        }
    }
}

@Suite struct CompressionTests {
    @Test func largeResponsesAreGzippedOnRequest() async throws {
        try await TestSupport.withRouter { client in
            let plain = try await client.get("/v1/instance-types?limit=50")
            #expect(plain.headers[.contentEncoding] == nil)
            let gzipped = try await client.execute(
                uri: "/v1/instance-types?limit=50", method: .get, headers: [.acceptEncoding: "br, gzip;q=0.8"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(gzipped.headers[.vary] == "Accept-Encoding")
            #expect(gzipped.body.readableBytes < plain.body.readableBytes / 3)
            var compressed = gzipped.body
            let restored = try compressed.decompress(with: .gzip)
            #expect(restored == plain.body)
            let small = try await client.execute(uri: "/healthz", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(small.headers[.contentEncoding] == nil)
            let refused = try await client.execute(
                uri: "/v1/instance-types?limit=50", method: .get, headers: [.acceptEncoding: "gzip;q=0"])
            #expect(refused.headers[.contentEncoding] == nil)
        }
    }
}

import CompressNIO
