import EKSNetCore
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The job store in PostgreSQL, shared by every replica: any replica answers any job, jobs survive restarts and
/// rollouts, and a job whose replica dies is run again by another one once its lease runs out.
///
/// The replica that accepts a job holds its lease, and its runner renews it while the runner holds the job (queued
/// in a lane, running, or having its outcome stored); a replica whose lease lapsed loses the job to the first
/// replica that claims it (`FOR UPDATE SKIP LOCKED`). Jobs are pure functions of their input, so running one twice
/// is harmless; a job taken over `maxAttempts - 1` times is failed rather than run again, and a job still unfinished
/// `unfinishedLimit` after it was submitted is failed by the expiry sweep, so no job stays `queued` or `running`
/// (and counts against the store and its caller) for ever.
///
/// Text the database refuses (a NUL character in a summary or a failure reason) is kept exactly in a bytea column
/// beside the text one; inputs and results are bytea already. The bounds are kept in the database: jobs, bytes
/// (inputs, results and the room kept for unfinished jobs' results, charged to their callers), each caller's share,
/// and each caller's unfinished jobs. `Prefer: wait` is woken by `NOTIFY` when the job
/// ends, on whichever replica finished it. Reads by id use the primary key, listings the (owner, kind, seq) index,
/// expiry the expires_at index; expired rows are deleted in batches by whichever replica holds the cleanup lock.
public final class PostgresJobStore: JobStore, Service {
    public struct Settings: Sendable {
        public var capacity = 10_000
        public var callerShare = 0.5
        public var retention: Duration = .seconds(ServerSettings.jobRetention.default)
        public var deliveredRetention: Duration = .seconds(ServerSettings.deliveredJobRetention.default)
        /// How long a lease lasts without renewal; renewed every third of it.
        public var lease: Duration = .seconds(ServerSettings.jobLeaseSeconds.default)
        /// This replica's name in `lease_owner`.
        public var replica = "\(ProcessInfo.processInfo.hostName)-\(UUID().uuidString.prefix(8).lowercased())"
        /// Most bytes held over every replica: inputs, results, and `reservedResultBytes` for each unfinished
        /// simulation (a sixteenth of it for a plan or an audit).
        public var maxBytes = ServerSettings.maxJobStoreBytes.default.bytes
        public var reservedResultBytes = 1 << 20
        /// Most jobs one caller may have queued or running (nil: only its share bounds them).
        public var unfinishedPerCaller: Int?
        /// Most runs of one job (the first, and takeovers after replicas stopped): then it fails.
        public var maxAttempts = 3
        /// A job still queued or running this long after it was submitted is failed by the expiry sweep.
        public var unfinishedLimit: Duration = .seconds(3600)
        /// Worker threads of a replica, and the run time assumed before any job has been measured: what the
        /// `Retry-After` of a store held by unfinished work is computed from.
        public var workers = 1
        public var assumedRunSeconds = 5.0

        public init() {}
    }

    public let settings: Settings
    let client: PostgresClient
    let readiness: Readiness?
    let logger: Logger
    let now: @Sendable () -> Date
    /// This replica's waits, by job id: each is woken by a NOTIFY (or this replica's own finish or delete).
    let waiters = Mutex<[String: [Int: AsyncStream<Void>.Continuation]]>([:])
    let nextWaiter = Atomic<Int>(0)
    let connectionsInUse = Atomic<Int>(0)
    /// Reads of one job by id (lookups and waits' looks): what tells a notified wait from a polling one.
    let reads = Atomic<Int>(0)
    public var readsById: Int { reads.load(ordering: .relaxed) }
    let migrated = Mutex<[CheckedContinuation<Void, any Error>]?>([])
    var isMigrated: Bool { migrated.withLock { $0 == nil } }

    static let notificationChannel = "eksnet_job_finished"
    /// Advisory lock keys: migrations, and the expiry sweep.
    static let migrationLock: Int64 = 0x656B_736E_6574_0001
    static let cleanupLock: Int64 = 0x656B_736E_6574_0002

