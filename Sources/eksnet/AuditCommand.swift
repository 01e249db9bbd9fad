import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet audit --vpcs v.json --subnets s.json --route-tables r.json`: a live VPC from AWS CLI output.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audit a VPC from `aws ec2 describe-*` output (no AWS credentials needed).")

    @Option(help: "The EKS cluster's name.") var clusterName: String = "cluster"
    @Option(help: "aws ec2 describe-vpcs output.") var vpcs: String
    @Option(help: "aws ec2 describe-subnets output.") var subnets: String
    @Option(help: "aws ec2 describe-route-tables output.") var routeTables: String?
    @Option(help: "aws ec2 describe-nat-gateways output.") var natGateways: String?
    @Option(help: "aws ec2 describe-vpc-endpoints output.") var vpcEndpoints: String?
    @Option(help: "aws ec2 describe-vpc-attribute --attribute enableDnsHostnames output.") var dnsHostnames: String?
    @Option(help: "aws ec2 describe-vpc-attribute --attribute enableDnsSupport output.") var dnsSupport: String?
    @Option(help: "aws ec2 describe-security-groups output (checks SG-001…SG-005).") var securityGroups: String?
    @Option(help: "The cluster security group (default: the group tagged aws:eks:cluster-name).") var clusterSecurityGroupId: String?
    @Option(help: "A security group on the nodes; repeat (default: the cluster security group).") var nodeSecurityGroupId: [String] = []
    @Option(help: "The VPC to audit when several are described.") var vpcId: String?
    @Option(help: "A subnet passed to CreateCluster; repeat.") var clusterSubnet: [String] = []
    @OptionGroup var outputOptions: PictureOutputOptions

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        var request = AuditRequest(
            clusterName: clusterName, describeVpcs: try readJSON(AWSDescribe.VpcsOutput.self, from: vpcs),
            describeSubnets: try readJSON(AWSDescribe.SubnetsOutput.self, from: subnets),
            describeRouteTables: try routeTables.map { try readJSON(AWSDescribe.RouteTablesOutput.self, from: $0) },
            describeNatGateways: try natGateways.map { try readJSON(AWSDescribe.NatGatewaysOutput.self, from: $0) },
            describeVpcEndpoints: try vpcEndpoints.map { try readJSON(AWSDescribe.VpcEndpointsOutput.self, from: $0) },
            dnsHostnames: try dnsHostnames.map { try readJSON(AWSDescribe.VpcAttributeOutput.self, from: $0) },
            dnsSupport: try dnsSupport.map { try readJSON(AWSDescribe.VpcAttributeOutput.self, from: $0) })
        request.vpcId = vpcId
        request.describeSecurityGroups = try securityGroups.map { try readJSON(AWSDescribe.SecurityGroupsOutput.self, from: $0) }
        request.clusterSecurityGroupId = clusterSecurityGroupId
        if !nodeSecurityGroupId.isEmpty { request.nodeSecurityGroupIds = nodeSecurityGroupId }
        if !clusterSubnet.isEmpty { request.clusterSubnetIds = clusterSubnet }
        let aws = try catalogOptions.awsData()
        let result: AuditResult
        do {
            result = try VPCAuditor.audit(request, aws: aws)
        } catch {
            throw CommandFailure.invalid(error)
        }
        switch outputOptions.format {
        case .json: try printJSON(result)
        case .svg: print(AddressMap.render(plan: result.plan, evaluation: result.evaluation, aws: aws))
        case .html: print(PlanReport.render(plan: result.plan, evaluation: result.evaluation, aws: aws))
        case .table: print(PlanCommand.Check.report(result.evaluation))
        }
        if result.evaluation.verdict == .blocked { throw ExitCode(1) }
    }
}
