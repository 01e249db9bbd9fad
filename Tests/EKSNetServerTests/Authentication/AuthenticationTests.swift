import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// Authentication is a property of the /v1 route group: no spelling of a path reaches a /v1 handler without a
/// valid token (issue 9, defect 1: `//v1/plans/<id>` deleted a job with no token).
@Suite struct AuthenticationTests {
    static let portal = BearerCredential(name: "portal", token: "portal-token-0123456789")
    static let ci = BearerCredential(name: "ci", token: "ci-token-9876543210")

    func app() -> some ApplicationProtocol {
        var configuration = TestSupport.configuration()
        configuration.bearerCredentials = [Self.portal, Self.ci]
        return buildApplication(configuration, readiness: Readiness(.ready))
    }

    static func bearer(_ credential: BearerCredential) -> HTTPFields {
        [.authorization: "Bearer \(credential.token)", .contentType: "application/json"]
    }

    /// Every spelling an attacker might try for a canonical path: collapsed and doubled slashes, dot segments,
    /// an encoded slash, another case, a trailing slash.
    static func variants(of path: String) -> [String] {
        let rest = String(path.dropFirst("/v1".count))
        return [
            path, "/" + path, "//" + path, "/v1/" + rest, path + "/", "//v1//" + rest.dropFirst(), "/./v1" + rest,
            "/v1/." + rest, "/%2Fv1" + rest, "/%2fv1" + rest, "/V1" + rest, "/v1%2F" + rest.dropFirst(),
            "/x/../v1" + rest, path + "?x=1", "/v1;" + rest,
        ]
    }

    /// Each /v1 route with a body that the handler would accept.
    static func routes(jobIds: [String: String]) throws -> [(method: HTTPRequest.Method, path: String, body: ByteBuffer?)] {
        let plan = try PlansRoutesTests.example("eksctl-3az.json")
        return [
            (.get, "/v1/instance-types", nil),
            (.get, "/v1/instance-types/m5.large", nil),
            (.get, "/v1/instance-types/m5.large/max-pods", nil),
            (.get, "/v1/instance-types/m5.large/ip-pool", nil),
            (.post, "/v1/capacity", TestSupport.json(CapacityRoutesTests.threeGroups)),
            (.post, "/v1/plans", plan),
            (.get, "/v1/plans", nil),
            (.get, "/v1/plans/\(jobIds["plan"]!)", nil),
            (.delete, "/v1/plans/\(jobIds["plan"]!)", nil),
            (.post, "/v1/subnet-tags", TestSupport.json(SubnetTagsRoutesTests.request)),
            (.post, "/v1/layouts", try PlansRoutesTests.example("workload.json")),
            (.get, "/v1/audits", nil),
            (.post, "/v1/simulations", TestSupport.json(SimulationRoutesTests.request)),
            (.get, "/v1/simulations", nil),
            (.get, "/v1/simulations/\(jobIds["simulation"]!)", nil),
            (.delete, "/v1/simulations/\(jobIds["simulation"]!)", nil),
        ]
    }

