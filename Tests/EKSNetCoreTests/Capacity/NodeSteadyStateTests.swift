import Testing

@testable import EKSNetCore

/// One worked example of the VPC CNI docs' tables (docs/sources.md), the doc errata replaced by the code's answer.
struct SteadyStateCase: CustomTestStringConvertible, Sendable {
    var id: String
    var type: String
    var warmEni: Int? = nil
    var warmPrefix: Int? = nil
    var warmIP: Int? = nil
    var minimumIP: Int? = nil
    var pods: Int
    var enis: Int
    var ips: Int
    var unused: Int
    var perENI: [Int]
    var freePrefixes: Int? = nil

    var testDescription: String { id }
    var prefixMode: Bool { warmPrefix != nil || (warmEni == nil && id.hasPrefix("P")) }

    static let secondaryIP: [SteadyStateCase] = [
        .init(id: "S1", type: "t3.small", warmEni: 1, pods: 0, enis: 1, ips: 3, unused: 3, perENI: [3]),
        .init(id: "S2", type: "t3.small", warmEni: 1, pods: 5, enis: 3, ips: 9, unused: 4, perENI: [3, 3, 3]),
        .init(id: "S3", type: "t3.small", warmEni: 1, pods: 9, enis: 3, ips: 9, unused: 0, perENI: [3, 3, 3]),
        .init(id: "S4", type: "t3.small", warmIP: 1, minimumIP: 1, pods: 0, enis: 1, ips: 1, unused: 1, perENI: [1]),
        .init(id: "S5", type: "t3.small", warmIP: 1, minimumIP: 1, pods: 5, enis: 2, ips: 6, unused: 1, perENI: [3, 3]),
        .init(id: "S6", type: "t3.small", warmIP: 1, minimumIP: 1, pods: 9, enis: 3, ips: 9, unused: 0, perENI: [3, 3, 3]),
        .init(id: "S7", type: "t3.small", warmIP: 2, minimumIP: 5, pods: 0, enis: 2, ips: 5, unused: 5, perENI: [3, 2]),
        .init(id: "S8", type: "t3.small", warmIP: 2, minimumIP: 5, pods: 5, enis: 3, ips: 7, unused: 2, perENI: [3, 3, 1]),
        .init(id: "S9", type: "t3.small", warmIP: 2, minimumIP: 5, pods: 9, enis: 3, ips: 9, unused: 0, perENI: [3, 3, 3]),
        .init(id: "S10", type: "p3dn.24xlarge", warmEni: 1, pods: 0, enis: 1, ips: 49, unused: 49, perENI: [49]),
        .init(id: "S11", type: "p3dn.24xlarge", warmEni: 1, pods: 3, enis: 2, ips: 98, unused: 95, perENI: [49, 49]),
        .init(id: "S12", type: "p3dn.24xlarge", warmEni: 1, pods: 95, enis: 3, ips: 147, unused: 52, perENI: [49, 49, 49]),
        .init(id: "S13", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 0, enis: 1, ips: 10, unused: 10, perENI: [10]),
        .init(id: "S14", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 7, enis: 1, ips: 12, unused: 5, perENI: [12]),
        .init(id: "S15", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 15, enis: 1, ips: 20, unused: 5, perENI: [20]),
        .init(id: "S16", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 45, enis: 2, ips: 50, unused: 5, perENI: [49, 1]),
        // README "ENI Allocation", m4.4xlarge with WARM_ENI_TARGET=1 (0 pods: the code's 1 ENI, not the README's 2).
        .init(id: "R0", type: "m4.4xlarge", warmEni: 1, pods: 0, enis: 1, ips: 29, unused: 29, perENI: [29]),
        .init(id: "R1", type: "m4.4xlarge", warmEni: 1, pods: 1, enis: 2, ips: 58, unused: 57, perENI: [29, 29]),
        .init(id: "R29", type: "m4.4xlarge", warmEni: 1, pods: 29, enis: 2, ips: 58, unused: 29, perENI: [29, 29]),
        .init(id: "R30", type: "m4.4xlarge", warmEni: 1, pods: 30, enis: 3, ips: 87, unused: 57, perENI: [29, 29, 29]),
        .init(id: "R58", type: "m4.4xlarge", warmEni: 1, pods: 58, enis: 3, ips: 87, unused: 29, perENI: [29, 29, 29]),
    ]

