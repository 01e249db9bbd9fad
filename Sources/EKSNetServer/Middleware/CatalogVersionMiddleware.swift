import HTTPTypes
import Hummingbird

/// Says which catalog answered (`EKSNet-Catalog-Version: moto 5.2.5 (2026-10-27)`, plus the instance-types file
/// by digest when one is loaded), so that a portal can tell why two replicas disagree about a type.
struct CatalogVersionMiddleware: RouterMiddleware {
    static let header = HTTPField.Name("EKSNet-Catalog-Version")!
    let version: String

    func handle(
        _ request: Request, context: EKSNetRequestContext, next: (Request, EKSNetRequestContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.header] = version
        return response
    }
}
