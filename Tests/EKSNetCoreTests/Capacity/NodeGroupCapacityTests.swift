import Testing

@testable import EKSNetCore

@Suite struct NodeGroupCapacityTests {
    func type(_ name: String) throws -> InstanceType {
        try #require(AWSData.embedded.catalog.instanceType(named: name))
    }

    @Test func eniLimitedGroup() throws {
        let group = NodeGroup(
            name: "general", instanceTypes: [try type("m5.large")], minSize: 3, desiredSize: 6, maxSize: 30,
            extraDaemonSetPods: 1)
        let capacity = try NodeGroupCapacity.compute(group)
        #expect(capacity.maxPodsPerNode == 29)
        #expect(capacity.bindingLimit == .enis)
        #expect(capacity.explanation == "3 ENIs × 9 secondary IPs + 2 host-network pods = 29")
        #expect(capacity.daemonSetPodsPerNode == 3)
        #expect(capacity.workloadPodsPerNode == 26)
        #expect(capacity.max.workloadPods == 780)
        #expect(capacity.desired.maxPods == 174)
        // 27 pod IPs fill all three ENIs: 3 primaries + 27 secondaries.
        #expect(capacity.subnetAddressesPerNode == 30)
        #expect(capacity.max.subnetAddresses == 900)
    }

    @Test func kubeletCapBindsOnLargeTypes() throws {
        let group = NodeGroup(
            name: "big", instanceTypes: [try type("m5.4xlarge")], minSize: 1, desiredSize: 1, maxSize: 1)
        let capacity = try NodeGroupCapacity.compute(group)
        #expect(capacity.maxPodsPerNode == 110)
        #expect(capacity.bindingLimit == .kubelet)
        #expect(capacity.explanation.hasPrefix("kubelet cap 110 for ≤ 30 vCPUs"))
        // 108 pod IPs: 4 ENIs of 29 hold 116 ≥ 110, where ipamd stops growing.
        #expect(capacity.instanceTypes[0].enisWhenFull == 4)
        #expect(capacity.subnetAddressesPerNode == 4 + 116)
    }

    @Test func mixedTypesTakeTheSmallest() throws {
        let group = NodeGroup(
            name: "mixed", instanceTypes: [try type("m5.xlarge"), try type("m5.large")], minSize: 0, desiredSize: 2,
            maxSize: 4)
        let capacity = try NodeGroupCapacity.compute(group)
        #expect(capacity.maxPodsPerNode == 29)
        #expect(capacity.limitingInstanceType == "m5.large")
        #expect(capacity.notes.contains { $0.hasPrefix("mixed instance types") })
    }

    @Test func kubeletOverrideAboveENICapacityIsFlagged() throws {
        let group = NodeGroup(
            name: "over", instanceTypes: [try type("m5.large")], minSize: 1, desiredSize: 1, maxSize: 1,
            kubeletMaxPods: 110)
        let capacity = try NodeGroupCapacity.compute(group)
        #expect(capacity.maxPodsPerNode == 29)
        #expect(capacity.bindingLimit == .enis)
        #expect(capacity.notes.contains { $0.contains("ContainerCreating") })
    }

    @Test func prefixDelegationCountsPrefixes() throws {
        var cni = CNISettings()
        cni.warmPool.prefixDelegation = true
        let group = NodeGroup(
            name: "pd", instanceTypes: [try type("m5.large")], minSize: 1, desiredSize: 1, maxSize: 2, cni: cni)
        let capacity = try NodeGroupCapacity.compute(group)
        #expect(capacity.maxPodsPerNode == 110)
        #expect(capacity.bindingLimit == .kubelet)
        // 108 pods fill 7 prefixes (112); WARM_PREFIX_TARGET=1 stops at Total ≥ maxPods, so 1 ENI + 7 × 16.
        #expect(capacity.subnetAddressesPerNode == 1 + 112)
    }

    @Test func customNetworkingAndSecurityGroupsReduceENIs() throws {
        var cni = CNISettings()
        cni.warmPool.customNetworking = true
        let custom = try NodeGroupCapacity.compute(
            NodeGroup(name: "cn", instanceTypes: [try type("m5.large")], minSize: 1, desiredSize: 1, maxSize: 1, cni: cni))
        #expect(custom.maxPodsPerNode == 20)
        #expect(custom.instanceTypes[0].podSubnetAddressesWhenFull == 20)

        var sgp = CNISettings()
        sgp.warmPool.securityGroupsForPods = true
        let trunk = try NodeGroupCapacity.compute(
            NodeGroup(name: "sgp", instanceTypes: [try type("m5.large")], minSize: 1, desiredSize: 1, maxSize: 1, cni: sgp))
        #expect(trunk.maxPodsPerNode == 20)
        #expect(trunk.bindingLimit == .enis)
        #expect(trunk.notes.contains { $0.contains("ContainerCreating") })

        sgp.warmPool.customNetworking = true
        #expect(throws: CapacityError.self) {
            try NodeGroupCapacity.compute(
                NodeGroup(name: "x", instanceTypes: [try type("t3.micro")], minSize: 1, desiredSize: 1, maxSize: 1, cni: sgp))
        }
    }
}
