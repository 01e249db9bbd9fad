/// `POST /v1/audits`: the JSON the AWS CLI prints for a VPC, plus the cluster name and, optionally, node groups
/// and CNI settings. eksnet needs no credentials: engineers run the describe commands themselves.
public struct AuditRequest: Hashable, Codable, Sendable {
    public var clusterName: String
    /// Default: from the subnets' availability zones.
    public var region: String?
    /// Which VPC to audit when `describe-vpcs` lists several.
    public var vpcId: String?
    public var describeVpcs: AWSDescribe.VpcsOutput
    public var describeSubnets: AWSDescribe.SubnetsOutput
    public var describeRouteTables: AWSDescribe.RouteTablesOutput?
    public var describeNatGateways: AWSDescribe.NatGatewaysOutput?
    public var describeVpcEndpoints: AWSDescribe.VpcEndpointsOutput?
    /// `describe-vpc-attribute --attribute enableDnsHostnames`.
    public var dnsHostnames: AWSDescribe.VpcAttributeOutput?
    /// `describe-vpc-attribute --attribute enableDnsSupport`.
    public var dnsSupport: AWSDescribe.VpcAttributeOutput?
    /// `describe-security-groups` for the VPC: SG-001…SG-005 are checked when it is given.
    public var describeSecurityGroups: AWSDescribe.SecurityGroupsOutput?
    /// The cluster security group (`aws eks describe-cluster` → resourcesVpcConfig.clusterSecurityGroupId); default:
    /// the group EKS tags `aws:eks:cluster-name` with the cluster's name.
    public var clusterSecurityGroupId: String?
    /// The groups on the nodes; default: the cluster security group (managed node groups' default).
    public var nodeSecurityGroupIds: [String]?
    /// The subnets passed (or to be passed) to CreateCluster; default: the private subnets.
    public var clusterSubnetIds: [String]?
    public var nodeGroups: [NodeGroupInput]?
    public var cni: CNISettingsInput?
    public var loadBalancers: ClusterPlan.LoadBalancers?
    public var serviceIpv4Cidr: String?
    public var kubernetesVersion: String?
    public var karpenter: Bool?

    public init(
        clusterName: String, describeVpcs: AWSDescribe.VpcsOutput, describeSubnets: AWSDescribe.SubnetsOutput,
        describeRouteTables: AWSDescribe.RouteTablesOutput? = nil, describeNatGateways: AWSDescribe.NatGatewaysOutput? = nil,
        describeVpcEndpoints: AWSDescribe.VpcEndpointsOutput? = nil, dnsHostnames: AWSDescribe.VpcAttributeOutput? = nil,
        dnsSupport: AWSDescribe.VpcAttributeOutput? = nil
    ) {
        self.clusterName = clusterName
        self.describeVpcs = describeVpcs
        self.describeSubnets = describeSubnets
        self.describeRouteTables = describeRouteTables
        self.describeNatGateways = describeNatGateways
        self.describeVpcEndpoints = describeVpcEndpoints
        self.dnsHostnames = dnsHostnames
        self.dnsSupport = dnsSupport
    }
}

/// An audit's answer: the plan eksnet derived from the AWS output, and its evaluation (with the audit's own
/// findings about missing or unknown pieces first).
public struct AuditResult: Hashable, Codable, Sendable {
    public var plan: ClusterPlan
    public var evaluation: PlanEvaluation
}

extension AuditRequest: PassesThroughDocuments {
    /// The `aws ec2 describe-*` outputs, as the CLI prints them: their other members are AWS's, not misspellings.
    public static let passedThroughPointers = [
        "/describeVpcs", "/describeSubnets", "/describeRouteTables", "/describeNatGateways", "/describeVpcEndpoints",
        "/dnsHostnames", "/dnsSupport", "/describeSecurityGroups",
    ]
}
