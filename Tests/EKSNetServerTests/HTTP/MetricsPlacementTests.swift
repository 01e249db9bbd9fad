import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// Issue 28, item 7: metrics name callers, so they are served where clients do not reach them — on the probe
/// listener when there is one — and never label a token by any part of its digest.
@Suite struct MetricsPlacementTests {
    static let portal = BearerCredential(name: "portal", token: "portal-token-0123456789")

    @Test func withAProbeListenerTheAPIPortServesNoMetrics() async throws {
        var configuration = TestSupport.configuration()
        configuration.probePort = 0
        let app = buildApplication(configuration, readiness: Readiness(.ready))
        try await app.test(.router) { client in
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .notFound)
            #expect(try await client.get("/healthz").status == .ok)
        }
    }

    @Test func withoutOneTheyNeedAToken() async throws {
        var configuration = TestSupport.configuration()
        configuration.bearerCredentials = [Self.portal]
        let app = buildApplication(configuration, readiness: Readiness(.ready))
        try await app.test(.router) { client in
            #expect(try await client.get("/metrics").status == .unauthorized)
            let authorized = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.portal.token)"])
            #expect(authorized.status == .ok)
        }
    }

    @Test func unnamedTokensAreLabelledByPositionNotByDigest() throws {
        let credentials = try #require(
            try BearerCredentialSource.credentials(environment: nil, file: (path: "t", text: "portal:a1\nb2b2\nc3c3\n")))
        #expect(credentials.map(\.name) == ["portal", "token-2", "token-3"])
        let digest = String(credentials[1].owner.dropFirst("sha256:".count).prefix(8))
        #expect(!credentials[1].name.contains(digest))
    }
}
