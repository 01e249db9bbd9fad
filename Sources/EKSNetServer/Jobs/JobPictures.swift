import EKSNetCore

/// A finished job drawn: a plan's or an audit's address map (or report page), a simulation's timeline. The stored
/// input and result are decoded for it; the drawing is the core's.
enum JobPictures {
    static func render(_ job: Job, as format: PictureFormat, aws: AWSData) throws -> String {
        guard job.status == .succeeded, let result = job.result else {
            throw PictureFormat.notAcceptable(
                "The \(job.kind.rawValue) job is \(job.status.rawValue): its picture is drawn once it has succeeded; ask for application/json meanwhile.")
        }
        let key = PictureCache.Key(jobId: job.id, format: format, catalogVersion: aws.catalog.version)
        return try PictureCache.shared.picture(for: key) { try draw(job, result: result, as: format, aws: aws) }
    }

    private static func draw(_ job: Job, result: EncodedJSON, as format: PictureFormat, aws: AWSData) throws -> String {
        func decode<T: Decodable>(_ type: T.Type, _ stored: EncodedJSON) throws -> T {
            try stored.json().withUnsafeReadableBytes { raw in try JSONWire.decoder.decodeReportingUnknownFields(T.self, from: raw).value }
        }
        switch (job.kind, format) {
        case (.plan, .svg):
            return AddressMap.render(plan: try decode(ClusterPlan.self, job.input), evaluation: try decode(PlanEvaluation.self, result), aws: aws)
        case (.plan, .html):
            return PlanReport.render(plan: try decode(ClusterPlan.self, job.input), evaluation: try decode(PlanEvaluation.self, result), aws: aws)
        case (.audit, .svg):
            let audit = try decode(AuditResult.self, result)
            return AddressMap.render(plan: audit.plan, evaluation: audit.evaluation, aws: aws)
        case (.audit, .html):
            let audit = try decode(AuditResult.self, result)
            return PlanReport.render(plan: audit.plan, evaluation: audit.evaluation, aws: aws)
        case (.simulation, .svg):
            return SimulationTimeline.render(input: try decode(SimulationInput.self, job.input), result: try decode(SimulationResult.self, result))
        default:
            throw PictureFormat.notAcceptable("\(job.kind.rawValue) jobs are answered as application/json only.")
        }
    }
}
