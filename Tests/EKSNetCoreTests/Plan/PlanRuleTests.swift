import Testing

@testable import EKSNetCore

/// One rule, a plan that trips it, and the clean plan that does not.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let ruleId: String
    let ipv6: Bool
    /// Members the HTTP edge found that no field reads (INP-001).
    let unknownFields: [UnknownField]
    let mutate: @Sendable (inout ClusterPlan) -> Void

    init(
        _ ruleId: String, ipv6: Bool = false, unknownFields: [UnknownField] = [],
        _ mutate: @escaping @Sendable (inout ClusterPlan) -> Void
    ) {
        self.ruleId = ruleId
        self.ipv6 = ipv6
        self.unknownFields = unknownFields
        self.mutate = mutate
    }

    var testDescription: String { ruleId + (ipv6 ? " (IPv6)" : "") }

    static func subnet(_ plan: inout ClusterPlan, _ id: String, _ change: (inout ClusterPlan.Subnet) -> Void) {
        change(&plan.subnets[PlanFixtures.index(plan, id)])
    }

    static func isolatePrivateSubnets(_ plan: inout ClusterPlan) {
        for index in plan.subnets.indices where plan.subnets[index].defaultRoute == "nat" {
            plan.subnets[index].defaultRoute = "none"
        }
        plan.natGateways = nil
    }

    /// The security groups EKS makes, as they should be: the cluster group accepts all traffic from itself (EKS's
    /// default rule) and 443 from the nodes' group; the nodes' group accepts 10250 and 443 from the cluster group
    /// and all traffic from itself; both keep AWS's all-outbound egress. Each SG case breaks one thing.
    static func securityGroups(_ change: (inout SecurityGroupPlan) -> Void = { _ in }) -> SecurityGroupPlan {
        var groups = SecurityGroupPlan(
            clusterSecurityGroupId: "sg-cluster", nodeSecurityGroupIds: ["sg-nodes"],
            groups: [
                SecurityGroup(groupId: "sg-cluster", ingress: [
                    SecurityGroupRule(ipProtocol: "-1", securityGroupId: "sg-cluster"),
                    SecurityGroupRule(ipProtocol: "tcp", fromPort: 443, toPort: 443, securityGroupId: "sg-nodes"),
                ]),
                SecurityGroup(groupId: "sg-nodes", ingress: [
                    SecurityGroupRule(ipProtocol: "tcp", fromPort: 1025, toPort: 65535, securityGroupId: "sg-cluster"),
                    SecurityGroupRule(ipProtocol: "tcp", fromPort: 443, toPort: 443, securityGroupId: "sg-cluster"),
                    SecurityGroupRule(ipProtocol: "-1", securityGroupId: "sg-nodes"),
                ]),
            ])
        change(&groups)
        return groups
    }

    static let requiredEndpoints = ["ec2", "ecr.api", "ecr.dkr", "sts", "s3"].map { ClusterPlan.VPCEndpoint(service: $0) }

    static let all: [RuleCase] = [
        .init("VPC-001") { $0.vpc.cidrBlocks[0] = "10.0.0.1/16" },
        .init("VPC-002") { plan in
            plan.vpc.cidrBlocks = ["52.10.0.0/16"]
        },
        .init("VPC-003") { $0.vpc.cidrBlocks.append("10.0.128.0/17") },
        .init("VPC-004") { $0.vpc.cidrBlocks.append("192.168.0.0/16") },
        .init("VPC-006") { plan in plan.vpc.cidrBlocks += (2...6).map { "10.\($0).0.0/16" } },
        .init("VPC-007") { subnet(&$0, "subnet-public-0") { $0.cidrBlock = "172.17.0.0/24" } },
        .init("VPC-008") { $0.connectedNetworks = ["10.0.0.0/8"] },
        .init("DNS-001") { $0.vpc.enableDnsSupport = false },
        .init("DNS-002") { $0.vpc.enableDnsHostnames = false },
        .init("SUB-001") { subnet(&$0, "subnet-public-0") { $0.cidrBlock = "10.9.0.0/24" } },
        .init("SUB-002") { subnet(&$0, "subnet-public-1") { $0.cidrBlock = "10.0.0.0/23" } },
        .init("SUB-004") { subnet(&$0, "subnet-public-0") { $0.availabilityZone = "eu-west-1a" } },
        .init("SUB-005") { subnet(&$0, "subnet-private-0") { $0.role = "public" } },
        .init("SUB-006") { subnet(&$0, "subnet-public-0") { $0.routeTableAssociation = "main" } },
        .init("CPS-001") { $0.clusterSubnetIds = ["subnet-cluster-0"] },
        .init("CPS-002") { subnet(&$0, "subnet-cluster-0") { $0.availableIpAddressCount = 3 } },
        .init("CPS-003") { subnet(&$0, "subnet-cluster-0") { $0.availableIpAddressCount = 12 } },
        .init("CPS-004") { subnet(&$0, "subnet-cluster-0") { $0.availabilityZoneId = "use1-az3" } },
        .init("PD-003") { $0 = PlanRuleTests.fragmented() },
        // EKS security group requirements: a restricted cluster group must still reach the nodes on 443, 10250, 53.
        .init("SG-001") { $0.securityGroups = securityGroups { $0.groups[0].egress = [SecurityGroupRule(ipProtocol: "tcp", fromPort: 443, toPort: 443, securityGroupId: "sg-nodes")] } },
        // The control plane reaches the kubelet on 10250 from the cluster security group.
        .init("SG-002") { $0.securityGroups = securityGroups { $0.groups[1].ingress.removeFirst() } },
        // Node-to-node traffic (pods across nodes, CoreDNS on 53) needs all traffic between the nodes.
        .init("SG-003") { $0.securityGroups = securityGroups { $0.groups[1].ingress.removeLast() } },
        // Nodes join through the API server on 443 in the cluster security group.
        .init("SG-004") { $0.securityGroups = securityGroups { $0.groups[0].ingress.removeLast() } },
        // The clean plan routes to 10.1.0.0/16; a secondary CIDR containing it cannot be associated.
        .init("VPC-005") { $0.vpc.cidrBlocks.append("10.1.0.0/16") },
        .init("FG-001") { $0.fargateProfiles = [.init(name: "web", subnetIds: ["subnet-private-0", "subnet-public-1"], maxPods: 20)] },
        .init("INP-001", unknownFields: [UnknownField(pointer: "/vpc/enableDnsHostname", suggestion: "enableDnsHostnames")]) { _ in },
        // us-east-1, where use1-az3 is refused, with a cluster subnet known by name only.
        .init("CPS-011") { plan in
            plan.region = "us-east-1"
            subnet(&plan, "subnet-cluster-0") { $0.availabilityZoneId = nil }
        },
        .init("CPS-005") { subnet(&$0, "subnet-cluster-0") { $0.zoneType = "wavelength-zone" } },
        .init("CPS-006") { subnet(&$0, "subnet-cluster-0") { $0.zoneType = "local-zone" } },
        .init("CPS-008") { $0.nodeGroups![0].subnetIds!.append("subnet-cluster-0") },
        .init("RT-001") { subnet(&$0, "subnet-private-0") { $0.defaultRoute = "none" } },
        .init("RT-002", ipv6: true) { plan in
            subnet(&plan, "subnet-private-0") {
                $0.defaultRoute = "none"
                $0.ipv6DefaultRoute = "none"
            }
        },
        .init("RT-003") { $0.natGateways![0].subnetId = "subnet-private-0" },
        .init("RT-004") { $0.natGateways = [ClusterPlan.NATGateway(natGatewayId: "nat-0", subnetId: "subnet-public-0")] },
        .init("RT-005") { plan in
            plan.endpointAccess = .init(public: true, private: false)
            subnet(&plan, "subnet-private-0") { $0.defaultRoute = "none" }
        },
        .init("RT-006") { plan in
            for id in ["subnet-public-0", "subnet-public-1", "subnet-public-2"] {
                subnet(&plan, id) { $0.defaultRoute = "tgw" }
            }
            plan.natGateways = nil
        },
        .init("NG-001") { plan in
            subnet(&plan, "subnet-public-0") { $0.mapPublicIpOnLaunch = false }
            plan.nodeGroups![0].subnetIds = ["subnet-public-0", "subnet-public-1"]
        },
        .init("NG-002", ipv6: true) { subnet(&$0, "subnet-private-1") { $0.assignIpv6AddressOnCreation = false } },
        .init("NG-003") { $0.nodeGroups![0].subnetIds = ["subnet-private-0"] },
        .init("NG-004") { $0.nodeGroups![0].instanceTypes = ["trn1.32xlarge"] },
        .init("NG-005") { $0.nodeGroups![0].maxSize = 2000 },
        .init("NG-006") { $0.nodeGroups![0].maxSize = 660 },
        .init("NG-008") { plan in
            plan.nodeGroups![0].instanceTypes = ["c4.large"]
            plan.cni?.prefixDelegation = true
        },
        .init("NG-009") { plan in
            plan.cni = CNISettingsInput(version: "1.8.0", prefixDelegation: true)
        },
        .init("NG-009", ipv6: true) { $0.cni = CNISettingsInput(version: "1.10.0") },
        .init("CNI-003") { $0.cni?.customNetworking = .init(enabled: true, eniConfigs: [:]) },
        .init("PD-001") { plan in
            plan.cni?.prefixDelegation = true
            subnet(&plan, "subnet-private-0") { $0.availableIpAddressCount = 8000 }
        },
        .init("SVC-001") { $0.serviceIpv4Cidr = "100.64.0.0/16" },
        .init("SVC-002") { $0.serviceIpv4Cidr = "172.20.0.0/25" },
        .init("SVC-003") { $0.serviceIpv4Cidr = "10.0.0.0/16" },
        .init("SVC-004") { $0.connectedNetworks = ["172.20.0.0/16"] },
        .init("SVC-005") { $0.serviceIpv4Cidr = "172.17.0.0/16" },
        .init("SVC-007", ipv6: true) { $0.serviceIpv4Cidr = "172.20.0.0/16" },
        .init("EP-001") { plan in
            isolatePrivateSubnets(&plan)
        },
        .init("EP-002") { plan in
            isolatePrivateSubnets(&plan)
            plan.vpcEndpoints = requiredEndpoints
        },
        .init("EP-003") { plan in
            isolatePrivateSubnets(&plan)
            plan.vpcEndpoints = requiredEndpoints
            plan.endpointAccess = .init(public: true, private: false)
        },
        .init("EP-004") { plan in
            isolatePrivateSubnets(&plan)
            var s3 = ClusterPlan.VPCEndpoint(service: "com.amazonaws.us-west-2.s3")
            s3.type = "Gateway"
            s3.routeTableSubnetIds = ["subnet-private-0"]
            plan.vpcEndpoints = requiredEndpoints.filter { $0.service != "s3" } + [s3]
        },
        .init("EP-005") { plan in
            var ec2 = ClusterPlan.VPCEndpoint(service: "ec2")
            ec2.type = "Interface"
            ec2.subnetIds = ["subnet-private-0"]
            plan.vpcEndpoints = [ec2]
        },
        .init("TAG-003") { subnet(&$0, "subnet-private-0") { $0.tags?["kubernetes.io/role/elb"] = "1" } },
        .init("TAG-004") { subnet(&$0, "subnet-public-0") { $0.tags?["kubernetes.io/role/elb"] = "true" } },
        .init("TAG-005") { subnet(&$0, "subnet-private-0") { $0.tags?["kubernetes.io/cluster/other"] = "shared" } },
        .init("TAG-006") { subnet(&$0, "subnet-private-0") { $0.tags?["kubernetes.io/cluster/prod-a"] = "yes" } },
        .init("TAG-008") { plan in
            var extra = ClusterPlan.Subnet(
                subnetId: "subnet-public-9", availabilityZone: "us-west-2a", availabilityZoneId: "usw2-az1",
                cidrBlock: "10.0.8.0/24", defaultRoute: "igw", mapPublicIpOnLaunch: true,
                tags: ["kubernetes.io/role/elb": "1"])
            extra.role = "public"
            plan.subnets.append(extra)
        },
        .init("TAG-009") { plan in
            for id in ["subnet-public-0", "subnet-public-1", "subnet-public-2"] {
                subnet(&plan, id) { $0.availableIpAddressCount = 5 }
            }
        },
        .init("TAG-010") { plan in
            for id in ["subnet-public-1", "subnet-public-2"] { subnet(&plan, id) { $0.defaultRoute = "tgw" } }
            plan.natGateways = [ClusterPlan.NATGateway(natGatewayId: "nat-0", subnetId: "subnet-public-0")]
        },
        .init("TAG-012") { $0.loadBalancers?.dualStack = true },
        .init("TAG-013") { plan in
            var local = ClusterPlan.Subnet(
                subnetId: "subnet-lz", availabilityZone: "us-west-2-lax-1a", cidrBlock: "10.0.9.0/24",
                defaultRoute: "igw", mapPublicIpOnLaunch: true, tags: ["kubernetes.io/role/elb": "1"])
            local.zoneType = "local-zone"
            plan.subnets.append(local)
        },
        .init("V6-001", ipv6: true) { $0.vpc.ipv6CidrBlocks = nil },
        .init("V6-002", ipv6: true) { $0.kubernetesVersion = "1.20" },
        .init("V6-004", ipv6: true) { plan in
            subnet(&plan, "subnet-private-0") { $0.enableDns64 = true }
        },
        // Facts shown on demand.
        .init("CPS-007") { $0.clusterSubnetIds = ["subnet-public-0", "subnet-public-1"] },
        .init("CPS-010") { $0.clusterSubnetIds.append("subnet-private-2") },
        .init("CNI-001") { plan in
            plan.cni?.customNetworking = .init(enabled: true, eniConfigs: [:])
        },
        .init("PD-002") { $0.cni?.prefixDelegation = true },
        .init("SVC-006") { $0.serviceIpv4Cidr = nil },
        .init("TAG-007") { $0.loadBalancers?.controllerVersion = "2.0.1" },
        .init("TAG-011") { plan in
            for index in plan.subnets.indices { plan.subnets[index].tags = [:] }
        },
        .init("V6-003", ipv6: true) { _ in },
    ]
}

