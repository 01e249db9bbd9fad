import EKSNetCore
import Hummingbird
import Logging
import ServiceLifecycle

/// The request context every route sees.
public typealias EKSNetRequestContext = BasicRequestContext

/// Builds the HTTP application: router, middleware, routes. The executable and every test call this.
public func buildApplication(
    _ configuration: AppConfiguration, readiness: Readiness = Readiness(), jobStore: (any JobStore)? = nil
) -> some ApplicationProtocol {
    var logger = Logger(label: "eksnet")
    logger.logLevel = configuration.logLevel
    let store = jobStore ?? MemoryJobStore(capacity: configuration.maxJobs, retention: configuration.jobRetention)
    let router = buildRouter(configuration, readiness: readiness, jobStore: store)
    let serverLogger = logger
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
        configuration: .init(
            address: .hostname(configuration.hostname, port: configuration.port), serverName: "eksnet"),
        onServerRunning: { channel in
            readiness.markReady()
            serverLogger.info("listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger
    )
}

/// The router with every route and middleware, for in-process use.
public func buildRouter(
    _ configuration: AppConfiguration, readiness: Readiness, jobStore: any JobStore
) -> Router<EKSNetRequestContext> {
    _ = Telemetry.registry
    let router = Router(context: EKSNetRequestContext.self)
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(RequestIDMiddleware())
    router.middlewares.add(AccessLogMiddleware())
    router.middlewares.add(CompressionMiddleware())
    if !configuration.corsOrigins.isEmpty {
        router.middlewares.add(AllowListedCORSMiddleware(origins: Set(configuration.corsOrigins)))
    }
    router.middlewares.add(ProblemMiddleware(routes: RouteTable.all))
    router.middlewares.add(BearerAuthMiddleware(tokens: configuration.authTokens))
    let body = JSONBody(maxBytes: configuration.maxRequestBodyBytes)
    router.addRoutes(HealthController(readiness: readiness).endpoints)
    router.addRoutes(MetricsController(jobStore: jobStore, capacity: configuration.maxJobs).endpoints)
    router.addRoutes(InstanceTypesController().endpoints, atPath: "/v1/instance-types")
    router.addRoutes(CapacityController(body: body).endpoints, atPath: "/v1/capacity")
    let planJobs = JobRoutes(store: jobStore, kind: .plan, maximumWait: configuration.maxWaitSeconds)
    router.addRoutes(PlansController(body: body, jobs: planJobs).endpoints, atPath: "/v1/plans")
    router.addRoutes(SubnetTagsController(body: body).endpoints, atPath: "/v1/subnet-tags")
    router.addRoutes(LayoutsController(body: body).endpoints, atPath: "/v1/layouts")
    let auditJobs = JobRoutes(store: jobStore, kind: .audit, maximumWait: configuration.maxWaitSeconds)
    router.addRoutes(AuditsController(body: body, jobs: auditJobs).endpoints, atPath: "/v1/audits")
    let simulationJobs = JobRoutes(store: jobStore, kind: .simulation, maximumWait: configuration.maxWaitSeconds)
    router.addRoutes(SimulationsController(body: body, jobs: simulationJobs).endpoints, atPath: "/v1/simulations")
    return router
}

/// Runs the server until SIGTERM or SIGINT: readiness turns 503, the drain delay passes, the listener closes,
/// in-flight requests finish, and the function returns.
public func runServer(_ configuration: AppConfiguration) async throws {
    var logger = Logger(label: "eksnet")
    logger.logLevel = configuration.logLevel
    let readiness = Readiness()
    let app = buildApplication(configuration, readiness: readiness)
    var groupConfiguration = ServiceGroupConfiguration(
        services: [
            .init(service: app),
            .init(service: DrainService(readiness: readiness, delay: configuration.drainDelay, logger: logger)),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    )
    groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
    groupConfiguration.maximumCancellationDuration = .seconds(2)
    try await ServiceGroup(configuration: groupConfiguration).run()
}
