import EKSNetCore
import Hummingbird

/// `/v1/simulations`: IP allocation simulations run as jobs.
struct SimulationsController: Sendable {
    let jobs: JobRoutes
    let aws: AWSData

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let input = try await request.decode(as: SimulationInput.self, context: context)
            let work = try JobWork(aws: aws).simulation(input)
            return try await jobs.submit(request, context: context, input: input, work: work)
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
