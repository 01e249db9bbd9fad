import Hummingbird
import Foundation

/// What a job does.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    case plan
    case simulation
    case audit
}

extension JobKind {
    /// The path segment under `/v1` where jobs of this kind are submitted, listed and read.
    public var collection: String {
        switch self {
        case .plan: "plans"
        case .simulation: "simulations"
        case .audit: "audits"
        }
    }
}

/// Where a job is in its life.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed

    public var isFinished: Bool { self == .succeeded || self == .failed }
}

/// A plan evaluation, audit or simulation held by the job store: its input, and its result once finished.
public struct Job: Sendable {
    public let id: String
    public let kind: JobKind
    /// The caller that created the job (`Caller.owner`): only it can see, wait for or delete the job.
    public let owner: String
    /// Submission order, for newest-first listing and cursors.
    public let sequence: Int
    public var status: JobStatus
    public let createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// When a finished job is dropped from the store.
    public var expiresAt: Date?
    public let input: any Encodable & Sendable
    public var result: (any Encodable & Sendable)?
    /// Why a failed job failed.
    public var failure: String?
    /// One line for listings (a plan's verdict, a simulation's outcome).
    public var summary: String?
}

extension Job {
    /// The wire form: everything, or (for listings) everything but the input and the result.
    struct Wire: ResponseEncodable {
        let job: Job
        let detailed: Bool

        enum CodingKeys: String, CodingKey {
            case id, kind, status, createdAt, startedAt, finishedAt, expiresAt, summary, failure, input, result, links
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
            if detailed {
                try container.encode(job.input, forKey: .input)
                if let result = job.result {
                    try container.encode(result, forKey: .result)
                } else {
                    try container.encodeNil(forKey: .result)
                }
            }
        }
    }

    /// The job's URL path.
    public var location: String {
        "/v1/\(kind.collection)/\(id)"
    }
}
