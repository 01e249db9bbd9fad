import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The built `eksnet-server` binary's start: every bad setting refuses to start naming the flag or variable,
/// `--version`, and `--instance-types-file` (real AWS CLI output made against moto's server).
@Suite(.serialized) struct StartupConfigurationTests {
    typealias ServerProcess = GracefulShutdownTests.ServerProcess

    static let instanceTypesFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/instance-types/describe-instance-types.json").path

    /// Runs the binary to its exit (it must exit: a refused start or --version); status and everything printed.
    static func runToExit(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try GracefulShutdownTests.serverBinary()
        process.arguments = ["--hostname", "127.0.0.1", "--port", "0", "--probe-port", "off"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test(arguments: [
        (["EKSNET_PORT": "abc"], [String](), "EKSNET_PORT='abc' is not valid: expected a whole number"),
        (["EKSNET_MAX_BODY_SIZE": "2MiX"], [], "EKSNET_MAX_BODY_SIZE='2MiX' is not valid: expected a whole number of bytes"),
        (["EKSNET_MAX_BODY_SIZE": "512MiB"], [], "--max-body-size (EKSNET_MAX_BODY_SIZE) must be between 1 byte and 256MiB"),
        (["EKSNET_DRAIN_DELAY": "soon"], [], "EKSNET_DRAIN_DELAY='soon' is not valid: expected a number of seconds"),
        (["EKSNET_MAX_JOBS": "-5"], [], "--max-jobs (EKSNET_MAX_JOBS) must be 1–1,000,000"),
        (["EKSNET_IDLE_TIMEOUT": "1e3"], [], "EKSNET_IDLE_TIMEOUT='1e3' is not valid: expected a whole number"),
        (["EKSNET_LOG_LEVEL": "loud"], [], "--log-level (EKSNET_LOG_LEVEL) 'loud' is not trace, debug"),
        (["EKSNET_LOG_FORMAT": "xml"], [], "--log-format (EKSNET_LOG_FORMAT) 'xml' is not json or text"),
        ([:], ["--max-jobs=-1"], "--max-jobs (EKSNET_MAX_JOBS) must be 1–1,000,000"),
        ([:], ["--port", "70000"], "--port (EKSNET_PORT) must be 0–65535"),
        ([:], ["--max-body-size", "lots"], "The value 'lots' is invalid for '--max-body-size"),
        ([:], ["--instance-types-file", "/nonexistent/types.json"],
            "--instance-types-file (EKSNET_INSTANCE_TYPES_FILE) /nonexistent/types.json: cannot be read"),
    ])
    func refusesEveryBadSettingNamingIt(environment: [String: String], arguments: [String], message: String) async throws {
        let (status, output) = try await offThePool { try Self.runToExit(arguments, environment: environment) }
        #expect(status != 0)
        #expect(output.contains(message), "\(output)")
        #expect(!output.contains("listening"))
    }

    @Test func aBrokenInstanceTypesFileStopsTheStartWithThePathAndThePointer() async throws {
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("eksnet-broken-types-\(getpid()).json")
        try Data(#"{"InstanceTypes":[{"InstanceType":"m5.large","NetworkInfo":{"MaximumNetworkInterfaces":0,"Ipv4AddressesPerInterface":10}}]}"#.utf8)
            .write(to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        let (status, output) = try await offThePool { try Self.runToExit([], environment: ["EKSNET_INSTANCE_TYPES_FILE": broken.path]) }
        #expect(status != 0)
        #expect(output.contains("\(broken.path): document 1, /InstanceTypes/0/NetworkInfo/MaximumNetworkInterfaces: 0 is impossible"), "\(output)")
    }

    /// A port already taken stops the start with a message naming the listener, the address, the port and the
    /// setting that moves it.
    @Test func aPortInUseNamesTheListenerTheAddressAndTheSetting() async throws {
        let server = try await ServerProcess(arguments: ["--drain-delay", "0"])
        defer { server.process.terminate() }
        let probePort = try #require(server.probePort)
        let probe = try await offThePool { try Self.runToExit(["--probe-port", "\(probePort)"]) }
        #expect(probe.status != 0)
        #expect(probe.output.contains("the probe listener cannot listen on 127.0.0.1:\(probePort)"), "\(probe.output)")
        #expect(probe.output.contains("--probe-port (EKSNET_PROBE_PORT)"))
        let api = try await offThePool { try Self.runToExit(["--port", "\(server.port)"]) }
        #expect(api.status != 0)
        #expect(api.output.contains("the API listener cannot listen on 127.0.0.1:\(server.port)"), "\(api.output)")
        #expect(api.output.contains("--port (EKSNET_PORT)"))
    }

    @Test func versionNamesTheReleaseTheCatalogAndTheDefaultCNI() async throws {
        let (status, output) = try await offThePool { try Self.runToExit(["--version"]) }
        #expect(status == 0)
        #expect(output.contains("eksnet-server 0.1.0"))
        #expect(output.contains("instance types: moto 5.2.5 (2026-10-27), 1,405 types"))
        #expect(output.contains("default VPC CNI version: 1.20.0"))
        let withFile = try await offThePool { try Self.runToExit(["--version", "--instance-types-file", Self.instanceTypesFile]) }
        #expect(withFile.output.contains("+ file sha256:"), "\(withFile.output)")
    }

    @Test func aTypeOnlyInTheFileAnswersWithLimitsSourceFile() async throws {
        let server = try await ServerProcess(arguments: ["--instance-types-file", Self.instanceTypesFile, "--drain-delay", "0"])
        defer { server.process.terminate() }
        try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            let zz9 = try await client.execute(.init("/v1/instance-types/zz9.large", method: .get, headers: [:]))
            #expect(zz9.status == .ok)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: try #require(zz9.body))) as? [String: Any]
            #expect(body?["limitsSource"] as? String == "file")
            let version = zz9.headers[HTTPField.Name("EKSNet-Catalog-Version")!] ?? ""
            #expect(version.hasPrefix("moto 5.2.5 (2026-10-27) + file sha256:"), "\(version)")
            // Types new in moto 5.2.5 answer from the embedded catalog.
            for name in ["c9g.large", "m8idn.large", "g7.2xlarge"] {
                let maxPods = try await client.execute(.init("/v1/instance-types/\(name)/max-pods", method: .get, headers: [:]))
                #expect(maxPods.status == .ok, "\(name)")
            }
            let planned = try await client.execute(
                .init("/v1/capacity", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"nodeGroups":[{"name":"new","instanceTypes":["zz9.large"],"minSize":1,"maxSize":2}]}"#)))
            #expect(planned.status == .ok)
        }
    }

    @Test func jsonLogLinesCarryTheRequestAndTraceFields() async throws {
        let server = try await ServerProcess(arguments: ["--log-format", "json", "--log-level", "info", "--drain-delay", "0"])
        defer { server.process.terminate() }
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            _ = try await client.execute(.init("/healthz", method: .get, headers: [:]))
            _ = try await client.execute(.init(
                "/v1/instance-types/m5.large", method: .get,
                headers: [HTTPField.Name("traceparent")!: "00-\(traceID)-00f067aa0ba902b7-01", HTTPField.Name("X-Request-Id")!: "portal-42"]))
        }
        var request: [String: Any]?
        for _ in 0..<100 where request == nil {
            try await Task.sleep(for: .milliseconds(20))
            request = try server.output.text.split(separator: "\n").compactMap { line -> [String: Any]? in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["timestamp"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
                return object
            }.first { $0["path"] as? String == "/v1/instance-types/m5.large" }
        }
        let line = try #require(request, "\(server.output.text)")
        #expect(line["request_id"] as? String == "portal-42")
        #expect(line["hb.request.id"] == nil, "one request id field")
        #expect(line["trace_id"] as? String == traceID)
        #expect(line["parent_span_id"] as? String == "00f067aa0ba902b7")
        #expect((line["span_id"] as? String)?.count == 16)
        #expect(line["route"] as? String == "/v1/instance-types/{instanceType}")
        #expect(line["status"] as? Int == 200)
        #expect(line["duration_ms"] is Double)
        #expect(line["level"] as? String == "info")
        #expect(!server.output.text.contains(#""path":"/healthz""#), "probes are logged at debug")
    }
}
