import EKSNetCore
import Hummingbird

/// `POST /v1/layouts`: a VPC layout sized to a workload, as a plan, a subnet list and CloudFormation.
struct LayoutsController: Sendable {
    let catalog: InstanceTypeCatalog

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context -> LayoutProposal in
            try LayoutPlanner.propose(try await request.decode(as: LayoutRequest.self, context: context), catalog: catalog)
        }
        return routes
    }
}
