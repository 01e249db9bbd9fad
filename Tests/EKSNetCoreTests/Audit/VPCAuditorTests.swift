import Foundation
import Testing

@testable import EKSNetCore

/// Audits of real AWS CLI output (moto's server driven by the AWS CLI; see scripts/make-audit-fixtures).
@Suite struct VPCAuditorTests {
    static func fixture<T: Decodable>(_ layout: String, _ file: String, as type: T.Type) throws -> T {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/audit/\(layout)/\(file).json")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static func request(_ layout: String) throws -> AuditRequest {
        var request = AuditRequest(
            clusterName: "audited", describeVpcs: try fixture(layout, "describe-vpcs", as: AWSDescribe.VpcsOutput.self),
            describeSubnets: try fixture(layout, "describe-subnets", as: AWSDescribe.SubnetsOutput.self),
            describeRouteTables: try fixture(layout, "describe-route-tables", as: AWSDescribe.RouteTablesOutput.self),
            describeNatGateways: try fixture(layout, "describe-nat-gateways", as: AWSDescribe.NatGatewaysOutput.self),
            describeVpcEndpoints: try fixture(layout, "describe-vpc-endpoints", as: AWSDescribe.VpcEndpointsOutput.self),
            dnsHostnames: try fixture(layout, "dns-hostnames", as: AWSDescribe.VpcAttributeOutput.self),
            dnsSupport: try fixture(layout, "dns-support", as: AWSDescribe.VpcAttributeOutput.self))
        request.nodeGroups = [NodeGroupInput(name: "workers", instanceTypes: ["m5.large"], minSize: 1, maxSize: 12)]
        return request
    }

    @Test func eksctlLayoutIsReadWithItsRoutesAndTags() throws {
        let result = try VPCAuditor.audit(try Self.request("eksctl"), aws: .embedded)
        let publics = result.plan.subnets.filter { $0.defaultRoute == "igw" }
        let privates = result.plan.subnets.filter { $0.defaultRoute == "nat" }
        #expect(publics.count == 3 && privates.count == 3)
        #expect(publics.allSatisfy { $0.mapPublicIpOnLaunch == true && $0.tags?["kubernetes.io/role/elb"] == "1" })
        #expect(result.plan.vpc.enableDnsHostnames == true)
        #expect(result.plan.natGateways?.count == 1)
        #expect(result.evaluation.summary.errors == 0, "\(result.evaluation.findings.filter { $0.severity == .error })")
        // One NAT for three AZs.
        #expect(result.evaluation.findings.contains { $0.ruleId == "RT-004" })
        #expect(result.plan.region == "us-east-1")
    }

    @Test func auditsBudgetOnlyTheGrowthOfRunningNodes() throws {
        var request = try Self.request("cloudformation")
        request.nodeGroups![0].desiredSize = 8
        let assumed = try VPCAuditor.audit(request, aws: .embedded)
        let note = try #require(assumed.evaluation.findings.first { $0.ruleId == "AUD-007" })
        #expect(note.pointer == "/nodeGroups/0/runningNodes")
        #expect(assumed.plan.nodeGroups?[0].runningNodes == 8)
        let growth = assumed.evaluation.subnets.reduce(0) { $0 + $1.nodeAddresses }
        // The same group said to run nothing: every node at max size is budgeted.
        request.nodeGroups![0].runningNodes = 0
        let none = try VPCAuditor.audit(request, aws: .embedded)
        #expect(!none.evaluation.findings.contains { $0.ruleId == "AUD-007" })
        let all = none.evaluation.subnets.reduce(0) { $0 + $1.nodeAddresses }
        // m5.large full: 30 addresses a node; 12 at max, 8 running.
        #expect(all == 12 * 30)
        #expect(growth == 4 * 30)
    }

    /// A private NAT gateway reaches other networks, not the internet: an audit whose only NAT gateways are
    /// private reports the private node subnets without egress.
    @Test func anAuditWhoseNATGatewaysArePrivateReportsNoEgress() throws {
        var request = try Self.request("cloudformation")
        for index in request.describeNatGateways!.NatGateways.indices {
            request.describeNatGateways!.NatGateways[index].ConnectivityType = "private"
        }
        let result = try VPCAuditor.audit(request, aws: .embedded)
        let isolated = result.evaluation.findings.filter { $0.ruleId == "RT-001" }
        #expect(!isolated.isEmpty)
        #expect(isolated.allSatisfy { $0.message.contains("private") })
        #expect(try VPCAuditor.audit(try Self.request("cloudformation"), aws: .embedded).evaluation.findings.allSatisfy { $0.ruleId != "RT-001" })
    }

