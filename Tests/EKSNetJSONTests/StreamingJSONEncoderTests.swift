import EKSNetCore
import Foundation
import Testing

@testable import EKSNetServer

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
                    .deletingLastPathComponent().appendingPathComponent("examples/broken.json"))))
        let foundation = JSONEncoder()
        foundation.dateEncodingStrategy = .iso8601
        let ours = try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(evaluation))) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: try foundation.encode(evaluation)) as? NSDictionary
        #expect(ours == theirs)
    }
}

@Suite struct HandWrittenJSONTests {
    @Test func capacityJSONIsTheCodableJSON() throws {
        let request = try JSONDecoder().decode(
            CapacityRequest.self,
            from: Data(#"{"nodeGroups":[{"name":"a \"q\"","instanceTypes":["m5.large","m5.4xlarge"],"minSize":1,"maxSize":3,"maxPods":200},{"name":"b","instanceTypes":["m5.xlarge"],"minSize":0,"maxSize":5,"cni":{"prefixDelegation":true,"customNetworking":true}}]}"#.utf8))
        let report = try request.evaluate()
        let foundation = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(report))) as? NSDictionary
        #expect(foundation == ours)
        #expect(!(report.nodeGroups.first?.notes.isEmpty ?? true))
    }
}

@Suite struct FastJSONValueTests {
    static let bodies = [
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3}]}"#,
        #" { "cni" : {"version":"1.19.0","prefixDelegation":true,"warmIpTarget":null,"maxEni":2}, "coreDnsReplicas": 3, "nodeGroups" : [ {"name":"ü","instanceTypes":["m5.large","c5.xlarge"],"minSize":0,"desiredSize":null,"maxSize":10,"maxPods":110,"extraDaemonSetPods":2,"subnetIds":null,"cni":{"customNetworking":true,"securityGroupsForPods":false}} , {"name":"b","instanceTypes":[],"minSize":-1,"maxSize":0,"unknown":{"x":[1,2,{"y":null}]}} ] } "#,
        #"{"nodeGroups":[],"extra":"ignored"}"#,
    ]

    /// Bodies the fast reader must hand to Foundation (escapes, fractions, objects it does not model, errors).
    static let fallbacks = [
        #"{"nodeGroups":[{"name":"a\"b","instanceTypes":["m5.large"],"minSize":1,"maxSize":3}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1.0,"maxSize":3}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3,"cni":{"customNetworking":{"enabled":true}}}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"maxSize":3}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":99999999999999999999}]}"#,
        #"{"nodeGroups":[]} x"#,
    ]

    @Test(arguments: bodies)
    func fastPathEqualsFoundation(body: String) throws {
        let foundation = try JSONDecoder().decode(CapacityRequest.self, from: Data(body.utf8))
        let fast = Array(body.utf8).withUnsafeBytes { FastJSONValue.parse($0).flatMap(CapacityRequest.init(fast:)) }
        #expect(fast == foundation)
    }

    @Test(arguments: fallbacks)
    func surprisesFallBack(body: String) {
        let fast = Array(body.utf8).withUnsafeBytes { FastJSONValue.parse($0).flatMap(CapacityRequest.init(fast:)) }
        #expect(fast == nil)
    }
}

@Suite struct FastJSONPropertyTests {
    /// Random byte edits of valid bodies: whenever the fast reader accepts one, Foundation must read the same value.
    @Test func fastReaderNeverDisagreesWithFoundation() throws {
        var random = SplitMix64(seed: 2026)
        let alphabet = Array(#"{}[]":,-0123456789.eE tfnulrs\"#.utf8) + [0x00, 0xFF]
        var accepted = 0
        for round in 0..<3000 {
            var bytes = Array(FastJSONValueTests.bodies[round % FastJSONValueTests.bodies.count].utf8)
            for _ in 0..<(1 + Int(random.next() % 3)) where !bytes.isEmpty {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: index)
                }
            }
            let fast = bytes.withUnsafeBytes { FastJSONValue.parse($0).flatMap(CapacityRequest.init(fast:)) }
            guard let fast else { continue }
            accepted += 1
            let foundation = try? JSONDecoder().decode(CapacityRequest.self, from: Data(bytes))
            #expect(foundation == fast, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(accepted > 100)
    }
}
