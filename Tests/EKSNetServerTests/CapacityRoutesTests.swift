import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

@Suite struct CapacityRoutesTests {
    static var threeGroups: [String: Any] {
        [
        "cni": ["version": "1.19.0"],
        "nodeGroups": [
            ["name": "general", "instanceTypes": ["m5.large"], "minSize": 3, "desiredSize": 6, "maxSize": 30],
            [
                "name": "big", "instanceTypes": ["m5.4xlarge", "m5.8xlarge"], "minSize": 0, "maxSize": 10,
                "extraDaemonSetPods": 3,
            ],
            [
                "name": "dense", "instanceTypes": ["m5.xlarge"], "minSize": 1, "maxSize": 5, "maxPods": 110,
                "cni": ["prefixDelegation": true],
            ],
        ],
        ]
    }

    @Test func computesEveryGroup() async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.post("/v1/capacity", json: Self.threeGroups)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let body = try TestSupport.object(response)
            let groups = try #require(body["nodeGroups"] as? [[String: Any]])
            #expect(groups.count == 3)
            #expect(groups[0]["maxPodsPerNode"] as? Int == 29)
            #expect(groups[0]["bindingLimit"] as? String == "enis")
            #expect((groups[0]["max"] as? [String: Any])?["workloadPods"] as? Int == 810)
            #expect(groups[1]["maxPodsPerNode"] as? Int == 110)
            #expect(groups[1]["limitingInstanceType"] as? String == "m5.4xlarge")
            #expect(groups[1]["bindingLimit"] as? String == "kubelet")
            #expect(groups[1]["workloadPodsPerNode"] as? Int == 105)
            #expect(groups[2]["maxPodsPerNode"] as? Int == 110)
            #expect((groups[2]["explanation"] as? String)?.contains("kubelet maxPods 110") == true)
            let totals = try #require(body["totals"] as? [String: Any])
            #expect(totals["maxNodes"] as? Int == 45)
            #expect(totals["workloadPods"] as? Int == 810 + 1050 + 540 - 2)
        }
    }

    @Test func invalidValuesNameEveryField() async throws {
        try await TestSupport.withRouter { client in
            let body: [String: Any] = [
                "nodeGroups": [
                    ["name": "a", "instanceTypes": ["m5.larg"], "minSize": 5, "maxSize": 3],
                    [
                        "name": "b", "instanceTypes": ["m5.large"], "minSize": -1, "maxSize": 100_000,
                        "cni": ["maxEni": 0, "warmIpTarget": -3, "version": "latest"],
                    ],
                    ["name": "c", "instanceTypes": ["hpc6id.32xlarge"], "minSize": 1, "maxSize": 1,
                     "cni": ["customNetworking": ["enabled": true, "eniConfigs": ["us-east-1a": "subnet-1"]]]],
                ]
            ]
            let problem = try expectProblem(try await client.post("/v1/capacity", json: body), .unprocessableContent)
            let pointers = issueLocations(problem)
            #expect(pointers.contains("/nodeGroups/0/instanceTypes/0"))
            #expect(pointers.contains("/nodeGroups/0/minSize"))
            #expect(pointers.contains("/nodeGroups/1/minSize"))
            #expect(pointers.contains("/nodeGroups/1/maxSize"))
            #expect(pointers.contains("/nodeGroups/1/cni/maxEni"))
            #expect(pointers.contains("/nodeGroups/1/cni/warmIpTarget"))
            #expect(pointers.contains("/nodeGroups/1/cni/version"))
            let messages = (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages.contains { $0.contains("did you mean m5.large") })
        }
    }

    @Test func noENILeftIsA422ForTheGroup() async throws {
        try await TestSupport.withRouter { client in
            let body: [String: Any] = [
                "nodeGroups": [
                    ["name": "c", "instanceTypes": ["hpc6id.32xlarge"], "minSize": 1, "maxSize": 1,
                     "cni": ["customNetworking": true]]
                ]
            ]
            let problem = try expectProblem(try await client.post("/v1/capacity", json: body), .unprocessableContent)
            #expect(issueLocations(problem) == ["/nodeGroups/0"])
        }
    }

    @Test(arguments: [
        (#"{"nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"], "minSize": "three", "maxSize": 3}]}"#, "/nodeGroups/0/minSize"),
        (#"{"nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"], "maxSize": 3}]}"#, "/nodeGroups/0/minSize"),
        (#"{"nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 1e309}]}"#, "/nodeGroups/0/maxSize"),
        (#"{"nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 9223372036854775808}]}"#, "/nodeGroups/0/maxSize"),
        (#"{"nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 9223372036854775807}]}"#, "/nodeGroups/0/maxSize"),
        (#"{"nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"], "minSize": 1.5, "maxSize": 2}]}"#, "/nodeGroups/0/minSize"),
        (#"{"nodeGroups": [{"name": "a", "instanceTypes": null, "minSize": 1, "maxSize": 2}]}"#, "/nodeGroups/0/instanceTypes"),
        (#"{"nodeGroups": []}"#, "/nodeGroups"),
        (#"[]"#, ""),
    ])
    func wellFormedButInvalidJSONIs422(body: String, pointer: String) async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(try await client.post("/v1/capacity", raw: body), .unprocessableContent)
            #expect(issueLocations(problem).contains(pointer), "\(problem)")
        }
    }

    @Test(arguments: ["", "{", #"{"nodeGroups": [}"#, "nodeGroups", #"{"a": 1} 2"#, String(repeating: "[", count: 10_000)])
    func malformedJSONIs400SayingWhere(body: String) async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(try await client.post("/v1/capacity", raw: body), .badRequest)
            #expect((problem["detail"] as? String)?.isEmpty == false)
        }
    }

    @Test func invalidUTF8IsRefused() async throws {
        try await TestSupport.withRouter { client in
            var bytes = ByteBuffer(string: #"{"nodeGroups": [{"name": ""#)
            bytes.writeBytes([0xFF, 0xFE])
            bytes.writeString(#"", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 1}]}"#)
            let response = try await client.execute(
                uri: "/v1/capacity", method: .post, headers: TestSupport.jsonHeaders, body: bytes)
            #expect(response.status == .badRequest || response.status == .unprocessableContent)
            try expectProblem(response, response.status)
        }
    }

    @Test func malformedJSONNamesLineAndColumn() async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(
                try await client.post("/v1/capacity", raw: "{\n  \"nodeGroups\": [\n    {\"name\" \"a\"}\n  ]\n}"),
                .badRequest)
            #expect((problem["detail"] as? String)?.contains("line 3, column 13") == true, "\(problem)")
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await TestSupport.withRouter { client in
            try expectProblem(
                try await client.post("/v1/capacity", raw: "a=b", headers: [.contentType: "application/x-www-form-urlencoded"]),
                .unsupportedMediaType)
            let problemJSON = try await client.post(
                "/v1/capacity", raw: "{\"nodeGroups\": []}", headers: [.contentType: "application/merge-patch+json"])
            #expect(problemJSON.status == .unprocessableContent)
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        try await TestSupport.withRouter(maxBody: 1024) { client in
            let big = "{\"nodeGroups\": [" + String(repeating: " ", count: 2048) + "]}"
            try expectProblem(try await client.post("/v1/capacity", raw: big), .contentTooLarge)
        }
    }
}
