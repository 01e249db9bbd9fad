import ArgumentParser
import Foundation
import EKSNetCore
import EKSNetInstanceTypesFile
import EKSNetServer
import Logging
import NIOCore
import NIOPosix

/// The eksnet HTTP service. Flags win over environment variables, which win over defaults.
@main
struct EKSNetServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eksnet-server",
        abstract: "Serve the eksnet API: EKS network plans, pod capacity, subnet tags, VPC CNI IP simulation.")

    @Flag(help: "Print the version, the instance-type catalog's (with any --instance-types-file) and the default VPC CNI version.")
    var version = false

    @Option(help: "Address to listen on (env EKSNET_HOST).")
    var hostname: String = Environment.value("EKSNET_HOST") ?? Defaults.hostname

    @Option(help: "TCP port, 0 for any free port (env EKSNET_PORT).")
    var port: Int = Environment.integer("EKSNET_PORT") ?? Defaults.port

    @Option(help: "trace, debug, info, notice, warning, error or critical (env EKSNET_LOG_LEVEL).")
    var logLevel: String = Environment.value("EKSNET_LOG_LEVEL") ?? Defaults.logLevel.rawValue

    @Option(help: "json (one JSON object per line: timestamp, level, message, request_id, trace_id, route, status, duration_ms) or text (env EKSNET_LOG_FORMAT).")
    var logFormat: String = Environment.value("EKSNET_LOG_FORMAT") ?? Defaults.logFormat

    @Option(help: "Largest request body: bytes, or a size such as 2MiB (env EKSNET_MAX_BODY_SIZE).")
    var maxBodySize: ByteCount = Environment.size("EKSNET_MAX_BODY_SIZE") ?? ByteCount(bytes: Defaults.maxRequestBodyBytes)

    @Option(help: "Request body bytes all requests may hold in memory together; past it a request gets 503 with Retry-After (env EKSNET_MAX_BUFFERED_BODY_BYTES).")
    var maxBufferedBodyBytes: ByteCount = Environment.size("EKSNET_MAX_BUFFERED_BODY_BYTES") ?? ByteCount(bytes: Defaults.maxBufferedBodyBytes)

    @Option(help: "Seconds a client may take to send one whole request, headers and body, and a response may wait for a client that does not read it (env EKSNET_REQUEST_TIMEOUT).")
    var requestTimeout: Int = Environment.integer("EKSNET_REQUEST_TIMEOUT") ?? Defaults.requestTimeoutSeconds

    @Option(help: "Seconds /readyz answers 503 before the listener closes on SIGTERM (env EKSNET_DRAIN_DELAY).")
    var drainDelay: Double = Environment.seconds("EKSNET_DRAIN_DELAY") ?? Defaults.drainDelaySeconds

    @Option(help: "Most jobs (plans, simulations) held in memory (env EKSNET_MAX_JOBS).")
    var maxJobs: Int = Environment.integer("EKSNET_MAX_JOBS") ?? Defaults.maxJobs

    @Option(help: "Most bytes of job inputs and results held in memory, results kept compressed; bytes, or a size such as 128MiB (env EKSNET_MAX_JOB_STORE_BYTES). Past it, submissions get 503 with Retry-After.")
    var maxJobStoreBytes: ByteCount = Environment.size("EKSNET_MAX_JOB_STORE_BYTES") ?? ByteCount(bytes: Defaults.maxJobStoreBytes)

    @Option(help: "Fraction (0–1] of the job store, by count and by bytes, one credential may hold; past it its submissions get 429 (env EKSNET_JOB_CALLER_SHARE).")
    var jobCallerShare: Double = Environment.fraction("EKSNET_JOB_CALLER_SHARE") ?? Defaults.jobCallerShare

    @Option(help: "Where jobs live: memory (this process; the default) or postgres (a database every replica shares, so any replica answers any job and jobs survive restarts); env EKSNET_JOB_STORE.")
    var jobStore: String = Environment.value("EKSNET_JOB_STORE") ?? "memory"

    @Option(help: "The PostgreSQL job store's database, postgres://user:password@host:5432/database?sslmode=require (env EKSNET_DATABASE_URL). Prefer --database-url-file: a URL in the environment is visible to anyone who can read the pod spec.")
    var databaseUrl: String? = Environment.raw("EKSNET_DATABASE_URL")

    @Option(help: "File holding the database URL (a mounted Secret); env EKSNET_DATABASE_URL_FILE.")
    var databaseUrlFile: String? = Environment.raw("EKSNET_DATABASE_URL_FILE")

    @Option(help: "Seconds a replica's lease on a job lasts without renewal (PostgreSQL store): jobs of a replica that died are run by another this long after its last renewal (env EKSNET_JOB_LEASE_SECONDS).")
    var jobLeaseSeconds: Int = Environment.integer("EKSNET_JOB_LEASE_SECONDS") ?? Defaults.jobLeaseSeconds

    @Option(help: "Seconds a finished job is kept (env EKSNET_JOB_RETENTION).")
    var jobRetention: Int = Environment.integer("EKSNET_JOB_RETENTION") ?? Defaults.jobRetentionSeconds

    @Option(help: "Seconds a finished job is kept once a Prefer: wait answer delivered its result, at most --job-retention (env EKSNET_DELIVERED_JOB_RETENTION).")
    var deliveredJobRetention: Int = Environment.integer("EKSNET_DELIVERED_JOB_RETENTION") ?? Defaults.deliveredJobRetentionSeconds

    @Option(help: "File with bearer tokens for /v1, one 'token' or 'name:token' per line (a mounted Secret); env EKSNET_AUTH_TOKEN_FILE. EKSNET_AUTH_TOKENS holds comma-separated entries of the same form. Asking for authentication without a usable token refuses to start.")
    var authTokenFile: String? = Environment.raw("EKSNET_AUTH_TOKEN_FILE")

    @Option(help: "Origin allowed to call the API from a browser; repeat for several (env EKSNET_CORS_ORIGINS, comma-separated).")
    var corsOrigin: [String] = Environment.value("EKSNET_CORS_ORIGINS").map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []

    @Option(help: "Seconds an idle connection (or a client stalled mid-body) is kept (env EKSNET_IDLE_TIMEOUT).")
    var idleTimeout: Int = Environment.integer("EKSNET_IDLE_TIMEOUT") ?? Defaults.idleTimeoutSeconds

    @Option(help: "Seconds a graceful shutdown may take, drain delay included, before work is cancelled (env EKSNET_SHUTDOWN_GRACE).")
    var shutdownGrace: Double = Environment.seconds("EKSNET_SHUTDOWN_GRACE") ?? Defaults.shutdownGraceSeconds

    @Option(help: "Seconds a job (simulation, plan, audit) may run before it fails (env EKSNET_MAX_JOB_SECONDS).")
    var maxJobSeconds: Int = Environment.integer("EKSNET_MAX_JOB_SECONDS") ?? Defaults.maxJobSeconds

    @Option(help: "Simulations run at once, each on a worker thread of its own; default one fewer than the cores (env EKSNET_SIMULATION_WORKERS).")
    var simulationWorkers: Int = Environment.integer("EKSNET_SIMULATION_WORKERS")
        ?? JobRunner.Limits.simulationWorkers(forCores: System.coreCount)

    @Option(help: "Most connections open at once on the main port; more wait in the kernel's backlog (env EKSNET_MAX_CONNECTIONS).")
    var maxConnections: Int = Environment.integer("EKSNET_MAX_CONNECTIONS") ?? Defaults.maxConnections

    @Option(help: "Port of a second listener serving only /healthz, /readyz and /metrics, for probes and scrapes; 0 for any free port, 'off' for none (env EKSNET_PROBE_PORT).")
    var probePort: String = Environment.value("EKSNET_PROBE_PORT") ?? String(Defaults.probePort)

    @Option(help: "JSON from 'aws ec2 describe-instance-types --output json' (one page or several concatenated), merged over the embedded catalog at start; a file that does not parse, or a type with impossible figures, stops the start (env EKSNET_INSTANCE_TYPES_FILE).")
    var instanceTypesFile: String? = Environment.value("EKSNET_INSTANCE_TYPES_FILE")

    /// The probe listener's port, nil when it is off.
    var probeListenerPort: Int? {
        get throws {
            if probePort == "off" { return nil }
            guard let number = Int(probePort), (0...65535).contains(number) else {
                throw ValidationError("--probe-port (EKSNET_PROBE_PORT) must be 0–65535 or 'off', not '\(probePort.prefix(20))'")
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
        if version { throw CleanExit.message(EKSNetRelease.versionText(program: "eksnet-server", aws: try awsData())) }
        if let problem = Environment.problems.first { throw ValidationError(problem) }
        guard shutdownGrace.isFinite, (1...3600).contains(shutdownGrace) else {
            throw ValidationError("--shutdown-grace (EKSNET_SHUTDOWN_GRACE) must be 1–3600 seconds")
        }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout (EKSNET_IDLE_TIMEOUT) must be 1–3600 seconds") }
        _ = try credentials()
        guard (1...86_400).contains(maxJobSeconds) else { throw ValidationError("--max-job-seconds (EKSNET_MAX_JOB_SECONDS) must be 1–86,400") }
        guard (1...256).contains(simulationWorkers) else { throw ValidationError("--simulation-workers (EKSNET_SIMULATION_WORKERS) must be 1–256") }
        guard (1...1_000_000).contains(maxConnections) else {
            throw ValidationError("--max-connections (EKSNET_MAX_CONNECTIONS) must be 1–1,000,000")
        }
        _ = try probeListenerPort
        guard (1...1_000_000).contains(maxJobs) else { throw ValidationError("--max-jobs (EKSNET_MAX_JOBS) must be 1–1,000,000") }
        guard (1...604_800).contains(jobRetention) else { throw ValidationError("--job-retention (EKSNET_JOB_RETENTION) must be 1–604,800 seconds (7 days)") }
        guard (3...3600).contains(jobLeaseSeconds) else {
            throw ValidationError("--job-lease-seconds (EKSNET_JOB_LEASE_SECONDS) must be 3–3600")
        }
        _ = try jobStoreKind()
        guard (1...604_800).contains(deliveredJobRetention) else {
            throw ValidationError("--delivered-job-retention (EKSNET_DELIVERED_JOB_RETENTION) must be 1–604,800 seconds (7 days)")
        }
        guard ((1 << 20)...(64 << 30)).contains(maxJobStoreBytes.bytes) else {
            throw ValidationError("--max-job-store-bytes (EKSNET_MAX_JOB_STORE_BYTES) must be between 1MiB and 64GiB")
        }
        guard jobCallerShare > 0, jobCallerShare <= 1 else {
            throw ValidationError("--job-caller-share (EKSNET_JOB_CALLER_SHARE) must be more than 0 and at most 1, such as 0.5")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port (EKSNET_PORT) must be 0–65535") }
        guard ["json", "text"].contains(logFormat) else {
            throw ValidationError("--log-format (EKSNET_LOG_FORMAT) '\(logFormat.prefix(20))' is not json or text")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level (EKSNET_LOG_LEVEL) '\(logLevel.prefix(20))' is not trace, debug, info, notice, warning, error or critical") }
        guard (1...(256 << 20)).contains(maxBodySize.bytes) else {
            throw ValidationError("--max-body-size (EKSNET_MAX_BODY_SIZE) must be between 1 byte and 256MiB")
        }
        guard ((64 << 10)...(16 << 30)).contains(maxBufferedBodyBytes.bytes), maxBufferedBodyBytes.bytes >= maxBodySize.bytes else {
            throw ValidationError("--max-buffered-body-bytes (EKSNET_MAX_BUFFERED_BODY_BYTES) must be between 64KiB and 16GiB, and at least --max-body-size")
        }
        guard (1...3600).contains(requestTimeout) else {
            throw ValidationError("--request-timeout (EKSNET_REQUEST_TIMEOUT) must be 1–3600 seconds")
        }
        guard drainDelay.isFinite, (0...300).contains(drainDelay) else {
            throw ValidationError("--drain-delay (EKSNET_DRAIN_DELAY) must be 0–300 seconds")
        }
    }

    /// The job store asked for; the URL's password is never repeated in an error.
    func jobStoreKind() throws -> AppConfiguration.JobStoreKind {
        switch jobStore.lowercased() {
        case "memory":
            return .memory
        case "postgres", "postgresql":
            let text: String
            if let databaseUrlFile {
                guard let contents = try? String(contentsOfFile: databaseUrlFile, encoding: .utf8) else {
                    throw ValidationError("--database-url-file (EKSNET_DATABASE_URL_FILE) \(databaseUrlFile.prefix(200)) cannot be read")
                }
                text = contents
            } else if let databaseUrl {
                text = databaseUrl
            } else {
                throw ValidationError("--job-store postgres needs --database-url-file or --database-url (EKSNET_DATABASE_URL_FILE, EKSNET_DATABASE_URL)")
            }
            do {
                return .postgres(try DatabaseURL(parsing: text))
            } catch {
                throw ValidationError("the database URL (\(databaseUrlFile == nil ? "--database-url" : "--database-url-file")) is not usable: \(error.description)")
            }
        default:
            throw ValidationError("--job-store (EKSNET_JOB_STORE) '\(jobStore.prefix(20))' is not memory or postgres")
        }
    }

    /// The AWS data every route answers from.
    func awsData() throws -> AWSData {
        guard let instanceTypesFile else { return .embedded }
        do {
            return try InstanceTypesFile.load(path: instanceTypesFile, over: .embedded)
        } catch {
            throw ValidationError("--instance-types-file (EKSNET_INSTANCE_TYPES_FILE) \(error.description)")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        if logFormat == "json" {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
        }
        // Route handlers run on the event loop that read the request instead of hopping to Swift's own pool and
        // back: POST /v1/capacity answers ~1.5× the requests per second on one core (scripts/benchmark). CPU-heavy
        // jobs keep their own threads (JobRunner's lanes), so nothing long runs on an event loop — and nothing may
        // block one (no `EventLoopFuture.wait()`, no blocking I/O in a handler): every task now runs on the loops.
        // A static Swift standard library hides the hook this needs; the Dockerfile links the runtime dynamically.
        let onEventLoops = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        if !onEventLoops {
            Logger(label: "eksnet").notice("Swift concurrency keeps its own thread pool: this runtime does not let NIO take it over")
        }
        var configuration = AppConfiguration(
                hostname: hostname, port: port, logLevel: level, maxRequestBodyBytes: maxBodySize.bytes,
                drainDelay: .milliseconds(Int(drainDelay * 1000)), maxJobs: maxJobs,
                maxJobStoreBytes: maxJobStoreBytes.bytes, jobCallerShare: jobCallerShare,
                jobRetention: .seconds(jobRetention), deliveredJobRetention: .seconds(min(deliveredJobRetention, jobRetention)),
                bearerCredentials: try credentials() ?? [],
                corsOrigins: corsOrigin, idleTimeoutSeconds: idleTimeout,
                shutdownGracePeriod: .milliseconds(Int(shutdownGrace * 1000)),
                jobLimits: .init(simulationWorkers: simulationWorkers, timeBudget: .seconds(maxJobSeconds)),
                maxConnections: OpenFileLimit.connectionsThatFit(maxConnections, logger: Logger(label: "eksnet")),
                probePort: try probeListenerPort, aws: try awsData())
        configuration.jobStore = try jobStoreKind()
        configuration.jobLease = .seconds(jobLeaseSeconds)
        configuration.concurrencyOnEventLoops = onEventLoops
        configuration.maxBufferedBodyBytes = maxBufferedBodyBytes.bytes
        configuration.requestTimeout = .seconds(requestTimeout)
        try await runServer(configuration)
    }
}

typealias Defaults = AppConfiguration.Defaults

extension ByteCount: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
}

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
    /// Variables that are set but do not parse, each named with the form it needs; `validate()` refuses to start
    /// on the first (a flag given on the command line is checked by the argument parser itself).
    nonisolated(unsafe) static var problems: [String] = []

    static func integer(_ name: String) -> Int? {
        parsed(name, as: "a whole number") { Int($0) }
    }

    static func seconds(_ name: String) -> Double? {
        parsed(name, as: "a number of seconds (such as 5 or 0.5)") { text in Double(text).flatMap { $0.isFinite ? $0 : nil } }
    }

    static func fraction(_ name: String) -> Double? {
        parsed(name, as: "a fraction (such as 0.5)") { text in Double(text).flatMap { $0.isFinite ? $0 : nil } }
    }

    static func size(_ name: String) -> ByteCount? {
        parsed(name, as: ByteCount.form) { ByteCount(parsing: $0) }
    }

    static func parsed<T>(_ name: String, as form: String, _ parse: (String) -> T?) -> T? {
        guard let text = value(name) else { return nil }
        guard let parsed = parse(text) else {
            problems.append("\(name)='\(text.prefix(40))' is not valid: expected \(form)")
            return nil
        }
        return parsed
    }

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
