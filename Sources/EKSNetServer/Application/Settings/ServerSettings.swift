import Foundation
import Logging
import NIOCore

/// Every setting of `eksnet-server`, each declared once (`Setting`). A new setting is one declaration here, added to
/// `all`, and the field it sets; its flag, variable, check, `--help` line and docs/operations.md row follow.
public enum ServerSettings {
    public static let hostname: Setting<String> = Setting<String>.text(
        "hostname", "EKSNET_HOST", default: "0.0.0.0", valueName: "address",
        help: "Address to listen on; 0.0.0.0 so that a Kubernetes Service can reach the pod."
    ) { $0.configuration.hostname = $1 }

    public static let port: Setting<Int> = Setting<Int>.integer(
        "port", "EKSNET_PORT", default: 8080, range: 0...65535, valueName: "port",
        help: "TCP port of the API, 0 for any free port."
    ) { $0.configuration.port = $1 }

    public static let probePort: Setting<Int?> = Setting<Int?>(
        flag: "probe-port", environment: "EKSNET_PROBE_PORT", valueName: "port|off", default: 8081, defaultDescription: "8081",
        help: "Port of a second listener serving only /healthz, /readyz and /metrics, for probes and scrapes; 0 for any free port, 'off' for none.",
        parse: { text in
            if text == "off" { return .success(nil) }
            guard let number = Int(text), (0...65535).contains(number) else {
                return .failure(.range("must be 0–65535 or 'off', not '\(text.prefix(20))'"))
            }
            return .success(number)
        },
        assign: { $0.configuration.probePort = $1 })

    public static let logLevel: Setting<Logger.Level> = Setting<Logger.Level>(
        flag: "log-level", environment: "EKSNET_LOG_LEVEL", valueName: "level", default: .info, defaultDescription: "info",
        help: "trace, debug, info, notice, warning, error or critical.",
        parse: { text in
            Logger.Level(rawValue: text).map { .success($0) }
                ?? .failure(.choice("is not trace, debug, info, notice, warning, error or critical"))
        },
        assign: { $0.configuration.logLevel = $1 })

    public static let logFormat: Setting<String> = Setting<String>.choice(
        "log-format", "EKSNET_LOG_FORMAT", default: "text", choices: ["json", "text"],
        help: "json (one JSON object per line: timestamp, level, message, request_id, trace_id, route, status, duration_ms) or text."
    ) { $0.logFormat = $1 }

    public static let maxBodySize: Setting<ByteCount> = Setting<ByteCount>.size(
        "max-body-size", "EKSNET_MAX_BODY_SIZE", default: 1 << 20, range: 1...(256 << 20),
        help: "Largest request body: bytes, or a size such as 2MiB; larger bodies get 413."
    ) { $0.configuration.maxRequestBodyBytes = $1.bytes }

    /// 64 bodies of the largest size: the deployment's 512 MiB keeps room for the job store and the process.
    public static let maxBufferedBodyBytes: Setting<ByteCount> = Setting<ByteCount>.size(
        "max-buffered-body-bytes", "EKSNET_MAX_BUFFERED_BODY_BYTES", default: 64 << 20, range: (64 << 10)...(16 << 30),
        help: "Request body bytes all requests may hold in memory together, at least --max-body-size; past it a request gets 503 with Retry-After."
    ) { $0.configuration.maxBufferedBodyBytes = $1.bytes }

    public static let requestTimeout: Setting<Int> = Setting<Int>.integer(
        "request-timeout", "EKSNET_REQUEST_TIMEOUT", default: 30, range: 1...3600, unit: "seconds", valueName: "seconds",
        help: "Seconds a client may take to send one whole request, headers and body, and a response may wait for a client that does not read it."
    ) { $0.configuration.requestTimeout = .seconds($1) }

    public static let drainDelay: Setting<Double> = Setting<Double>.seconds(
        "drain-delay", "EKSNET_DRAIN_DELAY", default: 5, range: 0...300,
        help: "Seconds /readyz answers 503 before the listener closes on SIGTERM."
    ) { $0.configuration.drainDelay = .milliseconds(Int($1 * 1000)) }

