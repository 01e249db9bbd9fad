import ArgumentParser
import Foundation
import EKSNetServer
import Logging
import NIOCore

/// The eksnet HTTP service. Flags win over environment variables, which win over defaults.
@main
struct EKSNetServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eksnet-server",
        abstract: "Serve the eksnet API: EKS network plans, pod capacity, subnet tags, VPC CNI IP simulation.")

    @Option(help: "Address to listen on (env EKSNET_HOST).")
    var hostname: String = Environment.value("EKSNET_HOST") ?? Defaults.hostname

    @Option(help: "TCP port, 0 for any free port (env EKSNET_PORT).")
    var port: Int = Environment.value("EKSNET_PORT").flatMap { Int($0) } ?? Defaults.port

    @Option(help: "trace, debug, info, notice, warning, error or critical (env EKSNET_LOG_LEVEL).")
    var logLevel: String = Environment.value("EKSNET_LOG_LEVEL") ?? Defaults.logLevel.rawValue

    @Option(help: "Largest request body in bytes (env EKSNET_MAX_BODY_SIZE).")
    var maxBodySize: Int = Environment.value("EKSNET_MAX_BODY_SIZE").flatMap { Int($0) } ?? Defaults.maxRequestBodyBytes

    @Option(help: "Seconds /readyz answers 503 before the listener closes on SIGTERM (env EKSNET_DRAIN_DELAY).")
    var drainDelay: Double = Environment.value("EKSNET_DRAIN_DELAY").flatMap { Double($0) } ?? Defaults.drainDelaySeconds

    @Option(help: "Most jobs (plans, simulations) held in memory (env EKSNET_MAX_JOBS).")
    var maxJobs: Int = Environment.value("EKSNET_MAX_JOBS").flatMap { Int($0) } ?? Defaults.maxJobs

    @Option(help: "Seconds a finished job is kept (env EKSNET_JOB_RETENTION).")
    var jobRetention: Int = Environment.value("EKSNET_JOB_RETENTION").flatMap { Int($0) } ?? Defaults.jobRetentionSeconds

    @Option(help: "File with bearer tokens for /v1, one 'token' or 'name:token' per line (a mounted Secret); env EKSNET_AUTH_TOKEN_FILE. EKSNET_AUTH_TOKENS holds comma-separated entries of the same form. Asking for authentication without a usable token refuses to start.")
    var authTokenFile: String? = Environment.raw("EKSNET_AUTH_TOKEN_FILE")

    @Option(help: "Origin allowed to call the API from a browser; repeat for several (env EKSNET_CORS_ORIGINS, comma-separated).")
    var corsOrigin: [String] = Environment.value("EKSNET_CORS_ORIGINS").map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []

    @Option(help: "Seconds an idle connection (or a client stalled mid-body) is kept (env EKSNET_IDLE_TIMEOUT).")
    var idleTimeout: Int = Environment.value("EKSNET_IDLE_TIMEOUT").flatMap { Int($0) } ?? Defaults.idleTimeoutSeconds

    @Option(help: "Seconds a graceful shutdown may take, drain delay included, before work is cancelled (env EKSNET_SHUTDOWN_GRACE).")
    var shutdownGrace: Double = Environment.value("EKSNET_SHUTDOWN_GRACE").flatMap { Double($0) } ?? Defaults.shutdownGraceSeconds

    @Option(help: "Seconds a job (simulation, plan, audit) may run before it fails (env EKSNET_MAX_JOB_SECONDS).")
    var maxJobSeconds: Int = Environment.value("EKSNET_MAX_JOB_SECONDS").flatMap { Int($0) } ?? Defaults.maxJobSeconds

    @Option(help: "Simulations run at once, each on a worker thread of its own; default one fewer than the cores (env EKSNET_SIMULATION_WORKERS).")
    var simulationWorkers: Int = Environment.value("EKSNET_SIMULATION_WORKERS").flatMap { Int($0) }
        ?? JobRunner.Limits.simulationWorkers(forCores: System.coreCount)

    @Option(help: "Most connections open at once on the main port; more wait in the kernel's backlog (env EKSNET_MAX_CONNECTIONS).")
    var maxConnections: Int = Environment.value("EKSNET_MAX_CONNECTIONS").flatMap { Int($0) } ?? Defaults.maxConnections

    @Option(help: "Port of a second listener serving only /healthz, /readyz and /metrics, for probes and scrapes; 0 for any free port, 'off' for none (env EKSNET_PROBE_PORT).")
    var probePort: String = Environment.value("EKSNET_PROBE_PORT") ?? String(Defaults.probePort)

    /// The probe listener's port, nil when it is off.
    var probeListenerPort: Int? {
        get throws {
            if probePort == "off" { return nil }
            guard let number = Int(probePort), (0...65535).contains(number) else {
                throw ValidationError("--probe-port must be 0–65535 or 'off', not '\(probePort.prefix(20))'")
            }
            guard number == 0 || number != port else { throw ValidationError("--probe-port must differ from --port") }
            return number
        }
    }

    /// Credentials from the file and the environment; nil when authentication was not asked for.
    func credentials() throws -> [BearerCredential]? {
        var file: (path: String, text: String)?
        if let authTokenFile {
            guard !authTokenFile.isEmpty else {
                throw ValidationError("--auth-token-file (EKSNET_AUTH_TOKEN_FILE) is set but empty: name the token file")
            }
            guard let text = try? String(contentsOfFile: authTokenFile, encoding: .utf8) else {
                throw ValidationError("--auth-token-file \(authTokenFile) cannot be read")
            }
            file = (authTokenFile, text)
        }
        do {
            return try BearerCredentialSource.credentials(environment: Environment.raw("EKSNET_AUTH_TOKENS"), file: file)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        guard shutdownGrace.isFinite, (1...3600).contains(shutdownGrace) else {
            throw ValidationError("--shutdown-grace must be 1–3600 seconds")
        }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1–3600 seconds") }
        _ = try credentials()
        guard (1...86_400).contains(maxJobSeconds) else { throw ValidationError("--max-job-seconds must be 1–86,400") }
        guard (1...256).contains(simulationWorkers) else { throw ValidationError("--simulation-workers must be 1–256") }
        guard (1...1_000_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be 1–1,000,000")
        }
        _ = try probeListenerPort
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
                jobRetention: .seconds(jobRetention), bearerCredentials: try credentials() ?? [],
                corsOrigins: corsOrigin, idleTimeoutSeconds: idleTimeout,
                shutdownGracePeriod: .milliseconds(Int(shutdownGrace * 1000)),
                jobLimits: .init(simulationWorkers: simulationWorkers, timeBudget: .seconds(maxJobSeconds)),
                maxConnections: OpenFileLimit.connectionsThatFit(maxConnections, logger: Logger(label: "eksnet")),
                probePort: try probeListenerPort))
    }
}

