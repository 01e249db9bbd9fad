import Hummingbird

/// CORS for browser portals from an allow-list of origins: requests from a listed origin go through Hummingbird's
/// CORS middleware (which echoes the origin); others get no CORS headers, so browsers refuse them.
struct AllowListedCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>
    let cors = CORSMiddleware<Context>(
        allowOrigin: .originBased,
        allowHeaders: [.contentType, .authorization, .init("Idempotency-Key")!, .init("Prefer")!, .init("X-Request-Id")!],
        allowMethods: [.get, .post, .delete, .options],
        exposedHeaders: ["Location", "X-Request-Id", "Preference-Applied", "Retry-After"],
        maxAge: .seconds(600))

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let origin = request.headers[.origin], origins.contains(origin) else {
            return try await next(request, context)
        }
        return try await cors.handle(request, context: context, next: next)
    }
}
