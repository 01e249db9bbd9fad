import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import EKSNetServer

/// A bare TCP connection to the live server, for what an HTTP client library will not send.
struct RawConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
    }

    func send(bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything until the server closes the connection or the timeout passes.
    func readAll() -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    func close() { _ = Glibc.close(fd) }
}

@Suite struct HostileInputTests {
    func live(_ body: @escaping @Sendable (any TestClientProtocol, Int) async throws -> Void) async throws {
        var configuration = TestSupport.configuration(maxBody: 64 * 1024)
        configuration.idleTimeoutSeconds = 1
        let app = buildApplication(configuration, readiness: Readiness(.ready))
        try await app.test(.live) { client in
            try await body(client, try #require(client.port))
        }
    }

    @Test func chunkedBodyWithoutLengthOverTheLimitIs413() async throws {
        try await live { _, port in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            connection.send("POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = String(repeating: " ", count: 16 * 1024)
            for _ in 0..<8 { connection.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n") }
            connection.send("0\r\n\r\n")
            let answer = connection.readAll()
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
            #expect(answer.contains("application/problem+json"))
        }
    }

    @Test func aClientThatStopsMidBodyIsCutOffAndOthersAreNot() async throws {
        try await live { client, port in
            let stalled = try RawConnection(port: port)
            defer { stalled.close() }
            stalled.send("POST /v1/capacity HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"nodeGroups\": [")
            // Meanwhile another client is served at once.
            #expect(try await client.get("/healthz").status == .ok)
            let start = ContinuousClock.now
            let answer = stalled.readAll()
            #expect(ContinuousClock.now - start < .seconds(8))
            #expect(!answer.hasPrefix("HTTP/1.1 5"))
            #expect(try await client.get("/readyz").status == .ok)
        }
    }

    @Test func garbageAndHugeInputsGet4xxProblems() async throws {
        try await live { client, _ in
            var invalidUTF8 = ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"")
            invalidUTF8.writeBytes([0xC3, 0x28, 0xFF])
            invalidUTF8.writeString("\"}]}")
            let bodies: [ByteBuffer] = [
                ByteBuffer(string: "not json at all"),
                ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"a\", \"instanceTypes\": [\"m5.large\"], \"minSize\": 1, \"maxSize\": 1e309}]}"),
                ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"a\", \"instanceTypes\": [\"m5.large\"], \"minSize\": -9223372036854775808, \"maxSize\": 9223372036854775807}]}"),
                ByteBuffer(string: String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)),
                ByteBuffer(string: "{\"nodeGroups\": [" + Array(repeating: "1", count: 30_000).joined(separator: ",") + "]}"),
                ByteBuffer(string: "{\"nodeGroups\": [{\"name\": \"a\", \"instanceTypes\": [\"m5.large\"], \"minSize\": 0, \"maxSize\": 0}]}".replacingOccurrences(of: "\"minSize\": 0", with: "\"minSize\": -5")),
                invalidUTF8,
            ]
            for body in bodies {
                for path in ["/v1/capacity", "/v1/plans", "/v1/simulations", "/v1/subnet-tags"] {
                    let response = try await client.execute(uri: path, method: .post, headers: TestSupport.jsonHeaders, body: body)
                    #expect((400...499).contains(Int(response.status.code)), "\(path): \(response.status) \(String(buffer: response.body).prefix(200))")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            let huge = "{\"subnets\": [" + Array(repeating: "{\"subnetId\": \"s\"}", count: 100_000).joined(separator: ",") + "]}"
            let tooBig = try await client.execute(
                uri: "/v1/plans", method: .post, headers: TestSupport.jsonHeaders, body: ByteBuffer(string: huge))
            try expectProblem(tooBig, .contentTooLarge)
            #expect(try await client.get("/healthz").status == .ok)
        }
    }

    @Test func hundredThousandElementArraysWithinTheLimitAreRefusedQuickly() async throws {
        let app = buildApplication(TestSupport.configuration(maxBody: 16 << 20), readiness: Readiness(.ready))
        try await app.test(.router) { client in
            let subnets = Array(repeating: "{\"subnetId\":\"s\",\"availabilityZone\":\"a\",\"cidrBlock\":\"10.0.0.0/24\"}", count: 100_000)
            let body = "{\"clusterName\":\"x\",\"region\":\"us-east-1\",\"vpc\":{\"cidrBlocks\":[\"10.0.0.0/16\"]},\"clusterSubnetIds\":[\"s\"],\"subnets\":[" + subnets.joined(separator: ",") + "]}"
            let start = ContinuousClock.now
            let problem = try expectProblem(try await client.post("/v1/plans", raw: body), .unprocessableContent)
            #expect(issueLocations(problem).contains("/subnets"))
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }
}
