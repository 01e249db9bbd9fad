import Foundation
import Testing

@testable import EKSNetCore

/// `--instance-types-file`: real `aws ec2 describe-instance-types` output (made against moto's server by
/// scripts/make-instance-types-fixture) read, checked and merged over the embedded catalog.
@Suite struct DescribeInstanceTypesOutputTests {
    static func fixture() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/instance-types/describe-instance-types.json")
        return Array(try Data(contentsOf: url))
    }

    func problem(_ text: String) -> DescribeInstanceTypesOutput.Problem? {
        do {
            _ = try DescribeInstanceTypesOutput.instanceTypes(from: Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func readsConcatenatedPagesAsTheEmbeddedGeneratorReadsMoto() throws {
        let types = try DescribeInstanceTypesOutput.instanceTypes(from: try Self.fixture())
        #expect(types.map(\.name.rawValue) == [
            "c9g.large", "m5.large", "m8idn.large", "p5.48xlarge", "c7g.metal", "g7.2xlarge", "m9g.large", "zz9.large",
        ])
        #expect(types.allSatisfy { $0.limitsSource == .file })
        // Every type both know with API figures: the file's reading equals the generator's, field for field.
        for type in types {
            guard let embedded = AWSData.embedded.catalog.instanceType(named: type.name.rawValue),
                embedded.limitsSource == .api
            else { continue }
            var same = type
            same.limitsSource = .api
            #expect(same == embedded, "\(type.name)")
        }
        let p5 = try #require(types.first { $0.name == "p5.48xlarge" })
        #expect(p5.maximumNetworkInterfaces == 2)
        #expect(p5.networkCardCount == 32)
    }

    @Test func aTypeOnlyTheFileKnowsAnswersFromTheFileAndHandFixedLimitsStay() throws {
        let types = try DescribeInstanceTypesOutput.instanceTypes(from: try Self.fixture())
        #expect(AWSData.embedded.catalog.instanceType(named: "zz9.large") == nil)
        let (catalog, kept) = AWSData.embedded.catalog.merging(types, label: "file test")
        let zz9 = try #require(catalog.instanceType(named: "zz9.large"))
        #expect(zz9.limitsSource == .file)
        #expect(MaxPods.eniLimited(zz9) == MaxPods.eniLimited(try #require(catalog.instanceType(named: "m8i.large"))))
        #expect(catalog.instanceType(named: "m5.large")?.limitsSource == .file)
        // c7g.metal's API figures are what AWS corrects by hand: the correction stays.
        #expect(kept == ["c7g.metal"])
        #expect(catalog.instanceType(named: "c7g.metal")?.limitsSource == .fixed)
        #expect(catalog.all.count == AWSData.embedded.catalog.all.count + 1)
        #expect(catalog.version == InstanceTypeCatalog.embeddedSource + " + file test (8 types)")
        #expect(AWSData.embedded.catalog.version == "moto 5.2.5 (2026-10-27)")
    }

    @Test func refusesWhatIsNotDescribeInstanceTypesOutputSayingWhere() throws {
        let entry = #"{"InstanceType":"m5.large","NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":10}}"#
        #expect(problem("") == .init(document: 1, pointer: "", reason: "the file holds no JSON; expected the output of aws ec2 describe-instance-types --output json"))
        #expect(problem(#"{"Vpcs":[]}"#)?.pointer == "/InstanceTypes")
        #expect(problem(#"{"InstanceTypes":[{"InstanceType":"m5.large"}]}"#)
            == .init(document: 1, pointer: "/InstanceTypes/0/NetworkInfo", reason: "missing"))
        #expect(problem(#"{"InstanceTypes":[\#(entry)]} {"InstanceTypes":[{"InstanceType":"x.large","NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":0}}]}"#)
            == .init(document: 2, pointer: "/InstanceTypes/0/NetworkInfo/Ipv4AddressesPerInterface",
                reason: "0 is impossible for an instance type (expected 1–256)"))
        #expect(problem(#"{"InstanceTypes":[{"InstanceType":"m5.large","NetworkInfo":{"MaximumNetworkInterfaces":"3","Ipv4AddressesPerInterface":10}}]}"#)
            == .init(document: 1, pointer: "/InstanceTypes/0/NetworkInfo/MaximumNetworkInterfaces", reason: "expected an integer"))
        #expect(problem(#"{"InstanceTypes":[\#(entry),\#(entry)]}"#)
            == .init(document: 1, pointer: "/InstanceTypes/1/InstanceType",
                reason: "m5.large appears twice (first in document 1 at /InstanceTypes/0)"))
        #expect(problem(#"{"InstanceTypes":[{"InstanceType":"M5 LARGE","NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":10}}]}"#)?
            .pointer == "/InstanceTypes/0/InstanceType")
        #expect(problem(#"{"InstanceTypes":[{"InstanceType":"m5.large","NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":10,"DefaultNetworkCardIndex":1,"NetworkCards":[{"NetworkCardIndex":0,"MaximumNetworkInterfaces":3}]}}]}"#)
            == .init(document: 1, pointer: "/InstanceTypes/0/NetworkInfo/DefaultNetworkCardIndex",
                reason: "card 1 is not among the 1 network cards"))
        #expect(problem(#"{"InstanceTypes":[\#(entry)]} trailing"#)?.document == 2)
        #expect(problem(#"{"InstanceTypes":[\#(entry)]"#)?.reason == "the document is cut short (unclosed object or string)")
        #expect(problem(#"{"InstanceTypes":[\#(entry)]}}"#)?.reason.hasPrefix("unbalanced") == true)
    }
}
