import EKSNetCore
import Hummingbird

/// `/v1/plans`: cluster network plans evaluated as jobs.
struct PlansController: Sendable {
    let jobs: JobRoutes
    let aws: AWSData

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, requestContext in
            let plan = try await request.decode(as: ClusterPlan.self, context: requestContext)
            let work = try JobWork(aws: aws).plan(plan, unknownFields: requestContext.bodyNotes.unknownFields)
            return try await jobs.submit(request, context: requestContext, input: plan, work: work)
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
