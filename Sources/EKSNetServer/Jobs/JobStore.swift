/// Why the store refused a submission.
public enum JobStoreError: Error, Equatable, Sendable {
    /// At capacity with unfinished or unexpired jobs; try again after this many seconds.
    case full(limit: Int, retryAfterSeconds: Int)
    /// The idempotency key was used with a different body.
    case idempotencyConflict(existingJobId: String)
}

/// One page of jobs, newest first.
public struct JobPage: Sendable {
    public var jobs: [Job]
    public var nextCursor: String?
}

/// Where plan evaluations and simulations live. The memory store is the default; a database store can take its
/// place without any route changing.
public protocol JobStore: Sendable {
    /// Stores a new job and starts `work` on it; with an idempotency key already seen with the same fingerprint,
    /// returns that job instead (`created` false).
    func submit(
        kind: JobKind, input: any Encodable & Sendable, idempotencyKey: String?, fingerprint: Int,
        work: @escaping @Sendable () async throws -> (result: any Encodable & Sendable, summary: String?)
    ) async throws(JobStoreError) -> (job: Job, created: Bool)

    func job(id: String, kind: JobKind) async -> Job?

    /// Jobs of a kind, newest first, optionally of one status.
    func list(kind: JobKind, status: JobStatus?, limit: Int, cursor: String?) async -> JobPage

    /// Removes a job; false when there was none.
    func delete(id: String, kind: JobKind) async -> Bool

    /// The job once finished, or as it stands when `timeout` runs out (or the task is cancelled).
    func wait(id: String, kind: JobKind, timeout: Duration) async -> Job?

    /// Jobs held now, by kind and status (for metrics).
    func counts() async -> [JobKind: [JobStatus: Int]]
}
