import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// The idempotency fingerprint is a SHA-256 of the request as canonical JSON: the same request written with other
/// spacing or member order is the same request; a different one is a conflict.
@Suite struct IdempotencyFingerprintTests {
    @Test func spacingAndMemberOrderDoNotMatterContentDoes() async throws {
        let original = try JSONSerialization.jsonObject(with: Data(buffer: try PlansRoutesTests.example("eksctl-3az.json")))
        let compact = try JSONSerialization.data(withJSONObject: original, options: [.sortedKeys])
        let pretty = try JSONSerialization.data(withJSONObject: original, options: [.prettyPrinted])
        var changed = try #require(original as? [String: Any])
        changed["clusterName"] = "another-cluster"
        let other = try JSONSerialization.data(withJSONObject: changed)
        try await TestSupport.withRouter { client in
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[PlansRoutesTests.idempotency] = "fingerprint-key"
            let first = try TestSupport.object(
                try await client.execute(uri: "/v1/plans", method: .post, headers: headers, body: ByteBuffer(data: compact)))
            let again = try await client.execute(uri: "/v1/plans", method: .post, headers: headers, body: ByteBuffer(data: pretty))
            #expect(try TestSupport.object(again)["id"] as? String == first["id"] as? String)
            let conflict = try await client.execute(uri: "/v1/plans", method: .post, headers: headers, body: ByteBuffer(data: other))
            try expectProblem(conflict, .conflict)
        }
    }

    @Test func theFingerprintIsStableAcrossProcesses() throws {
        // A fixed input has a fixed digest: nothing per-process (such as Swift's seeded Hasher) goes into it.
        struct Input: Encodable { var b = 2; var a = "x" }
        // sha256 of {"a":"x","b":2}, as `printf '{"a":"x","b":2}' | sha256sum` prints it.
        #expect(try JobRoutes.fingerprint(Input()) == "768ca668c0f84dd39bf269e25c9a3f0af4812e41026b6fead9a2666078ef16f6")
    }
}