@Suite struct PlanRuleTests {
    @Test(arguments: [false, true])
    func theCleanPlansAreReady(ipv6: Bool) throws {
        let evaluation = try PlanEvaluator.evaluate(ipv6 ? PlanFixtures.cleanIPv6 : PlanFixtures.clean, aws: .embedded)
        let problems = evaluation.findings.filter { $0.severity != .info }
        #expect(problems.isEmpty, "\(problems.map { "\($0.ruleId): \($0.message)" })")
        #expect(evaluation.verdict == .ready)
    }

    @Test(arguments: RuleCase.all)
    func ruleTripsOnItsPlanAndNotOnTheCleanOne(row: RuleCase) throws {
        let base = row.ipv6 ? PlanFixtures.cleanIPv6 : PlanFixtures.clean
        var plan = base
        row.mutate(&plan)
        let evaluation = PlanEvaluator.evaluate(try PlanContext(plan, aws: .embedded, unknownFields: row.unknownFields))
        let hits = evaluation.findings.filter { $0.ruleId == row.ruleId }
        #expect(!hits.isEmpty, "\(row.ruleId) not reported; got \(evaluation.findings.map(\.ruleId))")
        for hit in hits {
            #expect(hit.pointer.hasPrefix("/"), "pointer \(hit.pointer)")
            #expect(!hit.message.isEmpty && !hit.fix.isEmpty)
        }
        if let severity = hits.first?.severity, severity == .error {
            #expect(evaluation.verdict == .blocked)
        }
        let clean = try PlanEvaluator.evaluate(base, aws: .embedded)
        let facts: Set<String> = ["SUB-003", "NG-007", "SVC-008", "CNI-002", "V6-003"]
        if !facts.contains(row.ruleId) || (row.ruleId == "V6-003" && !row.ipv6) {
            #expect(!clean.findings.contains { $0.ruleId == row.ruleId })
        }
    }

