import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The built `eksnet-server` binary, started as a real process and stopped with a real SIGTERM.
@Suite(.serialized) struct GracefulShutdownTests {
    /// `.build/<config>/eksnet-server`, next to the test bundle (or `EKSNET_SERVER_BINARY`).
    static func serverBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["EKSNET_SERVER_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("eksnet-server")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw BinaryMissing()
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String { "eksnet-server was not built next to the tests; run `swift build` first" }
    }

    /// A running server process and its port.
    final class ServerProcess: Sendable {
        let process: Process
        let output: LogBuffer
        let port: Int

        /// The probe listener's port (`--probe-port 0` picks a free one).
        let probePort: Int?

        init(arguments: [String], environment: [String: String] = [:]) async throws {
            let process = Process()
            process.executableURL = try GracefulShutdownTests.serverBinary()
            process.arguments = ["--hostname", "127.0.0.1", "--port", "0", "--probe-port", "0"] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            let output = LogBuffer()
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let text = String(decoding: handle.availableData, as: UTF8.self)
                output.append(text)
            }
            try process.run()
            var found: Int?
            let wantsProbes = !arguments.contains("off")
            for _ in 0..<200 where found == nil || (wantsProbes && Self.port(in: output.text, listener: "probes") == nil) {
                try await Task.sleep(for: .milliseconds(50))
                found = Self.port(in: output.text)
            }
            self.process = process
            self.output = output
            guard let found else {
                process.terminate()
                throw PortNotFound(log: output.text)
            }
            self.port = found
            self.probePort = Self.port(in: output.text, listener: "probes")
        }

        struct PortNotFound: Error { let log: String }

        /// The port from the "listening" log line (`address=[IPv4]127.0.0.1/127.0.0.1:40123`).
        static func port(in log: String, listener: String = "api") -> Int? {
            guard
                let line = log.split(separator: "\n").first(where: {
                    // Text or JSON log lines.
                    $0.contains("listening") && ($0.contains("listener=\(listener)") || $0.contains("\"listener\":\"\(listener)\""))
                }),
                let range = line.range(of: "127.0.0.1:")
            else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }

        func status(_ uri: String, port: Int? = nil, headers: HTTPFields = [:]) async throws -> HTTPResponse.Status {
            try await TestClient.withClient(host: "127.0.0.1", port: port ?? self.port) { client in
                try await client.execute(.init(uri, method: .get, headers: headers)).status
            }
        }

        func waitForExit(seconds: Int) async throws -> Int32? {
            for _ in 0..<(seconds * 20) where process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
            return process.isRunning ? nil : process.terminationStatus
        }
    }

    /// Server output collected from the pipe's reader thread.
    final class LogBuffer: Sendable {
        private let storage = Mutex("")
        var text: String { storage.withLock { $0 } }
        func append(_ more: String) { storage.withLock { $0 += more } }
    }

    @Test func sigtermTurnsReadinessOffThenExitsZero() async throws {
        // A drain delay long enough that a busy machine cannot close the listener before the checks below run;
        // the checks wait for the "draining" log line (the order of events), not for a guessed interval.
        let server = try await ServerProcess(arguments: ["--drain-delay", "10", "--log-level", "info"])
        #expect(try await server.status("/readyz") == .ok)
        kill(server.process.processIdentifier, SIGTERM)
        for _ in 0..<400 where !server.output.text.contains("draining") {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(server.output.text.contains("draining"))
        #expect(try await server.status("/readyz") == .serviceUnavailable)
        #expect(try await server.status("/healthz") == .ok)
        let code = try await server.waitForExit(seconds: 40)
        #expect(code == 0, "\(server.output.text)")
        #expect(server.process.terminationReason == .exit)
    }

    @Test func inFlightWaitsFinishBeforeExit() async throws {
        let server = try await ServerProcess(arguments: ["--drain-delay", "0.5"])
        // A simulation that takes a moment, submitted with Prefer: wait; SIGTERM arrives once it is seen running
        // (the order of events, not a wall-clock guess: on a busy machine the job may take much longer to start).
        let body = TestSupport.json([
            "durationSeconds": 3600, "seed": 1,
            "subnets": [["subnetId": "s", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/16"]],
            "nodeGroups": [["name": "ng", "instanceType": "m5.large", "subnetIds": ["s"], "nodes": 300]],
            "workloads": [["name": "w", "nodeGroup": "ng", "pods": 4500]],
            "events": [["at": 1800, "type": "rollingRestart", "workload": "w"]],
        ] as [String: Any])
        let start = ContinuousClock.now
        async let answer = TestClient.withClient(host: "127.0.0.1", port: server.port, configuration: .init(timeout: .seconds(120))) {
            client in
            try await client.execute(
                .init(
                    "/v1/simulations", method: .post,
                    headers: [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=60"],
                    body: body))
        }
        var running = false
        for _ in 0..<600 where !running {
            try await Task.sleep(for: .milliseconds(50))
            running = try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                let page = try await client.execute(.init("/v1/simulations?status=running", method: .get, headers: [:]))
                return page.body.map { String(buffer: $0).contains("\"running\"") } ?? false
            }
        }
        #expect(running, "the simulation was seen running before SIGTERM")
        kill(server.process.processIdentifier, SIGTERM)
        let response = try await answer
        #expect(response.status == .ok)
        #expect(ContinuousClock.now - start > .milliseconds(400))
        #expect(try await server.waitForExit(seconds: 30) == 0)
    }

    @Test func sigintAlsoShutsDownGracefully() async throws {
        let server = try await ServerProcess(arguments: ["--drain-delay", "0"])
        #expect(try await server.status("/healthz") == .ok)
        kill(server.process.processIdentifier, SIGINT)
        #expect(try await server.waitForExit(seconds: 10) == 0)
    }

    @Test func refusesBadFlags() async throws {
        let process = Process()
        process.executableURL = try Self.serverBinary()
        process.arguments = ["--port", "70000"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
    }
}
