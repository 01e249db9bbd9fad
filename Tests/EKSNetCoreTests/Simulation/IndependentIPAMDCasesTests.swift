import Foundation
import Testing

@testable import EKSNetCore

/// Timelines written by a reviewer who read ipamd (v1.18.2, v1.18.3, v1.20.0), kube-scheduler and the ReplicaSet
/// controller but not eksnet: each expectation is worked out by hand and cites the function it follows
/// (Fixtures/simulation/independent-ipamd-cases.json).
@Suite struct IndependentIPAMDCasesTests {
    struct Case: Decodable, CustomTestStringConvertible {
        struct Expectation: Decodable {
            var path: String
            var at: Int?
            var equals: Int
            var source: String
        }
        var name: String
        var request: SimulationInput
        var expect: [Expectation]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/simulation/independent-ipamd-cases.json")
        // A missing or broken fixture fails the count check below rather than the whole suite's set-up.
        return (try? JSONDecoder().decode([Case].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func theFixtureHoldsEveryCase() {
        #expect(Self.cases.count == 18)
    }

    @Test(arguments: cases) func matchesTheHandTimeline(_ testCase: Case) throws {
        let result = try IPAllocationSimulator.run(testCase.request, aws: .embedded)
        let tree = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result))
        let times = try #require((tree as? [String: Any])?["times"] as? [Int])
        for expectation in testCase.expect {
            var node: Any = tree
            for part in expectation.path.split(separator: ".") {
                if let index = Int(part), let array = node as? [Any] {
                    node = array[index]
                } else {
                    node = try #require((node as? [String: Any])?[String(part)], "\(expectation.path)")
                }
            }
            if let at = expectation.at {
                let index = try #require(times.firstIndex(of: at), "no point at \(at) s")
                node = try #require((node as? [Any])?[index])
            }
            #expect(node as? Int == expectation.equals, "\(expectation.path) at \(expectation.at ?? -1): \(expectation.source.prefix(200))")
        }
    }
}
