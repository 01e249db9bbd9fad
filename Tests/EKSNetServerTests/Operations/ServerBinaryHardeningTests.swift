import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 9 against the built binary: authentication that fails closed and cannot be walked around over a real
/// socket, probes that get through when the API port is full, and probes that keep answering while the largest
/// simulations run.
@Suite(.serialized) struct ServerBinaryHardeningTests {
    typealias Server = GracefulShutdownTests.ServerProcess

    /// Starts the binary expecting it to refuse, and returns its exit status and output.
    func refusal(arguments: [String] = [], environment: [String: String]) throws -> (status: Int32, output: String) {
        try StartupConfigurationTests.runToExit(arguments, environment: environment)
    }

    @Test(arguments: [" , ", "", ",,"])
    func anAuthVariableWithoutATokenRefusesToStart(_ value: String) async throws {
        let (status, output) = try await offThePool { try refusal(environment: ["EKSNET_AUTH_TOKENS": value]) }
        #expect(status != 0)
        #expect(output.contains("EKSNET_AUTH_TOKENS"), "\(output)")
        #expect(!output.contains("listening"))
    }

    @Test func aTokenFileOfCommentsRefusesToStartNamingTheFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("eksnet-tokens-\(UUID().uuidString)").path
        try "# portal tokens go here\n\n   \n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try await offThePool { try refusal(arguments: ["--auth-token-file", path], environment: [:]) }
        #expect(status != 0)
        #expect(output.contains(path), "\(output)")
        let (emptyStatus, emptyOutput) = try await offThePool { try refusal(environment: ["EKSNET_AUTH_TOKEN_FILE": ""]) }
        #expect(emptyStatus != 0)
        #expect(emptyOutput.contains("EKSNET_AUTH_TOKEN_FILE"), "\(emptyOutput)")
    }

    @Test func doubledSlashesCannotCreateReadOrDeleteWithoutAToken() async throws {
        let server = try await Server(arguments: ["--drain-delay", "0"], environment: ["EKSNET_AUTH_TOKENS": "s"])
        defer { server.process.terminate() }
        let plan = try PlansRoutesTests.example("eksctl-3az.json")
        try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            let json: HTTPFields = [.contentType: "application/json"]
            var authorized = json
            authorized[.authorization] = "Bearer s"
            for prefix in ["/v1", "//v1", "///v1", "/v1/"] {
                let anonymous = try await client.execute(.init("\(prefix)/plans", method: .post, headers: json, body: plan))
                #expect(anonymous.status == .unauthorized, "POST \(prefix)/plans")
            }
            let created = try await client.execute(.init("/v1/plans", method: .post, headers: authorized, body: plan))
            #expect(created.status == .accepted)
            let createdBody = try #require(created.body)
            let createdJob = try JSONSerialization.jsonObject(with: Data(buffer: createdBody)) as? [String: Any]
            let id = try #require(createdJob?["id"] as? String)
            for path in ["//v1/plans/\(id)", "///v1/plans/\(id)", "/v1//plans/\(id)", "//v1/plans/\(id)/"] {
                #expect(try await client.execute(.init(path, method: .delete)).status == .unauthorized, "DELETE \(path)")
                #expect(try await client.execute(.init(path, method: .get)).status == .unauthorized, "GET \(path)")
            }
            let still = try await client.execute(.init("/v1/plans/\(id)", method: .get, headers: authorized))
            #expect(still.status == .ok)
        }
    }

    @Test func probesGetThroughWhenTheAPIPortIsAtItsConnectionLimit() async throws {
        let server = try await Server(arguments: ["--drain-delay", "0", "--max-connections", "4", "--idle-timeout", "120"])
        defer { server.process.terminate() }
        let probePort = try #require(server.probePort)
        // Four clients hold every connection the API port takes.
        let port = server.port
        let held = try await offThePool {
            try (0..<4).map { _ in
                let connection = try RawConnection(port: port)
                connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                return connection
            }
        }
        // The kubelet's probes and Prometheus use the probe listener, which has no share in that limit.
        #expect(try await server.status("/healthz", port: probePort) == .ok)
        #expect(try await server.status("/readyz", port: probePort) == .ok)
        #expect(try await server.status("/metrics", port: probePort) == .ok)
        #expect(try await server.status("/v1/instance-types", port: probePort) == .notFound)
        // A client that lets go makes room on the API port.
        for connection in held { connection.close() }
        #expect(try await server.status("/healthz") == .ok)
    }

    /// A connection limit above the open-file limit would leave every accept failing, the probe port's too, when
    /// clients hold the API port: the server lowers the connection limit to fit, and says so.
    @Test func theConnectionLimitFitsTheOpenFileLimit() async throws {
        let binary = try GracefulShutdownTests.serverBinary().path
        let (status, output) = try await offThePool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c", "ulimit -n 300 && exec \"$0\" --hostname 127.0.0.1 --port 0 --probe-port off --drain-delay 0 --max-connections 1024",
                binary,
            ]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            var text = ""
            // Read until the server listens (or ends), then stop it.
            while !text.contains("listener=api") {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            process.terminate()
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(output.contains("listener=api"), "\(output)")
        #expect(output.contains("open-file-limit=300"), "\(output)")
        #expect(output.contains("using=172"), "\(output)")
        _ = status
    }

    /// Two, then ten, of the largest simulations allowed (50 million node-ticks each): probes keep answering on
    /// both ports while they run, the jobs stop at their time budget, and SIGTERM still drains and exits 0.
    @Test(arguments: [2, 10])
    func theLargestSimulationsDoNotStarveProbes(_ simulations: Int) async throws {
        let server = try await Server(arguments: ["--drain-delay", "0.2", "--max-job-seconds", "5", "--shutdown-grace", "20"])
        defer { if server.process.isRunning { server.process.terminate() } }
        let body = TestSupport.json(Self.largestSimulation)
        try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            var ids: [String] = []
            for _ in 0..<simulations {
                let response = try await client.execute(
                    .init("/v1/simulations", method: .post, headers: [.contentType: "application/json"], body: body))
                #expect(response.status == .accepted)
                let responseBody = try #require(response.body)
                let job = try JSONSerialization.jsonObject(with: Data(buffer: responseBody)) as? [String: Any]
                ids.append(try #require(job?["id"] as? String))
            }
            // Wait until one runs, then probe while it does.
            var running = false
            while !running {
                let job = try await client.execute(.init("/v1/simulations/\(ids[0])", method: .get))
                let jobBody = try #require(job.body)
                let status = (try JSONSerialization.jsonObject(with: Data(buffer: jobBody)) as? [String: Any])?["status"] as? String
                running = status == "running"
                #expect(status != "succeeded", "the simulation ended before it could be probed")
                if status != "queued" && status != "running" { break }
            }
        }
        // Probe latencies recorded and held to the adversarial script's bound (issue 28, item 8): a probe that
        // answers 200 after the kubelet gave up is no answer.
        var latencies: [Double] = []
        for _ in 0..<50 {
            #expect(try await server.status("/healthz") == .ok)
            let start = ContinuousClock.now
            #expect(try await server.status("/readyz", port: server.probePort) == .ok)
            let elapsed = ContinuousClock.now - start
            latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        let sorted = latencies.sorted()
        let p99 = sorted[Int(Double(sorted.count - 1) * 0.99)]
        #expect(p99 <= ProbeIsolationTests.probeP99BoundMilliseconds, "probe-port /readyz p99 \(p99) ms")
        kill(server.process.processIdentifier, SIGTERM)
        #expect(try await server.waitForExit(seconds: 60) == 0, "\(server.output.text.suffix(2000))")
    }

    /// The most node-ticks the limits allow, at the highest cost per node-tick: under WARM_IP_TARGET every node
    /// looks for an ENI to free on every reconcile, so the timeline can skip none of them.
    static var largestSimulation: [String: Any] {
        [
            "durationSeconds": 86_400, "seed": 7, "cni": ["warmIpTarget": 5],
            "subnets": [
                ["subnetId": "a", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/16"],
                ["subnetId": "b", "availabilityZone": "us-east-1b", "cidrBlock": "10.1.0.0/16"],
            ],
            "nodeGroups": [
                ["name": "one", "instanceType": "m5.large", "subnetIds": ["a", "b"], "nodes": 1_400],
                ["name": "two", "instanceType": "m5.xlarge", "subnetIds": ["a", "b"], "nodes": 1_400],
            ],
            "workloads": [
                ["name": "w1", "nodeGroup": "one", "pods": 30_000], ["name": "w2", "nodeGroup": "two", "pods": 40_000],
            ],
            "events": [
                ["at": 3_600, "type": "rollingRestart", "workload": "w1"],
                ["at": 7_200, "type": "rollingRestart", "workload": "w2"],
            ],
        ]
    }
}
