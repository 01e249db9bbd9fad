import Testing

@testable import EKSNetCore

@Suite struct LayoutPlannerTests {
    static let types = ["m5.large", "m5.xlarge", "c5.4xlarge", "r6i.2xlarge", "t3.medium", "m6g.large", "m5.24xlarge", "c6i.8xlarge"]

    /// A reproducible random workload.
    static func workload(seed: UInt64) -> LayoutRequest {
        var random = SplitMix64(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        let groups = (0..<pick(1...4)).map { index -> NodeGroupInput in
            var cni: CNISettingsInput?
            if pick(0...3) == 0 { cni = CNISettingsInput(prefixDelegation: true) }
            return NodeGroupInput(
                name: "ng-\(index)", instanceTypes: [types[pick(0...(types.count - 1))]], minSize: 0,
                maxSize: pick(1...150), cni: cni)
        }
        let egress = LayoutPlanner.egressModes[pick(0...2)]
        var cni = CNISettingsInput(version: "1.19.0")
        if pick(0...4) == 0 { cni.customNetworking = .init(enabled: true) }
        if pick(0...3) == 0 { cni.warmIpTarget = 2; cni.minimumIpTarget = 10 }
        let avoid = pick(0...1) == 0 ? ["10.0.0.0/16", "172.20.0.0/16"] : []
        return LayoutRequest(
            clusterName: "prop-\(seed)", region: "us-west-2", azCount: pick(2...4), avoidCidrs: avoid, nodeGroups: groups,
            cni: cni, egress: egress, karpenter: pick(0...1) == 0)
    }

    @Test(arguments: 0..<150)
    func everyProposalEvaluatesWithoutErrors(seed: Int) throws {
        let request = Self.workload(seed: UInt64(seed))
        let proposal = try LayoutPlanner.propose(request, aws: .embedded)
        let evaluation = try PlanEvaluator.evaluate(proposal.plan, aws: .embedded)
        let errors = evaluation.findings.filter { $0.severity == .error }
        #expect(errors.isEmpty, "seed \(seed): \(errors.map { "\($0.ruleId) \($0.message)" })")
        #expect(proposal.errors == 0)
        // Sized to demand: every node subnet holds what it was sized for.
        for subnet in proposal.subnets { #expect(subnet.usableAddresses >= subnet.demand, "\(subnet)") }
    }

    /// Issue 11 §8, layouts at any scale: a zone whose demand passes what one subnet can hold (a /16) gets several
    /// node subnets (AWS: a subnet is /16 to /28; the load-balancer controller takes one subnet per zone, so only the
    /// first carries the role tag), and custom networking — one ENIConfig subnet per zone — spreads over more zones.
    /// Every proposal, up to 2,000 nodes a group in every CNI mode, evaluates with no error and no warning of the
    /// layout's own making: the one warning allowed is the VPC CIDR-block quota (VPC-006), which the workload's
    /// size makes, and the proposal notes it.
    @Test(arguments: ["m5.large", "m5.4xlarge", "c5.4xlarge", "m6i.4xlarge"], [500, 2000])
    func layoutsAtScaleEvaluateClean(instanceType: String, maxSize: Int) throws {
        let zones = [("us-east-1a", "use1-az1"), ("us-east-1b", "use1-az2"), ("us-east-1c", "use1-az4"),
            ("us-east-1d", "use1-az6"), ("us-east-1f", "use1-az5")].map { LayoutRequest.Zone(name: $0.0, zoneId: $0.1) }
        let modes: [(String, CNISettingsInput)] = [
            ("secondary IPs", CNISettingsInput(version: "1.19.0")),
            ("prefix delegation", CNISettingsInput(version: "1.19.0", prefixDelegation: true)),
            ("custom networking", CNISettingsInput(version: "1.19.0", customNetworking: .init(enabled: true))),
            ("custom networking + prefixes", CNISettingsInput(version: "1.19.0", prefixDelegation: true, customNetworking: .init(enabled: true))),
        ]
        for (mode, cni) in modes {
            let request = LayoutRequest(
                clusterName: "scale", region: "us-east-1", availabilityZones: zones,
                nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: [instanceType], minSize: 1, maxSize: maxSize),
                    NodeGroupInput(name: "system", instanceTypes: ["m5.large"], minSize: 2, maxSize: 6)],
                cni: cni, egress: "nat-per-az", karpenter: true)
            let proposal = try LayoutPlanner.propose(request, aws: .embedded)
            let evaluation = try PlanEvaluator.evaluate(proposal.plan, aws: .embedded)
            let quota = proposal.notes.contains { $0.contains("more than 5 per VPC needs a quota increase") }
            #expect(quota == (proposal.plan.vpc.cidrBlocks.count > 5), "the note says so exactly when the quota is passed")
            let unexpected = evaluation.findings.filter { finding in
                finding.severity == .error || (finding.severity == .warning && !(quota && finding.ruleId == "VPC-006"))
            }
            #expect(unexpected.isEmpty, "\(instanceType) × \(maxSize), \(mode): \(unexpected.map { "\($0.ruleId) \($0.message)" })")
            for subnet in proposal.subnets { #expect(subnet.usableAddresses >= subnet.demand, "\(mode): \(subnet)") }
            let internalELB = proposal.plan.subnets.filter { $0.tags?[SubnetTagSuggester.internalELBRole] != nil }
            #expect(Set(internalELB.map(\.availabilityZone)).count == internalELB.count, "one role-tagged subnet per zone")
        }
    }

    /// Custom networking past what the zones can hold (one /16 ENIConfig subnet each): the layout says why, and the
    /// evaluation blocks on the pod subnets rather than calling the cluster ready.
    @Test func customNetworkingThatNoZoneCountHoldsIsExplained() throws {
        let request = LayoutRequest(
            clusterName: "huge", region: "us-east-1", availabilityZones: [
                .init(name: "us-east-1a", zoneId: "use1-az1"), .init(name: "us-east-1b", zoneId: "use1-az2"),
                .init(name: "us-east-1c", zoneId: "use1-az4"),
            ],
            nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: ["m6i.8xlarge"], minSize: 1, maxSize: 2000)],
            cni: CNISettingsInput(version: "1.19.0", customNetworking: .init(enabled: true)))
        let proposal = try LayoutPlanner.propose(request, aws: .embedded)
        #expect(proposal.notes.contains { $0.hasPrefix("custom networking takes pod addresses from one subnet per zone") })
        #expect(try PlanEvaluator.evaluate(proposal.plan, aws: .embedded).findings.contains { $0.ruleId == "NG-005" && $0.severity == .error })
    }

    @Test func sizesToTheWorkloadNotAFixedSplit() throws {
        let small = try LayoutPlanner.propose(
            LayoutRequest(
                clusterName: "small", region: "us-east-1", nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: ["m5.large"], minSize: 1, maxSize: 6)]), aws: .embedded)
        let large = try LayoutPlanner.propose(
            LayoutRequest(
                clusterName: "large", region: "us-east-1",
                nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: ["m5.4xlarge"], minSize: 1, maxSize: 300)]), aws: .embedded)
        let smallPrivate = try #require(small.subnets.first { $0.role == "private" })
        let largePrivate = try #require(large.subnets.first { $0.role == "private" })
        #expect(smallPrivate.usableAddresses < largePrivate.usableAddresses)
        // 6 × 30 addresses over 3 AZs × 1.2 + 8 LB addresses fits a /25; eksctl would give a /19.
        #expect(smallPrivate.cidrBlock.hasSuffix("/25"))
        // 3 × /25 private, 3 × /24 public, 3 × /27 cluster and a spare /25: a /21 instead of eksctl's /16.
        #expect(small.plan.vpc.cidrBlocks.first?.hasSuffix("/21") == true)
        #expect(small.cloudFormation.contains("AWS::EC2::NatGateway"))
        #expect(small.plan.clusterSubnetIds.count == 3)
    }

    @Test func skipsDisallowedZonesAndAvoidsRanges() throws {
        let proposal = try LayoutPlanner.propose(
            LayoutRequest(
                clusterName: "z", region: "us-east-1",
                availabilityZones: [.init(name: "us-east-1a", zoneId: "use1-az3"), .init(name: "us-east-1b", zoneId: "use1-az1"),
                                    .init(name: "us-east-1c", zoneId: "use1-az2"), .init(name: "us-east-1d", zoneId: "use1-az4")],
                avoidCidrs: ["10.0.0.0/8"], nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: ["m5.large"], minSize: 1, maxSize: 10)]), aws: .embedded)
        #expect(!proposal.plan.subnets.contains { $0.availabilityZone == "us-east-1a" })
        #expect(proposal.plan.vpc.cidrBlocks.first?.hasPrefix("172.16.") == true)
        #expect(proposal.notes.contains { $0.contains("use1-az3") })
        #expect(proposal.plan.serviceIpv4Cidr == "10.100.0.0/16" || proposal.plan.serviceIpv4Cidr?.hasPrefix("172.") == true)
    }

    @Test func skipsZonesThatDoNotOfferTheTypes() throws {
        let zones = (1...4).map { LayoutRequest.Zone(name: "us-west-2" + ["a", "b", "c", "d"][$0 - 1], zoneId: "usw2-az\($0)") }
        let proposal = try LayoutPlanner.propose(
            LayoutRequest(
                clusterName: "trn", region: "us-west-2", availabilityZones: zones,
                nodeGroups: [NodeGroupInput(name: "ml", instanceTypes: ["trn1.32xlarge"], minSize: 0, maxSize: 4)]), aws: .embedded)
        // trn1.32xlarge is offered in usw2-az1 and usw2-az4 only.
        #expect(Set(proposal.plan.subnets.compactMap(\.availabilityZoneId)) == ["usw2-az1", "usw2-az4"])
        #expect(proposal.notes.filter { $0.contains("does not offer") }.count == 2)
        let evaluation = try PlanEvaluator.evaluate(proposal.plan, aws: .embedded)
        #expect(!evaluation.findings.contains { $0.ruleId == "NG-004" })
    }

    @Test func privateOnlyGetsEndpointsNotNAT() throws {
        let proposal = try LayoutPlanner.propose(
            LayoutRequest(
                clusterName: "p", region: "eu-west-1", nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: ["m5.large"], minSize: 1, maxSize: 10)],
                egress: "private-only", loadBalancers: .init(internetFacing: false, internal: true, controllerVersion: nil, dualStack: nil)), aws: .embedded)
        #expect(proposal.plan.natGateways == nil)
        let services = Set((proposal.plan.vpcEndpoints ?? []).map(\.service))
        #expect(services.isSuperset(of: ["ec2", "ecr.api", "ecr.dkr", "sts", "s3"]))
        #expect(proposal.plan.endpointAccess?.private == true)
        #expect(!proposal.plan.subnets.contains { $0.defaultRoute == "igw" })
        #expect(proposal.cloudFormation.contains("VpcEndpointType: Gateway"))
    }

    @Test func negativeZoneCountsAreRefusedNotTrapped() {
        #expect(throws: ValidationFailure.self) {
            try LayoutPlanner.propose(
                LayoutRequest(
                    clusterName: "x", region: "us-east-1", availabilityZones: [.init(name: "us-east-1a", zoneId: nil)], azCount: -1,
                    nodeGroups: [NodeGroupInput(name: "ng", instanceTypes: ["m5.large"], minSize: 0, maxSize: 1)]), aws: .embedded)
        }
    }

    @Test func refusesBadRequests() {
        #expect(throws: ValidationFailure.self) {
            try LayoutPlanner.propose(
                LayoutRequest(clusterName: "", region: "x", azCount: 9, vpcCidr: "10.0.0.0/8", nodeGroups: [], egress: "carrier-pigeon"), aws: .embedded)
        }
    }
}

