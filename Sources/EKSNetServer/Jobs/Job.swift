import EKSNetCore
import Foundation
import Hummingbird
import NIOCore

/// What a job does.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    case plan
    case simulation
    case audit
    case remediation

}

extension JobKind {
    /// The path segment under `/v1` where jobs of this kind are submitted, listed and read.
    public var collection: String {
        switch self {
        case .plan: "plans"
        case .simulation: "simulations"
        case .audit: "audits"
        case .remediation: "remediations"
        }
    }
}

/// Where a job is in its life.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed

    public var isFinished: Bool { self == .succeeded || self == .failed }
}

/// A plan evaluation, audit or simulation held by the job store: its input, and its result once finished, as
/// encoded JSON (never as structures: a store holds bytes it can count and bound).
public struct Job: Sendable {
    public let id: String
    public let kind: JobKind
    /// The caller that created the job (`Caller.owner`): only it can see, wait for or delete the job.
    public let owner: String
    /// Submission order, for newest-first listing and cursors.
    public let sequence: Int64
    public var status: JobStatus
    public let createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// When a finished job is dropped from the store.
    public var expiresAt: Date?
    public let input: EncodedJSON
    /// Members of the request no field read: the work needs them again when another replica runs the job.
    public let unknownFields: [UnknownField]
    public var result: EncodedJSON?
    /// Why a failed job failed.
    public var failure: String?
    /// One line for listings (a plan's verdict, a simulation's outcome).
    public var summary: String?

    public init(
        id: String, kind: JobKind, owner: String, sequence: Int64, status: JobStatus, createdAt: Date,
        startedAt: Date? = nil, finishedAt: Date? = nil, expiresAt: Date? = nil, input: EncodedJSON,
        unknownFields: [UnknownField] = [], result: EncodedJSON? = nil, failure: String? = nil, summary: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.sequence = sequence
        self.status = status
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.expiresAt = expiresAt
        self.input = input
        self.unknownFields = unknownFields
        self.result = result
        self.failure = failure
        self.summary = summary
    }

    /// Bytes the job holds (its encoded input and result), what a store's byte bound counts.
    public var storedByteCount: Int { input.storedByteCount + (result?.storedByteCount ?? 0) }
}

extension Job {
    /// The listing form: everything but the input and the result.
    struct Wire: Encodable, Sendable {
        let job: Job

        enum CodingKeys: String, CodingKey {
            case id, kind, status, createdAt, startedAt, finishedAt, expiresAt, summary, failure, links
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(job.id, forKey: .id)
            try container.encode(job.kind, forKey: .kind)
            try container.encode(job.status, forKey: .status)
            try container.encode(job.createdAt, forKey: .createdAt)
            try container.encode(job.startedAt, forKey: .startedAt)
            try container.encode(job.finishedAt, forKey: .finishedAt)
            try container.encode(job.expiresAt, forKey: .expiresAt)
            try container.encode(job.summary, forKey: .summary)
            try container.encode(job.failure, forKey: .failure)
            try container.encode(["self": job.location], forKey: .links)
        }
    }

    /// The whole job as a response: the listing form with the stored input and result spliced in as they are kept,
    /// so a 5 MB result is never decoded to be encoded again.
    struct Document: ResponseGenerator, Sendable {
        let job: Job

        func body() throws -> ByteBuffer {
            var head = try JSONWire.encoder.encode(Wire(job: job))
            // The listing form is a non-empty object: its closing brace makes room for two more members.
            precondition(head.last == UInt8(ascii: "}"))
            head.removeLast()
            var buffer = ByteBufferAllocator().buffer(
                capacity: head.count + job.input.jsonByteCount + (job.result?.jsonByteCount ?? 4) + 24)
            buffer.writeBytes(head)
            buffer.writeString(",\"input\":")
            var input = try job.input.json()
            buffer.writeBuffer(&input)
            buffer.writeString(",\"result\":")
            if var result = try job.result?.json() {
                buffer.writeBuffer(&result)
            } else {
                buffer.writeString("null")
            }
            buffer.writeString("}")
            return buffer
        }

        /// Documents larger than this are streamed (`ChunkedBodyWriter`) rather than built whole.
        static let streamingThreshold = 256 * 1024

        func response(from request: Request, context: some RequestContext) throws -> Response {
            var headers: HTTPFields = [.contentType: "application/json"]
            let size = job.input.jsonByteCount + (job.result?.jsonByteCount ?? 0)
            guard size > Self.streamingThreshold else {
                let body = ResponseCompression.body(try body(), headers: &headers)
                return Response(status: .ok, headers: headers, body: body)
            }
            let gzip = ResponseCompression.acceptsGzip
            headers[.vary] = "Accept-Encoding"
            if gzip { headers[.contentEncoding] = "gzip" }
            var encodedHead = try JSONWire.encoder.encode(Wire(job: job))
            encodedHead.removeLast()
            let head = encodedHead
            let job = self.job
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    // Whatever the response held is handed back to the system once it is sent (or abandoned).
                    defer { JobRunner.returnFreedMemory() }
                    var body = try ChunkedBodyWriter(writer, gzip: gzip)
                    try await body.write(ByteBuffer(bytes: head))
                    try await body.write(",\"input\":")
                    try await body.write(job.input)
                    try await body.write(",\"result\":")
                    if let result = job.result { try await body.write(result) } else { try await body.write("null") }
                    try await body.write("}")
                    try await body.finish()
                })
        }
    }

    /// The job's URL path.
    public var location: String {
        "/v1/\(kind.collection)/\(id)"
    }
}