    @Test func everyErrorAndWarningRuleHasATest() {
        let tested = Set(RuleCase.all.map(\.ruleId))
        let checks = PlanEvaluator.implementedRules.filter { $0.severity != .info }.map(\.id)
        #expect(Set(checks).subtracting(tested).isEmpty, "untested: \(Set(checks).subtracting(tested).sorted())")
    }

    /// EKS best practices: "use small (/28) dedicated subnets for the EKS cluster ENIs". Such a subnet has 11
    /// usable addresses, under the 16 the network requirements page recommends, and holds EKS's 2–4 ENIs twice
    /// over during an upgrade: no warning. The same /28 with anything else in it still gets one.
    @Test func aDedicatedSlash28ClusterSubnetIsAWSsAdviceNotAWarning() throws {
        var plan = PlanFixtures.clean
        RuleCase.subnet(&plan, "subnet-cluster-0") { $0.cidrBlock = "10.0.4.0/28" }
        RuleCase.subnet(&plan, "subnet-cluster-1") { $0.cidrBlock = "10.0.4.32/28" }
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        #expect(!evaluation.findings.contains { $0.ruleId == "CPS-003" }, "\(evaluation.findings.map(\.ruleId))")
        #expect(evaluation.verdict == .ready)
        // Something else already uses two of its addresses: no longer dedicated and unused.
        RuleCase.subnet(&plan, "subnet-cluster-0") { $0.availableIpAddressCount = 9 }
        let shared = try PlanEvaluator.evaluate(plan, aws: .embedded).findings.filter { $0.ruleId == "CPS-003" }
        #expect(shared.map(\.pointer) == ["/subnets/6"])
        // Tagged for internal load balancers: shared with the controller's picks.
        var tagged = PlanFixtures.clean
        RuleCase.subnet(&tagged, "subnet-cluster-1") {
            $0.cidrBlock = "10.0.4.32/28"
            $0.tags = ["kubernetes.io/role/internal-elb": "1"]
        }
        #expect(try PlanEvaluator.evaluate(tagged, aws: .embedded).findings.contains { $0.ruleId == "CPS-003" })
    }

