import Foundation
import Testing

@testable import EKSNetCore

/// The remediation advisor (issue 14 §1): every feasible option's plan-after evaluates with no error at the target,
/// exactly as /v1/plans would take it, and gains what it claims; every infeasible one says why.
@Suite struct RemediationAdvisorTests {
    static func example() throws -> RemediationRequest {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/exhausted.json")
        return try JSONDecoder().decode(RemediationRequest.self, from: Data(contentsOf: url))
    }

    /// Exhausted clusters of other shapes: node subnets of /26 to /22 at 85–95 % use, two or three zones, Nitro and
    /// Xen types, VPC CNI releases before and after subnet discovery.
    static func generated() -> [RemediationRequest] {
        let shapes: [(type: String, prefix: Int, zones: Int, cni: String, used: Double, running: Int, target: Int)] = [
            ("m5.large", 24, 3, "1.19.0", 0.9, 9, 24),
            ("c5.2xlarge", 23, 2, "1.15.0", 0.85, 8, 20),
            ("m4.large", 24, 3, "1.19.0", 0.95, 6, 18),
            ("t3.medium", 26, 2, "1.20.0", 0.9, 4, 12),
            ("r6i.xlarge", 22, 3, "1.18.0", 0.92, 30, 90),
        ]
        return shapes.enumerated().map { number, shape in
            var plan = PlanFixtures.clean
            plan.clusterName = "exhausted-\(number)"
            let zones = Array(PlanFixtures.zones.prefix(shape.zones))
            plan.subnets = plan.subnets.filter { subnet in zones.contains { $0.0 == subnet.availabilityZone } }
            for index in plan.subnets.indices where plan.subnets[index].subnetId.hasPrefix("subnet-private-") {
                let zone = zones.firstIndex { $0.0 == plan.subnets[index].availabilityZone } ?? 0
                let block = try! CIDRBlock(network: IPv4Address(UInt32(10 << 24 | 64 << 8) + UInt32(zone) << UInt32(32 - shape.prefix)), prefixLength: shape.prefix)
                plan.subnets[index].cidrBlock = block.description
                plan.subnets[index].availableIpAddressCount = Int(Double(block.awsUsableAddressCount) * (1 - shape.used))
            }
            plan.clusterSubnetIds = plan.clusterSubnetIds.filter { id in plan.subnets.contains { $0.subnetId == id } }
            plan.natGateways = plan.natGateways?.filter { nat in plan.subnets.contains { $0.subnetId == nat.subnetId } }
            var group = plan.nodeGroups![0]
            group.instanceTypes = [shape.type]
            group.subnetIds = plan.subnets.map(\.subnetId).filter { $0.hasPrefix("subnet-private-") }
            group.runningNodes = shape.running
            group.desiredSize = shape.running
            group.maxSize = shape.running
            group.minSize = 1
            plan.nodeGroups = [group]
            plan.cni = CNISettingsInput(version: shape.cni)
            return RemediationRequest(plan: plan, target: .init(nodeGroups: [.init(name: group.name, maxSize: shape.target)]))
        }
    }

    /// What /v1/plans does with the plan: decode it from JSON and evaluate it.
    static func evaluateAsPosted(_ plan: ClusterPlan) throws -> PlanEvaluation {
        let posted = try JSONDecoder().decode(ClusterPlan.self, from: try JSONEncoder().encode(plan))
        return try PlanEvaluator.evaluate(posted, aws: .embedded)
    }

