import EKSNetCore
import Hummingbird

/// `/v1/plans`: cluster network plans evaluated as jobs.
struct PlansController: Sendable {
    let body: JSONBody
    let jobs: JobRoutes

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, requestContext in
            let (plan, bytes) = try await body.decodeKeepingBytes(ClusterPlan.self, from: request)
            let context = try PlanContext(plan)
            return try await jobs.submit(request, context: requestContext, input: plan, body: bytes) {
                let evaluation = PlanEvaluator.evaluate(context)
                return (evaluation, "\(evaluation.verdict.rawValue): \(evaluation.summary.errors) errors, \(evaluation.summary.warnings) warnings")
            }
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
