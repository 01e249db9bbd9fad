import EKSNetCore

/// `/v1/remediations`: ways out for a cluster running out of addresses, weighed (some simulate the warm pool).
enum RemediationJob: JobKindDefinition {
    static let kind = JobKind.remediation
    static let simulates = true

    static func work(_ input: RemediationRequest, unknownFields: [UnknownField], aws: AWSData) throws -> JobRunner.Work {
        // The plan (or audit) and the target are checked at once, so that a bad request is a 422, not a failed job;
        // the options are weighed in the job.
        try RemediationAdvisor.validate(input, aws: aws)
        return {
            let result = try RemediationAdvisor.advise(input, aws: aws)
            return (result, result.oneLineSummary)
        }
    }
}