    public init(
        url: DatabaseURL, settings: Settings = Settings(), readiness: Readiness? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = PostgresClient(configuration: .init(eksnet: url), backgroundLogger: logger)
        self.settings = settings
        self.readiness = readiness
        self.logger = logger
        self.now = now
    }

    // MARK: - Running

    /// Runs the pool, applies the migrations, then listens for finished jobs and renews this replica's leases until
    /// shutdown.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask {
                await self.migrateUntilDone()
                await withTaskGroup(of: Void.self) { inner in
                    inner.addTask { await self.listenForFinishedJobs() }
                    inner.addTask { await self.watchTheDatabase() }
                }
            }
            // In the service group the store stops after the server and the job runner, which hand their jobs
            // back to it on the way out.
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// Waits until the schema is current (tests and the server's start).
    public func waitUntilMigrated() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let done = migrated.withLock { waiting -> Bool in
                guard waiting != nil else { return true }
                waiting?.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    func migrateUntilDone() async {
        readiness?.setDependencyProblem("applying the job store's schema migrations")
        var pause = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                try await use { try await JobStoreMigration.applyPending(on: self.client, lock: Self.migrationLock, logger: self.logger) }
                readiness?.setDependencyProblem(nil)
                let waiting = migrated.withLock { waiting in
                    defer { waiting = nil }
                    return waiting ?? []
                }
                for continuation in waiting { continuation.resume() }
                return
            } catch {
                Telemetry.recordStoreError(operation: "migrate")
                let reason = Self.describe(error)
                readiness?.setDependencyProblem("the database cannot be reached or migrated: \(reason)")
                logger.warning("job store migration failed; retrying", metadata: ["reason": "\(reason)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
            }
        }
    }

    /// Says whether the database answers (for `/readyz`), every third of a lease.
    func watchTheDatabase() async {
        while !Task.isCancelled {
            do {
                _ = try await use { [self] in try await client.query("SELECT 1", logger: logger) }
                readiness?.setDependencyProblem(nil)
            } catch {
                readiness?.setDependencyProblem("the database does not answer: \(Self.describe(error))")
            }
            try? await Task.sleep(for: settings.lease / 3)
        }
    }

    // MARK: - JobStore

    /// The bytes an unfinished job of `kind` keeps for its result, as SQL over the `kind` column.
    var reservedSQL: String {
        "(CASE WHEN status IN ('queued', 'running') THEN (CASE WHEN kind IN ('simulation', 'remediation') THEN "
            + "\(max(0, settings.reservedResultBytes)) ELSE \(max(0, settings.reservedResultBytes) / 16) END) ELSE 0 END)"
    }

    var share: Int { max(1, Int((Double(settings.capacity) * settings.callerShare).rounded(.down))) }
    var byteShare: Int { max(1, Int((Double(settings.maxBytes) * settings.callerShare).rounded(.down))) }

    public func insert(
        kind: JobKind, owner: String, input: EncodedJSON, unknownFields: [UnknownField], idempotencyKey: String?,
        fingerprint: String
    ) async throws(JobStoreError) -> (job: Job, created: Bool) {
        try await perform("insert") { [self] () async throws -> (job: Job, created: Bool) in
            let current = now()
            if let idempotencyKey, let existing = try await job(owner: owner, kind: kind, key: idempotencyKey, at: current) {
                guard existing.fingerprint == fingerprint else { throw JobStoreError.idempotencyConflict(existingJobId: existing.job.id) }
                return (existing.job, false)
            }
            let id = UUID()
            let unknown = String(decoding: try JSONWire.encoder.encode(unknownFields), as: UTF8.self)
            let reserved = kind.isSimulating ? settings.reservedResultBytes : settings.reservedResultBytes / 16
            let cost = input.storedByteCount + max(0, reserved)
            let unfinishedCap = settings.unfinishedPerCaller ?? Int(Int32.max)
            // One statement: stored only while the store and the caller are under their bounds (counted over
            // unexpired jobs; replicas racing at the bound may pass it by a few, never by many).
            let inserted = try await client.query(
                """
                WITH held AS (
                    SELECT count(*) AS jobs, count(*) FILTER (WHERE owner = \(owner)) AS mine,
                        count(*) FILTER (WHERE owner = \(owner) AND status IN ('queued', 'running')) AS mine_unfinished,
                        coalesce(sum(octet_length(input) + coalesce(octet_length(result), 0) + \(unescaped: reservedSQL)), 0) AS bytes,
                        coalesce(sum(octet_length(input) + coalesce(octet_length(result), 0) + \(unescaped: reservedSQL))
                            FILTER (WHERE owner = \(owner)), 0) AS my_bytes
                    FROM eksnet_jobs WHERE expires_at IS NULL OR expires_at > \(current))
                INSERT INTO eksnet_jobs (id, kind, owner, status, input, input_compressed, input_length, unknown_fields,
                    idempotency_key, fingerprint, created_at, lease_owner, lease_expires_at)
                SELECT \(id), \(kind.rawValue), \(owner), 'queued', \(ByteBuffer(bytes: input.storage)), \(input.isCompressed),
                    \(input.jsonByteCount), \(unknown), \(idempotencyKey), \(fingerprint), \(current), \(settings.replica), \(leaseEnd())
                FROM held
                WHERE held.jobs < \(settings.capacity) AND held.bytes + \(cost) <= \(settings.maxBytes)
                    AND held.mine < \(share) AND held.my_bytes + \(cost) <= \(byteShare)
                    AND held.mine_unfinished < \(unfinishedCap)
                ON CONFLICT (owner, kind, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING seq
                """, logger: logger)
            var sequence: Int64?
            for try await value in inserted.decode(Int64.self) { sequence = value }
            guard let sequence else {
                // Another replica stored the same key a moment ago, or a bound was reached: find out which.
                if let idempotencyKey, let existing = try await job(owner: owner, kind: kind, key: idempotencyKey, at: current) {
                    guard existing.fingerprint == fingerprint else { throw JobStoreError.idempotencyConflict(existingJobId: existing.job.id) }
                    return (existing.job, false)
                }
                throw try await refusal(owner: owner, cost: cost, at: current)
            }
            let job = Job(
                id: id.uuidString.lowercased(), kind: kind, owner: owner, sequence: sequence, status: .queued,
                createdAt: current, input: input, unknownFields: unknownFields)
            return (job, true)
        }
    }

    /// Which bound refused a job of `cost` bytes, and when to come back.
    func refusal(owner: String, cost: Int, at current: Date) async throws -> JobStoreError {
        let counted = try await client.query(
            """
            SELECT count(*), count(*) FILTER (WHERE owner = \(owner)),
                count(*) FILTER (WHERE owner = \(owner) AND status IN ('queued', 'running')),
                coalesce(sum(octet_length(input) + coalesce(octet_length(result), 0) + \(unescaped: reservedSQL)), 0)::bigint,
                coalesce(sum(octet_length(input) + coalesce(octet_length(result), 0) + \(unescaped: reservedSQL))
                    FILTER (WHERE owner = \(owner)), 0)::bigint
            FROM eksnet_jobs WHERE expires_at IS NULL OR expires_at > \(current)
            """, logger: logger)
        var held = (jobs: 0, mine: 0, unfinished: 0, bytes: Int64(0), myBytes: Int64(0))
        for try await row in counted.decode((Int, Int, Int, Int64, Int64).self) {
            held = (row.0, row.1, row.2, row.3, row.4)
        }
        if held.jobs >= settings.capacity {
            return .full(limit: settings.capacity, retryAfterSeconds: try await secondsUntilRoom(owner: nil, forBytes: false, at: current))
        }
        if held.bytes + Int64(cost) > Int64(settings.maxBytes) {
            return .fullBytes(limitBytes: settings.maxBytes, retryAfterSeconds: try await secondsUntilRoom(owner: nil, forBytes: true, at: current))
        }
        if let most = settings.unfinishedPerCaller, held.unfinished >= most {
            return .callerQueueFull(limit: most, retryAfterSeconds: try await secondsUntilRoom(owner: owner, forBytes: true, at: current))
        }
        let byCount = held.mine >= share
        return .callerShareExceeded(
            limit: share, retryAfterSeconds: try await secondsUntilRoom(owner: owner, forBytes: !byCount, at: current))
    }

    public func markRunning(id: String) async throws(JobStoreError) -> Bool {
        guard let uuid = UUID(uuidString: id) else { return false }
        return try await perform("markRunning") { [self] in
            let rows = try await client.query(
                """
                UPDATE eksnet_jobs SET status = 'running', started_at = \(now()), lease_owner = \(settings.replica),
                    lease_expires_at = \(leaseEnd())
                WHERE id = \(uuid) AND status IN ('queued', 'running') RETURNING id
                """, logger: logger)
            return try await rows.decode(UUID.self).reduce(false) { _, _ in true }
        }
    }

    /// Text as the database can hold it: the text with NUL replaced (what replicas of the previous schema read),
    /// and, when anything was replaced, the exact UTF-8 bytes.
    static func storable(_ text: String?) -> (text: String?, exact: ByteBuffer?) {
        guard let text, text.utf8.contains(0) else { return (text, nil) }
        return (text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"), ByteBuffer(string: text))
    }

    public func finish(id: String, outcome: JobOutcome) async throws(JobStoreError) {
        guard let uuid = UUID(uuidString: id) else { return }
        let finished = now()
        let expires = finished.addingTimeInterval(settings.retention.timeInterval)
        let status: String
        var result: EncodedJSON?
        var summary: String?
        var failure: String?
        switch outcome {
        case .succeeded(let value, let line):
            status = "succeeded"
            result = value
            summary = line
        case .failed(let reason):
            status = "failed"
            failure = reason
        }
        let finalResult = result
        let finalSummary = Self.storable(summary)
        let finalFailure = Self.storable(failure)
        try await perform("finish") { [self] in
            try await client.query(
                """
                WITH done AS (
                    UPDATE eksnet_jobs SET status = \(status), result = \(finalResult.map { ByteBuffer(bytes: $0.storage) }),
                        result_compressed = \(finalResult?.isCompressed), result_length = \(finalResult?.jsonByteCount),
                        summary = \(finalSummary.text), summary_bytes = \(finalSummary.exact),
                        failure = \(finalFailure.text), failure_bytes = \(finalFailure.exact),
                        finished_at = \(finished), expires_at = \(expires), lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = \(uuid) AND status IN ('queued', 'running') RETURNING id)
                SELECT pg_notify(\(Self.notificationChannel), id::text) FROM done
                """, logger: logger)
        }
        wake(id)
    }

    public func markDelivered(id: String) async -> Date? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        let sooner = now().addingTimeInterval(settings.deliveredRetention.timeInterval)
        return try? await perform("markDelivered") { [self] in
            let rows = try await client.query(
                """
                UPDATE eksnet_jobs SET expires_at = LEAST(expires_at, \(sooner))
                WHERE id = \(uuid) AND status IN ('succeeded', 'failed') RETURNING expires_at
                """, logger: logger)
            var expiry: Date?
            for try await value in rows.decode(Date.self) { expiry = value }
            return expiry
        }
    }

    public func job(id: String, kind: JobKind, owner: String) async throws(JobStoreError) -> Job? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        reads.add(1, ordering: .relaxed)
        return try await perform("get") { [self] in
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM eksnet_jobs
                WHERE id = \(uuid) AND kind = \(kind.rawValue) AND owner = \(owner)
                    AND (expires_at IS NULL OR expires_at > \(now()))
                """, logger: logger)
            return try await Self.jobs(rows).first
        }
    }

    public func list(kind: JobKind, owner: String, status: JobStatus?, limit: Int, cursor: String?) async throws(JobStoreError) -> JobPage {
        let before = cursor.flatMap { Int64($0) } ?? Int64.max
        let wanted = max(1, limit)
        return try await perform("list") { [self] in
            let rows: PostgresRowSequence
            if let status {
                rows = try await client.query(
                    """
                    SELECT \(unescaped: Self.listingColumns) FROM eksnet_jobs
                    WHERE owner = \(owner) AND kind = \(kind.rawValue) AND seq < \(before) AND status = \(status.rawValue)
                        AND (expires_at IS NULL OR expires_at > \(now()))
                    ORDER BY seq DESC LIMIT \(wanted + 1)
                    """, logger: logger)
            } else {
                rows = try await client.query(
                    """
                    SELECT \(unescaped: Self.listingColumns) FROM eksnet_jobs
                    WHERE owner = \(owner) AND kind = \(kind.rawValue) AND seq < \(before)
                        AND (expires_at IS NULL OR expires_at > \(now()))
                    ORDER BY seq DESC LIMIT \(wanted + 1)
                    """, logger: logger)
            }
            var jobs = try await Self.jobs(rows)
            let more = jobs.count > wanted
            if more { jobs.removeLast() }
            return JobPage(jobs: jobs, nextCursor: more ? jobs.last.map { String($0.sequence) } : nil)
        }
    }

    public func delete(id: String, kind: JobKind, owner: String) async throws(JobStoreError) -> Bool {
        guard let uuid = UUID(uuidString: id) else { return false }
        let deleted = try await perform("delete") { [self] in
            let rows = try await client.query(
                """
                WITH gone AS (
                    DELETE FROM eksnet_jobs WHERE id = \(uuid) AND kind = \(kind.rawValue) AND owner = \(owner)
                        AND (expires_at IS NULL OR expires_at > \(now()))
                    RETURNING id)
                SELECT pg_notify(\(Self.notificationChannel), id::text) FROM gone
                """, logger: logger)
            var any = false
            for try await _ in rows { any = true }
            return any
        }
        if deleted { wake(id) }
        return deleted
    }

    public func wait(id: String, kind: JobKind, owner: String, timeout: Duration) async throws(JobStoreError) -> Job? {
        let token = nextWaiter.add(1, ordering: .relaxed).newValue
        let deadline = ContinuousClock.now + timeout
        while true {
            // Registered before looking, so a NOTIFY between the look and the sleep still wakes this wait.
            let woken = AsyncStream<Void>.makeStream()
            register(id: id, token: token, stream: woken.continuation)
            let found: Job?
            do {
                found = try await job(id: id, kind: kind, owner: owner)
            } catch {
                unregister(id: id, token: token)
                throw error
            }
            guard let current = found else {
                unregister(id: id, token: token)
                return nil
            }
            if current.status.isFinished || ContinuousClock.now >= deadline || Task.isCancelled {
                unregister(id: id, token: token)
                return current
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in woken.stream { return } }
                group.addTask { try? await Task.sleep(until: deadline) }
                await group.next()
                group.cancelAll()
            }
            unregister(id: id, token: token)
        }
    }

    public func purgeExpired() async {
        let current = now()
        let cutoff = current.addingTimeInterval(-settings.unfinishedLimit.timeInterval)
        let expires = current.addingTimeInterval(settings.retention.timeInterval)
        let reason = "it was still unfinished \(JobRunner.seconds(settings.unfinishedLimit)) s after it was submitted "
            + "(its replicas could not run it or store its outcome), and was stopped; submit it again"
        var reaped: [String] = []
        do {
            reaped = try await perform("purge") { [self] in
                try await client.withTransaction(logger: logger) { connection in
                    let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.cleanupLock))", logger: logger)
                    var holds = false
                    for try await value in locked.decode(Bool.self) { holds = value }
                    guard holds else { return [] }
                    // Jobs left unfinished past the bound end as failed, and expire as finished jobs do.
                    var ended: [String] = []
                    let rows = try await connection.query(
                        """
                        WITH reaped AS (
                            UPDATE eksnet_jobs SET status = 'failed', failure = \(reason), failure_bytes = NULL,
                                finished_at = \(current), expires_at = \(expires), lease_owner = NULL, lease_expires_at = NULL
                            WHERE id IN (
                                SELECT id FROM eksnet_jobs WHERE status IN ('queued', 'running') AND created_at < \(cutoff)
                                ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED)
                            RETURNING id)
                        SELECT id, pg_notify(\(Self.notificationChannel), id::text) FROM reaped
                        """, logger: logger)
                    for try await row in rows {
                        ended.append(try row.makeRandomAccess()[0].decode(UUID.self).uuidString.lowercased())
                    }
                    // In batches, so one sweep never holds many row locks or runs long.
                    for _ in 0..<100 {
                        let gone = try await connection.query(
                            """
                            DELETE FROM eksnet_jobs WHERE id IN (
                                SELECT id FROM eksnet_jobs WHERE expires_at <= \(current) ORDER BY expires_at LIMIT 500)
                            RETURNING id
                            """, logger: logger)
                        var count = 0
                        for try await _ in gone { count += 1 }
                        if count < 500 { break }
                    }
                    return ended
                }
            }
        } catch {
            return
        }
        if !reaped.isEmpty { logger.warning("failed jobs left unfinished past the bound", metadata: ["jobs": "\(reaped.count)"]) }
        for id in reaped { wake(id) }
    }

    public func claimAbandoned(limit: Int) async -> [Job] {
        // Before the schema is there, there is nothing to claim (and nothing to log about).
        guard isMigrated else { return [] }
        let current = now()
        let expires = current.addingTimeInterval(settings.retention.timeInterval)
        let attempts = max(1, settings.maxAttempts)
        let reason = "abandoned: it was run \(attempts) times and each time its replica stopped (or lost the database) "
            + "before it finished; it is not run again"
        return (try? await perform("claim") { [self] in
            // Jobs out of attempts end as failed instead of being run once more.
            let exhausted = try await client.query(
                """
                WITH exhausted AS (
                    UPDATE eksnet_jobs SET status = 'failed', failure = \(reason), failure_bytes = NULL,
                        finished_at = \(current), expires_at = \(expires), lease_owner = NULL, lease_expires_at = NULL
                    WHERE id IN (
                        SELECT id FROM eksnet_jobs
                        WHERE status IN ('queued', 'running') AND lease_expires_at < \(current) AND attempts + 1 >= \(attempts)
                        ORDER BY seq LIMIT 100 FOR UPDATE SKIP LOCKED)
                    RETURNING id)
                SELECT id, pg_notify(\(Self.notificationChannel), id::text) FROM exhausted
                """, logger: logger)
            for try await row in exhausted {
                let id = try row.makeRandomAccess()[0].decode(UUID.self).uuidString.lowercased()
                logger.warning("failed a job out of attempts", metadata: ["job": "\(id)", "attempts": "\(attempts)"])
                wake(id)
            }
            let rows = try await client.query(
                """
                UPDATE eksnet_jobs SET lease_owner = \(settings.replica), lease_expires_at = \(leaseEnd()),
                    attempts = attempts + 1, status = 'queued', started_at = NULL
                WHERE id IN (
                    SELECT id FROM eksnet_jobs
                    WHERE status IN ('queued', 'running') AND lease_expires_at < \(current) AND attempts + 1 < \(attempts)
                    ORDER BY seq LIMIT \(max(1, limit)) FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            return try await Self.jobs(rows)
        }) ?? []
    }

    public var leaseRenewalInterval: Duration? { settings.lease / 3 }

    public func renewLeases(ids: [String]) async throws(JobStoreError) {
        let uuids = ids.compactMap { UUID(uuidString: $0) }
        guard !uuids.isEmpty else { return }
        try await perform("renew") { [self] in
            try await client.query(
                """
                UPDATE eksnet_jobs SET lease_expires_at = \(leaseEnd())
                WHERE id = ANY(\(uuids)) AND lease_owner = \(settings.replica) AND status IN ('queued', 'running')
                """, logger: logger)
        }
    }

    public func handOff(id: String) async {
        guard let uuid = UUID(uuidString: id) else { return }
        // Another replica may take it at once: the lease is given up, not left to run out.
        _ = try? await perform("handOff") { [self] in
            try await client.query(
                """
                UPDATE eksnet_jobs SET status = 'queued', started_at = NULL, lease_expires_at = \(now())
                WHERE id = \(uuid) AND lease_owner = \(settings.replica) AND status IN ('queued', 'running')
                """, logger: logger)
        }
    }

    public func counts() async -> [JobKind: [JobStatus: Int]] {
        (try? await perform("counts") { [self] in
            let rows = try await client.query(
                """
                SELECT kind, status, count(*) FROM eksnet_jobs WHERE expires_at IS NULL OR expires_at > \(now())
                GROUP BY kind, status
                """, logger: logger)
            var result: [JobKind: [JobStatus: Int]] = [:]
            for try await (kind, status, count) in rows.decode((String, String, Int).self) {
                guard let kind = JobKind(rawValue: kind), let status = JobStatus(rawValue: status) else { continue }
                result[kind, default: [:]][status] = count
            }
            return result
        }) ?? [:]
    }

    // MARK: - Plumbing

    func leaseEnd() -> Date { now().addingTimeInterval(settings.lease.timeInterval) }

    /// How long one store operation may take: the pool waits for a connection as long as the database is away, and
    /// a request must get its 503 instead of hanging.
    static let operationTimeout: Duration = .seconds(5)

    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "no answer from the database within \(PostgresJobStore.operationTimeout)" }
    }

    /// Runs `body` within the operation timeout, counting the pool's connections in use meanwhile.
    ///
    /// The answer comes at the timeout even when `body` does not stop on cancellation (a query waiting for a
    /// connection to a database that went away did not): a task group would wait for it before returning, so the
    /// body runs in a task of its own, is cancelled, and is left to end by itself.
    func use<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        Telemetry.setDatabaseConnectionsInUse(connectionsInUse.add(1, ordering: .relaxed).newValue)
        defer { Telemetry.setDatabaseConnectionsInUse(connectionsInUse.subtract(1, ordering: .relaxed).newValue) }
        let work = Task { try await body() }
        let answer = FirstAnswer<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                answer.waiting.withLock { $0 = continuation }
                let timer = Task {
                    try await Task.sleep(for: Self.operationTimeout)
                    work.cancel()
                    answer.give(.failure(TimedOut()))
                }
                Task {
                    let result = await work.result
                    timer.cancel()
                    answer.give(result)
                }
            }
        } onCancel: {
            work.cancel()
        }
    }

    /// The continuation of `use`, resumed by whichever of the work and the timer ends first.
    final class FirstAnswer<T: Sendable>: Sendable {
        let waiting = Mutex<CheckedContinuation<T, any Error>?>(nil)

        func give(_ result: Result<T, any Error>) {
            waiting.withLock { $0.take() }?.resume(with: result)
        }
    }

    /// Runs a store operation; on failure counts it, logs it (never the URL's password: the client has it, the
    /// errors do not) and throws: `rejected` for a value the database refuses (a data exception, or past a
    /// limit), `unavailable` for anything else (no connection, no answer in time). A `JobStoreError` thrown by
    /// `body` is passed on as it is.
    func perform<T: Sendable>(_ operation: String, _ body: @escaping @Sendable () async throws -> T) async throws(JobStoreError) -> T {
        do {
            return try await use(body)
        } catch let error as JobStoreError {
            throw error
        } catch {
            Telemetry.recordStoreError(operation: operation)
            let reason = Self.describe(error)
            logger.error("job store operation failed", metadata: ["operation": "\(operation)", "reason": "\(reason)"])
            if Self.isRejection(error) { throw .rejected(reason: reason) }
            throw .unavailable(reason: "the database did not answer (\(reason))")
        }
    }

    /// Whether the server refused the values themselves (SQLSTATE class 22, data exception, or 54, a limit
    /// exceeded), which asking again cannot change.
    static func isRejection(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("22") || state.hasPrefix("54")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }

}
