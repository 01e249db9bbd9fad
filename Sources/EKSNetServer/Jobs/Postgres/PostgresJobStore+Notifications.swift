import Logging
import PostgresNIO

/// `Prefer: wait` across replicas: a job's end is a `NOTIFY` on one channel; this replica's waits, by job id, are
/// woken by it (or by this replica's own finish or delete).
extension PostgresJobStore {
    /// One connection listens for finished jobs and wakes this replica's waiters; it reconnects when it drops.
    func listenForFinishedJobs() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.notificationChannel) { notifications in
                        for try await notification in notifications { self.wake(notification.payload) }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                Telemetry.recordStoreError(operation: "listen")
                logger.warning("job notifications lost; reconnecting", metadata: ["reason": "\(Self.describe(error))"])
                // Waiters may have missed a wake-up meanwhile: let them look again.
                wakeEveryone()
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func register(id: String, token: Int, stream: AsyncStream<Void>.Continuation) {
        waiters.withLock { $0[id, default: [:]][token] = stream }
    }

    func unregister(id: String, token: Int) {
        waiters.withLock { waiters in
            waiters[id]?[token]?.finish()
            waiters[id]?[token] = nil
            if waiters[id]?.isEmpty == true { waiters[id] = nil }
        }
    }

    func wake(_ id: String) {
        let streams = waiters.withLock { $0[id].map { Array($0.values) } ?? [] }
        for stream in streams { stream.yield() }
    }

    func wakeEveryone() {
        let streams = waiters.withLock { $0.values.flatMap(\.values) }
        for stream in streams { stream.yield() }
    }
}
