import EKSNetCore
import EKSNetJSON
import Foundation
import Testing

/// How a body fared: refused by the strict reader, decoded to a value, or refused by the decoder (its kind and
/// where, as the problem would name it).
enum Outcome<T: Equatable>: Equatable, CustomStringConvertible {
    case notJSON(JSONDiagnosis.Finding)
    case value(T)
    case refused(kind: String, pointer: String)

    var description: String {
        switch self {
        case .notJSON(let finding): "not JSON: \(finding)"
        case .value(let value): "value: \(value)"
        case .refused(let kind, let pointer): "refused: \(kind) at '\(pointer)'"
        }
    }
}

func pointer(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
    var pointer = JSONPointer.root
    for element in path + (key.map { [$0] } ?? []) {
        pointer = element.intValue.map { pointer / $0 } ?? pointer / element.stringValue
    }
    return pointer.description
}

/// Reads a body as the server does, with either decoder. A Foundation refusal at the root (how it reports a number
/// no integer holds) is located with the strict reader's diagnosis, as the server does.
func outcome<T: Decodable & Equatable>(_ type: T.Type, _ bytes: [UInt8], foundation: Bool) -> Outcome<T> {
    let finding = JSONDiagnosis.validate(bytes)
    if finding != .none { return .notJSON(finding) }
    do {
        if foundation { return .value(try JSONDecoder().decode(T.self, from: Data(bytes))) }
        return .value(try bytes.withUnsafeBytes { try JSONValueDecoder().decode(T.self, from: $0) })
    } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
        if case .notAnInteger(let at, _) = JSONDiagnosis.diagnose(bytes) { return .refused(kind: "dataCorrupted", pointer: at) }
        return .refused(kind: "dataCorrupted", pointer: "")
    } catch let error as DecodingError {
        switch error {
        case .dataCorrupted(let context): return .refused(kind: "dataCorrupted", pointer: pointer(context.codingPath))
        case .keyNotFound(let key, let context): return .refused(kind: "keyNotFound", pointer: pointer(context.codingPath, key))
        case .typeMismatch(_, let context): return .refused(kind: "typeMismatch", pointer: pointer(context.codingPath))
        case .valueNotFound(_, let context): return .refused(kind: "valueNotFound", pointer: pointer(context.codingPath))
        @unknown default: return .refused(kind: "unknown", pointer: "")
        }
    } catch {
        return .refused(kind: "\(error)", pointer: "")
    }
}

