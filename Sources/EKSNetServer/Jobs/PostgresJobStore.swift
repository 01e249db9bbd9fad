import EKSNetCore
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The job store in PostgreSQL, shared by every replica: any replica answers any job, jobs survive restarts and
/// rollouts, and a job whose replica dies is run again by another one once its lease runs out.
///
/// The replica that accepts a job holds its lease and renews it while the job is queued or running; a replica
/// whose lease lapsed loses the job to the first replica that claims it (`FOR UPDATE SKIP LOCKED`). Jobs are pure
/// functions of their input, so running one twice is harmless. `Prefer: wait` is woken by `NOTIFY` when the job
/// ends, on whichever replica finished it. Reads by id use the primary key, listings the (owner, kind, seq) index,
/// expiry the expires_at index; expired rows are deleted in batches by whichever replica holds the cleanup lock.
public final class PostgresJobStore: JobStore, Service {
    public struct Settings: Sendable {
        public var capacity = 10_000
        public var callerShare = 0.5
        public var retention: Duration = .seconds(3600)
        public var deliveredRetention: Duration = .seconds(300)
        /// How long a lease lasts without renewal; renewed every third of it.
        public var lease: Duration = .seconds(30)
        /// This replica's name in `lease_owner`.
        public var replica = "\(ProcessInfo.processInfo.hostName)-\(UUID().uuidString.prefix(8).lowercased())"

        public init() {}
    }

    public let settings: Settings
    let client: PostgresClient
    private let readiness: Readiness?
    private let logger: Logger
    private let now: @Sendable () -> Date
    /// This replica's waits, by job id: each is woken by a NOTIFY (or this replica's own finish or delete).
    private let waiters = Mutex<[String: [Int: AsyncStream<Void>.Continuation]]>([:])
    private let nextWaiter = Atomic<Int>(0)
    private let connectionsInUse = Atomic<Int>(0)
    private let migrated = Mutex<[CheckedContinuation<Void, any Error>]?>([])
    private var isMigrated: Bool { migrated.withLock { $0 == nil } }

    static let notificationChannel = "eksnet_job_finished"
    /// Advisory lock keys: migrations, and the expiry sweep.
    static let migrationLock: Int64 = 0x656B_736E_6574_0001
    static let cleanupLock: Int64 = 0x656B_736E_6574_0002

    public init(
        url: DatabaseURL, settings: Settings = Settings(), readiness: Readiness? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        var configuration: PostgresClient.Configuration
        switch url.tls {
        case .disable:
            configuration = .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable)
        case .prefer, .require:
            // As libpq: encrypted, the certificate not checked (verify-full checks it).
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            configuration = .init(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: url.tls == .prefer ? .prefer(tls) : .require(tls))
        case .verifyFull:
            configuration = .init(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: .require(.makeClientConfiguration()))
        }
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", "eksnet")]
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
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
                    inner.addTask { await self.renewLeases() }
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

