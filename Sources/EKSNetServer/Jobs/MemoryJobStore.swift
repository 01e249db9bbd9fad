import Foundation

/// The in-memory job store: an actor, bounded by count and by the age of finished jobs.
///
/// When full it refuses new work with a retry time rather than evicting anything: a job a client is still
/// polling never disappears early, and the client learns at once that it must come back later (HTTP 503 with
/// `Retry-After`). Finished jobs expire `retention` after they finish; unfinished ones never expire.
public actor MemoryJobStore: JobStore {
    public let capacity: Int
    public let retention: Duration
    private var jobs: [String: Job] = [:]
    /// Idempotency keys by owner, kind and key: one caller's key never names another caller's job.
    private var idempotencyKeys: [IdempotencyScope: (fingerprint: String, jobId: String)] = [:]
    private var nextSequence = 0
    private let now: @Sendable () -> Date

    struct IdempotencyScope: Hashable {
        let owner: String
        let kind: JobKind
        let key: String
    }

    /// - Parameters:
    ///   - capacity: most jobs held at once (finished ones included until they expire).
    ///   - retention: how long a finished job stays.
    ///   - now: the clock (tests move it).
    public init(
        capacity: Int = 10_000, retention: Duration = .seconds(3600), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.capacity = max(1, capacity)
        self.retention = retention
        self.now = now
    }

    private var retentionSeconds: TimeInterval {
        Double(retention.components.seconds) + Double(retention.components.attoseconds) / 1e18
    }

    public func insert(
        kind: JobKind, owner: String, input: any Encodable & Sendable, idempotencyKey: String?, fingerprint: String
    ) throws(JobStoreError) -> (job: Job, created: Bool) {
        purgeExpired()
        let scope = idempotencyKey.map { IdempotencyScope(owner: owner, kind: kind, key: $0) }
        if let scope, let known = idempotencyKeys[scope] {
            if let existing = jobs[known.jobId] {
                guard known.fingerprint == fingerprint else { throw .idempotencyConflict(existingJobId: known.jobId) }
                return (existing, false)
            }
            idempotencyKeys[scope] = nil
        }
        guard jobs.count < capacity else {
            throw .full(limit: capacity, retryAfterSeconds: secondsUntilRoom())
        }
        let id = UUID().uuidString.lowercased()
        nextSequence += 1
        let job = Job(
            id: id, kind: kind, owner: owner, sequence: nextSequence, status: .queued, createdAt: now(), input: input)
        jobs[id] = job
        if let scope { idempotencyKeys[scope] = (fingerprint, id) }
        return (job, true)
    }

    public func markRunning(id: String) -> Bool {
        guard jobs[id] != nil else { return false }
        jobs[id]?.status = .running
        jobs[id]?.startedAt = now()
        return true
    }

    public func finish(id: String, outcome: JobOutcome) {
        // Deleted while running: nothing to record.
        guard jobs[id] != nil else { return }
        let finished = now()
        switch outcome {
        case .succeeded(let result, let summary):
            jobs[id]?.status = .succeeded
            jobs[id]?.result = result
            jobs[id]?.summary = summary
        case .failed(let reason):
            jobs[id]?.status = .failed
            jobs[id]?.failure = reason
        }
        jobs[id]?.finishedAt = finished
        jobs[id]?.expiresAt = finished.addingTimeInterval(retentionSeconds)
    }

    public func job(id: String, kind: JobKind, owner: String) -> Job? {
        purgeExpired()
        guard let job = jobs[id], job.kind == kind, job.owner == owner else { return nil }
        return job
    }

    public func list(kind: JobKind, owner: String, status: JobStatus?, limit: Int, cursor: String?) -> JobPage {
        purgeExpired()
        let before = cursor.flatMap { Int($0) } ?? Int.max
        let matching = jobs.values
            .filter {
                $0.kind == kind && $0.owner == owner && (status == nil || $0.status == status) && $0.sequence < before
            }
            .sorted { $0.sequence > $1.sequence }
        let page = Array(matching.prefix(max(1, limit)))
        let next = matching.count > page.count ? page.last.map { String($0.sequence) } : nil
        return JobPage(jobs: page, nextCursor: next)
    }

    public func delete(id: String, kind: JobKind, owner: String) -> Bool {
        guard let job = jobs[id], job.kind == kind, job.owner == owner else { return false }
        jobs[id] = nil
        idempotencyKeys = idempotencyKeys.filter { $0.value.jobId != id }
        return true
    }

    public func wait(id: String, kind: JobKind, owner: String, timeout: Duration) async -> Job? {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(1)
        while true {
            guard let current = job(id: id, kind: kind, owner: owner) else { return nil }
            if current.status.isFinished || ContinuousClock.now >= deadline { return current }
            do {
                try await Task.sleep(for: min(pause, deadline - ContinuousClock.now))
            } catch {
                return job(id: id, kind: kind, owner: owner)
            }
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    public func counts() -> [JobKind: [JobStatus: Int]] {
        purgeExpired()
        var result: [JobKind: [JobStatus: Int]] = [:]
        for job in jobs.values { result[job.kind, default: [:]][job.status, default: 0] += 1 }
        return result
    }

    private func purgeExpired() {
        let current = now()
        let expired = jobs.values.filter { ($0.expiresAt ?? .distantFuture) <= current }.map(\.id)
        guard !expired.isEmpty else { return }
        for id in expired { jobs[id] = nil }
        let gone = Set(expired)
        idempotencyKeys = idempotencyKeys.filter { !gone.contains($0.value.jobId) }
    }

    /// Seconds until the first finished job expires (at least 1; the retention period when nothing has finished).
    private func secondsUntilRoom() -> Int {
        let current = now()
        guard let soonest = jobs.values.compactMap(\.expiresAt).min() else {
            return max(1, Int(retentionSeconds.rounded(.up)))
        }
        return max(1, Int(soonest.timeIntervalSince(current).rounded(.up)))
    }
}