@Suite struct JSONValueDecoderTests {
    static let capacityBodies = [
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3}]}"#,
        #" { "cni" : {"version":"1.19.0","prefixDelegation":true,"warmIpTarget":null,"maxEni":2}, "coreDnsReplicas": 3, "nodeGroups" : [ {"name":"ü","instanceTypes":["m5.large","c5.xlarge"],"minSize":0,"desiredSize":null,"maxSize":10,"maxPods":110,"extraDaemonSetPods":2,"subnetIds":null,"cni":{"customNetworking":true,"securityGroupsForPods":false}} , {"name":"b","instanceTypes":[],"minSize":-1,"maxSize":0,"unknown":{"x":[1,2,{"y":null}]}} ] } "#,
        #"{"nodeGroups":[],"extra":"ignored"}"#,
        // Once sent to Foundation by the capacity route's own reader; now one decoder reads them all.
        #"{"nodeGroups":[{"name":"a\"b","instanceTypes":["m5.large"],"minSize":1,"maxSize":3}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1.0,"maxSize":3}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3,"cni":{"customNetworking":{"enabled":true,"eniConfigs":{"us-east-1a":"subnet-1"}}}}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"maxSize":3}]}"#,
        #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":99999999999999999999}]}"#,
        #"{"nodeGroups":[{"name":"\ud83d\ude00 \u0062","instanceTypes":["m5.large"],"minSize":1e0,"maxSize":3E+1}]}"#,
    ]

    static func examples() throws -> [[UInt8]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try ["eksctl-3az", "cloudformation-2az", "broken"].map {
            Array(try Data(contentsOf: root.appendingPathComponent("examples/\($0).json")))
        }
    }

    @Test(arguments: capacityBodies)
    func capacityBodiesDecodeAsFoundationDecodesThem(body: String) {
        let bytes = Array(body.utf8)
        let ours = outcome(CapacityRequest.self, bytes, foundation: false)
        #expect(ours == outcome(CapacityRequest.self, bytes, foundation: true))
    }

    @Test func plansDecodeAsFoundationDecodesThem() throws {
        for bytes in try Self.examples() {
            let ours = outcome(ClusterPlan.self, bytes, foundation: false)
            guard case .value = ours else {
                Issue.record("an example plan did not decode: \(ours)")
                continue
            }
            #expect(ours == outcome(ClusterPlan.self, bytes, foundation: true))
        }
    }

    @Test func errorsNameTheSameFieldAsFoundation() {
        let cases: [(String, Outcome<CapacityRequest>)] = [
            (#"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"maxSize":3}]}"#, .refused(kind: "keyNotFound", pointer: "/nodeGroups/0/minSize")),
            (#"{"nodeGroups":[{"name":"a","instanceTypes":"m5.large","minSize":1,"maxSize":3}]}"#, .refused(kind: "typeMismatch", pointer: "/nodeGroups/0/instanceTypes")),
            (#"{"nodeGroups":[{"name":null,"instanceTypes":[],"minSize":1,"maxSize":3}]}"#, .refused(kind: "valueNotFound", pointer: "/nodeGroups/0/name")),
            (#"{"nodeGroups":[{"name":"a","instanceTypes":[],"minSize":1.5,"maxSize":3}]}"#, .refused(kind: "dataCorrupted", pointer: "/nodeGroups/0/minSize")),
            (#"{"nodeGroups":null}"#, .refused(kind: "valueNotFound", pointer: "/nodeGroups")),
            (#"[]"#, .refused(kind: "typeMismatch", pointer: "")),
        ]
        for (body, expected) in cases {
            let bytes = Array(body.utf8)
            #expect(outcome(CapacityRequest.self, bytes, foundation: false) == expected, "\(body)")
            #expect(outcome(CapacityRequest.self, bytes, foundation: true) == expected, "\(body)")
        }
    }

    /// Bodies made to probe the corners: leading zeros, duplicate names, escapes, exponents, fractions, integers
    /// past 64 bits, nulls and wrong types, each put in the place of one value of a valid body.
    static let probes = [
        "0", "01", "-0", "-01", "1.0", "1.5", "1e2", "1E+2", "1e-2", "2.5e1", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "12345678901234567890123", "1e19", "0.0000001", "1e308", "1e309",
        "null", "true", "false", #""3""#, #""\u0033""#, #""a\"b""#, #""\ud83d\ude00""#, #""\ud83d""#, "[]", "{}",
        "[1,]", "NaN", "-", "1.", ".5", #"{"a":1,"a":2}"#, #""\/""#, #"" ""#,
    ]

    /// Thousands of bodies: each probe in the place of each number, string and boolean of the seed bodies, then
    /// random byte edits. The two decoders must agree on every one: refused by the strict reader, or the same
    /// value, or refused naming the same field in the same way.
    @Test func agreesWithFoundationOnThousandsOfGeneratedBodies() throws {
        var bodies: [[UInt8]] = []
        let seeds = Self.capacityBodies.prefix(3).map { Array($0.utf8) }
        for seed in seeds {
            let text = String(decoding: seed, as: UTF8.self)
            // Every scalar value's span in the seed: probes replace them one at a time.
            var spans: [Range<String.Index>] = []
            var index = text.startIndex
            while index < text.endIndex {
                let character = text[index]
                if character == "\"" || character.isNumber || character == "-" || character == "t" || character == "f" {
                    var end = text.index(after: index)
                    if character == "\"" {
                        while end < text.endIndex && text[end] != "\"" { end = text.index(after: end) }
                        if end < text.endIndex { end = text.index(after: end) }
                    } else {
                        while end < text.endIndex && (text[end].isLetter || text[end].isNumber || ".eE+-".contains(text[end])) {
                            end = text.index(after: end)
                        }
                    }
                    spans.append(index..<end)
                    index = end
                } else {
                    index = text.index(after: index)
                }
            }
            for span in spans {
                for probe in Self.probes {
                    bodies.append(Array(text.replacingCharacters(in: span, with: probe).utf8))
                }
            }
        }
        var random = SplitMix64(seed: 2026)
        let alphabet = Array(#"{}[]":,-0123456789.eE tfnulrs\u"#.utf8)
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(random.next() % 3)) where !bytes.isEmpty {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: index)
                }
            }
            bodies.append(bytes)
        }
        var decoded = 0
        var refused = 0
        for bytes in bodies {
            let ours = outcome(CapacityRequest.self, bytes, foundation: false)
            let theirs = outcome(CapacityRequest.self, bytes, foundation: true)
            #expect(ours == theirs, "\(String(decoding: bytes, as: UTF8.self))")
            switch ours {
            case .value: decoded += 1
            case .refused: refused += 1
            case .notJSON: break
            }
        }
        #expect(bodies.count > 4000)
        #expect(decoded > 300)
        #expect(refused > 300)
    }

    /// Plans carry objects-or-strings (endpoints), flags-or-objects (custom networking) and string maps (tags).
    @Test func agreesWithFoundationOnEditedPlans() throws {
        var random = SplitMix64(seed: 7)
        let alphabet = Array(#"{}[]":,-0123456789.eE tfnulrs\"#.utf8)
        var decoded = 0
        for seed in try Self.examples() {
            for _ in 0..<400 {
                var bytes = seed
                let index = Int(random.next() % UInt64(bytes.count))
                bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                let ours = outcome(ClusterPlan.self, bytes, foundation: false)
                #expect(ours == outcome(ClusterPlan.self, bytes, foundation: true), "\(String(decoding: bytes, as: UTF8.self))")
                if case .value = ours { decoded += 1 }
            }
        }
        #expect(decoded > 100)
    }
}
