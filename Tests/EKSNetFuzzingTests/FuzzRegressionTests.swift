import EKSNetFuzzing
import Foundation
import Testing

/// Every input the fuzzer kept (`scripts/fuzz`) and every input that once crashed runs through its target again:
/// a trap or a broken invariant fails the run.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    static func inputs(_ target: FuzzTarget) throws -> [URL] {
        let manager = FileManager.default
        let kept = root.appendingPathComponent(target.rawValue)
        var files = (try? manager.contentsOfDirectory(at: kept, includingPropertiesForKeys: nil)) ?? []
        let findings = try manager.contentsOfDirectory(at: root.appendingPathComponent("findings"), includingPropertiesForKeys: nil)
        files += findings.filter { $0.lastPathComponent.hasPrefix("\(target.rawValue)-") }
        return files.sorted { $0.path < $1.path }
    }

    @Test(arguments: FuzzTarget.allCases)
    func keptInputsStillPass(_ target: FuzzTarget) throws {
        for file in try Self.inputs(target) {
            target.run(Array(try Data(contentsOf: file)))
        }
    }

    @Test func theCorpusIsThere() throws {
        #expect(try Self.inputs(.json).count > 10)
        #expect(try Self.inputs(.cidr).count > 10)
        #expect(try Self.inputs(.json).contains { $0.lastPathComponent == "json-number-out-of-range" })
    }
}
