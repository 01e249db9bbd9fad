import Crypto
import EKSNetCore
import Foundation
import HTTPTypes
import Hummingbird

/// The job conventions shared by plans, audits and simulations: submit (202 + Location, or 200 with
/// `Prefer: wait=N`), idempotency keys, get, list newest first, delete — each over the caller's own jobs only.
struct JobRoutes: Sendable {
    let runner: JobRunner
    var store: any JobStore { runner.store }
    let kind: JobKind
    /// The longest `Prefer: wait` honoured, seconds.
    let maximumWait: Int
    /// For drawing finished jobs (`Accept: image/svg+xml`, `text/html`).
    var aws: AWSData
    /// Whether the server drains (SIGTERM received): then submissions are refused with 503 and `Retry-After`,
    /// rather than accepted and cancelled moments later.
    var readiness: Readiness? = nil
    /// The `Retry-After` of a submission refused while draining, seconds: by then the load balancer has stopped
    /// sending here, and another replica (or this one restarted) takes the retry.
    var drainingRetryAfterSeconds = 5

    static let preferenceApplied = HTTPField.Name("Preference-Applied")!
    static let prefer = HTTPField.Name("Prefer")!
    /// The answer depends on `Prefer: wait` (finished or not), on `Accept` (a picture) and on gzip: caches must key
    /// on all three.
    static let vary = "Accept, Prefer, Accept-Encoding"
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let retryAfter = HTTPField.Name("Retry-After")!

    /// `wait=N` from a `Prefer` header (RFC 7240), capped at `maximumWait`; nil when absent.
    func requestedWait(_ request: Request) throws(Problem) -> Int? {
        let values = request.headers[values: Self.prefer]
        for value in values {
            for preference in value.split(whereSeparator: { $0 == "," || $0 == ";" }) {
                let parts = preference.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.first?.lowercased() == "wait" else { continue }
                guard parts.count == 2, let seconds = Int(parts[1].prefix(9)), seconds >= 0 else {
                    throw Problem.invalid([
                        FieldIssue(parameter: "Prefer", message: "wait must be a whole number of seconds, such as wait=10")
                    ])
                }
                return min(seconds, maximumWait)
            }
        }
        return nil
    }

