import EKSNetCore
import Hummingbird

/// `/v1/audits`: a live VPC, as the AWS CLI describes it, evaluated as a plan, as a job.
struct AuditsController: Sendable {
    let body: JSONBody
    let jobs: JobRoutes

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let (input, bytes) = try await body.decodeKeepingBytes(AuditRequest.self, from: request)
            // Structural problems (a plan eksnet cannot build) are refused at once.
            let result = try VPCAuditor.audit(input)
            return try await jobs.submit(request, context: context, input: input, body: bytes) {
                let verdict = result.evaluation
                return (result, "\(verdict.verdict.rawValue): \(verdict.summary.errors) errors, \(verdict.summary.warnings) warnings")
            }
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