typealias Defaults = AppConfiguration.Defaults

/// Connections are file descriptors: the connection limit must stay below the open-file limit, with room for the
/// probe listener, its connections and the process's own files, or at the limit every accept fails (the probe
/// port's included) instead of the API port simply waiting.
enum OpenFileLimit {
    /// Descriptors kept back from API connections.
    static let reserve: rlim_t = 128

    /// Raises the soft open-file limit as far as the hard limit allows when `wanted` needs it, and returns the
    /// connection limit that fits (lowered, with a warning, when even the hard limit is too small).
    static func connectionsThatFit(_ wanted: Int, logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return wanted }
        let needed = rlim_t(wanted) + reserve
        if limit.rlim_cur < needed {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        guard limit.rlim_cur < needed else { return wanted }
        let fitting = max(1, Int(limit.rlim_cur > reserve ? limit.rlim_cur - reserve : 1))
        logger.warning(
            "the open-file limit is too low for --max-connections; using a lower connection limit",
            metadata: ["open-file-limit": "\(limit.rlim_cur)", "max-connections": "\(wanted)", "using": "\(fitting)"])
        return fitting
    }
}

enum Environment {
    /// The variable's value; nil when unset or empty.
    static func value(_ name: String) -> String? {
        guard let value = raw(name) else { return nil }
        return value.isEmpty ? nil : value
    }

    /// The variable's value as set, empty included: for settings where "set but empty" is a mistake to report.
    static func raw(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
