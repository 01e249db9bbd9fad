import Foundation
import Testing

@testable import EKSNetCore

/// Egress is reachability, not the name of a route target (EKS private clusters: nodes reach ECR, S3, STS and the
/// API through an internet gateway, a public NAT gateway in a subnet with an internet gateway route, or the VPC
/// endpoints; VPC docs: a private NAT gateway reaches other networks only, peering has no edge-to-edge routing).
@Suite struct InternetEgressTests {
    /// The clean plan's private subnets with this default route: RT-001's pointers.
    func isolated(_ route: String, _ change: (inout ClusterPlan) -> Void = { _ in }) throws -> [String] {
        var plan = PlanFixtures.clean
        for index in plan.subnets.indices where plan.subnets[index].subnetId.hasPrefix("subnet-private-") {
            plan.subnets[index].defaultRoute = route
        }
        change(&plan)
        return try PlanEvaluator.evaluate(plan, aws: .embedded).findings.filter { $0.ruleId == "RT-001" }.map(\.pointer)
    }

    static let privatePointers = ["/subnets/3/defaultRoute", "/subnets/4/defaultRoute", "/subnets/5/defaultRoute"]

    @Test func aPublicNATGatewayInAPublicSubnetReachesTheInternet() throws {
        #expect(try isolated("nat").isEmpty)
        #expect(try isolated("nat-1").isEmpty)
        #expect(try isolated("igw").isEmpty)
        #expect(try isolated("eni-0abc").isEmpty)
    }

    @Test func aPrivateNATGatewayGivesNoInternetEgress() throws {
        let pointers = try isolated("nat") { plan in
            for index in plan.natGateways!.indices { plan.natGateways![index].connectivityType = "private" }
        }
        #expect(pointers == Self.privatePointers)
        var plan = PlanFixtures.clean
        plan.natGateways![1].connectivityType = "private"
        RuleCase.subnet(&plan, "subnet-private-1") { $0.defaultRoute = "nat-1" }
        let finding = try #require(try PlanEvaluator.evaluate(plan, aws: .embedded).findings.first { $0.ruleId == "RT-001" })
        #expect(finding.pointer == "/subnets/4/defaultRoute")
        #expect(finding.message.contains("nat-1 is private"))
    }

    @Test func aNATGatewayTheplanDoesNotContainGivesNoEgress() throws {
        #expect(try isolated("nat-0fffffff") == Self.privatePointers)
        // A NAT gateway of the plan that sits in a private subnet does not reach the internet either (RT-003 too).
        let pointers = try isolated("nat-2") { plan in plan.natGateways![2].subnetId = "subnet-private-2" }
        #expect(pointers == Self.privatePointers)
    }

    @Test func aPeeringConnectionGivesNoEgress() throws {
        #expect(try isolated("pcx-0abc") == Self.privatePointers)
        #expect(try isolated("pcx") == Self.privatePointers)
    }

    @Test func aTransitGatewayNeedsAConnectedNetworkThatProvidesEgress() throws {
        #expect(try isolated("tgw-0abc") == Self.privatePointers)
        #expect(try isolated("vgw") == Self.privatePointers)
        let central = try isolated("tgw-0abc") { plan in
            plan.connectedNetworks = ["10.1.0.0/16", ConnectedNetwork(cidrBlock: "10.200.0.0/16", providesInternetEgress: true)]
        }
        #expect(central.isEmpty)
    }

    @Test func theEndpointsOfAPrivateClusterStandInForEgress() throws {
        let pointers = try isolated("none") { plan in
            plan.vpcEndpoints = ["ec2", "ecr.api", "ecr.dkr", "sts", "s3"].map { ClusterPlan.VPCEndpoint(service: $0) }
        }
        #expect(pointers.isEmpty)
    }

    @Test func connectedNetworksAreCIDRsOrObjects() throws {
        let plan = try JSONDecoder().decode(
            [ConnectedNetwork].self,
            from: Data(#"["10.1.0.0/16", {"cidrBlock": "10.2.0.0/16", "providesInternetEgress": true}]"#.utf8))
        #expect(plan == ["10.1.0.0/16", ConnectedNetwork(cidrBlock: "10.2.0.0/16", providesInternetEgress: true)])
        let written = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        #expect(written.hasPrefix(#"["10.1.0.0\/16",{"#))
    }
}
