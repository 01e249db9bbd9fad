import ServiceLifecycle

/// Drops expired jobs on a timer, so their memory (or rows) is given back when they expire, not when a request
/// happens to look.
struct JobExpiry: Service {
    let store: any JobStore
    let interval: Duration

    func run() async throws {
        // Stops at shutdown: the sleep is cancelled with the service group's graceful shutdown.
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await store.purgeExpired()
        }
    }
}
