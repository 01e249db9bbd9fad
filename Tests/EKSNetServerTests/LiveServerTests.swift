import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// The real server on a free loopback port, spoken to over a real socket.
@Suite struct LiveServerTests {
    /// With the executable's executor takeover, each request first moves to its connection's event loop
    /// (`EventLoopAffinityMiddleware`); the answers are the same either way.
    static func configuration(onEventLoops: Bool) -> AppConfiguration {
        var configuration = TestSupport.configuration()
        configuration.concurrencyOnEventLoops = onEventLoops
        return configuration
    }

    @Test(arguments: [false, true])
    func servesOverARealSocket(onEventLoops: Bool) async throws {
        let app = buildApplication(Self.configuration(onEventLoops: onEventLoops))
        try await app.test(.live) { client in
            #expect(try await client.get("/healthz").status == .ok)
            #expect(try await client.get("/readyz").status == .ok)
            let capacity = try await client.post("/v1/capacity", json: CapacityRoutesTests.threeGroups)
            #expect(capacity.status == .ok)
            let missing = try await client.get("/v1/instance-types/m5.larg")
            try expectProblem(missing, .notFound)
            #expect(missing.headers[.init("X-Request-Id")!] != nil)
        }
    }

    @Test(arguments: [false, true])
    func thirtyConcurrentRequests(onEventLoops: Bool) async throws {
        let app = buildApplication(Self.configuration(onEventLoops: onEventLoops))
        try await app.test(.live) { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        try await client.post(
                            "/v1/capacity",
                            json: ["nodeGroups": [["name": "g\(index)", "instanceTypes": ["m5.large"], "minSize": 0, "maxSize": index]]]
                        ).status
                    }
                }
                for try await status in group {
                    #expect(status == .ok)
                }
            }
        }
    }
}