    public static let shutdownGrace: Setting<Double> = Setting<Double>.seconds(
        "shutdown-grace", "EKSNET_SHUTDOWN_GRACE", default: 70, range: 1...3600,
        help: "Seconds a graceful shutdown may take, drain delay included, before work is cancelled."
    ) { $0.configuration.shutdownGracePeriod = .milliseconds(Int($1 * 1000)) }

    public static let idleTimeout: Setting<Int> = Setting<Int>.integer(
        "idle-timeout", "EKSNET_IDLE_TIMEOUT", default: 30, range: 1...3600, unit: "seconds", valueName: "seconds",
        help: "Seconds an idle connection (or a client stalled mid-body) is kept."
    ) { $0.configuration.idleTimeoutSeconds = $1 }

    public static let maxConnections: Setting<Int> = Setting<Int>.integer(
        "max-connections", "EKSNET_MAX_CONNECTIONS", default: 1024, range: 1...1_000_000,
        help: "Most connections open at once on the main port; more wait in the kernel's backlog."
    ) { $0.configuration.maxConnections = $1 }

    public static let maxJobs: Setting<Int> = Setting<Int>.integer(
        "max-jobs", "EKSNET_MAX_JOBS", default: 10_000, range: 1...1_000_000,
        help: "Most jobs (plans, simulations, audits, remediations) held at once."
    ) { $0.configuration.maxJobs = $1 }

    /// A quarter of the deployment's 512 MiB memory limit: the process itself, the largest simulations being
    /// computed and the connections take the rest.
    public static let maxJobStoreBytes: Setting<ByteCount> = Setting<ByteCount>.size(
        "max-job-store-bytes", "EKSNET_MAX_JOB_STORE_BYTES", default: 128 << 20, range: (1 << 20)...(64 << 30),
        help: "Most bytes of job inputs and results held (results past 16 KiB kept gzip-compressed; 1 MiB kept aside for each unfinished job's result); past it, submissions get 503 with Retry-After."
    ) { $0.configuration.maxJobStoreBytes = $1.bytes }

    public static let jobCallerShare: Setting<Double> = Setting<Double>(
        flag: "job-caller-share", environment: "EKSNET_JOB_CALLER_SHARE", valueName: "fraction", default: 0.5,
        defaultDescription: "0.5",
        help: "Fraction (0–1] of the job store, by count and by bytes, one credential may hold when several are configured; past it, or past 32 unfinished jobs, its submissions get 429 with Retry-After.",
        parse: { text in
            guard let value = Double(text), value.isFinite else { return .failure(.form("a fraction (such as 0.5)")) }
            return value > 0 && value <= 1 ? .success(value) : .failure(.range("must be more than 0 and at most 1, such as 0.5"))
        },
        assign: { $0.configuration.jobCallerShare = $1 })

    public static let jobRetention: Setting<Int> = Setting<Int>.integer(
        "job-retention", "EKSNET_JOB_RETENTION", default: 3600, range: 1...604_800, unit: "seconds (7 days)",
        valueName: "seconds", help: "Seconds a finished job is kept."
    ) { $0.configuration.jobRetention = .seconds($1) }

    public static let deliveredJobRetention: Setting<Int> = Setting<Int>.integer(
        "delivered-job-retention", "EKSNET_DELIVERED_JOB_RETENTION", default: 300, range: 1...604_800,
        unit: "seconds (7 days)", valueName: "seconds",
        help: "Seconds a finished job is kept once a Prefer: wait answer delivered its result, at most --job-retention."
    ) { $0.configuration.deliveredJobRetention = .seconds($1) }

    public static let maxWait: Setting<Int> = Setting<Int>.integer(
        "max-wait", "EKSNET_MAX_WAIT", default: 60, range: 1...600, unit: "seconds", valueName: "seconds",
        help: "Longest Prefer: wait=N honoured, seconds: a longer wait is cut to this, then the answer is 202 with the job to poll."
    ) { $0.configuration.maxWaitSeconds = $1 }

    public static let maxJobSeconds: Setting<Int> = Setting<Int>.integer(
        "max-job-seconds", "EKSNET_MAX_JOB_SECONDS", default: 60, range: 1...86_400, valueName: "seconds",
        help: "Seconds a job (simulation, plan, audit, remediation) may run before it fails."
    ) { $0.configuration.jobLimits.timeBudget = .seconds($1) }

