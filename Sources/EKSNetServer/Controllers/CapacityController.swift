import EKSNetCore
import Hummingbird

/// `POST /v1/capacity`: node groups in, capacity per group out.
struct CapacityController: Sendable {
    let aws: AWSData

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context -> CapacityReport in
            try await request.decode(as: CapacityRequest.self, context: context).evaluate(aws: aws)
        }
        return routes
    }
}
