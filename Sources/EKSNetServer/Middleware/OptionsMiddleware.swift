import HTTPTypes
import Hummingbird

/// `OPTIONS` on every known path: 204 with `Allow` (RFC 9110 §9.3.7). Runs after the CORS middleware, so that a
/// browser's preflight is answered there first. (`HEAD` on every `GET` route is the router's own
/// `autoGenerateHeadEndpoints`.)
struct OptionsMiddleware: RouterMiddleware {
    let routes: RouteTable

    func handle(
        _ request: Request, context: EKSNetRequestContext, next: (Request, EKSNetRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.method == .options, let allow = routes.allowHeader(forPath: request.uri.path) else {
            return try await next(request, context)
        }
        return Response(status: .noContent, headers: [.allow: allow])
    }
}
