/// A CloudFormation `Resources:` fragment for a plan's VPC: the VPC, subnets, internet gateway, route tables,
/// NAT gateways with their Elastic IPs, and VPC endpoints.
public enum CloudFormationFragment {
    public static func render(_ plan: ClusterPlan) -> String {
        func logicalId(_ id: String) -> String {
            id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        var lines = ["Resources:"]
        func add(_ text: String) { lines.append(text) }
        add("  VPC:")
        add("    Type: AWS::EC2::VPC")
        add("    Properties:")
        add("      CidrBlock: \(plan.vpc.cidrBlocks.first ?? "")")
        add("      EnableDnsSupport: true")
        add("      EnableDnsHostnames: true")
        add("      Tags: [{Key: Name, Value: \(plan.clusterName)-vpc}]")
        for (index, block) in plan.vpc.cidrBlocks.dropFirst().enumerated() {
            add("  SecondaryCidr\(index + 1):")
            add("    Type: AWS::EC2::VPCCidrBlock")
            add("    Properties: {VpcId: !Ref VPC, CidrBlock: \(block)}")
        }
        let hasPublic = plan.subnets.contains { $0.defaultRoute == "igw" }
        if hasPublic {
            add("  InternetGateway:")
            add("    Type: AWS::EC2::InternetGateway")
            add("  GatewayAttachment:")
            add("    Type: AWS::EC2::VPCGatewayAttachment")
            add("    Properties: {VpcId: !Ref VPC, InternetGatewayId: !Ref InternetGateway}")
            add("  PublicRouteTable:")
            add("    Type: AWS::EC2::RouteTable")
            add("    Properties: {VpcId: !Ref VPC}")
            add("  PublicDefaultRoute:")
            add("    Type: AWS::EC2::Route")
            add("    DependsOn: GatewayAttachment")
            add("    Properties: {RouteTableId: !Ref PublicRouteTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref InternetGateway}")
        }
        let natByZone = Dictionary(
            (plan.natGateways ?? []).compactMap { nat -> (String, String)? in
                guard let subnet = plan.subnets.first(where: { $0.subnetId == nat.subnetId }) else { return nil }
                return (subnet.availabilityZone, nat.natGatewayId)
            }, uniquingKeysWith: { first, _ in first })
        for nat in plan.natGateways ?? [] {
            let id = logicalId(nat.natGatewayId)
            add("  \(id)Eip:")
            add("    Type: AWS::EC2::EIP")
            add("    Properties: {Domain: vpc}")
            add("  \(id):")
            add("    Type: AWS::EC2::NatGateway")
            add("    Properties: {AllocationId: !GetAtt \(id)Eip.AllocationId, SubnetId: !Ref \(logicalId(nat.subnetId))}")
        }
        for subnet in plan.subnets {
            let id = logicalId(subnet.subnetId)
            add("  \(id):")
            add("    Type: AWS::EC2::Subnet")
            if let block = try? CIDRBlock(parsing: subnet.cidrBlock),
                let owner = plan.vpc.cidrBlocks.firstIndex(where: { (try? CIDRBlock(parsing: $0))?.contains(block) == true }),
                owner > 0
            {
                add("    DependsOn: SecondaryCidr\(owner)")
            }
            add("    Properties:")
            add("      VpcId: !Ref VPC")
            add("      AvailabilityZone: \(subnet.availabilityZone)")
            add("      CidrBlock: \(subnet.cidrBlock)")
            add("      MapPublicIpOnLaunch: \(subnet.mapPublicIpOnLaunch == true)")
            let tags = (subnet.tags ?? [:]).sorted { $0.key < $1.key }.map { "{Key: \($0.key), Value: \"\($0.value)\"}" }
            add("      Tags: [\((["{Key: Name, Value: \(plan.clusterName)-\(subnet.subnetId.dropFirst(7))}"] + tags).joined(separator: ", "))]")
            if subnet.defaultRoute == "igw" {
                add("  \(id)RouteTableAssociation:")
                add("    Type: AWS::EC2::SubnetRouteTableAssociation")
                add("    Properties: {SubnetId: !Ref \(id), RouteTableId: !Ref PublicRouteTable}")
                continue
            }
            add("  \(id)RouteTable:")
            add("    Type: AWS::EC2::RouteTable")
            add("    Properties: {VpcId: !Ref VPC}")
            add("  \(id)RouteTableAssociation:")
            add("    Type: AWS::EC2::SubnetRouteTableAssociation")
            add("    Properties: {SubnetId: !Ref \(id), RouteTableId: !Ref \(id)RouteTable}")
            if subnet.defaultRoute == "nat", let nat = natByZone[subnet.availabilityZone] ?? plan.natGateways?.first?.natGatewayId {
                add("  \(id)DefaultRoute:")
                add("    Type: AWS::EC2::Route")
                add("    Properties: {RouteTableId: !Ref \(id)RouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref \(logicalId(nat))}")
            }
        }
        let privateSubnets = plan.subnets.filter { $0.defaultRoute != "igw" }.map { "!Ref \(logicalId($0.subnetId))" }
        let nodeSubnets = plan.subnets.filter { $0.subnetId.hasPrefix("subnet-private-") }.map { "!Ref \(logicalId($0.subnetId))" }
        for endpoint in plan.vpcEndpoints ?? [] {
            let id = "Endpoint" + endpoint.shortName.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            add("  \(id):")
            add("    Type: AWS::EC2::VPCEndpoint")
            add("    Properties:")
            add("      VpcId: !Ref VPC")
            add("      ServiceName: !Sub com.amazonaws.${AWS::Region}.\(endpoint.shortName)")
            if endpoint.shortName == "s3" {
                add("      VpcEndpointType: Gateway")
                add("      RouteTableIds: [\(privateSubnets.map { $0 + "RouteTable" }.joined(separator: ", "))]")
            } else {
                add("      VpcEndpointType: Interface")
                add("      PrivateDnsEnabled: true")
                add("      SubnetIds: [\(nodeSubnets.joined(separator: ", "))]")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
