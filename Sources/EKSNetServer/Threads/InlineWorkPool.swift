import Hummingbird
import Synchronization

/// Threads of their own for requests whose cost grows with their input (large bodies to read, decode, validate
/// and encode; pictures to draw), with a bound on how many may be admitted at once. Past the bound a request is
/// answered 503 with `Retry-After` before anything of it is read: a flood of heavy requests costs the server a
/// short refusal each, and neither the event loops (small requests) nor the probe listener (its own thread) wait
/// behind it.
final class InlineWorkPool: Sendable {
    /// Requests running or waiting for a thread at once.
    let admissionLimit: Int
    let threadCount: Int
    /// Started on the first heavy request: most applications (tests among them) never need them.
    private let threads = Mutex<WorkerThreads?>(nil)
    private let admitted = Mutex(0)

    init(threads count: Int, admissionLimit: Int) {
        self.threadCount = max(1, count)
        self.admissionLimit = max(1, admissionLimit)
    }

    private var executor: WorkerThreads {
        threads.withLock { threads in
            if let threads { return threads }
            let started = WorkerThreads(count: threadCount, name: "inline")
            threads = started
            return started
        }
    }

    /// Threads for a machine: one fewer than the cores, at least one (the event loops keep the rest).
    static func threads(forCores cores: Int) -> Int { max(1, cores - 1) }

    /// Requests admitted now (running or queued).
    var inFlight: Int { admitted.withLock { $0 } }

    /// Runs `work` on the pool's threads, or refuses at once when the pool is full.
    func run<T>(_ work: () async throws -> T) async throws -> T {
        let admittedNow = admitted.withLock { count -> Bool in
            guard count < admissionLimit else { return false }
            count += 1
            return true
        }
        guard admittedNow else { throw Self.busy(limit: admissionLimit) }
        defer { admitted.withLock { $0 -= 1 } }
        return try await withTaskExecutorPreference(executor) { try await work() }
    }

    static func busy(limit: Int) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        return Problem(
            type: "urn:eksnet:problem:busy", title: "Busy", status: .serviceUnavailable,
            detail: "The server is working on \(limit) large requests already; retry in a second.", headers: headers)
    }
}