    @Test func noPathVariantReachesAV1HandlerWithoutAToken() async throws {
        try await app().test(.router) { client in
            let plan = try TestSupport.object(
                try await client.execute(
                    uri: "/v1/plans", method: .post, headers: Self.bearer(Self.portal),
                    body: try PlansRoutesTests.example("eksctl-3az.json")))
            let simulation = try TestSupport.object(
                try await client.execute(
                    uri: "/v1/simulations", method: .post, headers: Self.bearer(Self.portal),
                    body: TestSupport.json(SimulationRoutesTests.request)))
            let ids = ["plan": try #require(plan["id"] as? String), "simulation": try #require(simulation["id"] as? String)]
            var tried = 0
            for route in try Self.routes(jobIds: ids) {
                for variant in Self.variants(of: route.path) {
                    for headers: HTTPFields in [
                        [.contentType: "application/json"],
                        [.contentType: "application/json", .authorization: "Bearer wrong-token"],
                        [.contentType: "application/json", .authorization: "Basic cG9ydGFsOnRva2Vu"],
                        [.contentType: "application/json", .authorization: "Bearer "],
                    ] {
                        let response = try await client.execute(
                            uri: variant, method: route.method, headers: headers, body: route.body)
                        tried += 1
                        #expect(
                            response.status == .unauthorized || response.status == .notFound,
                            "\(route.method) \(variant) without a valid token answered \(response.status)")
                    }
                }
            }
            #expect(tried > 500)
            // Nothing was created or deleted: the portal's two jobs are still there, and only they.
            for (kind, id) in ids {
                let job = try await client.execute(
                    uri: "/v1/\(kind)s/\(id)", method: .get, headers: Self.bearer(Self.portal))
                #expect(job.status == .ok)
                let list = try TestSupport.object(
                    try await client.execute(uri: "/v1/\(kind)s", method: .get, headers: Self.bearer(Self.portal)))
                #expect((list["items"] as? [Any])?.count == 1)
            }
        }
    }

    @Test func pathVariantsThatRouteBehaveAsTheCanonicalPathWithAToken() async throws {
        try await app().test(.router) { client in
            for variant in Self.variants(of: "/v1/instance-types/m5.large") {
                let response = try await client.execute(uri: variant, method: .get, headers: Self.bearer(Self.ci))
                // Either the router takes the spelling as the route (and then it answers for the caller) or not at all.
                #expect(response.status == .ok || response.status == .notFound, "\(variant): \(response.status)")
                let anonymous = try await client.execute(uri: variant, method: .get)
                if response.status == .ok {
                    #expect(anonymous.status == .unauthorized, "\(variant) routed but did not ask for a token")
                }
            }
        }
    }

    @Test func metricsNameTheCallerNeverTheToken() async throws {
        try await app().test(.router) { client in
            _ = try await client.execute(uri: "/v1/instance-types/m5.large", method: .get, headers: Self.bearer(Self.portal))
            _ = try await client.execute(uri: "/v1/instance-types/m5.large", method: .get)
            // Metrics name callers: without a probe listener they are behind the same authentication (issue 28).
            let text = String(
                buffer: try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer(Self.ci)).body)
            #expect(text.contains(#"eksnet_authenticated_requests_total{caller="portal"}"#))
            #expect(text.contains("eksnet_unauthorized_requests_total"))
            #expect(!text.contains(Self.portal.token))
        }
    }

    @Test func probesAndMetricsStayOpenUnderEverySpelling() async throws {
        try await app().test(.router) { client in
            for path in ["/healthz", "//healthz", "/readyz", "/openapi.yaml"] {
                let status = try await client.get(path).status
                #expect(status == .ok, "\(path)")
            }
            // Issue 28: metrics name callers, so on the API port they ask for a token (the probe port serves them
            // to the scraper).
            #expect(try await client.get("/metrics").status == .unauthorized)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer(Self.portal))
            #expect(metrics.status == .ok)
        }
    }
}