    /// CreateVpc turns DNS resolution on and DNS hostnames off: a plan that leaves them out is judged on those
    /// values and says it assumed them; an audit without describe-vpc-attribute output does not assume anything.
    @Test func unsetDNSAttributesTakeTheDefaultsOfANewVPC() throws {
        var plan = PlanFixtures.clean
        plan.vpc.enableDnsSupport = nil
        plan.vpc.enableDnsHostnames = nil
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        let dns = evaluation.findings.filter { $0.ruleId.hasPrefix("DNS-") }
        #expect(dns.map(\.ruleId) == ["DNS-002"])
        #expect(dns.first?.message.contains("not given") == true)
        #expect(evaluation.verdict == .blocked)
        #expect(evaluation.assumptions.contains { $0.hasPrefix("/vpc/enableDnsHostnames not given: false") })
        #expect(evaluation.assumptions.contains { $0.hasPrefix("/vpc/enableDnsSupport not given: true") })
        // Given values are judged as given and assume nothing.
        plan.vpc.enableDnsHostnames = true
        let fixed = try PlanEvaluator.evaluate(plan, aws: .embedded)
        #expect(!fixed.findings.contains { $0.ruleId.hasPrefix("DNS-") })
        #expect(!fixed.assumptions.contains { $0.contains("enableDnsHostnames") })
        // An existing VPC's attributes are unknown without describe-vpc-attribute: not assumed, not checked.
        var unknown = PlanFixtures.clean
        unknown.vpc.enableDnsHostnames = nil
        let audited = PlanEvaluator.evaluate(try PlanContext(unknown, aws: .embedded, unsetVPCAttributes: .unknown))
        #expect(!audited.findings.contains { $0.ruleId == "DNS-002" })
        #expect(audited.assumptions.isEmpty)
    }

