import EKSNetCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Builds the HTTP application: router, middleware, routes, and the job runner as one of its services. The
/// executable and every test call this.
public func buildApplication(
    _ configuration: AppConfiguration, readiness: Readiness = Readiness(), jobStore: (any JobStore)? = nil
) -> some ApplicationProtocol {
    let store = jobStore ?? makeJobStore(configuration)
    return buildApplication(configuration, readiness: readiness, runner: makeRunner(configuration, store: store))
}

/// The memory store with the configured bounds.
func makeJobStore(_ configuration: AppConfiguration) -> MemoryJobStore {
    MemoryJobStore(
        limits: configuration.memoryJobStoreLimits,
        retention: configuration.jobRetention, deliveredRetention: configuration.deliveredJobRetention)
}

func makeRunner(_ configuration: AppConfiguration, store: any JobStore) -> JobRunner {
    var logger = Logger(label: "eksnet.jobs")
    logger.logLevel = configuration.logLevel
    // A shared store hands over jobs from replicas that died: the runner rebuilds their work from the stored input.
    let aws = configuration.aws
    var resume: (@Sendable (Job) throws -> JobRunner.Work)?
    if store is PostgresJobStore { resume = { job in try job.kind.definition.resume(job, aws: aws) } }
    return JobRunner(store: store, limits: configuration.jobLimits, logger: logger, resume: resume)
}

/// The application over a given job runner, which it runs as one of its services.
func buildApplication(
    _ configuration: AppConfiguration, readiness: Readiness, runner: JobRunner
) -> some ApplicationProtocol {
    var logger = Logger(label: "eksnet")
    logger.logLevel = configuration.logLevel
    let router = buildRouter(configuration, readiness: readiness, runner: runner)
    let serverLogger = logger
    return Application(
        router: router,
        server: http1(configuration, readiness: readiness),
        configuration: .init(
            address: .hostname(configuration.hostname, port: configuration.port), serverName: "eksnet",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
        services: [runner, JobExpiry(store: runner.store, interval: .seconds(10))],
        onServerRunning: { channel in
            readiness.markReady()
            logListening(serverLogger, listener: "api", channel: channel)
        },
        logger: logger
    )
}

/// HTTP/1.1 for both listeners: malformed framing answered as a problem, each request received within the request
/// timeout, idle connections closed.
func http1(_ configuration: AppConfiguration, readiness: Readiness) -> HTTPServerBuilder {
    let timeout = TimeAmount.nanoseconds(Int64(configuration.requestTimeout.components.seconds) * 1_000_000_000)
    return .http1(
        configuration: .init(
            additionalChannelHandlers: [
                HTTPFraming.ErrorHandler(),
                HTTP1Semantics.Installer(),
                RequestDeadline.Handler(timeout: timeout, isDraining: { readiness.current == .draining }),
            ],
            idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds))))
}

