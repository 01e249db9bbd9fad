import EKSNetCore
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error into an `application/problem+json` response: our problems as they are, the core's validation
/// failures into a 422 that names each field, Hummingbird's HTTP
/// errors with their status, a known path with the wrong method into 405 with `Allow`, anything else into a 500
/// that is logged (and that tests treat as a bug). A request whose framing breaks while its body is read (a bad
/// chunk size, an unknown transfer coding) gets a 400 that closes the connection, since nothing after it on the
/// connection can be trusted.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let failure as ValidationFailure {
            // Input the core cannot use: one 422 naming every field, for every route.
            return try Problem.invalid(failure.issues).response(from: request, context: context)
        } catch is RequestDeadline.Expired {
            return try RequestDeadline.problem().response(from: request, context: context)
        } catch let error as HTTPParserError {
            return try HTTPFraming.problem(for: error).response(from: request, context: context)
        } catch let error as HTTPError {
            return try problem(for: error, request: request).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Problem(status: error.status, detail: error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return try Problem(status: .internalServerError, detail: "An unexpected error occurred; it has been logged.")
                .response(from: request, context: context)
        }
    }

    func problem(for error: HTTPError, request: Request) -> Problem {
        if error.status == .notFound {
            if let list = routes.allowHeader(forPath: request.uri.path) {
                var headers = HTTPFields()
                headers[.allow] = list
                return Problem(
                    status: .methodNotAllowed,
                    detail: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(list).",
                    headers: headers)
            }
            return Problem(status: .notFound, detail: "No route matches \(request.method.rawValue) \(request.uri.path).")
        }
        if error.status == .contentTooLarge {
            return Problem(status: .contentTooLarge, detail: error.body ?? "The request body is too large.")
        }
        return Problem(status: error.status, detail: error.body ?? error.status.reasonPhrase)
    }
}
