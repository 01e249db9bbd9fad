import Testing

@testable import EKSNetCore

/// One row of the max-pods test table: what max-pods-calculator.sh and eni-max-pods.txt give (docs/sources.md).
struct MaxPodsCase: CustomTestStringConvertible, Sendable {
    var type: String
    var prefixDelegation = false
    var customNetworking = false
    var showMaxAllowed = false
    var maxEni: Int?
    var cniVersion = "1.10.0"
    var expected: Expected

    enum Expected: Sendable, Equatable {
        case pods(Int)
        case badVersion
        case noENI
    }

    var testDescription: String {
        "\(type) PD=\(prefixDelegation) CN=\(customNetworking) SMA=\(showMaxAllowed) maxEni=\(maxEni.map(String.init) ?? "-") cni=\(cniVersion)"
    }

    static let table: [MaxPodsCase] = [
        .init(type: "t3.micro", expected: .pods(4)),
        .init(type: "m5.large", expected: .pods(29)),
        .init(type: "m5.4xlarge", expected: .pods(110)),
        .init(type: "m5.8xlarge", expected: .pods(234)),
        .init(type: "m5.24xlarge", expected: .pods(250)),
        .init(type: "m5.24xlarge", showMaxAllowed: true, expected: .pods(737)),
        .init(type: "m5.metal", prefixDelegation: true, showMaxAllowed: true, expected: .pods(737)),
        .init(type: "m5.metal", prefixDelegation: true, expected: .pods(250)),
        .init(type: "m5.large", prefixDelegation: true, cniVersion: "1.9.0-eksbuild.1", expected: .pods(110)),
        .init(type: "m5.large", prefixDelegation: true, showMaxAllowed: true, expected: .pods(434)),
        .init(type: "m5.large", prefixDelegation: true, showMaxAllowed: true, cniVersion: "1.8.0", expected: .pods(29)),
        .init(type: "m5.large", prefixDelegation: true, cniVersion: "v1.10.0", expected: .badVersion),
        .init(type: "t3.nano", prefixDelegation: true, expected: .pods(34)),
        .init(type: "m5.16xlarge", prefixDelegation: true, expected: .pods(250)),
        .init(type: "m5.large", customNetworking: true, expected: .pods(20)),
        .init(type: "m5.xlarge", prefixDelegation: true, customNetworking: true, showMaxAllowed: true, expected: .pods(674)),
        .init(type: "m5.xlarge", prefixDelegation: true, showMaxAllowed: true, maxEni: 1, expected: .pods(226)),
        .init(type: "c4.large", prefixDelegation: true, showMaxAllowed: true, expected: .pods(29)),
        .init(type: "m4.10xlarge", expected: .pods(234)),
        .init(type: "t2.micro", expected: .pods(4)),
        .init(type: "p5.48xlarge", expected: .pods(100)),
        .init(type: "trn1.32xlarge", showMaxAllowed: true, expected: .pods(247)),
        .init(type: "c6in.32xlarge", expected: .pods(250)),
        .init(type: "c6in.32xlarge", showMaxAllowed: true, expected: .pods(394)),
        .init(type: "hpc6id.32xlarge", customNetworking: true, expected: .noENI),
    ]
}

