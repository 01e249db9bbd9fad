import EKSNetCore
import Logging
import NIOCore

/// Everything the server runs with. The executable fills it from `ServerSettings` (one declaration per setting,
/// defaults included); the initializer's defaults are those declarations', for servers built in process (tests),
/// which run one simulation worker and no probe listener unless asked.
public struct AppConfiguration: Sendable {
    /// Address to bind; `0.0.0.0` so that a Kubernetes Service can reach the pod.
    public var hostname: String
    /// TCP port; 0 asks the system for a free one (tests).
    public var port: Int
    /// Log level for the request log and the server.
    public var logLevel: Logger.Level
    /// Largest request body accepted, bytes; larger bodies get 413.
    public var maxRequestBodyBytes: Int
    /// Request body bytes all requests may hold in memory together; past it a body gets 503 with `Retry-After`.
    public var maxBufferedBodyBytes: Int = ServerSettings.maxBufferedBodyBytes.default.bytes
    /// Longest a client may take to send one whole request (headers and body) once its first byte arrived; past
    /// it the request gets 408 and the connection closes.
    public var requestTimeout: Duration = .seconds(ServerSettings.requestTimeout.default)
    /// Threads for large bodies and pictures (`InlineWorkPool`), and how many such requests may be admitted at
    /// once (running or waiting) before more get 503.
    public var inlineThreads = InlineWorkPool.threads(forCores: System.coreCount)
    public var inlineAdmissionLimit: Int = 32
    /// Time between SIGTERM and closing the listener, during which `/readyz` answers 503 so that load balancers
    /// and Kubernetes endpoints stop sending traffic.
    public var drainDelay: Duration
    /// Where jobs live: this process's memory, or a PostgreSQL database every replica shares.
    public enum JobStoreKind: Sendable {
        case memory
        case postgres(DatabaseURL)
    }

    public var jobStore: JobStoreKind = .memory
    /// How long a replica's lease on a job lasts without renewal (the PostgreSQL store): a replica that dies loses
    /// its jobs to another replica this long after its last renewal.
    public var jobLease: Duration = .seconds(ServerSettings.jobLeaseSeconds.default)
    /// Whether Swift concurrency runs on NIO's event loops (the executable's takeover succeeded): then each request
    /// is moved onto its connection's loop (`EventLoopAffinityMiddleware`).
    public var concurrencyOnEventLoops = false
    /// Most jobs the in-memory store holds at once.
    public var maxJobs: Int
    /// Most bytes of encoded inputs and results the in-memory store holds (room for unfinished jobs' results
    /// included).
    public var maxJobStoreBytes: Int
    /// The fraction of the store (jobs and bytes) one credential may hold.
    public var jobCallerShare: Double
    /// How long a finished job is kept.
    public var jobRetention: Duration
    /// How long a finished job is kept once a `Prefer: wait` answer delivered its result.
    public var deliveredJobRetention: Duration
    /// The longest `Prefer: wait=N` honoured, seconds.
    public var maxWaitSeconds: Int
    /// Bearer credentials accepted on `/v1`; empty turns authentication off (the executable refuses to start when
    /// authentication was asked for but no usable token was given).
    public var bearerCredentials: [BearerCredential]
    /// Origins allowed to call the API from a browser; empty turns CORS off.
    public var corsOrigins: [String]
    /// Seconds a connection may sit idle (a client that stops mid-body included) before it is closed.
    public var idleTimeoutSeconds: Int
    /// Longest graceful shutdown (drain delay included) before in-flight work is cancelled and the process exits.
    public var shutdownGracePeriod: Duration
    /// Worker threads and time budget for jobs.
    public var jobLimits: JobRunner.Limits
    /// Most connections open at once on the main port; past it the server stops accepting (new connections wait
    /// in the kernel's backlog) until one closes.
    public var maxConnections: Int
    /// A second listener for `/healthz`, `/readyz` and `/metrics` only, so that probes and scrapes get through
    /// when the main port is at its connection limit; nil for none.
    public var probePort: Int?
    /// The instance types every route answers from: the embedded catalog, or it with `--instance-types-file`
    /// merged over it.
    public var aws: AWSData

    public init(
        hostname: String = ServerSettings.hostname.default, port: Int = ServerSettings.port.default,
        logLevel: Logger.Level = ServerSettings.logLevel.default,
        maxRequestBodyBytes: Int = ServerSettings.maxBodySize.default.bytes,
        drainDelay: Duration = .milliseconds(Int(ServerSettings.drainDelay.default * 1000)),
        maxJobs: Int = ServerSettings.maxJobs.default,
        maxJobStoreBytes: Int = ServerSettings.maxJobStoreBytes.default.bytes,
        jobCallerShare: Double = ServerSettings.jobCallerShare.default,
        jobRetention: Duration = .seconds(ServerSettings.jobRetention.default),
        deliveredJobRetention: Duration = .seconds(ServerSettings.deliveredJobRetention.default),
        maxWaitSeconds: Int = ServerSettings.maxWait.default,
        bearerCredentials: [BearerCredential] = [], corsOrigins: [String] = [],
        idleTimeoutSeconds: Int = ServerSettings.idleTimeout.default,
        shutdownGracePeriod: Duration = .milliseconds(Int(ServerSettings.shutdownGrace.default * 1000)),
        jobLimits: JobRunner.Limits = .init(simulationWorkers: 1, timeBudget: .seconds(ServerSettings.maxJobSeconds.default)),
        maxConnections: Int = ServerSettings.maxConnections.default, probePort: Int? = nil,
        aws: AWSData = .embedded
    ) {
        self.aws = aws
        self.jobLimits = jobLimits
        self.maxConnections = maxConnections
        self.probePort = probePort
        self.shutdownGracePeriod = shutdownGracePeriod
        self.bearerCredentials = bearerCredentials
        self.corsOrigins = corsOrigins
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxJobs = maxJobs
        self.maxJobStoreBytes = maxJobStoreBytes
        self.jobCallerShare = jobCallerShare
        self.jobRetention = jobRetention
        self.deliveredJobRetention = deliveredJobRetention
        self.maxWaitSeconds = maxWaitSeconds
        self.hostname = hostname
        self.port = port
        self.logLevel = logLevel
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.drainDelay = drainDelay
    }
}
