import EKSNetCore
import Hummingbird

/// `/v1/simulations`: IP allocation simulations run as jobs.
struct SimulationsController: Sendable {
    let jobs: JobRoutes
    let catalog: InstanceTypeCatalog

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let input = try await request.decode(as: SimulationInput.self, context: context)
            // Checked and resolved once, at once; the run itself happens in the job.
            let setup = try SimulationSetup(input, catalog: catalog)
            return try await jobs.submit(request, context: context, input: input) {
                let result = IPAllocationSimulator.run(setup)
                // A cancelled run (deleted job, time budget, shutdown) stops early with a partial result.
                try Task.checkCancellation()
                return (result, result.oneLineSummary)
            }
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
