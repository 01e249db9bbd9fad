import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// Issue 28, items 2 and 6, on a real socket: every request is received within its deadline, request bodies share
/// one memory budget, HTTP/1.0 and `Expect: 100-continue` are answered as HTTP/1.x says.
@Suite struct RequestLimitsTests {
    static func live(
        _ configure: (inout AppConfiguration) -> Void = { _ in }, readiness: Readiness = Readiness(.ready),
        _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        var configuration = TestSupport.configuration()
        configure(&configuration)
        let app = buildApplication(configuration, readiness: readiness)
        try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    /// A client that stops halfway through its headers gets 408 and a closed connection once the request timeout
    /// (1 s here) has passed, although it never stays silent as long as the idle timeout (120 s).
    @Test func headersThatNeverEndGet408AndAClosedConnection() async throws {
        try await Self.live({ $0.requestTimeout = .seconds(1); $0.idleTimeoutSeconds = 120 }) { port in
            let (answer, closed) = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                return connection.readUntilClosed()
            }
            #expect(answer.hasPrefix("HTTP/1.1 408 "), "\(answer)")
            #expect(answer.contains("urn:eksnet:problem:request-timeout"))
            #expect(closed)
        }
    }

    /// A body that stops short of its Content-Length: the handler's read fails at the deadline and the client is
    /// told so (408, connection closed) instead of holding the connection and the bytes so far.
    @Test func aBodyThatNeverEndsGets408AndAClosedConnection() async throws {
        try await Self.live({ $0.requestTimeout = .seconds(1); $0.idleTimeoutSeconds = 120 }) { port in
            let (answer, closed) = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send(
                    "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"nodeGroups\"")
                return connection.readUntilClosed()
            }
            #expect(answer.hasPrefix("HTTP/1.1 408 "), "\(answer)")
            #expect(closed)
        }
    }

    /// Keep-alive requests are not cut by the deadline: it counts from a request's first byte, not from the
    /// connection's start.
    @Test func theDeadlineCountsPerRequestNotPerConnection() async throws {
        try await Self.live({ $0.requestTimeout = .seconds(1) }) { port in
            let answers = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                var answers: [String] = []
                for _ in 0..<3 {
                    connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                    answers.append(connection.readResponse())
                    Thread.sleep(forTimeInterval: 0.7)
                }
                return answers
            }
            #expect(answers.allSatisfy { $0.hasPrefix("HTTP/1.1 200 ") }, "\(answers)")
        }
    }

    @Test func anHTTP10RequestIsAnsweredAsHTTP10AndTheConnectionCloses() async throws {
        try await Self.live { port in
            let (answer, closed) = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send("GET /healthz HTTP/1.0\r\n\r\n")
                return connection.readUntilClosed()
            }
            #expect(answer.hasPrefix("HTTP/1.0 200 "), "\(answer)")
            #expect(answer.lowercased().contains("connection: close"))
            #expect(answer.hasSuffix(#"{"status":"ok"}"#), "\(answer)")
            #expect(closed)
        }
    }

    @Test func anHTTP10RequestWithKeepAliveKeepsItsConnection() async throws {
        try await Self.live { port in
            let answers = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let first = connection.readResponse()
                connection.send("GET /readyz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                return [first, connection.readResponse()]
            }
            #expect(answers.allSatisfy { $0.hasPrefix("HTTP/1.0 200 ") }, "\(answers)")
        }
    }

    /// curl waits up to a second for `100 Continue` before it sends a large body; the server says it at once.
    @Test func expectContinueGets100ContinueBeforeTheBody() async throws {
        try await Self.live { port in
            let (interim, final) = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                let body = #"{"instanceTypes":["m5.large"]}"#
                connection.send(
                    "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n")
                let interim = connection.readResponse()
                connection.send(body)
                return (interim, connection.readResponse())
            }
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue"), "\(interim)")
            #expect(final.hasPrefix("HTTP/1.1 "), "\(final)")
            #expect(!final.hasPrefix("HTTP/1.1 5"), "\(final)")
        }
    }

    /// With the budget smaller than one body, a body that fits the size limit is still refused, with 503 and
    /// Retry-After, before it is read.
    @Test func aBodyPastTheProcessWideBudgetGets503WithRetryAfter() async throws {
        try await Self.live({ $0.maxBufferedBodyBytes = 64 << 10 }) { port in
            let answer = try await offThePool {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send(
                    "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{")
                return connection.readResponse()
            }
            #expect(answer.hasPrefix("HTTP/1.1 503 "), "\(answer)")
            #expect(answer.lowercased().contains("retry-after: 1"))
            #expect(answer.contains("--max-buffered-body-bytes"))
        }
    }

    /// A client trickling a large body holds its share of the body budget, never one of the inline pool's places:
    /// with a single place, a second large request is still served while the first one's body has not arrived.
    @Test func aTricklingLargeBodyHoldsNoPlaceInThePool() async throws {
        try await Self.live({ $0.inlineAdmissionLimit = 1 }) { port in
            let answer = try await offThePool {
                let slow = try RawConnection(port: port)
                defer { slow.close() }
                slow.send(
                    "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40000\r\n\r\n{")
                Thread.sleep(forTimeInterval: 0.2)
                let padding = String(repeating: " ", count: 30_000)
                let body = #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3}]\#(padding)}"#
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send(
                    "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
                return connection.readResponse()
            }
            #expect(answer.hasPrefix("HTTP/1.1 200 "), "\(answer.prefix(300))")
        }
    }

    @Test func theBudgetIsRefundedOnceABodyIsDecoded() async throws {
        let budget = RequestBodyBudget(limit: 1 << 20)
        #expect(budget.reserve(600 << 10))
        #expect(!budget.reserve(600 << 10))
        budget.release(600 << 10)
        #expect(budget.reserve(600 << 10))
        budget.release(600 << 10)
        #expect(budget.heldBytes == 0)
        try await Self.live({ $0.maxBufferedBodyBytes = 64 << 10 }) { port in
            // Many bodies in a row, each under the budget: none is refused, so none stayed charged.
            let statuses = try await offThePool {
                try (0..<20).map { _ -> String in
                    let connection = try RawConnection(port: port)
                    defer { connection.close() }
                    let body = #"{"instanceTypes":["m5.large"]}"#
                    connection.send(
                        "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
                    return String(connection.readResponse().prefix(12))
                }
            }
            #expect(!statuses.contains { $0.hasPrefix("HTTP/1.1 503") }, "\(statuses)")
        }
    }
}