    static let prefix: [SteadyStateCase] = [
        .init(id: "P1", type: "t3.small", warmPrefix: 1, pods: 0, enis: 1, ips: 16, unused: 16, perENI: [1], freePrefixes: 1),
        .init(id: "P2", type: "t3.small", warmPrefix: 1, pods: 5, enis: 1, ips: 32, unused: 27, perENI: [2], freePrefixes: 1),
        .init(id: "P3", type: "t3.small", warmPrefix: 1, pods: 16, enis: 1, ips: 32, unused: 16, perENI: [2], freePrefixes: 1),
        .init(id: "P4", type: "t3.small", warmPrefix: 1, pods: 17, enis: 1, ips: 48, unused: 31, perENI: [3], freePrefixes: 1),
        .init(id: "P5", type: "t3.small", warmPrefix: 1, pods: 58, enis: 2, ips: 80, unused: 22, perENI: [3, 2], freePrefixes: 1),
        .init(id: "P6", type: "t3.small", warmIP: 1, minimumIP: 1, pods: 0, enis: 1, ips: 16, unused: 16, perENI: [1], freePrefixes: 1),
        .init(id: "P7", type: "t3.small", warmIP: 1, minimumIP: 1, pods: 5, enis: 1, ips: 16, unused: 11, perENI: [1], freePrefixes: 0),
        .init(id: "P8", type: "t3.small", warmIP: 1, minimumIP: 1, pods: 17, enis: 1, ips: 32, unused: 15, perENI: [2], freePrefixes: 0),
        .init(id: "P9", type: "t3.small", warmIP: 1, minimumIP: 1, pods: 58, enis: 2, ips: 64, unused: 6, perENI: [3, 1], freePrefixes: 0),
        .init(id: "P10", type: "t3.small", warmIP: 7, minimumIP: 20, pods: 0, enis: 1, ips: 32, unused: 32, perENI: [2], freePrefixes: 2),
        .init(id: "P11", type: "t3.small", warmIP: 7, minimumIP: 20, pods: 5, enis: 1, ips: 32, unused: 27, perENI: [2], freePrefixes: 1),
        .init(id: "P12", type: "t3.small", warmIP: 7, minimumIP: 20, pods: 17, enis: 1, ips: 32, unused: 15, perENI: [2], freePrefixes: 0),
        .init(id: "P13", type: "t3.small", warmIP: 7, minimumIP: 20, pods: 58, enis: 2, ips: 80, unused: 22, perENI: [3, 2], freePrefixes: 1),
        .init(id: "P14", type: "p3dn.24xlarge", warmPrefix: 1, pods: 0, enis: 1, ips: 16, unused: 16, perENI: [1], freePrefixes: 1),
        .init(id: "P15", type: "p3dn.24xlarge", warmPrefix: 1, pods: 3, enis: 1, ips: 32, unused: 29, perENI: [2], freePrefixes: 1),
        .init(id: "P16", type: "p3dn.24xlarge", warmPrefix: 1, pods: 95, enis: 1, ips: 112, unused: 17, perENI: [7], freePrefixes: 1),
        .init(id: "P17", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 0, enis: 1, ips: 16, unused: 16, perENI: [1], freePrefixes: 1),
        .init(id: "P18", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 7, enis: 1, ips: 16, unused: 9, perENI: [1], freePrefixes: 0),
        .init(id: "P19", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 15, enis: 1, ips: 32, unused: 17, perENI: [2], freePrefixes: 1),
        .init(id: "P20", type: "p3dn.24xlarge", warmIP: 5, minimumIP: 10, pods: 45, enis: 1, ips: 64, unused: 19, perENI: [4], freePrefixes: 1),
        // README WARM_IP_TARGET=16 with one pod: 15 free, so one more prefix.
        .init(id: "PR", type: "t3.small", warmIP: 16, pods: 1, enis: 1, ips: 32, unused: 31, perENI: [2], freePrefixes: 1),
    ]

