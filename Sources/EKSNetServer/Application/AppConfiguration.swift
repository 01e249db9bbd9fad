import EKSNetCore
import Logging
import NIOCore

/// Everything the server reads from flags and the environment.
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
    public var maxBufferedBodyBytes = Defaults.maxBufferedBodyBytes
    /// Longest a client may take to send one whole request (headers and body) once its first byte arrived; past
    /// it the request gets 408 and the connection closes.
    public var requestTimeout: Duration = .seconds(Defaults.requestTimeoutSeconds)
    /// Threads for large bodies and pictures (`InlineWorkPool`), and how many such requests may be admitted at
    /// once (running or waiting) before more get 503.
    public var inlineThreads = InlineWorkPool.threads(forCores: System.coreCount)
    public var inlineAdmissionLimit = Defaults.inlineAdmissionLimit
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
    public var jobLease: Duration = .seconds(Defaults.jobLeaseSeconds)
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

    /// The one place defaults are written: the executable's flags and this initializer both use them.
    public enum Defaults {
        public static let hostname = "0.0.0.0"
        public static let port = 8080
        /// The executable's probe listener; an application built in process has none unless asked.
        public static let probePort = 8081
        public static let logLevel = Logger.Level.info
        public static let logFormat = "text"
        public static let maxRequestBodyBytes = 1 << 20
        /// 64 bodies of the largest size: the deployment's 512 MiB keeps room for the job store and the process.
        public static let maxBufferedBodyBytes = 64 << 20
        public static let requestTimeoutSeconds = 30
        public static let inlineAdmissionLimit = 32
        public static let drainDelaySeconds = 5.0
        public static let maxJobs = 10_000
        /// A quarter of the deployment's 512 MiB memory limit: the process itself, the largest simulations being
        /// computed and the connections take the rest.
        public static let maxJobStoreBytes = 128 << 20
        public static let jobCallerShare = 0.5
        public static let jobRetentionSeconds = 3600
        public static let deliveredJobRetentionSeconds = 300
        public static let jobLeaseSeconds = 30
        public static let maxWaitSeconds = 60
        public static let idleTimeoutSeconds = 30
        public static let shutdownGraceSeconds = 70.0
        public static let maxJobSeconds = 60
        public static let maxConnections = 1024
    }

    public init(
        hostname: String = Defaults.hostname, port: Int = Defaults.port, logLevel: Logger.Level = Defaults.logLevel,
        maxRequestBodyBytes: Int = Defaults.maxRequestBodyBytes,
        drainDelay: Duration = .milliseconds(Int(Defaults.drainDelaySeconds * 1000)), maxJobs: Int = Defaults.maxJobs,
        maxJobStoreBytes: Int = Defaults.maxJobStoreBytes, jobCallerShare: Double = Defaults.jobCallerShare,
        jobRetention: Duration = .seconds(Defaults.jobRetentionSeconds),
        deliveredJobRetention: Duration = .seconds(Defaults.deliveredJobRetentionSeconds),
        maxWaitSeconds: Int = Defaults.maxWaitSeconds,
        bearerCredentials: [BearerCredential] = [], corsOrigins: [String] = [],
        idleTimeoutSeconds: Int = Defaults.idleTimeoutSeconds,
        shutdownGracePeriod: Duration = .milliseconds(Int(Defaults.shutdownGraceSeconds * 1000)),
        jobLimits: JobRunner.Limits = .init(simulationWorkers: 1, timeBudget: .seconds(Defaults.maxJobSeconds)),
        maxConnections: Int = Defaults.maxConnections, probePort: Int? = nil,
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
