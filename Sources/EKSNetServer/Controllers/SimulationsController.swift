import EKSNetCore
import Hummingbird

/// `/v1/simulations`: IP allocation simulations run as jobs.
struct SimulationsController: Sendable {
    let body: JSONBody
    let jobs: JobRoutes

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let (input, bytes) = try await body.decodeKeepingBytes(SimulationInput.self, from: request)
            // Shape and bounds are checked at once; the run itself happens in the job.
            _ = try SimulationSetup.validate(input)
            return try await jobs.submit(request, context: context, input: input, body: bytes) {
                let result = try IPAllocationSimulator.run(input)
                // A cancelled run (deleted job, time budget, shutdown) stops early with a partial result.
                try Task.checkCancellation()
                let exhausted = result.events.firstExhaustionAt.map { "subnet exhausted at \($0) s" } ?? "no subnet exhausted"
                return (result, "\(exhausted); peak \(result.summary.peakAddressesHeld) addresses held")
            }
        }
        jobs.addReadRoutes(to: routes)
        return routes
    }
}