    @Test func anAuditFollowsTheNATGatewayEachRouteNames() throws {
        // Two NAT gateways, one made private: only the subnet whose route table names it loses egress (the route
        // table's NatGatewayId, not the word "nat", decides).
        var request = try Self.request("cloudformation")
        let privateNAT = "nat-b99e91ce99a0fdf44"
        let index = try #require(request.describeNatGateways!.NatGateways.firstIndex { $0.NatGatewayId == privateNAT })
        request.describeNatGateways!.NatGateways[index].ConnectivityType = "private"
        let result = try VPCAuditor.audit(request, aws: .embedded)
        let behind = try #require(result.plan.subnets.firstIndex { $0.subnetId == "subnet-de4bc3f83557a9b54" })
        #expect(result.plan.subnets[behind].routes?["0.0.0.0/0"] == privateNAT)
        #expect(result.plan.subnets[behind].defaultRoute == "nat")
        let isolated = result.evaluation.findings.filter { $0.ruleId == "RT-001" }
        #expect(isolated.map(\.pointer) == ["/subnets/\(behind)/defaultRoute"])
        #expect(isolated.first?.message.contains(privateNAT) == true)
        // Without describe-nat-gateways a route's NAT id stays the word "nat" (AUD-004): not "no egress".
        request.describeNatGateways = nil
        let unknown = try VPCAuditor.audit(request, aws: .embedded)
        #expect(unknown.plan.subnets[behind].routes?["0.0.0.0/0"] == "nat")
        #expect(!unknown.evaluation.findings.contains { $0.ruleId == "RT-001" })
    }

    @Test func anAuditCallsASubnetPublicWhenAnyRouteTargetsAnInternetGateway() throws {
        var request = try Self.request("cloudformation")
        let tables = request.describeRouteTables!.RouteTables
        let table = try #require(tables.firstIndex { ($0.Associations ?? []).contains { $0.SubnetId == "subnet-f8a5a3f2f0bf6a99b" } })
        var partner = AWSDescribe.Route()
        partner.DestinationCidrBlock = "198.51.100.0/24"
        partner.GatewayId = "igw-efa9b8fffc2e2cdd4"
        var blackhole = AWSDescribe.Route()
        blackhole.DestinationCidrBlock = "203.0.113.0/24"
        blackhole.GatewayId = "igw-efa9b8fffc2e2cdd4"
        blackhole.State = "blackhole"
        request.describeRouteTables!.RouteTables[table].Routes! += [partner, blackhole]
        let result = try VPCAuditor.audit(request, aws: .embedded)
        let subnet = try #require(result.plan.subnets.first { $0.subnetId == "subnet-f8a5a3f2f0bf6a99b" })
        #expect(subnet.routes == ["0.0.0.0/0": "nat-ec7ef178d67acbac4", "198.51.100.0/24": "igw-efa9b8fffc2e2cdd4", "192.168.0.0/16": "local"])
        #expect(subnet.routesToInternetGateway)
        // Public now: not among the subnets assumed for the cluster or its nodes, and internal load balancers go elsewhere.
        #expect(!result.plan.clusterSubnetIds.contains("subnet-f8a5a3f2f0bf6a99b"))
        #expect(!result.evaluation.tags.loadBalancerSubnets.internal.contains("subnet-f8a5a3f2f0bf6a99b"))
        #expect(!result.evaluation.findings.contains { $0.ruleId == "RT-001" })
    }

    @Test func cloudFormationLayoutHasNoErrors() throws {
        let result = try VPCAuditor.audit(try Self.request("cloudformation"), aws: .embedded)
        #expect(result.plan.subnets.count == 4)
        #expect(result.plan.natGateways?.count == 2)
        #expect(result.evaluation.summary.errors == 0, "\(result.evaluation.findings.filter { $0.severity == .error })")
        #expect(!result.evaluation.findings.contains { $0.ruleId == "RT-004" })
    }

    @Test func brokenLayoutTripsItsRules() throws {
        var request = try Self.request("broken")
        let subnets = request.describeSubnets.Subnets
        // Nodes in every subnet, the public one included.
        request.nodeGroups = [
            NodeGroupInput(name: "workers", instanceTypes: ["m5.large"], minSize: 1, maxSize: 4, subnetIds: subnets.map(\.SubnetId))
        ]
        let result = try VPCAuditor.audit(request, aws: .embedded)
        let ids = Set(result.evaluation.findings.map(\.ruleId))
        #expect(ids.contains("DNS-002"))
        #expect(ids.contains("NG-001"))
        #expect(ids.contains("TAG-005"))
        #expect(ids.contains("CPS-002") || ids.contains("NG-005"))
        #expect(result.evaluation.verdict == .blocked)
        #expect(result.evaluation.tags.commands.contains { $0.contains("kubernetes.io/cluster/audited,Value=shared") })
    }

