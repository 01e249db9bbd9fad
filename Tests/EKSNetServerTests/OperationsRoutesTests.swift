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
            // Renamed to the exposition format's conventions (counters _total, durations _seconds).
            #expect(text.contains("eksnet_http_requests_total{"))
            #expect(text.contains("eksnet_http_request_duration_seconds_bucket{"))
            #expect(text.contains("eksnet_jobs{"))
            #expect(text.contains("eksnet_job_store_size"))
            #expect(text.contains("process_resident_memory_bytes"))
        }
    }

    @Test func buildInfoNamesTheReleaseAndTheCatalog() async throws {
        try await TestSupport.withRouter { client in
            let text = String(buffer: try await client.get("/metrics").body)
            #expect(text.contains("# TYPE eksnet_build_info gauge"))
            #expect(text.contains(#"eksnet_build_info{version="0.1.0",catalog="moto 5.2.5 (2026-10-27)"} 1"#), "\(text)")
        }
    }

    @Test func problemResponsesCountAsErrorsByRoutePattern() async throws {
        try await TestSupport.withRouter { client in
            _ = try await client.get("/v1/instance-types/m5.larg")
            _ = try await client.get("/v1/instance-types/m5.large")
            let text = String(buffer: try await client.get("/metrics").body)
            #expect(text.contains(#"eksnet_http_request_errors_total{method="GET",route="/v1/instance-types/{instanceType}",status="404"}"#))
            #expect(text.contains("# HELP eksnet_http_requests_total "))
            #expect(text.contains("# TYPE process_cpu_seconds_total counter"))
            #expect(!text.contains("m5.larg\""), "raw paths never become labels")
        }
    }

    /// `promtool check metrics` (Debian's prometheus package) on a real scrape after traffic of every kind.
    /// scripts/test installs promtool and sets EKSNET_REQUIRE_PROMTOOL, so that CI cannot skip it.
    @Test func promtoolAcceptsTheScrape() async throws {
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let promtool else {
            #expect(ProcessInfo.processInfo.environment["EKSNET_REQUIRE_PROMTOOL"] == nil, "promtool is not installed")
            return
        }
        try await TestSupport.withRouter { client in
            _ = try await client.get("/healthz")
            _ = try await client.post("/v1/capacity", json: CapacityRoutesTests.threeGroups)
            _ = try await client.get("/v1/instance-types/nope")
            _ = try await client.execute(uri: "/v1/plans", method: .post, headers: [HTTPField.Name("Prefer")!: "wait=10", .contentType: "application/json"],
                body: try PlansRoutesTests.example("eksctl-3az.json"))
            let scrape = try await client.get("/metrics")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = ["check", "metrics"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(buffer: scrape.body))
            try input.fileHandleForWriting.close()
            let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(report)")
            #expect(report.isEmpty, "\(report)")
        }
    }

    @Test func traceparentIsContinuedOrStartedAndReturned() async throws {
        try await TestSupport.withRouter { client in
            let given = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let continued = try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("traceparent")!: given])
            let returned = try #require(continued.headers[HTTPField.Name("traceparent")!])
            #expect(returned.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
            #expect(returned.hasSuffix("-01"))
            #expect(returned != given, "this request's own span id")
            for header: HTTPFields in [[:], [HTTPField.Name("traceparent")!: "00-zz-00f067aa0ba902b7-01"]] {
                let started = try await client.execute(uri: "/healthz", method: .get, headers: header)
                let value = try #require(started.headers[HTTPField.Name("traceparent")!])
                #expect(value.count == 55 && value.hasPrefix("00-") && !value.contains("4bf92f35"), "\(value)")
            }
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
            // Metrics name callers: with no probe listener they take the same token as /v1 (issue 28, item 7).
            #expect(try await client.get("/metrics").status == .unauthorized)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer second"])
            #expect(metrics.status == .ok)
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