    /// Fargate pods run in private subnets (CreateFargateProfile refuses public ones) and take one address each.
    @Test func fargateProfilesTakePrivateSubnetsAndCountInTheBudget() throws {
        var plan = PlanFixtures.clean
        plan.fargateProfiles = [.init(name: "web", subnetIds: ["subnet-private-0", "subnet-private-1"], maxPods: 40)]
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        #expect(!evaluation.findings.contains { $0.ruleId == "FG-001" })
        #expect(evaluation.verdict == .ready)
        #expect(evaluation.subnets.reduce(0) { $0 + $1.fargateAddresses } == 40)
        plan.fargateProfiles![0].subnetIds[1] = "subnet-public-1"
        let refused = try PlanEvaluator.evaluate(plan, aws: .embedded).findings.filter { $0.ruleId == "FG-001" }
        #expect(refused.map(\.pointer) == ["/fargateProfiles/0/subnetIds/1"])
    }

    /// EKS: nodes in a public subnet need an auto-assigned public IPv4 address or an IPv6 address.
    @Test func aPublicNodeSubnetMayAssignIPv6InsteadOfPublicIPv4() throws {
        var plan = PlanFixtures.clean
        plan.nodeGroups![0].subnetIds = ["subnet-public-0", "subnet-public-1"]
        RuleCase.subnet(&plan, "subnet-public-0") { $0.mapPublicIpOnLaunch = false }
        #expect(try PlanEvaluator.evaluate(plan, aws: .embedded).findings.contains { $0.ruleId == "NG-001" })
        RuleCase.subnet(&plan, "subnet-public-0") { $0.assignIpv6AddressOnCreation = true }
        #expect(!(try PlanEvaluator.evaluate(plan, aws: .embedded).findings.contains { $0.ruleId == "NG-001" }))
    }

