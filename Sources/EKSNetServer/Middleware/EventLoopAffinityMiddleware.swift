import Hummingbird
import NIOCore

/// Runs the rest of a request on its connection's event loop, when Swift concurrency runs on NIO's loops. A
/// connection's task starts on the loop that accepted the connection and stays on whatever loop last resumed it:
/// a client that sends its request with the connect (curl, a new connection per call) would have its request
/// decoded, computed and encoded on the accepting loop while the other loops idle, and its answer handed across
/// threads to its own loop. One hop here, only when on another loop, spreads the work as the connections are.
struct EventLoopAffinityMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: EKSNetRequestContext,
        next: (Request, EKSNetRequestContext) async throws -> Response
    ) async throws -> Response {
        let loop = context.eventLoop
        if !loop.inEventLoop {
            // The future completes on `loop`, and the task resumes where its continuation was resumed.
            try await loop.submit {}.get()
        }
        return try await next(request, context)
    }
}