/// Jobs belong to the credential that created them (issue 9, defect 3).
@Suite struct CallerSeparationTests {
    @Test func anotherHolderCannotSeeDeleteOrLearnAJob() async throws {
        let portal = AuthenticationTests.bearer(AuthenticationTests.portal)
        let ci = AuthenticationTests.bearer(AuthenticationTests.ci)
        let body = try PlansRoutesTests.example("eksctl-3az.json")
        let other = try PlansRoutesTests.example("cloudformation-2az.json")
        try await AuthenticationTests().app().test(.router) { client in
            var keyed = portal
            keyed[PlansRoutesTests.idempotency] = "shared-key"
            let created = try await client.execute(uri: "/v1/plans", method: .post, headers: keyed, body: body)
            let id = try #require(try TestSupport.object(created)["id"] as? String)

            try expectProblem(try await client.execute(uri: "/v1/plans/\(id)", method: .get, headers: ci), .notFound)
            try expectProblem(try await client.execute(uri: "/v1/plans/\(id)", method: .delete, headers: ci), .notFound)
            let ciList = try TestSupport.object(try await client.execute(uri: "/v1/plans", method: .get, headers: ci))
            #expect((ciList["items"] as? [Any])?.isEmpty == true)

            // The same key under another credential is another caller's key: no conflict, no id, no shared job.
            var ciKeyed = ci
            ciKeyed[PlansRoutesTests.idempotency] = "shared-key"
            let differentBody = try await client.execute(uri: "/v1/plans", method: .post, headers: ciKeyed, body: other)
            #expect(differentBody.status == .accepted || differentBody.status == .ok)
            #expect(!String(buffer: differentBody.body).contains(id))
            let sameBody = try await client.execute(uri: "/v1/plans", method: .post, headers: ciKeyed, body: body)
            #expect(sameBody.status == .conflict, "ci's own key now names ci's own job, with another body")
            #expect(!String(buffer: sameBody.body).contains(id))

            // The owner still has its job, with its input and result.
            let mine = try await client.execute(uri: "/v1/plans/\(id)", method: .get, headers: portal)
            #expect(mine.status == .ok)
            let again = try await client.execute(uri: "/v1/plans", method: .post, headers: keyed, body: body)
            #expect(try TestSupport.object(again)["id"] as? String == id)
            #expect(try await client.execute(uri: "/v1/plans/\(id)", method: .delete, headers: portal).status == .noContent)
        }
    }

    @Test func theStoreKeepsNoTokenOnlyItsHash() {
        let credential = BearerCredential(name: nil, token: "s3cret")
        #expect(credential.owner.hasPrefix("sha256:"))
        #expect(!credential.owner.contains("s3cret"))
        #expect(credential.owner.count == "sha256:".count + 64)
        #expect(credential.name.hasPrefix("token-") && !credential.name.contains("s3cret"))
    }
}

/// Asking for authentication without a usable token refuses to start (issue 9, defect 2).
@Suite struct BearerCredentialSourceTests {
    typealias Source = BearerCredentialSource

    @Test func notAskedMeansOff() throws {
        #expect(try Source.credentials(environment: nil, file: nil) == nil)
    }

    @Test(arguments: ["", " , ", ",,,", "  "])
    func anEnvironmentWithoutATokenIsRefused(_ value: String) {
        #expect(throws: Source.Refusal.self) { try Source.credentials(environment: value, file: nil) }
        do {
            _ = try Source.credentials(environment: value, file: nil)
        } catch {
            #expect(error.description.contains("EKSNET_AUTH_TOKENS"))
        }
    }

    @Test func aFileOfCommentsAndBlankLinesIsRefusedNamingIt() {
        let file = (path: "/etc/eksnet/tokens", text: "# portal tokens\n\n   \n# none yet\n")
        do {
            _ = try Source.credentials(environment: nil, file: file)
            Issue.record("a token file without a token was accepted")
        } catch {
            #expect(error.description.contains("/etc/eksnet/tokens"))
        }
    }

    @Test func namedAndUnnamedTokens() throws {
        let file = (path: "t", text: "portal: abc123\n# comment\nplain-token\r\nci:x:y\n")
        let credentials = try #require(try Source.credentials(environment: "cli:zzz", file: file))
        #expect(credentials.map(\.name).prefix(1) == ["cli"])
        #expect(credentials.map(\.token) == ["zzz", "abc123", "plain-token", "x:y"])
        #expect(credentials[1].name == "portal" && credentials[3].name == "ci")
        #expect(credentials[2].name.hasPrefix("token-"))
    }

    @Test(arguments: [
        "a:tok\nb:tok", "a:one\na:two", "name:", "has space", "tab\there",
    ])
    func ambiguousOrUnusableEntriesAreRefused(_ text: String) {
        #expect(throws: Source.Refusal.self) { try Source.credentials(environment: nil, file: ("t", text)) }
    }
}
