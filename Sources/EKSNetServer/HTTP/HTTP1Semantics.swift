import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// What HTTP/1.x asks of a server that the HTTP-types codec cannot see, since its request and response types carry
/// no version: an HTTP/1.0 request is answered as HTTP/1.0 and, without `Connection: keep-alive`, on a connection
/// that then closes (RFC 9112 §9.3); `Expect: 100-continue` gets its `100 Continue` (RFC 9110 §10.1.1), so that a
/// client waiting for it before sending a body (curl does for large bodies) is not left waiting a second.
enum HTTP1Semantics {
    /// Put in the channel's additional handlers: moves `Handler` in front of the HTTP-types codec, where requests
    /// and responses still carry their version, and leaves.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = Never

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
                try? pipeline.addHandler(Handler(), position: .before(codec))
            }
            pipeline.removeHandler(context: context, promise: nil)
        }
    }

    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        typealias OutboundIn = HTTPServerResponsePart
        typealias OutboundOut = HTTPServerResponsePart

        /// The version and persistence of each request not yet answered, oldest first (pipelined requests).
        private var pending: [(version: HTTPVersion, keepAlive: Bool)] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head(let head) = unwrapInboundIn(data) {
                pending.append((head.version, head.isKeepAlive))
                let expectsContinue = head.headers["expect"].contains { $0.lowercased() == "100-continue" }
                if expectsContinue, head.version.major > 1 || head.version.minor >= 1 {
                    context.writeAndFlush(
                        wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
                }
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            switch unwrapOutboundIn(data) {
            case .head(var head) where head.status.code >= 200:
                guard let request = pending.first else { break }
                head.version = request.version
                if !request.keepAlive { head.headers.replaceOrAdd(name: "connection", value: "close") }
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            case .end:
                guard !pending.isEmpty else { break }
                let request = pending.removeFirst()
                if !request.keepAlive {
                    let written = promise ?? context.eventLoop.makePromise()
                    context.write(data, promise: written)
                    let channel = context.channel
                    written.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    return
                }
            default: break
            }
            context.write(data, promise: promise)
        }
    }
}
