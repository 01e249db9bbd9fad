import EKSNetCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import EKSNetServer

@Suite struct HostileInputTests {
    /// A live server with a 64 KiB body limit. The idle timeout is short only where a test is about it: a short one
    /// elsewhere would cut off the test's own client whenever the machine is busy.
    func live(
        idleTimeoutSeconds: Int = 30, _ body: @escaping @Sendable (any TestClientProtocol, Int) async throws -> Void
    ) async throws {
        var configuration = TestSupport.configuration(maxBody: 64 * 1024)
        configuration.idleTimeoutSeconds = idleTimeoutSeconds
        let app = buildApplication(configuration, readiness: Readiness(.ready))
        try await app.test(.live) { client in
            try await body(client, try #require(client.port))
        }
    }

    @Test func chunkedBodyWithoutLengthOverTheLimitIs413() async throws {
        try await live { _, port in
            let answer = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send("POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                let chunk = String(repeating: " ", count: 16 * 1024)
                for _ in 0..<8 { connection.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n") }
                connection.send("0\r\n\r\n")
                return connection.readResponse()
            }
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
            #expect(answer.contains("application/problem+json"))
        }
    }

    @Test func aClientThatStopsMidBodyIsCutOffAndOthersAreNot() async throws {
        try await live(idleTimeoutSeconds: 1) { _, port in
            // Each check on a connection of its own: with a 1 s idle timeout, a connection opened earlier may
            // already be closed when a busy machine gets to use it.
            func status(_ uri: String) async throws -> HTTPResponse.Status {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { fresh in
                    try await fresh.execute(.init(uri, method: .get)).status
                }
            }
            let stalled = try await offThePool { try RawConnection(port: port) }
            defer { stalled.close() }
            stalled.send("POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"nodeGroups\": [")
            // Meanwhile another client is served at once.
            #expect(try await status("/healthz") == .ok)
            // The server, not the client's patience, ends the stalled request: it closes the connection.
            let (answer, closedByServer) = try await offThePool { stalled.readUntilClosed() }
            #expect(closedByServer)
            #expect(!answer.hasPrefix("HTTP/1.1 5"))
            #expect(try await status("/readyz") == .ok)
        }
    }

    @Test func garbageAndHugeInputsGet4xxProblems() async throws {
        try await live { client, _ in
            var invalidUTF8 = ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"")
            invalidUTF8.writeBytes([0xC3, 0x28, 0xFF])
            invalidUTF8.writeString("\"}]}")
            let bodies: [ByteBuffer] = [
                ByteBuffer(string: "not json at all"),
                ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"a\", \"instanceTypes\": [\"m5.large\"], \"minSize\": 1, \"maxSize\": 1e309}]}"),
                ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"a\", \"instanceTypes\": [\"m5.large\"], \"minSize\": -9223372036854775808, \"maxSize\": 9223372036854775807}]}"),
                ByteBuffer(string: String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)),
                ByteBuffer(string: "{\"nodeGroups\": [" + Array(repeating: "1", count: 30_000).joined(separator: ",") + "]}"),
                ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"a\", \"instanceTypes\": [\"m5.large\"], \"minSize\": 0, \"maxSize\": 0}]}".replacingOccurrences(of: "\"minSize\": 0", with: "\"minSize\": -5")),
                invalidUTF8,
            ]
            for body in bodies {
                for path in ["/v1/capacity", "/v1/plans", "/v1/simulations", "/v1/subnet-tags"] {
                    let response = try await client.execute(uri: path, method: .post, headers: TestSupport.jsonHeaders, body: body)
                    #expect((400...499).contains(Int(response.status.code)), "\(path): \(response.status) \(String(buffer: response.body).prefix(200))")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            let huge = "{\"subnets\": [" + Array(repeating: "{\"subnetId\": \"s\"}", count: 100_000).joined(separator: ",") + "]}"
            let tooBig = try await client.execute(
                uri: "/v1/plans", method: .post, headers: TestSupport.jsonHeaders, body: ByteBuffer(string: huge))
            try expectProblem(tooBig, .contentTooLarge)
            #expect(try await client.get("/healthz").status == .ok)
        }
    }

    /// "Quickly" as a bound on work, not on time: the subnet list is refused for its length and no element past
    /// the limit is looked at (100,000 copies of one id would otherwise give 99,999 "listed twice" issues).
    @Test func hundredThousandElementArraysWithinTheLimitAreRefusedQuickly() async throws {
        let app = buildApplication(TestSupport.configuration(maxBody: 16 << 20), readiness: Readiness(.ready))
        try await app.test(.router) { client in
            let subnets = Array(repeating: "{\"subnetId\":\"s\",\"availabilityZone\":\"a\",\"cidrBlock\":\"10.0.0.0/24\"}", count: 100_000)
            let body = "{\"clusterName\":\"x\",\"region\":\"us-east-1\",\"vpc\":{\"cidrBlocks\":[\"10.0.0.0/16\"]},\"clusterSubnetIds\":[\"s\"],\"subnets\":[" + subnets.joined(separator: ",") + "]}"
            let problem = try expectProblem(try await client.post("/v1/plans", raw: body), .unprocessableContent)
            let locations = issueLocations(problem)
            #expect(locations.contains("/subnets"))
            let beyondTheLimit = locations.filter { location in
                let parts = location.split(separator: "/")
                return parts.first == "subnets" && parts.count > 1 && (Int(parts[1]) ?? 0) >= PlannedSubnet.countRange.upperBound
            }
            #expect(beyondTheLimit.isEmpty, "\(beyondTheLimit.prefix(3))")
            #expect(locations.count <= PlannedSubnet.countRange.upperBound + 10)
        }
    }
}
