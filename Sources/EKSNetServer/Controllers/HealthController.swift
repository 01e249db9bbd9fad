import CompressNIO
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

    /// The document gzip-compressed, once: compressing its 80 KB on every request cost each one a millisecond.
    static let compressedOpenAPIDocument: ByteBuffer? = {
        guard var document = openAPIDocument else { return nil }
        return try? document.compress(with: .gzip)
    }()

    /// `/openapi.yaml`, for the main port: gzip-compressed when asked, with an `ETag` (it changes with the build).
    static var documentEndpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.add(middleware: CacheValidationMiddleware(cacheControl: "public, max-age=3600"))
        routes.get("/openapi.yaml") { _, _ in
            guard let document = Self.openAPIDocument else {
                throw Problem(status: .internalServerError, detail: "The OpenAPI document is missing from the build.")
            }
            var headers: HTTPFields = [.contentType: "application/yaml", .vary: "Accept-Encoding"]
            if ResponseCompression.acceptsGzip, let compressed = Self.compressedOpenAPIDocument {
                headers[.contentEncoding] = "gzip"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: compressed))
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: document))
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
            // /healthz never asks the database: a database outage must not get pods restarted, only taken out of
            // the Service's endpoints.
            if let problem = readiness.dependencyProblem {
                throw Problem(
                    type: "urn:eksnet:problem:not-ready", title: "Not ready", status: .serviceUnavailable,
                    detail: "The job store is unavailable: \(problem).")
            }
            return Status(status: "ready")
        }
        return routes
    }
}
