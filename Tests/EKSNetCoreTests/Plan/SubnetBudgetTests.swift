import Testing

@testable import EKSNetCore

@Suite struct SubnetBudgetTests {
    func budget(_ plan: ClusterPlan, _ id: String) throws -> SubnetBudget {
        try #require(try PlanEvaluator.evaluate(plan, aws: .embedded).subnets.first { $0.subnetId == id })
    }

    @Test func spreadsNodesOverAZsAsAnAutoScalingGroup() throws {
        var plan = PlanFixtures.clean
        plan.nodeGroups![0].maxSize = 31
        // 31 nodes over 3 AZs: 11, 10, 10; m5.large full = 30 addresses.
        #expect(try budget(plan, "subnet-private-0").nodesAtMax == 11)
        #expect(try budget(plan, "subnet-private-1").nodesAtMax == 10)
        let first = try budget(plan, "subnet-private-0")
        #expect(first.nodeAddresses == 330)
        #expect(first.loadBalancerAddresses == 8)
        #expect(first.projectedAddresses == 338)
        #expect(first.usableAddresses == 8187)
        #expect(first.headroomAddresses == 8187 - 338)
    }

    /// describe-subnets' AvailableIpAddressCount already leaves out the running nodes' addresses: in an existing
    /// subnet only the growth to max size is budgeted; a planned subnet (no count) starts empty.
    @Test func runningNodesAreNotCountedTwice() throws {
        var plan = PlanFixtures.clean
        plan.nodeGroups![0].maxSize = 30
        plan.nodeGroups![0].runningNodes = 18
        // Planned subnets: all 10 nodes per AZ (m5.large full = 30 addresses).
        #expect(try budget(plan, "subnet-private-0").nodeAddresses == 300)
        // The same subnet as it exists, with 6 of its 10 nodes running: the growth of 4.
        plan.subnets[PlanFixtures.index(plan, "subnet-private-0")].availableIpAddressCount = 8000
        let existing = try budget(plan, "subnet-private-0")
        #expect(existing.nodesAtMax == 10)
        #expect(existing.nodeAddresses == 4 * 30)
        #expect(existing.addressesInUse == 8187 - 8000)
        // More running than max size is refused.
        plan.nodeGroups![0].runningNodes = 31
        #expect(throws: ValidationFailure.self) { try PlanContext(plan, aws: .embedded) }
    }

    /// IPv6 clusters: a node takes one IPv4 address (its primary ENI's); pods take IPv6 from a /80.
    @Test func ipv6NodesTakeOneIPv4AddressEach() throws {
        var plan = PlanFixtures.cleanIPv6
        plan.nodeGroups![0].maxSize = 30
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        let capacity = try #require(evaluation.capacity.first)
        #expect(capacity.subnetAddressesPerNode == 1)
        #expect(capacity.max.subnetAddresses == 30)
        #expect(capacity.instanceTypes.allSatisfy { $0.prefixesWhenFull == 0 && $0.enisWhenFull == 1 })
        #expect(capacity.notes.contains { $0.contains("/80") })
        #expect(evaluation.subnets.reduce(0) { $0 + $1.nodeAddresses } == 30)
    }

    /// VPC CNI subnet discovery (1.18+): the primary ENI stays in the node's subnet; ENIs beyond it go to the
    /// candidate with the most free addresses among the node's subnet and its zone's subnets tagged
    /// kubernetes.io/role/cni=1 (awsutils createENI).
    @Test func subnetDiscoveryMovesSecondaryENIsToTheTaggedSubnet() throws {
        let plan = try PlanExamplesTests.example("subnet-discovery.json")
        // m5.large at 29 max pods: 3 ENIs of 1 + 9 addresses; 10 nodes over 3 AZs (4, 3, 3).
        #expect(try budget(plan, "subnet-private-a").nodeAddresses == 4 * 10)
        #expect(try budget(plan, "subnet-cni-a").podSubnetAddresses == 4 * 20)
        // Before 1.18 there is no discovery: every ENI stays in the node's subnet.
        var older = plan
        older.cni?.version = "1.17.0"
        #expect(try budget(older, "subnet-private-a").nodeAddresses == 4 * 30)
        #expect(try budget(older, "subnet-cni-a").podSubnetAddresses == 0)
        // A tagged subnet with fewer free addresses than the node's own is not picked.
        var small = plan
        small.subnets[PlanFixtures.index(small, "subnet-cni-a")].availableIpAddressCount = 100
        #expect(try budget(small, "subnet-private-a").nodeAddresses == 4 * 30)
    }