    @Test func missingPiecesAreFindingsNotErrors() throws {
        var request = try Self.request("eksctl")
        request.describeRouteTables = nil
        request.dnsHostnames = nil
        request.describeNatGateways = nil
        let result = try VPCAuditor.audit(request, aws: .embedded)
        let ids = Set(result.evaluation.findings.map(\.ruleId))
        #expect(ids.isSuperset(of: ["AUD-003", "AUD-005", "AUD-006"]))
        // Without route tables nothing is public: the internet-facing check must not invent an error.
        #expect(result.plan.subnets.allSatisfy { $0.defaultRoute == "none" })
    }

    @Test func mainRouteTableFallback() throws {
        var request = try Self.request("eksctl")
        // Drop every explicit association: subnets fall back to the main table, which has no default route.
        var tables = request.describeRouteTables!.RouteTables
        for index in tables.indices {
            tables[index].Associations = tables[index].Associations?.filter { $0.Main == true }
        }
        request.describeRouteTables = .init(RouteTables: tables)
        let result = try VPCAuditor.audit(request, aws: .embedded)
        #expect(result.plan.subnets.allSatisfy { $0.routeTableAssociation == "main" && $0.defaultRoute == "none" })
    }

    /// `aws ec2 describe-security-groups` as the CLI prints it for an EKS cluster: the cluster security group EKS
    /// creates (tagged aws:eks:cluster-name, all traffic from itself) and a node group's own group.
    static func securityGroups(nodeIngressFromCluster: Bool) throws -> AWSDescribe.SecurityGroupsOutput {
        let kubelet = nodeIngressFromCluster
            ? #"{"IpProtocol": "tcp", "FromPort": 1025, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": "sg-0c1"}], "IpRanges": []},"#
            : ""
        let json = """
            {"SecurityGroups": [
              {"GroupId": "sg-0c1", "GroupName": "eks-cluster-sg-audited-1", "VpcId": null,
               "Tags": [{"Key": "aws:eks:cluster-name", "Value": "audited"}],
               "IpPermissions": [
                 {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-0c1", "UserId": "111122223333"}], "IpRanges": []},
                 {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-0n1"}], "IpRanges": []}],
               "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "UserIdGroupPairs": []}]},
              {"GroupId": "sg-0n1", "GroupName": "workers", "VpcId": null,
               "IpPermissions": [
                 \(kubelet)
                 {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-0n1"}], "IpRanges": []}],
               "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "UserIdGroupPairs": []}]}
            ]}
            """
        return try JSONDecoder().decode(AWSDescribe.SecurityGroupsOutput.self, from: Data(json.utf8))
    }

    @Test func securityGroupsFromDescribeOutputAreChecked() throws {
        var request = try Self.request("eksctl")
        request.nodeSecurityGroupIds = ["sg-0n1"]
        request.describeSecurityGroups = try Self.securityGroups(nodeIngressFromCluster: true)
        let sound = try VPCAuditor.audit(request, aws: .embedded)
        #expect(sound.plan.securityGroups?.clusterSecurityGroupId == "sg-0c1", "found by its aws:eks:cluster-name tag")
        #expect(!sound.evaluation.findings.contains { $0.ruleId.hasPrefix("SG-") }, "\(sound.evaluation.findings.filter { $0.ruleId.hasPrefix("SG-") })")
        request.describeSecurityGroups = try Self.securityGroups(nodeIngressFromCluster: false)
        let closed = try VPCAuditor.audit(request, aws: .embedded)
        #expect(closed.evaluation.findings.contains { $0.ruleId == "SG-002" })
        // Without the output: the checks did not run, and the audit says so.
        request.describeSecurityGroups = nil
        #expect(try VPCAuditor.audit(request, aws: .embedded).evaluation.findings.contains { $0.ruleId == "SG-006" })
        // With the output but no tagged cluster group and no id given: AUD-008, no SG verdicts.
        request.clusterName = "other"
        request.describeSecurityGroups = try Self.securityGroups(nodeIngressFromCluster: true)
        let untagged = try VPCAuditor.audit(request, aws: .embedded)
        #expect(untagged.evaluation.findings.contains { $0.ruleId == "AUD-008" })
        #expect(!untagged.evaluation.findings.contains { ["SG-001", "SG-002", "SG-003", "SG-004"].contains($0.ruleId) })
    }
}
