import ArgumentParser
import EKSNetServer
import Logging

/// The eksnet HTTP service. Flags win over environment variables, which win over defaults.
@main
struct EKSNetServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eksnet-server",
        abstract: "Serve the eksnet API: EKS network plans, pod capacity, subnet tags, VPC CNI IP simulation.")

    @Option(help: "Address to listen on (env EKSNET_HOST).")
    var hostname: String = Environment.value("EKSNET_HOST") ?? "0.0.0.0"

    @Option(help: "TCP port, 0 for any free port (env EKSNET_PORT).")
    var port: Int = Environment.value("EKSNET_PORT").flatMap { Int($0) } ?? 8080

    @Option(help: "trace, debug, info, notice, warning, error or critical (env EKSNET_LOG_LEVEL).")
    var logLevel: String = Environment.value("EKSNET_LOG_LEVEL") ?? "info"

    @Option(help: "Largest request body in bytes (env EKSNET_MAX_BODY_SIZE).")
    var maxBodySize: Int = Environment.value("EKSNET_MAX_BODY_SIZE").flatMap { Int($0) } ?? 1 << 20

    @Option(help: "Seconds /readyz answers 503 before the listener closes on SIGTERM (env EKSNET_DRAIN_DELAY).")
    var drainDelay: Double = Environment.value("EKSNET_DRAIN_DELAY").flatMap { Double($0) } ?? 5

    @Option(help: "Most jobs (plans, simulations) held in memory (env EKSNET_MAX_JOBS).")
    var maxJobs: Int = Environment.value("EKSNET_MAX_JOBS").flatMap { Int($0) } ?? 10_000

    @Option(help: "Seconds a finished job is kept (env EKSNET_JOB_RETENTION).")
    var jobRetention: Int = Environment.value("EKSNET_JOB_RETENTION").flatMap { Int($0) } ?? 3600

    func validate() throws {
        guard (1...1_000_000).contains(maxJobs) else { throw ValidationError("--max-jobs must be 1–1,000,000") }
        guard (1...604_800).contains(jobRetention) else { throw ValidationError("--job-retention must be 1 s to 7 days") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level '\(logLevel)' is unknown") }
        guard (1...(256 << 20)).contains(maxBodySize) else {
            throw ValidationError("--max-body-size must be between 1 byte and 256 MiB")
        }
        guard drainDelay.isFinite, (0...300).contains(drainDelay) else {
            throw ValidationError("--drain-delay must be 0–300 seconds")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        try await runServer(
            AppConfiguration(
                hostname: hostname, port: port, logLevel: level, maxRequestBodyBytes: maxBodySize,
                drainDelay: .milliseconds(Int(drainDelay * 1000)), maxJobs: maxJobs,
                jobRetention: .seconds(jobRetention)))
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