    @Test func countsExistingUseAndControlPlane() throws {
        var plan = PlanFixtures.clean
        plan.subnets[PlanFixtures.index(plan, "subnet-cluster-0")].availableIpAddressCount = 20
        let cluster = try budget(plan, "subnet-cluster-0")
        #expect(cluster.usableAddresses == 27)
        #expect(cluster.addressesInUse == 7)
        // Two cluster subnets: 2 ENIs each, doubled for upgrades.
        #expect(cluster.controlPlaneAddresses == 4)
        #expect(cluster.headroomAddresses == 27 - 7 - 4)
    }

    @Test func warmPoolSettingsChangeTheNeed() throws {
        var plan = PlanFixtures.clean
        plan.nodeGroups![0].instanceTypes = ["m5.4xlarge"]
        plan.nodeGroups![0].desiredSize = 3
        plan.nodeGroups![0].maxSize = 3
        // Kubelet cap 110: 108 pod IPs take 4 ENIs of 29 with WARM_ENI_TARGET=1 (growth stops at 116 ≥ 110).
        #expect(try budget(plan, "subnet-private-0").nodeAddresses == 4 + 116)
        plan.cni?.warmIpTarget = 2
        plan.cni?.minimumIpTarget = 10
        // IP targets: 108 pods + 2 spare = 110 secondaries on 4 ENIs.
        #expect(try budget(plan, "subnet-private-0").nodeAddresses == 4 + 110)
    }

    @Test func fargatePodsTakeOneAddressEach() throws {
        var plan = PlanFixtures.clean
        plan.fargateProfiles = [.init(name: "fp", subnetIds: ["subnet-private-0", "subnet-private-1"], maxPods: 101)]
        #expect(try budget(plan, "subnet-private-0").fargateAddresses == 51)
        #expect(try budget(plan, "subnet-private-1").fargateAddresses == 50)
    }

    @Test func prefixModeCountsBlocks() throws {
        var plan = PlanFixtures.clean
        plan.cni?.prefixDelegation = true
        let private0 = try budget(plan, "subnet-private-0")
        let blocks = try #require(private0.prefixBlocks)
        // /19 = 512 blocks of /28, less the first and the last.
        #expect(blocks.freeAligned28Blocks == 510)
        // 10 nodes × 7 prefixes (108 pods, growth stops at 112 ≥ 110).
        #expect(blocks.prefixesNeeded == 70)
        #expect(private0.nodeAddresses == 10 * (1 + 112))
    }

    @Test func customNetworkingPutsPodENIsInTheENIConfigSubnet() throws {
        var plan = PlanFixtures.clean
        plan.vpc.cidrBlocks.append("100.64.0.0/16")
        var configs: [String: String] = [:]
        for (index, zone) in PlanFixtures.zones.enumerated() {
            plan.subnets.append(
                ClusterPlan.Subnet(
                    subnetId: "subnet-pods-\(index)", availabilityZone: zone.0, availabilityZoneId: zone.1,
                    cidrBlock: "100.64.\(64 * index).0/18", defaultRoute: "nat"))
            configs[zone.0] = "subnet-pods-\(index)"
        }
        plan.cni?.customNetworking = .init(enabled: true, eniConfigs: configs)
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        #expect(!evaluation.findings.contains { $0.severity == .error }, "\(evaluation.findings.filter { $0.severity == .error })")
        let node = try #require(evaluation.subnets.first { $0.subnetId == "subnet-private-0" })
        let pods = try #require(evaluation.subnets.first { $0.subnetId == "subnet-pods-0" })
        // m5.large with custom networking: 18 pods on 2 ENIs in the pod subnet; the node IP stays home.
        #expect(node.nodeAddresses == 10)
        #expect(pods.podSubnetAddresses == 10 * 20)
        // ENIConfig subnets are not load-balancer subnets and need no role tag.
        #expect(evaluation.tags.subnets.first { $0.subnetId == "subnet-pods-0" }?.add.isEmpty == true)
    }
}