    private func migrateUntilDone() async {
        readiness?.setDependencyProblem("applying the job store's schema migrations")
        var pause = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                try await use { try await self.migrate() }
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

    /// The schema, one version at a time, applied by one replica at a time under an advisory lock (replicas that
    /// start together wait for each other and then find nothing left to do).
    static let migrations: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE eksnet_jobs (
                id uuid PRIMARY KEY,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                kind text NOT NULL,
                owner text NOT NULL,
                status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
                input bytea NOT NULL,
                input_compressed boolean NOT NULL,
                input_length integer NOT NULL,
                unknown_fields text NOT NULL DEFAULT '[]',
                result bytea,
                result_compressed boolean,
                result_length integer,
                summary text,
                failure text,
                idempotency_key text,
                fingerprint text NOT NULL,
                created_at timestamptz NOT NULL,
                started_at timestamptz,
                finished_at timestamptz,
                expires_at timestamptz,
                lease_owner text,
                lease_expires_at timestamptz,
                attempts integer NOT NULL DEFAULT 0
            )
            """,
            "CREATE UNIQUE INDEX eksnet_jobs_idempotency ON eksnet_jobs (owner, kind, idempotency_key) WHERE idempotency_key IS NOT NULL",
            "CREATE INDEX eksnet_jobs_listing ON eksnet_jobs (owner, kind, seq DESC)",
            "CREATE INDEX eksnet_jobs_expiry ON eksnet_jobs (expires_at) WHERE expires_at IS NOT NULL",
            "CREATE INDEX eksnet_jobs_leases ON eksnet_jobs (lease_expires_at) WHERE status IN ('queued', 'running')",
        ]),
    ]

    func migrate() async throws {
        try await client.withConnection { connection in
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS eksnet_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
            try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: logger)
            do {
                var applied: Set<Int> = []
                for try await version in try await connection.query("SELECT version FROM eksnet_schema_migrations", logger: logger)
                    .decode(Int.self)
                {
                    applied.insert(version)
                }
                for migration in Self.migrations where !applied.contains(migration.version) {
                    try await connection.withTransaction(logger: logger) { transaction in
                        for statement in migration.statements {
                            try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await transaction.query(
                            "INSERT INTO eksnet_schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                    }
                    logger.info("job store schema migrated", metadata: ["version": "\(migration.version)"])
                }
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
        }
    }

    /// One connection listens for finished jobs and wakes this replica's waiters; it reconnects when it drops.
    private func listenForFinishedJobs() async {
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

    /// Renews the leases of the jobs this replica runs, and says whether the database answers.
    private func renewLeases() async {
        while !Task.isCancelled {
            do {
                _ = try await use { [self] in
                    try await client.query(
                        """
                        UPDATE eksnet_jobs SET lease_expires_at = \(leaseEnd())
                        WHERE lease_owner = \(settings.replica) AND status IN ('queued', 'running')
                        """, logger: logger)
                }
                readiness?.setDependencyProblem(nil)
            } catch {
                readiness?.setDependencyProblem("the database does not answer: \(Self.describe(error))")
            }
            try? await Task.sleep(for: settings.lease / 3)
        }
    }

    // MARK: - JobStore

    public func insert(
        kind: JobKind, owner: String, input: EncodedJSON, unknownFields: [UnknownField], idempotencyKey: String?,
        fingerprint: String
    ) async throws(JobStoreError) -> (job: Job, created: Bool) {
        do {
            return try await use { [self] () async throws -> (job: Job, created: Bool) in
                let current = now()
                if let idempotencyKey, let existing = try await job(owner: owner, kind: kind, key: idempotencyKey, at: current) {
                    guard existing.fingerprint == fingerprint else { throw JobStoreError.idempotencyConflict(existingJobId: existing.job.id) }
                    return (existing.job, false)
                }
                let share = max(1, Int((Double(settings.capacity) * settings.callerShare).rounded(.down)))
                let id = UUID()
                let unknown = String(decoding: try JSONWire.encoder.encode(unknownFields), as: UTF8.self)
                // One statement: stored only while the store and the caller are under their bounds (counted over
                // unexpired jobs; replicas racing at the bound may pass it by a few, never by many).
                let inserted = try await client.query(
                    """
                    INSERT INTO eksnet_jobs (id, kind, owner, status, input, input_compressed, input_length, unknown_fields,
                        idempotency_key, fingerprint, created_at, lease_owner, lease_expires_at)
                    SELECT \(id), \(kind.rawValue), \(owner), 'queued', \(ByteBuffer(bytes: input.storage)), \(input.isCompressed),
                        \(input.jsonByteCount), \(unknown), \(idempotencyKey), \(fingerprint), \(current), \(settings.replica), \(leaseEnd())
                    WHERE (SELECT count(*) FROM eksnet_jobs WHERE expires_at IS NULL OR expires_at > \(current)) < \(settings.capacity)
                        AND (SELECT count(*) FROM eksnet_jobs WHERE owner = \(owner)
                            AND (expires_at IS NULL OR expires_at > \(current))) < \(share)
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
                    let counted = try await client.query(
                        """
                        SELECT count(*), count(*) FILTER (WHERE owner = \(owner)) FROM eksnet_jobs
                        WHERE expires_at IS NULL OR expires_at > \(current)
                        """, logger: logger)
                    var total = 0
                    for try await (all, _) in counted.decode((Int, Int).self) { total = all }
                    if total >= settings.capacity {
                        throw JobStoreError.full(limit: settings.capacity, retryAfterSeconds: try await secondsUntilRoom(owner: nil, at: current))
                    }
                    throw JobStoreError.callerShareExceeded(limit: share, retryAfterSeconds: try await secondsUntilRoom(owner: owner, at: current))
                }
                let job = Job(
                    id: id.uuidString.lowercased(), kind: kind, owner: owner, sequence: sequence, status: .queued,
                    createdAt: current, input: input, unknownFields: unknownFields)
                return (job, true)
            }
        } catch let error as JobStoreError {
            throw error
        } catch {
            Telemetry.recordStoreError(operation: "insert")
            throw .unavailable(reason: "the database did not take the job (\(Self.describe(error)))")
        }
    }

    public func markRunning(id: String) async -> Bool {
        guard let uuid = UUID(uuidString: id) else { return false }
        return await attempt("markRunning", default: false) { [self] in
            let rows = try await client.query(
                """
                UPDATE eksnet_jobs SET status = 'running', started_at = \(now()), lease_owner = \(settings.replica),
                    lease_expires_at = \(leaseEnd())
                WHERE id = \(uuid) AND status IN ('queued', 'running') RETURNING id
                """, logger: logger)
            return try await rows.decode(UUID.self).reduce(false) { _, _ in true }
        }
    }

    public func finish(id: String, outcome: JobOutcome) async {
        guard let uuid = UUID(uuidString: id) else { return }
        let finished = now()
        let expires = finished.addingTimeInterval(MemoryJobStore.seconds(settings.retention))
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
        let (finalResult, finalSummary, finalFailure) = (result, summary, failure)
        await attempt("finish", default: ()) { [self] in
            try await client.query(
                """
                WITH done AS (
                    UPDATE eksnet_jobs SET status = \(status), result = \(finalResult.map { ByteBuffer(bytes: $0.storage) }),
                        result_compressed = \(finalResult?.isCompressed), result_length = \(finalResult?.jsonByteCount),
                        summary = \(finalSummary), failure = \(finalFailure), finished_at = \(finished), expires_at = \(expires),
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = \(uuid) AND status IN ('queued', 'running') RETURNING id)
                SELECT pg_notify(\(Self.notificationChannel), id::text) FROM done
                """, logger: logger)
        }
        wake(id)
    }

    public func markDelivered(id: String) async -> Date? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        let sooner = now().addingTimeInterval(MemoryJobStore.seconds(settings.deliveredRetention))
        return await attempt("markDelivered", default: nil) { [self] in
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

    public func job(id: String, kind: JobKind, owner: String) async -> Job? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return await attempt("get", default: nil) { [self] in
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM eksnet_jobs
                WHERE id = \(uuid) AND kind = \(kind.rawValue) AND owner = \(owner)
                    AND (expires_at IS NULL OR expires_at > \(now()))
                """, logger: logger)
            return try await Self.jobs(rows).first
        }
    }

    public func list(kind: JobKind, owner: String, status: JobStatus?, limit: Int, cursor: String?) async -> JobPage {
        let before = cursor.flatMap { Int64($0) } ?? Int64.max
        let wanted = max(1, limit)
        return await attempt("list", default: JobPage(jobs: [], nextCursor: nil)) { [self] in
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

    public func delete(id: String, kind: JobKind, owner: String) async -> Bool {
        guard let uuid = UUID(uuidString: id) else { return false }
        let deleted = await attempt("delete", default: false) { [self] in
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

    public func wait(id: String, kind: JobKind, owner: String, timeout: Duration) async -> Job? {
        let token = nextWaiter.add(1, ordering: .relaxed).newValue
        let deadline = ContinuousClock.now + timeout
        while true {
            // Registered before looking, so a NOTIFY between the look and the sleep still wakes this wait.
            let woken = AsyncStream<Void>.makeStream()
            register(id: id, token: token, stream: woken.continuation)
            guard let current = await job(id: id, kind: kind, owner: owner) else {
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
        await attempt("purge", default: ()) { [self] in
            try await client.withTransaction(logger: logger) { connection in
                let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.cleanupLock))", logger: logger)
                var holds = false
                for try await value in locked.decode(Bool.self) { holds = value }
                guard holds else { return }
                // In batches, so one sweep never holds many row locks or runs long.
                for _ in 0..<100 {
                    let gone = try await connection.query(
                        """
                        DELETE FROM eksnet_jobs WHERE id IN (
                            SELECT id FROM eksnet_jobs WHERE expires_at <= \(now()) ORDER BY expires_at LIMIT 500)
                        RETURNING id
                        """, logger: logger)
                    var count = 0
                    for try await _ in gone { count += 1 }
                    if count < 500 { break }
                }
            }
        }
    }

    public func claimAbandoned(limit: Int) async -> [Job] {
        // Before the schema is there, there is nothing to claim (and nothing to log about).
        guard isMigrated else { return [] }
        return await attempt("claim", default: []) { [self] in
            let rows = try await client.query(
                """
                UPDATE eksnet_jobs SET lease_owner = \(settings.replica), lease_expires_at = \(leaseEnd()),
                    attempts = attempts + 1, status = 'queued', started_at = NULL
                WHERE id IN (
                    SELECT id FROM eksnet_jobs
                    WHERE status IN ('queued', 'running') AND lease_expires_at < \(now())
                    ORDER BY seq LIMIT \(max(1, limit)) FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            return try await Self.jobs(rows)
        }
    }

    public func handOff(id: String) async {
        guard let uuid = UUID(uuidString: id) else { return }
        // Another replica may take it at once: the lease is given up, not left to run out.
        await attempt("handOff", default: ()) { [self] in
            try await client.query(
                """
                UPDATE eksnet_jobs SET status = 'queued', started_at = NULL, lease_expires_at = \(now())
                WHERE id = \(uuid) AND lease_owner = \(settings.replica) AND status IN ('queued', 'running')
                """, logger: logger)
        }
    }

    public func counts() async -> [JobKind: [JobStatus: Int]] {
        await attempt("counts", default: [:]) { [self] in
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
        }
    }

    // MARK: - Rows

    static let listingColumns =
        "id, seq, kind, owner, status, created_at, started_at, finished_at, expires_at, summary, failure, "
        + "NULL::bytea, false, 0, '[]', NULL::bytea, NULL::boolean, NULL::integer"
    static let columns =
        "id, seq, kind, owner, status, created_at, started_at, finished_at, expires_at, summary, failure, "
        + "input, input_compressed, input_length, unknown_fields, result, result_compressed, result_length"

    static func jobs<Rows: AsyncSequence>(_ rows: Rows) async throws -> [Job] where Rows.Element == PostgresRow {
        var jobs: [Job] = []
        for try await row in rows {
            let (id, sequence, kind, owner, status, created, started, finished, expires, summary, failure) = try row.decode(
                (UUID, Int64, String, String, String, Date, Date?, Date?, Date?, String?, String?).self)
            let columns = row.makeRandomAccess()
            let input = try columns[11].decode(ByteBuffer?.self)
            let inputCompressed = try columns[12].decode(Bool.self)
            let inputLength = try columns[13].decode(Int.self)
            let unknown = try columns[14].decode(String.self)
            let result = try columns[15].decode(ByteBuffer?.self)
            let resultCompressed = try columns[16].decode(Bool?.self)
            let resultLength = try columns[17].decode(Int?.self)
            guard let kind = JobKind(rawValue: kind), let status = JobStatus(rawValue: status) else { continue }
            jobs.append(
                Job(
                    id: id.uuidString.lowercased(), kind: kind, owner: owner, sequence: sequence, status: status,
                    createdAt: created, startedAt: started, finishedAt: finished, expiresAt: expires,
                    input: EncodedJSON(
                        storage: input.map { Array($0.readableBytesView) } ?? [], isCompressed: inputCompressed,
                        jsonByteCount: inputLength),
                    unknownFields: (try? JSONDecoder().decode([UnknownField].self, from: Data(unknown.utf8))) ?? [],
                    result: result.map {
                        EncodedJSON(storage: Array($0.readableBytesView), isCompressed: resultCompressed ?? false, jsonByteCount: resultLength ?? 0)
                    },
                    failure: failure, summary: summary))
        }
        return jobs
    }

    private func job(owner: String, kind: JobKind, key: String, at current: Date) async throws -> (job: Job, fingerprint: String)? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns), fingerprint, expires_at IS NOT NULL AND expires_at <= \(current) FROM eksnet_jobs
            WHERE owner = \(owner) AND kind = \(kind.rawValue) AND idempotency_key = \(key)
            """, logger: logger)
        var found: (job: Job, fingerprint: String, expired: Bool)?
        for try await row in rows {
            let columns = row.makeRandomAccess()
            let fingerprint = try columns[18].decode(String.self)
            let expired = try columns[19].decode(Bool.self)
            let job = try await Self.jobs(AsyncRows([row])).first
            if let job { found = (job, fingerprint, expired) }
        }
        guard let found else { return nil }
        if found.expired {
            // Expired but not yet swept: the key is free again.
            try await client.query(
                """
                DELETE FROM eksnet_jobs WHERE owner = \(owner) AND kind = \(kind.rawValue) AND idempotency_key = \(key)
                    AND expires_at <= \(current)
                """, logger: logger)
            return nil
        }
        return (found.job, found.fingerprint)
    }

    private func secondsUntilRoom(owner: String?, at current: Date) async throws -> Int {
        let rows: PostgresRowSequence
        if let owner {
            rows = try await client.query(
                "SELECT min(expires_at) FROM eksnet_jobs WHERE owner = \(owner) AND expires_at > \(current)", logger: logger)
        } else {
            rows = try await client.query("SELECT min(expires_at) FROM eksnet_jobs WHERE expires_at > \(current)", logger: logger)
        }
        var soonest: Date?
        for try await value in rows.decode(Date?.self) { soonest = value }
        guard let soonest else { return max(1, Int(MemoryJobStore.seconds(settings.retention).rounded(.up))) }
        return max(1, Int(soonest.timeIntervalSince(current).rounded(.up)))
    }

    // MARK: - Plumbing

    private func leaseEnd() -> Date { now().addingTimeInterval(MemoryJobStore.seconds(settings.lease)) }

    /// How long one store operation may take: the pool waits for a connection as long as the database is away, and
    /// a request must get its 503 instead of hanging.
    static let operationTimeout: Duration = .seconds(5)

    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "no answer from the database within \(PostgresJobStore.operationTimeout)" }
    }

    /// Runs `body` within the operation timeout, counting the pool's connections in use meanwhile.
    private func use<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        Telemetry.setDatabaseConnectionsInUse(connectionsInUse.add(1, ordering: .relaxed).newValue)
        defer { Telemetry.setDatabaseConnectionsInUse(connectionsInUse.subtract(1, ordering: .relaxed).newValue) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: Self.operationTimeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
        }
    }

    /// Runs a read or an update; on failure counts it, logs it (never the URL's password: the client has it, the
    /// errors do not) and answers `fallback`.
    private func attempt<T: Sendable>(_ operation: String, default fallback: T, _ body: @escaping @Sendable () async throws -> T) async -> T {
        do {
            return try await use(body)
        } catch {
            Telemetry.recordStoreError(operation: operation)
            logger.error("job store operation failed", metadata: ["operation": "\(operation)", "reason": "\(Self.describe(error))"])
            return fallback
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }

    private func register(id: String, token: Int, stream: AsyncStream<Void>.Continuation) {
        waiters.withLock { $0[id, default: [:]][token] = stream }
    }

    private func unregister(id: String, token: Int) {
        waiters.withLock { waiters in
            waiters[id]?[token]?.finish()
            waiters[id]?[token] = nil
            if waiters[id]?.isEmpty == true { waiters[id] = nil }
        }
    }

    private func wake(_ id: String) {
        let streams = waiters.withLock { $0[id].map { Array($0.values) } ?? [] }
        for stream in streams { stream.yield() }
    }

    private func wakeEveryone() {
        let streams = waiters.withLock { $0.values.flatMap(\.values) }
        for stream in streams { stream.yield() }
    }

}

/// Rows already read, as an async sequence (the row decoder reads either).
struct AsyncRows: AsyncSequence, Sendable {
    let rows: [PostgresRow]
    init(_ rows: [PostgresRow]) { self.rows = rows }
    struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        mutating func next() async -> PostgresRow? { base.next() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: rows.makeIterator()) }
}
