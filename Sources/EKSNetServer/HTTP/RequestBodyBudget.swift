import Hummingbird
import NIOCore
import Synchronization

/// A process-wide bound on request body bytes held in memory at once. Each body is charged before it is read (its
/// declared `Content-Length`, or chunk by chunk when it has none) and refunded once it has been decoded; a body
/// that does not fit gets 503 with `Retry-After` before any more of it is read. Without it, 600 clients each
/// sending most of a 1 MiB body took the process from 35 to 812 MiB (issue 28).
public final class RequestBodyBudget: Sendable {
    /// Bytes all bodies being read may hold together.
    public let limit: Int
    private let held = Mutex(0)

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Body bytes held now.
    public var heldBytes: Int { held.withLock { $0 } }

    func reserve(_ bytes: Int) -> Bool {
        held.withLock { held in
            guard bytes <= limit - held else { return false }
            held += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        held.withLock { $0 -= bytes }
    }

    /// Reads the whole body within `maximum` bytes, charging it to the budget; `consume` gets the bytes while they
    /// are charged (the charge is refunded when it returns).
    func withBody<T>(
        of request: Request, maximum: Int, _ consume: (ByteBuffer) async throws -> T
    ) async throws -> T {
        var charged = 0
        defer { if charged > 0 { release(charged) } }
        let bytes = try await collect(request.body, declaredLength: request.headers[.contentLength].flatMap { Int($0) },
                                      maximum: maximum, charged: &charged)
        return try await consume(bytes)
    }

    /// Reads a body, charging its declared length up front, or each chunk as it comes when it declares none.
    private func collect(
        _ body: RequestBody, declaredLength: Int?, maximum: Int, charged: inout Int
    ) async throws -> ByteBuffer {
        if let declaredLength {
            guard declaredLength <= maximum else { throw JSONRequestDecoder.tooLarge(maximum) }
            guard reserve(declaredLength) else { throw full() }
            charged = declaredLength
            do {
                return try await body.collect(upTo: maximum)
            } catch is NIOTooManyBytesError {
                throw JSONRequestDecoder.tooLarge(maximum)
            }
        }
        var bytes = ByteBuffer()
        for try await chunk in body {
            guard chunk.readableBytes <= maximum - bytes.readableBytes else { throw JSONRequestDecoder.tooLarge(maximum) }
            guard reserve(chunk.readableBytes) else { throw full() }
            charged += chunk.readableBytes
            var chunk = chunk
            bytes.writeBuffer(&chunk)
        }
        return bytes
    }

    func full() -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        headers[.connection] = "close"
        return Problem(
            type: "urn:eksnet:problem:busy", title: "Busy", status: .serviceUnavailable,
            detail: "The server holds as many request bodies as it may (\(limit) bytes, --max-buffered-body-bytes); "
                + "retry in a second.", headers: headers)
    }
}

extension RequestBodyBudget {
    /// For a context no `RequestBodyMiddleware` has set up (the body is still bounded by `maxUploadSize`).
    static let unbounded = RequestBodyBudget(limit: .max)
}

extension RequestBodyBudget {
    /// The probe listener's: its routes take no body.
    static let probes = RequestBodyBudget(limit: 1 << 20)
}
