import Logging

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
    /// Time between SIGTERM and closing the listener, during which `/readyz` answers 503 so that load balancers
    /// and Kubernetes endpoints stop sending traffic.
    public var drainDelay: Duration
    /// Most jobs the in-memory store holds at once.
    public var maxJobs: Int
    /// How long a finished job is kept.
    public var jobRetention: Duration
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

    public init(
        hostname: String = "0.0.0.0", port: Int = 8080, logLevel: Logger.Level = .info,
        maxRequestBodyBytes: Int = 1 << 20, drainDelay: Duration = .seconds(5), maxJobs: Int = 10_000,
        jobRetention: Duration = .seconds(3600), maxWaitSeconds: Int = 60, bearerCredentials: [BearerCredential] = [],
        corsOrigins: [String] = [], idleTimeoutSeconds: Int = 30, shutdownGracePeriod: Duration = .seconds(70),
        jobLimits: JobRunner.Limits = .init(simulationWorkers: 1, timeBudget: .seconds(60)),
        maxConnections: Int = 1024, probePort: Int? = nil
    ) {
        self.jobLimits = jobLimits
        self.maxConnections = maxConnections
        self.probePort = probePort
        self.shutdownGracePeriod = shutdownGracePeriod
        self.bearerCredentials = bearerCredentials
        self.corsOrigins = corsOrigins
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxJobs = maxJobs
        self.jobRetention = jobRetention
        self.maxWaitSeconds = maxWaitSeconds
        self.hostname = hostname
        self.port = port
        self.logLevel = logLevel
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.drainDelay = drainDelay
    }
}
