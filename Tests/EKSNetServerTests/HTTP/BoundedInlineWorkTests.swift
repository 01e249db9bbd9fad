import EKSNetCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import EKSNetServer

/// Issue 28, item 1: what one body can make a request spend inline is bounded before it is spent — unknown
/// members reported, "did you mean" searches made — however the body is shaped.
@Suite struct BoundedInlineWorkTests {
    static func capacity(groups: Int, group: (Int) -> [String: Any]) -> ByteBuffer {
        TestSupport.json(["nodeGroups": (0..<groups).map(group)])
    }

    @Test func unknownMembersAreReportedUpToALimitAndOnlyTheFirstGetSuggestions() throws {
        let body = Self.capacity(groups: 500) { index in
            ["name": "g\(index)", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 3, "maxPod": 110]
        }
        let (_, unknown) = try JSONWire.decode(CapacityRequest.self, from: body)
        #expect(unknown.count == 100)
        #expect(unknown.prefix(20).allSatisfy { $0.suggestion == "maxPods" })
        #expect(unknown.dropFirst(20).allSatisfy { $0.suggestion == nil })
        #expect(unknown.first?.pointer == "/nodeGroups/0/maxPod")
    }

    @Test func aHugeUnknownNameGetsNoSuggestionSearch() throws {
        let name = String(repeating: "maxPodz", count: 100_000)
        let body = Self.capacity(groups: 1) { _ in
            ["name": "g", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 3, name: 1]
        }
        let (_, unknown) = try JSONWire.decode(CapacityRequest.self, from: body)
        #expect(unknown.count == 1)
        #expect(unknown.first?.suggestion == nil)
    }

    /// Every misspelt type is named, but only the first ten get a catalog search for the closest names.
    @Test func misspeltInstanceTypesAreAllNamedAndTheFirstTenGetSuggestions() async throws {
        let body = Self.capacity(groups: 6) { index in
            ["name": "g\(index)", "instanceTypes": ["m5.larg", "c5.xlarg", "r5.2xlarg", "t3.medim", "m6i.larg"],
             "minSize": 1, "maxSize": 3]
        }
        try await TestSupport.withRouter { client in
            let response = try await client.execute(
                uri: "/v1/capacity", method: .post, headers: TestSupport.jsonHeaders, body: body)
            let problem = try expectProblem(response, .unprocessableContent)
            let errors = try #require(problem["errors"] as? [[String: Any]])
            let messages = errors.compactMap { $0["message"] as? String }.filter { $0.hasPrefix("unknown instance type") }
            #expect(messages.count == 30)
            #expect(messages.filter { $0.contains("did you mean") }.count == IssueCollector.suggestionLimit)
            #expect(messages.first?.contains("did you mean m5.large") == true)
        }
    }
}
