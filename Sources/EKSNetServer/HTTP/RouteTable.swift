import HTTPTypes

/// The service's routes and their methods, so an unmatched method on a known path gets 405 with `Allow`.
struct RouteTable: Sendable {
    struct Entry: Sendable {
        /// Path segments; `*` matches one segment.
        let segments: [Substring]
        let methods: [HTTPRequest.Method]
    }

    let entries: [Entry]

    init(_ routes: [(String, [HTTPRequest.Method])]) {
        entries = routes.map { Entry(segments: $0.0.split(separator: "/"), methods: $0.1) }
    }

    /// The methods allowed on a path, or nil when no route has that path.
    func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for entry in entries where entry.segments.count == segments.count {
            if zip(entry.segments, segments).allSatisfy({ $0 == "*" || $0 == $1 }) {
                methods += entry.methods
            }
        }
        return methods.isEmpty ? nil : methods
    }

    static let probes = RouteTable([("/healthz", [.get]), ("/readyz", [.get]), ("/metrics", [.get])])

    static let all = RouteTable([
        ("/healthz", [.get]),
        ("/readyz", [.get]),
        ("/openapi.yaml", [.get]),
        ("/metrics", [.get]),
        ("/v1/instance-types", [.get]),
        ("/v1/instance-types/*", [.get]),
        ("/v1/instance-types/*/max-pods", [.get]),
        ("/v1/capacity", [.post]),
        ("/v1/plans", [.get, .post]),
        ("/v1/plans/*", [.get, .delete]),
        ("/v1/subnet-tags", [.post]),
        ("/v1/rules", [.get]),
        ("/v1/rules/*", [.get]),
        ("/v1/layouts", [.post]),
        ("/v1/audits", [.get, .post]),
        ("/v1/audits/*", [.get, .delete]),
        ("/v1/simulations", [.get, .post]),
        ("/v1/simulations/*", [.get, .delete]),
        ("/v1/instance-types/*/ip-pool", [.get]),
    ])
}
