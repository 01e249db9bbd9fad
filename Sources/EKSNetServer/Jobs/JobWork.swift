import EKSNetCore
import NIOCore

/// Each kind of job's work, made from its input: once when a request is accepted (the input checked and resolved
/// before the job is stored, so a bad input is a 422, not a failed job), and again from the stored input when a
/// replica takes over a job whose owner died. Jobs are pure functions of their input, so both give the same result.
struct JobWork: Sendable {
    let aws: AWSData

    func plan(_ plan: ClusterPlan, unknownFields: [UnknownField]) throws -> JobRunner.Work {
        let context = try PlanContext(plan, aws: aws, unknownFields: unknownFields)
        return {
            let evaluation = PlanEvaluator.evaluate(context)
            return (evaluation, evaluation.oneLineSummary)
        }
    }

    func audit(_ input: AuditRequest, unknownFields: [UnknownField]) throws -> JobRunner.Work {
        // Structural problems (a plan eksnet cannot build) are refused at once; the evaluation runs in the job.
        let derived = try VPCAuditor.derive(input, aws: aws, unknownFields: unknownFields)
        return {
            let result = VPCAuditor.evaluate(derived)
            return (result, result.evaluation.oneLineSummary)
        }
    }

    func simulation(_ input: SimulationInput) throws -> JobRunner.Work {
        // Checked and resolved once, at once; the run itself happens in the job.
        let setup = try SimulationSetup(input, aws: aws)
        return {
            let result = IPAllocationSimulator.run(setup)
            // A cancelled run (deleted job, time budget, shutdown) stops early with a partial result.
            try Task.checkCancellation()
            return (result, result.oneLineSummary)
        }
    }

    func remediation(_ input: RemediationRequest) throws -> JobRunner.Work {
        // The plan (or audit) and the target are checked at once, so that a bad request is a 422, not a failed job;
        // the options are weighed in the job.
        try RemediationAdvisor.validate(input, aws: aws)
        return {
            let result = try RemediationAdvisor.advise(input, aws: aws)
            return (result, result.oneLineSummary)
        }
    }

    /// The work of a stored job, from its encoded input.
    func resume(_ job: Job) throws -> JobRunner.Work {
        let bytes = try job.input.json()
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try bytes.withUnsafeReadableBytes { raw in try JSONWire.decoder.decodeReportingUnknownFields(T.self, from: raw).value }
        }
        switch job.kind {
        case .plan: return try plan(decode(ClusterPlan.self), unknownFields: job.unknownFields)
        case .audit: return try audit(decode(AuditRequest.self), unknownFields: job.unknownFields)
        case .simulation: return try simulation(decode(SimulationInput.self))
        case .remediation: return try remediation(decode(RemediationRequest.self))
        }
    }
}
