import Foundation
import Testing

@testable import EKSNetCore

/// A subnet carries its route table's routes (destination → target), not only the default route (issue 11 §1).
/// The AWS Load Balancer Controller calls a subnet public when *any* route's gateway id starts with `igw`
/// (pkg/networking/subnet_resolver.go, `isSubnetContainsRouteToIGW`; the in-tree provider's `isSubnetPublic` reads the
/// table the same way), while nodes reach ECR, S3 and the EKS API through whatever 0.0.0.0/0 leads to.
@Suite struct SubnetRouteTests {
    static func evaluate(_ change: (inout ClusterPlan) -> Void) throws -> PlanEvaluation {
        var plan = PlanFixtures.clean
        change(&plan)
        return try PlanEvaluator.evaluate(plan, aws: .embedded)
    }

    static func issues(_ change: (inout ClusterPlan) -> Void) -> [FieldIssue] {
        var plan = PlanFixtures.clean
        change(&plan)
        do {
            _ = try PlanContext(plan, aws: .embedded)
            return []
        } catch let failure as ValidationFailure {
            return failure.issues
        } catch {
            return [FieldIssue(pointer: "", message: "\(error)")]
        }
    }

    @Test func aSubnetWithAnyInternetGatewayRouteIsPublic() throws {
        // A private subnet (0.0.0.0/0 → its zone's NAT gateway) that also routes one partner range to the internet
        // gateway: public to the controller, so SUB-005 says the declared role is not what AWS sees, and internal
        // load balancers no longer land there.
        let trip = try Self.evaluate { plan in
            RuleCase.subnet(&plan, "subnet-private-0") { subnet in
                subnet.defaultRoute = nil
                subnet.routes = ["0.0.0.0/0": "nat-0", "198.51.100.0/24": "igw-0abc", "10.0.0.0/16": "local"]
            }
        }
        let sub005 = trip.findings.filter { $0.ruleId == "SUB-005" }
        #expect(sub005.map(\.pointer) == ["/subnets/3/role"])
        #expect(trip.tags.loadBalancerSubnets.internal.contains("subnet-private-0") == false)
        // Egress still follows 0.0.0.0/0 through the NAT gateway (no RT-001); EKS, which also calls the subnet
        // public, refuses managed nodes there unless it assigns public addresses (NG-001).
        #expect(!trip.findings.contains { $0.ruleId == "RT-001" })
        #expect(trip.findings.filter { $0.ruleId == "NG-001" }.map(\.pointer) == ["/subnets/3/mapPublicIpOnLaunch"])

        // Clean: the same subnet with a narrower route to a transit gateway stays private.
        let clean = try Self.evaluate { plan in
            RuleCase.subnet(&plan, "subnet-private-0") { subnet in
                subnet.routes = ["0.0.0.0/0": "nat-0", "10.200.0.0/16": "tgw-0abc"]
            }
        }
        #expect(clean.findings.allSatisfy { $0.severity == .info }, "\(clean.findings)")
        #expect(clean.tags.loadBalancerSubnets.internal.contains("subnet-private-0"))
    }

    @Test func egressFollowsTheDefaultRouteNotANarrowerInternetGatewayRoute() throws {
        // Public to the controller by a /24 to the internet gateway, but 0.0.0.0/0 goes nowhere: nodes there reach
        // neither ECR nor the EKS API.
        let trip = try Self.evaluate { plan in
            RuleCase.subnet(&plan, "subnet-private-1") { subnet in
                subnet.defaultRoute = nil
                subnet.routes = ["198.51.100.0/24": "igw-0abc"]
            }
        }
        #expect(trip.findings.filter { $0.ruleId == "RT-001" }.map(\.pointer) == ["/subnets/4/defaultRoute"])
        // A NAT gateway in a subnet that is public only by such a route cannot forward to the internet (RT-003),
        // and the private subnets behind it have no egress.
        let nat = try Self.evaluate { plan in
            RuleCase.subnet(&plan, "subnet-public-2") { subnet in
                subnet.defaultRoute = "none"
                subnet.routes = ["198.51.100.0/24": "igw-0abc"]
            }
            RuleCase.subnet(&plan, "subnet-private-2") { $0.defaultRoute = "nat-2" }
        }
        #expect(nat.findings.filter { $0.ruleId == "RT-003" }.map(\.pointer) == ["/natGateways/2/subnetId"])
        #expect(nat.findings.filter { $0.ruleId == "RT-001" }.map(\.pointer) == ["/subnets/5/defaultRoute"])
    }

