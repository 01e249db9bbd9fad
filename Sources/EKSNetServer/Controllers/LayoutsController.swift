import EKSNetCore
import Hummingbird

/// `POST /v1/layouts`: a VPC layout sized to a workload, as a plan, a subnet list and CloudFormation.
struct LayoutsController: Sendable {
    let body: JSONBody

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, _ in
            let input = try await body.decode(LayoutRequest.self, from: request)
            let proposal = try LayoutPlanner.propose(input)
            return try JSONWire.response(proposal)
        }
        return routes
    }
}
