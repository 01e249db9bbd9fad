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
        let level = Self.isProbeOrScrape(request.uri.path) ? Logger.Level.debug : .info
        guard context.logger.logLevel <= level else { return response }
        let elapsed = ContinuousClock.now - start
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .stringConvertible(Double(elapsed.nanoseconds / 1000) / 1000),
        ]
        if let caller = context.callerForLog.name { metadata["caller"] = .string(caller) }
        context.logger.log(level: level, "request", metadata: metadata)
        return response
    }

    /// Kubelet probes and Prometheus scrapes arrive every few seconds from every replica's neighbours: logged at
    /// debug, so that the info log holds the traffic people send.
    static func isProbeOrScrape(_ path: String) -> Bool {
        path == "/healthz" || path == "/readyz" || path == "/livez" || path == "/metrics"
    }
}
