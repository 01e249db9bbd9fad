import EKSNetCore
import Hummingbird

/// `POST /v1/layouts`: a VPC layout sized to a workload, as a plan, a subnet list and CloudFormation.
struct LayoutsController: Sendable {
    let aws: AWSData

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context -> Response in
            let proposal = try LayoutPlanner.propose(try await request.decode(as: LayoutRequest.self, context: context), aws: aws)
            // Accept: image/svg+xml draws the proposal's address map.
            if let picture = PictureFormat.requested(request) {
                guard picture == .svg else { throw PictureFormat.notAcceptable("A layout is drawn as image/svg+xml, or answered as application/json.") }
                let evaluation = try PlanEvaluator.evaluate(proposal.plan, aws: aws)
                return picture.response(AddressMap.render(plan: proposal.plan, evaluation: evaluation, aws: aws))
            }
            return try context.responseEncoder.encode(proposal, from: request, context: context)
        }
        return routes
    }
}
