import Hummingbird

/// Optional bearer-token authentication for `/v1`: health, readiness and metrics stay open for probes and
/// scrapers. Tokens are compared in constant time.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: [[UInt8]]

    init(tokens: [String]) {
        self.tokens = tokens.map { Array($0.utf8) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !tokens.isEmpty, request.uri.path.hasPrefix("/v1") else { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else {
            throw Self.unauthorized("send Authorization: Bearer <token>")
        }
        let presented = Array(header.utf8.dropFirst(scheme.count))
        var matched = false
        for token in tokens where Self.constantTimeEquals(token, presented) { matched = true }
        guard matched else { throw Self.unauthorized("the bearer token is not valid") }
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