/// Issue 28, item 6: a workload too large for any RFC 1918 range is refused pointing at what the client sent (the
/// node groups), not at `/avoidCidrs`, which it never sent.
@Suite struct LayoutRefusalPointerTests {
    static func huge(avoid: [String]?) -> LayoutRequest {
        let groups = (0..<20).map { index in
            NodeGroupInput(name: "ng-\(index)", instanceTypes: ["m5.24xlarge"], minSize: 0, maxSize: 10_000)
        }
        return LayoutRequest(
            clusterName: "huge", region: "us-west-2", azCount: 3, avoidCidrs: avoid, nodeGroups: groups,
            cni: CNISettingsInput(version: "1.19.0"), egress: LayoutPlanner.egressModes[0], karpenter: false)
    }

    @Test func aDemandNoRangeHoldsPointsAtTheNodeGroups() {
        do {
            _ = try LayoutPlanner.propose(Self.huge(avoid: nil), aws: .embedded)
            Issue.record("a demand of 20 × 10,000 m5.24xlarge nodes was laid out")
        } catch {
            #expect(error.issues.map(\.pointer) == ["/nodeGroups"], "\(error.issues)")
        }
    }

    @Test func rangesToAvoidArePointedAtWhenTheClientSentThem() {
        do {
            _ = try LayoutPlanner.propose(Self.huge(avoid: ["10.0.0.0/16"]), aws: .embedded)
            Issue.record("laid out")
        } catch {
            #expect(error.issues.map(\.pointer) == ["/avoidCidrs"], "\(error.issues)")
        }
    }
}
