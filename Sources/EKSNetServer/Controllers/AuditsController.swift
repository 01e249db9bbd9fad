import EKSNetCore
import Hummingbird

/// `/v1/audits`: a live VPC, as the AWS CLI describes it, evaluated as a plan, as a job.
struct AuditsController: Sendable {
    let jobs: JobRoutes
    let aws: AWSData

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let input = try await request.decode(as: AuditRequest.self, context: context)
            let work = try JobWork(aws: aws).audit(input, unknownFields: context.bodyNotes.unknownFields)
            return try await jobs.submit(request, context: context, input: input, work: work)
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