    @Test func routesAloneCarryTheDefaultRoute() throws {
        // defaultRoute left out: the routes' 0.0.0.0/0 decides, with the NAT gateway it names.
        let viaPrivateNAT = try Self.evaluate { plan in
            plan.natGateways![1].connectivityType = "private"
            RuleCase.subnet(&plan, "subnet-private-1") { subnet in
                subnet.defaultRoute = nil
                subnet.routes = ["0.0.0.0/0": "nat-1"]
            }
        }
        let isolated = viaPrivateNAT.findings.filter { $0.ruleId == "RT-001" }
        #expect(isolated.map(\.pointer) == ["/subnets/4/defaultRoute"])
        #expect(isolated.first?.message.contains("nat-1 is private") == true)
        // The word and the id agree: the id wins.
        let agreeing = try Self.evaluate { plan in
            RuleCase.subnet(&plan, "subnet-private-1") { $0.routes = ["0.0.0.0/0": "nat-1", "::/0": "eigw-0abc"] }
        }
        #expect(!agreeing.findings.contains { $0.severity == .error })
    }

    @Test func aDefaultRouteThatDisagreesWithTheRoutesIsRefused() {
        let disagreeing = Self.issues { plan in
            RuleCase.subnet(&plan, "subnet-private-1") { $0.routes = ["0.0.0.0/0": "igw-0abc"] }
        }
        #expect(disagreeing.map(\.pointer) == ["/subnets/4/defaultRoute"])
        let differentNAT = Self.issues { plan in
            RuleCase.subnet(&plan, "subnet-private-1") { subnet in
                subnet.defaultRoute = "nat-1"
                subnet.routes = ["0.0.0.0/0": "nat-2"]
            }
        }
        #expect(differentNAT.map(\.pointer) == ["/subnets/4/defaultRoute"])
        let malformed = Self.issues { plan in
            RuleCase.subnet(&plan, "subnet-private-1") { $0.routes = ["10.0.0.0/33": "tgw", "pl-abc": "bogus", "::/0": "none"] }
        }
        #expect(malformed.compactMap(\.pointer).sorted() == ["/subnets/4/routes/10.0.0.0~133", "/subnets/4/routes/::~10", "/subnets/4/routes/pl-abc"])
        let tooMany = Self.issues { plan in
            RuleCase.subnet(&plan, "subnet-private-1") { subnet in
                subnet.routes = Dictionary(uniqueKeysWithValues: (0..<1_001).map { ("10.\($0 / 256).\($0 % 256).0/24", "tgw") })
            }
        }
        #expect(tooMany.map(\.pointer) == ["/subnets/4/routes"])
    }

    @Test func aSecondaryCIDRThatContainsARouteDestinationIsRefused() throws {
        // AWS refuses AssociateVpcCidrBlock for a block equal to or larger than a route destination in any of the
        // VPC's route tables (VPC User Guide, "CIDR block association restrictions").
        let trip = try Self.evaluate { plan in
            plan.vpc.cidrBlocks.append("100.64.0.0/16")
            RuleCase.subnet(&plan, "subnet-private-0") { $0.routes = ["0.0.0.0/0": "nat-0", "100.64.8.0/24": "tgw-0abc"] }
        }
        let finding = try #require(trip.findings.first { $0.ruleId == "VPC-005" })
        #expect(finding.pointer == "/vpc/cidrBlocks/1")
        #expect(finding.message.contains("100.64.8.0/24"))
        #expect(finding.message.contains("subnet-private-0 → tgw-0abc"))
        let clean = try Self.evaluate { plan in
            plan.vpc.cidrBlocks.append("100.64.0.0/16")
            RuleCase.subnet(&plan, "subnet-private-0") { $0.routes = ["0.0.0.0/0": "nat-0", "100.65.8.0/24": "tgw-0abc"] }
        }
        #expect(!clean.findings.contains { $0.ruleId == "VPC-005" })
    }

    @Test func destinationsParse() {
        #expect(SubnetRoute.Destination(parsing: "0.0.0.0/0")?.isIPv4Default == true)
        #expect(SubnetRoute.Destination(parsing: "::/0")?.isIPv6Default == true)
        #expect(SubnetRoute.Destination(parsing: "PL-63A5400A") == .prefixList("pl-63a5400a"))
        #expect(SubnetRoute.Destination(parsing: "10.0.0.1/16") == nil)
        #expect(SubnetRoute.Destination(parsing: "pl-") == nil)
    }
}
