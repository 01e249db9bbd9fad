import EKSNetCore
import Foundation
import PostgresNIO

/// Jobs read from rows, and the lookups that need more than one statement (an idempotency key's job, the wait
/// before the store has room).
extension PostgresJobStore {
    static let listingColumns =
        "id, seq, kind, owner, status, created_at, started_at, finished_at, expires_at, summary, failure, "
        + "NULL::bytea, false, 0, '[]', NULL::bytea, NULL::boolean, NULL::integer, summary_bytes, failure_bytes"
    static let columns =
        "id, seq, kind, owner, status, created_at, started_at, finished_at, expires_at, summary, failure, "
        + "input, input_compressed, input_length, unknown_fields, result, result_compressed, result_length, "
        + "summary_bytes, failure_bytes"

    static func jobs<Rows: AsyncSequence>(_ rows: Rows) async throws -> [Job] where Rows.Element == PostgresRow {
        var jobs: [Job] = []
        for try await row in rows {
            let (id, sequence, kind, owner, status, created, started, finished, expires, summaryText, failureText) = try row.decode(
                (UUID, Int64, String, String, String, Date, Date?, Date?, Date?, String?, String?).self)
            let columns = row.makeRandomAccess()
            let input = try columns[11].decode(ByteBuffer?.self)
            let inputCompressed = try columns[12].decode(Bool.self)
            let inputLength = try columns[13].decode(Int.self)
            let unknown = try columns[14].decode(String.self)
            let result = try columns[15].decode(ByteBuffer?.self)
            let resultCompressed = try columns[16].decode(Bool?.self)
            let resultLength = try columns[17].decode(Int?.self)
            // The exact text, where the text column holds it with NUL replaced.
            let summary = try columns[18].decode(ByteBuffer?.self).map { String(buffer: $0) } ?? summaryText
            let failure = try columns[19].decode(ByteBuffer?.self).map { String(buffer: $0) } ?? failureText
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

    func job(owner: String, kind: JobKind, key: String, at current: Date) async throws -> (job: Job, fingerprint: String)? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns), fingerprint, expires_at IS NOT NULL AND expires_at <= \(current) FROM eksnet_jobs
            WHERE owner = \(owner) AND kind = \(kind.rawValue) AND idempotency_key = \(key)
            """, logger: logger)
        var found: (job: Job, fingerprint: String, expired: Bool)?
        for try await row in rows {
            let columns = row.makeRandomAccess()
            let fingerprint = try columns[20].decode(String.self)
            let expired = try columns[21].decode(Bool.self)
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

    /// Seconds until there is room again, at least 1: until the first finished job (of `owner`, or of anyone)
    /// expires, or — when unfinished work holds the room — until one of those jobs is expected to end (for a byte
    /// bound, which its end frees at once) or to end and expire (for a count, which it frees only then). The
    /// expected end comes from the queue: unfinished jobs, the callers taking turns, and the measured run times.
    func secondsUntilRoom(owner: String?, forBytes: Bool, at current: Date) async throws -> Int {
        let rows = try await client.query(
            """
            SELECT
                (SELECT extract(epoch FROM min(expires_at) - \(current))::float8 FROM eksnet_jobs
                    WHERE expires_at > \(current) AND (\(owner)::text IS NULL OR owner = \(owner))),
                (SELECT count(*) FROM eksnet_jobs
                    WHERE status IN ('queued', 'running') AND (\(owner)::text IS NULL OR owner = \(owner))),
                (SELECT count(DISTINCT owner) FROM eksnet_jobs WHERE status IN ('queued', 'running')),
                (SELECT avg(extract(epoch FROM finished_at - started_at))::float8 FROM (
                    SELECT finished_at, started_at FROM eksnet_jobs
                    WHERE status = 'succeeded' AND started_at IS NOT NULL AND finished_at IS NOT NULL
                    ORDER BY finished_at DESC LIMIT 50) recent)
            """, logger: logger)
        var soonest: Double?
        var unfinished = 0
        var owners = 0
        var mean: Double?
        for try await (expiry, count, callers, average) in rows.decode((Double?, Int, Int, Double?).self) {
            (soonest, unfinished, owners, mean) = (expiry, count, callers, average)
        }
        let retention = settings.retention.timeInterval
        var wait = soonest ?? .infinity
        if unfinished > 0 {
            let turns = owner == nil ? 1 : max(1, owners)
            let end = max(mean ?? settings.assumedRunSeconds, 0.001) * Double(turns) / Double(max(1, settings.workers))
            wait = min(wait, forBytes ? end : end + settings.deliveredRetention.timeInterval)
        }
        guard wait.isFinite else { return max(1, Int(retention.rounded(.up))) }
        return max(1, min(Int(retention.rounded(.up)), Int(wait.rounded(.up))))
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
