import EKSNetCore
import Foundation

/// Why the store refused a submission, or could not answer.
public enum JobStoreError: Error, Equatable, Sendable {
    /// At capacity with unfinished or unexpired jobs; try again after this many seconds.
    case full(limit: Int, retryAfterSeconds: Int)
    /// At its byte bound (inputs, results, and room kept for the results of unfinished jobs).
    case fullBytes(limitBytes: Int, retryAfterSeconds: Int)
    /// This caller holds its share of the store (`jobs` of at most `limit`, or its share of the bytes).
    case callerShareExceeded(limit: Int, retryAfterSeconds: Int)
    /// This caller has `limit` jobs queued or running already: one more waits until one of them ends.
    case callerQueueFull(limit: Int, retryAfterSeconds: Int)
    /// The store cannot be reached (a database store): nothing was stored, read or deleted. Worth retrying.
    case unavailable(reason: String)
    /// The store refused what it was given (a value the database cannot hold): retrying the same is pointless.
    case rejected(reason: String)
    /// The idempotency key was used with a different body (by the same caller: keys are scoped per caller).
    case idempotencyConflict(existingJobId: String)
}

/// One page of jobs, newest first.
public struct JobPage: Sendable {
    public var jobs: [Job]
    public var nextCursor: String?
}

/// How a job's work ended.
public enum JobOutcome: Sendable {
    case succeeded(result: EncodedJSON, summary: String?)
    case failed(reason: String)
}

/// Where plan evaluations, audits and simulations live. It only stores: a `JobRunner` runs the work. The memory
/// store is the default; a database store can take its place without any route changing.
///
/// Every read and delete names the owner (`Caller.owner`): another caller's job is reported as absent, exactly as
/// one that never existed, so its id cannot be confirmed either. A read, listing, wait or delete the store cannot
/// answer (its database is away) throws `JobStoreError.unavailable`: "not found" is said only of what is known to
/// be absent.
public protocol JobStore: Sendable {
    /// Stores a new queued job; with an idempotency key this owner already used for this kind with the same
    /// fingerprint, returns that job instead (`created` false).
    func insert(
        kind: JobKind, owner: String, input: EncodedJSON, unknownFields: [UnknownField], idempotencyKey: String?,
        fingerprint: String
    ) async throws(JobStoreError) -> (job: Job, created: Bool)

    /// Marks a queued job running; false when it no longer exists (deleted while queued) or has ended.
    func markRunning(id: String) async throws(JobStoreError) -> Bool

    /// Records how a job ended; nothing when it was deleted (or ended) meanwhile. Throws `unavailable` when the
    /// outcome was not stored and may be tried again, `rejected` when the store cannot hold this outcome.
    func finish(id: String, outcome: JobOutcome) async throws(JobStoreError)

    func job(id: String, kind: JobKind, owner: String) async throws(JobStoreError) -> Job?

    /// The owner's jobs of a kind, newest first, optionally of one status.
    func list(kind: JobKind, owner: String, status: JobStatus?, limit: Int, cursor: String?) async throws(JobStoreError) -> JobPage

    /// Removes a job; false when the owner has no such job.
    func delete(id: String, kind: JobKind, owner: String) async throws(JobStoreError) -> Bool

    /// The job once finished, or as it stands when `timeout` runs out (or the task is cancelled). Woken when the
    /// job ends, never by polling.
    func wait(id: String, kind: JobKind, owner: String, timeout: Duration) async throws(JobStoreError) -> Job?

    /// The client has had the finished job's result (a `Prefer: wait` answer): it may expire sooner. Returns the
    /// job's expiry time afterwards (nil when it could not be told).
    func markDelivered(id: String) async -> Date?

    /// Drops expired jobs, and ends jobs left unfinished past the store's bound (the store's timer calls it;
    /// reads never return an expired job either way).
    func purgeExpired() async

    /// Jobs whose runner stopped renewing its lease (its replica died), now leased to this replica to run again;
    /// at most `limit`. A store that lives in one process has none.
    func claimAbandoned(limit: Int) async -> [Job]

    /// How often the runner renews the leases of the jobs it holds; nil for a store without leases.
    var leaseRenewalInterval: Duration? { get }

    /// Extends the leases of these jobs (the ones the runner still holds: queued in a lane, running, or having
    /// their outcome stored). A job no runner holds is left to lapse, so another replica takes it over.
    func renewLeases(ids: [String]) async throws(JobStoreError)

    /// This replica stops running the job at shutdown: a shared store leaves it for another replica, a store that
    /// lives in this process records it as failed.
    func handOff(id: String) async

    /// Jobs held now, by kind and status (for metrics).
    func counts() async -> [JobKind: [JobStatus: Int]]
}

extension JobStore {
    public var leaseRenewalInterval: Duration? { nil }
    public func renewLeases(ids: [String]) async throws(JobStoreError) {}
}
