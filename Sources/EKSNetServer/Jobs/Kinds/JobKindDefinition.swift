import EKSNetCore
import Hummingbird

/// One kind of job, whole: what it takes, how its input is checked and its work made, which lane runs it, and how
/// a finished one is drawn. The routes (`JobKindController`), a takeover's resumption and the pictures all go
/// through this; adding a kind is one file conforming to it, a `JobKind` case and a line in `JobKind.definition`.
protocol JobKindDefinition: Sendable {
    associatedtype Input: Codable & Sendable
    static var kind: JobKind { get }
    /// Whether the kind runs in the simulation lane (it simulates the warm pool) rather than the evaluation lane.
    static var simulates: Bool { get }
    /// Checks and resolves the input at once (a bad input is a 422, not a failed job) and returns the work the
    /// job runs. Jobs are pure functions of their input: a takeover from the stored input gives the same result.
    static func work(_ input: Input, unknownFields: [UnknownField], aws: AWSData) throws -> JobRunner.Work
    /// A succeeded job drawn in `format`, or nil when the kind has no such picture.
    static func picture(input: Input, result: EncodedJSON, format: PictureFormat, aws: AWSData) throws -> String?
}

extension JobKindDefinition {
    static func picture(input: Input, result: EncodedJSON, format: PictureFormat, aws: AWSData) throws -> String? { nil }

    /// The work of a stored job, from its encoded input (a replica taking over a job whose owner died).
    static func resume(_ job: Job, aws: AWSData) throws -> JobRunner.Work {
        try work(try decodeStored(Input.self, job.input), unknownFields: job.unknownFields, aws: aws)
    }

    /// The kind's routes under `/v1/<collection>`.
    static func endpoints(jobs: JobRoutes, aws: AWSData) -> RouteCollection<EKSNetRequestContext> {
        JobKindController<Self>(jobs: jobs, aws: aws).endpoints
    }

    /// A finished job drawn, its stored input decoded once for it.
    static func draw(_ job: Job, result: EncodedJSON, format: PictureFormat, aws: AWSData) throws -> String? {
        try picture(input: try decodeStored(Input.self, job.input), result: result, format: format, aws: aws)
    }
}

/// A stored input or result, decoded.
func decodeStored<T: Decodable>(_ type: T.Type, _ stored: EncodedJSON) throws -> T {
    try stored.json().withUnsafeReadableBytes { raw in try JSONWire.decoder.decodeReportingUnknownFields(T.self, from: raw).value }
}

extension JobKind {
    /// The definition of every kind: the one place a `JobKind` case meets its type.
    var definition: any JobKindDefinition.Type {
        switch self {
        case .plan: PlanJob.self
        case .audit: AuditJob.self
        case .simulation: SimulationJob.self
        case .remediation: RemediationJob.self
        }
    }

    /// Simulations and remediations (which simulate the warm pool) run in the simulation lane.
    var isSimulating: Bool { definition.simulates }
}

/// `/v1/<collection>` for one kind of job: submit, and the shared list, get and delete.
struct JobKindController<Definition: JobKindDefinition>: Sendable {
    let jobs: JobRoutes
    let aws: AWSData

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let input = try await request.decode(as: Definition.Input.self, context: context)
            let work = try Definition.work(input, unknownFields: context.bodyNotes.unknownFields, aws: aws)
            return try await jobs.submit(request, context: context, input: input, work: work)
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