/// The line tests and operators read to learn a listener's address (port 0 picks a free one).
func logListening(_ logger: Logger, listener: String, channel: any Channel) {
    logger.info(
        "listening", metadata: ["listener": .string(listener), "address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
}

/// The probe listener: `/healthz`, `/readyz` and `/metrics` on a port of their own, with no connection limit
/// shared with the API, so that the kubelet and Prometheus get through however many clients hold the main port.
/// Given an event loop group of its own (`probeService`), no API handler ever runs on its threads either.
public func buildProbeApplication(
    _ configuration: AppConfiguration, port: Int, readiness: Readiness, runner: JobRunner,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
) -> some ApplicationProtocol {
    var logger = Logger(label: "eksnet.probes")
    logger.logLevel = configuration.logLevel
    let router = Router(context: EKSNetRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routes = RouteTable()
    router.middlewares.add(OptionsMiddleware(routes: routes))
    router.middlewares.add(ProblemMiddleware(routes: routes))
    router.middlewares.add(RequestBodyMiddleware(maxBytes: configuration.maxRequestBodyBytes, budget: .probes))
    router.addRoutes(HealthController(readiness: readiness).probeEndpoints)
    router.addRoutes(MetricsController(runner: runner, capacity: configuration.maxJobs).endpoints)
    routes.load(from: router)
    return Application(
        router: router,
        server: http1(configuration, readiness: readiness),
        configuration: .init(address: .hostname(configuration.hostname, port: port), serverName: "eksnet"),
        onServerRunning: { [logger] channel in logListening(logger, listener: "probes", channel: channel) },
        eventLoopGroupProvider: .shared(eventLoopGroup),
        logger: logger
    )
}

/// The probe listener on a thread of its own: its socket on a one-thread event loop group, and every task it
/// starts (accepting, reading, handling, answering) preferring that loop. With Swift concurrency on the API's
/// event loops, a probe otherwise waited behind whatever CPU-heavy handler held the loop (issue 28: probe p99
/// 6.9 s with 16 clients posting a body of misspelt instance types, against a 2 s kubelet timeout).
func probeService(
    _ configuration: AppConfiguration, port: Int, readiness: Readiness, runner: JobRunner
) -> some Service {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let application = buildProbeApplication(
        configuration, port: port, readiness: readiness, runner: runner, eventLoopGroup: group)
    return ExecutorBoundService(base: application, executor: EventLoopTaskExecutor(group.next()))
}

/// The router with every route and middleware, for in-process use.
func buildRouter(
    _ configuration: AppConfiguration, readiness: Readiness, runner: JobRunner
) -> Router<EKSNetRequestContext> {
    Telemetry.recordBuildInfo(version: EKSNetRelease.version, catalog: configuration.aws.catalog.version)
    let router = Router(context: EKSNetRequestContext.self, options: .autoGenerateHeadEndpoints)
    if configuration.concurrencyOnEventLoops {
        router.middlewares.add(EventLoopAffinityMiddleware())
    }
    router.middlewares.add(HTTPMetricsMiddleware())
    router.middlewares.add(RequestIDMiddleware())
    router.middlewares.add(TraceContextMiddleware())
    router.middlewares.add(AccessLogMiddleware())
    router.middlewares.add(CompressionMiddleware())
    if !configuration.corsOrigins.isEmpty {
        router.middlewares.add(AllowListedCORSMiddleware(origins: Set(configuration.corsOrigins)))
    }
    let routes = RouteTable()
    router.middlewares.add(OptionsMiddleware(routes: routes))
    router.middlewares.add(ProblemMiddleware(routes: routes))
    router.middlewares.add(
        RequestBodyMiddleware(
            maxBytes: configuration.maxRequestBodyBytes, budget: RequestBodyBudget(limit: configuration.maxBufferedBodyBytes)))
    router.addRoutes(HealthController(readiness: readiness).probeEndpoints)
    router.addRoutes(HealthController.documentEndpoints)
    // Metrics name callers and count their requests: with a probe listener they are served there alone (the
    // scrape's port, not the one clients reach); without one, on this port behind the same authentication as /v1.
    if configuration.probePort == nil {
        let metrics = router.group()
        if !configuration.bearerCredentials.isEmpty {
            metrics.add(middleware: BearerAuthMiddleware(credentials: configuration.bearerCredentials))
        }
        metrics.addRoutes(MetricsController(runner: runner, capacity: configuration.maxJobs).endpoints)
    }

    // Authentication belongs to the /v1 group: it runs for every route the router matched there, however the
    // path was spelled, and for nothing else.
    let v1 = router.group("v1")
    if !configuration.bearerCredentials.isEmpty {
        v1.add(middleware: BearerAuthMiddleware(credentials: configuration.bearerCredentials))
    }
    v1.add(
        middleware: HeavyRequestMiddleware(
            pool: InlineWorkPool(threads: configuration.inlineThreads, admissionLimit: configuration.inlineAdmissionLimit)))
    let wait = configuration.maxWaitSeconds
    v1.addRoutes(InstanceTypesController(catalog: configuration.aws.catalog).endpoints, atPath: "instance-types")
    v1.addRoutes(CapacityController(aws: configuration.aws).endpoints, atPath: "capacity")
    v1.addRoutes(SubnetTagsController().endpoints, atPath: "subnet-tags")
    v1.addRoutes(RulesController().endpoints, atPath: "rules")
    v1.addRoutes(LayoutsController(aws: configuration.aws).endpoints, atPath: "layouts")
    for kind in JobKind.allCases {
        let jobs = JobRoutes(runner: runner, kind: kind, maximumWait: wait, aws: configuration.aws, readiness: readiness)
        v1.addRoutes(kind.definition.endpoints(jobs: jobs, aws: configuration.aws), atPath: RouterPath(kind.collection))
    }
    routes.load(from: router)
    return router
}

/// Runs the server until SIGTERM or SIGINT: readiness turns 503, the drain delay passes, the listener closes,
/// in-flight requests finish, unfinished jobs are cancelled, and the function returns.
public func runServer(_ configuration: AppConfiguration) async throws {
    var logger = Logger(label: "eksnet")
    logger.logLevel = configuration.logLevel
    let readiness = Readiness()
    let store: any JobStore
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
    switch configuration.jobStore {
    case .memory:
        store = makeJobStore(configuration)
    case .postgres(let url):
        var jobLogger = Logger(label: "eksnet.jobs.postgres")
        jobLogger.logLevel = configuration.logLevel
        let settings = configuration.postgresJobStoreSettings
        let postgres = PostgresJobStore(url: url, settings: settings, readiness: readiness, logger: jobLogger)
        logger.info("job store: PostgreSQL", metadata: ["url": "\(url)", "replica": "\(settings.replica)"])
        // First in the group, so it stops last: the runner hands unfinished jobs back to it on the way out.
        services.append(.init(service: postgres))
        store = postgres
    }
    let runner = makeRunner(configuration, store: store)
    services.append(
        .init(
            service: ListenerService(
                base: buildApplication(configuration, readiness: readiness, runner: runner), listener: "the API listener",
                host: configuration.hostname, port: configuration.port, setting: ServerSettings.port.label)))
    if let probePort = configuration.probePort {
        services.append(
            .init(
                service: ListenerService(
                    base: probeService(configuration, port: probePort, readiness: readiness, runner: runner),
                    listener: "the probe listener", host: configuration.hostname, port: probePort,
                    setting: "\(ServerSettings.probePort.label), or turn it off with --probe-port off")))
    }
    services.append(.init(service: DrainService(readiness: readiness, delay: configuration.drainDelay, logger: logger)))
    var groupConfiguration = ServiceGroupConfiguration(
        services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
    groupConfiguration.maximumCancellationDuration = .seconds(2)
    try await ServiceGroup(configuration: groupConfiguration).run()
}
