import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// `/v1/remediations`: the advisor as a job, with the job conventions of plans (issue 14 §1).
@Suite struct RemediationsRoutesTests {
    static func example() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/exhausted.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func submitWaitGetListAndDelete() async throws {
        let body = TestSupport.json(try Self.example())
        try await TestSupport.withRouter { client in
            let answer = try await client.execute(
                uri: "/v1/remediations", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=60"], body: body)
            #expect(answer.status == .ok)
            let job = try TestSupport.object(answer)
            let result = try #require(job["result"] as? [String: Any])
            let options = try #require(result["options"] as? [[String: Any]])
            #expect(options.filter { $0["feasible"] as? Bool == true }.count >= 3)
            #expect((result["diagnosis"] as? [String: Any])?["bindingLimit"] as? String == "subnet-addresses")
            // A feasible option's plan, posted to /v1/plans as it is, has no error.
            let plan = try #require(options.first { $0["feasible"] as? Bool == true }?["planAfter"] as? [String: Any])
            let evaluated = try TestSupport.object(try await client.execute(
                uri: "/v1/plans", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=60"], body: TestSupport.json(plan)))
            #expect(((evaluated["result"] as? [String: Any])?["summary"] as? [String: Any])?["errors"] as? Int == 0)
            let id = try #require(job["id"] as? String)
            #expect(try await client.get("/v1/remediations/\(id)").status == .ok)
            let listed = try TestSupport.object(try await client.get("/v1/remediations"))
            #expect((listed["items"] as? [[String: Any]])?.first?["summary"] as? String == job["summary"] as? String)
            #expect(try await client.execute(uri: "/v1/remediations/\(id)", method: .delete).status == .noContent)
            #expect(try await client.get("/v1/remediations/\(id)").status == .notFound)
        }
    }

    @Test func aTargetNamingNoNodeGroupIsA422NamingTheField() async throws {
        var body = try Self.example()
        body["target"] = ["nodeGroups": [["name": "gneral", "maxSize": 30]]]
        let bytes = TestSupport.json(body)
        try await TestSupport.withRouter { client in
            let answer = try await client.execute(
                uri: "/v1/remediations", method: .post, headers: TestSupport.jsonHeaders, body: bytes)
            #expect(answer.status == .unprocessableContent)
            let problem = try TestSupport.object(answer)
            let errors = try #require(problem["errors"] as? [[String: Any]])
            #expect(errors.first?["pointer"] as? String == "/target/nodeGroups/0/name")
        }
    }
}
