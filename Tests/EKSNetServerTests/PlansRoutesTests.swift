import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

@Suite struct PlansRoutesTests {
    static func example(_ name: String) throws -> ByteBuffer {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/\(name)")
        return ByteBuffer(data: try Data(contentsOf: url))
    }

    static let prefer = HTTPField.Name("Prefer")!
    static let applied = HTTPField.Name("Preference-Applied")!
    static let idempotency = HTTPField.Name("Idempotency-Key")!

    func submit(
        _ client: some TestClientProtocol, _ body: ByteBuffer, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await client.execute(uri: "/v1/plans", method: .post, headers: fields, body: body)
    }

    @Test func submitThenPollThenDelete() async throws {
        let body = try Self.example("cloudformation-2az.json")
        try await TestSupport.withRouter { client in
            let accepted = try await submit(client, body)
            #expect(accepted.status == .accepted || accepted.status == .ok)
            let location = try #require(accepted.headers[.location])
            #expect(location.hasPrefix("/v1/plans/"))
            var job: [String: Any] = [:]
            for _ in 0..<200 {
                job = try TestSupport.object(try await client.get(location))
                if job["status"] as? String == "succeeded" { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(job["status"] as? String == "succeeded")
            #expect(job["kind"] as? String == "plan")
            #expect((job["input"] as? [String: Any])?["clusterName"] as? String == "cfn-private-subnets")
            let result = try #require(job["result"] as? [String: Any])
            #expect(result["verdict"] as? String == "ready-with-warnings")
            #expect((result["subnets"] as? [Any])?.count == 4)
            #expect((result["capacity"] as? [Any])?.count == 1)
            #expect(job["finishedAt"] is String && job["expiresAt"] is String)

            #expect(try await client.execute(uri: location, method: .delete).status == .noContent)
            try expectProblem(try await client.get(location), .notFound)
            try expectProblem(try await client.execute(uri: location, method: .delete), .notFound)
        }
    }

    @Test func preferWaitAnswersWithTheResult() async throws {
        let body = try Self.example("broken.json")
        try await TestSupport.withRouter { client in
            let response = try await submit(client, body, headers: [Self.prefer: "respond-async, wait=60"])
            #expect(response.status == .ok)
            #expect(response.headers[Self.applied] == "wait=60")
            #expect(response.headers[.location] != nil)
            let job = try TestSupport.object(response)
            let result = try #require(job["result"] as? [String: Any])
            #expect(result["verdict"] as? String == "blocked")
            let findings = try #require(result["findings"] as? [[String: Any]])
            let ids = Set(findings.filter { $0["severity"] as? String != "info" }.compactMap { $0["ruleId"] as? String })
            #expect(ids.count >= 10)
            for finding in findings {
                #expect(finding["pointer"] is String && finding["message"] is String && finding["fix"] is String)
            }
            let tags = try #require(result["tags"] as? [String: Any])
            #expect((tags["commands"] as? [String])?.first?.hasPrefix("aws ec2 create-tags") == true)
        }
    }

    @Test func invalidPlansAreRefusedAtOnce() async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(
                try await client.post(
                    "/v1/plans",
                    json: [
                        "clusterName": "bad name!", "region": "moon-1",
                        "vpc": ["cidrBlocks": ["10.0.0.0/16"]],
                        "subnets": [["subnetId": "subnet-1", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/33"]],
                        "clusterSubnetIds": ["subnet-9"],
                        "nodeGroups": [["name": "ng", "instanceTypes": ["m5.larg"], "minSize": 1, "maxSize": 2]],
                    ]), .unprocessableContent)
            let pointers = Set(issueLocations(problem))
            #expect(pointers.isSuperset(of: [
                "/clusterName", "/region", "/subnets/0/cidrBlock", "/clusterSubnetIds/0", "/nodeGroups/0/subnetIds",
            ]))
            try expectProblem(try await client.post("/v1/plans", raw: "{\"clusterName\": "), .badRequest)
            let missing = try expectProblem(try await client.post("/v1/plans", json: ["clusterName": "a"]), .unprocessableContent)
            #expect(issueLocations(missing).first == "/region")
        }
    }

    @Test func idempotencyKeysReturnTheSameJobOrConflict() async throws {
        let body = try Self.example("eksctl-3az.json")
        let other = try Self.example("cloudformation-2az.json")
        try await TestSupport.withRouter { client in
            let first = try await submit(client, body, headers: [Self.idempotency: "abc-1"])
            let again = try await submit(client, body, headers: [Self.idempotency: "abc-1"])
            #expect(first.headers[.location] == again.headers[.location])
            try expectProblem(try await submit(client, other, headers: [Self.idempotency: "abc-1"]), .conflict)
            let fresh = try await submit(client, other, headers: [Self.idempotency: "abc-2"])
            #expect(fresh.headers[.location] != first.headers[.location])
            try expectProblem(try await submit(client, body, headers: [Self.idempotency: ""]), .unprocessableContent)
            try expectProblem(try await submit(client, body, headers: [Self.prefer: "wait=soon"]), .unprocessableContent)
        }
    }

    @Test func listsNewestFirstWithFiltersAndCursors() async throws {
        let body = try Self.example("eksctl-3az.json")
        try await TestSupport.withRouter { client in
            var locations: [String] = []
            for _ in 0..<5 {
                let response = try await submit(client, body, headers: [Self.prefer: "wait=60"])
                locations.append(try #require(response.headers[.location]))
            }
            let first = try TestSupport.object(try await client.get("/v1/plans?limit=2"))
            let items = try #require(first["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.map { ($0["links"] as? [String: String])?["self"] } == [locations[4], locations[3]])
            #expect(items.first?["input"] == nil)
            let cursor = try #require(first["nextCursor"] as? String)
            let second = try TestSupport.object(try await client.get("/v1/plans?limit=10&cursor=\(cursor)"))
            #expect((second["items"] as? [Any])?.count == 3)
            #expect(second["nextCursor"] is NSNull || second["nextCursor"] == nil)
            let succeeded = try TestSupport.object(try await client.get("/v1/plans?status=succeeded&limit=100"))
            #expect((succeeded["items"] as? [Any])?.count == 5)
            let failed = try TestSupport.object(try await client.get("/v1/plans?status=failed"))
            #expect((failed["items"] as? [Any])?.isEmpty == true)
            try expectProblem(try await client.get("/v1/plans?status=done"), .unprocessableContent)
            try expectProblem(try await client.get("/v1/plans/not-a-job"), .notFound)
        }
    }

    @Test func fullStoreShedsLoadWithRetryAfter() async throws {
        let body = try Self.example("eksctl-3az.json")
        let app = buildApplication(
            TestSupport.configuration(), readiness: Readiness(.ready),
            jobStore: MemoryJobStore(capacity: 2, retention: .seconds(120)))
        try await app.test(.router) { client in
            for _ in 0..<2 {
                #expect(try await submit(client, body, headers: [Self.prefer: "wait=60"]).status == .ok)
            }
            let refused = try await submit(client, body)
            try expectProblem(refused, .serviceUnavailable)
            let retry = Int(refused.headers[.init("Retry-After")!] ?? "") ?? 0
            #expect((1...120).contains(retry))
        }
    }

    /// One credential cannot fill the store for everyone (issue 12: one client with 8 connections filled 10,000 slots
    /// and locked every caller out for an hour): past its share it gets 429, others still get in.
    @Test func oneCallerCannotTakeTheWholeStore() async throws {
        let body = try Self.example("eksctl-3az.json")
        var configuration = TestSupport.configuration()
        configuration.maxJobs = 4
        configuration.jobCallerShare = 0.5
        configuration.bearerCredentials = [
            BearerCredential(name: "portal", token: "portal-token-0123456789"),
            BearerCredential(name: "ci", token: "ci-token-9876543210"),
        ]
        let app = buildApplication(configuration, readiness: Readiness(.ready))
        try await app.test(.router) { client in
            let portal: HTTPFields = [.authorization: "Bearer portal-token-0123456789"]
            for _ in 0..<2 { #expect(try await submit(client, body, headers: portal).status.code < 300) }
            let refused = try await submit(client, body, headers: portal)
            try expectProblem(refused, .tooManyRequests)
            #expect(refused.headers[.init("Retry-After")!] != nil)
            #expect(try TestSupport.object(refused)["type"] as? String == "urn:eksnet:problem:caller-share-exceeded")
            #expect(try await submit(client, body, headers: [.authorization: "Bearer ci-token-9876543210"]).status.code < 300)
        }
    }

    /// A result handed over by `Prefer: wait` is kept for the shorter delivered retention (the API says so).
    @Test func aResultDeliveredByWaitExpiresSooner() async throws {
        let body = try Self.example("eksctl-3az.json")
        var configuration = TestSupport.configuration()
        configuration.jobRetention = .seconds(3600)
        configuration.deliveredJobRetention = .seconds(300)
        let app = buildApplication(configuration, readiness: Readiness(.ready))
        try await app.test(.router) { client in
            let waited = try TestSupport.object(try await submit(client, body, headers: [Self.prefer: "wait=60"]))
            let polled = try await submit(client, body)
            let formatter = ISO8601DateFormatter()
            let finished = try #require((waited["finishedAt"] as? String).flatMap(formatter.date(from:)))
            let expires = try #require((waited["expiresAt"] as? String).flatMap(formatter.date(from:)))
            #expect((299...301).contains(expires.timeIntervalSince(finished)))
            let location = try #require(polled.headers[.location])
            var job = try TestSupport.object(try await client.execute(uri: location, method: .get, headers: [Self.prefer: "wait=60"]))
            // Delivered by the wait on GET as well; a plain GET afterwards sees the same expiry.
            let again = try TestSupport.object(try await client.get(location))
            #expect(job["expiresAt"] as? String == again["expiresAt"] as? String)
            job = again
            let polledFinished = try #require((job["finishedAt"] as? String).flatMap(formatter.date(from:)))
            let polledExpires = try #require((job["expiresAt"] as? String).flatMap(formatter.date(from:)))
            #expect(polledExpires.timeIntervalSince(polledFinished) <= 301)
        }
    }
}

@Suite struct SubnetTagsRoutesTests {
    static var request: [String: Any] {
        [
            "clusterName": "prod-a", "region": "us-east-1",
            "subnets": [
                ["subnetId": "subnet-1", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/24", "defaultRoute": "igw"],
                [
                    "subnetId": "subnet-2", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.32.0/19", "defaultRoute": "nat",
                    "tags": ["kubernetes.io/cluster/old": "shared", "kubernetes.io/role/elb": "1"],
                ],
            ],
            "karpenter": true,
        ]
    }

    @Test func jsonSuggestions() async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.post("/v1/subnet-tags", json: Self.request)
            #expect(response.status == .ok)
            let body = try TestSupport.object(response)
            let subnets = try #require(body["subnets"] as? [[String: Any]])
            let privateAdds = (subnets[1]["add"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
            #expect(Set(privateAdds) == [
                "kubernetes.io/role/internal-elb", "kubernetes.io/cluster/prod-a", "karpenter.sh/discovery",
            ])
            #expect((subnets[1]["remove"] as? [[String: Any]])?.first?["ruleId"] as? String == "TAG-003")
            #expect((body["commands"] as? [String])?.count == 3)
        }
    }

    @Test func shellScriptOnRequest() async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.execute(
                uri: "/v1/subnet-tags", method: .post,
                headers: [.contentType: "application/json", .accept: "text/x-shellscript"],
                body: TestSupport.json(Self.request))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/x-shellscript") == true)
            let script = String(buffer: response.body)
            #expect(script.hasPrefix("#!/bin/sh\n"))
            #expect(script.contains("aws ec2 delete-tags --region us-east-1 --resources subnet-2 --tags Key=kubernetes.io/role/elb\n"))
        }
    }

    @Test func invalidRequestsNameFields() async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(
                try await client.post(
                    "/v1/subnet-tags",
                    json: ["clusterName": "", "subnets": [["subnetId": "s", "availabilityZone": "a", "cidrBlock": "x"]]]),
                .unprocessableContent)
            #expect(Set(issueLocations(problem)) == ["/clusterName", "/subnets/0/cidrBlock"])
        }
    }
}
