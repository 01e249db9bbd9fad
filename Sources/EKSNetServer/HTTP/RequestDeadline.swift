import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// A deadline for each whole request, headers and body, counted from its first byte: the idle timeout alone lets a
/// client that sends a byte every 20 s keep a connection, and the body buffered so far, for ever (issue 28), and
/// such a client held a graceful shutdown for its whole grace period. While draining, a request still being
/// received gets a short deadline of its own (`drainingAllowance`).
enum RequestDeadline {
    /// While the server drains, a request still arriving has at most this long left.
    static let drainingAllowance = TimeAmount.seconds(2)
    /// How often a receiving connection checks its deadline and the server's draining.
    static let tick = TimeAmount.seconds(1)

    struct Expired: Error {}

    static func problem() -> Problem {
        var headers = HTTPFields()
        headers[.connection] = "close"
        return Problem(
            type: "urn:eksnet:problem:request-timeout", title: "Request timeout", status: .requestTimeout,
            detail: "The request was not received in time (--request-timeout); the connection is closed.",
            headers: headers)
    }

    /// Sits after Hummingbird's HTTP codec; installs a byte watcher at the front of the pipeline when added.
    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        enum State {
            /// Between requests: the idle timeout governs.
            case idle
            /// Bytes of a request arrived; `headPassed` once the router has it.
            case receiving(deadline: NIODeadline, headPassed: Bool)
            /// The whole request arrived; its response is being made.
            case responding
        }

        let timeout: TimeAmount
        let isDraining: @Sendable () -> Bool
        private var state = State.idle
        private var timer: Scheduled<Void>?
        private var writeStall: Scheduled<Void>?
        private var expired = false

        init(timeout: TimeAmount, isDraining: @escaping @Sendable () -> Bool) {
            self.timeout = timeout
            self.isDraining = isDraining
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let watcher = FirstByteWatcher { [self] in self.bytesArrived(context: context) }
            try? context.pipeline.syncOperations.addHandler(watcher, position: .first)
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            timer?.cancel()
            timer = nil
            writeStall?.cancel()
            writeStall = nil
        }

        /// The write timeout: a client that stops reading its response leaves the connection unwritable; past the
        /// request timeout it is closed, and the response's buffers with it.
        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if context.channel.isWritable {
                writeStall?.cancel()
                writeStall = nil
            } else if writeStall == nil {
                writeStall = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { context.close(promise: nil) }
            }
            context.fireChannelWritabilityChanged()
        }

        func bytesArrived(context: ChannelHandlerContext) {
            guard case .idle = state, !expired else { return }
            state = .receiving(deadline: .now() + timeout, headPassed: false)
            schedule(context: context)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !expired else { return }
            switch unwrapInboundIn(data) {
            case .head:
                if case .receiving(let deadline, _) = state {
                    state = .receiving(deadline: deadline, headPassed: true)
                } else {
                    state = .receiving(deadline: .now() + timeout, headPassed: true)
                    schedule(context: context)
                }
            case .body: break
            case .end:
                state = .responding
                timer?.cancel()
                timer = nil
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data), case .responding = state { state = .idle }
            context.write(data, promise: promise)
        }

        private func schedule(context: ChannelHandlerContext) {
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: RequestDeadline.tick) { [self] in self.check(context: context) }
        }

        private func check(context: ChannelHandlerContext) {
            guard case .receiving(var deadline, let headPassed) = state else { return }
            let now = NIODeadline.now()
            if isDraining() { deadline = min(deadline, now + RequestDeadline.drainingAllowance) }
            state = .receiving(deadline: deadline, headPassed: headPassed)
            guard now >= deadline else {
                schedule(context: context)
                return
            }
            expired = true
            timer = nil
            if headPassed {
                // The handler is reading the body: failing the read lets it answer 408 (ProblemMiddleware), after
                // which the connection closes.
                context.fireErrorCaught(Expired())
            } else {
                HTTPFraming.answerAndClose(RequestDeadline.problem(), context: context, wrap: wrapOutboundOut)
            }
        }
    }

    /// Ahead of the HTTP decoder: tells the deadline handler that bytes arrived, and passes them on untouched.
    final class FirstByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        let arrived: () -> Void

        init(_ arrived: @escaping () -> Void) {
            self.arrived = arrived
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            arrived()
            context.fireChannelRead(data)
        }
    }
}