@Suite struct MaxPodsTableTests {
    @Test(arguments: MaxPodsCase.table)
    func calculatorMatchesTheTable(row: MaxPodsCase) throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: row.type))
        let result: Result<Int, CapacityError>
        do {
            let version = try CNIVersion(parsing: row.cniVersion)
            let options = MaxPodsOptions(
                cniVersion: version, customNetworking: row.customNetworking, prefixDelegation: row.prefixDelegation,
                maxEni: row.maxEni, showMaxAllowed: row.showMaxAllowed)
            result = .success(try MaxPods.recommended(for: type, options: options).maxPods)
        } catch {
            result = .failure(error)
        }
        switch (row.expected, result) {
        case (.pods(let expected), .success(let pods)):
            #expect(pods == expected)
        case (.badVersion, .failure(.invalidCNIVersion)), (.noENI, .failure(.noENIForPods)):
            break
        default:
            Issue.record("expected \(row.expected), got \(result)")
        }
    }

    @Test func showMaxAllowedEqualsTheENIFormulaForEveryType() throws {
        for type in AWSData.embedded.catalog.all {
            let calculation = try MaxPods.recommended(for: type, options: MaxPodsOptions(showMaxAllowed: true))
            #expect(calculation.maxPods == MaxPods.eniLimited(type), "\(type.name)")
            #expect(calculation.maxPods == type.maximumNetworkInterfaces * (type.ipv4AddressesPerInterface - 1) + 2)
            #expect(calculation.cap == nil)
        }
    }

    @Test func explainsTheArithmeticAndTheCap() throws {
        let catalog = AWSData.embedded.catalog
        let large = try MaxPods.recommended(for: try #require(catalog.instanceType(named: "m5.large")), options: .init())
        #expect(large.explanation == "3 ENIs × 9 secondary IPs + 2 host-network pods = 29")
        #expect(large.cap == nil)
        #expect(large.uncapped == 29)
        let fourXL = try MaxPods.recommended(
            for: try #require(catalog.instanceType(named: "m5.4xlarge")), options: .init())
        #expect(fourXL.cap == 110)
        #expect(fourXL.uncapped == 234)
        #expect(fourXL.explanation.hasSuffix("capped at 110 (kubelet cap 110 for ≤ 30 vCPUs)"))
        let old = try MaxPods.recommended(
            for: try #require(catalog.instanceType(named: "m5.large")),
            options: .init(cniVersion: try CNIVersion(parsing: "1.8.0"), prefixDelegation: true))
        #expect(old.notes.count == 1)
        #expect(old.prefixDelegation == false)
    }

    @Test func refusesMaxENIBelowOne() throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: "m5.large"))
        #expect(throws: CapacityError.maxENIOutOfRange(0)) {
            try MaxPods.recommended(for: type, options: .init(maxEni: 0))
        }
        #expect(throws: CapacityError.self) {
            try MaxPods.recommended(for: type, options: .init(customNetworking: true, maxEni: 1))
        }
    }

    @Test(arguments: ["1.19.0", "1.9.0-eksbuild.1", "1.10", "2.0.0", "1.20.0.1"])
    func acceptsVersions(text: String) throws {
        #expect(try CNIVersion(parsing: text).text == text)
    }

    @Test(arguments: ["v1.10.0", "1", "", "1.", "1.x", "a.b.c", "1.10.", "99999.1", " 1.10.0", "1..0"])
    func refusesVersions(text: String) {
        #expect(throws: CapacityError.invalidCNIVersion(text)) { try CNIVersion(parsing: text) }
    }

    @Test func comparesMajorMinorOnly() throws {
        #expect(try CNIVersion(parsing: "1.9.0-eksbuild.1").supportsPrefixDelegation)
        #expect(try !CNIVersion(parsing: "1.8.9").supportsPrefixDelegation)
        #expect(try CNIVersion(parsing: "1.10.0") > CNIVersion(parsing: "1.9.5"))
        #expect(try CNIVersion(parsing: "1.10.0") == CNIVersion(parsing: "1.10.3"))
    }
}

@Suite struct OtherProducersTests {
    let catalog = AWSData.embedded.catalog

    @Test func managedNodeGroupsAndAutoModeCap() throws {
        let large = try #require(catalog.instanceType(named: "m5.large"))
        let big = try #require(catalog.instanceType(named: "m5.24xlarge"))
        #expect(try MaxPods.managedNodeGroup(for: large, options: .init()) == 29)
        #expect(try MaxPods.managedNodeGroup(for: large, options: .init(prefixDelegation: true)) == 110)
        #expect(try MaxPods.managedNodeGroup(for: big, options: .init(prefixDelegation: true)) == 250)
        #expect(try MaxPods.autoMode(for: big, options: .init(prefixDelegation: true)) == 110)
        #expect(try MaxPods.autoMode(for: large, options: .init()) == 29)
    }

    @Test func nodeadmIsUncappedAndHonoursOverrides() throws {
        let big = try #require(catalog.instanceType(named: "m5.24xlarge"))
        #expect(MaxPods.nodeadm(for: big) == 737)
        #expect(MaxPods.nodeadm(for: nil) == 110)
        #expect(MaxPods.nodeadm(for: big, kubeletMaxPods: 50) == 50)
    }

    @Test func karpenter() throws {
        let large = try #require(catalog.instanceType(named: "m5.large"))
        #expect(MaxPods.karpenter(for: large) == 29)
        #expect(MaxPods.karpenter(for: large, reservedENIs: 1) == 20)
        #expect(MaxPods.karpenter(for: large, reservedENIs: 3) == 0)
        #expect(MaxPods.karpenter(for: large, reservedENIs: 7) == 0)
        #expect(MaxPods.karpenter(for: large, kubeletMaxPods: 110) == 110)
        #expect(MaxPods.karpenter(for: large, podsPerCore: 4) == 8)
        #expect(MaxPods.karpenter(for: large, kubeletMaxPods: 110, podsPerCore: 10) == 20)
    }

    @Test func kubeletMemoryReserve() {
        #expect(MaxPods.kubeletMemoryReserveMiB(maxPods: 29) == 574)
        #expect(MaxPods.kubeletMemoryReserveMiB(maxPods: 110) == 1465)
    }
}
