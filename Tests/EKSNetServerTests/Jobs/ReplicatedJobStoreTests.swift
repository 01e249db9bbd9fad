import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import EKSNetServer

/// Two real `eksnet-server` processes on one PostgreSQL database, as two replicas of the deployment run (issue 12).
@Suite(.serialized, .enabled(if: TestDatabase.available)) struct ReplicatedJobStoreTests {
    typealias Server = GracefulShutdownTests.ServerProcess

    /// The database URL in a file, as a mounted Secret gives it.
    static func urlFile(_ url: DatabaseURL) throws -> String {
        let path = NSTemporaryDirectory() + "eksnet-db-\(UUID().uuidString).url"
        let text = "postgres://\(url.username):\(url.password ?? "")@\(url.host):\(url.port)/\(url.database)?sslmode=disable\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func replicas(_ url: DatabaseURL, count: Int = 2, extra: [String] = []) async throws -> [Server] {
        let file = try urlFile(url)
        return try await withThrowingTaskGroup(of: Server.self) { group in
            // Started together: both apply the migrations at once, and the advisory lock makes one wait.
            for _ in 0..<count {
                group.addTask {
                    try await Server(arguments: ["--job-store", "postgres", "--database-url-file", file, "--log-level", "info"] + extra)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    static func request(
        _ server: Server, _ method: HTTPRequest.Method, _ uri: String, body: [String: Any]? = nil, headers: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, object: [String: Any]) {
        let bytes = body.map(TestSupport.json)
        var fields = headers
        if body != nil { fields[.contentType] = "application/json" }
        let (status, answer) = try await TestClient.withClient(
            host: "127.0.0.1", port: server.port, configuration: .init(timeout: .seconds(180))
        ) { [fields] client in
            let response = try await client.execute(.init(uri, method: method, headers: fields, body: bytes))
            return (response.status, response.body)
        }
        let object = answer.flatMap { try? JSONSerialization.jsonObject(with: Data(buffer: $0)) as? [String: Any] } ?? [:]
        return (status, object)
    }

    static func waitUntilReady(_ servers: [Server]) async throws {
        for server in servers {
            for _ in 0..<400 where try await server.status("/readyz") != .ok { try await Task.sleep(for: .milliseconds(50)) }
            #expect(try await server.status("/readyz") == .ok, "\(server.output.text)")
        }
    }

    static func stop(_ servers: [Server]) async {
        for server in servers where server.process.isRunning {
            kill(server.process.processIdentifier, SIGTERM)
            _ = try? await server.waitForExit(seconds: 20)
        }
    }

    static var plan: [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/eksctl-3az.json")
        return (try? JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]) ?? [:]
    }

    static let prefer = HTTPField.Name("Prefer")!

    @Test func anyReplicaAnswersAnyJobAndMigrationsRunOnce() async throws {
        try await TestDatabase.withDatabase { url in
            let servers = try await Self.replicas(url)
            defer { Task { await Self.stop(servers) } }
            try await Self.waitUntilReady(servers)
            let (a, b) = (servers[0], servers[1])
            #expect(try await TestDatabase.count(url, "SELECT count(*) FROM eksnet_schema_migrations") == JobStoreMigration.all.count)
            // The password is in the file, never in the log.
            for server in servers { #expect(!server.output.text.contains(url.password ?? "\u{0}"), "\(server.output.text)") }
            #expect(a.output.text.contains("postgres://\(url.username):***@"))

            let submitted = try await Self.request(a, .post, "/v1/plans", body: Self.plan)
            #expect(submitted.status == .accepted || submitted.status == .ok)
            let id = try #require(submitted.object["id"] as? String)
            let waited = try await Self.request(b, .get, "/v1/plans/\(id)", headers: [Self.prefer: "wait=60"])
            #expect(waited.status == .ok && waited.object["status"] as? String == "succeeded")
            #expect((waited.object["result"] as? [String: Any])?["verdict"] != nil)
            let listed = try await Self.request(b, .get, "/v1/plans")
            #expect((listed.object["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            // Idempotency across replicas: the same key and body on B is A's job.
            let keyed = try await Self.request(a, .post, "/v1/plans", body: Self.plan, headers: [HTTPField.Name("Idempotency-Key")!: "k-1"])
            let again = try await Self.request(b, .post, "/v1/plans", body: Self.plan, headers: [HTTPField.Name("Idempotency-Key")!: "k-1"])
            #expect(keyed.object["id"] as? String == again.object["id"] as? String)
            #expect(try await Self.request(b, .delete, "/v1/plans/\(id)").status == .noContent)
            #expect(try await Self.request(a, .get, "/v1/plans/\(id)").status == .notFound)
            await Self.stop(servers)
        }
    }

    @Test func aJobOfAReplicaKilledMidRunIsFinishedByTheOther() async throws {
        try await TestDatabase.withDatabase { url in
            let servers = try await Self.replicas(url, extra: ["--job-lease-seconds", "3", "--simulation-workers", "1"])
            defer { Task { await Self.stop(servers) } }
            try await Self.waitUntilReady(servers)
            let (a, b) = (servers[0], servers[1])
            let simulation: [String: Any] = [
                "durationSeconds": 7200, "seed": 3,
                "subnets": [["subnetId": "s", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/16"]],
                "nodeGroups": [["name": "ng", "instanceType": "m5.large", "subnetIds": ["s"], "nodes": 600]],
                "workloads": [["name": "w", "nodeGroup": "ng", "pods": 9000]],
                "events": [["at": 1800, "type": "rollingRestart", "workload": "w"], ["at": 3600, "type": "rollingRestart", "workload": "w"]],
            ]
            let submitted = try await Self.request(a, .post, "/v1/simulations", body: simulation)
            let id = try #require(submitted.object["id"] as? String)
            var running = false
            for _ in 0..<600 where !running {
                running = try await Self.request(b, .get, "/v1/simulations/\(id)").object["status"] as? String == "running"
                if !running { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(running)
            kill(a.process.processIdentifier, SIGKILL)
            // B takes the job over once A's lease has run out, and finishes it.
            var finished: [String: Any] = [:]
            for _ in 0..<20 where finished["status"] as? String != "succeeded" {
                finished = try await Self.request(b, .get, "/v1/simulations/\(id)", headers: [Self.prefer: "wait=30"]).object
            }
            #expect(finished["status"] as? String == "succeeded", "\(finished)")
            #expect(try await TestDatabase.count(url, "SELECT attempts FROM eksnet_jobs WHERE id = '\(id)'") == 1)
            // The same input run without interruption gives the same result.
            let fresh = try await Self.request(b, .post, "/v1/simulations", body: simulation, headers: [Self.prefer: "wait=120"])
            #expect(fresh.object["status"] as? String == "succeeded")
            let taken = try JSONSerialization.data(withJSONObject: finished["result"] ?? [:], options: .sortedKeys)
            let uninterrupted = try JSONSerialization.data(withJSONObject: fresh.object["result"] ?? [:], options: .sortedKeys)
            #expect(taken == uninterrupted)
            await Self.stop(servers)
        }
    }

    @Test func aThousandConcurrentSubmissionsOverTwoReplicasAreEachStoredOnce() async throws {
        try await TestDatabase.withDatabase { url in
            let servers = try await Self.replicas(url)
            defer { Task { await Self.stop(servers) } }
            try await Self.waitUntilReady(servers)
            let body = TestSupport.json(Self.plan)
            let ids = try await withThrowingTaskGroup(of: [String].self) { group in
                // 64 clients, each submitting to both replicas in turn.
                for client in 0..<64 {
                    group.addTask {
                        var ids: [String] = []
                        for index in stride(from: client, to: 1000, by: 64) {
                            let server = servers[index % 2]
                            let id = try await TestClient.withClient(host: "127.0.0.1", port: server.port) { http in
                                let response = try await http.execute(
                                    .init("/v1/plans", method: .post, headers: [.contentType: "application/json"], body: body))
                                return try (JSONSerialization.jsonObject(with: Data(buffer: response.body ?? ByteBuffer())) as? [String: Any])?["id"] as? String
                            }
                            if let id { ids.append(id) }
                        }
                        return ids
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(ids.count == 1000)
            #expect(Set(ids).count == 1000)
            #expect(try await TestDatabase.count(url, "SELECT count(*) FROM eksnet_jobs") == 1000)
            await Self.stop(servers)
        }
    }
}
