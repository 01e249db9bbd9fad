import Testing

@testable import EKSNetCore

@Suite struct CNIVersionTests {
    /// The rule as the docs state it, written the plain way: split on the first two dots; MAJOR and MINOR are 1–4
    /// ASCII digits; PATCH is the leading digits (at most four) of the rest, which must not be empty.
    static func reference(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        func number(_ part: Substring) -> Int? {
            guard (1...4).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(part)
        }
        guard parts.count >= 2, let major = number(parts[0]), let minor = number(parts[1]) else { return nil }
        if parts.count == 3 && parts[2].isEmpty { return nil }
        let patch = parts.count == 3 ? Int(parts[2].prefix { $0.isASCII && $0.isNumber }.prefix(4)) ?? 0 : 0
        return (major, minor, patch)
    }

    @Test func theByteParserFollowsTheRuleOnEveryGeneratedVersion() {
        var random = SplitMix64(seed: 1_19)
        let alphabet = Array("0123456789..-vx １é ")
        var checked = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 12)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let parsed = try? CNIVersion(parsing: text)
            let expected = Self.reference(text)
            #expect(parsed.map { [$0.major, $0.minor, $0.patch] } == expected.map { [$0.0, $0.1, $0.2] }, "\(text)")
            checked += 1
        }
        for text in ["1.19.0", "1.9.0-eksbuild.1", "1.10", "1.9.", "1.9.x", "1.9.12345", "1.2.3.4", "v1.10.0", "12345.1"] {
            let parsed = try? CNIVersion(parsing: text)
            #expect(parsed.map { [$0.major, $0.minor, $0.patch] } == Self.reference(text).map { [$0.0, $0.1, $0.2] }, "\(text)")
        }
        #expect(checked == 20_000)
    }
}
