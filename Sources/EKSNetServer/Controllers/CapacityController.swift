import EKSNetCore
import Hummingbird

/// `POST /v1/capacity`: node groups in, capacity per group out.
struct CapacityController: Sendable {
    let body: JSONBody

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, _ in
            let input = try await body.decode(CapacityRequest.self, from: request)
            let report = try input.evaluate()
            return try JSONWire.response(report)
        }
        return routes
    }
}
