import ServiceLifecycle

/// A service whose every task prefers one executor: the listener's accept loop, its connections' tasks (children
/// of its task group inherit the preference) and their handlers all run there.
struct ExecutorBoundService<Base: Service>: Service {
    let base: Base
    let executor: any TaskExecutor

    func run() async throws {
        try await withTaskExecutorPreference(executor) {
            try await base.run()
        }
    }
}
