import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// RFC 9110 on every route: HEAD wherever GET is, OPTIONS with Allow, validators and 304 on the answers that change
/// only with the build or the instance-types file, Vary on answers that depend on Prefer.
@Suite struct HTTPSemanticsTests {
    static let cacheable = ["/healthz", "/openapi.yaml", "/v1/rules", "/v1/rules/SUB-001", "/v1/instance-types",
        "/v1/instance-types/m5.large", "/v1/instance-types/m5.large/max-pods?prefixDelegation=true"]

    @Test func headAnswersEveryGetRouteWithItsHeadersAndNoBody() async throws {
        try await TestSupport.withRouter { client in
            for uri in Self.cacheable + ["/readyz", "/metrics", "/v1/plans"] {
                let get = try await client.get(uri)
                let head = try await client.execute(uri: uri, method: .head)
                #expect(head.status == get.status, "\(uri)")
                #expect(head.body.readableBytes == 0, "\(uri)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
                if uri != "/metrics" {
                    #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(uri)")
                }
            }
        }
    }

    @Test func optionsListsTheMethodsOfAKnownPath() async throws {
        try await TestSupport.withRouter { client in
            let plans = try await client.execute(uri: "/v1/plans", method: .options)
            #expect(plans.status == .noContent)
            #expect(plans.headers[.allow] == "GET, POST, HEAD, OPTIONS")
            let job = try await client.execute(uri: "/v1/simulations/abc", method: .options)
            #expect(job.headers[.allow] == "DELETE, GET, HEAD, OPTIONS")
            #expect(try await client.execute(uri: "/v1/nowhere", method: .options).status == .notFound)
            let wrong = try await client.execute(uri: "/healthz", method: .delete)
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "GET, HEAD, OPTIONS")
        }
    }

    @Test func catalogAnswersCarryAValidatorAndAnswer304WhenItMatches() async throws {
        try await TestSupport.withRouter { client in
            for uri in Self.cacheable where uri != "/healthz" {
                let first = try await client.get(uri)
                let tag = try #require(first.headers[.eTag], "\(uri)")
                #expect(first.headers[.cacheControl]?.contains("max-age=3600") == true, "\(uri)")
                #expect(try await client.get(uri).headers[.eTag] == tag, "the same bytes, the same tag: \(uri)")
                let cached = try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: "\"other\", W/\(tag)"])
                #expect(cached.status == .notModified, "\(uri)")
                #expect(cached.body.readableBytes == 0)
                #expect(cached.headers[.eTag] == tag)
                let stale = try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: "\"stale\""])
                #expect(stale.status == .ok, "\(uri)")
            }
            let other = try await client.get("/v1/instance-types/m5.xlarge")
            #expect(other.headers[.eTag] != (try await client.get("/v1/instance-types/m5.large")).headers[.eTag])
            #expect(try await client.get("/v1/instance-types/m5.larg").headers[.eTag] == nil, "no validator on a 404")
        }
    }

    @Test func openAPIIsCompressedWhenAsked() async throws {
        try await TestSupport.withRouter { client in
            let plain = try await client.get("/openapi.yaml")
            let gzip = try await client.execute(uri: "/openapi.yaml", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(gzip.headers[.contentEncoding] == "gzip")
            #expect(gzip.headers[.vary] == "Accept-Encoding")
            #expect(gzip.body.readableBytes * 3 < plain.body.readableBytes)
            #expect(gzip.headers[.eTag] != plain.headers[.eTag], "each representation its own strong validator")
        }
    }

    @Test func jobAnswersVaryOnPrefer() async throws {
        try await TestSupport.withRouter { client in
            let submitted = try await client.execute(
                uri: "/v1/plans", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=10"],
                body: try PlansRoutesTests.example("eksctl-3az.json"))
            // Accept too since job answers may be pictures (issue 14).
            #expect(submitted.headers[.vary] == "Accept, Prefer, Accept-Encoding")
            let location = try #require(submitted.headers[.location])
            #expect(try await client.get(location).headers[.vary] == "Accept, Prefer, Accept-Encoding")
        }
    }
}
