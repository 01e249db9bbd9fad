import Foundation
import Hummingbird

/// `/healthz`, `/readyz` and `/openapi.yaml`: what Kubernetes and API clients ask of any service.
struct HealthController: Sendable {
    let readiness: Readiness

    struct Status: ResponseEncodable {
        var status: String
    }

    /// The OpenAPI document, read once from the bundled copy of `openapi.yaml`.
    static let openAPIDocument: ByteBuffer? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return ByteBuffer(bytes: data)
    }()

    /// `/healthz`, `/readyz` and `/openapi.yaml`, for the main port.
    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = probeEndpoints
        routes.get("/openapi.yaml") { _, _ in
            guard let document = Self.openAPIDocument else {
                throw Problem(status: .internalServerError, detail: "The OpenAPI document is missing from the build.")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: document))
        }
        return routes
    }

    /// `/healthz` and `/readyz` alone, for the probe port too.
    var probeEndpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.get("/healthz") { _, _ in Status(status: "ok") }
        routes.get("/readyz") { [readiness] _, _ -> Status in
            let state = readiness.current
            guard state == .ready else {
                throw Problem(
                    type: "urn:eksnet:problem:not-ready", title: "Not ready", status: .serviceUnavailable,
                    detail: state == .draining
                        ? "The server is shutting down and takes no new work." : "The server is starting.")
            }
            return Status(status: "ready")
        }
        return routes
    }
}
