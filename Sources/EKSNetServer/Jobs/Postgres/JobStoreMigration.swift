import Logging
import PostgresNIO

/// One version of the PostgreSQL job store's schema: its statements, applied in one transaction and recorded in
/// `eksnet_schema_migrations`. The store applies the pending ones before it serves (`PostgresJobStore.run`).
struct JobStoreMigration: Sendable {
    let version: Int
    let statements: [String]

    /// The schema, one version at a time, applied by one replica at a time under an advisory lock (replicas that
    /// start together wait for each other and then find nothing left to do).
    static let all: [JobStoreMigration] = [
        JobStoreMigration(version: 1, statements: [
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
        // Text PostgreSQL refuses (NUL) kept exactly beside the text, which holds it with NUL replaced, so that
        // replicas of the previous version still read it; unfinished jobs found by age for the sweep.
        JobStoreMigration(version: 2, statements: [
            "ALTER TABLE eksnet_jobs ADD COLUMN summary_bytes bytea, ADD COLUMN failure_bytes bytea",
            "CREATE INDEX eksnet_jobs_unfinished ON eksnet_jobs (created_at) WHERE status IN ('queued', 'running')",
        ]),
    ]

    /// Applies every migration not yet recorded, one replica at a time under the advisory lock `lock`.
    static func applyPending(on client: PostgresClient, lock: Int64, logger: Logger) async throws {
        try await client.withConnection { connection in
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS eksnet_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
            try await connection.query("SELECT pg_advisory_lock(\(lock))", logger: logger)
            do {
                var applied: Set<Int> = []
                for try await version in try await connection.query("SELECT version FROM eksnet_schema_migrations", logger: logger)
                    .decode(Int.self)
                {
                    applied.insert(version)
                }
                for migration in all where !applied.contains(migration.version) {
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
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
        }
    }
}
