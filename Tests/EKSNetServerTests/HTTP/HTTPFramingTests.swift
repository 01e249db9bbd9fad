import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// Malformed HTTP/1.1 framing gets a 400 problem document and a closed connection, never a 500 or an empty body
/// (issue 9, defect 6), on a real socket, since only a real parser sees these bytes.
@Suite struct HTTPFramingTests {
    static let cases: [(name: String, request: String)] = [
        ("unknown transfer coding",
         "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        ("chunk size past 64 bits",
         "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
        ("chunk data longer than its size",
         "POST /v1/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n"),
        ("Content-Length not a number", "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
        ("Content-Length and chunked",
         "POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("request line garbage", "GARBAGE\r\n\r\n"),
        ("method with a space", "GE T /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bad version", "GET /healthz HTTP/9\r\nHost: x\r\n\r\n"),
        ("header without a colon", "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"),
        ("control character in a header", "GET /healthz HTTP/1.1\r\nHost: x\u{1}y\r\n\r\n"),
        ("bare LF in the request line", "GET /healthz HTTP/1.1\nHost: x\r\n\r\n"),
        ("garbage after a complete request", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n\u{1}\u{2}garbage\r\n\r\n"),
    ]

    /// The last response on a connection: from the last status line (`HTTP/1.1 ` and three digits) on.
    static func lastResponse(in answer: String) -> String {
        var last = ""
        var rest = Substring(answer)
        while let range = rest.range(of: "HTTP/1.1 ") {
            let after = rest[range.upperBound...]
            if after.prefix(3).allSatisfy(\.isNumber) && after.prefix(4).last == " " { last = String(after) }
            rest = after
        }
        return last
    }

    @Test func malformedFramingGetsAProblemAndAClosedConnection() async throws {
        let app = buildApplication(TestSupport.configuration(), readiness: Readiness(.ready))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for sample in Self.cases {
                let answer = try await offThePool {
                    let connection = try RawConnection(port: port)
                    defer { connection.close() }
                    connection.send(sample.request)
                    return connection.readAll()
                }
                #expect(!answer.contains(" 500 "), "\(sample.name): \(answer)")
                // The last response on the connection is the framing problem, with a body that says what broke.
                let last = Self.lastResponse(in: answer)
                #expect(last.hasPrefix("400 "), "\(sample.name): \(answer)")
                #expect(last.lowercased().contains("content-type: application/problem+json"), "\(sample.name): \(answer)")
                #expect(last.contains(#""type":"urn:eksnet:problem:malformed-http""#), "\(sample.name): \(answer)")
                #expect(last.lowercased().contains("connection: close"), "\(sample.name)")
            }
            // The server is unharmed.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
