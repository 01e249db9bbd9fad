import Hummingbird
import Logging

/// One structured log line per request: method, path, status, duration, request id (from the logger metadata), and
/// on `/v1` with authentication the caller's name (never the token).
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = EKSNetRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        guard context.logger.logLevel <= .info else { return response }
        let elapsed = ContinuousClock.now - start
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "duration_us": .stringConvertible(micros),
        ]
        if let caller = context.callerForLog.name { metadata["caller"] = .string(caller) }
        context.logger.info("request", metadata: metadata)
        return response
    }
}