    public static let simulationWorkers: Setting<Int> = Setting<Int>.integer(
        "simulation-workers", "EKSNET_SIMULATION_WORKERS",
        default: JobRunner.Limits.simulationWorkers(forCores: System.coreCount), shownAs: "cores − 1", range: 1...256,
        help: "Simulations run at once, each on a worker thread of its own; default one fewer than the cores."
    ) { $0.configuration.jobLimits.simulationWorkers = $1 }

    public static let jobStore: Setting<String> = Setting<String>.choice(
        "job-store", "EKSNET_JOB_STORE", default: "memory", choices: ["memory", "postgres"],
        aliases: ["postgresql": "postgres"],
        help: "Where jobs live: memory (this process) or postgres (a database every replica shares, so any replica answers any job and jobs survive restarts)."
    ) { $0.jobStoreName = $1 }

    public static let databaseURL: Setting<String?> = Setting<String?>.optionalText(
        "database-url", "EKSNET_DATABASE_URL", valueName: "url",
        help: "The PostgreSQL job store's database, postgres://user:password@host:5432/database?sslmode=require. Prefer --database-url-file: a URL in the environment is visible to anyone who can read the pod spec."
    ) { $0.databaseURL = $1 }

    public static let databaseURLFile: Setting<String?> = Setting<String?>.optionalText(
        "database-url-file", "EKSNET_DATABASE_URL_FILE", valueName: "path",
        help: "File holding the database URL (a mounted Secret); the password is never logged nor repeated in errors."
    ) { $0.databaseURLFile = $1 }

    public static let jobLeaseSeconds: Setting<Int> = Setting<Int>.integer(
        "job-lease-seconds", "EKSNET_JOB_LEASE_SECONDS", default: 30, range: 3...3600, valueName: "seconds",
        help: "Seconds a replica's lease on a job lasts without renewal (PostgreSQL store): jobs of a replica that died are run by another this long after its last renewal."
    ) { $0.configuration.jobLease = .seconds($1) }

    public static let authTokenFile: Setting<String?> = Setting<String?>.optionalText(
        "auth-token-file", "EKSNET_AUTH_TOKEN_FILE", valueName: "path", emptyIsAValue: true,
        help: "File with bearer tokens for /v1, one 'token' or 'name:token' per line (a mounted Secret). Asking for authentication without a usable token refuses to start."
    ) { $0.authTokenFile = $1 }

    public static let authTokens: Setting<String?> = Setting<String?>.optionalText(
        nil, "EKSNET_AUTH_TOKENS", valueName: "tokens", emptyIsAValue: true,
        help: "Bearer tokens for /v1, comma-separated entries of the --auth-token-file form (environment only)."
    ) { $0.authTokens = $1 }

    public static let corsOrigins: Setting<[String]> = Setting<[String]>(
        flag: "cors-origin", environment: "EKSNET_CORS_ORIGINS", valueName: "origin", default: [], defaultDescription: nil,
        repeatable: true,
        help: "Origin allowed to call the API from a browser; repeat for several (the variable is comma-separated).",
        parse: { text in .success(text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) },
        assign: { $0.configuration.corsOrigins = $1 })

    public static let instanceTypesFile: Setting<String?> = Setting<String?>.optionalText(
        "instance-types-file", "EKSNET_INSTANCE_TYPES_FILE", valueName: "path",
        help: "JSON from 'aws ec2 describe-instance-types --output json' (one page or several concatenated), merged over the embedded catalog at start; a file that does not parse, or a type with impossible figures, stops the start."
    ) { $0.instanceTypesFile = $1 }

    /// In the order `--help` and docs/operations.md list them.
    static let all: [AnySetting] = [
        hostname.erased, port.erased, probePort.erased, logLevel.erased, logFormat.erased, maxBodySize.erased,
        maxBufferedBodyBytes.erased, requestTimeout.erased, idleTimeout.erased, maxConnections.erased, drainDelay.erased,
        shutdownGrace.erased, maxJobs.erased, maxJobStoreBytes.erased, jobCallerShare.erased, jobRetention.erased,
        deliveredJobRetention.erased, maxWait.erased, maxJobSeconds.erased, simulationWorkers.erased, jobStore.erased,
        databaseURLFile.erased, databaseURL.erased, jobLeaseSeconds.erased, authTokenFile.erased, authTokens.erased,
        corsOrigins.erased, instanceTypesFile.erased,
    ]
}