    /// Prefixes need aligned /28 blocks: 505 scattered addresses in use leave the /19's addresses but, at worst,
    /// 5 of its 510 blocks for 70 prefixes; a prefix reservation of a /21 keeps 128 for them.
    static func fragmented() -> ClusterPlan {
        var plan = PlanFixtures.clean
        plan.cni = CNISettingsInput(version: "1.19.0", prefixDelegation: true)
        RuleCase.subnet(&plan, "subnet-private-0") { $0.availableIpAddressCount = 8187 - 505 }
        return plan
    }

    @Test func tooFewAlignedBlocksAreSaidWithTheReservationThatFixesIt() throws {
        var plan = Self.fragmented()
        let finding = try #require(try PlanEvaluator.evaluate(plan, aws: .embedded).findings.first { $0.ruleId == "PD-003" })
        #expect(finding.pointer == "/subnets/3")
        #expect(finding.fix.contains("--reservation-type prefix"))
        RuleCase.subnet(&plan, "subnet-private-0") { $0.prefixReservationCidr = "10.0.48.0/21" }
        let evaluation = try PlanEvaluator.evaluate(plan, aws: .embedded)
        #expect(!evaluation.findings.contains { $0.ruleId == "PD-003" })
        let blocks = try #require(evaluation.subnets.first { $0.subnetId == "subnet-private-0" }?.prefixBlocks)
        #expect(blocks.reservedAligned28Blocks == 128)
        #expect(blocks.prefixesNeeded == 70)
        #expect(blocks.worstCaseBlockHeadroom >= 0)
        // A reservation outside the subnet is refused with its pointer.
        RuleCase.subnet(&plan, "subnet-private-0") { $0.prefixReservationCidr = "10.9.0.0/22" }
        #expect(throws: ValidationFailure.self) { try PlanContext(plan, aws: .embedded) }
    }

    @Test func pointersLeadToTheFieldAtFault() throws {
        var plan = PlanFixtures.clean
        plan.subnets[1].cidrBlock = "10.0.0.0/23"
        let finding = try #require(try PlanEvaluator.evaluate(plan, aws: .embedded).findings.first { $0.ruleId == "SUB-002" })
        #expect(finding.pointer == "/subnets/1/cidrBlock")
        #expect(finding.message.contains("10.0.0.0/23") && finding.message.contains("subnet-public-0"))
    }
}

/// TAG-011 by controller version (LBC "Subnet Auto Discovery"): from 2.12.1 a controller with no role-tagged subnet
/// falls back to route-table reachability; older ones find nothing and the load balancer fails.
@Suite struct LoadBalancerDiscoveryByVersionTests {
    func tag011(controllerVersion: String?) throws -> PlanFinding? {
        var plan = PlanFixtures.clean
        for index in plan.subnets.indices {
            plan.subnets[index].tags?[SubnetTagSuggester.elbRole] = nil
            plan.subnets[index].tags?[SubnetTagSuggester.internalELBRole] = nil
        }
        plan.loadBalancers = .init(internetFacing: true, internal: false, controllerVersion: controllerVersion, dualStack: nil)
        return try PlanEvaluator.evaluate(plan, aws: .embedded).findings.first { $0.ruleId == "TAG-011" }
    }

