import Hummingbird

/// Sends the requests whose cost grows with their input to the inline work pool: a body larger than
/// `bodyThreshold` (or of unknown length: chunked), and a picture asked for with `Accept`. Everything else — the
/// small JSON requests portals send, job reads, probes — stays on its connection's event loop, where it is
/// cheapest.
struct HeavyRequestMiddleware: RouterMiddleware {
    let pool: InlineWorkPool
    /// Bodies up to this size are read, decoded and answered on the event loop (the largest evaluation of such a
    /// body costs a few milliseconds).
    static let bodyThreshold = 16 * 1024

    func handle(
        _ request: Request, context: EKSNetRequestContext,
        next: (Request, EKSNetRequestContext) async throws -> Response
    ) async throws -> Response {
        guard Self.isHeavy(request) else { return try await next(request, context) }
        guard Self.hasBody(request) else { return try await pool.run { try await next(request, context) } }
        // The body is read here, on the event loop, before the pool is asked for a place: reading is waiting, not
        // work, and a client that trickles its body must hold only its share of the body budget, never one of the
        // pool's places. The budget's charge lasts the whole request; the decoder is told not to charge again.
        let budget = context.bodyBudget ?? .unbounded
        return try await budget.withBody(of: request, maximum: context.maxUploadSize) { bytes in
            var buffered = request
            buffered.body = RequestBody(buffer: bytes)
            var charged = context
            charged.bodyBudget = .unbounded
            return try await pool.run { try await next(buffered, charged) }
        }
    }

    static func hasBody(_ request: Request) -> Bool {
        request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0
    }

    static func isHeavy(_ request: Request) -> Bool {
        if PictureFormat.requested(request) != nil { return true }
        switch request.method {
        case .get, .head, .delete, .options: return false
        default:
            guard let length = request.headers[.contentLength] else {
                return request.headers[.transferEncoding] != nil
            }
            return Int(length).map { $0 > bodyThreshold } ?? true
        }
    }
}