    func settings() -> WarmPoolSettings {
        WarmPoolSettings(
            warmEniTarget: warmEni ?? 1, warmIpTarget: warmIP, minimumIpTarget: minimumIP,
            warmPrefixTarget: warmPrefix ?? 1, prefixDelegation: id.hasPrefix("P"))
    }
}

@Suite struct NodeSteadyStateTests {
    func run(_ row: SteadyStateCase) throws -> NodeSteadyState {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: row.type))
        let settings = row.settings()
        let maxPods = try MaxPods.recommended(
            for: type, options: MaxPodsOptions(prefixDelegation: settings.prefixDelegation)
        ).maxPods
        return NodeSteadyState.compute(instanceType: type, settings: settings, pods: row.pods, maxPods: maxPods)
    }

    @Test(arguments: SteadyStateCase.secondaryIP)
    func secondaryIPMode(row: SteadyStateCase) throws {
        let state = try run(row)
        #expect(state.enis == row.enis)
        #expect(state.totalIps == row.ips)
        #expect(state.unusedIps == row.unused)
        #expect(state.addressesPerEni == row.perENI)
        #expect(state.podsWithoutIp == 0)
        #expect(state.subnetAddresses == row.enis + row.ips)
    }

    @Test(arguments: SteadyStateCase.prefix)
    func prefixMode(row: SteadyStateCase) throws {
        let state = try run(row)
        #expect(state.enis == row.enis)
        #expect(state.totalIps == row.ips)
        #expect(state.unusedIps == row.unused)
        #expect(state.prefixesPerEni == row.perENI)
        #expect(state.freePrefixes == row.freePrefixes)
        #expect(state.subnetAddresses == row.enis + row.ips)
    }

    @Test func minimumWithoutWarmIPStallsPastTheMinimum() throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: "m5.large"))
        let settings = WarmPoolSettings(warmIpTarget: 0, minimumIpTarget: 11)
        let state = NodeSteadyState.compute(instanceType: type, settings: settings, pods: 15, maxPods: 29)
        #expect(state.totalIps == 11)
        #expect(state.podsWithoutIp == 4)
    }

    @Test func customNetworkingKeepsPodsOffThePrimaryENI() throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: "t3.medium"))
        let settings = WarmPoolSettings(customNetworking: true)
        let state = NodeSteadyState.compute(instanceType: type, settings: settings, pods: 10, maxPods: 12)
        #expect(state.addressesPerEni == [0, 5, 5])
        #expect(state.nodeSubnetAddresses == 1)
        #expect(state.podSubnetAddresses == 12)
        #expect(state.podsWithoutIp == 0)
        let over = NodeSteadyState.compute(instanceType: type, settings: settings, pods: 15, maxPods: 17)
        #expect(over.totalIps == 10)
        #expect(over.podsWithoutIp == 5)
    }

    @Test func securityGroupsForPodsTakesATrunkSlot() throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: "m5.large"))
        let state = NodeSteadyState.compute(
            instanceType: type, settings: WarmPoolSettings(securityGroupsForPods: true), pods: 27, maxPods: 29)
        #expect(state.enis == 2)
        #expect(state.totalIps == 18)
        #expect(state.podsWithoutIp == 9)
        #expect(state.trunkEniAddresses == 1)
    }

    @Test func podsBeyondMaxPodsAreNotScheduled() throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: "m5.large"))
        let state = NodeSteadyState.compute(instanceType: type, settings: WarmPoolSettings(), pods: 40, maxPods: 29)
        #expect(state.podsUnschedulable == 13)
        #expect(state.podsWithoutIp == 0)
        #expect(state.totalIps == 27)
    }
}
