import Hummingbird

/// Bearer-token authentication, added to the `/v1` route group only: it runs for exactly the routes the router
/// matched there, whatever spelling of the path got the request routed (`//v1`, `/v1/`, …), and it sets the caller
/// whose jobs the request may see. Health, readiness and metrics stay open for probes and scrapers. Tokens are
/// compared in constant time.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = EKSNetRequestContext

    let credentials: [(token: [UInt8], caller: Caller)]

    init(credentials: [BearerCredential]) {
        self.credentials = credentials.map { (Array($0.token.utf8), Caller($0)) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let header = request.headers[.authorization] ?? ""
        let scheme = "bearer "
        guard header.utf8.count > scheme.utf8.count, header.prefix(scheme.count).lowercased() == scheme else {
            Telemetry.registry.makeCounter(descriptor: Telemetry.Family.unauthorized).increment()
            throw Self.unauthorized("send Authorization: Bearer <token>")
        }
        let presented = Array(header.utf8.dropFirst(scheme.utf8.count))
        var matched: Caller?
        // Every token is compared, so the time taken does not say which one (or how much of one) matched.
        for credential in credentials where Self.constantTimeEquals(credential.token, presented) {
            matched = credential.caller
        }
        guard let caller = matched else {
            Telemetry.registry.makeCounter(descriptor: Telemetry.Family.unauthorized).increment()
            throw Self.unauthorized("the bearer token is not valid")
        }
        Telemetry.registry.makeCounter(descriptor: Telemetry.Family.authenticated, labels: [("caller", caller.name)]).increment()
        var context = context
        context.caller = caller
        context.logger[metadataKey: "caller"] = .string(caller.name)
        return try await next(request, context)
    }

    /// Compares every byte whatever the contents, so timing does not reveal how much of a token matched.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }

    static func unauthorized(_ detail: String) -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"eksnet\""
        return Problem(
            type: "urn:eksnet:problem:unauthorized", title: "Unauthorized", status: .unauthorized,
            detail: "Authentication is required for /v1: \(detail).", headers: headers)
    }
}