    func idempotencyKey(_ request: Request) throws(Problem) -> String? {
        guard let key = request.headers[Self.idempotencyKey] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw Problem.invalid([
                FieldIssue(parameter: "Idempotency-Key", message: "use 1–255 printable ASCII characters, such as a UUID")
            ])
        }
        return key
    }

    /// Stores the job, starts its work, and answers as the client prefers.
    func submit(
        _ request: Request, context: EKSNetRequestContext, input: any Encodable & Sendable,
        work: @escaping JobRunner.Work
    ) async throws -> EditedResponse<Job.Document> {
        let wait = try requestedWait(request)
        let key = try idempotencyKey(request)
        if readiness?.current == .draining { throw drainingProblem() }
        let fingerprint = try Self.fingerprint(input)
        let submitted: (job: Job, created: Bool)
        do {
            submitted = try await runner.submit(
                kind: kind, owner: context.caller.owner, input: input, unknownFields: context.bodyNotes.unknownFields,
                idempotencyKey: key, fingerprint: fingerprint, work: work)
        } catch {
            throw Self.problem(for: error, kind: kind)
        }
        return try await respond(with: submitted.job, wait: wait)
    }

    /// The answer to a submission while the server drains.
    func drainingProblem() -> Problem {
        var headers = HTTPFields()
        headers[Self.retryAfter] = String(drainingRetryAfterSeconds)
        return Problem(
            type: "urn:eksnet:problem:draining", title: "Server shutting down", status: .serviceUnavailable,
            detail: "This server is shutting down and accepts no new jobs; retry in \(drainingRetryAfterSeconds) s "
                + "(another replica will take it).", headers: headers)
    }

    /// Runs a store operation, answering a store that cannot answer with its problem (503 with `Retry-After`).
    func reading<T>(_ body: () async throws(JobStoreError) -> T) async throws(Problem) -> T {
        do {
            return try await body()
        } catch {
            throw Self.problem(for: error, kind: kind)
        }
    }

    /// What makes two submissions under one idempotency key the same request: a SHA-256 of the decoded input
    /// written as canonical JSON (members sorted), so that spacing and member order do not matter, stable across
    /// processes and replicas.
    static func fingerprint(_ input: any Encodable) throws -> String {
        SHA256.hash(data: try canonicalEncoder.encode(input)).hex
    }

    static let canonicalEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The job as it is, or once finished when the client waits.
    func respond(with job: Job, wait: Int?) async throws -> EditedResponse<Job.Document> {
        let current = try await waited(job, wait: wait)
        var headers: HTTPFields = [.location: current.location, .vary: Self.vary]
        if let wait, current.status.isFinished { headers[Self.preferenceApplied] = "wait=\(wait)" }
        return EditedResponse(
            status: current.status.isFinished ? .ok : .accepted, headers: headers, response: Job.Document(job: current))
    }

    /// The job once finished when the client asked to wait; a finished result handed over in answer to
    /// `Prefer: wait` may expire sooner (the client that waits does not come back for it).
    func waited(_ job: Job, wait: Int?) async throws(Problem) -> Job {
        guard let wait else { return job }
        var current = job
        if wait > 0, !job.status.isFinished {
            current = try await reading { () async throws(JobStoreError) in
                try await store.wait(id: job.id, kind: kind, owner: job.owner, timeout: .seconds(wait))
            } ?? job
        }
        if current.status.isFinished { current.expiresAt = await store.markDelivered(id: current.id) ?? current.expiresAt }
        return current
    }

    func get(_ request: Request, context: EKSNetRequestContext, id: String) async throws -> Response {
        let wait = try requestedWait(request)
        let found = try await reading { () async throws(JobStoreError) in
            try await store.job(id: id, kind: kind, owner: context.caller.owner)
        }
        guard let job = found else { throw notFound(id) }
        // A picture this kind has not is a 406, not JSON in its place.
        let picture = PictureFormat.requested(request)
        let current = try await waited(job, wait: wait)
        var headers: HTTPFields = [.vary: Self.vary]
        if let wait, current.status.isFinished { headers[Self.preferenceApplied] = "wait=\(wait)" }
        if let picture {
            return picture.response(try JobPictures.render(current, as: picture, aws: aws), headers: headers)
        }
        return try EditedResponse(headers: headers, response: Job.Document(job: current)).response(from: request, context: context)
    }

    struct Page: ResponseEncodable {
        var items: [Job.Wire]
        var nextCursor: String?
    }

    func list(_ request: Request, context: EKSNetRequestContext) async throws -> Page {
        var query = QueryParameters(request)
        let status = query.oneOf("status", JobStatus.self)
        let limit = query.int("limit", in: 1...1000) ?? 100
        let cursor = query.string("cursor")
        if let cursor, Int(cursor) == nil { query.add("cursor", "use the nextCursor of the previous page") }
        try query.throwIfInvalid()
        let page = try await reading { () async throws(JobStoreError) in
            try await store.list(kind: kind, owner: context.caller.owner, status: status, limit: limit, cursor: cursor)
        }
        return Page(items: page.jobs.map { Job.Wire(job: $0) }, nextCursor: page.nextCursor)
    }

    /// `GET /`, `GET /:id` and `DELETE /:id` for this kind of job.
    func addReadRoutes(to routes: RouteCollection<EKSNetRequestContext>) {
        routes.get { request, context in try await list(request, context: context) }
        routes.get(":id") { request, context in
            try await get(request, context: context, id: context.parameters.get("id") ?? "")
        }
        routes.delete(":id") { _, context in
            try await delete(id: context.parameters.get("id") ?? "", context: context)
        }
    }

    func delete(id: String, context: EKSNetRequestContext) async throws -> Response {
        let deleted = try await reading { () async throws(JobStoreError) in
            try await runner.delete(id: id, kind: kind, owner: context.caller.owner)
        }
        guard deleted else { throw notFound(id) }
        return Response(status: .noContent)
    }

    func notFound(_ id: String) -> Problem {
        Problem(
            type: "urn:eksnet:problem:unknown-job", title: "Unknown job", status: .notFound,
            detail: "No \(kind.rawValue) job '\(id.prefix(64))': it never existed, was deleted, or expired "
                + "(finished jobs are kept for a limited time; with the memory store, only the replica that took a job knows it).")
    }

    static func problem(for error: JobStoreError, kind: JobKind) -> Problem {
        /// A refusal the client may retry after `seconds`.
        func retry(_ type: String, _ title: String, _ status: HTTPResponse.Status, after seconds: Int, _ detail: String) -> Problem {
            var headers = HTTPFields()
            headers[retryAfter] = String(seconds)
            return Problem(type: "urn:eksnet:problem:\(type)", title: title, status: status, detail: detail, headers: headers)
        }
        let freeUp = "when finished jobs expire (or delete finished jobs you no longer need)"
        switch error {
        case .full(let limit, let seconds):
            return retry(
                "job-store-full", "Job store full", .serviceUnavailable, after: seconds,
                "The job store holds its limit of \(limit) jobs; retry in \(seconds) s, \(freeUp).")
        case .fullBytes(let limit, let seconds):
            return retry(
                "job-store-full", "Job store full", .serviceUnavailable, after: seconds,
                "The job store holds its limit of \(limit) bytes of inputs and results; retry in \(seconds) s, \(freeUp).")
        case .callerShareExceeded(let limit, let seconds):
            return retry(
                "caller-share-exceeded", "Your share of the job store is used", .tooManyRequests, after: seconds,
                "This credential holds its share of the job store (at most \(limit) jobs, or its share of the store's "
                    + "bytes); retry in \(seconds) s, \(freeUp).")
        case .callerQueueFull(let limit, let seconds):
            return retry(
                "caller-queue-full", "Too many of your jobs are unfinished", .tooManyRequests, after: seconds,
                "This credential has \(limit) jobs queued or running, its most at once; retry in \(seconds) s, when "
                    + "one of them is expected to end.")
        case .unavailable(let reason):
            return retry(
                "job-store-unavailable", "Job store unavailable", .serviceUnavailable, after: 5,
                "The job store cannot answer now: \(reason). Retry shortly.")
        case .rejected(let reason):
            return Problem(
                type: "urn:eksnet:problem:job-store-rejected", title: "Job store refused the job",
                status: .unprocessableContent, detail: "The job store cannot hold this job: \(reason).")
        case .idempotencyConflict(let existing):
            return Problem(
                type: "urn:eksnet:problem:idempotency-conflict", title: "Idempotency key reused", status: .conflict,
                detail: "This Idempotency-Key was used for \(kind.rawValue) job \(existing) with a different body; "
                    + "use a new key for a new request.")
        }
    }
}
