import HTTPTypes
import NIOCore
import NIOHTTP1
import Hummingbird
import NIOHTTPTypes

/// Requests whose HTTP/1.1 framing is broken: what to tell the client, and a channel handler that answers with a
/// problem document when the break comes before the router could see a request.
enum HTTPFraming {
    /// 400, closing the connection: after a framing error the server cannot tell where the next request starts.
    static func problem(for error: HTTPParserError) -> Problem {
        var headers = HTTPFields()
        headers[.connection] = "close"
        return Problem(
            type: "urn:eksnet:problem:malformed-http", title: "Malformed HTTP request", status: .badRequest,
            detail: "The request is not valid HTTP/1.1 (\(describe(error))); the connection is closed.",
            headers: headers)
    }

    static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .unexpectedContentLength:
            return "Transfer-Encoding or Content-Length is not usable: only 'chunked' is understood, never with Content-Length"
        case .invalidChunkSize: return "a chunk size is not a hexadecimal number within range"
        case .invalidContentLength: return "Content-Length is not a number within range"
        case .headerOverflow: return "the header section is too large"
        case .invalidHeaderToken, .invalidCharactersUsed: return "a header line is malformed"
        case .invalidMethod: return "the method is not a valid token"
        case .invalidURL, .invalidHost, .invalidPort, .invalidPath, .invalidQueryString, .invalidFragment:
            return "the request target is malformed"
        case .invalidVersion, .invalidStatus: return "the HTTP version is malformed"
        case .invalidConstant, .strictModeAssertion, .lfExpected: return "a line ending or fixed token is malformed"
        case .trailingGarbage: return "bytes follow where a request should start"
        case .invalidEOFState, .closedConnection: return "the connection ended inside a request"
        case .unknown: return "the message framing is not understood, such as a Transfer-Encoding other than chunked"
        default: return "\(error)"
        }
    }

    /// Sits after Hummingbird's HTTP codec. A framing error before any request of the connection reached the
    /// router (a malformed request line or header section) would otherwise get a bare 400 with no body: this
    /// writes the problem document instead and closes. A framing error inside a request's body is passed on, so
    /// that the body read fails and `ProblemMiddleware` answers for that request.
    final class ErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        /// Whether a request's head went up and its response has not ended yet.
        private var requestInFlight = false
        /// Whether the request in flight sent all of its body.
        private var requestComplete = false
        /// A framing error that followed a complete request, answered once that request's response has ended.
        private var deferred: HTTPParserError?
        private var answered = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            switch unwrapInboundIn(data) {
            case .head:
                requestInFlight = true
                requestComplete = false
            case .body: break
            case .end: requestComplete = true
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            let part = unwrapOutboundIn(data)
            context.write(data, promise: promise)
            if case .end = part {
                requestInFlight = false
                if let error = deferred {
                    deferred = nil
                    answer(error, context: context)
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            guard let parserError = error as? HTTPParserError, !answered else {
                context.fireErrorCaught(error)
                return
            }
            if !requestInFlight {
                answer(parserError, context: context)
            } else if requestComplete {
                deferred = parserError
            } else {
                context.fireErrorCaught(error)
            }
        }

        private func answer(_ error: HTTPParserError, context: ChannelHandlerContext) {
            answered = true
            HTTPFraming.answerAndClose(HTTPFraming.problem(for: error), context: context, wrap: wrapOutboundOut)
        }
    }

    /// Writes a problem as the whole response, below the router (which never saw a request to answer), then
    /// closes the connection.
    static func answerAndClose(
        _ problem: Problem, context: ChannelHandlerContext, wrap: (HTTPResponsePart) -> NIOAny
    ) {
        var fields = problem.headers
        fields[.contentType] = "application/problem+json"
        let body = Problem.Body(
            type: problem.type, title: problem.title, status: Int(problem.status.code), detail: problem.detail,
            instance: nil, requestId: nil, errors: nil, suggestions: nil)
        let bytes = (try? JSONWire.encoder.encode(body)) ?? []
        fields[.contentLength] = String(bytes.count)
        context.write(wrap(.head(HTTPResponse(status: problem.status, headerFields: fields))), promise: nil)
        context.write(wrap(.body(ByteBuffer(bytes: bytes))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrap(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
