import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

@Suite struct SimulationRoutesTests {
    /// The VPC CNI docs' worked examples (docs/sources.md) through the route (first-fit, one pod at a time).
    @Test(arguments: [
        ("t3.small", "pods=0", 1, 3, 3), ("t3.small", "pods=5", 3, 9, 4), ("t3.small", "pods=9", 3, 9, 0),
        ("t3.small", "pods=5&warmIpTarget=1&minimumIpTarget=1", 2, 6, 1),
        ("t3.small", "pods=0&warmIpTarget=2&minimumIpTarget=5", 2, 5, 5),
        ("t3.small", "pods=5&warmIpTarget=2&minimumIpTarget=5", 3, 7, 2),
        ("p3dn.24xlarge", "pods=95", 3, 147, 52), ("p3dn.24xlarge", "pods=45&warmIpTarget=5&minimumIpTarget=10", 2, 50, 5),
        ("t3.small", "pods=58&prefixDelegation=true", 2, 80, 22),
        ("t3.small", "pods=0&prefixDelegation=true&warmIpTarget=7&minimumIpTarget=20", 1, 32, 32),
        ("p3dn.24xlarge", "pods=95&prefixDelegation=true", 1, 112, 17),
        ("p3dn.24xlarge", "pods=45&prefixDelegation=true&warmIpTarget=5&minimumIpTarget=10", 1, 64, 19),
    ])
    func ipPoolMatchesTheWorkedExamples(type: String, query: String, enis: Int, total: Int, unused: Int) async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.get("/v1/instance-types/\(type)/ip-pool?\(query)")
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let body = try TestSupport.object(response)
            #expect(body["enis"] as? Int == enis)
            #expect(body["totalIps"] as? Int == total)
            #expect(body["unusedIps"] as? Int == unused)
            #expect(body["subnetAddresses"] as? Int == enis + total)
            #expect(body["podsWithoutIp"] as? Int == 0)
            #expect(body["addressesPerEni"] is [Int])
        }
    }

    @Test func ipPoolRefusesBadKnobs() async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(
                try await client.get("/v1/instance-types/m5.large/ip-pool?pods=-1&warmEniTarget=x&maxEni=0&cniVersion=v1"),
                .unprocessableContent)
            #expect(Set(issueLocations(problem)) == ["pods", "warmEniTarget", "maxEni", "cniVersion"])
            try expectProblem(try await client.get("/v1/instance-types/m9.huge/ip-pool"), .notFound)
        }
    }

    static var request: [String: Any] {
        [
            "durationSeconds": 900, "seed": 5, "maxPoints": 20,
            "subnets": [["subnetId": "s", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/22"]],
            "nodeGroups": [["name": "ng", "instanceType": "m5.large", "subnetIds": ["s"], "nodes": 4]],
            "workloads": [["name": "web", "nodeGroup": "ng", "pods": 80]],
            "events": [
                ["at": 300, "type": "rollingRestart", "workload": "web"],
                ["at": 600, "type": "scaleNodeGroup", "nodeGroup": "ng", "nodes": 8],
            ],
        ]
    }

    @Test func simulationsAreJobs() async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.execute(
                uri: "/v1/simulations", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=60"],
                body: TestSupport.json(Self.request))
            #expect(response.status == .ok)
            let job = try TestSupport.object(response)
            #expect(job["kind"] as? String == "simulation")
            let result = try #require(job["result"] as? [String: Any])
            let times = try #require(result["times"] as? [Int])
            #expect(times.count <= 20 && times.last == 900)
            let groups = try #require(result["nodeGroups"] as? [[String: Any]])
            #expect((groups[0]["nodes"] as? [Int])?.last == 8)
            #expect(((result["alternatives"] as? [Any])?.count ?? 0) >= 1)
            #expect(((result["advice"] as? [String])?.first ?? "").contains("addresses at peak"))
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/v1/simulations/"))
            #expect(try await client.get(location).status == .ok)
            // A plan id is not a simulation and vice versa.
            try expectProblem(try await client.get(location.replacingOccurrences(of: "simulations", with: "plans")), .notFound)
            let list = try TestSupport.object(try await client.get("/v1/simulations"))
            #expect((list["items"] as? [Any])?.count == 1)
            #expect(try await client.execute(uri: location, method: .delete).status == .noContent)
        }
    }

    @Test func oversizedSimulationsAreRefusedAtOnce() async throws {
        try await TestSupport.withRouter { client in
            var request = Self.request
            request["durationSeconds"] = 86_400
            request["nodeGroups"] = [["name": "ng", "instanceType": "m5.large", "subnetIds": ["s"], "nodes": 5000]]
            let problem = try expectProblem(try await client.post("/v1/simulations", json: request), .unprocessableContent)
            #expect(issueLocations(problem).contains("/durationSeconds"))
        }
    }
}

