import EKSNetServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HealthRoutesTests {
    @Test func healthzAlwaysAnswers() async throws {
        try await TestSupport.withRouter(readiness: Readiness(.draining)) { client in
            let response = try await client.get("/healthz")
            #expect(response.status == .ok)
            #expect(try TestSupport.object(response)["status"] as? String == "ok")
        }
    }

    @Test func readyzFollowsReadiness() async throws {
        let readiness = Readiness()
        try await TestSupport.withRouter(readiness: readiness) { client in
            try expectProblem(try await client.get("/readyz"), .serviceUnavailable)
            readiness.markReady()
            #expect(try await client.get("/readyz").status == .ok)
            readiness.markDraining()
            let draining = try expectProblem(try await client.get("/readyz"), .serviceUnavailable)
            #expect((draining["detail"] as? String)?.contains("shutting down") == true)
        }
    }

    @Test func servesTheOpenAPIDocumentAsIs() async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.get("/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml")
            let text = String(buffer: response.body)
            #expect(text.hasPrefix("openapi: 3.1"))
            #expect(text.contains("/v1/capacity"))
        }
    }

    @Test func unknownRoutesAndMethodsAreProblems() async throws {
        try await TestSupport.withRouter { client in
            let missing = try expectProblem(try await client.get("/v2/nothing"), .notFound)
            #expect((missing["detail"] as? String)?.contains("/v2/nothing") == true)
            let wrong = try await client.execute(uri: "/v1/capacity", method: .get)
            try expectProblem(wrong, .methodNotAllowed)
            // OPTIONS (and HEAD wherever GET is) are supported on every known path, so Allow lists them too.
            #expect(wrong.headers[.allow] == "POST, OPTIONS")
            let delete = try await client.execute(uri: "/v1/instance-types/m5.large", method: .delete)
            try expectProblem(delete, .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, HEAD, OPTIONS")
        }
    }

    @Test func requestIDIsTakenOrGeneratedAndEchoed() async throws {
        try await TestSupport.withRouter { client in
            let given = try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: "abc-123"])
            #expect(given.headers[.init("X-Request-Id")!] == "abc-123")
            let generated = try await client.get("/healthz")
            #expect((generated.headers[.init("X-Request-Id")!]?.count ?? 0) > 8)
            let hostile = try await client.execute(
                uri: "/nothing", method: .get, headers: [.init("X-Request-Id")!: String(repeating: "x", count: 500)])
            let echoed = hostile.headers[.init("X-Request-Id")!] ?? ""
            #expect(echoed.count < 200)
            let problem = try expectProblem(hostile, .notFound)
            #expect(problem["requestId"] as? String == echoed)
        }
    }
}
