import Logging
import ServiceLifecycle

/// Turns readiness off on graceful shutdown and waits the drain delay before the HTTP server stops listening.
/// It runs after the application in the service group, so the group shuts it down first.
struct DrainService: Service {
    let readiness: Readiness
    let delay: Duration
    let logger: Logger

    func run() async throws {
        // Suspends until SIGTERM/SIGINT (graceful shutdown); cancellation ends it as well.
        try? await gracefulShutdown()
        readiness.markDraining()
        logger.info("draining: /readyz now answers 503", metadata: ["drain-delay": "\(delay)"])
        try? await Task.sleep(for: delay)
    }
}