@Suite struct LayoutRoutesTests {
    @Test func proposesALayoutThatEvaluatesReady() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/workload.json")
        let body = ByteBuffer(data: try Data(contentsOf: url))
        try await TestSupport.withRouter { client in
            let response = try await client.execute(uri: "/v1/layouts", method: .post, headers: TestSupport.jsonHeaders, body: body)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let proposal = try TestSupport.object(response)
            #expect(proposal["errors"] as? Int == 0)
            #expect((proposal["cloudFormation"] as? String)?.hasPrefix("Resources:") == true)
            let plan = try #require(proposal["plan"] as? [String: Any])
            #expect((plan["subnets"] as? [Any])?.count == 9)
            // The plan goes straight back into /v1/plans.
            let evaluated = try await client.execute(
                uri: "/v1/plans", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=60"],
                body: TestSupport.json(plan))
            let result = try #require(try TestSupport.object(evaluated)["result"] as? [String: Any])
            #expect(result["verdict"] as? String == "ready")
            try expectProblem(try await client.post("/v1/layouts", json: ["clusterName": "x", "region": "us-east-1", "nodeGroups": [], "egress": "x"]), .unprocessableContent)
        }
    }
}

@Suite struct AuditRoutesTests {
    static func fixture(_ layout: String, _ file: String) throws -> Any {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/audit/\(layout)/\(file).json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// An audit body over the CloudFormation layout's AWS CLI output, with `extra` members.
    static func cloudFormationAudit(_ extra: [String: Any] = [:]) throws -> ByteBuffer {
        var body: [String: Any] = ["clusterName": "prod"]
        for (member, file) in [
            ("describeVpcs", "describe-vpcs"), ("describeSubnets", "describe-subnets"),
            ("describeRouteTables", "describe-route-tables"), ("describeNatGateways", "describe-nat-gateways"),
            ("dnsHostnames", "dns-hostnames"), ("dnsSupport", "dns-support"),
        ] {
            body[member] = try fixture("cloudformation", file)
        }
        body.merge(extra) { $1 }
        return TestSupport.json(body)
    }

    @Test func auditsAreJobsOverAWSCLIOutput() async throws {
        let body = try Self.cloudFormationAudit()
        try await TestSupport.withRouter { client in
            let response = try await client.execute(
                uri: "/v1/audits", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=60"], body: body)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let job = try TestSupport.object(response)
            #expect(job["kind"] as? String == "audit")
            let result = try #require(job["result"] as? [String: Any])
            let evaluation = try #require(result["evaluation"] as? [String: Any])
            #expect((evaluation["summary"] as? [String: Any])?["errors"] as? Int == 0)
            #expect(((result["plan"] as? [String: Any])?["subnets"] as? [Any])?.count == 4)
            #expect(response.headers[.location]?.hasPrefix("/v1/audits/") == true)
            try expectProblem(
                try await client.post("/v1/audits", json: ["clusterName": "x", "describeVpcs": ["Vpcs": []], "describeSubnets": ["Subnets": []]]),
                .unprocessableContent)
        }
    }
}
