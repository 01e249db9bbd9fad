import Hummingbird

/// Request metrics with Prometheus's conventions: `eksnet_http_requests_total` and, for answers of 400 and more,
/// `eksnet_http_request_errors_total` (by method, route and status), `eksnet_http_request_duration_seconds` (by
/// method and route) and `eksnet_http_requests_in_flight`. It runs outermost, so it counts the answer the client
/// got — a problem response made from an error included. The route is the matched route's pattern
/// (`/v1/plans/{id}`), never the raw path, so that a scanner cannot grow the label set.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let inFlight = Telemetry.registry.makeGauge(descriptor: Telemetry.Family.requestsInFlight)
        inFlight.increment()
        defer { inFlight.decrement() }
        let status: Int
        let response: Response
        do {
            response = try await next(request, context)
            status = response.status.code
        } catch let error as HTTPResponseError {
            record(request, context: context, status: error.status.code, since: start)
            throw error
        } catch {
            record(request, context: context, status: 500, since: start)
            throw error
        }
        record(request, context: context, status: status, since: start)
        return response
    }

    func record(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let labels = [("method", method), ("route", route), ("status", String(status))]
        Telemetry.registry.makeCounter(descriptor: Telemetry.Family.requests, labels: labels).increment()
        if status >= 400 {
            Telemetry.registry.makeCounter(descriptor: Telemetry.Family.requestErrors, labels: labels).increment()
        }
        Telemetry.registry.makeDurationHistogram(
            descriptor: Telemetry.Family.requestDuration, labels: [("method", method), ("route", route)],
            buckets: Telemetry.requestBuckets
        ).recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
