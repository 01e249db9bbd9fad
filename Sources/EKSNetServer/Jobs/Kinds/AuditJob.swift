import EKSNetCore

/// `/v1/audits`: a live VPC, as the AWS CLI describes it, evaluated as a plan; drawn as the plan's pictures.
enum AuditJob: JobKindDefinition {
    static let kind = JobKind.audit
    static let simulates = false

    static func work(_ input: AuditRequest, unknownFields: [UnknownField], aws: AWSData) throws -> JobRunner.Work {
        // Structural problems (a plan eksnet cannot build) are refused at once; the evaluation runs in the job.
        let derived = try VPCAuditor.derive(input, aws: aws, unknownFields: unknownFields)
        return {
            let result = VPCAuditor.evaluate(derived)
            return (result, result.evaluation.oneLineSummary)
        }
    }

    static func picture(input: AuditRequest, result: EncodedJSON, format: PictureFormat, aws: AWSData) throws -> String? {
        let audit = try decodeStored(AuditResult.self, result)
        switch format {
        case .svg: return AddressMap.render(plan: audit.plan, evaluation: audit.evaluation, aws: aws)
        case .html: return PlanReport.render(plan: audit.plan, evaluation: audit.evaluation, aws: aws)
        }
    }
}
