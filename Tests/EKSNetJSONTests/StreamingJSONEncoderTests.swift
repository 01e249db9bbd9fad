import EKSNetCore
import Foundation
import Testing

import EKSNetJSON

@Suite struct StreamingJSONEncoderTests {
    struct Sample: Encodable {
        var name = "a \"quoted\"\nline\\ with \u{01} and ünïcode/slash"
        var count: Int8 = -3
        var big: UInt64 = 18_446_744_073_709_551_615
        var ratio = 99.9
        var whole = 100.0
        var flag = true
        var missing: Int? = nil
        var present: Int? = 7
        var list = [1, 2, 3]
        var nested = [["x": "1", "b": "2"]]
        var date = Date(timeIntervalSince1970: 1_800_000_000)
        var cidr = try! CIDRBlock(parsing: "10.0.0.0/16")
    }

    func roundTrip(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(value)), options: [.fragmentsAllowed])
    }

    @Test func writesValidJSONWithTheSameValues() throws {
        let object = try #require(try roundTrip(Sample()) as? [String: Any])
        #expect(object["name"] as? String == Sample().name)
        #expect(object["count"] as? Int == -3)
        #expect((object["big"] as? NSNumber)?.uint64Value == UInt64.max)
        #expect(object["ratio"] as? Double == 99.9)
        #expect(object["whole"] as? Double == 100)
        #expect(object["flag"] as? Bool == true)
        #expect(object["missing"] == nil)
        #expect(object["present"] as? Int == 7)
        #expect(object["list"] as? [Int] == [1, 2, 3])
        #expect(object["date"] as? String == "2027-01-15T08:00:00Z")
        #expect(object["cidr"] as? String == "10.0.0.0/16")
        let text = String(decoding: try StreamingJSONEncoder().encode(Sample()), as: UTF8.self)
        #expect(text.contains(#"[{"b":"2","x":"1"}]"#))
        #expect(text.hasPrefix(#"{"name":"#))
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.infinity]) }
    }

    @Test func matchesFoundationOnEveryResponseShape() throws {
        let evaluation = try PlanEvaluator.evaluate(
            JSONDecoder().decode(
                ClusterPlan.self,
                from: Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent("examples/broken.json"))), aws: .embedded)
        let foundation = JSONEncoder()
        foundation.dateEncodingStrategy = .iso8601
        let ours = try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(evaluation))) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: try foundation.encode(evaluation)) as? NSDictionary
        #expect(ours == theirs)
    }

    /// The capacity route's report, once written by hand, now through the generic encoder: the same JSON.
    @Test func capacityJSONIsTheCodableJSON() throws {
        let request = try JSONDecoder().decode(
            CapacityRequest.self,
            from: Data(#"{"nodeGroups":[{"name":"a \"q\"","instanceTypes":["m5.large","m5.4xlarge"],"minSize":1,"maxSize":3,"maxPods":200},{"name":"b","instanceTypes":["m5.xlarge"],"minSize":0,"maxSize":5,"cni":{"prefixDelegation":true,"customNetworking":true}}]}"#.utf8))
        let report = try request.evaluate(aws: .embedded)
        let foundation = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(report))) as? NSDictionary
        #expect(foundation == ours)
        #expect(!(report.nodeGroups.first?.notes.isEmpty ?? true))
    }
}