    @Test func newControllersFallBackAndOldOnesFail() throws {
        #expect(try tag011(controllerVersion: "2.12.1")?.message.contains("falls back to route-table reachability") == true)
        #expect(try tag011(controllerVersion: nil)?.message.contains("falls back to route-table reachability") == true)
        let old = try #require(try tag011(controllerVersion: "2.11.0"))
        #expect(old.message.contains("predates 2.12.1 and finds no subnet: internet-facing load balancers fail"), "\(old.message)")
        // The clean case: tagged subnets, no finding.
        #expect(try PlanEvaluator.evaluate(PlanFixtures.clean, aws: .embedded).findings.allSatisfy { $0.ruleId != "TAG-011" })
    }
}

/// The security-group section as the checks read it: a sound one passes every check, a VPC-wide CIDR rule counts
/// as the group, restricted node egress is a fact (SG-005), and a plan without the section says the checks did not
/// run (SG-006) rather than that they passed.
@Suite struct SecurityGroupRuleTests {
    func findings(_ groups: SecurityGroupPlan?) throws -> [String] {
        var plan = PlanFixtures.clean
        plan.securityGroups = groups
        return try PlanEvaluator.evaluate(plan, aws: .embedded).findings.map(\.ruleId).filter { $0.hasPrefix("SG-") }
    }

    @Test func soundGroupsPassAndAMissingSectionIsNotAPass() throws {
        #expect(try findings(RuleCase.securityGroups()) == [])
        #expect(try findings(nil) == ["SG-006"])
        // EKS managed node groups with only the cluster security group: its all-traffic self rule covers everything.
        let clusterOnly = SecurityGroupPlan(
            clusterSecurityGroupId: "sg-c",
            groups: [SecurityGroup(groupId: "sg-c", ingress: [SecurityGroupRule(ipProtocol: "-1", securityGroupId: "sg-c")])])
        #expect(try findings(clusterOnly) == [])
    }

    @Test func aRuleOverTheWholeVPCCountsAsTheGroup() throws {
        let vpcWide = RuleCase.securityGroups {
            $0.groups[0].ingress[1] = SecurityGroupRule(ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "10.0.0.0/8")
        }
        #expect(try findings(vpcWide) == [])
        let narrow = RuleCase.securityGroups {
            $0.groups[0].ingress[1] = SecurityGroupRule(ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "10.0.1.0/24")
        }
        #expect(try findings(narrow) == ["SG-004"])
    }

    @Test func restrictedNodeEgressIsAFact() throws {
        let restricted = RuleCase.securityGroups { $0.groups[1].egress = [SecurityGroupRule(ipProtocol: "-1", securityGroupId: "sg-nodes")] }
        #expect(try findings(restricted) == ["SG-005"])
    }

    @Test func structuralMistakesAre422s() {
        var plan = PlanFixtures.clean
        plan.securityGroups = RuleCase.securityGroups {
            $0.nodeSecurityGroupIds = ["sg-missing"]
            $0.groups[1].ingress[0].fromPort = 70000
            $0.groups[1].ingress[1].ipProtocol = "sctp"
            $0.groups[1].ingress[2].cidrBlock = "10.0.0.0/8"
        }
        #expect(throws: ValidationFailure.self) { try PlanEvaluator.evaluate(plan, aws: .embedded) }
        do {
            _ = try PlanEvaluator.evaluate(plan, aws: .embedded)
        } catch {
            let pointers = Set(error.issues.compactMap(\.pointer))
            #expect(pointers.isSuperset(of: [
                "/securityGroups/nodeSecurityGroupIds/0", "/securityGroups/groups/1/ingress/0/fromPort",
                "/securityGroups/groups/1/ingress/1/ipProtocol", "/securityGroups/groups/1/ingress/2",
            ]), "\(pointers)")
        }
    }
}
