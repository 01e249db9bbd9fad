import EKSNetCore
import Hummingbird

/// `/v1/remediations`: ways out for a cluster running out of addresses, weighed as jobs.
struct RemediationsController: Sendable {
    let jobs: JobRoutes
    let aws: AWSData

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let input = try await request.decode(as: RemediationRequest.self, context: context)
            let work = try JobWork(aws: aws).remediation(input)
            return try await jobs.submit(request, context: context, input: input, work: work)
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
