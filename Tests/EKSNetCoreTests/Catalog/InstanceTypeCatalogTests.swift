import Testing

@testable import EKSNetCore

@Suite struct InstanceTypeCatalogTests {
    let catalog = AWSData.embedded.catalog

    @Test func holdsEveryDescribeInstanceTypesRowAndTheHandAddedOnes() {
        #expect(catalog.all.count == InstanceTypeCatalog.generatedCount)
        #expect(catalog.all.filter { $0.limitsSource != .added }.count == 1395)
        for name in ["cr1.8xlarge", "hs1.8xlarge", "u-6tb1.metal", "u-24tb1.metal", "c5a.metal", "bmn-sf1.metal"] {
            #expect(catalog.instanceType(named: name) != nil, "\(name) missing")
        }
    }

    @Test func usesTheDefaultNetworkCard() throws {
        let p5 = try #require(catalog.instanceType(named: "p5.48xlarge"))
        #expect(p5.maximumNetworkInterfaces == 2)
        #expect(p5.maximumNetworkInterfacesAllCards == 64)
        #expect(p5.networkCardCount == 32)
    }

    @Test(arguments: [
        ("cr1.8xlarge", 8, 30), ("hs1.8xlarge", 8, 30), ("u-6tb1.metal", 5, 30), ("u-9tb1.metal", 5, 30),
        ("u-12tb1.metal", 5, 30), ("u-18tb1.metal", 15, 50), ("u-24tb1.metal", 15, 50), ("c5a.metal", 15, 50),
        ("c5ad.metal", 15, 50), ("bmn-sf1.metal", 15, 50), ("p4de.24xlarge", 15, 50), ("c7g.metal", 15, 50),
    ])
    func appliesAWSHandFixes(name: String, enis: Int, ips: Int) throws {
        let type = try #require(catalog.instanceType(named: name))
        #expect(type.maximumNetworkInterfaces == enis)
        #expect(type.ipv4AddressesPerInterface == ips)
    }

    @Test func readsHypervisorAndBareMetal() throws {
        #expect(catalog.instanceType(named: "m5.large")?.hypervisor == .nitro)
        #expect(catalog.instanceType(named: "c4.large")?.hypervisor == .xen)
        let metal = try #require(catalog.instanceType(named: "m5.metal"))
        #expect(metal.hypervisor == nil)
        #expect(metal.bareMetal)
        #expect(metal.prefixDelegationSupported)
        #expect(catalog.instanceType(named: "t2.micro")?.prefixDelegationSupported == false)
        #expect(catalog.instanceType(named: "m6g.large")?.architecture == .arm64)
    }

    @Test func looksUpCaseInsensitivelyAndSuggestsCloseNames() {
        #expect(catalog.instanceType(named: "M5.Large")?.name == "m5.large")
        #expect(catalog.instanceType(named: "m5.larg") == nil)
        #expect(catalog.closestNames(to: "m5.larg").first == "m5.large")
        #expect(catalog.closestNames(to: "m5.larg").count <= 3)
        #expect(catalog.closestNames(to: "zzzzzzzzzzzzzzzzzzzz").isEmpty)
        #expect(catalog.closestNames(to: "").isEmpty)
    }

    @Test func filtersAndPaginates() {
        var query = InstanceTypeQuery(family: "m5", limit: 5)
        let first = catalog.page(query)
        #expect(first.items.count == 5)
        #expect(first.items.allSatisfy { $0.family == "m5" })
        #expect(first.totalMatching == catalog.all.filter { $0.family == "m5" }.count)
        var seen = first.items.map(\.name)
        query.cursor = first.nextCursor
        while let cursor = query.cursor {
            let page = catalog.page(query)
            #expect(page.items.first.map { $0.name.rawValue > cursor } ?? true)
            seen += page.items.map(\.name)
            query.cursor = page.nextCursor
        }
        #expect(seen.count == first.totalMatching)
        #expect(Set(seen).count == seen.count)

        let xen = catalog.page(InstanceTypeQuery(hypervisor: .xen, limit: 1000))
        #expect(xen.items.allSatisfy { $0.hypervisor == .xen })
        let big = catalog.page(InstanceTypeQuery(minVcpus: 96, prefixDelegationSupported: true, limit: 1000))
        #expect(big.items.allSatisfy { ($0.vcpus ?? 0) >= 96 && $0.prefixDelegationSupported })
        #expect(!big.items.isEmpty)
        let metal = catalog.page(InstanceTypeQuery(hypervisor: InstanceTypeQuery.HypervisorFilter.none, limit: 1000))
        #expect(metal.items.allSatisfy { $0.hypervisor == nil })
    }
}