    static func check(_ request: RemediationRequest) throws -> RemediationResult {
        let result = try RemediationAdvisor.advise(request, aws: .embedded)
        #expect(!result.diagnosis.exhaustedSubnets.isEmpty, "\(request.plan?.clusterName ?? "") is not exhausted at the target")
        #expect(result.options.count == RemediationOption.Kind.allCases.count)
        let grown = try RemediationAdvisor.grow(try #require(request.plan), to: request.target)
        let before = try PlanEvaluator.evaluate(grown, aws: .embedded)
        for option in result.options {
            if option.feasible {
                let plan = try #require(option.planAfter)
                let after = try evaluateAsPosted(plan)
                #expect(after.summary.errors == 0, "\(option.kind): \(after.findings.filter { $0.severity == .error })")
                // The target sizes are in the plan as posted.
                for wanted in request.target.nodeGroups {
                    let size = plan.nodeGroups?.first { $0.name.hasPrefix(wanted.name) }?.maxSize
                    #expect(size == wanted.maxSize, "\(option.kind)")
                }
                #expect(option.addressesGained == RemediationSituation.headroom(after) - RemediationSituation.headroom(before))
                #expect(option.podsGained == RemediationSituation.podCapacity(after) - RemediationSituation.podCapacity(before))
                #expect(!option.steps.isEmpty && option.steps.allSatisfy { !$0.description.isEmpty })
            } else {
                #expect(!(option.reason ?? "").isEmpty, "\(option.kind) is not feasible and does not say why")
            }
        }
        // Ranked: feasible first, then least disruption.
        let ranks = result.options.map { ($0.feasible ? 0 : 1, $0.disruption) }
        for (a, b) in zip(ranks, ranks.dropFirst()) { #expect(a.0 < b.0 || (a.0 == b.0 && a.1 <= b.1)) }
        return result
    }

    @Test func theExhaustedExampleHasThreeFeasibleWaysOut() throws {
        let result = try Self.check(try Self.example())
        #expect(result.diagnosis.bindingLimit == "subnet-addresses")
        #expect(result.diagnosis.exhaustedSubnets.map(\.shortBy) == [335, 335, 335])
        let feasible = Set(result.options.filter(\.feasible).map(\.kind))
        #expect(feasible.isSuperset(of: [.secondaryCIDRCustomNetworking, .newNodeSubnets, .ipv6Cluster]), "\(feasible)")
        // Subnet discovery moves only secondary ENIs: the full node subnets still take each new node's primary ENI.
        let discovery = try #require(result.options.first { $0.kind == .subnetDiscovery })
        #expect(!discovery.feasible && discovery.reason?.contains("NG-005") == true)
    }

    @Test(arguments: 0..<5)
    func generatedExhaustedClusters(number: Int) throws {
        let request = Self.generated()[number]
        let result = try Self.check(request)
        // Somewhere to go, always: a secondary CIDR or new subnets.
        #expect(result.options.contains { $0.feasible }, "\(result.options.map { "\($0.kind): \($0.reason ?? "")" })")
        if request.plan?.cni?.version == "1.15.0" {
            let discovery = try #require(result.options.first { $0.kind == .subnetDiscovery })
            #expect(!discovery.feasible && discovery.reason?.contains("1.18.0") == true)
        }
        if request.plan?.nodeGroups?.first?.instanceTypes == ["m4.large"] {
            let prefixes = try #require(result.options.first { $0.kind == .prefixDelegation })
            #expect(!prefixes.feasible && prefixes.reason?.contains("not Nitro") == true)
        }
    }

    /// ENIConfig (eniconfigs.crd.k8s.amazonaws.com, v1alpha1): kind and group, metadata.name the zone, spec.subnet a
    /// string (required), spec.securityGroups an array of strings when present, nothing else in spec.
    @Test func eniConfigsMatchTheCRDsSchema() throws {
        var request = try Self.example()
        request.plan?.securityGroups = SecurityGroupPlan(
            clusterSecurityGroupId: "sg-0cluster", nodeSecurityGroupIds: ["sg-0nodes"],
            groups: [
                SecurityGroup(groupId: "sg-0cluster", ingress: [SecurityGroupRule(ipProtocol: "-1", securityGroupId: "sg-0nodes")]),
                SecurityGroup(
                    groupId: "sg-0nodes",
                    ingress: [
                        SecurityGroupRule(ipProtocol: "-1", securityGroupId: "sg-0cluster"),
                        SecurityGroupRule(ipProtocol: "-1", securityGroupId: "sg-0nodes"),
                    ]),
            ])
        let result = try RemediationAdvisor.advise(request, aws: .embedded)
        let option = try #require(result.options.first { $0.kind == .secondaryCIDRCustomNetworking })
        let manifests = option.steps.compactMap(\.manifest)
        #expect(manifests.count == 3)
        for manifest in manifests {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
            #expect(object["apiVersion"] as? String == "crd.k8s.amazonaws.com/v1alpha1")
            #expect(object["kind"] as? String == "ENIConfig")
            let name = try #require((object["metadata"] as? [String: Any])?["name"] as? String)
            let spec = try #require(object["spec"] as? [String: Any])
            #expect(Set(spec.keys).isSubset(of: ["subnet", "securityGroups"]))
            #expect(spec["subnet"] is String)
            #expect(spec["securityGroups"] as? [String] == ["sg-0nodes"])
            #expect(option.planAfter?.cni?.customNetworking?.eniConfigs?[name] == spec["subnet"] as? String)
        }
    }

    /// An audit request stands for the plan: its derived plan is grown, with its running nodes as the audit counts
    /// them (the desired size), and the advice says so.
    @Test func anAuditIsAdvisedOnItsDerivedPlan() throws {
        var audit = try VPCAuditorTests.request("cloudformation")
        audit.nodeGroups = [NodeGroupInput(name: "workers", instanceTypes: ["m5.xlarge"], minSize: 2, desiredSize: 4, maxSize: 6)]
        let request = RemediationRequest(audit: audit, target: .init(nodeGroups: [.init(name: "workers", maxSize: 1000)]))
        let result = try RemediationAdvisor.advise(request, aws: .embedded)
        #expect(result.assumptions.first?.contains("desiredSize") == true)
        #expect(!result.diagnosis.exhaustedSubnets.isEmpty)
        for option in result.options where option.feasible {
            #expect(try PlanEvaluator.evaluate(try #require(option.planAfter), aws: .embedded).summary.errors == 0, "\(option.kind)")
        }
        #expect(result.options.contains { $0.feasible })
    }

    @Test func badTargetsAreRefusedNamingTheField() throws {
        var request = try Self.example()
        request.target = .init(nodeGroups: [.init(name: "missing", maxSize: 10), .init(name: "general", maxSize: -1)])
        #expect {
            try RemediationAdvisor.advise(request, aws: .embedded)
        } throws: { error in
            let pointers = (error as? ValidationFailure)?.issues.compactMap(\.pointer) ?? []
            return pointers == ["/target/nodeGroups/0/name", "/target/nodeGroups/1/maxSize"]
        }
        request.target = .init(nodeGroups: [])
        #expect(throws: ValidationFailure.self) { try RemediationAdvisor.advise(request, aws: .embedded) }
        request.target = .init(nodeGroups: [.init(name: "general", maxSize: 30)])
        request.audit = AuditRequest(clusterName: "x", describeVpcs: .init(Vpcs: []), describeSubnets: .init(Subnets: []))
        #expect(throws: ValidationFailure.self) { try RemediationAdvisor.advise(request, aws: .embedded) }
    }
}
