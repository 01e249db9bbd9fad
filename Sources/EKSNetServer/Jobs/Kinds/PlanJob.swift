import EKSNetCore

/// `/v1/plans`: a cluster network plan evaluated; drawn as its address map or its report page.
enum PlanJob: JobKindDefinition {
    static let kind = JobKind.plan
    static let simulates = false

    static func work(_ input: ClusterPlan, unknownFields: [UnknownField], aws: AWSData) throws -> JobRunner.Work {
        let context = try PlanContext(input, aws: aws, unknownFields: unknownFields)
        return {
            let evaluation = PlanEvaluator.evaluate(context)
            return (evaluation, evaluation.oneLineSummary)
        }
    }

    static func picture(input: ClusterPlan, result: EncodedJSON, format: PictureFormat, aws: AWSData) throws -> String? {
        let evaluation = try decodeStored(PlanEvaluation.self, result)
        switch format {
        case .svg: return AddressMap.render(plan: input, evaluation: evaluation, aws: aws)
        case .html: return PlanReport.render(plan: input, evaluation: evaluation, aws: aws)
        }
    }
}
